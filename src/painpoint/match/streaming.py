"""What a streamed match keeps in place of plan texts: departments' term counts in compact arrays, and
top-N selection with a heap.

`painpoint match` reads each plan twice (pipeline.match): the first pass counts, the second ranks and scores
one department at a time. Between them nothing holds a plan's text; a department's wording is kept as the
counts of its terms (an id and a count each, 8 bytes per distinct term), enough for the TF-IDF similarity.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from painpoint.match.score import DENSE_SIMILARITY_CELLS, Capability, similarities_of_counts

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")


def top_n(items: Iterable[T], n: int, key: Callable[[T], object]) -> list[T]:
    """The `n` smallest items by `key`, in order, ties in input order: sorted(items, key=key)[:n] without
    holding more than `n` of them (a heap); n <= 0 keeps all, sorted."""
    if n <= 0:
        return sorted(items, key=key)  # type: ignore[arg-type]
    return heapq.nsmallest(n, items, key=key)  # type: ignore[arg-type]


class TermVectors:
    """Each department's term counts, in the order they were added, over one vocabulary.

    `add(counts)` keeps a department's counts as two int32 arrays (term ids in the Counter's order, counts);
    the Counter itself can go. `similarities` gives what score.similarities_of_counts gives on the
    Counters: the same dense computation when it is small enough for the dense path, else the same formula
    on sparse matrices (equal to scikit-learn's to rounding).
    """

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self.rows: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, counts: Counter[str]) -> None:
        import numpy as np

        ids = np.fromiter((self.vocabulary.setdefault(t, len(self.vocabulary)) for t in counts), dtype=np.int32,
                          count=len(counts))
        self.rows.append((ids, np.fromiter(counts.values(), dtype=np.int64, count=len(counts))))

    def counts(self, row: int) -> Counter[str]:
        """The Counter `add` was given for department `row` (same terms, order and counts)."""
        terms = self._terms()
        ids, values = self.rows[row]
        return Counter(dict(zip((terms[i] for i in ids.tolist()), values.tolist(), strict=True)))

    def _terms(self) -> list[str]:
        if len(getattr(self, "_term_list", ())) != len(self.vocabulary):
            self._term_list = list(self.vocabulary)
        return self._term_list

    def similarities(self, caps: Sequence[Capability], analyzer) -> np.ndarray:  # type: ignore[no-untyped-def]
        """Cosine similarity of wording (departments × organizations), as score._similarities computes it."""
        import numpy as np

        if not self.rows or not caps:
            return np.zeros((len(self.rows), len(caps)))
        used = np.zeros(len(self.vocabulary), dtype=bool)
        for ids, values in self.rows:
            used[ids[values > 0]] = True
        if (len(self.rows) + len(caps)) * int(used.sum()) <= DENSE_SIMILARITY_CELLS:
            # small: the very computation a one-pass match runs, so every figure is the same to the last bit
            return similarities_of_counts([self.counts(r) for r in range(len(self.rows))], caps, analyzer)
        return self._sparse(caps, analyzer, used)

    def _sparse(self, caps: Sequence[Capability], analyzer, used: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
        import numpy as np
        from scipy import sparse

        n_terms = len(self.vocabulary)
        indptr = np.zeros(len(self.rows) + 1, dtype=np.int64)
        for r, (ids, _values) in enumerate(self.rows):
            indptr[r + 1] = indptr[r] + len(ids)
        indices = np.concatenate([ids for ids, _ in self.rows])
        values = np.concatenate([v for _, v in self.rows]).astype(np.float64)
        keep = values > 0
        data = np.where(keep, np.log(np.where(keep, values, 1.0)) + 1, 0.0)
        d = sparse.csr_matrix((data, indices, indptr), shape=(len(self.rows), n_terms))
        d.eliminate_zeros()
        df = np.bincount(d.indices, minlength=n_terms)
        idf = np.log((len(self.rows) + 1) / (df + 1.0)) + 1
        count = getattr(analyzer, "counts", None) or (lambda text: Counter(analyzer(text)))
        o_rows, o_cols, o_data = [], [], []
        for j, cap in enumerate(caps):
            for term, n in count(cap.text).items():
                i = self.vocabulary.get(term)
                if i is not None and used[i] and n > 0:
                    o_rows.append(j)
                    o_cols.append(i)
                    o_data.append(np.log(n) + 1)
        o = sparse.csr_matrix((o_data, (o_rows, o_cols)), shape=(len(caps), n_terms))
        scale = sparse.diags(idf)
        d, o = (d @ scale).tocsr(), (o @ scale).tocsr()
        for m in (d, o):
            norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
            norms[norms == 0.0] = 1.0
            m.data /= np.repeat(norms, np.diff(m.indptr))
        return np.asarray((d @ o.T).toarray())
