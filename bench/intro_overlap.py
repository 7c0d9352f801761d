"""Do profiles drafted by `painpoint orgs import` rank plans like the hand-written ones? (issue 18)

usage: python bench/intro_overlap.py [CORPUS]   (default ../shared/corpus)

For every intro in CORPUS/intros, as .txt and as a .docx generated here with python-docx (never stored), the
draft and the hand-written profile in CORPUS/orgs each pick their five best plans of CORPUS/plans; prints the
mean overlap (target >= 0.85), the mean distance of the plans' scores from the hand-written profile's, and the
same two figures for the baseline of pasting the whole intro into `mission`. One JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from painpoint.evaluate import import_overlap


def as_docx(txt: Path, folder: Path) -> str:
    import docx

    document = docx.Document()
    for line in txt.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line)
    target = folder / f"{txt.stem}.docx"
    document.save(str(target))
    return str(target)


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")
    txt = import_overlap(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        docs = [as_docx(p, Path(tmp)) for p in sorted((corpus / "intros").glob("*.txt"))]
        docx_result = import_overlap(corpus, docs)
    print(json.dumps({"txt": txt, "docx_mean_overlap": docx_result["mean_overlap"],
                      "docx_mean_score_distance": docx_result["mean_score_distance"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
