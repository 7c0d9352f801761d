"""The results store: one SQLite file a run writes as it goes, so a long run can be stopped and resumed.

    store = ResultStore.open(Path("results.db"), resume=True)   # refuses a newer schema, a foreign file …
    store.begin("match", "0.2.0", code_version)
    hit = store.reusable(path, digest, code_version)            # the payload of an unchanged document, or None
    store.put_document(path, digest, code_version, payload, summary)   # one transaction: kept if killed later
    store.finish(order, tables={"pain_points": rows, …}, problems=[…]) # drops removed documents, logs the run
    store.close()

The store knows tables and rows, never a plan or a match: each domain module turns its own types into rows
(painpoint.plans.codec, painpoint.themes.codec, painpoint.match.codec) and a document's analysis into a payload.
Payloads are sealed with a checksum (painpoint.storage.primitives) like cache entries: a damaged one is
analysed again on --resume, never trusted. The database runs in WAL mode with one transaction per document,
so a run killed at any point keeps every document it finished. Commits are not synced one by one
(`synchronous = NORMAL`): a killed process loses nothing committed; a power cut may lose the last documents
(never the file's consistency), which --resume then analyses again. One run writes a store at a time (a lock on
the file); readers may read it meanwhile.

Tables (schema version 1, in `PRAGMA user_version`; `PRAGMA application_id` marks the file as painpoint's):

- documents: path, position (input order), digest (SHA-256 of the bytes analysed), code_version (painpoint's
  code and data, engines and libraries), run_id (the run that analysed it), format, title, department,
  department_source, place, level, kind, year, sentences, analysis (sealed payload);
- departments: name, position, place, documents (JSON list of paths), needs (JSON theme → share);
- pain_points: id, path, rank, theme, kind, source, score, weight, terms (JSON list), units (JSON list);
- evidence: pain_point_id, position, document, line, text, review (0/1);
- matches: department, org_id, org_name, rank, score, theme_score, similarity, local (0/1/NULL),
  pain_points, reasons, plan_terms, org_terms, evidence (JSON lists);
- errors: run_id, path, kind (error: could not be read; skipped: left out on purpose), message;
- runs: id, command, started, finished (UTC, ISO 8601; finished NULL: interrupted), painpoint_version,
  code_version, documents, added, changed, unchanged, removed, failed.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from painpoint.errors import InputError, PainpointError, UsageError
from painpoint.i18n import _
from painpoint.storage.primitives import Busy, exclusive_lock, sealed, unsealed

SCHEMA_VERSION = 1
"""The layout this code writes and reads; a store with a higher `user_version` is refused."""
APPLICATION_ID = 0x50505354
"""`PRAGMA application_id` of a painpoint store ("PPST"): tells it from another program's SQLite file."""
SUFFIXES = (".db", ".sqlite", ".sqlite3")
"""A path with one of these suffixes, given where plans are expected, names a store to read plans from."""

_MAGIC = b"painpoint-result/1\n"
_SQLITE_HEADER = b"SQLite format 3\x00"

COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("path", "position", "digest", "code_version", "run_id", "format", "title", "department",
                  "department_source", "place", "level", "kind", "year", "sentences", "analysis"),
    "departments": ("name", "position", "place", "documents", "needs"),
    "pain_points": ("id", "path", "rank", "theme", "kind", "source", "score", "weight", "terms", "units"),
    "evidence": ("pain_point_id", "position", "document", "line", "text", "review"),
    "matches": ("department", "org_id", "org_name", "rank", "score", "theme_score", "similarity", "local",
                "pain_points", "reasons", "plan_terms", "org_terms", "evidence"),
    "errors": ("run_id", "path", "kind", "message"),
    "runs": ("id", "command", "started", "finished", "painpoint_version", "code_version", "documents", "added",
             "changed", "unchanged", "removed", "failed"),
}
"""Every table's columns, in order: what the codecs' rows are checked against."""

SUMMARY = COLUMNS["documents"][5:-1]
"""The documents columns a plan codec fills (format … sentences): for people querying the store."""

_SCHEMA = """
CREATE TABLE documents (path TEXT PRIMARY KEY, position INTEGER NOT NULL, digest TEXT NOT NULL,
    code_version TEXT NOT NULL, run_id INTEGER NOT NULL, format TEXT, title TEXT, department TEXT,
    department_source TEXT, place TEXT, level TEXT, kind TEXT, year INTEGER, sentences INTEGER,
    analysis BLOB NOT NULL);
CREATE TABLE departments (name TEXT NOT NULL, position INTEGER NOT NULL, place TEXT, documents TEXT NOT NULL,
    needs TEXT NOT NULL);
CREATE TABLE pain_points (id INTEGER PRIMARY KEY, path TEXT NOT NULL, rank INTEGER NOT NULL, theme TEXT NOT NULL,
    kind TEXT NOT NULL, source TEXT NOT NULL, score REAL NOT NULL, weight REAL NOT NULL, terms TEXT NOT NULL,
    units TEXT NOT NULL);
CREATE INDEX pain_points_by_path ON pain_points (path, rank);
CREATE TABLE evidence (pain_point_id INTEGER NOT NULL REFERENCES pain_points (id), position INTEGER NOT NULL,
    document TEXT NOT NULL, line INTEGER NOT NULL, text TEXT NOT NULL, review INTEGER NOT NULL);
CREATE INDEX evidence_by_pain_point ON evidence (pain_point_id, position);
CREATE TABLE matches (department TEXT NOT NULL, org_id TEXT NOT NULL, org_name TEXT NOT NULL,
    rank INTEGER NOT NULL, score REAL NOT NULL, theme_score REAL NOT NULL, similarity REAL NOT NULL,
    local INTEGER, pain_points TEXT NOT NULL, reasons TEXT NOT NULL, plan_terms TEXT NOT NULL,
    org_terms TEXT NOT NULL, evidence TEXT NOT NULL);
CREATE INDEX matches_by_department ON matches (department, rank);
CREATE INDEX matches_by_org ON matches (org_id, score);
CREATE TABLE errors (run_id INTEGER NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE runs (id INTEGER PRIMARY KEY, command TEXT NOT NULL, started TEXT NOT NULL, finished TEXT,
    painpoint_version TEXT NOT NULL, code_version TEXT NOT NULL, documents INTEGER, added INTEGER,
    changed INTEGER, unchanged INTEGER, removed INTEGER, failed INTEGER);
"""


def is_store_path(path: str) -> bool:
    """Whether `path`, given where plans are expected, names a results store rather than a plan or folder."""
    return Path(path).suffix.lower() in SUFFIXES and not Path(path).is_dir()


def json_text(value: Any) -> str:
    """A list or mapping as a JSON column (Chinese kept readable, like painpoint's JSON output)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class RunSummary:
    """What a run changed in the store: the `runs` row, for the one line printed on stderr."""

    path: str
    """The store file."""
    documents: int
    """Documents the store holds after the run."""
    added: int
    """Documents new to the store."""
    changed: int
    """Documents whose bytes or painpoint's code changed since they were stored: analysed again."""
    unchanged: int
    """Documents taken from the store without analysing them again."""
    removed: int
    """Documents the store held that this run no longer read: dropped."""
    failed: int
    """Inputs this run could not read."""


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _cannot_read(path: Path, why: str) -> InputError:
    return InputError(_("not a painpoint results store: {why}").format(why=why), path=str(path),
                      hint=_("give the .db file a painpoint run wrote with --store, or a new file name"))


class ResultStore:
    """An open results store (see the module doc); `open` checks it, `close` releases it."""

    def __init__(self, path: Path, connection: sqlite3.Connection, stack: contextlib.ExitStack) -> None:
        self.path = path
        """The store file."""
        self._db = connection
        self._stack = stack
        self._run: int | None = None
        self._seen: dict[str, str] = {}  # path -> "added" | "changed" | "unchanged", this run
        self._before: set[str] = set()

    # ---- opening ----------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, write: bool = True, resume: bool = False) -> ResultStore:
        """The store at `path`, checked: created when absent (with `write`); refused (one-line error) when it is
        not a painpoint store, is damaged, comes from a newer painpoint, is being written by another run, or
        (`write` without `resume`) already holds results."""
        exists = path.exists() and path.stat().st_size > 0
        if exists:
            try:
                with open(path, "rb") as handle:
                    header = handle.read(len(_SQLITE_HEADER))
            except OSError as exc:
                raise InputError(_("cannot read: {reason}").format(reason=exc.strerror or exc),
                                 path=str(path)) from exc
            if header != _SQLITE_HEADER:
                raise _cannot_read(path, _("it is not an SQLite database"))
        elif not write:
            raise InputError(_("no such results store"), path=str(path),
                             hint=_("write one first: painpoint match --store FILE"))
        stack = contextlib.ExitStack()
        try:
            if write:
                try:
                    stack.enter_context(exclusive_lock(path))
                except Busy:
                    raise UsageError(_("another painpoint run is writing this results store"), path=str(path),
                                     hint=_("wait for it to finish, or give another --store file")) from None
                except OSError as exc:
                    raise UsageError(_("cannot write: {reason}").format(reason=exc.strerror or exc),
                                     path=str(path), hint=_("choose another --store file")) from exc
            try:
                # isolation_level None: transactions are begun and committed explicitly, one per document
                db = sqlite3.connect(str(path) if write else f"{path.resolve().as_uri()}?mode=ro", uri=not write,
                                     isolation_level=None, timeout=30)
            except sqlite3.Error as exc:
                raise _cannot_read(path, str(exc)) from exc
            stack.callback(db.close)
            store = cls(path, db, stack)
            store._check(exists, write=write, resume=resume)
            return store
        except BaseException:
            stack.close()
            raise

    def _check(self, exists: bool, *, write: bool, resume: bool) -> None:
        try:
            app, version = (self._db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version"))
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise _cannot_read(self.path, _("it is damaged ({reason})").format(reason=exc)) from exc
        if app != APPLICATION_ID and (app != 0 or tables):
            raise _cannot_read(self.path, _("it is another program's SQLite database"))
        if version > SCHEMA_VERSION:
            raise UsageError(_("results store written by a newer painpoint (schema {found}; this painpoint reads "
                               "schema {known})").format(found=version, known=SCHEMA_VERSION), path=str(self.path),
                             hint=_("upgrade painpoint (pip install -U painpoint), or give another --store file"))
        if app == APPLICATION_ID and not set(COLUMNS) <= tables:
            raise _cannot_read(self.path, _("tables are missing"))
        if not tables:
            if not write:
                raise _cannot_read(self.path, _("it holds no results"))
            self._create()
            return
        if write:
            held = self._db.execute("SELECT count(*) FROM runs").fetchone()[0]
            if held and not resume:
                raise UsageError(_("results store already holds {n} run(s)").format(n=held), path=str(self.path),
                                 hint=_("add --resume to keep its finished documents and analyse only new or "
                                        "changed plans, or give a new file name"))
            with self._transaction():
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")

    def _create(self) -> None:
        # WAL: readers do not wait for the writer, and a commit per document costs an append, not a rewrite
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        with self._transaction():
            self._db.executescript(f"BEGIN; {_SCHEMA} PRAGMA application_id = {APPLICATION_ID}; "
                                   f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")

    @contextlib.contextmanager
    def _transaction(self) -> Any:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if self._db.in_transaction:
                self._db.rollback()
            raise PainpointError(_("results store: {reason}").format(reason=exc), path=str(self.path),
                                 hint=_("check free space, or give another --store file")) from exc

    def close(self) -> None:
        """Release the file (and its lock)."""
        self._stack.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing a run ----------------------------------------------------------------------------------

    def begin(self, command: str, painpoint_version: str, code_version: str) -> None:
        """Log the start of a run (its `runs` row stays unfinished if the run is killed)."""
        with self._transaction():
            self._db.execute("BEGIN IMMEDIATE")
            self._run = self._db.execute(
                "INSERT INTO runs (command, started, painpoint_version, code_version) VALUES (?, ?, ?, ?)",
                (command, _now(), painpoint_version, code_version)).lastrowid
            self._db.execute("COMMIT")
        self._before = {r[0] for r in self._db.execute("SELECT path FROM documents")}

    def reusable(self, path: str, digest: str, code_version: str) -> bytes | None:
        """The stored payload of `path` when it was analysed from these bytes by this code; else None (absent,
        changed, or damaged: then it is analysed again)."""
        row = self._db.execute("SELECT digest, code_version, analysis FROM documents WHERE path = ?",
                               (path,)).fetchone()
        if row is None or row[0] != digest or row[1] != code_version or type(row[2]) is not bytes:
            return None
        payload = unsealed(_MAGIC, row[2])
        if payload is not None:
            self._seen[path] = "unchanged"
        return payload

    def put_document(self, path: str, digest: str, code_version: str, payload: bytes,
                     summary: Mapping[str, Any]) -> None:
        """Store one document's analysis in its own transaction (committed: it survives a later kill)."""
        assert self._run is not None, "begin() first"
        _check_row("documents", summary, SUMMARY)
        self._seen[path] = "changed" if path in self._before else "added"
        values = (path, len(self._seen), digest, code_version, self._run, *(summary[c] for c in SUMMARY),
                  sealed(_MAGIC, payload))
        with self._transaction():
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(f"INSERT OR REPLACE INTO documents VALUES ({', '.join('?' * len(values))})", values)
            self._db.execute("COMMIT")

    def update_document(self, path: str, payload: bytes) -> None:
        """Replace a stored document's payload (a scan's entry completed with what matching needs)."""
        with self._transaction():
            self._db.execute("UPDATE documents SET analysis = ? WHERE path = ?", (sealed(_MAGIC, payload), path))

    def finish(self, order: Sequence[str], summaries: Mapping[str, Mapping[str, Any]],
               tables: Mapping[str, Iterable[Mapping[str, Any]]], problems: Iterable[tuple[str, str, str]]
               ) -> RunSummary:
        """End the run in one transaction: documents not in `order` (the paths read, in input order) are
        dropped, the rest numbered in that order with their final `summaries`; every table in `tables` is
        replaced by its rows; `problems` ((path, kind, message)) are logged; the `runs` row gets its counts."""
        assert self._run is not None, "begin() first"
        kept = set(order)
        removed = sorted(self._before - kept)
        counts = {k: sum(1 for v in self._seen.values() if v == k) for k in ("added", "changed", "unchanged")}
        problem_rows = [(self._run, path, kind, message) for path, kind, message in problems]
        with self._transaction():
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("DELETE FROM documents WHERE path = ?", [(p,) for p in removed])
            # documents stored by this run but not read in the end (a file that changed while read) go too
            stale = [(p,) for p in self._seen if p not in kept]
            self._db.executemany("DELETE FROM documents WHERE path = ?", stale)
            for i, path in enumerate(order):
                summary = summaries.get(path, {})
                _check_row("documents", summary, tuple(summary))
                sets = ", ".join(f"{c} = ?" for c in summary)
                self._db.execute(f"UPDATE documents SET position = ?{', ' if sets else ''}{sets} WHERE path = ?",
                                 (i, *summary.values(), path))
            for table, rows in tables.items():
                columns = COLUMNS[table]
                self._db.execute(f"DELETE FROM {table}")  # table names come from COLUMNS, never from input
                values = []
                for row in rows:
                    _check_row(table, row, columns)
                    values.append(tuple(row[c] for c in columns))
                self._db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", values)
            self._db.execute("DELETE FROM errors")
            self._db.executemany("INSERT INTO errors VALUES (?, ?, ?, ?)", problem_rows)
            held = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
            failed = sum(1 for _, _, kind, _ in problem_rows if kind == "error")
            self._db.execute("UPDATE runs SET finished = ?, documents = ?, added = ?, changed = ?, unchanged = ?, "
                             "removed = ?, failed = ? WHERE id = ?",
                             (_now(), held, counts["added"], counts["changed"], counts["unchanged"], len(removed),
                              failed, self._run))
            self._db.execute("COMMIT")
        return RunSummary(str(self.path), held, counts["added"], counts["changed"], counts["unchanged"],
                          len(removed), failed)

    # ---- reading ----------------------------------------------------------------------------------------

    def documents(self) -> list[tuple[str, bytes | None]]:
        """(path, payload) of every stored document in input order; payload None when it is damaged."""
        rows = self._db.execute("SELECT path, analysis FROM documents ORDER BY position, path").fetchall()
        return [(path, unsealed(_MAGIC, blob) if type(blob) is bytes else None) for path, blob in rows]

    def problems(self) -> list[tuple[str, str, str]]:
        """(path, kind, message) the last finished run logged: inputs it could not read or left out."""
        return [tuple(r) for r in self._db.execute(  # type: ignore[misc]
            "SELECT path, kind, message FROM errors ORDER BY rowid")]

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first, as {column: value} (the run log)."""
        cursor = self._db.execute(f"SELECT {', '.join(COLUMNS['runs'])} FROM runs ORDER BY id")
        return [dict(zip(COLUMNS["runs"], row, strict=True)) for row in cursor]

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of one of the tables, in storage order, as {column: value}."""
        columns = COLUMNS[table]  # a KeyError for any other name: nothing from outside reaches the SQL
        cursor = self._db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
        return [dict(zip(columns, row, strict=True)) for row in cursor]


def _check_row(table: str, row: Mapping[str, Any], columns: Sequence[str]) -> None:
    """A codec's row names exactly the columns expected (a programming error otherwise)."""
    if not set(row) <= set(COLUMNS[table]) or set(columns) - set(row):
        raise TypeError(f"painpoint.storage.results: a {table} row has columns {sorted(row)}, "
                        f"expected {list(columns)}")
