"""discover: turn the files and folders a user names into the list of documents to read."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from painpoint.errors import InputError
from painpoint.i18n import N_, _
from painpoint.ingest.formats import SUPPORTED_SUFFIXES, is_document_like, is_supported, os_error, unsupported_error

# The files `painpoint report` writes: a folder holding report.html beside matches.json is painpoint's own output.
_REPORT_MARKER = "matches.json"
_REPORT_FILES = frozenset({"report.html", "matches.json", "matches.csv", "matches.xlsx"})


class SkipReason(StrEnum):
    """Why a file inside a scanned folder was not read although it is no error (JSON: the value)."""

    HIDDEN = "hidden"
    LOCK_FILE = "lock-file"
    OWN_OUTPUT = "painpoint-output"
    NOT_A_DOCUMENT = "not-a-document"
    ORGANIZATION_TEXT = "organization-text"
    """Read, but an organization's own introduction (机构介绍), not a plan: what `orgs import` reads."""
    DUPLICATE = "duplicate"
    """Read, but its text is that of a file read before it in the same run (the same plan downloaded twice,
    as .doc and .wps): counted once, or it would weigh double in every match."""

    @property
    def label(self) -> str:
        """The reason in the language in force."""
        return _(_SKIP_LABELS[self])


_SKIP_LABELS = {
    SkipReason.HIDDEN: N_("hidden file"),
    SkipReason.LOCK_FILE: N_("Office lock file of an open document"),
    SkipReason.OWN_OUTPUT: N_("a report painpoint wrote"),
    SkipReason.NOT_A_DOCUMENT: N_("not a document painpoint reads"),
    SkipReason.ORGANIZATION_TEXT: N_("an organization's own introduction, not a plan: draft a profile from it with "
                                     "painpoint orgs import"),
    SkipReason.DUPLICATE: N_("same text as an earlier file, counted once"),
}


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in a scanned folder that was left out on purpose: listed, never dropped silently."""

    path: str
    """The file, spelt as in the folder walk."""
    reason: SkipReason
    """Why it was left out."""
    duplicate_of: str | None = None
    """For a duplicate: the earlier file whose text it repeats (None when not known, or no duplicate)."""

    @property
    def label(self) -> str:
        """Why it was left out, in the language in force, naming the earlier file a duplicate repeats."""
        if self.reason is SkipReason.DUPLICATE and self.duplicate_of is not None:
            return _("same text as {path}, counted once").format(path=self.duplicate_of)
        return self.reason.label


@dataclass(frozen=True)
class Discovery:
    """Every file a walk met: documents to read, problems (errors), and files left out on purpose."""

    files: list[str]
    problems: list[InputError]
    skipped: list[Skipped]

MAX_WALK_ENTRIES = 200_000
"""Most entries (files and folders) one given folder's walk looks at; a plans folder holds hundreds."""


def discover(paths: Sequence[str]) -> tuple[list[str], list[InputError]]:
    """Expand `paths` into readable document paths, and collect a problem for each bad entry.

    The documents and problems of `discover_all`, for callers that need no account of skipped files.
    """
    found = discover_all(paths)
    return found.files, found.problems


def discover_all(paths: Sequence[str]) -> Discovery:
    """Expand `paths` into readable document paths, with a problem for each bad entry and every file left out.

    Files are taken as given (an unsupported suffix is a problem). Folders are searched recursively in
    sorted order for supported suffixes; members keep the folder's spelling: os.path.join(folder, relative
    path). No file is dropped silently: a document painpoint cannot read (.doc, .wps, .xls, images, archives)
    is a problem with what to do; hidden entries (".name"), Office lock files ("~$name"), painpoint's own
    report files and other non-documents are listed in `skipped`. Symbolic links to files are followed; a link
    to a folder is followed only when that folder lies inside the given one (a link to `/` would otherwise walk
    the whole file system, /proc included) and is otherwise reported, not entered. Each folder is entered
    once, so link loops end, and a walk looks at most MAX_WALK_ENTRIES entries. A file reached twice is listed
    once, first spelling kept. A folder with no supported file is reported as a problem too.
    """
    found: list[str] = []
    problems: list[InputError] = []
    skipped: list[Skipped] = []
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def add_file(path: str, info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        if key not in seen_files:
            seen_files.add(key)
            found.append(path)

    for path in paths:
        try:
            info = os.stat(path)
        except OSError as exc:
            problems.append(os_error(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            problems_before = len(problems)
            documents = _walk(path, info, seen_dirs, add_file, problems, skipped)
            if documents == 0 and len(problems) == problems_before:
                problems.append(InputError(
                    _("no supported files in folder"), path=path,
                    hint=_("painpoint reads {suffixes}").format(suffixes=" ".join(SUPPORTED_SUFFIXES))))
        elif not stat.S_ISREG(info.st_mode):
            problems.append(InputError(_("not a regular file"), path=path, hint=_("give a saved document file")))
        elif not is_supported(path):
            problems.append(unsupported_error(path))
        else:
            add_file(path, info)
    return Discovery(found, problems, skipped)


def _walk(root: str, root_info: os.stat_result, seen_dirs: set[tuple[int, int]],
          add_file: Callable[[str, os.stat_result], None], problems: list[InputError],
          skipped: list[Skipped]) -> int | None:
    """Add the documents under `root`; return how many were found, or None if `root` was already walked.

    Depth-first and sorted, without recursion: folders nest as deep as the file system allows.
    """
    root_key = (root_info.st_dev, root_info.st_ino)
    if root_key in seen_dirs:
        return None
    seen_dirs.add(root_key)
    inside = os.path.realpath(root)
    documents = 0
    looked = 0
    # Each stack entry is a folder's remaining entries, reversed so pop() yields them in sorted order.
    stack = [_list_dir(root, problems, skipped)]
    while stack:
        entries = stack[-1]
        if not entries:
            stack.pop()
            continue
        path = entries.pop()
        looked += 1
        if looked > MAX_WALK_ENTRIES:
            problems.append(InputError(
                _("more than {limit:,} files and folders; stopped looking").format(limit=MAX_WALK_ENTRIES),
                path=root, hint=_("give the folder that holds the plans")))
            break
        try:
            info = os.stat(path)
        except OSError as exc:
            # Broken links and link loops inside a folder are worth reporting only if they look like
            # documents; anything else there is none of painpoint's business.
            if is_supported(path):
                problems.append(os_error(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen_dirs:
                continue
            if os.path.islink(path) and not _within(os.path.realpath(path), inside):
                problems.append(InputError(
                    _("link to a folder outside {root}, not followed").format(root=root), path=path,
                    hint=_("give that folder itself if its plans are wanted")))
                continue
            seen_dirs.add(key)
            stack.append(_list_dir(path, problems, skipped))
        elif not stat.S_ISREG(info.st_mode):
            continue  # FIFOs, sockets and devices in a folder are no documents and are never opened
        elif is_supported(path):
            documents += 1
            add_file(path, info)
        elif is_document_like(path):
            problems.append(unsupported_error(path))
        else:
            skipped.append(Skipped(path, SkipReason.NOT_A_DOCUMENT))
    return documents


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _list_dir(folder: str, problems: list[InputError], skipped: list[Skipped]) -> list[str]:
    """The entries of `folder` to walk as joined paths, reverse-sorted for popping; hidden entries, lock files
    and painpoint's own report files go to `skipped`."""
    try:
        names = os.listdir(folder)
    except OSError as exc:
        problems.append(os_error(folder, exc))
        return []
    own_report = _REPORT_MARKER in names and "report.html" in names
    visible = []
    for name in sorted(names):
        reason = (SkipReason.HIDDEN if name.startswith(".") else SkipReason.LOCK_FILE if name.startswith("~$")
                  else SkipReason.OWN_OUTPUT if own_report and name in _REPORT_FILES else None)
        if reason is None:
            visible.append(name)
        else:
            skipped.append(Skipped(os.path.join(folder, name), reason))
    return [os.path.join(folder, name) for name in reversed(visible)]
