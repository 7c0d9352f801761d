"""Size limits: oversized files are refused by name, overlong lines are cut at sentence ends."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from painpoint.errors import InputError
from painpoint.ingest import limits, read_document, split_overlong_line

from .builders import PLAN_PARAGRAPH


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: costs no disk space
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    with pytest.raises(InputError) as caught:
        read_document(str(path))
    assert caught.value.message == "file too large (50.0 MB; limit 50 MB)"
    assert caught.value.hint == "split it into smaller files"


def test_html_has_a_lower_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(limits.MAX_HTML_BYTES + 1)
    with pytest.raises(InputError, match=r"file too large \(20.0 MB; limit 20 MB\)"):
        read_document(str(path))


def test_text_over_the_character_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 1000)
    path = tmp_path / "long.txt"
    path.write_text(PLAN_PARAGRAPH * 4, encoding="utf-8")
    with pytest.raises(InputError, match=r"too much text \(over 1,000 characters\)"):
        read_document(str(path))


def test_six_megabyte_single_line(tmp_path: Path) -> None:
    sentence = "推进城乡社区养老服务设施建设，完善居家养老服务网络。"
    line = sentence * (6 * 1024 * 1024 // len(sentence.encode()) + 1)
    path = tmp_path / "one_line.txt"
    path.write_text(line, encoding="utf-8")
    assert path.stat().st_size > 6 * 1024 * 1024
    start = time.perf_counter()
    doc = read_document(str(path))
    elapsed = time.perf_counter() - start
    assert len(doc.lines) > 1
    assert all(len(piece) <= limits.MAX_LINE_CHARS for piece in doc.lines)
    assert all(piece.endswith("。") for piece in doc.lines)
    assert set(doc.line_numbers) == {1}
    assert "".join(doc.lines) == line
    assert elapsed < 20


def test_short_lines_are_left_alone() -> None:
    assert split_overlong_line(PLAN_PARAGRAPH, limits.MAX_LINE_CHARS) == [PLAN_PARAGRAPH]


def test_overlong_line_is_cut_after_the_last_sentence_end_in_reach() -> None:
    line = "第一句很短。第二句也短！第三句呢？第四句；第五句没有句号"
    assert split_overlong_line(line, 13) == [
        "第一句很短。第二句也短！", "第三句呢？第四句；", "第五句没有句号"]


def test_closing_quotes_stay_with_their_sentence() -> None:
    assert split_overlong_line("他说：“好。”然后走了。再见", 9) == ["他说：“好。”", "然后走了。再见"]


def test_line_without_sentence_ends_is_cut_at_commas_then_hard() -> None:
    assert split_overlong_line("甲乙丙，丁戊己，庚辛", 5) == ["甲乙丙，", "丁戊己，", "庚辛"]
    assert split_overlong_line("甲" * 12, 5) == ["甲" * 5, "甲" * 5, "甲" * 2]


def test_pieces_never_exceed_the_limit_and_lose_no_text() -> None:
    line = ("社区治理。" * 7 + "没有句号的很长一段" * 9 + "，") * 50
    pieces = split_overlong_line(line, 40)
    assert all(0 < len(piece) <= 40 for piece in pieces)
    assert "".join(pieces) == line
