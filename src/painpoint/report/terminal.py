"""Terminal tables (rich) for people reading in a Chinese terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from painpoint.pipeline import MatchResult, ScanResult
from painpoint.report.scan import guess_note, place_note


def _snippet(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(table: Table, *cells: str | Text) -> None:
    """Add a row whose plain strings are shown literally: plan and profile text is untrusted, and rich would
    read '[/x]' in it as markup."""
    table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells))


def scan_table(result: ScanResult, console: Console) -> None:
    """One panel per document: department, top pain points with score and an evidence snippet."""
    for sp in result.plans:
        plan = sp.plan
        table = Table(show_header=True, header_style="bold", expand=True, show_lines=False)
        table.add_column("#", justify="right", width=3)
        table.add_column("痛点", ratio=2, overflow="fold")
        table.add_column("分数", justify="right", width=5)
        table.add_column("规划用语", ratio=3, overflow="fold")
        table.add_column("依据（行号: 原文）", ratio=6, overflow="fold")
        for rank, p in enumerate(sp.pain_points, start=1):
            if p.evidence:
                ev = Text(f"{p.evidence[0].line}: ", style="dim") + Text(_snippet(p.evidence[0].text))
            else:
                ev = Text("法定职责（正文未提及）", style="italic dim")
            _row(table, str(rank), p.theme, f"{p.score:.2f}", "、".join(p.terms[:4]), ev)
        header = Text.assemble((plan.title or plan.path, "bold"), "\n",
                               ("部门: ", "dim"), plan.department or "未知", (guess_note(plan), "dim"),
                               "   ", ("文件: ", "dim"), plan.path)
        where = place_note(plan).strip()
        if where:
            header.append_text(Text("\n" + where, style="dim"))
        extra = []
        if plan.targets:
            extra.append(Text(f"量化目标 {len(plan.targets)} 项，例如 第{plan.targets[0].line}行: "
                              f"{_snippet(plan.targets[0].text, 70)}", style="dim"))
        console.print(Panel(Group(header, table, *extra), expand=True))


def match_table(result: MatchResult, console: Console, *, org_view: bool = False) -> None:
    """Per department: its top pain points and the organizations that fit, with the plan's words."""
    if org_view:
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column("部门", ratio=2, overflow="fold")
        table.add_column("分数", justify="right", width=5)
        table.add_column("对应痛点", ratio=2, overflow="fold")
        table.add_column("用规划的话说", ratio=2, overflow="fold")
        table.add_column("理由与依据", ratio=5, overflow="fold")
        for m in result.matches:
            why = Text("\n".join(m.reasons[:3]))
            if m.evidence:
                why.append(f"\n{m.evidence[0].line}: {_snippet(m.evidence[0].text, 50)}", style="dim")
            _row(table, m.department, f"{m.score:.2f}", "、".join(m.pain_points), "、".join(m.plan_terms[:4]),
                          why)
        title = f"{result.matches[0].org_name} 最适合对接的部门" if result.matches else "无匹配"
        console.print(Panel(table, title=Text(title)))
        return
    by_dept: dict[str, list] = {}  # type: ignore[type-arg]
    for m in result.matches:
        by_dept.setdefault(m.department, []).append(m)
    for d in result.departments:
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column("#", justify="right", width=3)
        table.add_column("组织", ratio=2, overflow="fold")
        table.add_column("分数", justify="right", width=5)
        table.add_column("对应痛点", ratio=2, overflow="fold")
        table.add_column("理由", ratio=5, overflow="fold")
        for m in by_dept.get(d.name, []):
            _row(table, str(m.rank), m.org_name, f"{m.score:.2f}", "、".join(m.pain_points),
                          "\n".join(m.reasons[:2]))
        pains = "、".join(p.theme for p in d.pain_points[:5]) or "（未识别）"
        header = Text.assemble((d.name, "bold"), "\n", ("主要痛点: ", "dim"), pains)
        console.print(Panel(Group(header, table), expand=True))


def links_table(result, console: Console) -> None:  # type: ignore[no-untyped-def]
    """One panel per cross-department link: departments, how each takes part, evidence, organizations."""
    from painpoint.report.links import basis_text, named_text, org_text, writes

    if not result.links:
        console.print(Text("未发现两个以上部门共同面对的痛点。"))
    for rank, link in enumerate(result.links, start=1):
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column("部门", ratio=2, overflow="fold")
        table.add_column("占规划", justify="right", width=6)
        table.add_column("依据（行号: 原文）", ratio=6, overflow="fold")
        for m in link.members:
            if not writes(m):
                continue
            if m.evidence:
                ev = Text(f"{m.evidence[0].line}: ", style="dim") + Text(_snippet(m.evidence[0].text, 70))
            else:
                ev = Text("—", style="dim")
            _row(table, m.department, f"{m.weight:.1%}", ev)
        header = Text.assemble((f"{rank}. {link.key}", "bold"), "  ", (basis_text(link), "dim"),
                               ("  分数 ", "dim"), f"{link.score:.2f}")
        extra = []
        if named_text(link):
            extra.append(Text("列为责任单位: " + named_text(link), style="dim"))
        if link.orgs:
            extra.append(Text("可同时服务: " + "；".join(org_text(o).replace("`", "") for o in link.orgs[:3]),
                              style="green"))
        console.print(Panel(Group(header, table, *extra), expand=True))


def diff_table(result, console: Console) -> None:  # type: ignore[no-untyped-def]
    """Per department: themes that moved with evidence from both sides, openness, changed targets."""
    from painpoint.analysis.diff import TargetStatus
    from painpoint.report.diff import openness_text, rank_text, target_text

    for d in result.departments:
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column("变化", width=4)
        table.add_column("主题", ratio=2, overflow="fold")
        table.add_column("权重（旧 → 新）", ratio=3, overflow="fold")
        table.add_column("依据（旧 / 新）", ratio=6, overflow="fold")
        for c in d.themes:
            sides = [Text(f"{side} {items[0].line}: ", style="dim") + Text(_snippet(items[0].text, 50))
                     for side, items in (("旧", c.old_evidence), ("新", c.new_evidence)) if items]
            weights = f"{c.old_weight:.1%} → {c.new_weight:.1%}\n{c.delta * 100:+.1f}个百分点\n{rank_text(c)}"
            _row(table, c.change.label, c.theme, weights, Text("\n").join(sides))
        header = Text.assemble((d.name, "bold"), "\n", ("旧: ", "dim"), "、".join(d.old_documents), "   ",
                               ("新: ", "dim"), "、".join(d.new_documents), "\n",
                               ("购买服务开放度: ", "dim"), openness_text(d))
        extra = []
        if d.steady:
            extra.append(Text(f"另有{d.steady}个主题基本持平", style="dim"))
        changed = [t for t in d.targets if t.status is TargetStatus.CHANGED]
        for t in changed[:5]:
            extra.append(Text(f"目标调整: {target_text(t)}"))
        others = len(d.targets) - len(changed)
        if others:
            extra.append(Text(f"新增或删除的量化目标 {others} 项（见 --format md/json）", style="dim"))
        body = [header, table] if d.themes else [header, Text("主题分布没有明显变化。")]
        console.print(Panel(Group(*body, *extra), expand=True))
    if result.only_old:
        console.print(Text("仅旧版有的部门: " + "、".join(result.only_old)))
    if result.only_new:
        console.print(Text("仅新版有的部门: " + "、".join(result.only_new)))
