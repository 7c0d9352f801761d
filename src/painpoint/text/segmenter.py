"""Segmenter: word segmentation behind one interface, jieba (reference) or rjieba (fast), same lexicon."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import re
import sys
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from painpoint.errors import ResourceError
from painpoint.i18n import _

if TYPE_CHECKING:
    from painpoint.text.resources import LexiconEntry

# The CLI imports this module for `Backend`: everything else it needs is imported or compiled on first use
# (a regex over the whole CJK range takes ~3 ms to compile), so that `painpoint --help` stays fast.

COMPILE_VERSION = "1"
"""Version of `compile_lexicon`'s recipe, part of the compiled lexicon's cache key: bump it on changes."""


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(contains Chinese, contains a Chinese or Latin letter)."""
    return re.compile(r"[\u4e00-\u9fff]"), re.compile(r"[\u4e00-\u9fffA-Za-z]")


class Backend(StrEnum):
    """Which segmentation engine a Segmenter runs."""

    AUTO = "auto"
    """rjieba when it is installed, else jieba."""
    JIEBA = "jieba"
    """fxsjy/jieba, pure Python: the reference (≈1 MB/s, ≈0.8 s to load its dictionary)."""
    RJIEBA = "rjieba"
    """Bindings of jieba-rs: the same dictionary and algorithm (≈20 MB/s, ≈0.1 s to load)."""


class _Engine(Protocol):
    name: str

    def add_word(self, word: str, freq: int | None, tag: str) -> int: ...

    def knows(self, word: str) -> bool: ...

    def is_word(self, word: str) -> bool: ...

    def cut(self, text: str) -> list[str]: ...

    def version(self) -> str: ...


class _JiebaEngine:
    """An owned `jieba.Tokenizer` (the global `jieba.dt` is shared process state)."""

    name = "jieba"

    def __init__(self) -> None:
        import logging

        import jieba  # heavy (~0.7 s dictionary load): imported only when segmentation is needed

        jieba.setLogLevel(logging.ERROR)
        self._jieba = jieba
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()

    def add_word(self, word: str, freq: int | None, tag: str) -> int:
        self._tokenizer.add_word(word, freq, tag)
        return int(self._tokenizer.FREQ[word])

    def knows(self, word: str) -> bool:
        # FREQ also holds every prefix of a word with frequency 0: such a "known" prefix is not added as a
        # word, and the compiled lexicon records that decision for the other engine
        return word in self._tokenizer.FREQ

    def is_word(self, word: str) -> bool:
        return self._tokenizer.FREQ.get(word, 0) > 0  # not a mere prefix of a longer word

    def cut(self, text: str) -> list[str]:
        return list(self._tokenizer.cut(text, HMM=True))

    def version(self) -> str:
        return f"jieba {getattr(self._jieba, '__version__', '?')}"


class _RjiebaEngine:
    """An owned `rjieba.Jieba` (jieba-rs): same dictionary file and algorithm as jieba, compiled."""

    name = "rjieba"

    def __init__(self) -> None:
        self._jieba = _rjieba_class()()

    def add_word(self, word: str, freq: int | None, tag: str) -> int:
        # a tag is always passed: rjieba reports a word added without one with an empty tag
        return int(self._jieba.add_word(word, freq, tag))

    def knows(self, word: str) -> bool:
        return bool(self._jieba.has_word(word))

    def is_word(self, word: str) -> bool:
        return bool(self._jieba.has_word(word))

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, True)  # type: ignore[no-any-return]

    def version(self) -> str:
        return f"rjieba {_rjieba_version()}"


def _rjieba_class() -> Any:
    """The `rjieba.Jieba` class, without the default dictionary `import rjieba` builds (~0.1 s, unused)."""
    module = sys.modules.get("rjieba.rjieba")
    if module is not None:
        return module.Jieba
    spec = importlib.util.find_spec("rjieba")
    if spec is None:
        raise ModuleNotFoundError("No module named 'rjieba'", name="rjieba")
    for folder in spec.submodule_search_locations or ():
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, f"rjieba{suffix}")
            if not os.path.isfile(path):
                continue
            loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", path)
            sub = importlib.util.spec_from_file_location("rjieba.rjieba", path, loader=loader)
            if sub is None:
                continue
            module = importlib.util.module_from_spec(sub)
            loader.exec_module(module)
            # registered under its package name: a later `import rjieba` reuses it instead of loading the
            # extension a second time (PyO3 modules refuse to initialise twice)
            sys.modules["rjieba.rjieba"] = module
            return module.Jieba
    import rjieba  # an unexpected package layout: pay for the default dictionary

    return rjieba.Jieba


def _rjieba_version() -> str:
    return installed_version("rjieba")


@cache
def installed_version(name: str) -> str:
    """A distribution's version, read from its `NAME-VERSION.dist-info` folder on sys.path; "?" if absent.

    importlib.metadata answers the same but costs ~10 ms to import, a tenth of a cached re-run; it remains
    the fallback for installs without a dist-info folder (eggs, some editable layouts).
    """
    found = _dist_info_versions().get(_dist_name(name))
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


@cache
def _dist_info_versions() -> dict[str, str]:
    """{normalized name: version} of every dist-info or egg-info folder on sys.path, the first found winning
    (the order importlib.metadata searches in)."""
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for entry in entries:
            stem, dot, suffix = entry.rpartition(".")
            if dot and suffix in ("dist-info", "egg-info") and "-" in stem:
                name, version = stem.split("-")[:2]  # an egg may add -pyX.Y
                versions.setdefault(_dist_name(name), version)
    return versions


def _dist_name(name: str) -> str:
    """A distribution name as dist-info folders spell it (PEP 427): Python-Docx, python.docx -> python_docx."""
    return re.sub(r"[-_.]+", "_", name).lower()


RESULT_LIBRARIES = ("charset-normalizer", "beautifulsoup4", "lxml", "pypdf", "cryptography", "python-docx", "olefile",
                    "opencc", "pyyaml", "numpy", "scipy", "scikit-learn", "rich")
"""Libraries besides the engines whose behaviour shapes results: readers (and what lets pypdf decrypt),
conversion, YAML, similarity, and rich, which lays out tables written to files."""


@cache
def libraries_version() -> str:
    """Python's and RESULT_LIBRARIES' versions, for cache keys: an upgraded reader, or a Python with a newer
    Unicode database, must not replay results of the old one."""
    python = ".".join(map(str, sys.version_info[:3]))
    return " ".join([f"python={python}", *(f"{name}={installed_version(name)}" for name in RESULT_LIBRARIES)])


def available_backend() -> Backend:
    """The engine `auto` picks: rjieba when installed, else the jieba reference."""
    return Backend.RJIEBA if importlib.util.find_spec("rjieba") is not None else Backend.JIEBA


def resolve_backend(backend: Backend | str) -> Backend:
    """`auto` made concrete; a named engine that is not installed is a ResourceError."""
    chosen = Backend(backend)
    if chosen is Backend.AUTO:
        return available_backend()
    module = "rjieba" if chosen is Backend.RJIEBA else "jieba"
    if importlib.util.find_spec(module) is None:
        raise ResourceError(_("the {module} segmenter is not installed").format(module=module),
                            hint=_("pip install {module}, or use --segmenter auto").format(module=module))
    return chosen


def engine_version(backend: Backend | str) -> str:
    """Name and version of an engine, without loading its dictionary: part of cache keys."""
    chosen = resolve_backend(backend)
    if chosen is Backend.RJIEBA:
        return f"rjieba {_rjieba_version()}"
    return f"jieba {installed_version('jieba')}"


def compile_lexicon(extra_terms: Iterable[str] = ()) -> tuple[LexiconEntry, ...]:
    """Every word the Segmenter adds to the engine's dictionary, each with an explicit frequency.

    The packaged lexicon, then the extra (taxonomy) terms, then multi-character stop words jieba does not
    know, as the jieba reference resolves them: a term without a frequency gets what jieba's suggest_freq
    gives at that point, which keeps it whole. Both engines load this same list, so they hold the same
    dictionary. Costs one jieba dictionary load (~0.8 s): callers cache the result.
    """
    return _compile(_load_engine(Backend.JIEBA), extra_terms)


def _load_engine(backend: Backend) -> _Engine:
    try:
        return _RjiebaEngine() if backend is Backend.RJIEBA else _JiebaEngine()
    except ImportError as exc:
        raise ResourceError(_("the {module} segmenter cannot be loaded: {reason}").format(module=backend.value,
                                                                                       reason=exc),
                            hint=_("reinstall painpoint, or choose another --segmenter")) from exc
    except Exception as exc:  # jieba raises bare Exception on dictionary problems
        raise _dictionary_error(exc) from exc


def _compile(engine: _Engine, extra_terms: Iterable[str]) -> tuple[LexiconEntry, ...]:
    """Add the lexicon to `engine` the reference way, returning what was added with resolved frequencies."""
    from painpoint.text import resources
    from painpoint.text.resources import LexiconEntry

    added: list[LexiconEntry] = []

    def add(word: str, freq: int | None, tag: str) -> None:
        added.append(LexiconEntry(word, engine.add_word(word, freq, tag), tag))

    try:
        known = set()
        for entry in resources.lexicon():
            add(entry.word, entry.freq, entry.tag)
            known.add(entry.word)
        for term in sorted(set(extra_terms) - known):
            if len(term) >= 2:
                # freq=None: jieba suggests the frequency that keeps the term whole
                add(term, None, "nz")
                known.add(term)
        # multi-character stop words jieba does not know (十三五, 高质量发展) would otherwise come out
        # as fragments (十三/五) that slip past the stop list
        for word in sorted(resources.stopwords() - known):
            if len(word) >= 3 and not engine.knows(word):
                add(word, None, "x")
    except Exception as exc:  # jieba raises bare Exception on dictionary problems
        raise _dictionary_error(exc) from exc
    return tuple(added)


class Segmenter:
    """Word segmentation for policy text.

    Owns its engine (jieba's global `jieba.dt` is shared process state), loaded with the packaged policy
    lexicon plus any extra terms (the taxonomy's), so 居家社区养老服务 or 乡村振兴 stay one word.
    `backend` chooses the engine; `lexicon` is the output of `compile_lexicon` for the same extra terms,
    when the caller has it cached (without it the rjieba engine needs one jieba load to compile it).
    """

    def __init__(self, extra_terms: Iterable[str] = (), backend: Backend | str = Backend.AUTO,
                 lexicon: tuple[LexiconEntry, ...] | None = None) -> None:
        self.backend = resolve_backend(backend)
        """The engine in use (never AUTO)."""
        self._engine = _load_engine(self.backend)
        if lexicon is None:
            if self.backend is Backend.JIEBA:
                lexicon = _compile(self._engine, extra_terms)
            else:
                lexicon = compile_lexicon(extra_terms)
                self._add_all(lexicon)
        else:
            self._add_all(lexicon)
        self.lexicon = lexicon
        """Every word added to the engine, with the frequency it was given."""
        from painpoint.text.resources import stopwords

        self._stop = stopwords()
        self._han, self._wordlike = _patterns()
        self._is_term = _Verdicts(self._stop, self._han)

    def _add_all(self, lexicon: tuple[LexiconEntry, ...]) -> None:
        try:
            for entry in lexicon:
                self._engine.add_word(entry.word, entry.freq, entry.tag)
        except Exception as exc:  # jieba raises bare Exception on dictionary problems
            raise _dictionary_error(exc) from exc

    @property
    def engine(self) -> str:
        """Engine name and version, e.g. 'rjieba 0.2.2'."""
        return self._engine.version()

    def cut(self, text: str) -> list[str]:
        """Tokens of `text` in order, punctuation and whitespace dropped."""
        wordlike = self._wordlike
        return [t for t in self._engine.cut(text) if wordlike.search(t)]

    def knows(self, word: str) -> bool:
        """Whether `word` is in the engine's dictionary (jieba's, the policy lexicon or the taxonomy's terms);
        False for a token the engine's HMM made up from single characters (驻高 in 进驻高台县, 碳普惠)."""
        return self._engine.is_word(word)

    def tokens(self, text: str) -> list[str]:
        """Every token of `text` in order, punctuation and spaces included (where `cut` drops them)."""
        return self._engine.cut(text)

    def terms(self, text: str) -> list[str]:
        """Candidate content words: at least two characters, containing Chinese, not a stop word."""
        # one pass over the engine's tokens (a token with Chinese is word-like, so `cut`'s filter is implied);
        # each distinct token is judged once: this loop is most of the pipeline's segmentation cost beyond
        # the engine
        is_term = self._is_term
        return [t for t in self._engine.cut(text) if is_term[t]]

    def __call__(self, text: str) -> list[str]:
        """Alias of `terms`, so a Segmenter can be passed to scikit-learn as `analyzer=`."""
        return self.terms(text)


class _Verdicts(dict[str, bool]):
    """token -> whether `Segmenter.terms` keeps it, judged on first sight and remembered.

    Text repeats its words: a dictionary lookup per token replaces a length test, a stop-word lookup and a
    regex search. Holds one entry per distinct token seen, up to LIMIT (~10 MB), then starts afresh: memory
    stays flat however many plans a process reads (numbers and names make the vocabulary open-ended).
    """

    LIMIT = 100_000

    def __init__(self, stop: frozenset[str], han: re.Pattern[str]) -> None:
        super().__init__()
        self._stop, self._han = stop, han

    def __missing__(self, token: str) -> bool:
        verdict = len(token) >= 2 and token not in self._stop and self._han.search(token) is not None
        if len(self) >= self.LIMIT:
            self.clear()
        self[token] = verdict
        return verdict


def _dictionary_error(exc: Exception) -> ResourceError:
    return ResourceError(_("cannot load the segmentation dictionary: {reason}").format(reason=exc),
                         hint=_("reinstall painpoint and jieba"))
