"""The numpy TF-IDF of `match` against scikit-learn's, and the explained-pairs filter of match_all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from painpoint.match import capability, match_all
from painpoint.match import score as score_module
from painpoint.pipeline import KnownTerms, _scan, default_segmenter, load_orgs
from painpoint.themes import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    """(departments, capabilities, analyzer) of the sample county in data/."""
    taxonomy = load_taxonomy()
    result, terms = _scan([str(ROOT / "data" / "plans")], top=10, progress=lambda *a: None, taxonomy=taxonomy,
                          segmenter=None, cache=False, jobs=1, backend="auto", with_terms=True)
    profiles, errors = load_orgs([str(ROOT / "data" / "orgs")])
    assert not errors
    departments = score_module.build_departments(result.plans, taxonomy)
    segmenter = default_segmenter()
    caps = [capability(p, taxonomy, segmenter.cut) for p in profiles]
    return departments, caps, KnownTerms(segmenter, result.plans, terms, departments)


def _sklearn(departments, caps, analyzer) -> np.ndarray:  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True)
    d, o = vec.fit_transform([d.text for d in departments]), vec.transform([c.text for c in caps])
    # each term's weight scaled by its general-language specificity (at most 1), as documented
    spec = score_module._specificity(sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__))
    return cosine_similarity(d.multiply(spec).tocsr(), o.multiply(spec).tocsr())


def test_a_shared_common_word_says_less_than_a_shared_specific_one() -> None:
    from painpoint.orgs import OrgProfile

    taxonomy = load_taxonomy()
    dept = score_module.Department("示例县卫生健康局", ("a.txt",), (), {}, None, "提高居民健康素养，开展尘肺病筛查。")
    common = capability(OrgProfile(id="a", name="甲", mission="服务社区居民。"), taxonomy)
    specific = capability(OrgProfile(id="b", name="乙", mission="关注尘肺病患者。"), taxonomy)
    spec = score_module._specificity(["居民", "尘肺病"])
    assert spec[0] < 1.0 and spec[1] == 1.0
    sims = score_module._similarities([dept], [common, specific], default_segmenter().terms)
    assert 0 < sims[0, 0] < sims[0, 1]


def test_numpy_tfidf_equals_scikit_learn(sample) -> None:  # type: ignore[no-untyped-def]
    departments, caps, analyzer = sample
    expected = _sklearn(departments, caps, analyzer)
    got = score_module._similarities(departments, caps, analyzer)
    assert got.shape == (len(departments), len(caps))
    assert expected.max() > 0.1  # the sample shares real wording, not only zeros
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_sparse_path_equals_dense_path(sample, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    departments, caps, analyzer = sample
    dense = score_module._similarities(departments, caps, analyzer)
    monkeypatch.setattr(score_module, "DENSE_SIMILARITY_CELLS", 0)
    sparse = score_module._similarities(departments, caps, analyzer)
    np.testing.assert_allclose(sparse, dense, rtol=0, atol=1e-9)


def test_one_department_and_no_words() -> None:
    taxonomy = load_taxonomy()
    dept = score_module.Department("示例县民政局", ("a.txt",), (), {}, None, "")
    caps = [capability(p, taxonomy) for p in load_orgs([str(ROOT / "data" / "orgs")])[0][:2]]
    assert score_module._similarities([dept], caps, default_segmenter().terms).tolist() == [[0.0, 0.0]]
    assert score_module._similarities([], caps, default_segmenter().terms).shape == (0, 2)


def test_keep_explains_only_kept_pairs_with_unchanged_ranks(sample) -> None:  # type: ignore[no-untyped-def]
    departments, caps, analyzer = sample
    taxonomy = load_taxonomy()
    everything = match_all(departments, caps, taxonomy, analyzer)
    top2 = match_all(departments, caps, taxonomy, analyzer, keep=lambda rank, org: rank <= 2)
    assert top2 == [m for m in everything if m.rank <= 2]
    one = caps[0].org.id
    assert match_all(departments, caps, taxonomy, analyzer, keep=lambda rank, org: org == one) == [
        m for m in everything if m.org_id == one]
    assert match_all(departments, caps, taxonomy, analyzer, limit=2) == top2
    asked: list[int] = []
    match_all(departments, caps, taxonomy, analyzer, keep=lambda rank, org: asked.append(rank) or True, limit=3)
    assert max(asked) == 3 and len(asked) == 3 * len(departments)


def test_known_counts_equal_counting_the_terms(sample) -> None:  # type: ignore[no-untyped-def]
    """KnownTerms.counts gives Counter(analyzer(text)) exactly, keys in the same order (the TF-IDF columns)."""
    from collections import Counter

    departments, caps, analyzer = sample
    assert hasattr(analyzer, "counts")
    for text in [d.text for d in departments] + [c.text for c in caps]:
        expected = Counter(analyzer(text))
        got = analyzer.counts(text)
        assert got == expected and list(got) == list(expected)


def test_taxonomy_terms_inside_a_longer_term_are_its_parts() -> None:
    taxonomy = load_taxonomy()
    parts = score_module.term_parts(taxonomy)
    words = set(taxonomy.all_terms)
    long_terms = [w for w in words if len(w) >= 6 and any(w[:k] in words for k in range(2, len(w)))]
    assert long_terms
    for term in long_terms[:50]:
        got = parts(term)
        assert got and term not in got and all(p in words and p in term for p in got)
    assert parts("社会组织健康有序发展")[0] == "社会组织"
    assert "未成年人保护法" not in words and parts("未成年人保护法") == ("未成年人保护",)  # any longer word
    assert parts("不在分类中的长短语") == () and parts("养老") == ()


def test_a_plan_and_a_profile_sharing_only_a_term_inside_compounds_resemble_each_other() -> None:
    from painpoint.orgs import OrgProfile

    taxonomy = load_taxonomy()
    dept = score_module.Department("示例县民政局", ("a.txt",), (), {}, None, "推动社会组织健康有序发展。")
    org = capability(OrgProfile(id="a", name="甲", mission="社会组织能力建设。"), taxonomy)
    terms = default_segmenter().terms
    assert "社会组织" not in terms(dept.text) and "社会组织" not in terms(org.text)  # kept whole by the segmenter
    assert score_module._similarities([dept], [org], terms)[0, 0] == 0.0
    assert score_module._similarities([dept], [org], terms, score_module.term_parts(taxonomy))[0, 0] > 0.0
