"""Scoring properties and explanations of `match`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpers import CIVIL_PLAN as CIVIL
from helpers import departments_of
from painpoint import i18n
from painpoint.match import capability, match_all
from painpoint.orgs import OrgProfile, OrgProject
from painpoint.pipeline import default_segmenter
from painpoint.themes import load_taxonomy

DIGITAL = """示例县数字政府建设三年行动方案
一、建设政务云平台
推进政务数据共享交换，建设一体化政务服务平台，实现一网通办。
二、强化数据安全
建立公共数据分类分级保护制度，加强网络安全防护。
"""

ELDER = OrgProfile(id="elder", name="安康居家照护中心", mission="陪伴长者有尊严地在家变老。",
                   services=("长者上门照护", "长者饭堂"), beneficiaries=("独居长者",),
                   region=("示例省示例市示例县",))
KIDS = OrgProfile(id="kids", name="童伴成长中心", mission="陪伴乡村孩子成长，为他们赋能。",
                  services=("乡村儿童陪伴",), region=("远方省远方市",))
MUSIC = OrgProfile(id="music", name="古典音乐推广协会", mission="让更多人听到交响乐。",
                   services=("音乐会",))


@pytest.fixture(autouse=True)
def _chinese() -> None:
    """These tests read the reason lines in Chinese (tests/match/test_reasons_en.py reads them in English)."""
    i18n.set_language("zh")


_departments = departments_of


def _scores(departments, orgs) -> dict[tuple[str, str], float]:  # type: ignore[no-untyped-def]
    taxonomy = load_taxonomy()
    caps = [capability(o, taxonomy) for o in orgs]
    return {(m.department, m.org_id): m.score
            for m in match_all(departments, caps, taxonomy, default_segmenter().terms)}


def test_scores_are_in_unit_interval_and_ranked() -> None:
    depts = _departments(CIVIL, DIGITAL)
    caps = [capability(o, load_taxonomy()) for o in (ELDER, KIDS, MUSIC)]
    matches = match_all(depts, caps, load_taxonomy(), default_segmenter().terms)
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    civil = sorted((m for m in matches if m.department == "示例县民政局"), key=lambda m: m.rank)
    assert [m.rank for m in civil] == [1, 2, 3]
    assert civil[0].score >= civil[1].score >= civil[2].score
    assert civil[-1].org_id == "music"


def test_adding_an_unrelated_org_changes_no_other_score() -> None:
    depts = _departments(CIVIL, DIGITAL)
    before = _scores(depts, [ELDER, KIDS])
    after = _scores(depts, [ELDER, KIDS, MUSIC])
    assert {k: v for k, v in after.items() if k[1] != "music"} == before


def test_project_on_top_pain_point_raises_score() -> None:
    depts = _departments(CIVIL)
    plain = replace(ELDER, services=(), beneficiaries=())
    with_project = replace(plain, projects=(OrgProject(
        name="农村失能长者上门照护", partners=("示例县民政局",),
        summary="为农村失能老年人提供居家上门照护和助餐服务。"),))
    s_plain = _scores(depts, [plain])[("示例县民政局", "elder")]
    s_project = _scores(depts, [with_project])[("示例县民政局", "elder")]
    assert s_project > s_plain


def test_digital_plan_does_not_pair_with_elderly_care() -> None:
    depts = _departments(CIVIL, DIGITAL)
    scores = _scores(depts, [ELDER, KIDS])
    digital = next(d.name for d in depts if "数据" in d.name or "数字" in d.name)
    assert scores[(digital, "elder")] < 0.2
    assert scores[("示例县民政局", "elder")] > 2 * scores[(digital, "elder")]


def test_local_organization_is_noted_and_far_one_not_vetoed() -> None:
    depts = _departments(CIVIL)
    taxonomy = load_taxonomy()
    caps = [capability(o, taxonomy) for o in (ELDER, KIDS)]
    matches = {m.org_id: m for m in match_all(depts, caps, taxonomy, default_segmenter().terms)}
    assert matches["elder"].local is True
    assert any("本地组织" in r for r in matches["elder"].reasons)
    assert matches["kids"].local is False
    assert any("异地组织" in r for r in matches["kids"].reasons)
    assert matches["kids"].score > 0.2, "far away is a note, not a veto"


def test_explanation_uses_the_plans_words_and_evidence() -> None:
    depts = _departments(CIVIL)
    taxonomy = load_taxonomy()
    m = match_all(depts, [capability(KIDS, taxonomy)], taxonomy, default_segmenter().terms)[0]
    assert m.pain_points and "留守儿童" in "".join(m.pain_points)
    assert any("留守儿童" in t for t in m.plan_terms)
    assert any("用规划的话说" in r for r in m.reasons)
    assert m.evidence and all(e.document == "plan0.txt" and e.line in range(1, 9) for e in m.evidence)


def test_capability_projects_outweigh_mission() -> None:
    taxonomy = load_taxonomy()
    mission_only = OrgProfile(id="m", name="某中心", mission="我们关心农村留守儿童。")
    project = OrgProfile(id="p", name="某中心", mission="我们关心孩子。", projects=(OrgProject(
        name="童伴计划", summary="为农村留守儿童提供陪伴。"),))
    with_partner = replace(project, projects=(replace(project.projects[0], partners=("示例县民政局",)),))
    theme = "留守儿童关爱保护"
    strengths = [capability(o, taxonomy).themes.get(theme, 0.0) for o in (mission_only, project, with_partner)]
    assert 0.0 < strengths[0] < strengths[1] < strengths[2] <= 1.0


def test_matrix_scores_equal_the_pair_by_pair_reference() -> None:
    """pair_scores computes score_pair (+ the openness tie-breaker) for all pairs at once."""
    from pathlib import Path

    import numpy as np

    from painpoint.match.score import OPENNESS_TIE, pair_scores, score_pair
    from painpoint.orgs import load_profiles
    from painpoint.plans.openness import tie_breaker

    root = Path(__file__).resolve().parents[2] / "data"
    plans = [p.read_text(encoding="utf-8") for p in sorted((root / "plans").glob("*.txt"))]
    depts = _departments(*plans)
    taxonomy = load_taxonomy()
    profiles, _ = load_profiles([str(root / "orgs")])
    caps = [capability(o, taxonomy) for o in (*profiles, ELDER, KIDS, MUSIC)]
    rng = np.random.default_rng(7)
    sims = rng.uniform(0.0, 0.4, size=(len(depts), len(caps)))
    got = pair_scores(depts, caps, taxonomy, sims)
    for i, dept in enumerate(depts):
        for j, cap in enumerate(caps):
            score, theme_part, _, _ = score_pair(dept, cap, taxonomy, float(sims[i, j]))
            expected = min(1.0, score + tie_breaker(dept.openness, theme_part > 0, weight=OPENNESS_TIE))
            assert abs(got[i, j] - expected) < 1e-12, (dept.name, cap.org.id)
    assert len(depts) >= 7 and (got > 0.3).sum() >= 10  # real matches among them, not only zeros


def test_matrix_scores_round_exactly_like_the_reference_at_half_way_ties() -> None:
    """Scores constructed to sit on a 4-place rounding boundary round as score_pair's do (the matrix product
    sums in another order and may differ in the last bit; such cells are taken from score_pair)."""
    import dataclasses
    import math
    import random

    import numpy as np

    from painpoint.match.score import OPENNESS_TIE, pair_scores, score_pair
    from painpoint.plans.openness import tie_breaker

    taxonomy = load_taxonomy()
    (dept,) = _departments(CIVIL)
    base = capability(ELDER, taxonomy)
    names = [t.name for t in taxonomy.themes]
    rng = random.Random(7)
    checked = 0
    for _ in range(300):
        themes = rng.sample(names, 6)
        cap = dataclasses.replace(base, themes={t: rng.random() for t in themes})
        needs = {t: rng.random() / 6 for t in themes}
        sims = np.array([[rng.random() * 0.2]])

        # the score rises with the organization's strength in one theme (the needs are renormalised weights,
        # so raising one need lowers the others' and the score need not rise with it)
        def reference(x: float, cap=cap, needs=needs, first=themes[0], sims=sims):  # type: ignore[no-untyped-def]
            d = dataclasses.replace(dept, needs=needs)
            c = dataclasses.replace(cap, themes={**cap.themes, first: x})
            score, part, _, _ = score_pair(d, c, taxonomy, float(sims[0, 0]))
            return min(1.0, score + tie_breaker(d.openness, part > 0, weight=OPENNESS_TIE)), d, c

        lo, hi = 0.0, 1.0
        low, high = round(reference(lo)[0], 4), round(reference(hi)[0], 4)
        if high - low < 2e-4:
            continue
        target = (math.floor(rng.uniform(low, high) * 1e4) + 0.5) / 1e4
        for _ in range(80):  # bisect the strength until the score sits on the boundary
            mid = (lo + hi) / 2
            if mid in (lo, hi):
                break
            lo, hi = (mid, hi) if reference(mid)[0] < target else (lo, mid)
        for x in (lo, hi):
            expected, d, c = reference(x)
            assert round(float(pair_scores([d], [c], taxonomy, sims)[0, 0]), 4) == round(expected, 4)
            checked += 1
    assert checked > 300


def test_a_field_wide_umbrella_keeps_a_small_share_of_needs_and_groups_of_people_theirs() -> None:
    from painpoint.match.score import UMBRELLA_NEED, _shrink_umbrellas
    from painpoint.themes.taxonomy import parse_taxonomy

    taxonomy = parse_taxonomy(
        "themes:\n  - {name: 民政事业, umbrella: true, departments: [民政局], terms: [民政事业]}\n"
        "  - {name: 社会救助, departments: [民政局], terms: [社会救助]}\n"
        "  - {name: 妇女发展, umbrella: true, population: true, departments: [妇联], terms: [妇女发展]}\n")
    needs = {"民政事业": 0.5, "社会救助": 0.25, "妇女发展": 0.25}
    _shrink_umbrellas(needs, taxonomy)
    assert abs(sum(needs.values()) - 1.0) < 1e-12
    assert needs["民政事业"] < needs["社会救助"] == needs["妇女发展"]
    assert needs["民政事业"] / needs["社会救助"] == pytest.approx(2 * UMBRELLA_NEED)


def test_near_equal_organizations_are_reported_as_ties_with_the_reason() -> None:
    taxonomy = load_taxonomy()
    twin = replace(ELDER, id="elder-twin", name="安康居家照护中心二部")
    depts = departments_of(CIVIL)
    cut = default_segmenter().cut
    caps = [capability(p, taxonomy, cut) for p in (ELDER, twin, KIDS, MUSIC)]
    i18n.set_language("en")
    matches = {m.org_id: m for m in match_all(depts, caps, taxonomy, default_segmenter().terms)}
    assert matches["elder"].score == matches["elder-twin"].score
    assert any("near tie with 安康居家照护中心二部" in r for r in matches["elder"].reasons)
    assert not any("near tie" in r for r in matches["music"].reasons)


def test_matrix_scores_equal_the_reference_with_outline_links() -> None:
    """Needs met through a plan's outline (score.served) are scored alike by the matrix and pair by pair."""
    import numpy as np

    from painpoint.match.score import OPENNESS_TIE, pair_scores, score_pair
    from painpoint.orgs import OrgProfile
    from painpoint.plans.openness import tie_breaker

    depts = _departments("示例县民政事业发展规划\n第一章 加强和创新基层社会治理\n第一节 推动社会组织健康有序发展\n"
                         "第二节 健全志愿服务体系\n第二章 发展养老服务\n发展居家社区养老服务，建设养老服务设施。\n")
    assert depts[0].outline
    taxonomy = load_taxonomy()
    incubator = OrgProfile(id="inc", name="新苗发展中心", mission="陪伴初创机构成长。", services=("社会组织孵化",),
                           region=("远方省",))
    caps = [capability(o, taxonomy) for o in (ELDER, KIDS, MUSIC, incubator)]
    sims = np.full((len(depts), len(caps)), 0.1)
    got = pair_scores(depts, caps, taxonomy, sims)
    for j, cap in enumerate(caps):
        score, part, _, _ = score_pair(depts[0], cap, taxonomy, 0.1)
        assert abs(got[0, j] - min(1.0, score + tie_breaker(depts[0].openness, part > 0, weight=OPENNESS_TIE))) < 1e-12
