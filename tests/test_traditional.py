"""Traditional Chinese input: analysed in Simplified, shown as written, scored as its Simplified twin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import make_document
from painpoint.cli import app
from painpoint.match import capability, match_all
from painpoint.orgs import load_profiles
from painpoint.pipeline import default_segmenter, scan
from painpoint.plans import parse_plan
from painpoint.text.traditional import (
    compute_traditional_characters,
    is_traditional,
    to_simplified,
    traditional_characters,
)
from painpoint.themes import load_taxonomy

ASSETS = Path(__file__).resolve().parent / "assets" / "traditional"
runner = CliRunner()


def test_packaged_character_list_agrees_with_the_installed_converter() -> None:
    packaged = traditional_characters()
    computed = set(compute_traditional_characters())
    # regenerate resources/traditional_chars.txt with compute_traditional_characters() if this fails;
    # a newer OpenCC may add or drop a handful of rare characters
    assert len(packaged - computed) <= 0.01 * len(packaged)
    assert len(computed - packaged) <= 0.01 * len(computed)
    assert "們" in packaged and "们" not in packaged


@pytest.mark.parametrize(("written", "simplified"), [
    ("為農村留守兒童提供關愛服務", "为农村留守儿童提供关爱服务"),       # standard Traditional
    ("保衞兒童權益", "保卫儿童权益"),                                   # Hong Kong 衞
    ("陪伴著孩子成長", "陪伴着孩子成长"),                               # Taiwan 著
])
def test_to_simplified_reads_every_traditional_variant(written: str, simplified: str) -> None:
    assert is_traditional(written)
    assert to_simplified(written) == simplified


def test_simplified_text_is_left_alone() -> None:
    # OpenCC's t2s turns 破坏土壤 into 破坯土壤: Simplified input must never reach the converter
    for text in ("严厉打击电捕蚯蚓等破坏土壤行为", "显著提升服务能力"):
        assert not is_traditional(text) and to_simplified(text) is text
    # 乾 is Traditional for 干, but OpenCC keeps the name 乾隆
    assert to_simplified("乾隆年间修建的古桥") == "乾隆年间修建的古桥"


def test_conversion_keeps_offsets() -> None:
    text = "為失能老年人提供上門照護服務，推進醫養結合。"
    assert len(to_simplified(text)) == len(text)


@given(st.text(alphabet=st.sampled_from("為兒童們著衞坏乾隆\x00\n\ud800a1。") | st.characters(), max_size=40))
def test_conversion_never_raises_and_keeps_length(text: str) -> None:
    out = to_simplified(text)
    assert len(out) == len(text)
    if not is_traditional(text):
        assert out is text


def test_traditional_plan_gives_the_same_themes_with_evidence_as_written() -> None:
    simplified = scan([str(ASSETS / "plan_simplified.txt")], top=10).plans[0]
    traditional = scan([str(ASSETS / "plan_traditional.txt")], top=10).plans[0]
    assert traditional.plan.department == simplified.plan.department == "示例县民政局"
    assert traditional.plan.responsible_units == simplified.plan.responsible_units
    assert [(p.theme, p.score, p.weight) for p in traditional.pain_points] == \
           [(p.theme, p.score, p.weight) for p in simplified.pain_points]
    for t, s in zip(traditional.pain_points, simplified.pain_points, strict=True):
        assert [e.line for e in t.evidence] == [e.line for e in s.evidence]
        for et, es in zip(t.evidence, s.evidence, strict=True):
            assert to_simplified(et.text) == es.text
            if es.text != et.text:
                assert is_traditional(et.text), "evidence is shown in the original script"
    kids = next(p for p in traditional.pain_points if p.theme == "留守儿童关爱保护")
    assert any("兒童" in e.text for e in kids.evidence)


def test_sentences_keep_the_original_line() -> None:
    plan = parse_plan(make_document("示例縣民政局2025年工作要點\n一、加強農村留守兒童關愛保護\n"
                                    "為失能老年人提供上門照護服務。\n"))
    body = [s for s in plan.sentences if s.original]
    assert body and all(len(s.original or "") == len(s.text) for s in body)
    assert plan.sentences[-1].text == "为失能老年人提供上门照护服务。"
    assert plan.sentences[-1].original == "為失能老年人提供上門照護服務。"
    simplified = parse_plan(make_document("一、发展养老服务\n为失能老年人提供上门照护服务。\n"))
    assert all(s.original is None for s in simplified.sentences)


def test_traditional_profile_scores_exactly_as_its_simplified_twin() -> None:
    taxonomy = load_taxonomy()
    (simplified,), problems_s = load_profiles([str(ASSETS / "profile_simplified.yaml")])
    (traditional,), problems_t = load_profiles([str(ASSETS / "profile_traditional.yaml")])
    assert problems_s == problems_t == []
    assert traditional.kind == simplified.kind, "社會服務機構 is the same legal form"
    cs, ct = capability(simplified, taxonomy), capability(traditional, taxonomy)
    assert ct.themes == cs.themes
    plans = scan([str(ASSETS / "plan_simplified.txt"), str(ASSETS.parent / "links" / "education.txt")]).plans
    from painpoint.match import build_departments

    departments = build_departments(plans, taxonomy)
    ms = match_all(departments, [cs], taxonomy, default_segmenter().terms)
    mt = match_all(departments, [ct], taxonomy, default_segmenter().terms)
    assert [(m.department, m.score, m.theme_score, m.similarity, m.local, m.pain_points) for m in mt] == \
           [(m.department, m.score, m.theme_score, m.similarity, m.local, m.pain_points) for m in ms]
    # display stays in the organization's own script
    assert mt[0].org_name == "向陽家庭綜合服務中心"
    assert any("留守兒童" in t for t in mt[0].org_terms)


def test_cli_matches_a_traditional_profile(tmp_path: Path) -> None:
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "t.yaml").write_bytes((ASSETS / "profile_traditional.yaml").read_bytes())
    result = runner.invoke(app, ["match", "--plans", str(ASSETS / "plan_traditional.txt"),
                                 "--orgs", str(orgs), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (m,) = doc["matches"]
    assert m["department"] == "示例县民政局" and m["score"] > 0.3
    assert "留守儿童关爱保护" in m["pain_points"]
    assert any("兒童" in e["text"] for e in m["evidence"])


def test_office_names_in_traditional_are_no_capability_either() -> None:
    from painpoint.orgs import OrgProfile

    taxonomy = load_taxonomy()
    # 民政部門 ends in 門, not 门: the office test must see the Simplified word
    simplified = OrgProfile(id="s", name="乐龄中心", mission="受民政部门委托为独居长者提供上门探访。")
    traditional = OrgProfile(id="t", name="樂齡中心", mission="受民政部門委託為獨居長者提供上門探訪。")
    assert capability(traditional, taxonomy).themes == capability(simplified, taxonomy).themes
