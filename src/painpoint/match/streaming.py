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

from painpoint.match.score import (
    DENSE_SIMILARITY_CELLS,
    Capability,
    _specificity,
    _with_parts,
    similarities_of_counts,
)

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

    `add(counts)` writes a department's counts to a scratch file as two int32 arrays (term ids in the
    Counter's order, counts) and keeps only the vocabulary and each term's department count (its df); the
    Counter itself can go. `similarities` gives what score.similarities_of_counts gives on the Counters: the
    same dense computation when it is small enough for the dense path, else the same formula on sparse
    matrices a block of departments at a time (equal to scikit-learn's to rounding). Close it, or use it in
    a `with` block, to delete the scratch file.
    """

    BLOCK = 128
    """Departments per sparse block: what the similarity step holds at once besides its result."""

    def __init__(self) -> None:
        import tempfile

        import numpy as np

        self.vocabulary: dict[str, int] = {}
        self.rows: list[tuple[int, int]] = []
        """(offset, number of terms) of each department's arrays in the scratch file."""
        self.df = np.zeros(1024, dtype=np.int64)
        self._file = tempfile.TemporaryFile(prefix="painpoint-", suffix=".terms")

    def __enter__(self) -> TermVectors:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def add(self, counts: Counter[str]) -> None:
        import numpy as np

        ids = np.fromiter((self.vocabulary.setdefault(t, len(self.vocabulary)) for t in counts), dtype=np.int32,
                          count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.int32, count=len(counts))
        if len(self.vocabulary) > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(max(len(self.df), len(self.vocabulary)), dtype=np.int64)])
        self.df[ids[values > 0]] += 1  # a Counter names each term once: no id repeats
        offset = self._file.seek(0, 2)
        self._file.write(ids.tobytes())
        self._file.write(values.tobytes())
        self.rows.append((offset, len(ids)))

    def _arrays(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        offset, n = self.rows[row]
        self._file.seek(offset)
        data = np.frombuffer(self._file.read(8 * n), dtype=np.int32)
        return data[:n], data[n:]

    def counts(self, row: int) -> Counter[str]:
        """The Counter `add` was given for department `row` (same terms, order and counts)."""
        terms = list(self.vocabulary)
        ids, values = self._arrays(row)
        return Counter(dict(zip((terms[i] for i in ids.tolist()), values.tolist(), strict=True)))

    def similarities(self, caps: Sequence[Capability], analyzer,  # type: ignore[no-untyped-def]
                     parts: Callable[[str], tuple[str, ...]] | None = None) -> np.ndarray:
        """Cosine similarity of wording (departments × organizations), as score._similarities computes it;
        the departments' counts were added with their words inside words, `parts` adds the organizations'."""
        import numpy as np

        if not self.rows or not caps:
            return np.zeros((len(self.rows), len(caps)))
        used = int(np.count_nonzero(self.df[:len(self.vocabulary)]))
        if (len(self.rows) + len(caps)) * used <= DENSE_SIMILARITY_CELLS:
            # small: the very computation a one-pass match runs, so every figure is the same to the last bit
            terms = list(self.vocabulary)
            counts = []
            for row in range(len(self.rows)):
                ids, values = self._arrays(row)
                counts.append(Counter(dict(zip((terms[i] for i in ids.tolist()), values.tolist(), strict=True))))
            return similarities_of_counts(counts, caps, analyzer, parts)
        return self._sparse(caps, analyzer, parts)

    def _sparse(self, caps: Sequence[Capability], analyzer,  # type: ignore[no-untyped-def]
                parts: Callable[[str], tuple[str, ...]] | None) -> np.ndarray:
        import numpy as np
        from scipy import sparse

        n_terms = len(self.vocabulary)
        df = self.df[:n_terms]
        idf = (np.log((len(self.rows) + 1) / (df + 1.0)) + 1) * _specificity(list(self.vocabulary))
        count = getattr(analyzer, "counts", None) or (lambda text: Counter(analyzer(text)))
        o_rows, o_cols, o_data = [], [], []
        for j, cap in enumerate(caps):
            for term, n in _with_parts(count(cap.text), parts).items():
                i = self.vocabulary.get(term)
                if i is not None and df[i] and n > 0:  # words no department uses are not in the vocabulary
                    o_rows.append(j)
                    o_cols.append(i)
                    o_data.append((np.log(n) + 1) * idf[i])
        o = sparse.csr_matrix((o_data, (o_rows, o_cols)), shape=(len(caps), n_terms))
        _normalise(o)
        ot = o.T.tocsc()
        out = np.zeros((len(self.rows), len(caps)))
        for start in range(0, len(self.rows), self.BLOCK):
            block = [self._arrays(r) for r in range(start, min(start + self.BLOCK, len(self.rows)))]
            indptr = np.zeros(len(block) + 1, dtype=np.int64)
            np.cumsum([len(ids) for ids, _values in block], out=indptr[1:])
            indices = np.concatenate([ids for ids, _values in block])
            values = np.concatenate([v for _ids, v in block]).astype(np.float64)
            positive = values > 0
            data = np.where(positive, np.log(np.where(positive, values, 1.0)) + 1, 0.0) * idf[indices]
            d = sparse.csr_matrix((data, indices, indptr), shape=(len(block), n_terms))
            d.eliminate_zeros()
            _normalise(d)
            out[start:start + len(block)] = (d @ ot).toarray()
        return out


def _normalise(m) -> None:  # type: ignore[no-untyped-def]
    """Scale each row of a CSR matrix to unit length (rows of zeros stay zero)."""
    import numpy as np

    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    m.data /= np.repeat(norms, np.diff(m.indptr))
