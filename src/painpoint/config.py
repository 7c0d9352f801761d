"""painpoint.toml: default plan and profile folders, language, report folder and top-N, and where each came from.

The file is looked for in `$PAINPOINT_CONFIG`, else as `painpoint.toml` in the current folder or one of its
parents (a project's own settings), else in the user config folder (platformdirs: ~/.config/painpoint on Linux).
Relative folders in a file are taken from that file's folder, so a command gives the same answer from any folder.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from painpoint.errors import ConfigError
from painpoint.i18n import N_, _

FILE_NAME = "painpoint.toml"

KEYS: dict[str, str] = {
    "plans": N_("plan files or folders read when --plans is not given"),
    "orgs": N_("profile folders or files read when --orgs is not given"),
    "lang": N_("language of messages: zh or en"),
    "output": N_("folder `painpoint report` writes when --out is not given"),
    "top": N_("organizations per department (with --org: departments) that match shows"),
}
"""Every key a painpoint.toml may set, with what it sets."""

DEFAULTS: dict[str, object] = {"plans": ("data/plans",), "orgs": ("data/orgs",), "lang": None,
                               "output": "out/report", "top": 5}
"""Built-in values, relative to the current folder."""

DEFAULT_SOURCE = N_("built-in default")


@dataclass(frozen=True)
class Config:
    """The settings in force, each with where it came from."""

    plans: tuple[str, ...]
    """Plan files or folders for commands given no --plans."""
    orgs: tuple[str, ...]
    """Profile folders or files for commands given no --orgs."""
    lang: str | None
    """Language set in the file ("zh" or "en"), or None: --lang, PAINPOINT_LANG or the locale decide."""
    output: str
    """Report folder for `painpoint report` given no --out."""
    top: int
    """Default --top of `painpoint match`."""
    file: Path | None = None
    """The file read, or None when none was found."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Setting name → where its value came from (a file path, or the built-in default)."""

    def is_default(self, key: str) -> bool:
        return self.sources.get(key, DEFAULT_SOURCE) == DEFAULT_SOURCE


def find_config_file(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """$PAINPOINT_CONFIG, else painpoint.toml in `cwd` or a parent, else the user's, else None."""
    env = os.environ if environ is None else environ
    named = env.get("PAINPOINT_CONFIG")
    if named:
        return Path(named)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    from platformdirs import user_config_dir  # only when no project file: it costs an import

    candidate = Path(user_config_dir("painpoint", appauthor=False)) / FILE_NAME
    return candidate if candidate.is_file() else None


def load_config(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """The settings in force; ConfigError (exit 2) for a file that cannot be read or sets a wrong value."""
    path = find_config_file(cwd, environ)
    values = dict(DEFAULTS)
    sources = dict.fromkeys(DEFAULTS, DEFAULT_SOURCE)
    if path is not None:
        for key, value in _read(path).items():
            values[key] = value
            sources[key] = str(path)
    plans, orgs = values["plans"], values["orgs"]
    assert isinstance(plans, tuple) and isinstance(orgs, tuple)
    return Config(plans=plans, orgs=orgs, lang=values["lang"] if isinstance(values["lang"], str) else None,
                  output=str(values["output"]), top=int(values["top"]),  # type: ignore[call-overload]
                  file=path, sources=sources)


def _read(path: Path) -> dict[str, object]:
    """The checked settings of one file, relative folders made absolute from the file's folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(_("config file not found"), path=str(path),
                          hint=_("create it, or unset PAINPOINT_CONFIG")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("cannot read the config file ({reason})").format(reason=exc), path=str(path),
                          hint=_("save it as UTF-8 text")) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("not valid TOML: {reason}").format(reason=exc), path=str(path),
                          hint=_("write one `key = value` per line, strings in double quotes")) from None
    out: dict[str, object] = {}
    base = path.parent
    for key, value in data.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = (_("did you mean '{key}'?").format(key=close[0]) if close
                    else _("valid keys: {keys}").format(keys=", ".join(KEYS)))
            raise ConfigError(_("unknown key '{key}'").format(key=key), path=str(path), hint=hint)
        out[key] = _checked(key, value, base, path)
    return out


def _checked(key: str, value: object, base: Path, path: Path) -> object:
    def wrong(expected: str) -> ConfigError:
        return ConfigError(_("{key}: expected {expected}, got {value!r}").format(key=key, expected=expected,
                                                                              value=value), path=str(path))

    if key in ("plans", "orgs"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
            raise wrong(_("a folder or a list of folders"))
        return tuple(str(base / i) if not os.path.isabs(i) else i for i in items)
    if key == "output":
        if not isinstance(value, str) or not value:
            raise wrong(_("a folder"))
        return str(base / value) if not os.path.isabs(value) else value
    if key == "lang":
        from painpoint.i18n import normalise

        if not isinstance(value, str) or normalise(value) is None:
            raise wrong("zh / en")
        return normalise(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:  # top
        raise wrong(_("a whole number, 0 or more"))
    return value
