"""The process-wide Segmenter of each engine, with the taxonomy's terms kept whole.

Below matching and the pipeline alike: scoring segments profile text with it, the pipeline plan text.
"""

from __future__ import annotations

from functools import cache

from painpoint.text.segmenter import Backend, Segmenter
from painpoint.themes.taxonomy import load_taxonomy


@cache
def default_segmenter(backend: Backend | str = Backend.AUTO) -> Segmenter:
    """One Segmenter per process and engine, with the taxonomy's terms kept whole.

    The engine's dictionary additions are compiled once by the jieba reference and kept in the cache, so
    the fast engine starts without loading jieba (see text.segmenter.compile_lexicon).
    """
    from painpoint.cache import CacheEntryError, decode_value, encode_value, open_store, store_key
    from painpoint.text.resources import LexiconEntry, resources_digest
    from painpoint.text.segmenter import COMPILE_VERSION, engine_version

    terms = load_taxonomy().all_terms
    store = open_store()
    # what the compiled additions depend on: lexicon and stop words, the terms, jieba's dictionary, the recipe
    key = store_key("lexicon", COMPILE_VERSION, resources_digest(), engine_version(Backend.JIEBA), *terms)
    lexicon = None
    payload = store.get("dict", key) if store else None
    if store and payload is not None:
        try:
            lexicon = decode_value(tuple[LexiconEntry, ...], payload)
        except CacheEntryError:
            store.discard("dict", key)
    segmenter = Segmenter(extra_terms=terms, backend=backend, lexicon=lexicon)
    if store and lexicon is None:
        store.put("dict", key, encode_value(segmenter.lexicon))
    return segmenter
