"""A document's analysis (plan, theme signals, term counts) as a cache entry and back; pain points as store rows."""

from __future__ import annotations

import dataclasses
import json
import typing
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

from painpoint.cache import CacheEntryError, decoder, encode_value, malformed, types_in
from painpoint.plans.codec import plan_from, plan_record
from painpoint.plans.structure import Plan
from painpoint.storage.results import json_text
from painpoint.themes.extract import PainPoint, PlanSignals

Document = tuple[Plan, PlanSignals, Counter[str] | None]
"""A parsed plan, its signals and (for matching) its term counts, or None."""


class DocumentCodec:
    """The cache's Codec for one document's analysis: `decode` accepts only an entry written for `path`."""

    def __init__(self, path: str) -> None:
        self.path = path
        """The file the entry must belong to (the department may come from the file name)."""

    def encode(self, value: Document, /) -> bytes:
        """See `encode_document`."""
        return encode_document(*value)

    def decode(self, payload: bytes, /) -> Document:
        """See `decode_document`."""
        return decode_document(payload, self.path)


def encode_document(plan: Plan, signals: PlanSignals, terms: Counter[str] | None) -> bytes:
    """A parsed plan, its signals and (for matching) its term counts, as compressed JSON."""
    hints = _hints(PlanSignals)
    rest = {}
    for f in dataclasses.fields(PlanSignals):
        if f.name != "plan":
            value = getattr(signals, f.name)
            rest[f.name] = _columns(value) if hints[f.name] == _SCORED else value
    record = plan_record(plan)
    # floats survive JSON exactly (repr round-trips); level 1: entries are written on the first run's clock
    return zlib.compress(encode_value([record, rest, None if terms is None else dict(terms)]), 1)


def decode_document(payload: bytes, path: str) -> Document:
    """(Plan, PlanSignals, term counts or None) from `encode_document`'s bytes, for the file at `path`.

    Raises CacheEntryError when anything is out of shape: the caller rebuilds the entry.
    """
    try:
        raw_plan, raw_signals, raw_terms = json.loads(zlib.decompress(payload).decode("utf-8", "surrogatepass"))
        plan = plan_from(raw_plan)
        if plan.document.path != path:
            raise CacheEntryError("entry belongs to another path")
        if not isinstance(raw_signals, dict):
            raise CacheEntryError("signals are not a mapping")
        hints = _hints(PlanSignals)
        fields = [f.name for f in dataclasses.fields(PlanSignals) if f.name != "plan"]
        if sorted(raw_signals) != sorted(fields):
            raise CacheEntryError("signals have other fields")
        sentences = len(plan.sentences)
        values: dict[str, Any] = {
            name: _from_columns(raw_signals[name], sentences) if hints[name] == _SCORED
            else decoder(hints[name])(raw_signals[name]) for name in fields}
        signals = PlanSignals(plan, **values)
        terms = None if raw_terms is None else decoder(Counter[str])(raw_terms)
    except CacheEntryError:
        raise
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError) as exc:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise CacheEntryError(f"unreadable cache entry: {type(exc).__name__}: {exc}") from exc
    return plan, signals, terms


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


_SCORED = dict[str, list[tuple[float, int]]]
"""(weight, sentence index) lists per theme or phrase: tens of thousands of pairs a plan, kept in columns."""


def _columns(scored: dict[str, list[tuple[float, int]]]) -> list[list[Any]]:
    keys = list(scored)
    return [keys, [len(scored[k]) for k in keys], [w for k in keys for w, _ in scored[k]],
            [i for k in keys for _, i in scored[k]]]


def _from_columns(v: Any, sentences: int) -> dict[str, list[tuple[float, int]]]:
    """The scored lists `_columns` wrote; every index must name one of the plan's `sentences`."""
    if type(v) is not list or len(v) != 4 or not types_in(v, {list}):
        raise malformed("scored columns")
    keys, sizes, weights, indices = v
    if (not types_in(keys, {str}) or not types_in(sizes, {int}) or min(sizes, default=0) < 0
            or len(sizes) != len(keys) or sum(sizes) != len(weights) or len(weights) != len(indices)
            or not types_in(weights, {float, int}) or not types_in(indices, {int})):
        raise malformed("scored columns")
    if indices and (min(indices) < 0 or max(indices) >= sentences):
        raise CacheEntryError("sentence index out of range")
    pairs = list(zip(map(float, weights), indices, strict=True))
    out, at = {}, 0
    for key, size in zip(keys, sizes, strict=True):
        out[key] = pairs[at:at + size]
        at += size
    return out


def pain_point_rows(path: str, pain_points: Sequence[PainPoint], first_id: int
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One plan's ranked pain points as rows of the results store's `pain_points` table (ids from `first_id`)
    and their evidence sentences as rows of its `evidence` table."""
    points, evidence = [], []
    for rank, p in enumerate(pain_points, 1):
        pid = first_id + rank - 1
        points.append({"id": pid, "path": path, "rank": rank, "theme": p.theme, "kind": p.kind,
                       "source": p.source.value, "score": p.score, "weight": p.weight, "terms": json_text(p.terms),
                       "units": json_text(p.units)})
        evidence += [{"pain_point_id": pid, "position": i, "document": e.document, "line": e.line, "text": e.text,
                      "review": int(e.review)} for i, e in enumerate(p.evidence)]
    return points, evidence
