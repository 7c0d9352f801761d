"""`painpoint orgs import`: draft profiles from prose files and write them as commented YAML for review."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from painpoint.errors import InputError, PainpointError
from painpoint.i18n import _
from painpoint.orgs.draft import Certainty, Draft, DraftProject, Found, draft_profile, merge_drafts, same_organization

if TYPE_CHECKING:
    from painpoint.model import Document
    from painpoint.orgs.profile import OrgProfile

PLACEHOLDER = "# 待补充: "
PLACEHOLDER_VALUE = "待补充"
"""How a required value the text never stated begins in a draft (the draft must pass `orgs check` as it is)."""


def unfilled(profile: OrgProfile) -> list[str]:
    """The required fields of an imported draft still holding the placeholder value: to fill in before use."""
    return [field for field in ("name", "mission") if getattr(profile, field).startswith(PLACEHOLDER_VALUE)]
"""How a field the text does not state appears in the draft: a comment a reviewer fills in."""


@dataclass(frozen=True)
class Imported:
    """One input's outcome: the draft and where it was written, or the one-line problem."""

    path: str
    """The input, as given (the inputs merged into one draft joined by 、)."""
    draft: Draft | None = None
    profile_id: str = ""
    output: str = ""
    """The YAML file written."""
    problem: str = ""
    """One line, when the input could not be imported."""
    wrong_input: bool = False
    """True when the input was refused for what it is (a government plan given as an organization's text): a
    usage error, not a file that could not be read."""


# What a government document has and an organization's introduction does not: its kind in the title (规划,
# 工作要点, 通知 …), an issuing organ read from the title, 文头, 落款, header fields or 发文字号, the page furniture of
# a government website (发布日期：, 索引号：, 字号：) and chapters (第一章 总则). Two of the four make it a government
# document: an organization's 项目实施方案 has a kind but no organ issues it, and its intro names 民政局 only in
# passing.
_GOVERNMENT_KINDS = frozenset({"规划", "工作要点", "实施方案", "意见", "工作计划", "应急预案", "通知", "政府工作报告",
                               "办法", "提案答复", "建议答复", "政府信息公开年报", "统计公报", "公报", "政策解读",
                               "公示", "绩效报告", "工作总结"})
_ISSUER_SOURCES = frozenset({"heading", "title", "signature", "header", "doc_number", "report"})
_FURNITURE = re.compile(r"^\s*(发布日期|发文日期|成文日期|印发日期|发布时间|发文字号|文\s*号|字\s*号|索引号|发布机构|"
                        r"发文机关|主题分类|公开方式|信息来源)\s*[:：]|^\s*([\u4e00-\u9fff]{1,8}[发函字]\s*[〔\[（(]\s*"
                        r"(?:19|20)\d\d\s*[〕\]）)]\s*\d+\s*号)")
_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十百\d]+章")


def government_document(document: Document) -> str | None:
    """What makes `document` read like a government document rather than an organization's own text (its
    title, issuer or furniture, for the message), or None when it does not."""
    from painpoint.plans.metadata import ORGANIZATION_TEXT, extract
    from painpoint.plans.organs import kind_of

    meta = extract(list(document.lines), document.path, document.title)
    if meta.kind == ORGANIZATION_TEXT:
        return None
    title = (meta.title or "").lstrip("# ") if meta.kind in _GOVERNMENT_KINDS else ""
    issuer = meta.department if meta.department_source in _ISSUER_SOURCES else None
    furniture = next((m.group(1) or m.group(2) for line in document.lines[:40] if (m := _FURNITURE.match(line))), "")
    chapters = sum(1 for line in document.lines if _CHAPTER.match(line)) >= 2
    # a government body must issue it: an organization's own 项目实施方案 has chapters, and a 年度工作总结 copied
    # from its WeChat page has a 发布时间 line, and both are what `orgs import` is for
    if not issuer or kind_of(issuer) is None or bool(title) + bool(furniture) + chapters < 1:
        return None
    shown = [title, issuer if issuer and issuer not in title else "", re.sub(r"\s+", "", furniture),
             "第一章…" if chapters else ""]
    return "；".join(part for part in shown if part)


def slug(text: str, fallback: str = "org") -> str:
    """A readable ASCII id from a Chinese name: place and the first words of the name in pinyin.

    厦门市“温馨夕阳”咨询服务中心 → xiamen-wenxin-xiyang-zixun. ASCII letters and digits are kept as written.
    """
    from pypinyin import lazy_pinyin

    from painpoint.orgs.draft import ORG_SUFFIXES, _place_prefix
    from painpoint.text.traditional import to_simplified

    text = re.sub(r"[（(][^）)]*[）)]", "", to_simplified(text))
    place = _place_prefix(text)
    core = text[len(place):]
    for suffix in ORG_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            core = core[: -len(suffix)]
            break
    core = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", core)
    head = re.sub(r"(省|市|自治区|区|县|旗|州)$", "", re.sub(r"^(.{2,4}?)(省|市|自治区).*", r"\1", place))[:3]
    parts: list[str] = []
    if head:
        parts.append("".join(lazy_pinyin(head)))
    chinese = re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", core)
    chars = "".join(chinese)[:8]
    syllables = [s for s in lazy_pinyin(chars) if s]
    parts += ["".join(syllables[i:i + 2]) for i in range(0, min(len(syllables), 8), 2)]
    value = "-".join(re.sub(r"[^a-z0-9]", "", p.lower()) for p in parts)
    value = re.sub(r"-+", "-", value).strip("-")[:48].strip("-")
    return value or fallback


def _file_slug(path: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-")
    return stem or "org-draft"


# YAML reads NEL and the Unicode line/paragraph separators as line breaks, and refuses C0/C1 controls and
# surrogates even inside quotes: text from documents is cleaned of them before it goes into the draft
_NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff\r\n\t]")


def _clean(text: str) -> str:
    return _NOT_YAML.sub(" ", text).strip()


def _q(value: str) -> str:
    """A YAML scalar that reads back as exactly `value`: JSON strings are YAML double-quoted strings."""
    return json.dumps(_clean(value), ensure_ascii=False)


def _note(found: Found) -> str:
    return f"  # {_clean(found.source.where)}: {_clean(found.source.text)}"


def _line(found: Found) -> str:
    """A short source comment for a value read from the same sentence as the one above it."""
    return f"  # {_clean(found.source.where)}"


def _plain_or_quoted(value: str) -> str:
    """`value` unquoted when YAML reads it back as that string, else quoted: an id such as 1, 0b1 or yes
    (from a name written in digits or English) would read as a number or a bool."""
    import yaml

    return value if yaml.safe_load(value) == value else _q(value)


def render_draft(draft: Draft, profile_id: str) -> str:
    """The draft as a commented YAML profile: every value cites its source line, every gap is a placeholder."""
    names = "、".join(_clean(Path(p).name) for p in draft.inputs or (draft.path,))
    out = [f"# painpoint 机构档案草稿（schema v1），由 `painpoint orgs import` 从 {names} 生成。",
           "# 逐项核对：改正、补全 “# 待补充” 处，然后运行 painpoint orgs check 检查。",
           f"id: {_plain_or_quoted(profile_id)}  # 由名称生成，可改：小写字母、数字和 '-'"]
    if draft.name and _clean(draft.name.value):
        out.append(f"name: {_q(draft.name.value)}{_note(draft.name)}")
    else:
        out.append(f"name: {_q('待补充：机构全称')}  # 待补充: 原文没有写出机构全称，请填写登记名称")
    if draft.mission and _clean(draft.mission.value):
        out.append(f"mission: {_q(draft.mission.value)}{_note(draft.mission)}")
    else:
        out.append(f"mission: {_q('待补充：一到三句话的宗旨')}  # 待补充: 原文没有写出宗旨")
    out.append(f"kind: {draft.kind.value}{_note(draft.kind)}" if draft.kind else
               f"{PLACEHOLDER}kind: 社会团体 | 社会服务机构 | 基金会 | 志愿服务组织 | 其他（原文没有写登记类型）")
    out += _list("region", draft.region, "服务地区，如 四川省成都市温江区")
    out.append(f"founded: {_q(draft.founded.value)}{_note(draft.founded)}" if draft.founded else
               f"{PLACEHOLDER}founded: \"2013\"（成立或登记年份）")
    out.append(f"staff: {_q(draft.staff.value)}{_note(draft.staff)}" if draft.staff else
               f"{PLACEHOLDER}staff: \"专职5人、志愿者80余名\"")
    out += _list("services", draft.services, "做什么，每项一个短语")
    out += _list("beneficiaries", draft.beneficiaries, "服务对象，如 空巢老人")
    if draft.projects:
        out.append("projects:")
        for project in draft.projects:
            out += _project(project)
    else:
        out.append(f"{PLACEHOLDER}projects: 做过的项目（名称、年份、合作方、做了什么、成效），部门最看重这些")
    out += _credentials(draft)
    return "\n".join(out) + "\n"


def _list(key: str, items: Sequence[Found], hint: str) -> list[str]:
    items = [f for f in items if _clean(f.value)]
    if not items:
        return [f"{PLACEHOLDER}{key}: [{hint}]"]
    return [f"{key}:"] + [f"  - {_q(f.value)}{_note(f)}" for f in items]


def _project(project: DraftProject) -> list[str]:
    lines = [f"  - name: {_q(project.name.value)}{_note(project.name)}"]
    lines.append(f"    years: {_q(project.years.value)}{_line(project.years)}" if project.years
                 else f"    {PLACEHOLDER}years: \"2019-2021\"")
    if project.partners:
        lines.append("    partners:")
        lines += [f"      - {_q(p.value)}{_line(p)}" for p in project.partners]
    else:
        lines.append(f"    {PLACEHOLDER}partners: [合作的政府部门或单位]")
    if project.summary:
        lines.append(f"    summary: {_q(project.summary.value)}{_line(project.summary)}")
    lines.append(f"    results: {_q(project.results.value)}{_line(project.results)}" if project.results else
                 f"    {PLACEHOLDER}results: 可核实的数字（服务人次、场次、户数、覆盖社区）")
    return lines


def _credentials(draft: Draft) -> list[str]:
    found = draft.credentials
    if not found:
        return [f"{PLACEHOLDER}credentials: {{grade: 3A, public_fundraising: true, charity: true, "
                "registered_with: 登记管理机关}"]
    lines = ["credentials:"]
    if "grade" in found:
        lines.append(f"  grade: {found['grade'].value}{_note(found['grade'])}")
    for key in ("public_fundraising", "charity"):
        if key in found:
            lines.append(f"  {key}: true{_note(found[key])}")
    if "registered_with" in found:
        lines.append(f"  registered_with: {_q(found['registered_with'].value)}{_note(found['registered_with'])}")
    if "other" in found:
        lines.append("  other:")
        lines += [f"    - {_q(x)}{_line(found['other'])}" for x in found["other"].value.split("；")]
    return lines


def beneficiary_words() -> list[str]:
    """Groups of people the taxonomy names (留守儿童, 空巢老人 …): the vocabulary for `beneficiaries`."""
    from painpoint.themes.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    return sorted({b for theme in taxonomy.themes for b in theme.beneficiaries})


def import_profiles(paths: Sequence[str], output: str = ".", *, force: bool = False) -> list[Imported]:
    """Draft one profile per organization and write it into `output` (created if needed) as `<id>.yaml`.

    Inputs that name the same organization (its 机构介绍, 年报, 项目书) are merged into one draft whose
    comments cite file and line.

    An existing file is never replaced unless `force`; a bad input gets its one-line problem and the others
    are still imported. A file that reads like a government document (see government_document) is refused
    unless `force`. Every written draft passes `orgs check` (checked here before writing).
    """
    from painpoint.ingest import read_document
    from painpoint.orgs.load import _parse_yaml
    from painpoint.orgs.profile import parse_profile
    from painpoint.themes.segmentation import default_segmenter

    words = beneficiary_words()
    tokens = default_segmenter().tokens
    results: list[Imported] = []
    # inputs naming the same organization (its 机构介绍 and 年报) become one draft, in the order given
    groups: dict[object, list[Draft]] = {}
    for i, path in enumerate(paths):
        try:
            document = read_document(path)
        except PainpointError as exc:
            results.append(Imported(path, problem=str(exc)))
            continue
        if not force and (what := government_document(document)) is not None:
            # a 民政局 work plan drafts a profile of nonsense (its 第一章 as a project, the county as the name)
            results.append(Imported(path, problem=_(
                "{path}: reads like a government document ({what}), not an organization's own text — give it to "
                "painpoint scan or painpoint match --plans instead (--force drafts from it anyway)").format(
                    path=path, what=what), wrong_input=True))
            continue
        one = draft_profile(document, words, tokens)
        groups.setdefault(same_organization(one) or i, []).append(one)
    taken: set[str] = set()
    for group in groups.values():
        draft = merge_drafts(group)
        path = "、".join(d.path for d in group)
        base = slug(draft.name.value) if draft.name else _file_slug(path)
        profile_id, n = base, 2
        while profile_id in taken:
            profile_id, n = f"{base}-{n}", n + 1
        taken.add(profile_id)
        target = os.path.join(output, f"{profile_id}.yaml")
        text = render_draft(draft, profile_id)
        data, problems = _parse_yaml(text, target)
        if not problems:
            problems = parse_profile(data, target)[1]
        if problems:  # a bug of the drafter, never the user's: say so plainly
            results.append(Imported(path, draft, profile_id, problem=_(
                "{path}: the draft did not pass the profile check ({problem}) — please report this").format(
                    path=path, problem=problems[0])))
            continue
        if os.path.exists(target) and not force:
            results.append(Imported(path, draft, profile_id, problem=_(
                "{target}: already exists — review and edit it, or pass --force to replace it").format(
                    target=target)))
            continue
        try:
            os.makedirs(output, exist_ok=True)
            from painpoint.report.write import atomic_write

            atomic_write(Path(target), text.encode("utf-8"))
        except (OSError, PainpointError) as exc:
            raise InputError(_("cannot write here: {reason} — choose another --output folder").format(
                reason=getattr(exc, "strerror", None) or exc), path=target) from exc
        results.append(Imported(path, draft, profile_id, target))
    return results


def summary_rows(draft: Draft) -> list[tuple[str, str, str, str]]:
    """(field, value, source line, certainty) for the terminal table; absent fields say 待补充."""
    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, found: Found | None) -> None:
        if found is None:
            rows.append((name, "待补充", "", ""))
        else:
            line = f"{found.source.document} {found.source.line}" if found.source.document else found.source.line
            rows.append((name, found.value, f"{line}: {found.source.text}", found.certainty.value))

    row("name", draft.name)
    row("kind", draft.kind)
    for f in draft.region or (None,):
        row("region", f)
    row("founded", draft.founded)
    row("staff", draft.staff)
    row("mission", draft.mission)
    row("services", _joined(draft.services))
    row("beneficiaries", _joined(draft.beneficiaries))
    for i, p in enumerate(draft.projects):
        row(f"projects[{i}]", p.name)
        if p.partners:
            row(f"projects[{i}].partners", _joined(p.partners))
        if p.results:
            row(f"projects[{i}].results", p.results)
    if not draft.projects:
        row("projects", None)
    for key, found in draft.credentials.items():
        row(f"credentials.{key}", found)
    if not draft.credentials:
        row("credentials", None)
    return rows


def _joined(items: Sequence[Found]) -> Found | None:
    if not items:
        return None
    certainty = min((f.certainty for f in items), key=[Certainty.LOW, Certainty.MEDIUM, Certainty.HIGH].index)
    return Found("、".join(f.value for f in items), items[0].source, certainty)


def write_new_profile(answers: dict[str, str], output: str, *, force: bool = False) -> str:
    """Write the profile `orgs new` built from `answers` into `output`; returns its path."""
    from painpoint.orgs.load import _parse_yaml
    from painpoint.orgs.profile import parse_profile
    from painpoint.orgs.template import profile_from_answers
    from painpoint.report.write import atomic_write

    profile_id = slug(answers["name"])
    target = os.path.join(output, f"{profile_id}.yaml")
    text = profile_from_answers(answers, profile_id)
    data, problems = _parse_yaml(text, target)
    if not problems:
        problems = parse_profile(data, target)[1]
    if problems:
        raise PainpointError(problems[0])
    if os.path.exists(target) and not force:
        raise PainpointError(_("already exists — edit it, or pass --force to replace it"), path=target)
    try:
        os.makedirs(output, exist_ok=True)
        atomic_write(Path(target), text.encode("utf-8"))
    except OSError as exc:
        raise InputError(_("cannot write here: {reason} — choose another --output folder").format(
            reason=exc.strerror or exc), path=target) from exc
    return target


def check_json(profiles: Sequence[object], problems: Sequence[str]) -> str:
    """`orgs check --format json`: valid profiles and every problem split into file, line, field, message."""
    rows = []
    for line in problems:
        m = re.match(r"^(.+?)(?::(\d+))?: (?:([\w.\[\]\-']+): )?(.*)$", line)
        if m:
            rows.append({"file": m.group(1), "line": int(m.group(2)) if m.group(2) else None,
                         "field": m.group(3), "message": m.group(4)})
        else:
            rows.append({"file": None, "line": None, "field": None, "message": line})
    valid = [{"id": p.id, "file": p.path} for p in profiles]  # type: ignore[attr-defined]
    return json.dumps({"schema": "painpoint.orgs-check/1", "valid": valid, "problems": rows},
                      ensure_ascii=False)
