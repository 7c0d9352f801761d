"""Analyses across plans: cross-department links and what changed between two plans."""

from painpoint.analysis.diff import ChangeKind, DiffResult, ThemeChange, diff_plans
from painpoint.analysis.links import Link, LinkBasis, LinksResult, find_links

__all__ = ["ChangeKind", "DiffResult", "Link", "LinkBasis", "LinksResult", "ThemeChange", "diff_plans",
           "find_links"]
