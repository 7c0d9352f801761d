"""normalize_line: full-width ASCII folded, Chinese punctuation kept, invisible characters gone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painpoint.text.normalize import KEPT_CHARACTERS, normalize_line, to_halfwidth_digits

from .builders import PLAN_PARAGRAPH

CHINESE_PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…"


def test_full_width_letters_digits_and_spaces_become_ascii() -> None:
    assert normalize_line("ＡＢＣ　ｘｙｚ　２０２５年") == "ABC xyz 2025年"


def test_ideographic_space_becomes_a_plain_space() -> None:
    assert normalize_line("第一章\u3000总体要求") == "第一章 总体要求"


def test_chinese_punctuation_is_kept_full_width() -> None:
    assert normalize_line(CHINESE_PUNCTUATION) == CHINESE_PUNCTUATION
    assert normalize_line("（一）目标：到２０２５年，覆盖率达到１００％；是否？是！……") == (
        "（一）目标：到2025年，覆盖率达到100%；是否？是！……"
    )


def test_every_kept_character_survives() -> None:
    for char in KEPT_CHARACTERS:
        assert normalize_line(f"甲{char}乙") == f"甲{char}乙"


def test_circled_numbers_do_not_merge_with_following_digits() -> None:
    assert normalize_line("①2025年实现全覆盖") == "①2025年实现全覆盖"


def test_realistic_paragraph_is_unchanged() -> None:
    assert normalize_line(PLAN_PARAGRAPH) == PLAN_PARAGRAPH


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"])
def test_zero_width_and_byte_order_marks_are_removed(invisible: str) -> None:
    assert normalize_line(f"{invisible}社区{invisible}养老{invisible}") == "社区养老"


def test_whitespace_runs_collapse_and_ends_are_stripped() -> None:
    assert normalize_line(" \t 社区  养老\u3000\u3000服务\x0c \r") == "社区 养老 服务"


def test_control_characters_become_spaces_not_glue() -> None:
    assert normalize_line("社区\x01养老\x7f服务") == "社区 养老 服务"


def test_compatibility_ideographs_and_kangxi_radicals_fold() -> None:
    # PDF text layers often carry Kangxi radicals (⼀ U+2F00) in place of the ideograph (一 U+4E00).
    assert normalize_line("⼀⽼⼀⼩") == "一老一小"
    assert normalize_line("\uf900") == "\u8c48"


def test_combining_accents_compose() -> None:
    assert normalize_line("cafe\u0301") == "café"


def test_to_halfwidth_digits_changes_digits_only() -> None:
    assert to_halfwidth_digits("２０２５年，ＡＢ") == "2025年，ＡＢ"


@given(st.text())
def test_normalize_line_is_idempotent(text: str) -> None:
    once = normalize_line(text)
    assert normalize_line(once) == once


@given(st.text())
def test_output_has_no_invisible_characters_or_loose_whitespace(text: str) -> None:
    result = normalize_line(text)
    assert result == result.strip()
    assert "  " not in result
    assert not set(result) & {"\u200b", "\ufeff", "\u3000", "\t", "\n", "\r"}
