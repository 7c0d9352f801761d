"""The learned bridge: organization wording no list holds reaches its theme by character n-gram resemblance."""

from __future__ import annotations

import textwrap

from painpoint.match.bridge import Bridge
from painpoint.match.score import capability
from painpoint.orgs.profile import OrgProfile, OrgProject
from painpoint.pipeline import default_segmenter
from painpoint.themes.taxonomy import parse_taxonomy

# a taxonomy written for these tests: two specific themes, one broad and one narrow, and an office's field
TAXONOMY = parse_taxonomy(textwrap.dedent("""\
    themes:
      - name: 心理健康
        departments: [卫生健康局]
        social: 0.9
        terms: [心理健康, 心理咨询, 心理援助]
        beneficiaries: [心理困扰人群, 儿童]
      - name: 残疾儿童康复
        departments: [残疾人联合会]
        social: 1.0
        terms: [残疾儿童康复, 康复救助, 脑瘫]
        beneficiaries: [残疾儿童]
      - name: 儿童福利
        departments: [民政局]
        social: 0.9
        terms: [儿童福利, 困境儿童]
        beneficiaries: [儿童]
      - name: 留守儿童关爱
        departments: [民政局]
        social: 1.0
        related: [儿童福利]
        terms: [留守儿童, 关爱保护]
      - name: 垃圾分类
        departments: [城市管理局]
        social: 0.6
        terms: [垃圾分类, 生活垃圾]
        beneficiaries: [儿童]
    """), "test")


def _cut(text: str) -> list[str]:
    return default_segmenter().cut(text)


def test_a_compound_no_list_holds_reaches_its_theme() -> None:
    bridge = Bridge(TAXONOMY)
    links = {link.theme: link for link in bridge.links("我们开展社区心理疏导和残障儿童康复训练。", _cut)}
    assert "残疾儿童康复" in links
    assert links["残疾儿童康复"].word == "残疾儿童康复"
    assert 0.5 <= links["残疾儿童康复"].similarity < 1.0


def test_generic_fragments_and_broad_groups_link_nothing() -> None:
    bridge = Bridge(TAXONOMY)
    # 儿童 is a group several themes serve, 服务中心 a fragment of nothing specific
    assert bridge.links("为儿童服务的服务中心", _cut) == []
    assert bridge.best("服务中心") is None


def test_similarity_weights_specific_characters_above_common_ones() -> None:
    bridge = Bridge(TAXONOMY)
    assert bridge.similarity("脑瘫儿童康复", "残疾儿童康复") > bridge.similarity("儿童乐园", "儿童福利")
    assert bridge.similarity("心理健康", "心理健康") == 1.0


def _org(**fields: object) -> OrgProfile:
    base: dict[str, object] = {"id": "t", "name": "测试机构", "mission": "", "services": (), "beneficiaries": (),
                               "projects": ()}
    base.update(fields)
    return OrgProfile(**base)  # type: ignore[arg-type]


def test_a_resembling_phrase_claims_less_than_an_exact_term() -> None:
    exact = capability(_org(services=("残疾儿童康复",)), TAXONOMY, _cut)
    similar = capability(_org(services=("残障儿童康复",)), TAXONOMY, _cut)
    assert "残疾儿童康复" in similar.themes
    assert 0 < similar.themes["残疾儿童康复"] < exact.themes["残疾儿童康复"]
    assert similar.claims["残疾儿童康复"][0].term == "残障儿童康复"


def test_related_links_are_graded_both_ways() -> None:
    narrow = capability(_org(projects=(OrgProject(name="留守儿童陪伴", summary="关爱保护留守儿童"),)), TAXONOMY, _cut)
    assert 0 < narrow.themes["儿童福利"] < narrow.themes["留守儿童关爱"]
    broad = capability(_org(services=("困境儿童救助",)), TAXONOMY, _cut)
    assert 0 < broad.themes["留守儿童关爱"] < broad.themes["儿童福利"]


def test_a_phrase_missing_the_specific_part_of_a_word_does_not_link() -> None:
    taxonomy = parse_taxonomy(textwrap.dedent("""\
        themes:
          - {name: 数字政府, departments: [数据局], terms: [数字政府, 政务服务中心, 一网通办]}
          - {name: 养老服务, departments: [民政局], terms: [养老服务, 养老服务中心, 居家养老]}
          - {name: 社区服务, departments: [民政局], terms: [社区服务, 党群服务中心]}
        """), "test")
    bridge = Bridge(taxonomy)
    assert bridge.best("服务中心") is None  # generic: 政务 or 养老 is what those words are about
    found = bridge.best("社区居家养老服务中心")
    assert found is not None and bridge.owners[found[1]] == ("养老服务",)


def test_a_bigram_across_two_words_belongs_to_neither() -> None:
    taxonomy = parse_taxonomy(textwrap.dedent("""\
        themes:
          - {name: 养老服务, departments: [民政局], terms: [养老服务, 助老]}
          - {name: 教师队伍, departments: [教育局], terms: [教师队伍, 教师培训]}
        """), "test")
    bridge = Bridge(taxonomy)
    # 帮助|老师 holds the characters of 助老 but not the word: no elderly care in training teachers
    assert bridge.best(("帮助", "老师")) is None
    assert "养老服务" not in {link.theme for link in bridge.links("帮助老师们把课程上好。", _cut)}
    assert bridge.best(("助老", "服务")) is not None  # within a word the bigram counts
