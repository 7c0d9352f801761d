"""A learned bridge from an organization's own wording to the taxonomy: character n-gram similarity.

Hand-written `ngo_terms` only reach the words someone thought of. Organizations write compounds no list holds
(社区心理咨询, 残障儿童康复); their characters still say which theme they belong to. Each theme's
vocabulary (name, plan terms, NGO terms, beneficiary groups) is cut into characters and character bigrams; a
gram is weighted
by how few themes use it (an inverse document frequency over themes, learned from the taxonomy itself, so
教育 or 服务 count little and 脑瘫 or 养殖 much). A phrase of the profile (one to three adjacent words) is
compared with every vocabulary word that shares a specific gram with it by the weighted Dice coefficient of
their gram sets; the best word above the threshold gives the phrase's theme, graded by the similarity.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from painpoint.text.resources import stopwords
from painpoint.themes.taxonomy import Taxonomy

THRESHOLD = 0.5      # weighted Dice below this is a shared fragment (社区, 教育), not the same work
COVER = 0.6          # share of a vocabulary word's weight the phrase must cover
MAX_WORDS = 3        # a phrase is at most this many adjacent words
MAX_CHARS = 8
MIN_CHARS = 3
MIN_GROUP_CHARS = 4  # beneficiary groups shorter than this (儿童, 青少年) name no particular work
RETRIEVE_THEMES = 4  # a gram used by more themes than this finds no candidates by itself
MAX_OWNERS = 2       # a vocabulary word shared by more themes than this links to none of them
_CLAUSE = re.compile(r"[，。；、：:,;.!?！？\s（）()“”‘’《》「」【】\[\]/|]+")


@dataclass(frozen=True)
class Link:
    """One profile phrase linked to a theme by similarity."""

    theme: str
    """Theme name."""
    phrase: str
    """The profile's words."""
    word: str
    """The taxonomy word it resembles."""
    similarity: float
    """Weighted Dice coefficient of their character grams, THRESHOLD..1."""


def _grams(word: str) -> set[str]:
    """Character bigrams, and the characters themselves: 助贫 and 扶贫 share only 贫."""
    return {word[i:i + 2] for i in range(len(word) - 1)} | set(word)


def _phrase_grams(words: tuple[str, ...]) -> set[str]:
    """The grams of a phrase's words: a bigram across two words (助老 in 帮助|老师) belongs to neither."""
    out: set[str] = set()
    for word in words:
        out |= _grams(word)
    return out


class Bridge:
    """Character n-gram similarity of phrases to the taxonomy's vocabulary (built once per taxonomy)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        owners: dict[str, list[str]] = defaultdict(list)
        for theme in taxonomy.themes:
            if theme.umbrella:  # a field's office words (民政部门) are no capability; its members carry it
                continue
            # a broad group (家庭, 青少年) is who is served, not which work is done; 空巢老人 says more
            groups = (b for b in theme.beneficiaries if len(b) >= MIN_GROUP_CHARS)
            for word in (theme.name, *theme.terms, *theme.ngo_terms, *groups):
                if len(word) >= 2 and theme.name not in owners[word]:
                    owners[word].append(theme.name)
        # a word several themes share (儿童, 社区居民, 家庭) says who is served, not which work is done
        self.owners = {w: tuple(t) for w, t in owners.items() if len(t) <= MAX_OWNERS}
        themes_of: dict[str, set[str]] = defaultdict(set)
        self._index: dict[str, list[str]] = defaultdict(list)
        for word, names in self.owners.items():
            for gram in _grams(word):
                themes_of[gram].update(names)
                self._index[gram].append(word)
        n = len(taxonomy.themes) + 1
        self._idf = {g: math.log(n / (len(t) + 1)) for g, t in themes_of.items()}
        self._unknown = math.log(n)  # a gram no theme uses is as specific as one theme's
        self._retrieve = math.log(n / (RETRIEVE_THEMES + 1))
        self._word_grams = {w: (g, self._weight(g)) for w in self.owners for g in (_grams(w),)}
        self._seen: dict[tuple[str, ...], tuple[float, str] | None] = {}
        self._stop = stopwords()

    def _weight(self, grams: set[str]) -> float:
        idf, unknown = self._idf, self._unknown
        return sum(idf.get(g, unknown) for g in grams)

    def similarity(self, a: str, b: str) -> float:
        """Weighted Dice coefficient of the two words' character grams (0..1)."""
        ga, gb = _grams(a), _grams(b)
        total = self._weight(ga) + self._weight(gb)
        return 2 * self._weight(ga & gb) / total if total else 0.0

    def best(self, phrase: str | tuple[str, ...]) -> tuple[float, str] | None:
        """(similarity, taxonomy word) of the closest vocabulary word, when at or above THRESHOLD.

        `phrase`: one word, or a phrase as its words (帮助, 老师): bigrams across words count for nothing.
        """
        words = (phrase,) if isinstance(phrase, str) else phrase
        if words not in self._seen:  # profiles repeat their phrases: each is compared once per process
            self._seen[words] = self._best(words)
        return self._seen[words]

    def _best(self, words: tuple[str, ...]) -> tuple[float, str] | None:
        phrase = "".join(words)
        if phrase in self.owners:
            return 1.0, phrase
        if len(phrase) < MIN_CHARS:  # two characters either are a vocabulary word or a fragment of one
            return None
        grams = _phrase_grams(words)
        weight = self._weight(grams)
        # only specific grams retrieve candidates: 服 or 社区 would make every phrase a comparison with hundreds
        candidates = {w for g in grams if self._idf.get(g, 0.0) >= self._retrieve for w in self._index.get(g, ())}
        top: tuple[float, str] | None = None
        for word in sorted(candidates):
            other, other_weight = self._word_grams[word]
            if 2 * min(weight, other_weight) / (weight + other_weight) < THRESHOLD:
                continue  # even a full overlap would stay below the threshold
            common = self._weight(grams & other)
            if common < COVER * other_weight:
                continue  # the phrase misses what makes the word specific (服务中心 is no 政务服务中心)
            value = 2 * common / (weight + other_weight)
            if top is None or (value, -len(word)) > (top[0], -len(top[1])):
                top = (value, word)
        return top if top is not None and top[0] >= THRESHOLD else None

    def phrases(self, text: str, cut: Callable[[str], list[str]]) -> Iterator[tuple[str, ...]]:
        """Phrases of one to MAX_WORDS adjacent words within a clause, whose edge words are content words (as
        their words)."""
        for clause in _CLAUSE.split(text):
            words = cut(clause) if clause else []
            for i, first in enumerate(words):
                if len(first) < 2 or first in self._stop:
                    continue
                size = 0
                for k, last in enumerate(words[i:i + MAX_WORDS], start=i + 1):
                    size += len(last)
                    if size > MAX_CHARS:
                        break
                    if len(last) >= 2 and last not in self._stop:
                        yield tuple(words[i:k])

    def links(self, text: str, cut: Callable[[str], list[str]]) -> list[Link]:
        """Each theme the text resembles, once, with its most similar phrase (best first)."""
        best: dict[str, Link] = {}
        for words in dict.fromkeys(self.phrases(text, cut)):
            found = self.best(words)
            if found is None:
                continue
            similarity, word = found
            phrase = "".join(words)
            for theme in self.owners[word]:
                if theme not in best or similarity > best[theme].similarity:
                    best[theme] = Link(theme, phrase, word, round(similarity, 3))
        return sorted(best.values(), key=lambda x: (-x.similarity, x.theme))


@lru_cache(maxsize=4)
def bridge_for(taxonomy: Taxonomy) -> Bridge:
    """The bridge of one taxonomy, built on first use (~50 ms)."""
    return Bridge(taxonomy)
