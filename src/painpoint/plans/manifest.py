"""A manifest beside the plans (plans.yaml or plans.csv: file → department, place, year, URL …) that wins over
inference, and the inferred manifest `scan --write-manifest` writes for a person to correct."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from painpoint.errors import InputError
from painpoint.i18n import _
from painpoint.manifests import folders, manifests_in
from painpoint.plans.metadata import Metadata, Source
from painpoint.plans.organs import kind_of, leading_place, level_of
from painpoint.plans.structure import Plan

FIELDS = ("department", "place", "level", "kind", "year", "title", "url", "drafted_by")
"""Fields a manifest entry may set; a person's value always wins over the inferred one."""
REVIEW_FIELDS = ("confidence", "source", "evidence", "guess")
"""Fields `--write-manifest` adds for the reviewer; read back, they are ignored."""
_LEVELS = ("国家", "省", "市", "县", "乡镇")


@dataclass(frozen=True)
class Entry:
    """What a person says about one file."""

    manifest: str
    """Path of the manifest that says it."""
    values: tuple[tuple[str, str | int], ...]
    """(field, value) pairs for the fields the entry sets."""


def load_manifest(path: str) -> dict[str, Entry]:
    """File name (relative to the manifest's folder, '/'-separated) → Entry; InputError names the problem."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(_("cannot read the manifest: {error}").format(error=exc), path=path,
                         hint=_("save it as UTF-8 text")) from exc
    rows = _csv_rows(text, path) if path.endswith(".csv") else _yaml_rows(text, path)
    out: dict[str, Entry] = {}
    for name, fields in rows:
        values: list[tuple[str, str | int]] = []
        for key, value in fields.items():
            if key in REVIEW_FIELDS or value is None or value == "":
                continue
            if key not in FIELDS:
                raise InputError(_("{file}: unknown field '{field}'").format(file=name, field=key), path=path,
                                 hint=_("fields: {fields}").format(fields=", ".join(FIELDS)))
            if key == "year":
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    raise InputError(_("{file}: year must be a number, not '{value}'").format(
                        file=name, value=value), path=path) from None
            elif key == "level" and str(value) not in _LEVELS:
                raise InputError(_("{file}: level must be one of {levels}").format(
                    file=name, levels="、".join(_LEVELS)), path=path)
            values.append((key, value if isinstance(value, int) else str(value).strip()))
        out[name.replace("\\", "/").strip()] = Entry(path, tuple(values))
    return out


def _yaml_rows(text: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(_("YAML syntax error: {problem}").format(problem=getattr(exc, "problem", exc)),
                         path=path, line=mark.line + 1 if mark else None, hint=_("fix the YAML")) from exc
    if data is None:
        return []
    if not isinstance(data, dict) or not all(isinstance(v, dict | type(None)) for v in data.values()):
        raise InputError(_("a manifest maps each file name to its fields (department: …, place: …)"),
                         path=path, hint=_("see `painpoint scan --write-manifest`"))
    return [(str(k), dict(v or {})) for k, v in data.items()]


def _csv_rows(text: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise InputError(_("a CSV manifest needs a 'file' column"), path=path,
                         hint=_("columns: file, {fields}").format(fields=", ".join(FIELDS)))
    rows = []
    for row in reader:
        name = (row.pop("file") or "").strip()
        if name:
            rows.append((name, {k: v for k, v in row.items() if k}))
    return rows


def entry_for(path: str, loaded: dict[str, dict[str, Entry]] | None = None,
              seen: dict[str, tuple[str, ...]] | None = None) -> Entry | None:
    """The manifest entry for a plan file: the nearest folder's manifest that names it, else None.

    `loaded` (manifest → entries) and `seen` (folder → its manifests) let one run read each only once."""
    loaded = {} if loaded is None else loaded
    seen = {} if seen is None else seen
    target = os.path.abspath(path)
    for folder in folders(path):
        if folder not in seen:
            seen[folder] = manifests_in(folder)
        for manifest in seen[folder]:
            if manifest not in loaded:
                loaded[manifest] = load_manifest(manifest)
            key = os.path.relpath(target, folder).replace(os.sep, "/")
            if key in loaded[manifest]:
                return loaded[manifest][key]
    return None


def apply_entry(plan: Plan, entry: Entry) -> Plan:
    """The plan with the manifest's values in place of the inferred ones."""
    values = dict(entry.values)
    meta = plan.metadata or Metadata(plan.title, plan.department, plan.department_source, None, None, False, 0.0,
                                     None, None, None, None, None)
    department = str(values.get("department", meta.department or "")) or None
    place = str(values["place"]) if "place" in values else (
        meta.place if "department" not in values else leading_place(department or ""))
    changes: dict[str, Any] = {
        "title": str(values.get("title", meta.title or "")) or None, "place": place,
        "level": str(values["level"]) if "level" in values else level_of(place) if place else meta.level,
        "kind": str(values.get("kind", meta.kind or "")) or None,
        "year": values.get("year", meta.year), "url": str(values["url"]) if "url" in values else meta.url,
        "drafted_by": str(values.get("drafted_by", meta.drafted_by or "")) or None,
    }
    if "department" in values:
        changes.update(department=department, department_source=Source.MANIFEST, department_line=None,
                       department_evidence=_shown(entry.manifest), guess=False, confidence=1.0,
                       department_kind=kind_of(department))
    meta = replace(meta, **changes)
    return replace(plan, title=meta.title, department=meta.department, department_source=meta.department_source,
                   metadata=meta)


def apply_manifests(plans: Sequence[Plan]) -> tuple[list[Plan], list[InputError]]:
    """Each plan with its manifest entry applied; a broken manifest is one problem, its plans left inferred."""
    cache: dict[str, dict[str, Entry]] = {}
    seen: dict[str, tuple[str, ...]] = {}
    problems: dict[str, InputError] = {}
    out = []
    for plan in plans:
        try:
            entry = entry_for(plan.path, cache, seen)
        except InputError as exc:
            problems.setdefault(exc.path or "", exc)
            out.append(plan)
            continue
        out.append(apply_entry(plan, entry) if entry else plan)
    return out, list(problems.values())


def write_manifest(plans: Sequence[Plan], target: str) -> str:
    """The inferred manifest for `plans` as YAML (or CSV when `target` ends in .csv), keys relative to it."""
    folder = os.path.dirname(os.path.abspath(target))
    rows = []
    for plan in plans:
        m = plan.metadata
        key = os.path.relpath(os.path.abspath(plan.path), folder).replace(os.sep, "/")
        evidence = (f"{m.department_line}: {m.department_evidence}" if m and m.department_line
                    else m.department_evidence if m else None)
        rows.append((key, {
            "department": plan.department, "place": m.place if m else None, "level": m.level if m else None,
            "kind": m.kind if m else None, "year": m.year if m else None, "title": plan.title,
            "url": m.url if m else None, "drafted_by": m.drafted_by if m else None,
            "confidence": m.confidence if m else 0.0, "source": plan.department_source,
            "guess": m.guess if m else False, "evidence": evidence}))
    if target.endswith(".csv"):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["file", *FIELDS, *REVIEW_FIELDS])
        for key, row in rows:
            w.writerow([key, *("" if row[f] is None else row[f] for f in (*FIELDS, *REVIEW_FIELDS))])
        return buf.getvalue()
    import yaml

    head = ("# painpoint manifest: correct what is wrong, then save it as plans.yaml beside the plans.\n"
            "# department/place/level/kind/year/title/url/drafted_by win over inference; confidence, source,\n"
            "# guess and evidence show how each department was found and are ignored when read back.\n")
    body = yaml.safe_dump(dict(rows), allow_unicode=True, sort_keys=False, width=1000)
    return head + body


def _shown(path: str) -> str:
    """A manifest's path as a person would type it: relative to the working folder when below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
