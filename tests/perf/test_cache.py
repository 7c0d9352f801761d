"""The result cache: hits, invalidation, broken and tampered entries, concurrent writers, size bound."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from painpoint import cache, pipeline
from painpoint.plans.codec import sentences_at
from painpoint.report.scan import to_json
from painpoint.themes.codec import decode_document, encode_document

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"


def _entries(root: Path, kind: str = "plan") -> list[Path]:
    return sorted((root / "v1" / kind).rglob("*.entry"))


def _no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any analysis fail loudly: a run that passes must have read everything from the cache."""
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("analysed a document that should have come from the cache")

    monkeypatch.setattr(pipeline, "collect_signals", boom)
    monkeypatch.setattr(pipeline, "parse_plan", boom)


@pytest.fixture
def cache_dir() -> Path:
    return Path(os.environ["PAINPOINT_CACHE_DIR"])


def test_second_run_is_served_from_the_cache(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    first = pipeline.scan([str(PLANS)])
    assert len(_entries(cache_dir)) == len(first.plans) == 9
    _no_analysis(monkeypatch)
    second = pipeline.scan([str(PLANS)])
    assert to_json(second) == to_json(first)
    assert [sp.plan for sp in second.plans] == [sp.plan for sp in first.plans]


def test_no_cache_neither_reads_nor_writes(cache_dir: Path) -> None:
    pipeline.scan([str(PLANS)], cache=False)
    assert _entries(cache_dir) == []


def test_cache_dir_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv(cache.CACHE_ENV, str(elsewhere))
    assert cache.default_cache_dir() == elsewhere
    pipeline.scan([str(PLANS / "shili_health_14th.txt")])
    assert len(_entries(elsewhere)) == 1


def test_user_cache_dir_without_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache.default_cache_dir() == tmp_path / "xdg" / "painpoint"
    else:
        assert cache.default_cache_dir().name in ("painpoint", "Cache")


def test_changed_file_is_analysed_again(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text("示例县民政局2025年工作要点\n一、发展居家社区养老服务\n新建老年助餐点25个。\n",
                    encoding="utf-8")
    before = pipeline.scan([str(plan)])
    plan.write_text("示例县民政局2025年工作要点\n一、加强困境儿童保障\n建设儿童之家10个。\n",
                    encoding="utf-8")
    after = pipeline.scan([str(plan)])
    assert before.plans[0].plan.sentences != after.plans[0].plan.sentences
    assert after.plans[0].plan == pipeline.scan([str(plan)], cache=False).plans[0].plan


@pytest.mark.parametrize("change", ["lexicon", "library"])
def test_lexicon_or_library_change_invalidates(monkeypatch: pytest.MonkeyPatch, cache_dir: Path,
                                               change: str) -> None:
    from painpoint.text import segmenter

    pipeline.scan([str(PLANS)])
    if change == "lexicon":
        # a new lexicon, taxonomy or code version changes the package digest, which every key contains
        monkeypatch.setattr(cache, "package_digest", lambda: "another-lexicon")
    else:  # a new pypdf or charset-normalizer may read the same bytes differently
        monkeypatch.setattr(segmenter, "libraries_version", lambda: "pypdf=999")
    analysed = []
    real = pipeline.collect_signals

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        analysed.append(args[0].path)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "collect_signals", counting)
    pipeline.scan([str(PLANS)])
    assert len(analysed) == 9
    assert len(_entries(cache_dir)) == 18  # the old entries stay until the size bound removes them


def test_package_digest_covers_packaged_data(tmp_path: Path) -> None:
    import painpoint

    copy = tmp_path / "painpoint"
    shutil.copytree(Path(painpoint.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.tree_digest(copy)
    lexicon = copy / "resources" / "lexicon.txt"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "新词汇 100 nz\n", encoding="utf-8")
    assert cache.tree_digest(copy) != before


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_broken_entry_is_rebuilt(damage: str, cache_dir: Path) -> None:
    first = pipeline.scan([str(PLANS)])
    for entry in _entries(cache_dir):
        data = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            entry.write_bytes(data[:-10] + bytes(b ^ 0xFF for b in data[-10:]))
        elif damage == "garbage":
            entry.write_bytes(os.urandom(len(data)))
        else:
            entry.write_bytes(b"")
    second = pipeline.scan([str(PLANS)])
    assert to_json(second) == to_json(first)
    # rebuilt: every entry is whole again and decodes
    for entry in _entries(cache_dir):
        assert cache._unwrap(entry.read_bytes()) is not None


def _rewrite(entry: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Change an entry's content and give it a valid checksum: what a tamperer or a bug would write."""
    payload = cache._unwrap(entry.read_bytes())
    assert payload is not None
    data = json.loads(zlib.decompress(payload))
    new = zlib.compress(json.dumps(change(data), ensure_ascii=False).encode("utf-8"))
    entry.write_bytes(cache._MAGIC + hashlib.sha256(new).digest() + new)


def _sentences(data, **change):  # type: ignore[no-untyped-def]
    """The entry with some sentence columns changed: a column given as None is removed; a one-item list
    replaces the column's first value; an empty list empties the column."""
    columns = data[0][sentences_at()]
    for name, value in change.items():
        if value is None:
            del columns[name]
        elif value:
            columns[name][0] = value[0]
        else:
            columns[name] = []
    return data


@pytest.mark.parametrize("change", [
    pytest.param(lambda d: d[:2], id="missing part"),
    pytest.param(lambda d: [d[0][:3], d[1], d[2]], id="plan fields cut"),
    pytest.param(lambda d: [d[0], {**d[1], "theme_mass": {"社会救助": "很多"}}, d[2]], id="wrong type"),
    pytest.param(lambda d: [d[0], {**d[1], "theme_sentences": [["社会救助"], [1], [1.0], [99999]]}, d[2]],
                 id="index out of range"),
    pytest.param(lambda d: [d[0], {**d[1], "extra": 1}, d[2]], id="unknown field"),
    pytest.param(lambda d: {"__class__": "os.system", "args": ["echo pwned"]}, id="not a list"),
    pytest.param(lambda d: _sentences(d, section=[10_000]), id="heading path out of its table"),
    pytest.param(lambda d: _sentences(d, kind=["shout"]), id="unknown sentence kind"),
    pytest.param(lambda d: _sentences(d, line=["3"]), id="line number as text"),
    pytest.param(lambda d: _sentences(d, original=None), id="sentence column missing"),
    pytest.param(lambda d: _sentences(d, text=[]), id="columns of unequal length"),
])
def test_tampered_entry_with_valid_checksum_is_rebuilt(change, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = str(PLANS / "shili_civil_affairs_2025.txt")
    first = pipeline.scan([path])
    (entry,) = _entries(cache_dir)
    _rewrite(entry, change)
    with pytest.raises(cache.CacheEntryError):
        decode_document(cache._unwrap(entry.read_bytes()) or b"", path)
    second = pipeline.scan([path])
    assert to_json(second) == to_json(first)
    assert decode_document(cache._unwrap(entry.read_bytes()) or b"", path)[0] == first.plans[0].plan


def test_entry_for_another_path_is_not_used(tmp_path: Path, cache_dir: Path) -> None:
    # the department may come from the file name: the same bytes under another name are another entry
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    text = (PLANS / "shili_health_14th.txt").read_text(encoding="utf-8")
    a.write_text(text, encoding="utf-8")
    b.write_text(text, encoding="utf-8")
    result = pipeline.scan([str(a), str(b)])
    # both analysed and cached, each under its own path; the copy is then counted once (a duplicate)
    assert [sp.plan.path for sp in result.plans] == [str(a)]
    assert [(s.path, s.duplicate_of) for s in result.skipped] == [(str(b), str(a))]
    assert len(_entries(cache_dir)) == 2


def test_round_trip_is_exact() -> None:
    from painpoint.ingest import read_document
    from painpoint.plans.structure import parse_plan
    from painpoint.themes.extract import collect_signals
    from painpoint.themes.taxonomy import load_taxonomy

    segmenter = pipeline.default_segmenter()
    for path in sorted(PLANS.iterdir()):
        plan = parse_plan(read_document(str(path)))
        signals = collect_signals(plan, load_taxonomy(), segmenter)
        terms = pipeline.department_terms(plan, segmenter)
        back = decode_document(encode_document(plan, signals, terms), str(path))
        assert back[0] == plan
        assert vars(back[1]) == vars(signals)
        assert back[2] == terms
        assert all(type(pair) is tuple for pairs in back[1].phrase_sentences.values() for pair in pairs)


def _writer(root: str, key: str, seed: int, rounds: int) -> None:
    store = cache.Store(Path(root))
    for i in range(rounds):
        store.put("plan", key, bytes([seed]) * (200_000 + 1000 * (i % 7)))


def test_concurrent_writers_never_expose_a_partial_entry(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / "c")
    key = cache.store_key("same", "key")
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(str(tmp_path / "c"), key, seed, 60))
               for seed in (1, 2, 3)]
    for w in writers:
        w.start()
    seen = set()
    while any(w.is_alive() for w in writers):
        payload = store.get("plan", key)
        if payload is not None:
            assert len(set(payload)) == 1 and len(payload) >= 200_000  # one writer's whole payload
            seen.add(payload[0])
    for w in writers:
        w.join()
        assert w.exitcode == 0
    assert store.get("plan", key) is not None
    assert not list((tmp_path / "c").rglob(".tmp-*")), "temporary files left behind"


def test_concurrent_runs_share_a_cache(cache_dir: Path) -> None:
    env = dict(os.environ, PAINPOINT_CACHE_DIR=str(cache_dir))
    painpoint = str(Path(sys.executable).parent / "painpoint")
    cmd = [painpoint, "scan", str(PLANS), "--format", "json", "--jobs", "1"]
    runs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0], [err.decode() for _, err in outputs]
    reference = subprocess.run([*cmd, "--no-cache"], env=env, capture_output=True, check=True).stdout
    assert all(out == reference for out, _ in outputs)
    again = subprocess.run(cmd, env=env, capture_output=True, check=True).stdout
    assert again == reference


def test_size_bound_removes_least_recently_used(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / "c", max_bytes=10_000)
    keys = [cache.store_key(str(i)) for i in range(6)]
    for i, key in enumerate(keys):
        store.put("plan", key, bytes(3_000))
        os.utime(store._path("plan", key), (1_000_000 + i, 1_000_000 + i))
    assert store.get("plan", keys[0]) is not None  # touched: now the most recently used
    removed = store.prune()
    assert removed >= 3
    assert store.size() <= 8_000
    assert store.get("plan", keys[0]) is not None
    assert store.get("plan", keys[1]) is None


def test_size_bound_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.MAX_BYTES_ENV, "0.5")
    store = cache.open_store(root=tmp_path / "c")
    assert store is not None and store.max_bytes == 512 * 1024


def test_stale_temporary_files_are_cleaned(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / "c", max_bytes=1)
    store.put("plan", cache.store_key("x"), b"payload")
    stale = store._path("plan", cache.store_key("x")).parent / ".tmp-dead.part"
    stale.write_bytes(b"half an entry")
    os.utime(stale, (1_000_000, 1_000_000))
    store.prune()
    assert not stale.exists()


def test_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    result = pipeline.scan([str(PLANS / "shili_health_14th.txt")])
    assert len(result.plans) == 1 and not result.errors


def test_compiled_idf_is_rebuilt_when_broken(cache_dir: Path) -> None:
    from painpoint.text import resources

    table = resources.background_idf()
    (entry,) = [e for e in _entries(cache_dir, "dict")
                if resources.decode_idf(cache._unwrap(e.read_bytes()) or b"")]
    entry.write_bytes(entry.read_bytes()[:-100])
    assert resources.background_idf() == table
    assert resources.decode_idf(cache._unwrap(entry.read_bytes()) or b"") == table


def test_signals_count_the_department_terms_in_the_same_pass() -> None:
    """collect_signals(..., terms=) counts exactly what department_terms counts, in the same order."""
    from collections import Counter

    from painpoint.ingest import read_document
    from painpoint.plans import parse_plan
    from painpoint.themes.extract import collect_signals
    from painpoint.themes.taxonomy import load_taxonomy

    segmenter = pipeline.default_segmenter()
    for path in sorted(PLANS.iterdir()):
        plan = parse_plan(read_document(str(path)))
        counted: Counter[str] = Counter()
        with_terms = collect_signals(plan, load_taxonomy(), segmenter, counted)
        expected = pipeline.department_terms(plan, segmenter)
        assert counted == expected and list(counted) == list(expected) and sum(counted.values()) > 100
        assert with_terms == collect_signals(plan, load_taxonomy(), segmenter)
