"""Metric code of `painpoint eval`, on small labelled fixtures of our own."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from painpoint.evaluate import calibration, evaluate, generic_rate, ndcg_at, theme_hits


def test_ndcg_perfect_and_reversed() -> None:
    grades = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at(["a", "b", "c"], grades) == pytest.approx(1.0)
    worst = ndcg_at(["x", "y", "c"], grades)
    ideal = 3 + 2 / math.log2(3) + 1 / 2
    assert worst == pytest.approx((1 / 2) / ideal)
    assert ndcg_at(["a"], {}) is None


def test_theme_hits_match_alternatives_in_theme_or_terms() -> None:
    points = [{"theme": "社会救助", "terms": ["低保", "特困人员"]}, {"theme": "养老服务", "terms": []}]
    assert theme_hits(["最低生活保障|低保", "养老", "殡葬"], points) == 2


def test_generic_rate_counts_generic_and_one_character_labels() -> None:
    points = [{"theme": "推进"}, {"theme": "低保"}, {"theme": "县"}, {"theme": "养老服务"}]
    assert generic_rate(points, {"推进"}) == 0.5
    assert generic_rate([], {"推进"}) == 1.0


def test_calibration_counts_ties_half() -> None:
    assert calibration([0.9, 0.5], [0.5, 0.1]) == pytest.approx((1 + 1 + 0.5 + 1) / 4)
    assert calibration([], [0.1]) == 0.0


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "orgs").mkdir()
    (tmp_path / "plans" / "civil.txt").write_text(textwrap.dedent("""\
        示例县民政局2025年工作要点
        一、补齐农村养老服务短板
        发展居家社区养老服务，新建老年助餐点25个，为失能老年人提供上门照护。
        二、兜牢社会救助底线
        低保对象、特困人员应保尽保。
        """), encoding="utf-8")
    (tmp_path / "plans" / "digital.txt").write_text(textwrap.dedent("""\
        示例县数字政府建设三年行动方案
        一、建设政务云平台
        推进政务数据共享交换，建设一体化政务服务平台，实现一网通办。
        """), encoding="utf-8")
    (tmp_path / "orgs" / "elder.yaml").write_text(
        "id: elder\nname: 安康居家照护中心\nmission: 陪伴长者在家安心变老。\nservices: [长者上门照护, 长者饭堂]\n",
        encoding="utf-8")
    (tmp_path / "orgs" / "music.yaml").write_text(
        "id: music\nname: 古典音乐推广协会\nmission: 让更多人听到交响乐。\n", encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(textwrap.dedent("""\
        generic_terms: [推进, 建设]
        documents:
          civil.txt:
            themes: [养老, 社会救助|低保]
            relevant: {elder: 3}
          digital.txt:
            themes: [数字政府]
        distractors: [digital.txt]
        """), encoding="utf-8")
    return tmp_path


def test_evaluate_on_a_tiny_labelled_corpus(tiny_corpus: Path) -> None:
    scores = evaluate(tiny_corpus, with_baselines=False)
    assert scores["match_ndcg3"] == 1.0
    assert scores["theme_recall10"] == 1.0
    assert scores["generic_rate10"] == 0.0
    assert scores["calibration_auc"] == 1.0
    assert scores["per_document"]["civil.txt"]["themes_found"] == "2/2"


@pytest.mark.corpus
def test_quality_on_the_development_corpus(corpus: Path) -> None:
    """The numbers the issues ask for, on ../shared/corpus (skipped when it is absent)."""
    scores = evaluate(corpus)
    assert scores["theme_recall10"] >= 0.80
    assert scores["generic_rate10"] <= 0.05
    assert scores["match_ndcg3"] >= 0.85
    assert scores["match_ndcg3"] >= scores["baseline_tfidf_ndcg3"] + 0.15
    assert scores["calibration_auc"] >= 0.90
    assert scores["scan_errors"] == 0


def test_held_out_taxonomy_drops_only_the_ngo_terms_found_in_profiles() -> None:
    from painpoint.evaluate import held_out_taxonomy
    from painpoint.themes.taxonomy import parse_taxonomy

    taxonomy = parse_taxonomy(
        "themes:\n  - {name: 养老服务, terms: [养老服务, 老年人], ngo_terms: [长者, 助老, 银发陪伴]}\n")
    reduced, removed = held_out_taxonomy(taxonomy, ["name: 长者之家\nservices: [助老餐桌]\n"])
    assert removed == 2
    assert reduced.by_name["养老服务"].ngo_terms == ("银发陪伴",)
    assert reduced.by_name["养老服务"].terms == ("养老服务", "老年人")


def test_evaluate_reports_the_generalization_check(tiny_corpus: Path) -> None:
    scores = evaluate(tiny_corpus, with_baselines=False)
    held = scores["generalization"]
    assert held["ngo_terms_removed"] >= 1  # 长者 and 长者饭堂 of the tiny profile are taxonomy NGO terms
    assert held["ndcg3_gap"] == round(scores["match_ndcg3"] - held["match_ndcg3"], 3)
    assert set(held) >= {"match_ndcg3", "theme_recall10", "generic_rate10", "calibration_auc"}
    assert "generalization" not in evaluate(tiny_corpus, with_baselines=False, generalization=False)
