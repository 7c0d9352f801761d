"""Align two plans' headings and sentences: sections same, renamed, moved, added or removed; sentences added,
removed or changed (with the changed words marked).

Headings are compared without their numbers (三、 and 四、, 第二章 and 第三章) and with years masked, so a
renumbered or re-dated heading is the same heading. Other pairs are matched by the ratio of their characters
(2 × longest common subsequence / total length, as difflib's ratio, computed by rapidfuzz), at least
RENAME_SIMILARITY, best pairs first. A matched heading that is out of order (not on the
longest chain of pairs that keeps both plans' order) moved.

Sentences (body text) that appear verbatim on both sides are unchanged, wherever they stand. The rest are
paired by the character bigrams they share (numbers removed, Jaccard, at least NEAR_SIMILARITY; a candidate in
the aligned section gets SECTION_BONUS), best pairs first: such a pair changed; what stays unpaired was added
or removed. Both steps are symmetric, so diff(A, B) adds what diff(B, A) removes.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from painpoint.model import Evidence
from painpoint.plans.structure import Plan, SentenceKind

RENAME_SIMILARITY = 0.6
"""Two headings (numbers removed) whose characters agree this much (difflib ratio) are one section renamed."""
NEAR_SIMILARITY = 0.5
"""Two sentences sharing this share of their character bigrams (numbers removed) are one sentence changed."""
SECTION_BONUS = 0.05
"""Preference for a near sentence in the section aligned with the sentence's own."""
COMMON_BIGRAM = 0.05
"""A bigram in more than this share of a side's sentences (发展, 推进) does not propose candidates."""
MIN_CANDIDATE_SHARE = 0.3
"""A candidate must share at least this share of the sentence's rarer bigrams before Jaccard is computed."""


class SectionStatus(StrEnum):
    """How a heading of OLD relates to NEW."""

    SAME = "same"
    RENAMED = "renamed"
    MOVED = "moved"
    ADDED = "added"
    REMOVED = "removed"


class SentenceStatus(StrEnum):
    """How a sentence of OLD relates to NEW."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Heading:
    """One heading of a plan, as aligned."""

    document: str
    """Path of the plan."""
    line: int
    """1-based line in the plan."""
    text: str
    """The heading as written (numbering included)."""
    level: int
    """Heading level (1 = 篇 … 7 = (1))."""


@dataclass(frozen=True)
class SectionChange:
    """A heading that is not simply the same on both sides."""

    status: SectionStatus
    """Renamed, moved, added or removed (same headings are only counted)."""
    old: Heading | None
    """OLD's heading, unless added."""
    new: Heading | None
    """NEW's heading, unless removed."""
    similarity: float
    """Character agreement of the two headings without numbers (1.0 for a moved heading of the same words)."""


@dataclass(frozen=True)
class SentenceChange:
    """A sentence added, removed or reworded."""

    status: SentenceStatus
    """Added, removed or changed."""
    old: Evidence | None
    """OLD's sentence, unless added."""
    new: Evidence | None
    """NEW's sentence, unless removed."""
    section: str
    """The innermost heading above it (NEW's, else OLD's); empty before the first heading."""
    similarity: float
    """Bigram agreement of a changed pair (0 for added and removed sentences)."""
    spans: tuple[tuple[str, str], ...] = ()
    """A changed pair word by word: ('same'|'removed'|'added', text), in reading order."""

    @property
    def removed_words(self) -> tuple[str, ...]:
        """OLD's words that NEW no longer has."""
        return tuple(t for op, t in self.spans if op == "removed")

    @property
    def added_words(self) -> tuple[str, ...]:
        """NEW's words that OLD did not have."""
        return tuple(t for op, t in self.spans if op == "added")


@dataclass(frozen=True)
class Alignment:
    """Headings and sentences of OLD aligned with NEW."""

    sections: tuple[SectionChange, ...]
    """Headings renamed, moved, added or removed, in NEW's order (removed ones where they stood in OLD)."""
    same_sections: int
    """Headings the same on both sides (numbering aside)."""
    sentences: tuple[SentenceChange, ...]
    """Sentences changed, added or removed, NEW's reading order first, then the removed ones in OLD's."""
    same_sentences: int
    """Body sentences found verbatim on both sides."""


_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十百零〇两\d]+[篇章节]|[一二三四五六七八九十百零〇两]+[、.．]|"
                        r"[（(][一二三四五六七八九十百零〇两\d]+[）)]|\d{1,2}[.．、](?!\d)|【[^】]*】|专栏\s*\d*)\s*")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r"[\s。；;，,、：:！!？?“”\"'《》（）()]")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
_TOKEN = re.compile(r"\d+(?:\.\d+)?[%％‰]?|[A-Za-z]+|\s+|.", re.S)


def heading_key(text: str) -> str:
    """A heading without its numbering, years masked and punctuation dropped: what stays when it is renumbered."""
    return _SPACE_PUNCT.sub("", _DIGITS.sub("#", _NUMBERING.sub("", text)))


def sentence_key(text: str) -> str:
    """A sentence as compared verbatim: spaces and closing punctuation do not count."""
    return _SPACE.sub("", text).rstrip("。；;！!？?")


def _headings(plan: Plan) -> list[Heading]:
    return [Heading(plan.path, s.line, s.text, s.level) for s in plan.sentences if s.kind is SentenceKind.HEADING]


def _longest_chain(pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest subsequence of (old index, new index) pairs increasing on both: what kept its order."""
    ordered = sorted(pairs)
    tails: list[int] = []       # smallest new index ending a chain of each length
    tail_at: list[int] = []     # position in `ordered` of that tail
    back = [-1] * len(ordered)
    for k, (_, j) in enumerate(ordered):
        n = bisect_left(tails, j)
        if n == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[n] = j
            tail_at[n] = k
        back[k] = tail_at[n - 1] if n else -1
    chain: set[tuple[int, int]] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.add(ordered[k])
        k = back[k]
    return chain


def symmetric_order(candidate: tuple[float, int, int]) -> tuple[float, int, int]:
    """Order of candidate pairs, best first: pairs that share a side's item keep their order when OLD and NEW
    swap, so greedy pairing gives the same pairs both ways."""
    score, i, j = candidate
    return -score, i + j, abs(i - j)


def _pair_by_key(old_keys: Sequence[str], new_keys: Sequence[str]) -> dict[int, int]:
    """Equal keys paired in order (the first OLD occurrence with the first NEW one)."""
    waiting: dict[str, list[int]] = defaultdict(list)
    for j, k in enumerate(new_keys):
        waiting[k].append(j)
    for queue in waiting.values():
        queue.reverse()
    pairs = {}
    for i, k in enumerate(old_keys):
        if waiting.get(k):
            pairs[i] = waiting[k].pop()
    return pairs


def align_headings(old: Sequence[Heading], new: Sequence[Heading]
                   ) -> tuple[list[SectionChange], int, dict[str, str]]:
    """(section changes, number of same headings, OLD heading text → NEW heading text for aligned ones)."""
    old_keys, new_keys = [heading_key(h.text) for h in old], [heading_key(h.text) for h in new]
    pairs = _pair_by_key(old_keys, new_keys)
    similarity = dict.fromkeys(pairs.items(), 1.0)
    free_old = [i for i in range(len(old)) if i not in pairs]
    used_new = set(pairs.values())
    free_new = [j for j in range(len(new)) if j not in used_new]
    candidates = []
    if free_old and free_new:
        # rapidfuzz's ratio is difflib's measure computed exactly (2 × longest common subsequence / total
        # length), in C++ over the whole matrix: symmetric, and ~100× faster on a long plan's headings
        scores = process.cdist([old_keys[i] for i in free_old], [new_keys[j] for j in free_new],
                               scorer=fuzz.ratio, score_cutoff=RENAME_SIMILARITY * 100, workers=1)
        for a, b in zip(*scores.nonzero(), strict=True):
            candidates.append((round(float(scores[a, b]) / 100, 4), free_old[a], free_new[b]))
    candidates.sort(key=symmetric_order)
    for ratio, i, j in candidates:
        if i in pairs or j in used_new:
            continue
        pairs[i] = j
        used_new.add(j)
        similarity[(i, j)] = ratio
    in_order = _longest_chain(list(pairs.items()))
    by_new: dict[int, SectionChange] = {}
    same = 0
    for i, j in pairs.items():
        if (i, j) not in in_order:
            status = SectionStatus.MOVED
        elif old_keys[i] == new_keys[j]:
            same += 1
            continue
        else:
            status = SectionStatus.RENAMED
        by_new[j] = SectionChange(status, old[i], new[j], round(similarity[(i, j)], 3))
    changes: list[SectionChange] = []
    old_of_new = {j: i for i, j in pairs.items()}
    removed = [i for i in range(len(old)) if i not in pairs]
    r = 0
    for j in range(len(new)):
        # a removed heading is shown before the first NEW heading whose OLD partner came after it
        partner = old_of_new.get(j)
        while partner is not None and r < len(removed) and removed[r] < partner:
            changes.append(SectionChange(SectionStatus.REMOVED, old[removed[r]], None, 0.0))
            r += 1
        if j in by_new:
            changes.append(by_new[j])
        elif j not in old_of_new:
            changes.append(SectionChange(SectionStatus.ADDED, None, new[j], 0.0))
    changes += [SectionChange(SectionStatus.REMOVED, old[i], None, 0.0) for i in removed[r:]]
    return changes, same, {old[i].text: new[j].text for i, j in pairs.items()}


def word_spans(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The two sentences as one sequence of same, removed and added words (numbers and Latin words whole)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    spans: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if spans and spans[-1][0] == op:
            spans[-1] = (op, spans[-1][1] + text)
        else:
            spans.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("same", "".join(a[i1:i2]))
            continue
        add("removed", "".join(a[i1:i2]))
        add("added", "".join(b[j1:j2]))
    return tuple(spans)


@dataclass(frozen=True)
class _Body:
    evidence: Evidence
    section: str
    key: str


def _bodies(plan: Plan) -> list[_Body]:
    return [_Body(Evidence(plan.path, s.line, s.text), s.section[-1] if s.section else "", sentence_key(s.text))
            for s in plan.sentences if s.kind is SentenceKind.BODY]


def bigram_ids(texts: Sequence[str]) -> list[np.ndarray]:
    """Each text's distinct character bigrams of its Chinese (numbers, Latin and punctuation removed), as
    integers (two code points): computed in numpy for all texts at once, a long plan's 5,000 sentences in
    milliseconds where Python sets of strings take a second."""
    hans = [_NOT_HAN.sub("", t) for t in texts]
    joined = "\0".join(hans)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    if len(points) < 2:
        return [np.empty(0, dtype=np.int64) for _ in texts]
    ids = (points[:-1] << 21) | points[1:]
    valid = (points[:-1] != 0) & (points[1:] != 0)
    row = np.cumsum(points == 0)[:-1]  # the text each bigram starts in
    out: list[np.ndarray] = []
    starts = np.searchsorted(row, np.arange(len(texts) + 1))
    for k in range(len(texts)):
        chunk = ids[starts[k]:starts[k + 1]][valid[starts[k]:starts[k + 1]]]
        out.append(np.unique(chunk))
    return out


def _incidence(grams: Sequence[np.ndarray], columns: np.ndarray) -> sparse.csr_matrix:
    """Sentences × bigrams, 1 where the sentence has the bigram (`columns`: every bigram id, sorted)."""
    indices = np.searchsorted(columns, np.concatenate(grams)) if grams else np.empty(0, dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum([len(g) for g in grams])])
    return sparse.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr),
                             shape=(len(grams), len(columns)))


def _near_pairs(old: Sequence[_Body], new: Sequence[_Body], section_map: dict[str, str]
                ) -> list[tuple[float, int, int]]:
    """Candidate (score, old index, new index) pairs at least NEAR_SIMILARITY alike.

    Candidates share enough of the sides' rarer bigrams (a sparse product, so that a long plan is not compared
    sentence by sentence in Python); their Jaccard over all bigrams is then computed exactly."""
    grams = bigram_ids([b.key for b in (*old, *new)])
    grams_old, grams_new = grams[:len(old)], grams[len(old):]
    if not grams_old or not grams_new:
        return []
    columns = np.unique(np.concatenate(grams))
    x_old, x_new = _incidence(grams_old, columns), _incidence(grams_new, columns)
    cap = max(3, int(COMMON_BIGRAM * max(len(old), len(new))))
    # a bigram common on either side proposes nothing; the same test both ways keeps the diff symmetric
    df_old, df_new = np.asarray(x_old.sum(axis=0)).ravel(), np.asarray(x_new.sum(axis=0)).ravel()
    rare = np.flatnonzero((df_old <= cap) & (df_new <= cap))
    r_old, r_new = x_old[:, rare], x_new[:, rare]
    rare_old, rare_new = np.asarray(r_old.sum(axis=1)).ravel(), np.asarray(r_new.sum(axis=1)).ravel()
    hits = (r_new @ r_old.T).tocoo()
    js, is_, n = hits.row, hits.col, hits.data
    keep = n >= MIN_CANDIDATE_SHARE * np.minimum(rare_new[js], rare_old[is_])
    js, is_ = js[keep], is_[keep]
    if not len(js):
        return []
    shared = np.asarray(x_new[js].multiply(x_old[is_]).sum(axis=1)).ravel()
    len_old, len_new = np.diff(x_old.indptr), np.diff(x_new.indptr)
    sims = shared / (len_new[js] + len_old[is_] - shared)
    pairs = []
    for j, i, sim in zip(js.tolist(), is_.tolist(), sims.tolist(), strict=True):
        if sim >= NEAR_SIMILARITY:
            bonus = SECTION_BONUS if section_map.get(old[i].section) == new[j].section else 0.0
            pairs.append((round(sim, 6) + bonus, i, j))
    return pairs


def align(old: Sequence[Plan], new: Sequence[Plan]) -> Alignment:
    """Headings and body sentences of OLD's plans aligned with NEW's."""
    heads_old = [h for p in old for h in _headings(p)]
    heads_new = [h for p in new for h in _headings(p)]
    sections, same_sections, section_map = align_headings(heads_old, heads_new)
    body_old = [b for p in old for b in _bodies(p)]
    body_new = [b for p in new for b in _bodies(p)]
    same = _pair_by_key([b.key for b in body_old], [b.key for b in body_new])
    rest_old = [i for i in range(len(body_old)) if i not in same]
    matched_new = set(same.values())
    rest_new = [j for j in range(len(body_new)) if j not in matched_new]
    near = _near_pairs([body_old[i] for i in rest_old], [body_new[j] for j in rest_new], section_map)
    near.sort(key=symmetric_order)
    paired_old: dict[int, tuple[int, float]] = {}
    paired_new: set[int] = set()
    for score, i, j in near:
        if i in paired_old or j in paired_new:
            continue
        paired_old[i] = (j, score)
        paired_new.add(j)
    changed_at = {rest_new[j]: (rest_old[i], score) for i, (j, score) in paired_old.items()}
    out: list[SentenceChange] = []
    for j in rest_new:
        b = body_new[j]
        if j in changed_at:
            i, score = changed_at[j]
            a = body_old[i]
            sim = min(1.0, score - (SECTION_BONUS if section_map.get(a.section) == b.section else 0.0))
            out.append(SentenceChange(SentenceStatus.CHANGED, a.evidence, b.evidence, b.section or a.section,
                                      round(sim, 3), word_spans(a.evidence.text, b.evidence.text)))
        else:
            out.append(SentenceChange(SentenceStatus.ADDED, None, b.evidence, b.section, 0.0))
    paired_rest_old = {rest_old[i] for i in paired_old}
    out += [SentenceChange(SentenceStatus.REMOVED, body_old[i].evidence, None, body_old[i].section, 0.0)
            for i in rest_old if i not in paired_rest_old]
    return Alignment(tuple(sections), same_sections, tuple(out), len(same))
