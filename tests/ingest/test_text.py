"""Plain-text files: encodings, line endings and line numbers, empty and binary files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from painpoint.errors import InputError
from painpoint.ingest import read_document

from .builders import PLAN_LINES, PLAN_PARAGRAPH

PLAN_TEXT = "\n".join(PLAN_LINES) + "\n"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_utf8(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "plan.txt", PLAN_TEXT.encode("utf-8")))
    assert doc.lines == PLAN_LINES
    assert doc.line_numbers == (1, 2, 3, 4)
    assert doc.encoding == "utf-8"
    assert doc.format == "txt"
    assert doc.title is None


def test_markdown_is_read_as_text(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "plan.md", "# 总体要求\n\n正文。\n".encode()))
    assert doc.lines == ("# 总体要求", "正文。")
    assert doc.line_numbers == (1, 3)
    assert doc.format == "md"


def test_path_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "plan.txt", PLAN_TEXT.encode())
    monkeypatch.chdir(tmp_path)
    assert read_document("./plan.txt").path == "./plan.txt"


@pytest.mark.parametrize(("bom", "codec", "label"), [
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
])
def test_byte_order_marks(tmp_path: Path, bom: bytes, codec: str, label: str) -> None:
    doc = read_document(write(tmp_path, "plan.txt", bom + PLAN_TEXT.encode(codec)))
    assert doc.lines == PLAN_LINES
    assert doc.encoding == label


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path: Path, codec: str) -> None:
    doc = read_document(write(tmp_path, "plan.txt", PLAN_TEXT.encode(codec)))
    assert doc.lines == PLAN_LINES
    assert doc.encoding == codec


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_full_of_yi(tmp_path: Path, codec: str) -> None:
    # 一 is U+4E00: its zero byte sits on the side where ASCII characters do NOT put theirs.
    text = "一是一以贯之，一张蓝图绘到底。\n一老一小\n" * 5
    doc = read_document(write(tmp_path, "plan.txt", text.encode(codec)))
    assert doc.lines == ("一是一以贯之，一张蓝图绘到底。", "一老一小") * 5
    assert doc.encoding == codec


@pytest.mark.parametrize("codec", ["gbk", "gb2312", "gb18030"])
def test_gb_encodings_decode_exactly(tmp_path: Path, codec: str) -> None:
    doc = read_document(write(tmp_path, "plan.txt", PLAN_TEXT.encode(codec)))
    assert doc.lines == PLAN_LINES
    assert doc.encoding == "gb18030"


def test_characters_outside_gb2312_survive(tmp_path: Path) -> None:
    # 镕 and 堃 are GBK-only, 䶮 needs GB18030's four-byte form: all appear in Chinese names.
    text = PLAN_PARAGRAPH + "\n联系人：朱镕、王堃、刘䶮。\n"
    doc = read_document(write(tmp_path, "plan.txt", text.encode("gb18030")))
    assert doc.lines == (PLAN_PARAGRAPH, "联系人：朱镕、王堃、刘䶮。")
    assert doc.encoding == "gb18030"


@pytest.mark.parametrize("snippet", ["一老一小", "镕基堃喆", "加强社区养老服务"])
def test_short_gbk_snippets_are_not_mistaken_for_korean_or_utf16(tmp_path: Path, snippet: str) -> None:
    doc = read_document(write(tmp_path, "note.txt", snippet.encode("gbk")))
    assert doc.lines == (snippet,)
    assert doc.encoding == "gb18030"


def test_utf8_cut_mid_character_is_still_utf8(tmp_path: Path) -> None:
    data = (PLAN_PARAGRAPH * 5).encode()[:-1]
    doc = read_document(write(tmp_path, "plan.txt", data))
    assert doc.encoding == "utf-8"
    assert doc.lines[0].startswith(PLAN_PARAGRAPH)


def test_crlf_line_endings_keep_numbers(tmp_path: Path) -> None:
    data = "第一行\r\n第二行\r\n\r\n第四行\r\n".encode()
    doc = read_document(write(tmp_path, "plan.txt", data))
    assert doc.lines == ("第一行", "第二行", "第四行")
    assert doc.line_numbers == (1, 2, 4)


def test_cr_line_endings_keep_numbers(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "plan.txt", "第一行\r第二行\r\r第四行".encode()))
    assert doc.lines == ("第一行", "第二行", "第四行")
    assert doc.line_numbers == (1, 2, 4)


def test_mixed_line_endings_and_form_feeds(tmp_path: Path) -> None:
    # A form feed is not a line break for editors, so it must not shift the numbers.
    doc = read_document(write(tmp_path, "plan.txt", "一\r\n二\r三\n\x0c四\n".encode()))
    assert doc.lines == ("一", "二", "三", "四")
    assert doc.line_numbers == (1, 2, 3, 4)


def test_blank_and_invisible_lines_are_dropped_numbers_kept(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "plan.txt", "\n \n\u200b\n正文\n\u3000\n结尾".encode()))
    assert doc.lines == ("正文", "结尾")
    assert doc.line_numbers == (4, 6)


def test_full_width_text_is_normalised_on_read(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "plan.txt", "到２０２５年，ＧＤＰ增长（预期）。".encode()))
    assert doc.lines == ("到2025年，GDP增长（预期）。",)


@pytest.mark.parametrize("data", [
    b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.message == "empty file"
    assert caught.value.path == path
    assert caught.value.hint


def test_only_zero_width_characters_is_no_text(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no text found"):
        read_document(write(tmp_path, "blank.txt", "\u200b\u200b\n\ufeff".encode()))


def test_binary_junk_with_txt_suffix(tmp_path: Path) -> None:
    junk = bytes((i * 37 + 11) % 256 for i in range(4096))
    with pytest.raises(InputError) as caught:
        read_document(write(tmp_path, "junk.txt", junk))
    assert caught.value.message == "not a text file"


def test_control_characters_mean_binary(tmp_path: Path) -> None:
    data = bytes(range(1, 32)) * 50 + "正文".encode()
    with pytest.raises(InputError, match="not a text file"):
        read_document(write(tmp_path, "junk.txt", data))


def test_a_broken_pdf_saved_as_txt_is_reported_as_the_pdf_it_is(tmp_path: Path) -> None:
    # read as what it is (tests/ingest/test_sniff.py): the advice is a PDF's, not "rename it"
    with pytest.raises(InputError) as caught:
        read_document(write(tmp_path, "plan.txt", b"%PDF-1.7\n\x00\x01\x02binary"))
    assert caught.value.message == "damaged PDF"
