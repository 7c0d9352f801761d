"""Tests for the v1 profile schema: parse_profile's results and its exact problem messages."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painpoint.orgs import OrgKind, OrgProfile, OrgProject, parse_profile
from painpoint.orgs.profile import MAX_PROBLEMS, PROFILE_KEYS, PROJECT_KEYS, Accreditation

P = "orgs/x.yaml"
KINDS = "社会团体, 社会服务机构, 基金会, 志愿服务组织, 其他"
HYPHENS = "'-' may only join letters and digits (no leading, trailing or double '-'), e.g. sc-haihui"


def minimal(**extra: object) -> dict[str, object]:
    return {"id": "sc-haihui", "name": "四川海惠助贫服务中心", "mission": "帮助农户。", **extra}


def problems_of(data: object) -> list[str]:
    profile, problems = parse_profile(data, P)
    assert profile is None
    return problems


def test_full_profile_parses_every_field() -> None:
    data = minimal(
        kind="社会服务机构",
        region=["四川省眉山市青神县", "湖北省蕲春县"],
        services=["畜牧养殖生计发展"],
        beneficiaries=["低收入农户", "农村家庭"],
        projects=[
            {"name": "惠产业", "years": "2019-2021", "partners": ["青神县妇联"], "summary": "做了什么",
             "results": "成效"},
            {"name": "礼品传递", "years": 2020},
        ],
        credentials=["慈善组织认定"],
    )
    profile, problems = parse_profile(data, P)
    assert problems == []
    assert profile == OrgProfile(
        id="sc-haihui", name="四川海惠助贫服务中心", mission="帮助农户。", kind=OrgKind.SOCIAL_SERVICE_AGENCY,
        region=("四川省眉山市青神县", "湖北省蕲春县"), services=("畜牧养殖生计发展",),
        beneficiaries=("低收入农户", "农村家庭"),
        projects=(
            OrgProject(name="惠产业", years="2019-2021", partners=("青神县妇联",), summary="做了什么",
                       results="成效"),
            OrgProject(name="礼品传递", years="2020"),
        ),
        credentials=("慈善组织认定",), accreditation=Accreditation(charity=True), path=P,
    )


def test_minimal_profile_has_empty_optional_fields() -> None:
    profile, problems = parse_profile(minimal(), P)
    assert problems == []
    assert profile is not None
    assert (profile.kind, profile.region, profile.services, profile.beneficiaries, profile.projects,
            profile.credentials) == (None, (), (), (), (), ())
    assert list(profile.text_fields()) == [("mission", "帮助农户。")]


def test_lenient_forms_single_string_null_and_whitespace() -> None:
    data = minimal(name="  名称 \n", region="四川省", services=None, kind="", credentials="",
                   projects=[{"name": "p", "years": " ", "partners": "妇联", "summary": None}])
    profile, problems = parse_profile(data, P)
    assert problems == []
    assert profile is not None
    assert profile.name == "名称"
    assert profile.region == ("四川省",)
    assert profile.services == () and profile.credentials == () and profile.kind is None
    assert profile.projects == (OrgProject(name="p", years=None, partners=("妇联",), summary=""),)


def test_text_fields_order_and_labels() -> None:
    data = minimal(services=["s1", "s2"], beneficiaries=["b1"], region=["r"], credentials=["c"],
                   projects=[{"name": "惠产业", "summary": "做了什么", "results": "成效"},
                             {"name": "只有名字"}, {"name": "只有成效", "results": "r"}])
    profile, _ = parse_profile(data, P)
    assert profile is not None
    assert list(profile.text_fields()) == [
        ("mission", "帮助农户。"), ("service", "s1"), ("service", "s2"), ("beneficiary", "b1"),
        ("project:惠产业", "做了什么\n成效"), ("project:只有名字", "只有名字"), ("project:只有成效", "r"),
    ]


def test_org_kind_values() -> None:
    assert [kind.value for kind in OrgKind] == KINDS.split(", ")
    assert str(OrgKind.FOUNDATION) == f"{OrgKind.FOUNDATION}" == "基金会"
    assert isinstance(OrgKind.FOUNDATION, str)
    assert OrgKind("基金会") is OrgKind.FOUNDATION


def test_profile_is_frozen() -> None:
    profile, _ = parse_profile(minimal(), P)
    with pytest.raises(AttributeError):
        profile.name = "x"  # type: ignore[misc, union-attr]


@pytest.mark.parametrize(("data", "expected"), [
    ({"id": "a", "mission": "m"}, [f"{P}: name: missing required field"]),
    (minimal(name=""), [f"{P}: name: must not be empty"]),
    (minimal(name="   "), [f"{P}: name: must not be empty"]),
    (minimal(mission=None), [f"{P}: mission: must not be empty"]),
    (minimal(name=3), [f"{P}: name: expected a string, got int"]),
    (minimal(services=5), [f"{P}: services: expected a list of strings, got int"]),
    (minimal(region={"a": 1}), [f"{P}: region: expected a list of strings, got mapping"]),
    (minimal(services=["ok", 2, None, ""]), [f"{P}: services[1]: expected a string, got int",
                                            f"{P}: services[2]: expected a string, got null",
                                            f"{P}: services[3]: must not be empty"]),
    (minimal(servces=["a"]), [f"{P}: servces: unknown key 'servces' — did you mean 'services'?"]),
    (minimal(名称="x"), [f"{P}: 名称: unknown key '名称' — valid keys are {', '.join(PROFILE_KEYS)}"]),
    (minimal(**{"1": "x"}) | {2: "y"}, [f"{P}: 1: unknown key '1' — valid keys are {', '.join(PROFILE_KEYS)}",
                                       f"{P}: 2: unknown key 2 — valid keys are {', '.join(PROFILE_KEYS)}"]),
    (minimal(id="SC_Haihui"),
     [f"{P}: id: must be lowercase letters, digits and '-', e.g. sc-haihui (got 'SC_Haihui')"]),
    (minimal(id="-a"), [f"{P}: id: {HYPHENS} (got '-a')"]),
    (minimal(id="a--b"), [f"{P}: id: {HYPHENS} (got 'a--b')"]),
    (minimal(id=2020), [f"{P}: id: expected a string, got int"]),
    (minimal(kind="社会组织"), [f"{P}: kind: must be one of {KINDS} (got '社会组织')"]),
    (minimal(kind=1), [f"{P}: kind: expected one of {KINDS}, got int"]),
    (minimal(projects=[{"years": "2020"}]), [f"{P}: projects[0].name: missing required field"]),
    (minimal(projects=[{"name": "a"}, {"summary": "s"}]), [f"{P}: projects[1].name: missing required field"]),
    (minimal(projects=[{"name": "a", "summry": "s"}]),
     [f"{P}: projects[0].summry: unknown key 'summry' — did you mean 'summary'?"]),
    (minimal(projects=["惠产业"]), [f"{P}: projects[0]: expected a mapping, got string"]),
    (minimal(projects={"name": "a"}),
     [f"{P}: projects: expected a list of mappings (one '- name: ...' entry per project), got mapping"]),
    (minimal(projects=[{"name": "a", "years": 2020.5}]),
     [f'{P}: projects[0].years: expected a string like "2019-2021", got float']),
    (minimal(projects=[{"name": "a", "years": True}]),
     [f'{P}: projects[0].years: expected a string like "2019-2021", got bool']),
    (minimal(projects=[{"name": "a", "years": dt.date(2020, 1, 1)}]),
     [f'{P}: projects[0].years: expected a string like "2019-2021", got date']),
    (minimal(projects=[{"name": "a", "partners": [1]}]),
     [f"{P}: projects[0].partners[0]: expected a string, got int"]),
    (minimal(projects=[{"name": "a", "summary": ["s"]}]),
     [f"{P}: projects[0].summary: expected a string, got list"]),
    (["a"], [f"{P}: expected a mapping of profile fields at the top level, got list"]),
    ("text", [f"{P}: expected a mapping of profile fields at the top level, got string — is this an "
              "organization's own text? Draft a profile from it with: painpoint orgs import FILE"]),
    (None, [f"{P}: expected a mapping of profile fields at the top level, got null"]),
])
def test_problem_messages(data: object, expected: list[str]) -> None:
    assert problems_of(data) == expected


def test_every_problem_is_reported_not_just_the_first() -> None:
    data = {"id": "Bad Id", "servces": [], "kind": "x", "projects": [{"years": 1}, 7]}
    assert problems_of(data) == [
        f"{P}: servces: unknown key 'servces' — did you mean 'services'?",
        f"{P}: id: must be lowercase letters, digits and '-', e.g. sc-haihui (got 'Bad Id')",
        f"{P}: name: missing required field",
        f"{P}: mission: missing required field",
        f"{P}: kind: must be one of {KINDS} (got 'x')",
        f"{P}: projects[0].name: missing required field",
        f"{P}: projects[1]: expected a mapping, got int",
    ]


def test_values_in_messages_stay_on_one_line() -> None:
    problems = problems_of(minimal(id="a\nb", **{"k\ney": 1}))
    assert problems == [
        f"{P}: 'k\\ney': unknown key 'k\\ney' — valid keys are {', '.join(PROFILE_KEYS)}",
        f"{P}: id: must be lowercase letters, digits and '-', e.g. sc-haihui (got 'a\\nb')",
    ]


def test_problems_are_capped_per_file() -> None:
    problems = problems_of(minimal(services=list(range(MAX_PROBLEMS + 7))))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == f"{P}: … and 7 more problems not shown"


def test_text_repeated_through_aliases_is_bounded() -> None:
    # What `services: [&x <long>, *x, *x, ...]` loads to: one string object shared many times.
    long_text = "长" * 200_000
    problems = problems_of(minimal(services=[long_text] * 6))
    assert problems == [f"{P}: profile text adds up to 1,200,024 characters, more than the 1,000,000 allowed "
                        f"— write each text once instead of repeating YAML aliases"]


def test_shared_nested_aliases_are_not_walked() -> None:
    # A "billion laughs" structure: 9**30 leaves if walked, a few hundred objects in memory.
    node: list[object] = ["lol"] * 9
    for _ in range(30):
        node = [node] * 9
    problems = problems_of(minimal(services=node, projects=[{"name": "p", "partners": node}]))
    assert len(problems) == 18
    assert problems[0] == f"{P}: services[0]: expected a string, got list"


_leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | st.dates()
_keys = st.sampled_from(PROFILE_KEYS + PROJECT_KEYS) | st.text(max_size=8) | st.integers() | st.none()
_nested = st.recursive(_leaves, lambda children: st.lists(children, max_size=4)
                       | st.dictionaries(_keys, children, max_size=6), max_leaves=30)
_project_like = st.fixed_dictionaries({"name": st.text(max_size=3) | _nested},
                                      optional=dict.fromkeys(PROJECT_KEYS[1:], _nested))
_profile_like = st.fixed_dictionaries(
    {"id": st.sampled_from(["sc-haihui", "Bad", ""]) | _nested, "name": st.text(max_size=4) | _nested,
     "mission": st.just("宗旨") | _nested},
    optional={"kind": st.sampled_from([k.value for k in OrgKind]) | _nested,
              "projects": st.lists(_project_like, max_size=3) | _nested,
              **{key: st.lists(st.text(max_size=4), max_size=3) | _nested
                 for key in ("region", "services", "beneficiaries", "credentials")}},
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_nested, _profile_like))
def test_parse_profile_never_raises(data: object) -> None:
    profile, problems = parse_profile(data, P)
    assert (profile is None) == bool(problems)
    assert parse_profile(data, P) == (profile, problems)
    for line in problems:
        assert isinstance(line, str)
        assert line.startswith(f"{P}: ")
        assert "\n" not in line and "\r" not in line
    if profile is not None:
        assert profile.id and profile.name and profile.mission
        assert all(label and isinstance(text, str) for label, text in profile.text_fields())


# text as people write it: no control, format or separator characters, no non-characters (those are refused)
_text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Cn")), min_size=1,
                max_size=6).filter(str.strip).map(str.strip)
_well_formed = st.fixed_dictionaries(
    {"id": st.from_regex(r"[a-z0-9]{1,4}(-[a-z0-9]{1,4}){0,2}", fullmatch=True), "name": _text,
     "mission": _text},
    optional={"kind": st.sampled_from([k.value for k in OrgKind]),
              "projects": st.lists(st.fixed_dictionaries(
                  {"name": _text},
                  optional={"years": st.integers(1949, 2100) | _text, "partners": st.lists(_text, max_size=2),
                            "summary": _text, "results": _text}), max_size=3),
              **dict.fromkeys(("region", "services", "beneficiaries", "credentials"),
                              st.lists(_text, max_size=3) | _text)},
)


@settings(max_examples=200, deadline=None)
@given(_well_formed)
def test_well_formed_data_always_parses(data: dict[str, object]) -> None:
    profile, problems = parse_profile(data, P)
    assert problems == []
    assert profile is not None
    assert (profile.id, profile.name, profile.mission) == (data["id"], data["name"], data["mission"])
    assert len(profile.projects) == len(data.get("projects", []))  # type: ignore[arg-type]
    labels = [label for label, _ in profile.text_fields()]
    assert labels[0] == "mission"
    assert labels.count("service") == len(profile.services)


@pytest.mark.parametrize("key", ["a]", "x.[", "]", "projects[0", "."])
def test_a_key_of_brackets_and_dots_gets_no_line_and_ends(key: str) -> None:
    # the line of a field is looked up through its parents: a key with its own brackets has none and must end
    profile, problems = parse_profile(minimal(**{key: "x"}), P, {"projects": 4})
    assert profile is None and problems[0].startswith(f"{P}: ")
