"""Renderers for `painpoint pitch`: a one-page brief as Markdown or Word (.docx).

Both formats are drawn from the same list of blocks, so they always say the same thing. The wording follows
what experienced officials advise organizations to bring: the department's pain points in its own words, the
organization's matching experience restated in that vocabulary, how its mission serves the stated goals, and
what results it will report and how they can be publicised.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from painpoint.report import PitchFormat  # noqa: F401 - re-exported: where the format's renderers live
from painpoint.report.ooxml import FIXED_TIME, stable_zip

if TYPE_CHECKING:  # the core's imports wait until a brief is drawn
    from painpoint.match.pitch import Pitch, PitchPoint, PlanTarget


@dataclass(frozen=True)
class Span:
    """A run of text inside a block: plain, code (file paths) or bold."""

    text: str
    style: str = ""
    """"" for plain text, "code" or "bold"."""


@dataclass(frozen=True)
class Block:
    """One paragraph-level element of the brief."""

    kind: str
    """h1, h2, h3, p, li or quote."""
    spans: tuple[Span, ...]
    """Its text."""


def _b(kind: str, *parts: str | Span) -> Block:
    return Block(kind, tuple(p if isinstance(p, Span) else Span(p) for p in parts))


def _name(path: str) -> str:
    return Path(path).name or path


def _where(document: str, line: int) -> tuple[Span, ...]:
    return (Span("（"), Span(_name(document), "code"), Span(f" 第{line}行）"))


def _point_meta(p: PitchPoint) -> str:
    bits = []
    if p.rank is not None:
        bits.append(f"该部门第{p.rank}位痛点")
    else:
        bits.append("该部门的次要痛点")
    if p.weight >= 0.005:
        bits.append(f"约占规划篇幅{p.weight:.0%}")
    if p.terms:
        bits.append(f"规划用语：{'、'.join(p.terms[:5])}")
    return "；".join(bits)


def _target_text(t: PlanTarget) -> str:
    year = f"{t.year}年" if t.year else ""
    return f"{year}目标：{t.text}" if year else f"目标：{t.text}"


def blocks(p: Pitch) -> list[Block]:
    """The brief as a list of blocks, in reading order."""
    org = p.org
    out: list[Block] = [_b("h1", f"合作建议：{org.name} × {p.department}")]
    facts = [org.name]
    if org.kind:
        facts.append(str(org.kind))
    if org.region:
        facts.append("、".join(org.region[:3]))
    standing = f"匹配度 {p.score:.2f}，在该部门的候选组织中排第 {p.rank} 位 / 共 {p.candidates} 家"
    if p.local:
        standing += f"，在{p.place}本地开展工作"
    out.append(_b("p", "｜".join(facts) + "｜" + standing))
    if p.weak:
        out.append(_b("quote", Span("匹配较弱：", "bold"), "；".join(p.weak) + "。带去会谈前，先考虑 ",
                      Span(f"painpoint match --org {p.org.id}", "code"), " 列出的更对口的部门，或补充相关经验。"))
    docs = [Span("依据规划：")]
    for i, d in enumerate(p.documents):
        docs += [Span("、")] if i else []
        docs.append(Span(_name(d), "code"))
    out.append(_b("p", *docs))

    out.append(_b("h2", "一、部门的痛点（规划原文）"))
    if p.points and not p.points[0].served:
        out.append(_b("p", "机构档案中尚无与该部门痛点对应的经验；以下是该部门最主要的痛点。"))
    for i, point in enumerate(p.points, start=1):
        out.append(_b("h3", f"{i}. {point.theme}"))
        out.append(_b("p", _point_meta(point)))
        for e in point.evidence:
            out.append(_b("li", f"原文：“{e.text}”", *_where(e.document, e.line)))
        if not point.evidence and point.statutory:
            out.append(_b("li", "法定职责：规划正文未展开，但属于该部门的职责范围。"))
        for t in point.targets:
            out.append(_b("li", _target_text(t), *_where(t.document, t.line)))

    out.append(_b("h2", "二、我们做过的相关工作（用部门的话说）"))
    if not p.projects:
        out.append(_b("p", "档案中没有与这些痛点对应的项目记录（见文末“需补充的材料”）。"))
    for pp in p.projects:
        proj = pp.project
        years = f"（{proj.years}）" if proj.years else ""
        out.append(_b("h3", f"项目「{proj.name}」{years}"))
        said = f"回应规划中的「{'」「'.join(pp.themes)}」"
        plan_words = [w for w in pp.plan_terms if w not in pp.org_terms]
        if plan_words:
            said += f"：规划称「{'、'.join(plan_words[:4])}」，我们称「{'、'.join(pp.org_terms[:3])}」"
        out.append(_b("li", said + "。"))
        if proj.partners:
            out.append(_b("li", f"合作方：{'、'.join(proj.partners)}"))
        if proj.summary:
            out.append(_b("li", f"做了什么：{proj.summary}"))
        out.append(_b("li", f"成效：{proj.results}" if proj.results
                      else "成效：档案未记录（见文末“需补充的材料”）"))

    out.append(_b("h2", "三、宗旨如何服务部门的目标"))
    out.append(_b("quote", f"机构宗旨：{org.mission}"))
    if not p.links:
        out.append(_b("p", "档案的服务和宗旨中没有直接对应这些目标的表述。"))
    for link in p.links:
        ours = []
        if link.services:
            ours.append(f"服务「{'」「'.join(link.services[:3])}」")
        if link.beneficiaries:
            ours.append(f"服务对象「{'」「'.join(link.beneficiaries[:3])}」")
        if link.mission_terms and not ours:
            ours.append(f"宗旨中的「{'」「'.join(link.mission_terms[:3])}」")
        ours_text = f"对应我们的{'，'.join(ours)}。"
        if link.goal is not None:
            # the goal sentence is quoted in part one already; point back to it to keep the brief to a page
            out.append(_b("li", f"规划目标「{link.theme}」（见上文第{link.goal.line}行）：{ours_text}"))
        else:
            out.append(_b("li", f"规划目标「{link.theme}」：{ours_text}"))

    out.append(_b("h2", "四、我们将报告的成果与宣传方式"))
    targets = p.targets
    if targets:
        refs = "、".join(f"第{t.line}行（{'、'.join(t.values[:3])}）" if t.values else f"第{t.line}行"
                        for t in targets[:4])
        out.append(_b("li", f"按规划指标口径报告：对照{refs}的目标，报告本机构贡献的数量、覆盖对象和地点，"
                      "便于部门直接计入完成情况。"))
    results = [pp.project for pp in p.projects if pp.project.results]
    for proj in results:
        out.append(_b("li", f"以往成效作为基线：项目「{proj.name}」{proj.results}"))
    if not targets and not results:
        out.append(_b("li", "规划中没有与此相关的量化目标，档案也没有成效记录：先补充成效数字，"
                      "再约定要报告的指标（见文末）。"))
    partners = list(dict.fromkeys(x for pp in p.projects for x in pp.project.partners))
    if partners:
        out.append(_b("li", f"宣传：与既往合作方（{'、'.join(partners[:5])}）联合发布阶段成果。"))
    words = list(dict.fromkeys(w for pp in p.projects for w in pp.plan_terms))
    if not words:
        words = [w for point in p.points for w in point.terms[:2]]
    if words:
        out.append(_b("li", f"宣传：成果简报用规划的说法（{'、'.join(words[:6])}），"
                      "便于部门写入年度总结和政务信息。"))
    if org.credentials:
        out.append(_b("li", f"随简报附上资质：{'、'.join(org.credentials)}"))

    if p.gaps:
        out.append(_b("h2", "需补充的材料"))
        out += [_b("li", g) for g in p.gaps]
    out.append(_b("p", "本简报只引用规划原文和机构档案中的事实。"))
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _md_text(text: str) -> str:
    # plans and profiles are untrusted: a `<script>` or `[link](…)` stays literal text in any Markdown viewer
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def _md_span(s: Span) -> str:
    if s.style == "code" and "`" not in s.text:
        return f"`{s.text}`"
    if s.style == "bold":
        return f"**{_md_text(s.text)}**"
    return _md_text(s.text)


_MD_PREFIX = {"h1": "# ", "h2": "## ", "h3": "### ", "p": "", "li": "- ", "quote": "> "}


def to_markdown(p: Pitch) -> str:
    """The brief as Markdown; list items run together, everything else is separated by a blank line."""
    lines: list[str] = []
    previous = ""
    for block in blocks(p):
        if lines and not (block.kind == "li" and previous == "li"):
            lines.append("")
        lines.append(_MD_PREFIX[block.kind] + "".join(_md_span(s) for s in block.spans))
        previous = block.kind
    return "\n".join(lines) + "\n"


DOCX_EAST_ASIAN_FONT = "Microsoft YaHei"
"""Font named for Chinese text in the .docx; Word and LibreOffice fall back to an installed CJK font."""

# XML 1.0 forbids these; a profile can carry them through YAML escapes ("\a"), and python-docx would refuse
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_docx(p: Pitch) -> bytes:
    """The brief as a Word document, byte-identical for the same brief."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    for style_name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Quote", "List Bullet"):
        style = document.styles[style_name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), DOCX_EAST_ASIAN_FONT)
    document.styles["Normal"].font.size = Pt(10.5)
    styles = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "p": "Normal", "li": "List Bullet",
              "quote": "Quote"}
    for block in blocks(p):
        para = document.add_paragraph(style=styles[block.kind])
        for s in block.spans:
            run = para.add_run(_XML_ILLEGAL.sub("", s.text))
            if s.style == "bold":
                run.bold = True
            elif s.style == "code":
                run.font.name = "Consolas"
    props = document.core_properties
    props.title = f"合作建议：{p.org.name} × {p.department}"
    props.author = p.org.name
    props.last_modified_by = "painpoint"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    return stable_zip(buf.getvalue())
