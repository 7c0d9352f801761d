"""A first run (no cache of any kind): what painpoint ships instead of compiling, and its fast paths, give
exactly what the slow paths give."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from painpoint.errors import ResourceError
from painpoint.text import resources
from painpoint.text import segmenter as seg
from painpoint.text.segmenter import Backend
from painpoint.themes import segmentation
from painpoint.themes.taxonomy import packaged_taxonomy, parse_themes


def test_shipped_compiled_lexicon_is_current() -> None:
    terms = packaged_taxonomy().all_terms
    shipped = segmentation.shipped_lexicon(segmentation.lexicon_key(terms))
    assert shipped is not None, ("resources/compiled_lexicon.json is stale (word lists, taxonomy or jieba "
                                 "changed): rebuild it with `make precompile`")
    assert shipped == seg.compile_lexicon(terms), "rebuild it: `make precompile`"


def test_shipped_lexicon_text_is_what_the_rebuild_writes() -> None:
    # the file holds nothing a rebuild would not write (no hand edits that happen to decode)
    assert resources.read_resource(segmentation.SHIPPED_LEXICON) == segmentation.render_shipped_lexicon()


def test_shipped_lexicon_serves_only_its_own_key() -> None:
    assert segmentation.shipped_lexicon("0" * 64) is None
    other_terms = (*packaged_taxonomy().all_terms, "一个新的主题词")
    assert segmentation.shipped_lexicon(segmentation.lexicon_key(other_terms)) is None


@pytest.mark.parametrize("text", ["not json", '{"key": "K", "entries": [["词", "10", "n"]]}',
                                  '{"key": "K", "entries": [["词", 10]]}', '["K"]'])
def test_a_malformed_shipped_lexicon_is_not_used(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(resources, "read_resource", lambda name: text)
    assert segmentation.shipped_lexicon("K") is None


def test_a_missing_shipped_lexicon_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise ResourceError("gone")

    monkeypatch.setattr(resources, "read_resource", missing)
    assert segmentation.shipped_lexicon("K") is None


def test_first_run_segmenter_loads_no_jieba(tmp_path: Path) -> None:
    pytest.importorskip("rjieba")
    code = ("import sys; from painpoint.themes.segmentation import default_segmenter; "
            "s = default_segmenter('rjieba'); import json; "
            "print(json.dumps(['jieba' in sys.modules, s.cut('全面推进乡村振兴')]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**_env(), "PAINPOINT_CACHE_DIR": str(tmp_path / "empty")}).stdout
    jieba_loaded, tokens = json.loads(out)
    assert not jieba_loaded
    assert "乡村振兴" in tokens


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def test_terms_judges_each_token_as_the_filter_says() -> None:
    pytest.importorskip("rjieba")
    segmenter = seg.Segmenter(packaged_taxonomy().all_terms, Backend.RJIEBA,
                              lexicon=segmentation.default_segmenter(Backend.RJIEBA).lexicon)
    stop = resources.stopwords()
    text = "进一步加强和完善社会救助体系，推进养老服务高质量发展。ESG 与 PPP 项目；第3条 社会组织、社会组织！"
    expected = [t for t in segmenter.tokens(text) if len(t) >= 2 and t not in stop
                and any("\u4e00" <= c <= "\u9fff" for c in t)]
    assert expected and segmenter.terms(text) == expected
    assert segmenter.terms(text) == expected  # the second time from remembered verdicts


def test_taxonomy_through_libyaml_equals_the_pure_loader() -> None:
    text = resources.read_resource("taxonomy.yaml")
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text)
    assert parse_themes(text) == list(packaged_taxonomy().themes)


@pytest.mark.parametrize("text", ["themes:\n  - name: 养老\n    terms: [养老服务\n", "themes:\n\t- name: x\n",
                                  "themes: [\n"])
def test_taxonomy_yaml_errors_read_as_before(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as reference:
        yaml.safe_load(text)
    with pytest.raises(ResourceError) as ours:
        parse_themes(text, "mine.yaml")
    mark = getattr(reference.value, "problem_mark", None)
    assert ours.value.line == (mark.line + 1 if mark else None)
    assert str(getattr(reference.value, "problem", reference.value)) in ours.value.message


def test_traditional_detection_is_the_character_set() -> None:
    from painpoint.text.traditional import is_traditional, traditional_characters

    chars = traditional_characters()
    assert all(is_traditional(f"社区{c}服务") for c in sorted(chars))
    others = [chr(c) for c in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00)) if chr(c) not in chars]
    assert not is_traditional("".join(others) + "abc-[]^\\")
    assert not any(is_traditional(c) for c in others[::97])


_CUE_CHARS = ("政府购买服务委托社会组织专业机构公益创投微大赛三四五社联动工作部枢纽型"
              "力量多元主体各界参与经济引入进第方志愿者慈善协议合同，。；")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_CUE_CHARS, max_size=40))
def test_one_search_for_any_cue_agrees_with_the_cues(text: str) -> None:
    from painpoint.plans import openness

    some = any(pattern.search(text) for _, pattern in openness._CUES)
    assert (openness._ANY_CUE.search(text) is not None) == some
    assert (openness.sentence_cues(text) != ((), -1)) == some


def test_remembered_verdicts_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("rjieba")
    segmenter = seg.Segmenter(packaged_taxonomy().all_terms, Backend.RJIEBA,
                              lexicon=segmentation.default_segmenter(Backend.RJIEBA).lexicon)
    monkeypatch.setattr(seg._Verdicts, "LIMIT", 5)
    text = "养老服务 社区治理 儿童福利 残疾人 2021 2022 2023 乡村振兴 社会组织"
    stop = resources.stopwords()
    expected = [t for t in segmenter.tokens(text) if len(t) >= 2 and t not in stop
                and any("\u4e00" <= c <= "\u9fff" for c in t)]
    assert len(expected) > 5
    assert segmenter.terms(text) == expected
    assert len(segmenter._is_term) <= 5  # started afresh as it filled, verdicts still right
    assert segmenter.terms(text) == expected
