"""The whole-run cache: a re-run on unchanged inputs replays the output; any change runs the job again."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from painpoint import pipeline, runcache
from painpoint.cli import app

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
ORGS = ROOT / "data" / "orgs"

runner = CliRunner()


class Calls:
    """Counts calls to a pipeline job while still running it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.count = 0
        real: Callable[..., object] = getattr(pipeline, name)

        def counted(*args: object, **kwargs: object) -> object:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(pipeline, name, counted)


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    return folder


@pytest.fixture
def orgs(tmp_path: Path) -> Path:
    folder = tmp_path / "orgs"
    shutil.copytree(ORGS, folder)
    return folder


def _runs(kind: str = "run") -> list[Path]:
    return sorted((Path(os.environ["PAINPOINT_CACHE_DIR"]) / "v1" / kind).rglob("*.entry"))


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def _read_as_keyed(memo: runcache.RunMemo) -> SimpleNamespace:
    """A stand-in result whose plans were read with exactly the bytes the memo's key names."""
    plans = [SimpleNamespace(plan=SimpleNamespace(document=SimpleNamespace(path=path, digest=digest)))
             for kind, path, digest in memo.inputs if kind == "plan"]
    return SimpleNamespace(plans=plans, profiles=())


def test_scan_rerun_replays_the_same_bytes_without_running(monkeypatch: pytest.MonkeyPatch, plans: Path) -> None:
    calls = Calls(monkeypatch, "scan")
    first = _invoke("scan", str(plans), "--format", "json")
    second = _invoke("scan", str(plans), "--format", "json")
    assert first.exit_code == second.exit_code == 0, first.output
    assert second.stdout == first.stdout and '"painpoint.scan/1"' in first.stdout
    assert calls.count == 1
    assert len(_runs()) == 1


def test_match_rerun_replays_csv_to_a_file(monkeypatch: pytest.MonkeyPatch, plans: Path, orgs: Path,
                                           tmp_path: Path) -> None:
    calls = Calls(monkeypatch, "match")
    out = tmp_path / "m.csv"
    args = ("match", "--plans", str(plans), "--orgs", str(orgs), "--format", "csv", "--output", str(out))
    assert _invoke(*args).exit_code == 0
    written = out.read_bytes()
    out.unlink()
    assert _invoke(*args).exit_code == 0
    assert out.read_bytes() == written and written.startswith(b"\xef\xbb\xbf")
    assert calls.count == 1


def test_changed_plan_runs_again(monkeypatch: pytest.MonkeyPatch, plans: Path) -> None:
    calls = Calls(monkeypatch, "scan")
    first = _invoke("scan", str(plans), "--format", "json").stdout
    victim = plans / "shili_health_14th.txt"
    victim.write_text(victim.read_text(encoding="utf-8").replace("发展规划", "发展规划（修订稿）", 1),
                      encoding="utf-8")
    second = _invoke("scan", str(plans), "--format", "json").stdout
    assert calls.count == 2
    assert second != first and "修订稿" in second and "修订稿" not in first


def test_added_plan_runs_again(monkeypatch: pytest.MonkeyPatch, plans: Path) -> None:
    calls = Calls(monkeypatch, "scan")
    _invoke("scan", str(plans), "--format", "md")
    (plans / "extra.txt").write_text("示例县民政局2026年工作要点\n一、兜牢民生底线\n提高农村低保标准。\n",
                                     encoding="utf-8")
    second = _invoke("scan", str(plans), "--format", "md")
    assert calls.count == 2 and "extra.txt" in second.stdout


def test_changed_profile_runs_match_again(monkeypatch: pytest.MonkeyPatch, plans: Path, orgs: Path) -> None:
    calls = Calls(monkeypatch, "match")
    args = ("match", "--plans", str(plans), "--orgs", str(orgs), "--format", "json")
    _invoke(*args)
    profile = sorted(orgs.glob("*.yaml"))[0]
    profile.write_text(profile.read_text(encoding="utf-8").replace("name: ", "name: 新", 1), encoding="utf-8")
    second = _invoke(*args)
    assert calls.count == 2 and "新" in second.stdout


@pytest.mark.parametrize("other", [("--top", "1"), ("--format", "csv"), ("--segmenter", "jieba")])
def test_each_output_option_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch, plans: Path,
                                               other: tuple[str, str]) -> None:
    calls = Calls(monkeypatch, "scan")
    _invoke("scan", str(plans), "--format", "json")
    args = {"--format": "json", **dict([other])}
    _invoke("scan", str(plans), *(x for kv in args.items() for x in kv))
    assert calls.count == 2


def test_jobs_do_not_change_the_key(monkeypatch: pytest.MonkeyPatch, plans: Path) -> None:
    calls = Calls(monkeypatch, "scan")
    _invoke("scan", str(plans), "--format", "json", "--jobs", "1")
    _invoke("scan", str(plans), "--format", "json", "--jobs", "2")
    assert calls.count == 1


def test_a_run_with_a_bad_input_is_never_stored(monkeypatch: pytest.MonkeyPatch, plans: Path) -> None:
    calls = Calls(monkeypatch, "scan")
    (plans / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    for _ in range(2):
        result = _invoke("scan", str(plans), "--format", "json")
        assert result.exit_code == 1 and "broken.pdf" in result.stderr
    assert calls.count == 2 and _runs() == []


def test_no_cache_neither_reads_nor_writes_runs(monkeypatch: pytest.MonkeyPatch, plans: Path) -> None:
    calls = Calls(monkeypatch, "scan")
    _invoke("scan", str(plans), "--format", "json")
    _invoke("scan", str(plans), "--format", "json", "--no-cache")
    assert calls.count == 2 and len(_runs()) == 1


def test_terminal_tables_are_not_stored(monkeypatch: pytest.MonkeyPatch, plans: Path, tmp_path: Path) -> None:
    calls = Calls(monkeypatch, "scan")
    _invoke("scan", str(plans))
    _invoke("scan", str(plans))
    assert calls.count == 2 and _runs() == []
    out = tmp_path / "table.txt"  # a table written to a file has a fixed width: stored
    _invoke("scan", str(plans), "--output", str(out))
    text = out.read_text(encoding="utf-8")
    _invoke("scan", str(plans), "--output", str(out))
    assert calls.count == 3 and out.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_broken_run_entry_is_rebuilt(monkeypatch: pytest.MonkeyPatch, plans: Path, damage: str) -> None:
    calls = Calls(monkeypatch, "scan")
    first = _invoke("scan", str(plans), "--format", "json").stdout
    (entry,) = _runs()
    data = entry.read_bytes()
    entry.write_bytes({"truncate": data[: len(data) // 2], "flip": data[:-1] + bytes([data[-1] ^ 1]),
                       "garbage": b"not an entry"}[damage])
    second = _invoke("scan", str(plans), "--format", "json").stdout
    assert calls.count == 2 and second == first
    third = _invoke("scan", str(plans), "--format", "json").stdout
    assert calls.count == 2 and third == first


def test_checksummed_entry_that_is_not_compressed_text_is_rebuilt(plans: Path) -> None:
    memo = runcache.open_memo("scan", {"format": "json"}, [str(plans)])
    assert memo is not None
    memo.store.put("run", memo.key, b"\x00 not zlib")
    assert memo.recall() is None
    assert memo.store.get("run", memo.key) is None


def test_input_changed_during_the_run_is_not_stored(plans: Path) -> None:
    memo = runcache.open_memo("scan", {"format": "json"}, [str(plans)])
    assert memo is not None
    (plans / "shili_health_14th.txt").write_text("改了\n", encoding="utf-8")
    memo.remember("output made from the old bytes", _read_as_keyed(memo))
    assert memo.recall() is None


def test_no_entry_when_an_input_path_is_bad(tmp_path: Path, plans: Path) -> None:
    assert runcache.open_memo("scan", {}, [str(plans), str(tmp_path / "missing.txt")]) is None
    assert runcache.open_memo("match", {}, [str(plans)], [str(tmp_path / "no-orgs")]) is None


def test_a_library_upgrade_runs_again(monkeypatch: pytest.MonkeyPatch, plans: Path) -> None:
    """Readers (pypdf, charset-normalizer …) shape the output: a new version must not replay the old one."""
    from painpoint.text import segmenter

    calls = Calls(monkeypatch, "scan")
    _invoke("scan", str(plans), "--format", "json")
    monkeypatch.setattr(segmenter, "libraries_version", lambda: "pypdf=999")
    _invoke("scan", str(plans), "--format", "json")
    assert calls.count == 2


def test_installed_versions_match_importlib_metadata() -> None:
    from importlib.metadata import version

    from painpoint.text.segmenter import RESULT_LIBRARIES, installed_version

    for name in (*RESULT_LIBRARIES, "jieba", "rjieba", "typer"):
        assert installed_version(name) == version(name), name
    assert installed_version("no-such-distribution-here") == "?"


@pytest.mark.parametrize("command", ["scan", "match"])
def test_a_replayed_run_loads_no_engine_reader_or_numpy(plans: Path, orgs: Path, command: str) -> None:
    """What makes a replay cost little more than starting Python: none of the heavy modules is imported."""
    import subprocess
    import sys

    target = str(plans / "shili_health_14th.txt")
    argv = (["painpoint", "scan", target, "--format", "json"] if command == "scan" else
            ["painpoint", "match", "--plans", target, "--orgs", str(orgs), "--format", "json"])
    code = ("import sys; from painpoint.cli import main; sys.argv = " + repr(argv) + "\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('jieba', 'rjieba', 'rjieba.rjieba', 'numpy', 'sklearn', 'pypdf', 'docx', 'bs4', "
            "'opencc', 'yaml', 'painpoint.pipeline') if m in sys.modules]\n"
            "print('HEAVY', heavy, file=sys.stderr)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ),
                           check=True) for _ in range(2)]
    first, second = (r.stderr.split("HEAVY ")[-1].strip() for r in runs)
    # the first run did the work (rjieba's extension is loaded as rjieba.rjieba; jieba only without rjieba)
    assert "rjieba" in first or "jieba" in first
    assert second == "[]"
    assert runs[0].stdout == runs[1].stdout and f'"painpoint.{command}/1"' in runs[1].stdout


def test_no_entry_for_pipes_devices_or_oversized_profiles(tmp_path: Path, plans: Path, orgs: Path) -> None:
    """Hashing a pipe would consume it (and /dev/zero never ends): such inputs are left to the run."""
    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)  # never opened: open_memo must not read it
    assert runcache.open_memo("match", {}, [str(plans)], [str(fifo)]) is None
    assert runcache.open_memo("match", {}, [str(plans)], ["/dev/zero"]) is None
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (1024 * 1024 + 10))
    assert runcache.open_memo("match", {}, [str(plans)], [str(big)]) is None
    assert runcache.open_memo("match", {}, [str(plans)], [str(orgs)]) is not None


def test_dev_zero_profile_is_reported_not_hashed(plans: Path) -> None:
    result = _invoke("match", "--plans", str(plans), "--orgs", "/dev/zero", "--format", "json")
    # the only --orgs source, unreadable: no profile loads, so there is nothing to match (usage error)
    assert result.exit_code == 2 and "/dev/zero" in result.stderr and "1 MB" in result.stderr


def test_file_added_during_the_run_is_not_stored(plans: Path) -> None:
    memo = runcache.open_memo("scan", {"format": "json"}, [str(plans)])
    assert memo is not None
    (plans / "zz_added.md").write_text("# 示例县民政局工作要点\n发展养老服务。\n", encoding="utf-8")
    memo.remember("output of ten files stored under the key of nine", _read_as_keyed(memo))
    assert memo.recall() is None


def test_output_with_a_lone_surrogate_round_trips(plans: Path) -> None:
    memo = runcache.open_memo("scan", {"format": "json"}, [str(plans)])
    assert memo is not None
    memo.remember("认定\ud800", _read_as_keyed(memo))
    assert memo.recall() == "认定\ud800"
