"""Segmentation backends: jieba (reference) and rjieba (fast) load the same lexicon and agree."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from painpoint import pipeline
from painpoint.errors import ResourceError
from painpoint.ingest import read_document
from painpoint.plans.structure import parse_plan
from painpoint.report.match import to_json as match_json
from painpoint.report.scan import to_json as scan_json
from painpoint.text import resources
from painpoint.text import segmenter as seg
from painpoint.text.segmenter import Backend

pytest.importorskip("rjieba")

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
ORGS = ROOT / "data" / "orgs"
WHOLE = ["居家社区养老服务", "困境儿童", "农村留守儿童关爱保护", "防灾减灾救灾", "社会工作服务站",
         "政府购买服务", "乡村振兴", "社会组织", "最低生活保障", "事实无人抚养儿童"]


@pytest.fixture(scope="module")
def engines() -> tuple[seg.Segmenter, seg.Segmenter]:
    return pipeline.default_segmenter(Backend.JIEBA), pipeline.default_segmenter(Backend.RJIEBA)


def _sentences(folder: Path) -> list[str]:
    return [s.text for path in sorted(folder.iterdir()) if path.is_file()
            for s in parse_plan(read_document(str(path))).sentences]


def test_both_engines_load_the_same_lexicon(engines: tuple[seg.Segmenter, seg.Segmenter]) -> None:
    reference, fast = engines
    assert reference.backend is Backend.JIEBA and fast.backend is Backend.RJIEBA
    assert reference.lexicon == fast.lexicon
    assert all(entry.freq is not None and entry.freq > 0 for entry in fast.lexicon)
    words = {entry.word for entry in fast.lexicon}
    assert {e.word for e in resources.lexicon()} <= words


def test_compiled_lexicon_is_what_jieba_adds(engines: tuple[seg.Segmenter, seg.Segmenter]) -> None:
    from painpoint.themes.taxonomy import load_taxonomy

    assert seg.compile_lexicon(load_taxonomy().all_terms) == engines[0].lexicon


@pytest.mark.parametrize("term", WHOLE)
def test_lexicon_terms_stay_whole_in_both(term: str, engines: tuple[seg.Segmenter, seg.Segmenter]) -> None:
    for engine in engines:
        assert term in engine.cut(f"县里要重点推进{term}工作，确保取得实效。"), engine.backend


def test_engines_agree_on_every_sample_sentence(engines: tuple[seg.Segmenter, seg.Segmenter]) -> None:
    reference, fast = engines
    sentences = _sentences(PLANS)
    assert len(sentences) > 300
    disagree = [s for s in sentences if reference.terms(s) != fast.terms(s)]
    assert disagree == []


def test_engines_give_the_same_pain_points() -> None:
    jieba_scan = pipeline.scan([str(PLANS)], top=0, cache=False, backend=Backend.JIEBA)
    rjieba_scan = pipeline.scan([str(PLANS)], top=0, cache=False, backend=Backend.RJIEBA)
    assert scan_json(jieba_scan) == scan_json(rjieba_scan)


def test_engines_give_the_same_matches() -> None:
    a = pipeline.match([str(PLANS)], [str(ORGS)], top=0, cache=False, backend=Backend.JIEBA)
    b = pipeline.match([str(PLANS)], [str(ORGS)], top=0, cache=False, backend=Backend.RJIEBA)
    assert match_json(a) == match_json(b)


@pytest.mark.corpus
def test_engines_agree_on_the_corpus(corpus: Path, engines: tuple[seg.Segmenter, seg.Segmenter]) -> None:
    reference, fast = engines
    sentences = _sentences(corpus / "plans")
    assert [s for s in sentences if reference.terms(s) != fast.terms(s)] == []
    paths = [str(corpus / "plans")]
    assert (scan_json(pipeline.scan(paths, cache=False, backend=Backend.JIEBA))
            == scan_json(pipeline.scan(paths, cache=False, backend=Backend.RJIEBA)))


@pytest.mark.parametrize("backend", [Backend.JIEBA, Backend.RJIEBA])
def test_newlines_separate_segmentation(backend: Backend) -> None:
    # KnownTerms relies on it: a department text's terms are its sentences' terms, in order
    segmenter = pipeline.default_segmenter(backend)
    for path in sorted(PLANS.iterdir()):
        texts = [s.text for s in parse_plan(read_document(str(path))).sentences]
        assert segmenter.terms("\n".join(texts)) == [t for text in texts for t in segmenter.terms(text)]


def test_known_terms_cover_every_department_and_match_plain_segmentation() -> None:
    from painpoint.match import build_departments
    from painpoint.themes.taxonomy import load_taxonomy

    result = pipeline.match([str(PLANS)], [str(ORGS)], top=0, cache=False)
    segmenter = pipeline.default_segmenter()
    terms = [pipeline.department_terms(sp.plan, segmenter) for sp in result.plans]
    departments = build_departments(result.plans, load_taxonomy())
    known = pipeline.KnownTerms(segmenter, result.plans, terms, departments)
    assert len(known._known) == len(departments)
    for dept in departments:
        assert Counter(known(dept.text)) == Counter(segmenter.terms(dept.text))
    assert known("一段不认识的文字：养老服务") == segmenter.terms("一段不认识的文字：养老服务")


def test_known_terms_give_the_same_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = pipeline.match([str(PLANS)], [str(ORGS)], top=0, cache=False)

    class Plain:
        def __init__(self, segmenter, *args) -> None:  # type: ignore[no-untyped-def]
            self.segmenter = segmenter

        def __call__(self, text: str) -> list[str]:
            return self.segmenter.terms(text)

    monkeypatch.setattr(pipeline, "KnownTerms", Plain)
    assert match_json(pipeline.match([str(PLANS)], [str(ORGS)], top=0, cache=False)) == match_json(fast)


def test_auto_prefers_rjieba() -> None:
    assert seg.resolve_backend(Backend.AUTO) is Backend.RJIEBA
    assert seg.resolve_backend("jieba") is Backend.JIEBA


def test_missing_engine_is_a_resource_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "rjieba" else real(name, *a))
    assert seg.resolve_backend(Backend.AUTO) is Backend.JIEBA
    with pytest.raises(ResourceError, match="rjieba"):
        seg.resolve_backend(Backend.RJIEBA)


def test_segmenter_without_a_compiled_lexicon_compiles_one() -> None:
    from painpoint.themes.taxonomy import load_taxonomy

    fresh = seg.Segmenter(load_taxonomy().all_terms, Backend.RJIEBA)
    assert fresh.lexicon == pipeline.default_segmenter(Backend.JIEBA).lexicon
    assert fresh.engine.startswith("rjieba")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_cli_import_stays_light() -> None:
    loaded = _run("import sys, painpoint.cli; print(' '.join(sorted(m for m in ('jieba', 'rjieba', "
                  "'rjieba.rjieba', 'sklearn', 'pypdf', 'docx', 'bs4', 'lxml', 'numpy', 'opencc') "
                  "if m in sys.modules)))")
    assert loaded == ""


def test_rjieba_imports_normally_after_painpoint_loaded_it() -> None:
    out = _run("from painpoint.text.segmenter import _rjieba_class; cls = _rjieba_class(); "
               "import rjieba; print(rjieba.Jieba is cls, rjieba.cut('乡村振兴战略') != [])")
    assert out == "True True"
