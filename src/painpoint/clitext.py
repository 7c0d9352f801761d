"""The command-line parser's own English (help headings, usage errors), in the language in force.

typer's bundled click writes fixed English ("Usage:", "Options", "Missing argument …"); painpoint's help and
errors are otherwise in the catalogue, so these few phrases are translated here, by pattern, from the same
catalogue. No typer import: the CLI passes text in and prints what comes back.
"""

from __future__ import annotations

import re

from painpoint.i18n import N_, _, language

# Whole help lines and fragments click writes, each with its catalogue entry.
_HELP_FRAGMENTS = (
    ("Usage: ", N_("Usage: ")),
    ("[OPTIONS]", N_("[OPTIONS]")),
    ("COMMAND [ARGS]...", N_("COMMAND [ARGS]...")),
    ("Show this message and exit.", N_("Show this message and exit.")),
    ("[required]", N_("[required]")),
    ("Install completion for the current shell.", N_("Install completion for the current shell.")),
    ("Show completion for the current shell, to copy it or customize the installation.",
     N_("Show completion for the current shell, to copy it or customize the installation.")),
)
_HELP_HEADINGS = {"Arguments:": N_("Arguments:"), "Options:": N_("Options:"), "Commands:": N_("Commands:")}
_DEFAULT = re.compile(r"\[default:(\s+)([^\]]*)\]")
_ENV_VAR = re.compile(r"\[env var:\s+([^\]]*)\]")
# typer writes a required argument as {PATH...} in the usage line: a placeholder nobody types
_BRACED = re.compile(r"\{([A-Z_]+(?:\.\.\.)?)\}")

# Usage errors click raises, as patterns over its English message.
_ERRORS = (
    # click writes a near option as "Did you mean …?", typer's bundled click as "(Possible options: …)"
    (re.compile(r"^No such option: (?P<name>\S+)(?: Did you mean (?P<close>.+)\?| \(Possible options: "
                r"(?P<options>.+)\))?$"),
     N_("no such option: {name}"), N_("did you mean {close}?")),
    (re.compile(r"^Missing argument '(?P<name>[^']+)'\.?$"), N_("missing argument '{name}'"), None),
    (re.compile(r"^Missing option '(?P<name>[^']+)'\.?$"), N_("missing option '{name}'"), None),
    (re.compile(r"^No such command '(?P<name>[^']+)'\.?(?: Did you mean (?P<close>.+)\?)?$"),
     N_("no such command '{name}'"), N_("did you mean {close}?")),
    (re.compile(r"^Missing command\.?$"), N_("missing command"), None),
    # click writes "arguments", typer's bundled click "argument(s)"
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<name>.*)\)$"),
     N_("unexpected extra argument: {name}"), None),
    (re.compile(r"^Option '(?P<name>[^']+)' requires an argument\.?$"), N_("option '{name}' needs a value"),
     None),
    # an option with a short form is named '--top' / '-n'
    (re.compile(r"^Invalid value for '(?P<name>.+?)': (?P<reason>.*)$"),
     N_("invalid value for '{name}': {reason}"), None),
)

# Why a value was refused, as click's types word it (the reason of "Invalid value for …").
_REASONS = (
    (re.compile(r"^(?P<value>.+) is not in the range (?P<range>.+?)\.?$"),
     N_("{value} is out of the allowed range ({range})")),
    (re.compile(r"^(?P<value>'.*') is not a valid (?:int|integer|float)(?: range)?\.?$"),
     N_("{value} is not a number")),
    (re.compile(r"^(?P<value>'.*') is not one of (?P<choices>.+?)\.?$"),
     N_("{value} is not one of {choices}")),
    (re.compile(r"^(?P<value>'.*') is not a valid boolean\b.*$"),
     N_("{value} is neither true nor false")),
)


def localize_help(text: str) -> str:
    """click's help text with its fixed English headings and markers in the language in force."""
    text = _BRACED.sub(r"\1", text)
    if language() == "en":
        return text
    lines = []
    for line in text.split("\n"):
        heading = _HELP_HEADINGS.get(line.strip())
        if heading is not None:
            lines.append(_(heading))
            continue
        for english, entry in _HELP_FRAGMENTS:
            line = line.replace(english, _(entry))
        lines.append(line)
    text = "\n".join(lines)
    for english, entry in _HELP_FRAGMENTS:  # a long fragment may be wrapped over lines: match any white space
        if " " in english:
            text = re.sub(r"\s+".join(map(re.escape, english.split())), _(entry), text)
    lines = text.split("\n")
    # a default may be wrapped onto the next line: match it over the whole text
    text = _ENV_VAR.sub(lambda m: _("[env var: {name}]").format(name=m.group(1)), "\n".join(lines))
    return _DEFAULT.sub(lambda m: _("[default: {value}]").format(value=m.group(2)), text)


def help_width(columns: int) -> int:
    """Characters per help line. click counts characters and a Chinese one fills two columns, but its wrapper
    breaks Chinese text only at the width (mid-word for `painpoint.toml`): a wide line that the terminal
    wraps reads better than a narrow one cut inside names, so Chinese help uses the whole terminal width."""
    return min(columns, 80) if language() == "en" else max(80, min(columns, 160))


def localize_error(message: str) -> str:
    """One usage error of click's in the language in force (unknown ones come back as they are)."""
    for pattern, entry, extra in _ERRORS:
        m = pattern.match(message.strip())
        if m is None:
            continue
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        if "reason" in groups:
            groups["reason"] = _localize_reason(groups["reason"])
        if "options" in groups:  # near options, each a real choice: offered like click's "Did you mean"
            groups["close"] = groups.pop("options")
        text = _(entry).format(**{k: v for k, v in groups.items() if k != "close"})
        if extra is not None and "close" in groups:
            text += " — " + _(extra).format(close=groups["close"])
        return text
    return message


def _localize_reason(reason: str) -> str:
    for pattern, entry in _REASONS:
        m = pattern.match(reason.strip())
        if m is not None:
            return _(entry).format(**m.groupdict())
    return reason
