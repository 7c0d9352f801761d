"""A run's results store: what `--store FILE [--resume]` records as scan or match goes, and reads back as plans.

The pipeline calls a RunStore once per analysed document (`reuse`, `record`) and once at the end (`finish`);
the storage layer (painpoint.storage.results) keeps the rows, each domain module's codec makes them. A store
given where plans are expected (`--plans results.db`) is read back with `stored_documents`: the documents'
analyses as they were stored, so ranking, matching and every output format come out as from the files.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from painpoint.cache import CacheEntryError
from painpoint.errors import InputError
from painpoint.i18n import _
from painpoint.ingest.discover import Skipped, SkipReason
from painpoint.plans.codec import plan_summary
from painpoint.plans.structure import Plan
from painpoint.results import Failure, ScannedPlan
from painpoint.storage.results import ResultStore, RunSummary
from painpoint.themes.codec import Document, decode_document, encode_document, pain_point_rows


@dataclass(frozen=True)
class Ranked:
    """One ranked plan as the store's tables take it: path, pain points (with their evidence), summary."""

    path: str
    pain_points: tuple[Any, ...]
    summary: dict[str, Any]


class RunStore:
    """The results store one scan or match run writes (see painpoint.storage.results for its tables)."""

    def __init__(self, path: str | Path, *, resume: bool = False, command: str = "match") -> None:
        """Open (or create) the store; refused when it already holds results and `resume` is not set."""
        self.path = Path(path)
        """The store file."""
        self.command = command
        """The command recorded in the run log."""
        self.summary: RunSummary | None = None
        """What the run changed, once finished."""
        self.analysed = 0
        """Documents analysed (or taken from the per-document cache) by this run, not taken from the store."""
        self._store = ResultStore.open(self.path, write=True, resume=resume)
        self._version = ""

    def start(self, code_version: str, *, custom: bool = False) -> None:
        """Log the run's start. `code_version` names the code, data and engines a document's analysis depends on;
        `custom` (user themes or segmenter, which it cannot name): nothing stored is reused."""
        import painpoint

        # a run with user themes names itself uniquely: its analyses are stored but never taken for another's
        self._version = f"{code_version}/custom-{uuid.uuid4().hex}" if custom else code_version
        self._store.begin(self.command, painpoint.__version__, self._version)

    def reuse(self, path: str, digest: str | None) -> Document | None:
        """The stored analysis of `path` when these bytes (`digest`) were analysed by this code, else None.

        A document a scan stored has no term counts; a match adds them (`complete`).
        """
        if digest is None:
            return None
        payload = self._store.reusable(path, digest, self._version)
        if payload is None:
            return None
        try:
            return decode_document(payload, path)
        except CacheEntryError:  # out of shape: analysed again, never trusted
            return None

    def holds(self, path: str, digest: str | None) -> bool:
        """Whether `reuse` would find these bytes analysed by this code (checksum checked, nothing decoded)."""
        return digest is not None and self._store.reusable(path, digest, self._version) is not None

    def complete(self, path: str, document: Document) -> None:
        """Store term counts added to a reused document (see `reuse`)."""
        self._store.update_document(path, encode_document(*document))

    def record(self, path: str, document: Document, payload: bytes | None = None) -> None:
        """Store one analysed document, in its own transaction; `payload`: already encoded (encode_document)."""
        plan = document[0]
        self.analysed += 1
        self._store.put_document(path, plan.document.digest, self._version, payload or encode_document(*document),
                                 plan_summary(plan))

    @staticmethod
    def ranked(sp: ScannedPlan) -> Ranked:
        """What `finish` needs of one ranked plan, without its text: a streamed match hands these over one
        department at a time and lets the plans go."""
        return Ranked(sp.plan.path, sp.pain_points, plan_summary(sp.plan))

    def finish(self, plans: Sequence[ScannedPlan | Ranked], errors: Sequence[Failure], skipped: Sequence[Any],
               departments: Sequence[Any] = (), matches: Sequence[Any] = ()) -> RunSummary:
        """End the run: documents no longer read dropped, pain points, departments, matches and problems
        written, the run log completed; returns what changed. `plans` in input order."""
        ranked = [p if isinstance(p, Ranked) else self.ranked(p) for p in plans]
        tables: dict[str, list[dict[str, Any]]] = {"pain_points": [], "evidence": []}
        for r in ranked:
            points, evidence = pain_point_rows(r.path, r.pain_points, len(tables["pain_points"]) + 1)
            tables["pain_points"] += points
            tables["evidence"] += evidence
        if self.command != "scan":
            from painpoint.match.codec import department_rows, match_rows

            tables["departments"] = department_rows(departments)
            tables["matches"] = match_rows(matches)
        problems = [(f.path, "error", f.message) for f in errors]
        problems += [(s.path, "skipped", s.reason.value) for s in skipped]
        order = [r.path for r in ranked]
        self.summary = self._store.finish(order, {r.path: r.summary for r in ranked}, tables, problems)
        return self.summary

    def close(self) -> None:
        """Release the store (`contextlib.closing(RunStore(…))` for a with-block)."""
        self._store.close()


def stored_documents(path: str) -> tuple[list[tuple[str, Document]], list[Failure], list[Skipped]]:
    """Every document a store holds, as (path, analysis) in input order; the problems its last run logged as
    Failures; and the files that run left out on purpose."""
    with ResultStore.open(Path(path), write=False) as store:
        out, errors = [], []
        for doc_path, payload in store.documents():
            try:
                if payload is None:
                    raise CacheEntryError("checksum")
                out.append((doc_path, decode_document(payload, doc_path)))
            except CacheEntryError:  # damage is reported, never trusted
                errors.append(Failure(path, _("stored analysis of {document} is damaged").format(
                    document=doc_path) + " — " + _("run the command that wrote it again with --resume")))
        skipped = []
        reasons = {r.value: r for r in SkipReason}
        for doc_path, kind, message in store.problems():
            if kind == "error":
                errors.append(Failure(doc_path, message))
            elif message in reasons:
                skipped.append(Skipped(doc_path, reasons[message]))
        if not out and not errors:
            raise InputError(_("the results store holds no documents"), path=path,
                             hint=_("write one first: painpoint match --store FILE"))
        return out, errors, skipped


def stored_plans(path: str) -> tuple[list[Plan], list[Failure]]:
    """The plans a store holds (see `stored_documents`), for commands that need only the plans."""
    documents, errors, _skipped = stored_documents(path)
    return [doc[0] for _, doc in documents], errors
