"""The packaged taxonomy: well-formed, and terms found as whole words where it matters."""

from __future__ import annotations

from pathlib import Path

import pytest

from painpoint.errors import ResourceError
from painpoint.pipeline import default_segmenter
from painpoint.themes.taxonomy import load_taxonomy, parse_taxonomy

GENERIC = {"推进", "加强", "完善", "健全", "推动", "建设", "发展", "提升", "服务", "工作", "体系", "机制", "能力",
           "社会"}


def test_packaged_taxonomy_is_well_formed() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.themes) >= 100
    for theme in taxonomy.themes:
        assert theme.name in theme.terms
        assert all(len(t) >= 2 for t in theme.terms)
        assert not set(theme.terms) & GENERIC
        assert all(r in taxonomy.by_name for r in theme.related)
        assert 0.0 <= theme.social <= 1.0


def test_two_character_terms_must_be_whole_words_when_tokens_are_given() -> None:
    taxonomy = load_taxonomy()
    text = "帮助老师们上好课"
    assert ("养老服务", "助老") in taxonomy.find(text, org=True)
    assert all(term != "助老" for _, term in taxonomy.find(text, org=True, tokens=default_segmenter().cut(text)))
    text = "为空巢老人提供助老服务"
    assert any(term == "助老" for _, term in taxonomy.find(text, org=True, tokens=default_segmenter().cut(text)))


def test_longest_term_wins() -> None:
    hits = load_taxonomy().find("加强农村留守儿童关爱保护工作")
    assert [term for _, term in hits][0].startswith("农村留守儿童")


def test_broken_taxonomy_is_a_resource_error() -> None:
    with pytest.raises(ResourceError, match="duplicate theme"):
        parse_taxonomy("themes:\n  - {name: 低保, terms: [低保]}\n  - {name: 低保, terms: [低保]}\n")
    with pytest.raises(ResourceError, match="unknown theme"):
        parse_taxonomy("themes:\n  - {name: 低保, terms: [低保], related: [不存在]}\n")
    with pytest.raises(ResourceError, match=r"taxonomy.yaml:\d+: YAML error"):
        parse_taxonomy("themes:\n  - [unclosed\n")


def test_trie_pattern_finds_exactly_what_longest_first_alternation_finds() -> None:
    import re
    from pathlib import Path

    from painpoint.text.trie import trie_pattern

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "data" / "plans").iterdir())]
    texts.append("农村留守儿童关爱保护和留守儿童、居家社区养老服务与养老，助老。")
    words = load_taxonomy()._org_index[1]
    flat = re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))
    trie = re.compile(trie_pattern(words))
    for text in texts:
        assert [(m.start(), m.group(0)) for m in trie.finditer(text)] == \
               [(m.start(), m.group(0)) for m in flat.finditer(text)]


def test_cached_taxonomy_that_fails_its_checks_is_rebuilt() -> None:
    """A checksummed entry whose themes break the taxonomy's rules (a related theme that does not exist)."""
    from painpoint.cache import decode_value, encode_value, open_store, package_digest, store_key
    from painpoint.text.segmenter import libraries_version
    from painpoint.themes import taxonomy as module

    real = module.load_taxonomy()
    store = open_store()
    assert store is not None
    key = store_key("taxonomy/1", package_digest(), libraries_version())
    broken = list(decode_value(tuple[module.Theme, ...], encode_value(real.themes)))
    broken[0] = module.Theme(**{**broken[0].__dict__, "related": ("没有这个主题",)})
    store.put("dict", key, encode_value(tuple(broken)))
    module.packaged_taxonomy.cache_clear()
    try:
        assert module.load_taxonomy().themes == real.themes
        assert decode_value(tuple[module.Theme, ...], store.get("dict", key)) == real.themes
    finally:
        module.packaged_taxonomy.cache_clear()


def test_user_themes_add_and_replace_in_place(tmp_path: Path) -> None:
    from painpoint.themes.taxonomy import extend_taxonomy, packaged_taxonomy

    base = packaged_taxonomy()
    extra = tmp_path / "extra.yaml"
    extra.write_text("themes:\n  - {name: 社区书院, departments: [文化馆], terms: [社区书院], related: [养老服务]}\n"
                     "  - {name: 养老服务, departments: [民政局], terms: [养老服务, 银龄]}\n", encoding="utf-8")
    merged = extend_taxonomy(base, [str(extra)])
    assert len(merged.themes) == len(base.themes) + 1
    assert merged.by_name["养老服务"].terms == ("养老服务", "银龄")
    assert [t.name for t in merged.themes].index("养老服务") == [t.name for t in base.themes].index("养老服务")
    assert "社区书院" in merged.narrower("养老服务")
    assert ("社区书院", "社区书院") in merged.find("建设社区书院")
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes:\n  - {name: 甲, related: [没有这个主题]}\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="unknown theme"):
        extend_taxonomy(base, [str(bad)])
    with pytest.raises(ResourceError, match="cannot read"):
        extend_taxonomy(base, [str(tmp_path / "missing.yaml")])


def test_without_ngo_terms_keeps_plan_terms() -> None:
    base = load_taxonomy()
    reduced = base.without_ngo_terms(lambda w: True)
    assert all(not t.ngo_terms for t in reduced.themes)
    assert [t.terms for t in reduced.themes] == [t.terms for t in base.themes]


def test_catalogue_seeds_named_in_the_taxonomy_header_are_plan_terms() -> None:
    """The header cites the catalogue wording it seeds (政府购买服务指导性目录, 慈善法 第三条); each cited
    category is a plan-side term of some theme, and each seed claims its theme from an organization's text."""
    import re
    from importlib.resources import files

    from painpoint.themes import load_taxonomy

    text = (files("painpoint.resources") / "taxonomy.yaml").read_text(encoding="utf-8")
    header = text.split("version:", 1)[0]
    block = header[header.index("Seeds from official catalogues"):header.index("Rules to keep")]
    cited = {w for w in re.findall(r"[\u4e00-\u9fff]{4,}", block.split("—", 1)[1])
             if not w.endswith(("服务指导性目录", "管理性服务", "基本公共服务"))}
    taxonomy = load_taxonomy()
    terms = {w: t.name for t in taxonomy.themes for w in (t.name, *t.terms)}
    assert {"社会组织孵化培育", "残疾人服务", "社会工作服务"} <= cited
    assert cited <= terms.keys(), sorted(cited - terms.keys())
    found = {theme for theme, _term in taxonomy.find("承接社会组织孵化培育项目", org=True)}
    assert "社会组织" in found
