"""Small builders shared by tests."""

from __future__ import annotations

CIVIL_PLAN = """示例县民政局2025年工作要点
一、补齐农村养老服务短板
（一）发展居家社区养老服务，新建老年助餐点25个，为失能老年人提供上门照护服务。
着力解决农村留守老年人、失能老年人照护难题，到2025年护理型床位占比达到55%。
二、加强农村留守儿童关爱保护
（一）健全困境儿童和农村留守儿童关爱服务体系，每个乡镇配备儿童督导员。
三、兜牢社会救助底线
低保对象、特困人员应保尽保。
"""
"""A county civil-affairs work outline written for the tests: elderly care, left-behind children, assistance."""


def make_document(text: str, path: str = "plan.txt", title: str | None = None):  # type: ignore[no-untyped-def]
    """A Document from text, one line per source line (tests only)."""
    from painpoint.model import Document

    lines = text.split("\n")
    return Document(path=path, lines=tuple(line.strip() for line in lines),
                    line_numbers=tuple(range(1, len(lines) + 1)), format="txt", title=title)


def departments_of(*texts: str):  # type: ignore[no-untyped-def]
    """Departments (painpoint.match.Department) built from plan texts named plan0.txt, plan1.txt, …"""
    from painpoint.match import build_departments
    from painpoint.pipeline import ScannedPlan, default_segmenter
    from painpoint.plans import parse_plan
    from painpoint.themes import load_taxonomy
    from painpoint.themes.extract import collect_signals, rank_pain_points

    taxonomy = load_taxonomy()
    plans = [parse_plan(make_document(t, f"plan{i}.txt")) for i, t in enumerate(texts)]
    signals = [collect_signals(p, taxonomy, default_segmenter()) for p in plans]
    ranked = rank_pain_points(signals, taxonomy)
    scanned = [ScannedPlan(p, tuple(r), s) for p, r, s in zip(plans, ranked, signals, strict=True)]
    return build_departments(scanned, taxonomy)
