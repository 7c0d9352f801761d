"""Segmenter: an owned jieba.Tokenizer that keeps policy terms whole."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from painpoint.errors import ResourceError
from painpoint.text import resources

_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z]")


class Segmenter:
    """Word segmentation for policy text.

    Owns its own `jieba.Tokenizer` (the global `jieba.dt` is shared process state) loaded with the packaged
    policy lexicon plus any extra terms (the taxonomy's), so 居家社区养老服务 or 乡村振兴 stay one word.
    """

    def __init__(self, extra_terms: Iterable[str] = ()) -> None:
        import jieba  # heavy (~0.7 s dictionary load): imported only when segmentation is needed

        jieba.setLogLevel(logging.ERROR)
        self._tokenizer = jieba.Tokenizer()
        try:
            self._tokenizer.initialize()
            known = set()
            for entry in resources.lexicon():
                self._tokenizer.add_word(entry.word, entry.freq, entry.tag)
                known.add(entry.word)
            for term in sorted(set(extra_terms) - known):
                if len(term) >= 2:
                    # freq=None: jieba suggests the frequency that keeps the term whole
                    self._tokenizer.add_word(term, None, "nz")
                    known.add(term)
            # multi-character stop words jieba does not know (十三五, 高质量发展) would otherwise come out
            # as fragments (十三/五) that slip past the stop list
            for word in sorted(resources.stopwords() - known):
                if len(word) >= 3 and word not in self._tokenizer.FREQ:
                    self._tokenizer.add_word(word, None, "x")
        except Exception as exc:  # jieba raises bare Exception on dictionary problems
            raise ResourceError(f"cannot load the segmentation dictionary: {exc}",
                                hint="reinstall painpoint and jieba") from exc

    def cut(self, text: str) -> list[str]:
        """Tokens of `text` in order, punctuation and whitespace dropped."""
        return [t for t in self._tokenizer.cut(text, HMM=True) if _WORDLIKE.search(t)]

    def terms(self, text: str) -> list[str]:
        """Candidate content words: at least two characters, containing Chinese, not a stop word."""
        stop = resources.stopwords()
        return [t for t in self.cut(text) if len(t) >= 2 and _HAN.search(t) and t not in stop]

    def __call__(self, text: str) -> list[str]:
        """Alias of `terms`, so a Segmenter can be passed to scikit-learn as `analyzer=`."""
        return self.terms(text)
