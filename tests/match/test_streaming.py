"""The streamed match (two passes, no plan held between them) against the one-pass computation it replaces:
heap top-N, department term totals, similarities, pain points and evidence, matches."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from painpoint.match import capability, match_all, streaming
from painpoint.match import score as score_module
from painpoint.match.score import credential_asks
from painpoint.match.streaming import TermVectors, top_n
from painpoint.pipeline import KnownTerms, _scan, default_segmenter, load_orgs, match
from painpoint.themes import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


# ---- heap top-N ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [0, 1, 3, 7, 50, 500])
def test_top_n_equals_full_sort_ties_in_input_order(seed: int, n: int) -> None:
    rng = random.Random(seed)
    # few distinct scores: many ties, which a heap must leave in input order as sorted() does
    items = [(round(rng.choice([0.1, 0.25, 0.5, 0.5, 0.9]), 4), rng.choice("ab"), i) for i in range(200)]

    def key(x: tuple[float, str, int]) -> tuple[float, str]:
        return (-x[0], x[1])

    expected = sorted(items, key=key)[:n] if n > 0 else sorted(items, key=key)
    assert top_n(iter(items), n, key=key) == expected


# ---- a small multi-plan sample: the packaged plans twice, and two of them made one department ----------

@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    folder = tmp_path_factory.mktemp("plans")
    plans = sorted(p for p in (ROOT / "data" / "plans").iterdir() if p.is_file())
    for copy in ("a", "b"):
        (folder / copy).mkdir()
        for p in plans:
            text = p.read_text(encoding="utf-8")
            if copy == "b" and p.suffix == ".txt":  # the copies differ, so their evidence and counts do too
                lines = text.splitlines()
                text = "\n".join(lines[:6] + lines[len(lines) // 2:]) + "\n"
            (folder / copy / p.name).write_text(text, encoding="utf-8")
    # a manifest groups two different plans under one department (members not adjacent in input order)
    txt = [p.name for p in plans if p.suffix == ".txt"]
    (folder / "b" / "plans.yaml").write_text(
        f"{txt[0]}:\n  department: 示例县联合工作组\n{txt[-1]}:\n  department: 示例县联合工作组\n", encoding="utf-8")
    orgs = folder / "orgs"
    shutil.copytree(ROOT / "data" / "orgs", orgs)
    return [str(folder / "a"), str(folder / "b")], [str(orgs)]


def one_pass(plans: list[str], orgs: list[str], top: int = 3):  # type: ignore[no-untyped-def]
    """What match computed before streaming: every plan in memory, departments with their text."""
    taxonomy = load_taxonomy()
    result, terms = _scan(plans, top=10, progress=lambda *a: None, taxonomy=taxonomy, segmenter=None,
                          cache=False, jobs=1, backend="auto", with_terms=True)
    profiles, _errors = load_orgs(orgs)
    departments = score_module.build_departments(result.plans, taxonomy)
    segmenter = default_segmenter()
    caps = [capability(p, taxonomy, segmenter.cut) for p in profiles]
    analyzer = KnownTerms(segmenter, result.plans, terms, departments)
    matches = match_all(departments, caps, taxonomy, analyzer, keep=lambda rank, _org: rank <= top, limit=top)
    return result, departments, caps, analyzer, matches


def test_departments_and_evidence_equal_the_one_pass_ones(sample: tuple[list[str], list[str]]) -> None:
    plans, orgs = sample
    result, departments, _caps, _analyzer, matches = one_pass(plans, orgs)
    assert any(len(d.documents) > 1 for d in departments), "the sample must group plans into departments"
    streamed = match(plans, orgs, top=3, cache=False, keep_plans=False)
    assert streamed.plans == ()
    assert [d.name for d in streamed.departments] == [d.name for d in departments]
    for got, want in zip(streamed.departments, departments, strict=True):
        assert got.documents == want.documents
        assert got.pain_points == want.pain_points  # themes, scores, terms and every evidence sentence
        assert got.needs == want.needs and got.place == want.place and got.openness == want.openness
        assert got.text == "" and got.asks == credential_asks(want.text)
    assert streamed.matches == tuple(matches)
    assert [path for path, _digest in streamed.documents] == [sp.plan.path for sp in result.plans]


def test_kept_plans_equal_a_scan(sample: tuple[list[str], list[str]]) -> None:
    plans, orgs = sample
    result, departments, *_rest = one_pass(plans, orgs)
    kept = match(plans, orgs, top=3, cache=False, keep_plans=True)
    assert kept.plans == result.plans  # input order, pain points ranked against every plan
    assert [d.text for d in kept.departments] == [d.text for d in departments]


def test_department_term_totals_equal(sample: tuple[list[str], list[str]]) -> None:
    plans, orgs = sample
    _result, departments, caps, analyzer, _matches = one_pass(plans, orgs)
    # the streamed totals: each department's plans' counts summed in input order, kept as arrays
    taxonomy = load_taxonomy()
    result, terms = _scan(plans, top=10, progress=lambda *a: None, taxonomy=taxonomy, segmenter=None,
                          cache=False, jobs=1, backend="auto", with_terms=True)
    by_path = {sp.plan.path: t for sp, t in zip(result.plans, terms, strict=True)}
    with TermVectors() as vectors:
        for d in departments:
            total: Counter[str] = Counter()
            for path in d.documents:
                total.update(by_path[path] or ())
            vectors.add(total)
        for row, d in enumerate(departments):
            want = analyzer.counts(d.text)
            got = vectors.counts(row)
            assert got == want and list(got) == list(want)  # same counts, same term order (TF-IDF columns)
        dense = score_module._similarities(departments, caps, analyzer)
        assert np.array_equal(vectors.similarities(caps, analyzer), dense)


def test_sparse_similarities_equal_scikit_learn(sample: tuple[list[str], list[str]],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    plans, orgs = sample
    _result, departments, caps, analyzer, _matches = one_pass(plans, orgs)
    with TermVectors() as vectors:
        for d in departments:
            vectors.add(analyzer.counts(d.text))
        dense = vectors.similarities(caps, analyzer)
        monkeypatch.setattr(streaming, "DENSE_SIMILARITY_CELLS", 0)
        monkeypatch.setattr(score_module, "DENSE_SIMILARITY_CELLS", 0)
        monkeypatch.setattr(TermVectors, "BLOCK", 3)  # several blocks, the last one short
        sparse = vectors.similarities(caps, analyzer)
    assert len(departments) % 3
    reference = score_module._similarities(departments, caps, analyzer)  # scikit-learn's path now
    assert np.allclose(sparse, reference, atol=1e-12)
    assert np.allclose(sparse, dense, atol=1e-12)
    assert sparse.max() > 0.05  # not all zeros


def test_org_view_and_department_filter_equal_one_pass_filtering(sample: tuple[list[str], list[str]]) -> None:
    plans, orgs = sample
    full = match(plans, orgs, top=0, cache=False, keep_plans=True)
    org = full.profiles[0].id
    streamed = match(plans, orgs, org_id=org, top=4, cache=False, keep_plans=False)
    ours = sorted((m for m in full.matches if m.org_id == org), key=lambda m: (-m.score, m.department))[:4]
    assert list(streamed.matches) == ours
    name = full.departments[0].name
    only = match(plans, orgs, department=name, top=0, cache=False, keep_plans=False)
    names = [d.name for d in only.departments]
    assert name in names and len(names) < len(full.departments)
    assert list(only.matches) == [m for m in full.matches if m.department in names]


def test_json_in_parts_is_json_dumps_of_the_whole(sample: tuple[list[str], list[str]]) -> None:
    import json

    from painpoint.report import match as render
    from painpoint.results import Failure, MatchResult

    def whole(result: MatchResult) -> str:
        doc = {"schema": render.MATCH_SCHEMA, "departments": [render.department_json(d) for d in result.departments],
               "matches": [render.match_json(m) for m in result.matches],
               "errors": render.errors_json(result.errors), "skipped": render.skipped_json(result.skipped)}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    plans, orgs = sample
    result = match(plans, orgs, top=2, cache=False, keep_plans=False)
    assert result.departments and result.matches
    assert render.to_json(result) == whole(result)
    empty = MatchResult((), (), (Failure("a.txt", "line 1: bad\nsecond line"),))
    assert render.to_json(empty) == whole(empty)
    json.loads(render.to_json(empty))


def test_cli_json_file_is_streamed_and_equals_stdout(sample: tuple[list[str], list[str]], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from painpoint.cli import app
    from painpoint.report import write

    plans, orgs = sample
    args = ["match", "--plans", plans[0], "--orgs", orgs[0], "-f", "json", "--no-cache", "--top", "2"]
    given: list[object] = []
    original = write.atomic_write

    def recorded(path, data, **kwargs):  # type: ignore[no-untyped-def]
        given.append(data)
        return original(path, data, **kwargs)

    monkeypatch.setattr(write, "atomic_write", recorded)
    runner = CliRunner()
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert not given  # standard output: the text as before
    target = tmp_path / "out.json"
    written = runner.invoke(app, [*args, "-o", str(target)])
    assert written.exit_code == 0, written.output
    assert len(given) == 1 and not isinstance(given[0], str | bytes)  # handed over in pieces
    assert target.read_text(encoding="utf-8") == shown.stdout


def test_scores_in_blocks_of_departments_equal_one_block(sample: tuple[list[str], list[str]],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    plans, orgs = sample
    _result, departments, caps, analyzer, _matches = one_pass(plans, orgs)
    taxonomy = load_taxonomy()
    whole = match_all(departments, caps, taxonomy, analyzer)
    monkeypatch.setattr(score_module, "PAIR_BLOCK", 4)
    assert len(departments) > 8 and len(departments) % 4
    assert match_all(departments, caps, taxonomy, analyzer) == whole
