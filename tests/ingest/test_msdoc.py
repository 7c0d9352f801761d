"""Word 97–2003 (.doc) and WPS (.wps) files: the piece table read as MS-DOC describes it, damage refused in a line."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painpoint.errors import InputError
from painpoint.ingest import read_document
from painpoint.ingest.msdoc import _main_text

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "ingest"
DOC = ASSETS / "civil_affairs_2025.doc"
DOCX = ASSETS / "civil_affairs_2025.docx"


def test_doc_reads_like_the_docx_it_was_saved_from() -> None:
    doc, docx = read_document(str(DOC)), read_document(str(DOCX))
    assert doc.format == "doc"
    assert doc.lines == docx.lines and doc.line_numbers == docx.line_numbers
    assert doc.title == docx.title == "示例县民政局2025年工作要点（示例）"  # SummaryInformation, UTF-8 code page
    assert "二、发展居家社区养老服务（见附件一）" in doc.lines  # a field's shown text, not its HYPERLINK instruction
    assert not any("HYPERLINK" in line for line in doc.lines)
    assert ["老年助餐点", "25个"] == [line for line in doc.lines if line in ("老年助餐点", "25个")]  # table cells


def test_wps_is_read_as_the_same_binary_layout(tmp_path: Path) -> None:
    wps = tmp_path / "妇联工作要点.wps"
    shutil.copyfile(DOC, wps)
    document = read_document(str(wps))
    assert document.format == "wps" and document.lines == read_document(str(DOC)).lines


def _word_stream(text_pieces: list[tuple[str, bool]]) -> tuple[bytes, bytes]:
    """A minimal WordDocument stream and table stream holding `text_pieces` (text, compressed) in order."""
    word = bytearray(0x800)
    struct.pack_into("<HH", word, 0, 0xA5EC, 0xC1)
    cps, pcds, cp = [0], [], 0
    for text, compressed in text_pieces:
        offset = len(word)
        word += text.encode("cp1252") if compressed else text.encode("utf-16-le")
        pcds.append(struct.pack("<HIH", 0, (offset * 2) | 0x40000000 if compressed else offset, 0))
        cp += len(text)
        cps.append(cp)
    struct.pack_into("<i", word, 0x4C, cp - 1)  # ccpText: the last character belongs to a later story
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pcds)
    table = b"\x00" * 16 + b"\x01" + struct.pack("<h", 2) + b"\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", word, 0x1A2, 16, len(table) - 16)
    return bytes(word), table


def test_piece_table_joins_8_bit_and_utf16_pieces_and_stops_at_the_main_text() -> None:
    word, table = _word_stream([("Plan 2025\r", True), ("新建老年助餐点25个。\rX", False)])
    assert _main_text("x.doc", word, table) == "Plan 2025\r新建老年助餐点25个。\r"


def test_damaged_files_are_one_line_errors_naming_the_file(tmp_path: Path) -> None:
    cases = {
        "random.doc": b"\xd0\xcf\x11\xe0 old office bytes",
        "truncated.doc": DOC.read_bytes()[:4096],
        "no_word.doc": DOC.read_bytes().replace("WordDocument".encode("utf-16-le"),
                                                "WordDocumenX".encode("utf-16-le")),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as info:
            read_document(str(path))
        message = str(info.value)
        assert str(path) in message and "\n" not in message and ".docx" in message, message


def test_a_doc_that_is_a_web_page_or_text_is_read_as_what_it_is(tmp_path: Path) -> None:
    # what county websites publish under .doc: Word's "save as web page", or text given a Word name
    page = tmp_path / "民政局2025年工作要点.doc"
    page.write_bytes("<html><head><title>示例县民政局2025年工作要点</title></head><body>"
                     "<p>一、健全社会救助体系</p><p>新建老年助餐点25个。</p></body></html>".encode("gbk"))
    assert read_document(str(page)).lines[-2:] == ("一、健全社会救助体系", "新建老年助餐点25个。")
    text = tmp_path / "旧版.wps"
    text.write_bytes("示例县民政局工作要点\n发展居家社区养老服务。\n".encode("gbk"))
    assert read_document(str(text)).lines == ("示例县民政局工作要点", "发展居家社区养老服务。")
    junk = tmp_path / "更老的WPS.wps"
    junk.write_bytes(bytes(range(256)) * 8)  # neither a Word file nor anything else painpoint reads
    with pytest.raises(InputError, match="older WPS format"):
        read_document(str(junk))


def test_a_stream_larger_than_the_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A damaged root-entry size over a sector chain that loops back on itself: olefile would read the mini
    stream to the size claimed (gigabytes of one repeated sector); it is refused from the directory instead."""
    data = bytearray(DOC.read_bytes())
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    root = (struct.unpack_from("<I", data, 0x30)[0] + 1) * sector  # the first directory entry: Root Entry
    assert data[root:root + 20].decode("utf-16-le") == "Root Entry"
    struct.pack_into("<I", data, root + 120, 0x7FFFFFF0)  # its size
    mini_start = struct.unpack_from("<I", data, root + 116)[0]
    fat = (struct.unpack_from("<I", data, 0x4C)[0] + 1) * sector
    struct.pack_into("<I", data, fat + 4 * mini_start, mini_start)  # the mini stream's chain points at itself
    path = tmp_path / "loop.doc"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="larger than the file"):
        read_document(str(path))


def test_password_protected_doc_says_so(tmp_path: Path) -> None:
    import olefile

    path = tmp_path / "locked.doc"
    shutil.copyfile(DOC, path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        struct.pack_into("<H", word, 0x0A, struct.unpack_from("<H", word, 0x0A)[0] | 0x0100)
        ole.write_stream("WordDocument", bytes(word))
    with pytest.raises(InputError, match="password"):
        read_document(str(path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 19455), st.integers(0, 255)), min_size=1, max_size=40))
def test_any_corruption_is_an_input_error_or_text(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    data = bytearray(DOC.read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    path = tmp_path / "flipped.doc"
    path.write_bytes(bytes(data))
    try:
        document = read_document(str(path))
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert document.lines
