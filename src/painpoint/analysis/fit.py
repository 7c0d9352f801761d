"""Which of a plan's new or raised items fit which organizations: the first pitch opportunities of the year.

An item is a new term, a raised or new target, or a new or rising theme. It fits an organization through a
theme both share (the item's wording maps to a taxonomy theme the organization's profile claims; strength is
the profile's strength in that theme) or through the words themselves (the profile uses a specialised new term: strength
WORD_STRENGTH, since the organization already speaks the plan's new language; an everyday word such as 关爱
fits no one by itself). An organization's score is the
sum of its items' strengths, best items first; items under MIN_STRENGTH do not count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from painpoint.match.score import Capability
from painpoint.model import Evidence
from painpoint.themes.taxonomy import Taxonomy

WORD_STRENGTH = 1.0
"""An organization whose profile uses the new term itself."""
MIN_STRENGTH = 0.2
"""A theme the profile only touches (a passing mention) is no pitch."""
ITEMS_SHOWN = 5
"""Items kept per organization."""


class ItemKind(StrEnum):
    """What kind of novelty an item is."""

    TERM = "term"
    TARGET = "target"
    THEME = "theme"


@dataclass(frozen=True)
class Item:
    """One new or raised thing in NEW."""

    kind: ItemKind
    """New term, raised or new target, or new or rising theme."""
    label: str
    """The term, the target's measure, or the theme."""
    evidence: Evidence
    """NEW's sentence for it."""
    themes: tuple[str, ...]
    """Taxonomy themes its wording maps to."""
    literal: bool = False
    """A profile that uses the label itself fits (specialised new terms: 助浴 does, 关爱 does not)."""


@dataclass(frozen=True)
class FitItem:
    """One item an organization fits, and why."""

    item: Item
    """The plan's item."""
    via: str
    """The shared theme, or the term when the profile uses it."""
    field: str
    """Profile field that shows it: mission, service, beneficiary, project:<name> or name."""
    org_text: str
    """That field's text."""
    strength: float
    """How strongly the profile supports it (0..1)."""


@dataclass(frozen=True)
class OrgFit:
    """An organization and the new items it fits."""

    org_id: str
    org_name: str
    score: float
    """Sum of its items' strengths."""
    items: tuple[FitItem, ...]
    """The items it fits, strongest first (at most ITEMS_SHOWN)."""


def item_themes(text: str, taxonomy: Taxonomy, cut: Callable[[str], list[str]]) -> tuple[str, ...]:
    """Themes whose plan wording occurs in `text`, in order of first mention."""
    return tuple(dict.fromkeys(theme for theme, _ in taxonomy.find(text, tokens=cut(text))))


def _profile_fields(cap: Capability) -> list[tuple[str, str]]:
    return [("name", cap.org.name), *cap.org.text_fields()]


def _fit_one(item: Item, cap: Capability, fields: Sequence[tuple[str, str]]) -> FitItem | None:
    if item.literal:
        for field, text in fields:
            if item.label in text:
                return FitItem(item, item.label, field, text, WORD_STRENGTH)
    best: FitItem | None = None
    for theme in item.themes:
        strength = cap.themes.get(theme, 0.0)
        if strength >= MIN_STRENGTH and (best is None or strength > best.strength) and cap.claims.get(theme):
            claim = cap.claims[theme][0]
            best = FitItem(item, theme, claim.field, claim.text, round(strength, 3))
    return best


def fit_orgs(items: Sequence[Item], caps: Sequence[Capability]) -> tuple[OrgFit, ...]:
    """Organizations that fit any item, best first (ties by id)."""
    fits = []
    for cap in caps:
        fields = _profile_fields(cap)
        found: list[FitItem] = []
        seen: set[tuple[str, int]] = set()
        for f in sorted((f for f in (_fit_one(item, cap, fields) for item in items) if f is not None),
                        key=lambda f: -f.strength):
            # a new term and the new theme it names, from the same sentence, are one opportunity
            if (f.via, f.item.evidence.line) not in seen:
                seen.add((f.via, f.item.evidence.line))
                found.append(f)
        if not found:
            continue
        fits.append(OrgFit(cap.org.id, cap.org.name, round(sum(f.strength for f in found), 3),
                           tuple(found[:ITEMS_SHOWN])))
    fits.sort(key=lambda f: (-f.score, f.org_id))
    return tuple(fits)
