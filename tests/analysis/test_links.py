"""Cross-department links: three sample departments of 示例县 share the group 留守儿童."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint.analysis.links import LinkBasis, find_links, link_score
from painpoint.analysis.units import qualified, unit_key
from painpoint.cli import AnalysisFormat, app
from painpoint.report.links import to_html_section

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "links"
COUNTY = [str(ASSETS / n) for n in ("civil.txt", "education.txt", "women.txt")]
ORGS = str(ASSETS / "orgs")
runner = CliRunner()


@pytest.mark.parametrize(("name", "key"), [
    ("县民政局", "民政局"), ("示例县民政局", "民政局"), ("民政局", "民政局"),
    ("县妇联", "妇联"), ("示例县妇女联合会", "妇联"), ("示例县残疾人联合会", "残联"),
    ("团县委", "团委"), ("县委社会工作部", "党委社会工作部"), ("示例县委社会工作部", "党委社会工作部"),
    ("县市场监督管理局", "市场监督管理局"), ("示例县人民政府", "政府"),
])
def test_unit_key_strips_the_place(name: str, key: str) -> None:
    assert unit_key(name) == key


def test_qualified_adds_the_place_of_the_plans() -> None:
    assert qualified("县公安局", "示例县") == "示例县公安局"
    assert qualified("团县委", "示例县") == "团县委"
    assert qualified("县公安局", None) == "县公安局"


def test_three_departments_sharing_left_behind_children_form_the_top_link() -> None:
    result = find_links(COUNTY, [ORGS], top=0)
    assert result.errors == ()
    top = result.links[0]
    assert top.key == "留守儿童关爱保护" and top.place == "示例县"
    assert LinkBasis.THEME in top.basis and LinkBasis.UNITS in top.basis
    read = [m for m in top.members if m.loaded]
    assert {m.department for m in read} == {"示例县民政局", "示例县教育局", "示例县妇女联合会"}
    for m in read:
        assert m.weight > 0 and m.evidence, m
        assert all(e.document.endswith(".txt") and "留守儿童" in e.text for e in m.evidence)
    # each plan names the others on its left-behind-children task
    civil = next(m for m in read if m.department == "示例县民政局")
    assert set(civil.named_by) == {"示例县教育局", "示例县妇女联合会"}


def test_units_named_but_not_read_join_the_link_and_funders_do_not() -> None:
    top = find_links(COUNTY, top=1).links[0]
    named = {m.department for m in top.members if not m.loaded}
    assert {"示例县公安局", "团县委"} <= named
    assert not any("财政" in m.department for m in top.members)
    police = next(m for m in top.members if m.department == "示例县公安局")
    assert police.named_by == ("示例县民政局",) and police.evidence and police.weight == 0.0


def test_organizations_that_serve_every_department_come_with_the_link() -> None:
    top = find_links(COUNTY, [ORGS], top=1).links[0]
    assert [o.org_id for o in top.orgs] == ["tongban"]
    (org,) = top.orgs
    assert org.serves_all and set(org.serves) == {"示例县民政局", "示例县教育局", "示例县妇女联合会"}
    assert org.coverage >= 0.3 and "留守儿童关爱保护" in org.themes


def test_beneficiary_group_link_when_no_theme_states_it() -> None:
    # 失能老年人 in a civil-affairs plan and in a health plan: the group links them even when the wording
    # of their themes differs
    civil = "示例县民政局2025年工作要点\n一、补齐照护短板\n为失能老年人提供上门照护服务。\n"
    health = "示例县卫生健康局2025年工作要点\n一、医养结合\n开展失能老年人健康评估，每年评估不少于3000人。\n"
    links = _links_of(civil, health)
    group = next(link for link in links if link.key == "失能老人")
    assert LinkBasis.BENEFICIARY in group.basis
    assert {m.department for m in group.members} == {"示例县民政局", "示例县卫生健康局"}
    assert all("失能老年人" in m.terms for m in group.members)


def _links_of(*texts: str):  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, text in enumerate(texts):
            p = Path(folder) / f"plan{i}.txt"
            p.write_text(text, encoding="utf-8")
            paths.append(str(p))
        return find_links(paths, top=0).links


def test_departments_of_different_places_are_not_linked() -> None:
    links = find_links([*COUNTY, str(ASSETS / "faraway.txt")], top=0).links
    assert all("远方县民政局" not in link.departments for link in links if len(link.departments) > 1
               and link.place == "示例县")
    assert not any(link.place == "远方县" for link in links), "one department alone is no link"


def test_a_single_plan_links_only_through_named_units() -> None:
    links = find_links([COUNTY[0]], top=0).links
    assert links and all(link.basis == (LinkBasis.UNITS,) for link in links)


def test_score_grows_with_departments_and_their_weights() -> None:
    from painpoint.analysis.links import LinkMember

    def m(name: str, w: float, loaded: bool = True) -> LinkMember:
        return LinkMember(name, loaded, w, (), (), ("x",))

    two = link_score([m("a", 0.05), m("b", 0.05)])
    three = link_score([m("a", 0.05), m("b", 0.05), m("c", 0.05)])
    heavier = link_score([m("a", 0.08), m("b", 0.08)])
    named = link_score([m("a", 0.05), m("b", 0.05), m("c", 0.0, loaded=False)])
    assert three > two and heavier > two and three > named > two


@pytest.mark.parametrize("fmt", list(AnalysisFormat))
def test_every_format_renders(fmt: AnalysisFormat, tmp_path: Path) -> None:
    out = tmp_path / f"links.{fmt.value}"
    args = ["links", "--plans", *[x for p in COUNTY for x in ("--plans", p)][1:], "--orgs", ORGS,
            "--format", fmt.value, "--output", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "留守儿童关爱保护" in text and "示例县教育局" in text


def test_json_contract() -> None:
    args = ["links", *[x for p in COUNTY for x in ("--plans", p)], "--orgs", ORGS, "--format", "json",
            "--top", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "painpoint.links/1" and doc["errors"] == []
    assert len(doc["links"]) == 2 and doc["links"][0]["rank"] == 1
    link = doc["links"][0]
    assert set(link) >= {"key", "basis", "score", "place", "departments", "orgs"}
    assert set(link["departments"][0]) >= {"department", "read", "weight", "terms", "evidence", "named_by"}
    assert set(link["departments"][0]["evidence"][0]) == {"document", "line", "text"}
    assert link["orgs"][0]["org_id"] == "tongban" and link["orgs"][0]["serves_all"] is True
    assert {d["name"] for d in doc["departments"]} == {"示例县民政局", "示例县教育局", "示例县妇女联合会"}
    assert "openness" in doc["departments"][0]


def test_missing_plan_is_reported_and_the_rest_linked(tmp_path: Path) -> None:
    args = ["links", *[x for p in COUNTY for x in ("--plans", p)], "--plans", str(tmp_path / "gone.txt"),
            "--orgs", ORGS, "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["links"]
    assert "gone.txt" in result.stderr and "Traceback" not in result.stderr


def test_no_plans_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["links", "--plans", str(tmp_path), "--orgs", ORGS])
    assert result.exit_code == 1 and "no supported files" in result.stderr


def test_csv_is_a_usage_error() -> None:
    assert runner.invoke(app, ["links", "--plans", COUNTY[0], "--format", "csv"]).exit_code == 2


def test_html_section_escapes_plan_text() -> None:
    links = find_links(COUNTY, [ORGS], top=3).links
    section = to_html_section(links)
    assert section.startswith('<section class="links">') and "留守儿童关爱保护" in section
    assert "“一生一档”" in section or "一生一档" in section
    evil = links[0].members[0]
    from dataclasses import replace

    from painpoint.model import Evidence

    script = Evidence("x.txt", 1, "<script>alert(1)</script>")
    bad = replace(links[0], members=(replace(evil, evidence=(script,)),))
    assert "<script>" not in to_html_section([bad]) and "&lt;script&gt;" in to_html_section([bad])
