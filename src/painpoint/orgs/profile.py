"""Organization profiles, schema v1: the data model and the one place loaded YAML data is validated."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from painpoint.i18n import N_, _
from painpoint.text.traditional import to_simplified

MAX_PROBLEMS = 50
"""At most this many problems are listed per file; the rest are counted in one closing line."""

MAX_TEXT_CHARS = 1_000_000
"""Upper bound on the total characters of a parsed profile.

A 1 MB file can still name one long string thousands of times through YAML aliases (`*name`); without a
bound, everything that reads the profile's text (matching) would pay for every repetition.
"""

PROFILE_KEYS = ("id", "name", "mission", "kind", "region", "founded", "staff", "services", "beneficiaries",
                "projects", "credentials")
"""Keys allowed at the top level of a v1 profile, in schema order."""

PROJECT_KEYS = ("name", "years", "partners", "summary", "results")
"""Keys allowed in one entry of `projects`."""

CREDENTIAL_KEYS = ("grade", "public_fundraising", "charity", "registered_with", "other")
"""Keys of `credentials` written as a mapping (the structured form); a plain list of strings stays valid."""

KIND_ALIASES = {"民办非企业单位": "社会服务机构", "民办非企业": "社会服务机构", "民非": "社会服务机构"}
"""Older registration names accepted for `kind` (social service agencies were 民办非企业单位 before 2016)."""

_YEAR = re.compile(r"(1[89]\d\d|20\d\d)(?:[-./年]\d{1,2}(?:[-./月]\d{1,2}日?)?月?)?")
_GRADE = re.compile(r"([1-5])\s*A|(A{1,5})级")

_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ID_CHARS = re.compile(r"[a-z0-9-]+")
_ID_RULE = N_("must be lowercase letters, digits and '-', e.g. sc-haihui")
_ID_HYPHENS = N_("'-' may only join letters and digits (no leading, trailing or double '-'), e.g. sc-haihui")
_SHOW_LIMIT = 40
_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters (tab and line feed are text), DEL, C1 controls, line/paragraph separators, bidi
# overrides and non-characters: YAML escapes ("\\e", "\\0", "\\uFFFE") bring them in, and terminals, Word
# and Excel either act on them or refuse the whole file.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                      "\ufdd0-\ufdef\ufffe\uffff]")


class OrgKind(StrEnum):
    """Legal form of a social organization in China; the value is what profiles write, and str() gives it.

    A StrEnum is a `(str, Enum)` whose str() and format() are the value, so members print as 基金会.
    """

    SOCIAL_GROUP = "社会团体"
    SOCIAL_SERVICE_AGENCY = "社会服务机构"
    FOUNDATION = "基金会"
    VOLUNTEER_ORGANIZATION = "志愿服务组织"
    OTHER = "其他"


@dataclass(frozen=True)
class OrgProject:
    """One project an organization has carried out, as evidence of what it can do."""

    name: str
    """Project name, never empty."""
    years: str | None = None
    """When it ran, as written ("2019-2021", "2008-"); an integer year in YAML becomes its string."""
    partners: tuple[str, ...] = ()
    """Government departments and other bodies it worked with, in file order."""
    summary: str = ""
    """What was done; empty when absent."""
    results: str = ""
    """What came of it; empty when absent."""


@dataclass(frozen=True)
class Accreditation:
    """What an organization's credentials establish, for plans that ask for them (3A以上, 公开募捐资格)."""

    grade: int | None = None
    """Social organization assessment grade (评估等级), 1 to 5 (5A); None when not stated."""
    public_fundraising: bool = False
    """Holds public fundraising status (公开募捐资格)."""
    charity: bool = False
    """Recognised as a charitable organization (慈善组织认定)."""
    registered_with: str | None = None
    """Registration authority (登记管理机关), e.g. 厦门市思明区民政局."""


@dataclass(frozen=True)
class OrgProfile:
    """A social organization as described by its v1 profile file."""

    id: str
    """Stable identifier: lowercase letters, digits and '-' (`sc-haihui`), unique among loaded profiles."""
    name: str
    """Registered name, e.g. 四川海惠助贫服务中心."""
    mission: str
    """One to three sentences on what the organization is for."""
    kind: OrgKind | None = None
    """Legal form, when the profile states it."""
    region: tuple[str, ...] = ()
    """Places it works in, most specific as written (省/市/县)."""
    services: tuple[str, ...] = ()
    """What it does, one short phrase each."""
    beneficiaries: tuple[str, ...] = ()
    """Who it serves."""
    projects: tuple[OrgProject, ...] = ()
    """Past projects, in file order."""
    credentials: tuple[str, ...] = ()
    """Recognitions such as 慈善组织认定 or an assessment grade, one readable phrase each."""
    founded: str | None = None
    """Year founded or registered, as written ("2013", "2013-07"); always starts with the year."""
    staff: str | None = None
    """Staff and volunteers as written ("专职社工5名、志愿者80余名"); an integer in YAML becomes its string."""
    accreditation: Accreditation | None = None
    """The credentials as facts a plan can ask for (grade, fundraising, charity status); None when none."""
    path: str = ""
    """Path of the file the profile came from, as given; empty when built in code."""
    digest: str = field(default="", compare=False)
    """SHA-256 of the file's bytes as read (empty when built in code): a stored run checks it was keyed on them."""

    def text_fields(self) -> Iterator[tuple[str, str]]:
        """Yield `(label, text)` pairs for matching, in a stable order.

        Labels: `mission`; `service` per service; `beneficiary` per beneficiary; `project:<name>` per project
        with its summary and results joined by a newline (the project name alone when both are empty).
        """
        yield "mission", self.mission
        for service in self.services:
            yield "service", service
        for beneficiary in self.beneficiaries:
            yield "beneficiary", beneficiary
        for project in self.projects:
            text = "\n".join(part for part in (project.summary, project.results) if part)
            yield f"project:{project.name}", text or project.name


class _Problems:
    """Collects `file:line: field: message` lines for one file (`file: field: message` where no line is known)."""

    def __init__(self, path: str, where: Mapping[str, int] | None = None) -> None:
        self.path = path
        self.where = where or {}
        self.lines: list[str] = []

    def add(self, field: str, message: str) -> None:
        line = self._line(field)
        self.lines.append(f"{self.path}:{line}: {field}: {message}" if line else f"{self.path}: {field}: {message}")

    def _line(self, field: str) -> int | None:
        """The line of `field`, else of the nearest entry holding it (a missing projects[1].name: projects[1]);
        a field missing at the top level has none."""
        while field:
            if field in self.where:
                return self.where[field]
            parent = re.sub(r"(?:\.[^.\[]*|\[\d+\])$", "", field)
            if parent == field:  # a top-level key, or one written with brackets or dots of its own ('a]')
                return None
            field = parent
        return None


def parse_profile(data: object, path: str, where: Mapping[str, int] | None = None
                  ) -> tuple[OrgProfile | None, list[str]]:
    """Validate data loaded from a profile file against schema v1.

    Returns the profile and no problems, or None and every problem found (never only the first), each one
    line `path: field: message` where field is a dotted path such as `projects[1].name` (indices count
    from 0). `where` maps such fields to their line in the file (the loader reads it from YAML's marks):
    a problem of a field found there reads `path:line: field: message`. Never raises, whatever `data` is;
    validation looks only at the fixed schema depth, so shared YAML aliases are never walked recursively.

    Unknown keys are reported first, then fields in schema order. At most MAX_PROBLEMS lines are listed.

    Lenient on purpose: a single string where a list of strings is expected (region, services,
    beneficiaries, credentials, partners) becomes a one-item list; a null or empty value for an optional
    field means the field is absent (but an empty item inside a list is a problem); an integer `years`
    becomes its string; leading and trailing whitespace is stripped from every string.
    """
    if not isinstance(data, dict):
        got = _type_name(data)
        return None, [f"{path}: " + _("expected a mapping of profile fields at the top level, got {got}").format(
            got=got) + (_(" — is this an organization's own text? Draft a profile from it with: painpoint orgs "
                          "import FILE") if isinstance(data, str) else "")]
    problems = _Problems(path, where)
    _check_keys(data, PROFILE_KEYS, "", problems)
    org_id = _required_text(data, "id", "id", problems)
    if org_id is not None and not _ID_PATTERN.fullmatch(org_id):
        rule = _ID_HYPHENS if _ID_CHARS.fullmatch(org_id) else _ID_RULE
        problems.add("id", _("{rule} (got {value})").format(rule=_(rule), value=show_value(org_id)))
    name = _required_text(data, "name", "name", problems)
    mission = _required_text(data, "mission", "mission", problems)
    kind = _kind(data.get("kind"), problems)
    region = _text_list(data.get("region"), "region", problems)
    services = _text_list(data.get("services"), "services", problems)
    beneficiaries = _text_list(data.get("beneficiaries"), "beneficiaries", problems)
    projects = _projects(data.get("projects"), problems)
    founded = _founded(data.get("founded"), problems)
    staff = _staff(data.get("staff"), problems)
    credentials, accreditation = _credentials(data.get("credentials"), problems)
    if problems.lines or org_id is None or name is None or mission is None:
        return None, cap_problems(problems.lines, path)
    profile = OrgProfile(id=org_id, name=name, mission=mission, kind=kind, region=region, services=services,
                         beneficiaries=beneficiaries, projects=projects, credentials=credentials, founded=founded,
                         staff=staff, accreditation=accreditation, path=path)
    size = _text_size(profile)
    if size > MAX_TEXT_CHARS:
        return None, [f"{path}: " + _("profile text adds up to {size:,} characters, more than the {limit:,} "
                                      "allowed — write each text once instead of repeating YAML aliases").format(
            size=size, limit=MAX_TEXT_CHARS)]
    return profile, []


def cap_problems(lines: list[str], path: str) -> list[str]:
    """Keep the first MAX_PROBLEMS lines and count the rest, so one broken file cannot flood the output."""
    if len(lines) <= MAX_PROBLEMS:
        return lines
    more = _("… and {n} more problems not shown").format(n=len(lines) - MAX_PROBLEMS)
    return [*lines[:MAX_PROBLEMS], f"{path}: {more}"]


def _check_keys(data: dict[object, object], allowed: tuple[str, ...], prefix: str,
                problems: _Problems) -> None:
    for key in data:
        if isinstance(key, str) and key in allowed:
            continue
        field = _field(prefix, key)
        # difflib is quadratic in the key's length: suggest only for short keys among the problems shown
        # (a 1 MB file of unknown keys would otherwise spend seconds on suggestions nobody sees)
        suggest = len(problems.lines) < MAX_PROBLEMS
        close = (difflib.get_close_matches(key, allowed, n=1)
                 if isinstance(key, str) and len(key) <= _SHOW_LIMIT and suggest else [])
        if close:
            problems.add(field, _("unknown key {key} — did you mean '{close}'?").format(key=show_value(key),
                                                                                       close=close[0]))
        else:
            problems.add(field, _("unknown key {key} — valid keys are {keys}").format(key=show_value(key),
                                                                                     keys=", ".join(allowed)))


def _required_text(data: dict[object, object], key: str, field: str, problems: _Problems) -> str | None:
    if key not in data:
        problems.add(field, _("missing required field"))
        return None
    value = data[key]
    if value is not None and not isinstance(value, str):
        problems.add(field, _("expected a string, got {type}").format(type=_type_name(value)))
        return None
    text = (value or "").strip()
    if not text:
        problems.add(field, _("must not be empty"))
        return None
    return _encodable(text, field, problems)


def _encodable(text: str, field: str, problems: _Problems) -> str:
    """`text`, with a problem when it holds a lone surrogate (YAML "\\ud800"), which no UTF-8 output can carry,
    or a control character (YAML "\\e", "\\0", "\\uFFFE"), which breaks terminals, Word and Excel."""
    if _SURROGATE.search(text):
        problems.add(field, _("contains a lone surrogate (an escape such as \\ud800), which is not a character "
                              "— remove it"))
    elif control := _CONTROL.search(text):
        problems.add(field, _("contains the control character U+{code:04X}, which is not text — remove it")
                     .format(code=ord(control.group())))
    return text


def _optional_text(value: object, field: str, problems: _Problems) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(field, _("expected a string, got {type}").format(type=_type_name(value)))
        return ""
    return _encodable(value.strip(), field, problems)


def _text_list(value: object, field: str, problems: _Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        text = _encodable(value.strip(), field, problems)
        return (text,) if text else ()
    if not isinstance(value, list):
        problems.add(field, _("expected a list of strings, got {type}").format(type=_type_name(value)))
        return ()
    items: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            problems.add(f"{field}[{index}]", _("expected a string, got {type}").format(type=_type_name(item)))
        elif not item.strip():
            problems.add(f"{field}[{index}]", _("must not be empty"))
        else:
            items.append(_encodable(item.strip(), f"{field}[{index}]", problems))
    return tuple(items)


def _kind(value: object, problems: _Problems) -> OrgKind | None:
    valid = ", ".join(kind.value for kind in OrgKind)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add("kind", _("expected one of {valid}, got {type}").format(valid=valid, type=_type_name(value)))
        return None
    text = value.strip()
    if not text:
        return None
    try:
        # Hong Kong, Macao and Taiwan profiles write 社會服務機構 for 社会服务机构
        text = to_simplified(text)
        return OrgKind(KIND_ALIASES.get(text, text))
    except ValueError:
        problems.add("kind", _("must be one of {valid} (got {value})").format(valid=valid, value=show_value(text)))
        return None


def _projects(value: object, problems: _Problems) -> tuple[OrgProject, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add("projects", _("expected a list of mappings (one '- name: ...' entry per project), "
                                   "got {type}").format(type=_type_name(value)))
        return ()
    projects: list[OrgProject] = []
    for index, item in enumerate(value):
        prefix = f"projects[{index}]"
        if not isinstance(item, dict):
            problems.add(prefix, _("expected a mapping, got {type}").format(type=_type_name(item)))
            continue
        _check_keys(item, PROJECT_KEYS, prefix, problems)
        name = _required_text(item, "name", f"{prefix}.name", problems)
        years = _years(item.get("years"), f"{prefix}.years", problems)
        partners = _text_list(item.get("partners"), f"{prefix}.partners", problems)
        summary = _optional_text(item.get("summary"), f"{prefix}.summary", problems)
        results = _optional_text(item.get("results"), f"{prefix}.results", problems)
        if name is not None:
            projects.append(OrgProject(name=name, years=years, partners=partners, summary=summary,
                                       results=results))
    return tuple(projects)


def _years(value: object, field: str, problems: _Problems) -> str | None:
    # bool is an int subclass, and `years: yes` is a typo, not a year.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add(field, _('expected a string like "2019-2021", got {type}').format(type=_type_name(value)))
        return None
    return _encodable(value.strip(), field, problems) or None


def _founded(value: object, problems: _Problems) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif isinstance(value, dt.date):
        value = value.isoformat()
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add("founded", _('expected a year such as 2013 or "2013-07", got {type}').format(
            type=_type_name(value)))
        return None
    text = value.strip()
    if text and not _YEAR.match(text):
        problems.add("founded", _('must start with the year, e.g. 2013 or "2013-07" (got {value})').format(
            value=show_value(text)))
        return None
    return text or None


def _staff(value: object, problems: _Problems) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = _optional_text(value, "staff", problems)
    return text or None


def _credentials(value: object, problems: _Problems) -> tuple[tuple[str, ...], Accreditation | None]:
    """The credentials as readable phrases and as facts; a list of phrases or the structured mapping."""
    if not isinstance(value, dict):
        items = _text_list(value, "credentials", problems)
        return items, accreditation_of(items) if items else None
    _check_keys(value, CREDENTIAL_KEYS, "credentials", problems)
    grade_text = value.get("grade")
    grade: int | None = None
    if isinstance(grade_text, int) and not isinstance(grade_text, bool) and 1 <= grade_text <= 5:
        grade = grade_text
    elif isinstance(grade_text, str) and _grade(grade_text):
        grade = _grade(grade_text)
    elif grade_text is not None:
        problems.add("credentials.grade", _("expected an assessment grade such as 4A, got {value}").format(
            value=show_value(grade_text)))
    flags = {}
    for key in ("public_fundraising", "charity"):
        flag = value.get(key)
        if flag is not None and not isinstance(flag, bool):
            problems.add(f"credentials.{key}", _("expected true or false, got {type}").format(type=_type_name(flag)))
        flags[key] = flag is True
    registered = _optional_text(value.get("registered_with"), "credentials.registered_with", problems) or None
    other = _text_list(value.get("other"), "credentials.other", problems)
    phrases = ([f"社会组织评估等级{grade}A"] if grade else []) + (["具有公开募捐资格"] if flags["public_fundraising"]
                                                                   else [])
    phrases += (["慈善组织认定"] if flags["charity"] else []) + ([f"登记管理机关：{registered}"] if registered else [])
    phrases += list(other)
    fact = Accreditation(grade, flags["public_fundraising"], flags["charity"], registered)
    return tuple(phrases), fact if fact != Accreditation() else accreditation_of(other)


def _grade(text: str) -> int | None:
    """The assessment grade a phrase states: 4A, AAAA级 → 4."""
    m = _GRADE.search(text.upper())
    return (int(m.group(1)) if m.group(1) else len(m.group(2))) if m else None


def accreditation_of(phrases: tuple[str, ...] | list[str]) -> Accreditation | None:
    """The facts that credentials written as free phrases state (an old profile's `[慈善组织认定, 4A]`)."""
    text = "；".join(to_simplified(p) for p in phrases)
    grade = _grade(text)
    fundraising = "公开募捐" in text or ("公募" in text and "非公募" not in text)
    fact = Accreditation(grade, fundraising, "慈善组织" in text, None)
    return fact if fact != Accreditation() else None


def _text_size(profile: OrgProfile) -> int:
    texts = [profile.id, profile.name, profile.mission, *profile.region, *profile.services,
             *profile.beneficiaries, *profile.credentials, profile.staff or ""]
    for project in profile.projects:
        texts += [project.name, project.years or "", *project.partners, project.summary, project.results]
    return sum(len(text) for text in texts)


def _field(prefix: str, key: object) -> str:
    if isinstance(key, str) and key and len(key) <= _SHOW_LIMIT and key.isprintable():
        name = key
    else:
        name = show_value(key)
    return f"{prefix}.{name}" if prefix else name


def show_value(value: object) -> str:
    """Quote a value from a profile for a one-line message: short, and never spanning lines."""
    if isinstance(value, str):
        text = value if len(value) <= _SHOW_LIMIT else value[:_SHOW_LIMIT] + "…"
        return f"'{text}'" if text.isprintable() and "'" not in text else repr(text)
    text = "null" if value is None else repr(value)
    return text if len(text) <= _SHOW_LIMIT else text[:_SHOW_LIMIT] + "…"


def _type_name(value: object) -> str:
    """Name a Python value by the YAML type a profile author wrote."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, dt.datetime):
        return "timestamp"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, bytes):
        return "binary"
    if isinstance(value, set):
        return "set"
    return type(value).__name__
