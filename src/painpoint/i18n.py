"""Messages a person reads, in Simplified Chinese or English, from one gettext catalogue.

Source strings are English; `locale/zh_CN/LC_MESSAGES/painpoint.po` holds their Chinese, compiled to `.mo`
by `make i18n` (Babel). Wrap every message a person reads in `_()` and fill placeholders afterwards
(`_("{path}: not UTF-8 text").format(path=p)`), never inside the call, so the catalogue holds one entry per
message. Strings defined at import time (enum labels, table headers in constants) are marked with `N_()` and
translated where they are shown. Machine-readable output (JSON keys, CSV headers) is never translated.

The language comes from `--lang`, then `PAINPOINT_LANG`, then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`):
Chinese when the locale is Chinese, English otherwise.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "painpoint"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")
_CATALOGUE = {"zh": "zh_CN"}

_state: dict[str, object] = {"language": "", "translation": gettext.NullTranslations()}


def normalise(value: str) -> str | None:
    """`zh`, `zh_CN.UTF-8`, `zh-Hans`, `cn` → `zh`; `en_US`, `C`, `POSIX` → `en`; anything else → None."""
    v = value.strip().lower().replace("-", "_")
    if v.startswith(("zh", "cn")):
        return "zh"
    if v.startswith("en") or v.split(".")[0] in {"c", "posix"}:
        return "en"
    return None


def resolve_language(explicit: str | None = None, environ: Mapping[str, str] | None = None, *,
                     configured: str | None = None) -> str:
    """The language in force: `explicit` (--lang), then PAINPOINT_LANG, then `configured` (painpoint.toml),
    then the locale; English by default.

    An explicit value or PAINPOINT_LANG that names no supported language raises ValueError (a usage error
    for the caller to report); an unknown locale falls back to English, as gettext does.
    """
    env = os.environ if environ is None else environ
    for source, value in (("--lang", explicit), ("PAINPOINT_LANG", env.get("PAINPOINT_LANG"))):
        if value:
            lang = normalise(value)
            if lang is None:
                raise ValueError(f"{source}={value!r}: choose one of {', '.join(LANGUAGES)}")
            return lang
    if configured:
        return normalise(configured) or "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:  # POSIX: the first one set wins, even when it names a language we do not have
            return normalise(value) or "en"
    return "en"


def set_language(lang: str) -> None:
    """Use `lang` ("zh" or "en") for every message from now on."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    translation: gettext.NullTranslations = gettext.NullTranslations()
    if lang in _CATALOGUE:
        translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_CATALOGUE[lang]], fallback=True)
    _state["language"] = lang
    _state["translation"] = translation


def language() -> str:
    """The language in force ("zh" or "en"), resolved from the environment on first use."""
    if not _state["language"]:
        try:
            set_language(resolve_language())
        except ValueError:  # a bad PAINPOINT_LANG is reported by the CLI; the library stays usable
            set_language("en")
    return str(_state["language"])


def _translation() -> gettext.NullTranslations:
    language()
    translation = _state["translation"]
    assert isinstance(translation, gettext.NullTranslations)
    return translation


def _(message: str) -> str:
    """`message` in the language in force."""
    return _translation().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the language in force."""
    return _translation().ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention, a marker Babel extracts
    """Mark `message` for the catalogue without translating it now (it is translated where shown)."""
    return message
