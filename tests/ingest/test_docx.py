"""Word files: paragraphs and table cells in body order, title from core properties, zip bombs refused."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from painpoint.errors import InputError
from painpoint.ingest import limits, read_document

from .builders import PLAN_PARAGRAPH, make_zip_bomb

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def build_plan(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "某市民政事业发展规划"
    document.add_heading("第一章　总体要求", level=1)
    document.add_paragraph(PLAN_PARAGRAPH)
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("指标", "目标值"), ("养老床位", "35张")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    broken = document.add_paragraph("第一行")
    broken.add_run().add_break()
    broken.add_run("第二行")
    document.add_paragraph("到２０２５年，基本建成。")
    document.save(str(path))


def test_paragraphs_and_table_cells_in_body_order(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    build_plan(path)
    doc = read_document(str(path))
    assert doc.lines == ("第一章 总体要求", PLAN_PARAGRAPH, "指标", "目标值", "养老床位", "35张",
                         "第一行", "第二行", "到2025年，基本建成。")
    # The empty paragraph is skipped; the two lines of one paragraph share its number.
    assert doc.line_numbers == (1, 2, 3, 4, 5, 6, 7, 7, 8)
    assert doc.title == "某市民政事业发展规划"
    assert doc.format == "docx"
    assert doc.encoding is None


def test_tracked_insertions_are_text_deletions_are_not(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = parse_xml(
        f"<w:p {W_NS}><w:r><w:t>加强</w:t></w:r>"
        "<w:ins w:id=\"1\" w:author=\"a\"><w:r><w:t>社区</w:t></w:r></w:ins>"
        "<w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>删除的</w:delText></w:r></w:del>"
        "<w:r><w:tab/><w:t>养老</w:t></w:r></w:p>"
    )
    document.element.body.insert(0, paragraph)
    path = tmp_path / "tracked.docx"
    document.save(str(path))
    assert read_document(str(path)).lines == ("加强社区 养老",)


def test_no_title_in_properties(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("正文")
    path = tmp_path / "untitled.docx"
    document.save(str(path))
    assert read_document(str(path)).title is None


def test_document_with_only_empty_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    path = tmp_path / "blank.docx"
    document.save(str(path))
    with pytest.raises(InputError, match="no text found"):
        read_document(str(path))


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bomb.docx"
    make_zip_bomb(path, unpacked_mb=limits.MAX_DOCX_UNCOMPRESSED // 2**20 + 56)
    assert path.stat().st_size < 1024 * 1024
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(str(name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read_document(str(path))
    assert time.perf_counter() - start < 1
    assert opened == []
    assert caught.value.message == (
        "Word file would unpack to 256 MB (limit 200 MB); refusing a possible zip bomb")


def test_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_ENTRIES", 3)
    path = tmp_path / "many.docx"
    build_plan(path)
    with pytest.raises(InputError, match="too many parts in Word file"):
        read_document(str(path))


@pytest.mark.parametrize(("data", "password_hint"), [
    ("这其实是文本文件".encode(), False),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, True),  # an old .doc, or a password-protected .docx
    (b"", False),
])
def test_not_really_a_docx(tmp_path: Path, data: bytes, password_hint: bool) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_document(str(path))
    assert caught.value.message == "not a Word .docx file"
    assert "save it as .docx in Word/WPS" in (caught.value.hint or "")
    assert ("password" in (caught.value.hint or "")) is password_hint


def test_zip_that_is_not_a_word_package(tmp_path: Path) -> None:
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match="not a Word .docx file"):
        read_document(str(path))


@pytest.mark.parametrize("document_xml", [
    b"<w:document",  # truncated XML
    b"<?xml version='1.0'?>" + b"<a>" * 5000 + b"</a>" * 5000,  # nested past the XML parser's depth limit
])
def test_damaged_word_file(tmp_path: Path, document_xml: bytes) -> None:
    source = tmp_path / "good.docx"
    build_plan(source)
    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(source) as good, zipfile.ZipFile(path, "w") as bad:
        for item in good.infolist():
            bad.writestr(item, document_xml if item.filename == "word/document.xml" else good.read(item))
    with pytest.raises(InputError) as caught:
        read_document(str(path))
    assert caught.value.message == "damaged Word file"


def test_truncated_docx(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    build_plan(path)
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(InputError) as caught:
        read_document(str(path))
    assert caught.value.message == "damaged Word file (incomplete)"
