"""The development corpus (../shared/corpus) reads cleanly; skipped when the corpus is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from painpoint.ingest import discover, limits, read_document

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}"),
]


def test_every_corpus_document_reads_as_utf8() -> None:
    paths, problems = discover([str(CORPUS / "plans"), str(CORPUS / "extra")])
    assert problems == []
    assert len(paths) >= 20
    for path in paths:
        document = read_document(path)
        assert document.encoding == "utf-8"
        assert max(len(line) for line in document.lines) <= limits.MAX_LINE_CHARS
