"""The results store: written as a run goes, resumed without redoing finished documents, read back as plans."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint import pipeline
from painpoint.cli import app
from painpoint.storage.primitives import Busy, exclusive_lock, replace_atomically, sealed, unsealed
from painpoint.storage.results import APPLICATION_ID, SCHEMA_VERSION, ResultStore

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
ORGS = ROOT / "data" / "orgs"

runner = CliRunner()


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    return folder


class Analyses:
    """Counts the documents actually analysed (read, parsed, segmented), by path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: Counter[str] = Counter()
        real = pipeline._Analysis.compute

        def compute(analysis: pipeline._Analysis, path: str, digest: str | None) -> object:
            self.paths[path] += 1
            return real(analysis, path, digest)

        monkeypatch.setattr(pipeline._Analysis, "compute", compute)


def _match(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["match", "--orgs", str(ORGS), "--no-cache", "--jobs", "1", "--format", "json",
                               *args])


def _rows(store: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(store) as db:
        return db.execute(sql).fetchall()


def _documents(store: Path) -> list[str]:
    return [r[0] for r in _rows(store, "SELECT path FROM documents ORDER BY path")]


def _last_run(store: Path) -> dict[str, object]:
    with ResultStore.open(store, write=False) as opened:
        return opened.runs()[-1]


def test_a_store_is_written_and_read_back_as_the_files_give(plans: Path, tmp_path: Path) -> None:
    store = tmp_path / "results.db"
    plain = _match("--plans", str(plans))
    recorded = _match("--plans", str(plans), "--store", str(store))
    assert plain.exit_code == recorded.exit_code == 0, recorded.output
    assert recorded.stdout == plain.stdout  # recording changes nothing in the output
    assert "store" not in plain.stderr and "9 added" in recorded.stderr
    files = sorted(str(p) for p in plans.iterdir())
    assert _documents(store) == files
    with ResultStore.open(store, write=False) as opened:
        assert [r["name"] for r in opened.rows("departments")] == [d["name"] for d in
                                                                   json.loads(plain.stdout)["departments"]]
        assert len(opened.rows("matches")) == len(json.loads(plain.stdout)["matches"])
        assert opened.rows("pain_points") and opened.rows("evidence")
    for fmt in ("json", "csv", "md"):
        from_files = _match("--plans", str(plans), "--format", fmt)
        from_store = _match("--plans", str(store), "--format", fmt)
        assert from_store.exit_code == 0, from_store.output
        assert from_store.stdout == from_files.stdout
    # links and scan read it too
    for command in (["links", "--orgs", str(ORGS), "--format", "json", "--plans"], ["scan", "--format", "json"]):
        assert runner.invoke(app, [*command, str(store)]).stdout == runner.invoke(app, [*command, str(plans)]).stdout


def test_report_from_a_store_writes_the_same_files(plans: Path, tmp_path: Path) -> None:
    store = tmp_path / "r.db"
    first = runner.invoke(app, ["report", "--plans", str(plans), "--orgs", str(ORGS), "--out", str(tmp_path / "a"),
                                "--no-cache", "--store", str(store)])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["report", "--plans", str(store), "--orgs", str(ORGS), "--out", str(tmp_path / "b")])
    assert again.exit_code == 0, again.output
    for name in ("matches.json", "matches.csv", "matches.xlsx", "report.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_an_existing_store_is_refused_without_resume(plans: Path, tmp_path: Path) -> None:
    store = tmp_path / "results.db"
    assert _match("--plans", str(plans), "--store", str(store)).exit_code == 0
    before = store.read_bytes()
    again = _match("--plans", str(plans), "--store", str(store))
    assert again.exit_code == 2
    assert f"{store}: results store already holds 1 run(s)" in again.stderr and "--resume" in again.stderr
    assert store.read_bytes() == before
    assert _match("--plans", str(plans), "--resume").exit_code == 2  # --resume without --store
    same = _match("--plans", str(store), "--store", str(store), "--resume")
    assert same.exit_code == 2 and "both --store and a plan source" in same.stderr


def test_resume_analyses_only_new_and_changed_plans_and_drops_removed_ones(
        plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "results.db"
    analyses = Analyses(monkeypatch)
    assert _match("--plans", str(plans), "--store", str(store)).exit_code == 0
    files = sorted(plans.iterdir())
    assert sorted(analyses.paths) == [str(p) for p in files] and set(analyses.paths.values()) == {1}

    # nothing changed: nothing analysed, the output is what a fresh run gives
    analyses.paths.clear()
    resumed = _match("--plans", str(plans), "--store", str(store), "--resume")
    assert resumed.exit_code == 0 and not analyses.paths
    run = _last_run(store)
    assert (run["added"], run["changed"], run["unchanged"], run["removed"]) == (0, 0, len(files), 0)

    # one changed, one removed, one added: only the changed and the added one are analysed
    changed, removed = files[0], files[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n加强养老服务体系建设。\n", encoding="utf-8")
    removed.unlink()
    added = plans / "zz_added.txt"
    shutil.copy(files[2], added)
    with added.open("a", encoding="utf-8") as fh:  # a plan of its own: an identical copy would count once
        fh.write("\n推进社区服务设施建设。\n")
    analyses.paths.clear()
    resumed = _match("--plans", str(plans), "--store", str(store), "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert sorted(analyses.paths) == sorted([str(changed), str(added)])
    run = _last_run(store)
    assert (run["added"], run["changed"], run["unchanged"], run["removed"]) == (1, 1, len(files) - 2, 1)
    assert "1 added, 1 changed, 7 unchanged, 1 removed" in resumed.stderr
    assert _documents(store) == sorted(str(p) for p in plans.iterdir())
    assert resumed.stdout == _match("--plans", str(plans)).stdout  # ranked again over the new set


def test_a_run_killed_mid_way_keeps_what_it_finished_and_resume_finishes_it(plans: Path, tmp_path: Path) -> None:
    store = tmp_path / "results.db"
    script = tmp_path / "killed.py"
    # a real SIGKILL after the third document is recorded: no exception handler or atexit runs
    script.write_text(
        "import os, signal, sys\n"
        "from painpoint import pipeline\n"
        "real, seen = pipeline._record, []\n"
        "def record(store, path, outcome):\n"
        "    real(store, path, outcome)\n"
        "    seen.append(path)\n"
        "    if len(seen) == 3:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "pipeline._record = record\n"
        "from painpoint.cli import main\n"
        f"sys.argv = ['painpoint', 'match', '--plans', {str(plans)!r}, '--orgs', {str(ORGS)!r}, '--no-cache',\n"
        f"            '--jobs', '1', '--store', {str(store)!r}]\n"
        "main()\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    killed = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, timeout=300)
    assert killed.returncode == -9, killed.stderr.decode()
    files = sorted(str(p) for p in plans.iterdir())
    assert _documents(store) == files[:3]
    assert _last_run(store)["finished"] is None  # the run log shows it was interrupted

    # resumed in a fresh process like the killed one: the analysis version (segmenter, lexicon) is the same by
    # construction, whatever earlier tests set up in this one
    resume = [sys.executable, "-m", "painpoint", "match", "--orgs", str(ORGS), "--no-cache", "--jobs", "1",
              "--format", "json", "--plans", str(plans), "--store", str(store), "--resume"]
    resumed = subprocess.run(resume, env=env, capture_output=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr.decode()
    run = _last_run(store)
    assert (run["added"], run["unchanged"], run["removed"]) == (6, 3, 0)  # nothing redone: 3 kept, 6 analysed
    assert _documents(store) == files  # nothing lost, nothing twice (path is the key)
    assert _rows(store, "SELECT count(*), count(DISTINCT digest) FROM documents") == [(9, 9)]
    plain = subprocess.run(resume[:-3], env=env, capture_output=True, timeout=300)
    assert resumed.stdout == plain.stdout


def test_an_interrupted_run_keeps_finished_documents(plans: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from painpoint.runstore import RunStore

    store = tmp_path / "results.db"
    real, seen = pipeline._Analysis.compute, []

    def compute(analysis: pipeline._Analysis, path: str, digest: str | None) -> object:
        if len(seen) == 4:
            raise KeyboardInterrupt
        seen.append(path)
        return real(analysis, path, digest)

    monkeypatch.setattr(pipeline._Analysis, "compute", compute)
    with pytest.raises(KeyboardInterrupt), closing(RunStore(store)) as opened:
        pipeline.match([str(plans)], [str(ORGS)], cache=False, store=opened)
    assert _documents(store) == sorted(seen)


def test_the_schema_version_is_checked_and_a_newer_store_refused(plans: Path, tmp_path: Path) -> None:
    store = tmp_path / "results.db"
    assert _match("--plans", str(plans), "--store", str(store)).exit_code == 0
    assert _rows(store, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert _rows(store, "PRAGMA application_id") == [(APPLICATION_ID,)]
    with sqlite3.connect(store) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    for args in (["--plans", str(plans), "--store", str(store), "--resume"], ["--plans", str(store)]):
        refused = _match(*args)
        assert refused.exit_code == 2, refused.output
        assert refused.stderr.strip().splitlines() == [
            f"painpoint: {store}: results store written by a newer painpoint (schema {SCHEMA_VERSION + 1}; this "
            f"painpoint reads schema {SCHEMA_VERSION}) — upgrade painpoint (pip install -U painpoint), or give "
            "another --store file"]


def test_files_that_are_not_stores_are_refused_in_one_line(plans: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    for path, why in ((text, "it is not an SQLite database"), (other, "it is another program's SQLite database"),
                      (damaged, "it is damaged")):
        for args in (["--plans", str(plans), "--store", str(path), "--resume"], ["--plans", str(path)]):
            refused = _match(*args)
            assert refused.exit_code == 1, refused.output
            lines = refused.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"painpoint: {path}: not a painpoint results store: "
                                                            f"{why}"), lines
    assert text.read_text(encoding="utf-8") == "not a database"  # never overwritten


def test_a_damaged_document_is_analysed_again_never_trusted(plans: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "results.db"
    assert _match("--plans", str(plans), "--store", str(store)).exit_code == 0
    victim = sorted(str(p) for p in plans.iterdir())[2]
    with sqlite3.connect(store) as db:
        (blob,) = db.execute("SELECT analysis FROM documents WHERE path = ?", (victim,)).fetchone()
        db.execute("UPDATE documents SET analysis = ? WHERE path = ?", (blob[:-1] + bytes([blob[-1] ^ 1]), victim))
    read = _match("--plans", str(store))
    assert read.exit_code == 1 and f"stored analysis of {victim} is damaged" in read.stderr
    analyses = Analyses(monkeypatch)
    resumed = _match("--plans", str(plans), "--store", str(store), "--resume")
    assert resumed.exit_code == 0 and list(analyses.paths) == [victim]


def test_one_run_writes_a_store_at_a_time(tmp_path: Path) -> None:
    store = tmp_path / "results.db"
    with ResultStore.open(store) as first:
        first.begin("scan", "0", "v")
        with pytest.raises(Exception, match="another painpoint run is writing this results store"):
            ResultStore.open(store, resume=True)
        with ResultStore.open(store, write=False) as reader:  # readers are welcome meanwhile
            assert reader.runs()[0]["finished"] is None


def test_the_shared_primitives(tmp_path: Path) -> None:
    payload = "养老服务".encode()
    data = sealed(b"tag\n", payload)
    assert unsealed(b"tag\n", data) == payload
    assert unsealed(b"tag\n", data[:-1] + b"x") is None and unsealed(b"other\n", data) is None
    target = tmp_path / "a" / "b.bin"
    replace_atomically(target, b"one")
    replace_atomically(target, b"two")
    assert target.read_bytes() == b"two" and sorted(p.name for p in target.parent.iterdir()) == ["b.bin"]
    with exclusive_lock(tmp_path / "lock"):
        with pytest.raises(Busy), exclusive_lock(tmp_path / "lock"):
            pass
    with exclusive_lock(tmp_path / "lock"):  # released when the block ends
        pass


def test_pitch_and_diff_read_stores_as_they_read_files(plans: Path, tmp_path: Path) -> None:
    store = tmp_path / "results.db"
    assert _match("--plans", str(plans), "--store", str(store)).exit_code == 0
    org = sorted(ORGS.iterdir())[0].stem
    pitch = ["pitch", "--org", org, "--department", "民政", "--orgs", str(ORGS), "--plans"]
    from_files, from_store = (runner.invoke(app, [*pitch, str(p)]) for p in (plans, store))
    assert from_store.exit_code == 0, from_store.output
    assert from_store.stdout == from_files.stdout
    assets = ROOT / "tests" / "assets" / "diff"
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    for plan, db in ((assets / "civil_2024.txt", old), (assets / "civil_2025.txt", new)):
        assert runner.invoke(app, ["scan", str(plan), "--no-cache", "--store", str(db)]).exit_code == 0
    by_files = runner.invoke(app, ["diff", str(assets / "civil_2024.txt"), str(assets / "civil_2025.txt"),
                                   "--format", "json"])
    by_stores = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert by_stores.exit_code == 0, by_stores.output
    assert by_stores.stdout == by_files.stdout and json.loads(by_stores.stdout)["departments"]


def test_worker_processes_record_through_the_parent_and_a_store_copies_into_another(plans: Path,
                                                                                    tmp_path: Path) -> None:
    store, copy = tmp_path / "results.db", tmp_path / "copy.db"
    parallel = runner.invoke(app, ["match", "--plans", str(plans), "--orgs", str(ORGS), "--no-cache", "--jobs", "2",
                                   "--format", "json", "--store", str(store)])
    assert parallel.exit_code == 0, parallel.output
    assert parallel.stdout == _match("--plans", str(plans)).stdout
    assert _documents(store) == sorted(str(p) for p in plans.iterdir())
    copied = runner.invoke(app, ["scan", str(store), "--format", "json", "--store", str(copy)])
    assert copied.exit_code == 0, copied.output
    assert _documents(copy) == _documents(store)
    assert runner.invoke(app, ["scan", str(copy), "--format", "json"]).stdout == copied.stdout


def test_a_streamed_match_records_what_a_one_pass_run_records(plans: Path, tmp_path: Path) -> None:
    """With --store, `match` still keeps no plan between its passes; the store's rows equal a one-pass run's
    (a store read back as plans is analysed in one pass and keeps every plan)."""
    from painpoint.runstore import RunStore

    streamed, one_pass = tmp_path / "streamed.db", tmp_path / "one_pass.db"
    with closing(RunStore(streamed)) as store:
        result = pipeline.match([str(plans)], [str(ORGS)], top=0, cache=False, store=store, keep_plans=False)
    assert result.plans == () and result.departments  # no plan kept, yet every table written
    with closing(RunStore(one_pass)) as store:
        pipeline.match([str(streamed)], [str(ORGS)], top=0, cache=False, store=store)
    for table in ("pain_points", "evidence", "departments", "matches"):
        rows = _rows(streamed, f"SELECT * FROM {table}")
        assert rows and rows == _rows(one_pass, f"SELECT * FROM {table}"), table
    paths = [p for (p,) in _rows(streamed, "SELECT path FROM documents ORDER BY position")]
    assert paths == sorted(str(p) for p in plans.iterdir() if p.suffix in {".txt", ".md", ".html"})
