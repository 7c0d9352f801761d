"""Tests for loading profile files and folders: YAML and file problems, folders, duplicates, the corpus."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from painpoint.errors import PainpointError, ProfileError
from painpoint.orgs import MAX_PROFILE_BYTES, OrgKind, OrgProject, load_profile, load_profiles

WriteProfile = Callable[..., str]

FULL = """\
id: sc-haihui
name: 四川海惠助贫服务中心
mission: |
  相信每个农户家庭都有改变自身处境的力量。
kind: 社会服务机构
region: 四川省眉山市青神县
services: [畜牧养殖生计发展, “礼品传递”互助模式]
beneficiaries:
  - 低收入农户
projects:
  - name: 惠产业
    years: 2020
    partners: [青神县妇联]
    summary: 为农户提供养殖扶持。
    results: 农户开始得到收益。
  - name: 礼品传递
    years: "2019-2021"
credentials: [慈善组织认定]
"""

MINIMAL = "id: {id}\nname: 名称\nmission: 宗旨\n"


def problems_of(path: str) -> list[str]:
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    return info.value.problems


def test_full_profile(write_profile: WriteProfile) -> None:
    path = write_profile("sc-haihui.yaml", FULL)
    profile = load_profile(path)
    assert profile.path == path
    assert profile.id == "sc-haihui"
    assert profile.mission == "相信每个农户家庭都有改变自身处境的力量。"
    assert profile.kind is OrgKind.SOCIAL_SERVICE_AGENCY
    assert profile.region == ("四川省眉山市青神县",)
    assert profile.services == ("畜牧养殖生计发展", "“礼品传递”互助模式")
    assert profile.beneficiaries == ("低收入农户",)
    assert profile.projects == (
        OrgProject(name="惠产业", years="2020", partners=("青神县妇联",), summary="为农户提供养殖扶持。",
                   results="农户开始得到收益。"),
        OrgProject(name="礼品传递", years="2019-2021"),
    )
    assert profile.credentials == ("慈善组织认定",)


def test_minimal_profile_with_bom_and_crlf(write_profile: WriteProfile) -> None:
    path = write_profile("a.yml", "\ufeff" + MINIMAL.format(id="a").replace("\n", "\r\n"))
    profile = load_profile(path)
    assert (profile.id, profile.name, profile.mission, profile.projects) == ("a", "名称", "宗旨", ())


def test_schema_problems_raise_profile_error_with_every_line(write_profile: WriteProfile) -> None:
    path = write_profile("bad.yaml", "id: Bad\nmission: m\nservces: [a]\n")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    err = info.value
    assert err.problems == [
        f"{path}:3: servces: unknown key 'servces' — did you mean 'services'?",
        f"{path}:1: id: must be lowercase letters, digits and '-', e.g. sc-haihui (got 'Bad')",
        f"{path}: name: missing required field",  # missing: there is no line to point at
    ]
    assert isinstance(err, PainpointError)
    assert err.path == path and err.line == 3
    assert str(err) == f"{path}:3: servces: unknown key 'servces' — did you mean 'services'? (and 2 more)"


def test_yaml_syntax_error_names_the_line(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", "id: a\nname: 名称: 错\nmission: m\n")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert info.value.problems == [
        f"{path}:2: YAML syntax error: a second ':' on one line — put the whole value in quotes "
        f"(mission: \"宗旨: …\") (column 9) — fix the YAML"]
    assert info.value.line == 2
    assert str(info.value) == info.value.problems[0]


@pytest.mark.parametrize(("text", "line", "says"), [
    ("id: a\nname: n\nmission: \"没有结束\n", 4, "a quotation mark is opened and never closed (column 1, it opens on "
                                                "line 3)"),
    ("id: a\nname: n\nservices:\n  - 甲\n bad: 乙\nmission: m\n", 5,
     "this line's indentation does not line up with the lines above it"),
    ("id: a\nname: n\nmission 宗旨\nservices: [a]\n", 4, "line 3 has no ':' — write 字段: 值"),
    ("id: a\nname: n\n  mission: m\n", 3, "this line's indentation does not line up"),  # one ':' only
    ("id: a\nname: n\nmission: @宗旨\n", 3, "a value starts with a character YAML reserves"),
])
def test_common_yaml_mistakes_are_said_plainly(write_profile: WriteProfile, text: str, line: int,
                                               says: str) -> None:
    path = write_profile("a.yaml", text)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{line}: YAML syntax error: {says}"), problem


def test_yaml_syntax_error_with_context_line(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", "id: a\nservices: [a, b\nname: n\n")
    assert problems_of(path) == [
        f"{path}:3: YAML syntax error: expected ',' or ']', but got ':' (column 5, while parsing a flow "
        f"sequence started on line 2) — fix the YAML"]


def test_second_document_is_refused(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", MINIMAL.format(id="a") + "---\n" + MINIMAL.format(id="b"))
    assert problems_of(path) == [
        f"{path}:4: YAML syntax error: a second document starts here (after '---'); a profile is one YAML "
        f"document — fix the YAML"]


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system [\"touch {canary}\"]",
    "!!python/object/apply:builtins.open [\"{canary}\", \"w\"]",
    "!!python/object/new:pathlib.Path.touch [\"{canary}\"]",
])
def test_python_tags_are_refused_and_never_executed(write_profile: WriteProfile, tmp_path: Path,
                                                    tag: str) -> None:
    canary = tmp_path / "executed"
    path = write_profile("evil.yaml", "id: evil\nname: n\nmission: " + tag.format(canary=canary) + "\n")
    shown = tag.split(" ")[0]
    assert problems_of(path) == [
        f"{path}:3: unsupported YAML tag {shown} — profiles may contain only plain data"]
    assert not canary.exists()


def test_local_tags_are_refused(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", "id: a\nname: !custom n\nmission: m\n")
    assert problems_of(path) == [
        f"{path}:2: unsupported YAML tag !custom — profiles may contain only plain data"]


def test_empty_and_comment_only_files(write_profile: WriteProfile) -> None:
    for name, content in [("empty.yaml", ""), ("blank.yaml", "\n  \n"), ("comments.yaml", "# 待填写\n")]:
        path = write_profile(name, content)
        assert problems_of(path) == [f"{path}: file is empty — a profile needs at least id, name and mission"]


def test_top_level_not_a_mapping(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", "- id: a\n")
    assert problems_of(path) == [f"{path}: expected a mapping of profile fields at the top level, got list"]


def test_non_utf8_file(write_profile: WriteProfile) -> None:
    path = write_profile("gbk.yaml", MINIMAL.format(id="a").encode("gbk"))
    assert problems_of(path) == [f"{path}: not UTF-8 text (byte 0xc3 at offset 12) — save the file as UTF-8"]


def test_oversized_file(write_profile: WriteProfile) -> None:
    path = write_profile("big.yaml", MINIMAL.format(id="a") + "#" * MAX_PROFILE_BYTES)
    assert problems_of(path) == [
        f"{path}: file is larger than 1 MB — a profile is a short YAML file; check the path"]


def test_missing_file_and_folder_given_as_file(tmp_path: Path) -> None:
    assert problems_of(str(tmp_path / "nope.yaml")) == [f"{tmp_path / 'nope.yaml'}: no such file"]
    assert problems_of(str(tmp_path)) == [f"{tmp_path}: is a folder, not a profile file"]


def test_duplicate_keys_are_reported(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", MINIMAL.format(id="a") + "name: 另一个\n")
    assert problems_of(path) == [f"{path}:4: duplicate key 'name' (first at line 2) — keep only one"]


def test_merge_keys_are_not_duplicates(write_profile: WriteProfile) -> None:
    text = MINIMAL.format(id="a") + ("projects:\n  - &base {name: 一期, summary: s}\n"
                                     "  - <<: *base\n    name: 二期\n")
    profile = load_profile(write_profile("a.yaml", text))
    assert [(p.name, p.summary) for p in profile.projects] == [("一期", "s"), ("二期", "s")]


def test_invalid_implicit_date_names_the_line(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", MINIMAL.format(id="a") + "projects:\n  - name: p\n    years: 2020-13-45\n")
    assert problems_of(path) == [f"{path}:6: '2020-13-45' is not a valid date — quote it to keep it as text"]


def test_control_character(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", "id: a\nname: 名\x07称\nmission: m\n")
    assert problems_of(path) == [
        f"{path}:2: YAML syntax error: character #x0007 is not allowed in YAML — remove it"]


def test_deep_nesting_is_refused(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", "id: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems_of(path) == [
        f"{path}: YAML syntax error: nested too deeply — a profile is only a few levels deep"]


def test_billion_laughs_is_fast_and_bounded(write_profile: WriteProfile) -> None:
    text = MINIMAL.format(id="bomb") + "services:\n  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    previous = "a"
    for anchor in "bcdefghijklmnopqrst":
        text += f"  - &{anchor} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = anchor
    path = write_profile("bomb.yaml", text)
    start = time.perf_counter()
    problems = problems_of(path)
    assert time.perf_counter() - start < 5
    # refused while composing, at the alias that pushes the count of values it stands for past the budget
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:") and "YAML aliases (*name) repeat too much" in problems[0]


def test_alias_amplified_text_is_refused(write_profile: WriteProfile) -> None:
    text = MINIMAL.format(id="amp") + "services: [&x " + "长" * 200_000 + ", " + ", ".join(["*x"] * 5) + "]\n"
    path = write_profile("amp.yaml", text)
    assert problems_of(path) == [
        f"{path}: profile text adds up to 1,200,007 characters, more than the 1,000,000 allowed — write each "
        f"text once instead of repeating YAML aliases"]


def test_load_profiles_folder_sorted_and_continues_past_bad_files(write_profile: WriteProfile,
                                                                   tmp_path: Path) -> None:
    orgs = tmp_path / "orgs"
    write_profile("c.yaml", MINIMAL.format(id="c-org"), orgs)
    write_profile("b.yaml", "id: b\nname: [\n", orgs)
    write_profile("a.YML", MINIMAL.format(id="z-org"), orgs)
    write_profile("d.yaml", "id: d\n", orgs)
    write_profile(".hidden.yaml", "broken: [", orgs)
    write_profile("notes.txt", "not a profile", orgs)
    write_profile("sub/e.yaml", MINIMAL.format(id="e"), orgs)
    profiles, problems = load_profiles([str(orgs)])
    assert [p.id for p in profiles] == ["c-org", "z-org"]
    assert [Path(p.path).name for p in profiles] == ["c.yaml", "a.YML"]
    assert problems == [
        f"{orgs / 'b.yaml'}:3: YAML syntax error: expected the node content, but found '<stream end>' "
        f"(column 1, while parsing a flow node started on line 3) — fix the YAML",
        f"{orgs / 'd.yaml'}: name: missing required field",
        f"{orgs / 'd.yaml'}: mission: missing required field",
    ]


def test_duplicate_ids_name_both_files_and_keep_the_first(write_profile: WriteProfile,
                                                           tmp_path: Path) -> None:
    a = write_profile("a.yaml", MINIMAL.format(id="x"))
    b = write_profile("b.yaml", MINIMAL.format(id="x").replace("名称", "另一个"))
    profiles, problems = load_profiles([str(tmp_path)])
    assert problems == [f"{b}: id: duplicate id 'x' (also in {a})"]
    assert [(p.id, p.path, p.name) for p in profiles] == [("x", a, "名称")]


def test_missing_and_empty_folders_are_problems(tmp_path: Path, write_profile: WriteProfile) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    good = write_profile("g.yaml", MINIMAL.format(id="g"))
    profiles, problems = load_profiles([str(tmp_path / "missing"), str(empty), good])
    assert [p.id for p in profiles] == ["g"]
    assert problems == [f"{tmp_path / 'missing'}: no such file or folder — check the path",
                        f"{empty}: no profiles (*.yaml, *.yml) in this folder"]


def test_files_given_directly_and_twice_load_once(write_profile: WriteProfile, tmp_path: Path) -> None:
    path = write_profile("profile.txt", MINIMAL.format(id="t"))
    profiles, problems = load_profiles(path)  # a lone string is one entry, not a sequence of characters
    assert ([p.id for p in profiles], problems) == (["t"], [])
    same = write_profile("t.yaml", MINIMAL.format(id="t"))
    profiles, problems = load_profiles([str(tmp_path), same])
    assert ([p.path for p in profiles], problems) == ([same], [])


def test_load_profiles_is_deterministic(write_profile: WriteProfile, tmp_path: Path) -> None:
    for name in ["m.yaml", "b.yaml", "x.yml", "a.yaml"]:
        write_profile(name, MINIMAL.format(id=name.split(".")[0]))
    first = load_profiles([str(tmp_path)])
    assert first == load_profiles([str(tmp_path)])
    assert [p.id for p in first[0]] == ["a", "b", "m", "x"]


@pytest.mark.corpus
def test_corpus_profiles_load_cleanly(corpus: Path) -> None:
    """`corpus` (tests/conftest.py) skips when ../shared/corpus is absent."""
    orgs = corpus / "orgs"
    files = sorted(orgs.glob("*.yaml"))
    profiles, problems = load_profiles([str(orgs)])
    assert problems == []
    assert len(profiles) == len(files) > 0
    for profile in profiles:
        assert Path(profile.path).stem == profile.id
        assert list(profile.text_fields())[0][0] == "mission"


# ---- parsed profiles kept in the cache --------------------------------------------------------------------

SAMPLE_ORGS = Path(__file__).resolve().parents[2] / "data" / "orgs"


def _profile_entries() -> list[Path]:
    import os

    return sorted((Path(os.environ["PAINPOINT_CACHE_DIR"]) / "v1" / "profile").rglob("*.entry"))


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    from painpoint.orgs import load

    def boom(text: str, path: str) -> None:
        raise AssertionError(f"parsed {path} again")

    monkeypatch.setattr(load, "_parse_yaml", boom)


def test_cached_profiles_equal_parsed_ones_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed, problems = load_profiles([str(SAMPLE_ORGS)])
    assert problems == [] and _profile_entries() == []  # off unless asked
    first, _ = load_profiles([str(SAMPLE_ORGS)], cache=True)
    assert len(_profile_entries()) == len(parsed) == 13
    _no_yaml(monkeypatch)
    second, problems = load_profiles([str(SAMPLE_ORGS)], cache=True)
    assert second == first == parsed and problems == []


def test_changed_profile_is_parsed_again(write_profile: WriteProfile) -> None:
    path = write_profile("a.yaml", FULL)
    load_profiles([path], cache=True)
    Path(path).write_text(FULL.replace("四川海惠助贫服务中心", "海惠"), encoding="utf-8")
    (profile,), _ = load_profiles([path], cache=True)
    assert profile.name == "海惠"


def test_profile_with_problems_is_never_stored(write_profile: WriteProfile) -> None:
    path = write_profile("bad.yaml", FULL.replace("id: sc-haihui", "id: SC_Haihui"))
    for _ in range(2):
        profiles, problems = load_profiles([path], cache=True)
        assert profiles == [] and problems and "id" in problems[0]
    assert _profile_entries() == []


@pytest.mark.parametrize("damage", [b"garbage", b""])
def test_broken_profile_entry_is_rebuilt(write_profile: WriteProfile, damage: bytes) -> None:
    path = write_profile("a.yaml", FULL)
    (first,), _ = load_profiles([path], cache=True)
    (entry,) = _profile_entries()
    entry.write_bytes(damage)
    (second,), problems = load_profiles([path], cache=True)
    assert second == first and problems == []
    assert len(_profile_entries()) == 1 and _profile_entries()[0].read_bytes() != damage


def test_tampered_profile_entry_with_valid_checksum_is_rebuilt(write_profile: WriteProfile) -> None:
    from painpoint.cache import open_store
    from painpoint.orgs import load

    path = write_profile("a.yaml", FULL)
    (first,), _ = load_profiles([path], cache=True)
    store = open_store()
    assert store is not None
    key = load._cache_key(path, Path(path).read_text(encoding="utf-8"))
    store.put("profile", key, b'["sc-haihui", 42]')  # right checksum, wrong shape
    (second,), problems = load_profiles([path], cache=True)
    assert second == first and problems == []


def test_lone_surrogate_is_a_problem_not_a_crash(write_profile: WriteProfile) -> None:
    path = write_profile("s.yaml", FULL.replace("credentials: [慈善组织认定]", 'credentials: ["认定\\ud800"]'))
    for cache in (False, True):
        profiles, problems = load_profiles([path], cache=cache)
        assert profiles == [] and len(problems) == 1
        assert "credentials[0]" in problems[0] and "surrogate" in problems[0]
