"""Renderers for `painpoint config`: the settings in force and where each came from."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from painpoint.config import KEYS, Config
from painpoint.i18n import N_, _

_LOCALE = N_("the locale (LC_ALL, LC_MESSAGES, LANG)")


def _values(config: Config, language: str) -> dict[str, object]:
    """The language shown is the one in force, which --lang or PAINPOINT_LANG may have set over the file's."""
    return {"plans": list(config.plans), "orgs": list(config.orgs), "lang": language,
            "output": config.output, "top": config.top}


def _source(config: Config, key: str, language_source: str) -> str:
    if key == "lang":
        return _(_LOCALE) if language_source == "locale" else language_source
    return _(config.sources[key]) if config.is_default(key) else config.sources[key]


def config_json(config: Config, language: str, language_source: str) -> str:
    """Stable keys: file (or null) and, per setting, its value and source ("--lang", "PAINPOINT_LANG", "locale",
    a file path, or "built-in default")."""
    values = _values(config, language)
    doc = {"file": str(config.file) if config.file else None,
           "settings": {key: {"value": values[key],
                              "source": language_source if key == "lang" else config.sources.get(key, "")}
                        for key in KEYS}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def config_table(config: Config, language: str, language_source: str, console: Console) -> None:
    values = _values(config, language)
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column(_("setting"))
    table.add_column(_("value"), overflow="fold")
    table.add_column(_("from"), overflow="fold")
    table.add_column(_("what it sets"), overflow="fold")
    for key in KEYS:
        value = values[key]
        shown = "、".join(value) if isinstance(value, list) else str(value)
        table.add_row(key, Text(shown), Text(_source(config, key, language_source)), _(KEYS[key]))
    console.print(table)
    if config.file is None:
        console.print(Text(_("No painpoint.toml found in this folder, its parents or the user config folder; "
                             "create one to set these for every command run here.")))
    else:
        console.print(Text(_("Settings file: {path}").format(path=config.file)))
