"""The structure parser and pain-point extraction never raise on arbitrary text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painpoint.model import Document
from painpoint.pipeline import default_segmenter
from painpoint.plans import parse_plan
from painpoint.themes import extract_pain_points, load_taxonomy

POLICY_BITS = st.sampled_from(["第一章", "一、", "（一）", "(二)", "1.", "【重点任务1】", "牵头单位：", "责任单位:",
                               "到2025年", "达到", "55%", "620元", "低保", "养老服务", "。", "；", "，", "《", "》",
                               "县民政局", "关于印发", "的通知", "\u3000", "习近平新时代中国特色社会主义思想"])
LINE = st.lists(st.one_of(POLICY_BITS, st.text(max_size=12)), max_size=12).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, min_size=1, max_size=25), st.sampled_from(["txt", "md", "html"]))
def test_parse_and_extract_never_raise(lines: list[str], fmt: str) -> None:
    doc = Document(path=f"x.{fmt}", lines=tuple(lines), line_numbers=tuple(range(1, len(lines) + 1)), format=fmt)
    plan = parse_plan(doc)
    assert all(s.line in doc.line_numbers for s in plan.sentences)
    points = extract_pain_points([plan], load_taxonomy(), default_segmenter())[0]
    assert all(0.0 <= p.score <= 1.0 for p in points)
