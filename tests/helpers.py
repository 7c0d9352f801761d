"""Small builders shared by tests."""

from __future__ import annotations


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
