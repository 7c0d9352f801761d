"""Structure of a plan: title, issuing department, heading hierarchy, responsible units, targets."""

from painpoint.plans.department import department_from_text
from painpoint.plans.metadata import Metadata, extract, identify
from painpoint.plans.structure import Plan, Sentence, SentenceKind, Target, parse_plan

__all__ = ["Metadata", "Plan", "Sentence", "SentenceKind", "Target", "department_from_text", "extract", "identify",
           "parse_plan"]
