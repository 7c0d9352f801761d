"""The core jobs behind the commands: read plans, find their pain points, match organizations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from painpoint.errors import InputError, PainpointError
from painpoint.i18n import _, language, set_language
from painpoint.ingest.discover import Skipped, SkipReason
from painpoint.plans.structure import Plan, parse_plan

# the result types and the process-wide segmenter live below the pipeline; named here as they always were
from painpoint.results import Failure, MatchResult, Progress, ScannedPlan, ScanResult, no_progress
from painpoint.text.segmenter import Backend, Segmenter
from painpoint.themes.extract import PlanSignals, RankingStats, collect_signals, rank_pain_points, rank_plan
from painpoint.themes.segmentation import default_segmenter
from painpoint.themes.taxonomy import Taxonomy, load_taxonomy, packaged_taxonomy

if TYPE_CHECKING:
    from painpoint.match.pitch import Pitch
    from painpoint.orgs import OrgProfile
    from painpoint.runstore import Ranked, RunStore


def failure(exc: PainpointError, path: str) -> Failure:
    """A Failure whose message does not repeat the path."""
    message = exc.message + (f" — {exc.hint}" if exc.hint else "")
    if exc.line is not None:
        message = _("line {line}: {message}").format(line=exc.line, message=message)
    return Failure(exc.path or path, message)


def read_plans(paths: Sequence[str], progress: Progress = no_progress
               ) -> tuple[list[Plan], list[Failure], list[Skipped]]:
    """Discover and parse every plan under `paths`; a bad file is reported and the rest still read. Also
    returns the files read but left out: each plan whose text repeats an earlier one's."""
    from painpoint.ingest import discover, read_document

    stores, paths = _split_stores(paths)  # results store (--store): its plans as stored
    plans, errors = [], []
    for store in stores:
        from painpoint.runstore import stored_plans

        stored, problems = stored_plans(store)
        plans += stored
        errors += problems
    if not paths and stores:
        return plans, errors, []
    files, found_problems = discover(paths)
    errors += [failure(p, p.path or "") for p in found_problems]
    duplicates = _Duplicates(plans)
    skipped: list[Skipped] = []
    for i, path in enumerate(files):
        progress(i, len(files), path)
        try:
            plan = parse_plan(read_document(path))
        except PainpointError as exc:
            errors.append(failure(exc, path))
            continue
        repeated = duplicates.check(plan)
        if repeated is not None:
            skipped.append(repeated)
        else:
            plans.append(plan)
    progress(len(files), len(files), "")
    return plans, errors, skipped


class _Duplicates:
    """Plans whose text was read before in the same run: the same plan saved twice (民政局工作要点.doc and
    .wps, or downloaded from two pages) is counted once, not given double weight in every match.

    Compared on a digest of the normalised text of the plan's sentences, so two copies in different
    formats, encodings or line breaks are the same plan; the first in input order is the one kept.
    """

    def __init__(self, plans: Sequence[Plan] = ()) -> None:
        self.first: dict[str, str] = {}
        for plan in plans:
            if plan.sentences:
                self.first.setdefault(_text_digest(plan), plan.path)

    def check(self, plan: Plan) -> Skipped | None:
        """None for a plan whose text is new (remembered from now on), else how it is left out."""
        if not plan.sentences:  # nothing to compare: no two such files are known to be the same
            return None
        earlier = self.first.setdefault(_text_digest(plan), plan.path)
        if earlier == plan.path:  # the same file given twice is discover's to merge, not a copy
            return None
        return Skipped(plan.path, SkipReason.DUPLICATE, earlier)


def _text_digest(plan: Plan) -> str:
    """The digest of what the plan says and who it is: one joint notice filed under two bureaus' names gives
    two departments their plan, and is no copy."""
    import hashlib

    digest = hashlib.sha256()
    digest.update(f"{plan.department or ''}\n{plan.title or ''}\n".encode("utf-8", "surrogatepass"))
    for sentence in plan.sentences:
        digest.update(sentence.text.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def _split_stores(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """(results stores, the other paths) among `paths`: a .db file where plans are expected is a store."""
    from painpoint.storage.results import is_store_path

    stores = [p for p in paths if is_store_path(p)]
    return stores, [p for p in paths if p not in stores]


# ---- streaming analysis: read → parse → signals, one document at a time, cached, in worker processes ----


@dataclass(frozen=True)
class Analysed:
    """One document's analysis: what the cache stores and worker processes send back."""

    plan: Plan
    """The parsed plan; its document keeps path, format, title and encoding but not its raw lines."""
    signals: PlanSignals
    """Its theme and phrase mass."""
    terms: Counter[str] | None
    """Term counts of its department text (`department_terms`), when matching asked for them."""
    payload: bytes | None = None
    """The analysis encoded (themes.codec) when a results store records the run: encoded once, by the worker,
    for the cache and the store alike."""


def _without_lines(plan: Plan) -> Plan:
    """The plan without its document's raw lines: the sentences hold the text, with line numbers.

    The lines repeat the whole text once more; dropping them after parsing takes ~9% off every plan held
    and a third off its cache entry.
    """
    from dataclasses import replace

    return replace(plan, document=replace(plan.document, lines=(), line_numbers=()))


def department_terms(plan: Plan, segmenter: Segmenter) -> Counter[str]:
    """Term counts of the sentences match.build_departments joins into a department's text."""
    from painpoint.plans.structure import SentenceKind

    counts: Counter[str] = Counter()
    for s in plan.sentences:
        if s.kind is not SentenceKind.FURNITURE and not s.boilerplate:
            counts.update(segmenter.terms(s.text))
    return counts


def available_cpus() -> int:
    """CPUs this process may run on (a container's limit, not the host's count, where the OS tells)."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class _Analysis:
    """How one run analyses documents: taxonomy, engine, cache. Worker processes inherit or rebuild it."""

    def __init__(self, taxonomy: Taxonomy, segmenter: Segmenter | None, backend: Backend | str,
                 store_root: str | None, with_terms: bool) -> None:
        from painpoint.cache import open_store, package_digest, store_key
        from painpoint.text.segmenter import engine_version, libraries_version

        self.taxonomy = taxonomy
        self.custom = segmenter is not None or taxonomy is not packaged_taxonomy()
        self.backend = Backend(backend)
        self.with_terms = with_terms
        self.encode = False
        """Return each computed analysis encoded too (a results store records the run)."""
        self.store_root = store_root
        self.store = open_store(root=Path(store_root)) if store_root is not None else None
        self._segmenter = segmenter
        # everything a document's analysis depends on besides its bytes and path: painpoint's code and data,
        # the engine, and jieba (its IDF table, and the dictionary the lexicon is compiled against)
        self._key_base = (store_key("plan/1", package_digest(), engine_version(self.backend),
                                    engine_version(Backend.JIEBA), libraries_version()) if self.store else "")

    def version(self) -> str:
        """What a document's analysis depends on besides its bytes and path (see the cache key)."""
        from painpoint.cache import package_digest, store_key
        from painpoint.text.segmenter import engine_version, libraries_version

        return self._key_base or store_key("plan/1", package_digest(), engine_version(self.backend),
                                           engine_version(Backend.JIEBA), libraries_version())

    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            self._segmenter = default_segmenter(self.backend)
        return self._segmenter

    def key(self, path: str, digest: str) -> str:
        from painpoint.cache import store_key

        return store_key(self._key_base, path, digest)

    def cached(self, path: str) -> bool:
        """Whether the cache holds an entry for the file as it is now (intact or not: `lookup` checks)."""
        from painpoint.storage.primitives import file_digest

        if self.store is None:
            return False
        digest = file_digest(path)
        return digest is not None and self.store.has("plan", self.key(path, digest))

    def lookup(self, path: str, digest: str | None = None) -> tuple[str | None, Analysed | None]:
        """(content digest, cached analysis or None); digest None when there is no cache (and none given)."""
        from painpoint.storage.primitives import file_digest
        from painpoint.themes.codec import DocumentCodec

        if self.store is None:
            return digest, None
        digest = digest or file_digest(path)
        if digest is None:
            return None, None
        cached = self.store.load("plan", self.key(path, digest), DocumentCodec(path))  # a bad entry is discarded
        if cached is None:
            return digest, None
        plan, signals, terms = cached
        if self.with_terms and terms is None:
            # written by a scan: matching needs the department terms too, added to the entry
            terms = department_terms(plan, self.segmenter())
            self._store(path, digest, plan, signals, terms)
        return digest, Analysed(plan, signals, terms)

    def compute(self, path: str, digest: str | None) -> Analysed | Failure:
        """Read, parse and analyse one document; cache the result if the bytes read are those of `digest`.

        Comparing what was read, not the file afterwards: a file edited while the run read it and then put
        back would otherwise store the edited text's analysis under the original's key.
        """
        from painpoint.ingest import read_document

        try:
            plan = _without_lines(parse_plan(read_document(path)))
        except PainpointError as exc:
            return failure(exc, path)
        terms: Counter[str] | None = Counter() if self.with_terms else None
        signals = collect_signals(plan, self.taxonomy, self.segmenter(), terms)
        payload = None
        if self.encode or self.store is not None:
            from painpoint.themes.codec import encode_document

            payload = encode_document(plan, signals, terms)  # DocumentCodec's bytes, made once for both
        if self.store is not None and payload is not None and digest is not None and plan.document.digest == digest:
            self.store.put("plan", self.key(path, digest), payload)
        return Analysed(plan, signals, terms, payload if self.encode else None)

    def _store(self, path: str, digest: str, plan: Plan, signals: PlanSignals,
               terms: Counter[str] | None) -> None:
        from painpoint.themes.codec import DocumentCodec

        if self.store is not None:
            self.store.save("plan", self.key(path, digest), (plan, signals, terms), DocumentCodec(path))


_ACTIVE: _Analysis | None = None
"""The analysis a worker process runs: inherited through fork, or rebuilt by `_init_worker`."""


def _init_worker(recipe: tuple[str, str | None, bool, bool] | None, language: str) -> None:
    import signal

    global _ACTIVE
    set_language(language)  # a spawned worker would otherwise take the locale, not --lang or painpoint.toml
    # Ctrl-C reaches the whole process group: the parent stops the pool (its exit terminates the workers) and
    # prints one line; a worker that took it too would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if recipe is not None:  # spawned, not forked: rebuild from the recipe
        backend, store_root, with_terms, encode = recipe
        _ACTIVE = _Analysis(load_taxonomy(), None, backend, store_root, with_terms)
        _ACTIVE.encode = encode


def _work(path: str) -> Analysed | Failure:
    assert _ACTIVE is not None, "worker started without an analysis"
    digest, hit = _ACTIVE.lookup(path)
    return hit if hit is not None else _ACTIVE.compute(path, digest)


def analyse(files: Sequence[str], analysis: _Analysis, *, jobs: int = 1, progress: Progress = no_progress,
            store: RunStore | None = None) -> list[Analysed | Failure]:
    """Each file's analysis in input order: cached ones read back, the rest computed, in `jobs` processes.

    One document is read, parsed and analysed at a time per process; only its Plan and signals are kept.
    `jobs` <= 0 picks one process per CPU when there is enough uncached work to be worth starting them.
    `store` (--store): documents it holds unchanged are taken from it, every other one is recorded in it as
    soon as it is analysed (one transaction each), so a killed run keeps what it finished.
    """
    return list(iter_analysed(files, analysis, jobs=jobs, progress=progress, store=store))


def iter_analysed(files: Sequence[str], analysis: _Analysis, *, jobs: int = 1, progress: Progress = no_progress,
                  store: RunStore | None = None) -> Iterator[Analysed | Failure]:
    """`analyse`, one document at a time: each analysis is yielded in input order as soon as it is ready,
    and the caller decides what to keep of it (a streamed match keeps no plan)."""
    import sys

    global _ACTIVE
    total = len(files)
    if jobs == 1:
        pending = None  # no need to know beforehand: every document is looked up, then computed, in turn
    else:
        # which documents need computing (a cheap check: no entry is read), to size the pool by them
        pending = [i for i, path in enumerate(files) if not _held(store, analysis, path)]
        if jobs <= 0:
            # a worker costs ~10 ms to fork and a document ~50 ms: below a few documents each it does not pay
            jobs = min(available_cpus(), len(pending) // 4)
        jobs = min(jobs, len(pending))
    forked = sys.platform.startswith("linux")
    if not forked and analysis.custom:
        jobs = 1  # a spawned worker can only rebuild the packaged taxonomy and segmenter
    computed = 0
    if jobs <= 1 or pending is None:
        for i, path in enumerate(files):
            progress(i, total, path)
            outcome, fresh = _in_turn(path, analysis, store)
            computed += fresh
            yield outcome
    else:
        import multiprocessing

        # forked workers inherit the loaded segmenter; spawned ones (macOS, Windows) rebuild from a recipe
        recipe = None if forked else (analysis.backend.value, analysis.store_root, analysis.with_terms,
                                      analysis.encode)
        if forked:
            from painpoint.themes.extract import load_tables

            analysis.segmenter()
            load_tables()  # once here, not once per worker: the IDF table is most of a worker's start-up
        _ACTIVE = analysis
        context = multiprocessing.get_context("fork" if forked else "spawn")
        to_compute = set(pending)
        try:
            with context.Pool(jobs, initializer=_init_worker, initargs=(recipe, language())) as pool:
                # workers look the pending documents up again (a file may have changed since) and compute
                # what is still missing; cached or stored ones are read here, in turn, as their place comes
                outcomes = pool.imap(_work, [files[i] for i in pending])
                for i, path in enumerate(files):
                    progress(i, total, path)
                    if i in to_compute:
                        computed += 1
                        outcome = next(outcomes)
                        _record(store, path, outcome)
                        yield outcome
                        continue
                    outcome, fresh = _in_turn(path, analysis, store)
                    computed += fresh
                    yield outcome
        finally:
            _ACTIVE = None
    if computed and analysis.store is not None:
        analysis.store.prune()
    progress(total, total, "")


# ---- the results store's hooks in `analyse` (painpoint.runstore) ----


def _in_turn(path: str, analysis: _Analysis, store: RunStore | None) -> tuple[Analysed | Failure, bool]:
    """(one document's analysis: from the store, the cache or computed here; whether it was computed)."""
    digest = _store_digest(store, path)
    stored = _from_store(store, path, digest, analysis) if store is not None else None
    if stored is not None:  # ---- results store (--store, --resume): an unchanged document is not analysed again
        return stored, False
    digest, hit = analysis.lookup(path, digest)
    outcome = hit if hit is not None else analysis.compute(path, digest)
    _record(store, path, outcome)
    return outcome, hit is None


def _held(store: RunStore | None, analysis: _Analysis, path: str) -> bool:
    """Whether the store or the cache holds the document as it is now (checked cheaply, before any worker)."""
    if store is not None and store.holds(path, _store_digest(store, path)):
        return True
    return analysis.cached(path)


def _store_digest(store: RunStore | None, path: str) -> str | None:
    """The file's digest when a store needs it (the cache, when on, hashes the file itself)."""
    from painpoint.storage.primitives import file_digest

    return file_digest(path) if store is not None else None


def _from_store(store: RunStore, path: str, digest: str | None, analysis: _Analysis) -> Analysed | None:
    stored = store.reuse(path, digest)
    if stored is None:
        return None
    plan, signals, terms = stored
    if analysis.with_terms and terms is None:  # stored by a scan: matching needs the department terms too
        terms = department_terms(plan, analysis.segmenter())
        store.complete(path, (plan, signals, terms))
    return Analysed(plan, signals, terms)


def _record(store: RunStore | None, path: str, outcome: Analysed | Failure) -> None:
    if store is not None and isinstance(outcome, Analysed):
        store.record(path, (outcome.plan, outcome.signals, outcome.terms), outcome.payload)


def scan(paths: Sequence[str], *, top: int = 10, progress: Progress = no_progress,
         taxonomy: Taxonomy | None = None, segmenter: Segmenter | None = None, cache: bool = True,
         jobs: int = 1, backend: Backend | str = Backend.AUTO, store: RunStore | None = None) -> ScanResult:
    """Read plans and rank each one's pain points.

    `cache`: reuse and store per-document results in the user cache (only with the packaged taxonomy and
    segmenter, which the cache key can name). `jobs`: worker processes (<= 0: one per CPU when worth it).
    `backend`: segmentation engine (auto, jieba, rjieba) when no `segmenter` is given. `store`: record the
    run in a results store (painpoint.runstore), reusing the unchanged documents it holds. A path ending in
    .db names a results store to read plans from.
    """
    result = _scan(paths, top=top, progress=progress, taxonomy=taxonomy, segmenter=segmenter, cache=cache,
                   jobs=jobs, backend=backend, store=store)[0]
    if store is not None:  # ---- results store: the run's pain points and problems, the run log ----
        store.finish(result.plans, result.errors, result.skipped)
    return result


def _scan(paths: Sequence[str], *, top: int, progress: Progress, taxonomy: Taxonomy | None,
          segmenter: Segmenter | None, cache: bool, jobs: int, backend: Backend | str,
          with_terms: bool = False, store: RunStore | None = None
          ) -> tuple[ScanResult, list[Counter[str] | None]]:
    from painpoint.cache import default_cache_dir
    from painpoint.ingest.discover import discover_all

    taxonomy = taxonomy or load_taxonomy()
    packaged = taxonomy is packaged_taxonomy()  # user themes (--themes) change every result: no cache
    store_root = str(default_cache_dir()) if cache and packaged and segmenter is None else None
    analysis = _Analysis(taxonomy, segmenter, backend, store_root, with_terms)
    sources, paths = _split_stores(paths)
    if store is not None:
        store.start(analysis.version(), custom=analysis.custom)
        analysis.encode = True
    analysed: list[Analysed] = []
    errors: list[Failure] = []
    skipped: list[Skipped] = []
    for source in sources:  # ---- plans read back from a results store: analysed as they were stored ----
        from painpoint.runstore import stored_documents

        documents, problems, left_out = stored_documents(source)
        for _path, (plan, plan_signals, terms) in documents:
            if with_terms and terms is None:
                terms = department_terms(plan, analysis.segmenter())
            analysed.append(Analysed(plan, plan_signals, terms))
            _record(store, plan.path, analysed[-1])  # a store read into another one is copied into it
        errors += problems
        skipped += left_out
    found = discover_all(paths) if paths or not sources else None
    if found is not None:
        errors += [failure(p, p.path or "") for p in found.problems]
        skipped += found.skipped
        duplicates = _Duplicates([a.plan for a in analysed])
        for outcome in analyse(found.files, analysis, jobs=jobs, progress=progress, store=store):
            if isinstance(outcome, Failure):
                errors.append(outcome)
            elif _organization_text(outcome):
                skipped.append(Skipped(outcome.plan.path, SkipReason.ORGANIZATION_TEXT))
            elif (repeated := duplicates.check(outcome.plan)) is not None:
                skipped.append(repeated)
            else:
                analysed.append(outcome)
    analysed, manifest_errors = _with_manifests(analysed)
    errors += manifest_errors
    signals = [a.signals for a in analysed]
    ranked = rank_pain_points(signals, taxonomy, top=top if top > 0 else 10_000)
    scanned = tuple(ScannedPlan(a.plan, tuple(r), a.signals) for a, r in zip(analysed, ranked, strict=True))
    return ScanResult(scanned, tuple(errors), tuple(skipped)), [a.terms for a in analysed]


def _with_manifests(analysed: list[Analysed]) -> tuple[list[Analysed], list[Failure]]:
    """Each analysis with the department, place, year … a manifest beside its plan sets (plans.yaml/csv)."""
    manifests = _Manifests()
    out = [manifests.apply(a) for a in analysed]
    return out, manifests.failures()


class _Manifests:
    """Manifests applied one analysis at a time (plans.manifest.apply_manifests, streamed): each manifest
    is read once per run, and a broken one is one problem, its plans left as inferred."""

    def __init__(self) -> None:
        from painpoint.plans.manifest import Entry

        self.loaded: dict[str, dict[str, Entry]] = {}
        self.seen: dict[str, tuple[str, ...]] = {}
        self.problems: dict[str, InputError] = {}

    def apply(self, a: Analysed) -> Analysed:
        from dataclasses import replace

        from painpoint.plans.manifest import apply_entry, entry_for

        try:
            entry = entry_for(a.plan.path, self.loaded, self.seen)
        except InputError as exc:
            self.problems.setdefault(exc.path or "", exc)
            return a
        if entry is None:
            return a
        plan = apply_entry(a.plan, entry)
        return a if plan is a.plan else replace(a, plan=plan, signals=replace(a.signals, plan=plan))

    def failures(self) -> list[Failure]:
        return [failure(p, p.path or "") for p in self.problems.values()]


class _Spill:
    """A run's own scratch file (deleted on close): pass 1 of a streamed match writes each document's
    analysis to it, pass 2 reads them back one at a time, so no plan stays in memory between the passes.
    Analysing again would double the time of a run without a cache; the per-document cache, when on, may
    be smaller than the corpus and is pruned between the passes."""

    def __enter__(self) -> _Spill:
        import tempfile

        from painpoint.plans.codec import sentences_at

        sentences_at()  # the rows below name Sentence's fields as the cache's columns do: fails if they change
        self.file = tempfile.TemporaryFile(prefix="painpoint-", suffix=".spill")
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def write(self, analysed: Analysed) -> int:
        """Store one analysis; returns where to `read` it."""
        import pickle
        from dataclasses import replace

        offset = self.file.seek(0, 2)
        plan = analysed.plan
        # sentences as plain rows: pickling hundreds of slotted dataclasses a plan costs three times as much
        rows = [(s.line, s.text, s.kind, s.section, s.level, s.intensity, s.boilerplate, s.units, s.original)
                for s in plan.sentences]
        bare = replace(plan, sentences=())  # the signals' plan too: pickled once
        pickle.dump((bare, rows, replace(analysed.signals, plan=bare), analysed.terms), self.file,
                    protocol=pickle.HIGHEST_PROTOCOL)
        return offset

    def read(self, offset: int) -> Analysed:
        import pickle
        from dataclasses import replace

        from painpoint.plans.structure import Sentence

        self.file.seek(offset)
        plan, rows, signals, terms = pickle.load(self.file)  # noqa: S301 (this run's own file, written just before)
        plan = replace(plan, sentences=tuple([Sentence(*row) for row in rows]))
        return Analysed(plan, replace(signals, plan=plan), terms)


@dataclass
class _Counted:
    """What pass 1 of a streamed match keeps: no plan, only where each is spilled and what ranking needs."""

    groups: dict[str, list[tuple[int, int]]]
    """Department label -> (input position, spill offset) of its plans, in input order."""
    stats: RankingStats
    """Theme and phrase document counts over all plans read (themes.extract.rank_plan)."""
    errors: list[Failure]
    """Inputs that could not be used, in the order a one-pass scan reports them."""
    skipped: tuple[Skipped, ...]
    """Files left out on purpose."""
    documents: list[tuple[str, str]]
    """(path, digest) of every plan read, in input order."""


def _first_pass(paths: Sequence[str], spill: _Spill, *, progress: Progress, taxonomy: Taxonomy,
                segmenter: Segmenter | None, cache: bool, jobs: int, backend: Backend | str,
                store: RunStore | None = None) -> _Counted:
    """Pass 1: analyse (or read from the cache or the results store) each plan, record it in the store,
    spill it, and count what ranking needs."""
    from painpoint.cache import default_cache_dir
    from painpoint.ingest.discover import discover_all

    packaged = taxonomy is packaged_taxonomy()  # user themes (--themes) change every result: no cache
    store_root = str(default_cache_dir()) if cache and packaged and segmenter is None else None
    analysis = _Analysis(taxonomy, segmenter, backend, store_root, with_terms=True)
    if store is not None:
        store.start(analysis.version(), custom=analysis.custom)
        analysis.encode = True
    found = discover_all(paths)
    errors = [failure(p, p.path or "") for p in found.problems]
    manifests = _Manifests()
    stats = RankingStats()
    groups: dict[str, list[tuple[int, int]]] = {}
    documents: list[tuple[str, str]] = []
    position = 0
    left_out = list(found.skipped)
    duplicates = _Duplicates()
    for outcome in iter_analysed(found.files, analysis, jobs=jobs, progress=progress, store=store):
        if isinstance(outcome, Failure):
            errors.append(outcome)
            continue
        if _organization_text(outcome):
            left_out.append(Skipped(outcome.plan.path, SkipReason.ORGANIZATION_TEXT))
            continue
        repeated = duplicates.check(outcome.plan)
        if repeated is not None:
            left_out.append(repeated)
            continue
        analysed = manifests.apply(outcome)
        stats.add(analysed.signals)
        groups.setdefault(analysed.plan.label, []).append((position, spill.write(analysed)))
        documents.append((analysed.plan.document.path, analysed.plan.document.digest))
        position += 1
    return _Counted(groups, stats, errors + manifests.failures(), tuple(left_out), documents)


def _organization_text(analysed: Analysed) -> bool:
    """An organization's own introduction (its title says 机构介绍) among the plans: read, and left out of scan
    and match with a note, never counted as a department's plan (`orgs import` is what reads it)."""
    from painpoint.plans.metadata import ORGANIZATION_TEXT

    meta = analysed.plan.metadata
    return meta is not None and meta.kind == ORGANIZATION_TEXT

class KnownTerms:
    """A scikit-learn analyzer that returns the terms of department texts from the per-document counts.

    Matching compares wording by TF-IDF over each department's text; its plans were already segmented (or
    read back from the cache), so the text need not be segmented again. A department text is registered
    only when rebuilding it from its plans gives exactly the text build_departments made; any other text
    (an organization's, or a department built some other way) is segmented as usual. Term order does not
    matter to TF-IDF, and the engines split text at every newline, so the counts give the same vectors.
    """

    def __init__(self, segmenter: Segmenter, plans: Sequence[ScannedPlan],
                 terms: Sequence[Counter[str] | None], departments: Sequence) -> None:  # type: ignore[type-arg]
        from painpoint.plans.structure import SentenceKind

        self.segmenter = segmenter
        by_path: dict[str, list[tuple[ScannedPlan, Counter[str]]]] = {}
        for sp, counts in zip(plans, terms, strict=True):
            if counts is not None:
                by_path.setdefault(sp.plan.path, []).append((sp, counts))
        self._known: dict[str, Counter[str]] = {}
        for dept in departments:
            members = [m for path in dict.fromkeys(dept.documents) for m in by_path.get(path, ())]
            if len(members) != len(dept.documents):
                continue
            text = "\n".join(s.text for sp, _ in members for s in sp.plan.sentences
                             if s.kind is not SentenceKind.FURNITURE and not s.boilerplate)
            if text == dept.text:
                total: Counter[str] = Counter()
                for _, counts in members:
                    total.update(counts)
                self._known[dept.text] = total

    def __call__(self, text: str) -> list[str]:
        counts = self._known.get(text)
        return list(counts.elements()) if counts is not None else self.segmenter.terms(text)

    def counts(self, text: str) -> Counter[str]:
        """Term counts of `text` (read-only): what Counter(self(text)) would give, without expanding them."""
        counts = self._known.get(text)
        return counts if counts is not None else Counter(self.segmenter.terms(text))


def load_orgs(paths: Sequence[str], *, cache: bool = False) -> tuple[list, list[Failure]]:  # type: ignore[type-arg]
    """Profiles from folders/files; each problem line becomes a Failure naming its file.

    `cache`: keep and reuse valid profiles' parsed form in the user cache (see orgs.load_profiles).
    """
    from painpoint.orgs import load_profiles

    profiles, problems = load_profiles(list(paths), cache=cache)
    return profiles, _failures(problems)


def _failures(problems: Sequence[str]) -> list[Failure]:
    # problem lines read `path: field: message` or `path:LINE: message`; one Failure per file
    by_path: dict[str, list[str]] = {}
    for line in problems:
        m = re.match(r"^(.+?)(?::(\d+))?: (.*)$", line)
        path, number, message = (m.group(1), m.group(2), m.group(3)) if m else (line, None, line)
        by_path.setdefault(path, []).append(
            _("line {line}: {message}").format(line=number, message=message) if number else message)
    return [Failure(path, "; ".join(messages)) for path, messages in by_path.items()]


_SHOWN_REJECTED = 5
"""Rejected profile files named in the one-line error of match/pitch/report; `orgs check` lists them all."""


def _check_orgs(problems: Sequence[str], profiles: Sequence[OrgProfile], org_paths: Sequence[str],
                org_id: str | None) -> None:
    """Stop before any plan is read when no profile loaded, or `org_id` is none of them.

    Either way the reason is usually a profile file that was rejected (a key such as 联系电话 the schema does
    not know, a YAML slip, a 机构介绍.docx given as --orgs): the error names each such file with its first
    problem, as `orgs check` prints it, instead of only saying the id is unknown.
    """
    from painpoint.errors import UsageError

    ids = {p.id for p in profiles}
    if profiles and (org_id is None or org_id in ids):
        return
    first: dict[str, str] = {}
    for line in problems:  # `path:LINE: …` or `path: …`, the first of each file
        m = re.match(r"^(.+?)(?::\d+)?: ", line)
        first.setdefault(m.group(1) if m else line, line)
    rejected = list(first.values())
    shown = "; ".join(rejected[:_SHOWN_REJECTED])
    if len(rejected) > _SHOWN_REJECTED:
        shown += _(" (and {n} more)").format(n=len(rejected) - _SHOWN_REJECTED)
    paths = ", ".join(org_paths)
    check = _("painpoint orgs check {paths} lists every problem").format(paths=" ".join(org_paths))
    if not profiles:
        raise UsageError(_("no organization profile could be loaded from {paths}: {problems}").format(
            paths=paths, problems=shown or _("no profile files")), hint=check)
    known = _("known ids: {ids}").format(ids=", ".join(sorted(ids)[:10]))
    if rejected:  # a typo in --org beside a broken file: both the valid ids and the broken files are news
        raise UsageError(_("no organization with id '{org_id}' in {paths}, and {n} profile file(s) could not be "
                           "loaded: {problems}").format(org_id=org_id, paths=paths, n=len(rejected),
                                                        problems=shown), hint=f"{known}; {check}")
    raise UsageError(_("no organization with id '{org_id}' in {paths}").format(org_id=org_id, paths=paths),
                     hint=known)


def match(plan_paths: Sequence[str], org_paths: Sequence[str], *, org_id: str | None = None,
          department: str | None = None, top: int = 5, progress: Progress = no_progress,
          cache: bool = True, jobs: int = 1, backend: Backend | str = Backend.AUTO,
          taxonomy: Taxonomy | None = None, segmenter: Segmenter | None = None,
          store: RunStore | None = None, keep_plans: bool = True) -> MatchResult:
    """Rank organizations against each department's pain points (`cache`, `jobs`, `backend`, `taxonomy`,
    `segmenter`, `store`: see scan).

    Two passes over the plans. Pass 1 analyses each (or reads it from the per-document cache), writes it to a
    scratch file and keeps only what ranking across plans needs: theme and phrase counts, and which plans
    make up each department. Pass 2 reads them back one department at a time to rank pain points, merge the
    department and count its terms; then organizations are scored and the best kept. Memory grows with the
    departments (their pain points, evidence and term counts) and the vocabulary, not with the text.
    `keep_plans`: also keep every plan, sentences and all, in MatchResult.plans (report, pitch and links
    quote them); False leaves it empty, and Department.text too (its credential asks are kept instead).
    `store` (--store): every analysed document is recorded as pass 1 goes, each plan's pain points as pass 2
    ranks it. A run that reads plans from a results store is analysed in one pass and keeps every plan.
    """
    from painpoint.errors import UsageError
    from painpoint.match import build_departments, capability, match_all
    from painpoint.match.score import _with_parts as with_parts
    from painpoint.match.score import build_department, names_department, term_parts
    from painpoint.match.streaming import TermVectors, top_n
    from painpoint.orgs import load_profiles

    # profiles first: a wrong --orgs or --org is told before minutes of reading plans
    profiles, org_problems = load_profiles(list(org_paths), cache=cache)
    _check_orgs(org_problems, profiles, org_paths, org_id)
    org_errors = _failures(org_problems)
    taxonomy = taxonomy or load_taxonomy()
    streamed = not _split_stores(plan_paths)[0]
    with _Spill() as spill, TermVectors() as vectors:
        if streamed:
            counted = _first_pass(plan_paths, spill, progress=progress, taxonomy=taxonomy, segmenter=segmenter,
                                  cache=cache, jobs=jobs, backend=backend, store=store)
            errors, skipped, documents = counted.errors, counted.skipped, tuple(counted.documents)
            names = sorted(counted.groups)
        else:  # ---- plans read from a results store: one pass, every plan kept ----
            result, plan_terms = _scan(plan_paths, top=10, progress=progress, taxonomy=taxonomy,
                                       segmenter=segmenter, cache=cache, jobs=jobs, backend=backend,
                                       with_terms=True, store=store)
            errors, skipped = list(result.errors), result.skipped
            documents = tuple((sp.plan.document.path, sp.plan.document.digest) for sp in result.plans)
            departments = build_departments(result.plans, taxonomy)
            names = [d.name for d in departments]
        shown = names
        if department:
            # matched against every department and filtered afterwards: the wording statistics are learned from
            # all of them, so a score does not change with the filter (the same scores as match, report and pitch)
            shown = [name for name in names if names_department(department, name)]
            if not shown and names:
                raise UsageError(_("no department matches '{name}'").format(name=department),
                                 hint=_("departments found: {names}").format(names="、".join(names[:12])))
        segmenter = segmenter or default_segmenter(backend)  # the chosen engine for profiles too, not a second one
        caps = [capability(p, taxonomy, segmenter.cut) for p in profiles]
        if streamed:
            # pass 2: one department at a time, its plans read back from the scratch file
            parts = term_parts(taxonomy)
            departments = []
            kept_plans: list[tuple[int, ScannedPlan]] = []
            ranked: list[tuple[int, Ranked]] = []  # what the results store records of each plan, no text
            for name in names:
                members: list[ScannedPlan] = []
                terms: Counter[str] = Counter()
                for position, offset in counted.groups[name]:
                    analysed = spill.read(offset)
                    points = rank_plan(analysed.signals, counted.stats, taxonomy, top=10)
                    members.append(ScannedPlan(analysed.plan, tuple(points), analysed.signals))
                    terms.update(analysed.terms or ())
                    if store is not None:
                        ranked.append((position, store.ranked(members[-1])))
                if keep_plans:
                    kept_plans += zip((position for position, _offset in counted.groups[name]), members,
                                      strict=True)
                departments.append(build_department(name, members, taxonomy, keep_text=keep_plans))
                vectors.add(with_parts(terms, parts))
            plans = tuple(sp for _position, sp in sorted(kept_plans, key=lambda x: x[0]))
            analyzer = segmenter.terms
            sims = vectors.similarities(caps, analyzer, parts)
        else:
            plans = result.plans
            analyzer = KnownTerms(segmenter, result.plans, plan_terms, departments)
            sims = None

    def keep(rank: int, org: str) -> bool:
        # explain only the pairs kept below: all of one organization's, or each department's top few
        return org == org_id if org_id is not None else top <= 0 or rank <= top

    matches = match_all(departments, caps, taxonomy, analyzer, keep=keep,
                        limit=top if org_id is None and top > 0 else None, sims=sims)
    if shown is not names:
        chosen = set(shown)
        matches = [m for m in matches if m.department in chosen]
        departments = [d for d in departments if d.name in chosen]
    if org_id is not None:
        kept = top_n((m for m in matches if m.org_id == org_id), top, key=lambda m: (-m.score, m.department))
    else:
        kept = [m for m in matches if top <= 0 or m.rank <= top]
    out = MatchResult(tuple(departments), tuple(kept), tuple(errors) + tuple(org_errors), plans,
                      tuple(profiles), skipped, documents)
    if store is not None:  # ---- results store: departments, the matches kept, problems, the run log ----
        in_order = [r for _position, r in sorted(ranked, key=lambda x: x[0])] if streamed else plans
        store.finish(in_order, out.errors, out.skipped, out.departments, out.matches)
    return out


def pitch(plan_paths: Sequence[str], org_paths: Sequence[str], *, org_id: str, department: str,
          progress: Progress = no_progress) -> tuple[Pitch, MatchResult]:
    """Read plans and profiles, match `org_id` against every department and build its brief for one.

    Scores equal those of `painpoint match` and `painpoint report` on the same inputs: the department is
    picked after matching, so it does not shrink the set the wording statistics are learned from.
    """
    from painpoint.match.pitch import build_pitch

    result = match(plan_paths, org_paths, org_id=org_id, top=0, progress=progress)
    if not result.departments and result.errors:  # the real cause first: no plan could be read
        first = result.errors[0]
        raise InputError(first.message, path=first.path)
    return build_pitch(result, org_id, department), result
