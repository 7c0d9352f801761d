"""Whole-run results: re-running scan or match on unchanged inputs with the same options replays the output.

    memo = open_memo("scan", {"format": "json", "top": 10, "segmenter": "auto"}, ["plans/"])
    text = memo.recall() if memo else None        # the stored output, or None
    if text is None:
        text = render(run_scan(...))
        memo.remember(text, result)               # unless what the run read is not what the key names

The per-document cache spares a re-run the analysis but not its fixed costs: reading every entry back,
ranking, matching, rendering (~0.1 s for one plan, most of a re-run at 2,000). A run entry spares all of it.
Its key holds everything the output depends on: the command and the options that shape the output, every
input file as painpoint names it with the SHA-256 of its bytes, painpoint's code and data digest, and the
versions of the engines and of the libraries that read documents and compute similarity. Outputs are
deterministic (byte-identical across runs and hash seeds, tested), so the stored text is what a fresh run
would print. Never stored: a run that reported a bad input (it exits 1 and the user will rerun after fixing
it), and a table drawn for a terminal, whose width varies. Like every cache entry, a run entry is trusted as
the user's own files are: its checksum catches damage, not forgery by someone who can write the cache folder.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from painpoint.cache import Store

_KIND = "run"


@dataclass(frozen=True)
class RunMemo:
    """One run's entry in the cache: where it lives and the inputs it was keyed on."""

    store: Store
    """The cache holding the entry."""
    key: str
    """Entry key: command, options, input digests, code and engine versions."""
    inputs: tuple[tuple[str, str, str], ...]
    """(kind, path, SHA-256) of every input file, in the order the command reads them."""
    sources: tuple[tuple[str, ...], tuple[str, ...] | None]
    """The plan and profile paths as given, to list them again before storing."""

    def recall(self) -> str | None:
        """The stored output, or None (absent, or broken: then the entry is deleted)."""
        payload = self.store.get(_KIND, self.key)
        if payload is None:
            return None
        try:
            return zlib.decompress(payload).decode("utf-8", "surrogatepass")
        except (zlib.error, UnicodeDecodeError):
            self.store.discard(_KIND, self.key)
            return None

    def remember(self, text: str, result: object) -> None:
        """Store `text`, the output of `result` (a ScanResult or MatchResult), under this run's key, if every
        file the run read had the bytes the key names and the inputs are still those files and bytes.

        A file added to, removed from or changed in an input folder while the run read it would otherwise
        store output of one set of files under the key of another; a file edited while it was read and then
        put back would pass a second hashing, so the digests of the bytes actually read are compared too.
        """
        if not _read_as_keyed(result, self.inputs) or _inputs(*self.sources) != self.inputs:
            return
        self.store.put(_KIND, self.key, zlib.compress(text.encode("utf-8", "surrogatepass"), 6))
        self.store.prune()


def open_memo(command: str, options: Mapping[str, object], plans: Sequence[str],
              orgs: Sequence[str] | None = None) -> RunMemo | None:
    """The run entry for `command` over these inputs, or None when there is no cache or an input is unusual.

    `options`: every option that shapes the output (JSON-serializable). `plans`, `orgs`: the paths as given;
    they are expanded exactly as the command expands them. No entry when a path has a problem (the run reports
    it) or names anything but a regular file, such as a pipe that hashing would consume.
    """
    from painpoint.cache import open_store, package_digest, store_key
    from painpoint.text.segmenter import Backend, engine_version, libraries_version

    store = open_store()
    if store is None:
        return None
    sources = (tuple(plans), None if orgs is None else tuple(orgs))
    inputs = _inputs(*sources)
    if inputs is None:
        return None
    backend = str(options.get("segmenter", Backend.AUTO.value))
    key = store_key(f"{_KIND}/1", package_digest(), engine_version(backend), engine_version(Backend.JIEBA),
                    libraries_version(), command, json.dumps(options, sort_keys=True, ensure_ascii=False),
                    *(f"{kind}:{path}:{digest}" for kind, path, digest in inputs))
    return RunMemo(store, key, inputs, sources)


def _read_as_keyed(result: object, inputs: tuple[tuple[str, str, str], ...]) -> bool:
    """True when `result` read every input of the key, each with the digest the key names."""
    read = {("plan", sp.plan.document.path): sp.plan.document.digest for sp in getattr(result, "plans", ())}
    read.update({("plan", path): digest for path, digest in getattr(result, "documents", ())})
    read.update({("org", profile.path): profile.digest for profile in getattr(result, "profiles", ())})
    return all(read.get((kind, path)) == digest for kind, path, digest in inputs)


def _inputs(plans: Sequence[str], orgs: Sequence[str] | None) -> tuple[tuple[str, str, str], ...] | None:
    """(kind, path, SHA-256) of every file the command reads, or None when one is not a plain, readable file."""
    from painpoint.ingest.discover import discover
    from painpoint.storage.primitives import file_digest

    files, problems = discover(plans)
    if problems:
        return None
    from painpoint.manifests import manifest_files

    tagged = [("plan", path) for path in files] + [("manifest", path) for path in manifest_files(files)]
    limit = None
    if orgs is not None:
        from painpoint.orgs.files import MAX_PROFILE_BYTES, profile_files

        org_files, org_problems = profile_files(orgs)
        if org_problems:
            return None
        tagged += [("org", path) for path in org_files]
        limit = MAX_PROFILE_BYTES
    out = []
    for kind, path in tagged:
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or (kind == "org" and limit is not None and info.st_size > limit):
            return None  # a pipe, a device, an oversized profile: the run reads and reports it
        digest = file_digest(path)
        if digest is None:
            return None
        out.append((kind, path, digest))
    return tuple(out)
