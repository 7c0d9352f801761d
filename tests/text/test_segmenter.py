"""The Segmenter keeps policy terms whole and never touches jieba's global tokenizer."""

from __future__ import annotations

import pytest

from painpoint.pipeline import default_segmenter
from painpoint.text import resources

WHOLE = ["居家社区养老服务", "困境儿童", "农村留守儿童关爱保护", "防灾减灾救灾", "社会工作服务站", "政府购买服务",
         "乡村振兴", "社会组织", "最低生活保障", "事实无人抚养儿童"]


@pytest.mark.parametrize("term", WHOLE)
def test_lexicon_terms_stay_whole(term: str) -> None:
    tokens = default_segmenter().cut(f"县里要重点推进{term}工作，确保取得实效。")
    assert term in tokens


def test_plain_jieba_would_split_them() -> None:
    # the reason the lexicon exists: plain jieba splits these
    import jieba

    plain = jieba.Tokenizer()
    assert "乡村振兴" not in plain.lcut("全面推进乡村振兴")
    assert "社会组织" not in plain.lcut("培育发展社会组织")


def test_global_tokenizer_untouched() -> None:
    import jieba

    default_segmenter()
    assert "农村留守儿童关爱保护" not in jieba.dt.FREQ


def test_terms_drop_stop_words_and_single_characters() -> None:
    terms = default_segmenter().terms("进一步加强和完善社会救助体系，推进养老服务高质量发展。")
    assert "加强" not in terms and "完善" not in terms and "推进" not in terms
    assert all(len(t) >= 2 for t in terms)
    assert any("养老" in t for t in terms)


def test_lexicon_size_and_shape() -> None:
    entries = resources.lexicon()
    words = [e.word for e in entries]
    assert len(set(words)) == len(words), "duplicate lexicon entries"
    multiword = [w for w in words if len(w) >= 3]
    assert len(multiword) >= 600
    assert not set(words) & resources.stopwords()


def test_intensity_words_are_not_themes() -> None:
    from painpoint.themes.taxonomy import load_taxonomy

    terms = set(load_taxonomy().all_terms)
    assert "重点" in resources.intensity_words()
    assert not set(resources.intensity_words()) & terms
