"""The process-wide Segmenter of each engine, with the taxonomy's terms kept whole.

Below matching and the pipeline alike: scoring segments profile text with it, the pipeline plan text.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from painpoint.text.segmenter import Backend, Segmenter
from painpoint.themes.taxonomy import load_taxonomy

if TYPE_CHECKING:
    from painpoint.text.resources import LexiconEntry

SHIPPED_LEXICON = "compiled_lexicon.json"
"""The packaged taxonomy's compiled lexicon, shipped in painpoint/resources/ (rebuilt by `make precompile`)."""


@cache
def default_segmenter(backend: Backend | str = Backend.AUTO) -> Segmenter:
    """One Segmenter per process and engine, with the taxonomy's terms kept whole.

    The engine's dictionary additions are compiled by the jieba reference (see
    text.segmenter.compile_lexicon), which costs a jieba dictionary load (~1 s). The packaged taxonomy's
    compiled lexicon ships with painpoint, so the fast engine starts without loading jieba even on a first
    run; other terms (--themes) or another jieba compile once and keep the result in the cache.
    """
    from painpoint.cache import CacheEntryError, decode_value, encode_value, open_store

    terms = load_taxonomy().all_terms
    # what the compiled additions depend on: lexicon and stop words, the terms, jieba's dictionary, the recipe
    key = lexicon_key(terms)
    lexicon = shipped_lexicon(key)
    store = open_store() if lexicon is None else None
    payload = store.get("dict", key) if store else None
    if store and payload is not None:
        from painpoint.text.resources import LexiconEntry

        try:
            lexicon = decode_value(tuple[LexiconEntry, ...], payload)
        except CacheEntryError:
            store.discard("dict", key)
    segmenter = Segmenter(extra_terms=terms, backend=backend, lexicon=lexicon)
    if store and lexicon is None:
        store.put("dict", key, encode_value(segmenter.lexicon))
    return segmenter


def lexicon_key(terms: Sequence[str]) -> str:
    """Everything a compiled lexicon depends on: packaged word lists, `terms`, jieba's version, the recipe."""
    from painpoint.cache import store_key
    from painpoint.text.resources import resources_digest
    from painpoint.text.segmenter import COMPILE_VERSION, engine_version

    return store_key("lexicon", COMPILE_VERSION, resources_digest(), engine_version(Backend.JIEBA), *terms)


def shipped_lexicon(key: str) -> tuple[LexiconEntry, ...] | None:
    """The compiled lexicon shipped with painpoint when it was compiled for `key`, else None (a changed word
    list or taxonomy, another jieba, or a missing or malformed file: the caller compiles)."""
    import json

    from painpoint.errors import ResourceError
    from painpoint.text.resources import LexiconEntry, read_resource

    try:
        data = json.loads(read_resource(SHIPPED_LEXICON))
    except (ResourceError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("entries"), list):
        return None
    entries = []
    for row in data["entries"]:
        if not (isinstance(row, list) and len(row) == 3 and isinstance(row[0], str) and type(row[1]) is int
                and isinstance(row[2], str)):
            return None
        entries.append(LexiconEntry(row[0], row[1], row[2]))
    return tuple(entries)


def render_shipped_lexicon() -> str:
    """The text of SHIPPED_LEXICON for the packaged taxonomy, compiled now (loads jieba, ~1 s)."""
    import json

    from painpoint.text.segmenter import compile_lexicon
    from painpoint.themes.taxonomy import packaged_taxonomy

    terms = packaged_taxonomy().all_terms
    entries = [[e.word, e.freq, e.tag] for e in compile_lexicon(terms)]
    head = json.dumps({"key": lexicon_key(terms), "entries": []}, ensure_ascii=False)[:-3]
    # one entry a line: a change to the word lists shows as a readable diff
    return head + "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in entries) + "\n]}\n"


if __name__ == "__main__":  # python -m painpoint.themes.segmentation: rebuild the shipped compiled lexicon
    from pathlib import Path

    target = Path(__file__).resolve().parents[1] / "resources" / SHIPPED_LEXICON
    target.write_text(render_shipped_lexicon(), encoding="utf-8")
    print(target)
