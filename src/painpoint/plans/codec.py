"""How a parsed plan is written into a cache entry and read back: its sentences as checked columns."""

from __future__ import annotations

import dataclasses
from typing import Any

from painpoint.cache import decoder, malformed, types_in
from painpoint.plans.structure import Plan, Sentence, SentenceKind

# A plan's sentences (hundreds a plan, hundreds of thousands in a large corpus) are kept as columns: one list per
# field, with each distinct heading path and unit list stored once and referred to by index. Entries are a third
# smaller and decode faster than one record per sentence, and sentences of a section share its heading tuple, as
# they do when parsed.
_SENTENCE_FIELDS = ("line", "text", "kind", "section", "level", "intensity", "boilerplate", "units", "original")
_SENTENCE_KEYS = (*_SENTENCE_FIELDS, "sections", "unit_lists")


def sentences_at() -> int:
    """Index of `sentences` among Plan's fields; checks that Sentence still has the fields the columns name."""
    if tuple(f.name for f in dataclasses.fields(Sentence)) != _SENTENCE_FIELDS:  # a programming error
        raise TypeError("painpoint.plans.codec: Sentence fields changed; update _SENTENCE_FIELDS")
    return [f.name for f in dataclasses.fields(Plan)].index("sentences")


def plan_record(plan: Plan) -> list[Any]:
    """The plan as the list of its fields (for `cache.encode_value`), its sentences as columns."""
    record: list[Any] = [getattr(plan, f.name) for f in dataclasses.fields(plan)]
    record[sentences_at()] = sentence_columns(plan.sentences)
    return record


def plan_from(raw_plan: Any) -> Plan:
    """The plan `plan_record` wrote, parsed from JSON and checked; CacheEntryError when out of shape."""
    at = sentences_at()
    if type(raw_plan) is not list or len(raw_plan) != len(dataclasses.fields(Plan)):
        raise malformed("a Plan")
    sentences = sentences_from(raw_plan[at])
    raw_plan[at] = []
    return dataclasses.replace(decoder(Plan)(raw_plan), sentences=sentences)


def sentence_columns(sentences: Any) -> dict[str, list[Any]]:
    """Sentences as one list per field, heading paths and unit lists stored once each."""
    sections: dict[tuple[str, ...], int] = {}
    unit_lists: dict[tuple[str, ...], int] = {}
    columns: dict[str, list[Any]] = {
        "line": [s.line for s in sentences], "text": [s.text for s in sentences],
        "kind": [s.kind.value for s in sentences],
        "section": [sections.setdefault(s.section, len(sections)) for s in sentences],
        "level": [s.level for s in sentences], "intensity": [s.intensity for s in sentences],
        "boilerplate": [s.boilerplate for s in sentences],
        "units": [unit_lists.setdefault(s.units, len(unit_lists)) for s in sentences],
        "original": [s.original for s in sentences]}
    columns["sections"] = [list(t) for t in sections]
    columns["unit_lists"] = [list(t) for t in unit_lists]
    return columns


def sentences_from(v: Any) -> tuple[Sentence, ...]:
    """The sentences `sentence_columns` wrote, every column checked; CacheEntryError when out of shape."""
    if type(v) is not dict or sorted(v) != sorted(_SENTENCE_KEYS) or not all(type(c) is list for c in v.values()):
        raise malformed("sentence columns")
    tables = []
    for name in ("sections", "unit_lists"):
        if not types_in(v[name], {list}) or not all(types_in(t, {str}) for t in v[name]):
            raise malformed(f"sentence {name}")
        tables.append([tuple(t) for t in v[name]])
    sections, unit_lists = tables
    n = len(v["line"])
    kinds = {k.value: k for k in SentenceKind}

    def column(name: str, *allowed: type, table: int | None = None) -> list[Any]:
        values = v[name]
        if len(values) != n or not types_in(values, set(allowed)):
            raise malformed(f"sentence {name}")
        if table is not None and values and (min(values) < 0 or max(values) >= table):
            raise malformed(f"sentence {name}")
        return values  # type: ignore[no-any-return]

    kind_values = column("kind", str)
    if not set(kind_values) <= kinds.keys():
        raise malformed("sentence kind")
    return tuple(map(
        Sentence, column("line", int), column("text", str), [kinds[k] for k in kind_values],
        [sections[i] for i in column("section", int, table=len(sections))], column("level", int),
        [float(x) for x in column("intensity", float, int)], column("boilerplate", bool),
        [unit_lists[i] for i in column("units", int, table=len(unit_lists))],
        column("original", str, type(None))))



def plan_summary(plan: Plan) -> dict[str, Any]:
    """The columns of the results store's `documents` table a person queries: who issued the plan, what it is."""
    meta = plan.metadata
    return {"format": plan.document.format, "title": plan.title, "department": plan.department,
            "department_source": plan.department_source, "place": meta.place if meta else None,
            "level": meta.level if meta else None, "kind": meta.kind if meta else None,
            "year": meta.year if meta else None, "sentences": len(plan.sentences)}
