"""A file is read as what its bytes are when its name says otherwise: a .docx saved as .pdf, a page as .txt."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from painpoint.errors import InputError
from painpoint.ingest import read_document
from painpoint.ingest.formats import sniff_kind

from .builders import PLAN_LINES, PLAN_PARAGRAPH, make_pdf

DOC = Path(__file__).resolve().parents[1] / "assets" / "ingest" / "civil_affairs_2025.doc"

PAGE = ("\ufeff\n  <!DOCTYPE HTML><html><head><title>示例县民政局2025年工作要点</title></head><body>"
        "<p>一、健全社会救助体系</p><p>新建老年助餐点25个。</p></body></html>")


def _docx_bytes(tmp_path: Path) -> bytes:
    document = docx.Document()
    for line in PLAN_LINES:
        document.add_paragraph(line)
    document.save(str(tmp_path / "made.docx"))
    return (tmp_path / "made.docx").read_bytes()


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_word_file_saved_as_pdf_is_read_as_word(tmp_path: Path) -> None:
    # was: 'damaged PDF — download it again', advice that never helps
    doc = read_document(_write(tmp_path, "附件1.pdf", _docx_bytes(tmp_path)))
    assert doc.lines == PLAN_LINES and doc.format == "docx"


def test_a_web_page_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    # a BOM, blank lines and upper case before the tag, as browsers save pages
    doc = read_document(_write(tmp_path, "民政局.txt", PAGE.encode("utf-8")))
    assert doc.format == "html" and doc.title == "示例县民政局2025年工作要点"
    assert doc.lines == ("一、健全社会救助体系", "新建老年助餐点25个。")  # no tags left in the text
    assert read_document(_write(tmp_path, "民政局.md", PAGE[1:].encode("gbk"))).format == "html"


def test_a_pdf_or_an_old_word_file_under_another_name_is_read_as_what_it_is(tmp_path: Path) -> None:
    pdf = read_document(_write(tmp_path, "plan.docx", make_pdf([[PLAN_PARAGRAPH]])))
    assert pdf.format == "pdf" and pdf.lines == (PLAN_PARAGRAPH,)
    for name in ("plan.txt", "plan.docx", "plan.html"):
        path = tmp_path / name
        shutil.copyfile(DOC, path)
        doc = read_document(str(path))
        assert doc.format == "doc" and doc.lines == read_document(str(DOC)).lines, name


def test_a_doc_that_is_a_web_page_is_recorded_as_html(tmp_path: Path) -> None:
    # read as a page before too (msdoc), now also recorded as one (the JSON `format`), as for every other name
    doc = read_document(_write(tmp_path, "民政局.doc", PAGE.encode("utf-8")))
    assert doc.format == "html" and doc.lines == ("一、健全社会救助体系", "新建老年助餐点25个。")


def test_files_whose_name_fits_are_read_as_before(tmp_path: Path) -> None:
    assert read_document(_write(tmp_path, "a.txt", "\n".join(PLAN_LINES).encode())).format == "txt"
    assert read_document(_write(tmp_path, "a.md", b"# \xe6\xa0\x87\xe9\xa2\x98\n<html> \xe6\xad\xa3\xe6\x96\x87\n")
                         ).format == "md"  # a tag inside a line of text is no web page
    assert read_document(_write(tmp_path, "a.docx", _docx_bytes(tmp_path))).format == "docx"
    assert read_document(str(DOC)).format == "doc"
    wps = tmp_path / "a.wps"
    shutil.copyfile(DOC, wps)
    assert read_document(str(wps)).format == "wps"


def test_only_unmistakable_signatures_count(tmp_path: Path) -> None:
    assert sniff_kind("<p>示例县民政局</p>".encode()) is None  # a fragment: text, as its name says
    assert sniff_kind(b"PK\x03\x04 not a zip") is None  # a damaged zip keeps its own reader's message
    assert sniff_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512) is None  # no Word stream inside
    with pytest.raises(InputError, match="not a Word .docx file"):  # e.g. a password-protected .docx: as before
        read_document(_write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512))
