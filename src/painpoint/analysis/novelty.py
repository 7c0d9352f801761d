"""New terms of a plan: words and phrases frequent or prominent in NEW and absent or rare in OLD, taxonomy or not.

Candidates are the segmenter's content words (two characters or more, no stop words, no digits) and phrases
of two or three such words that stand side by side in the text (银发 + 经济). A candidate's prominence is the
sum, over the NEW sentences that use it, of where it stands: HEADING_WEIGHT in a heading, the sentence's
intensity (重点, 着力 …) in body text, less in formulaic sentences (BOILERPLATE_WEIGHT); it is scaled down
for terms close to everyday language (general-language IDF below jieba's median), and everyday words (IDF
below GENERAL_IDF) are never candidates.

A candidate is new when OLD uses it at most RARE_OLD times and NEW uses it at least RATIO times as often per
character (a term OLD never uses is always new enough). It is listed when it is in a heading, used at least
MIN_USES times, or is a specialised word (IDF at least the median, not a phrase) absent from OLD. Words
both plans use (坚持, 推进) are never new, so formulaic language stays out without a word list. A phrase or
word inside a longer listed term that it never occurs without is folded into that term; a phrase used once
whose words OLD all uses is a recombination, not a new term.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from painpoint.model import Evidence
from painpoint.plans.structure import Plan, SentenceKind
from painpoint.text.resources import background_idf, stopwords
from painpoint.text.segmenter import Segmenter

HEADING_WEIGHT = 3.0
"""A term in a heading counts as three uses in body text: headings name what a plan is about."""
MIN_USES = 2
"""A term outside headings needs at least this many sentences in NEW."""
RARE_OLD = 1
"""OLD may use a new term at most this many times…"""
RATIO = 4.0
"""…when NEW uses it at least this many times as often, per character of text."""
MAX_PHRASE = 3
"""Longest phrase, in words."""
GENERAL_IDF = 7.0
"""A term whose general-language IDF is below this (下降, 召开, 压力) is everyday wording, never a new term."""
BOILERPLATE_WEIGHT = 0.3
"""A use in formulaic political language (深入贯彻…决策部署) counts this much."""
TERMS_KEPT = 40
"""New terms kept, most prominent first."""

_DIGIT = re.compile(r"[\d０-９]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TEXT_KINDS = (SentenceKind.HEADING, SentenceKind.BODY)


@dataclass(frozen=True)
class NewTerm:
    """A term NEW introduces."""

    term: str
    """The word or phrase."""
    prominence: float
    """Uses in NEW weighted by where they stand (heading 3, body text its intensity)."""
    new_uses: int
    """NEW's sentences that use it."""
    old_uses: int
    """OLD's occurrences of it (0 when absent)."""
    in_heading: bool
    """True when a NEW heading names it."""
    evidence: Evidence
    """The NEW sentence that introduces it (its first use)."""
    specific: bool = False
    """True for specialised wording (general-language IDF at least jieba's median), False for everyday words."""
    themes: tuple[str, ...] = ()
    """Taxonomy themes the term belongs to; empty for wording the taxonomy does not know yet."""


@cache
def _idf() -> tuple[dict[str, float], float]:
    """jieba's general-language IDF, decoded once per process (~0.4 s a time otherwise)."""
    return background_idf()


def _pair_id(a: str, b: str) -> int:
    return (ord(a) << 21) | ord(b)


class _Occurrences:
    """Counts of terms in a long text through a sorted array of its character bigrams: str.count scans the
    whole text for each of thousands of candidates (seconds on a 150,000-character plan); this looks only
    where a term's rarest bigram stands."""

    def __init__(self, text: str, terms: Sequence[str]) -> None:
        self.text = text
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        ids = (points[:-1] << 21) | points[1:]
        self.order = np.argsort(ids, kind="stable")  # positions of equal bigrams stay in text order
        ordered = ids[self.order]
        wanted = np.array(sorted({_pair_id(t[k], t[k + 1]) for t in terms for k in range(len(t) - 1)}),
                          dtype=np.int64)
        lo, hi = np.searchsorted(ordered, wanted, "left"), np.searchsorted(ordered, wanted, "right")
        self.span = dict(zip(wanted.tolist(), zip(lo.tolist(), hi.tolist(), strict=True), strict=True))

    def count(self, term: str, stop: int) -> int:
        """Occurrences of `term` (two characters or more, given to the constructor), up to `stop`."""
        spans = [(self.span[_pair_id(term[k], term[k + 1])], k) for k in range(len(term) - 1)]
        (lo, hi), offset = min(spans, key=lambda x: x[0][1] - x[0][0])
        n = 0
        for p in self.order[lo:hi].tolist():
            if p >= offset and self.text.startswith(term, p - offset):
                n += 1
                if n >= stop:
                    break
        return n


def _phrases(tokens: Sequence[str], kind: dict[str, bool], stop: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Content words and runs of up to MAX_PHRASE content words standing side by side (no punctuation, space
    or other word between them), joined, each with its words. `kind` caches which tokens are content words."""
    out: dict[str, tuple[str, ...]] = {}
    run: list[str] = []
    for t in tokens:
        content = kind.get(t)
        if content is None:
            content = kind[t] = (len(t) >= 2 and t not in stop and bool(_HAN.search(t))
                                 and not _DIGIT.search(t))
        if not content:
            run = []
            continue
        run = [*run[1 - MAX_PHRASE:], t] if len(run) >= MAX_PHRASE else [*run, t]
        for n in range(1, len(run) + 1):
            words = tuple(run[-n:])
            out["".join(words)] = words
    return out


def specificity(term: str, words: Sequence[str], idf: dict[str, float], median: float) -> float:
    """How far a term is from everyday language: its IDF in jieba's general-language table; a phrase the
    table lacks takes its most specific word's; a word the table lacks (a new coinage) the median."""
    if term in idf:
        return idf[term]
    return max(idf.get(w, median) for w in words)


def new_terms(old: Sequence[Plan], new: Sequence[Plan], segmenter: Segmenter) -> list[NewTerm]:
    """NEW's new terms, most prominent first (thresholds in the module docstring)."""
    old_text = "\n".join(s.text for p in old for s in p.sentences if s.kind in _TEXT_KINDS)
    new_sentences = [(p.path, s) for p in new for s in p.sentences if s.kind in _TEXT_KINDS]
    new_chars = sum(len(s.text) for _, s in new_sentences) or 1
    old_chars = len(old_text) or 1
    idf, median = _idf()
    stop = stopwords()
    kind: dict[str, bool] = {}
    weight: dict[str, float] = defaultdict(float)
    parts: dict[str, tuple[str, ...]] = {}
    uses: dict[str, int] = defaultdict(int)
    first: dict[str, Evidence] = {}
    heading: set[str] = set()
    for path, s in new_sentences:
        for term, words in _phrases(segmenter.tokens(s.text), kind, stop).items():
            if term not in first:
                first[term] = Evidence(path, s.line, s.text)
                parts[term] = words
            uses[term] += 1
            if s.kind is SentenceKind.HEADING:
                heading.add(term)
                weight[term] += HEADING_WEIGHT
            else:
                weight[term] += s.intensity * (BOILERPLATE_WEIGHT if s.boilerplate else 1.0)
    candidates = []
    for term, n in uses.items():
        spec = specificity(term, parts[term], idf, median)
        rare_use = n < MIN_USES and term not in heading
        # a phrase used once is a passing combination of words; a specialised word used once may be the news
        if spec >= GENERAL_IDF and not (rare_use and (spec < median or len(parts[term]) > 1)):
            candidates.append((term, n, spec, rare_use))
    occurrences = _Occurrences(old_text, [w for c in candidates for w in (c[0], *parts[c[0]])])
    found: list[NewTerm] = []
    for term, n, spec, rare_use in candidates:
        in_old = occurrences.count(term, RARE_OLD + 1)
        if in_old > RARE_OLD or in_old and (rare_use or n / new_chars < RATIO * in_old / old_chars):
            continue
        # a heading that once recombines words OLD already uses (加快 + 社会事业) coins nothing
        if n == 1 and len(parts[term]) > 1 and all(occurrences.count(w, 1) for w in parts[term]):
            continue
        found.append(NewTerm(term, round(weight[term] * min(1.0, spec / median), 2), n, in_old, term in heading,
                             first[term], spec >= median))
    found.sort(key=lambda t: (-t.prominence, -len(t.term), t.term))
    kept: list[NewTerm] = []
    for t in found:
        # 银发 inside 银发经济, used no more often on its own: the longer phrase says it
        if any(t.term in k.term and t.new_uses <= k.new_uses for k in kept):
            continue
        kept = [k for k in kept if not (k.term in t.term and k.new_uses <= t.new_uses)]
        kept.append(t)
        if len(kept) >= TERMS_KEPT:
            break
    return kept
