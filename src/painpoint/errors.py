"""Errors painpoint raises: one family, each with a message a user can act on."""

from __future__ import annotations

import re

# What a terminal acts on or that breaks a one-line message: C0 and C1 controls (escape sequences start with
# ESC or CSI), DEL, line and paragraph separators, bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` safe for one terminal line: control characters, newlines included, shown as escapes (\\x1b, \\n).

    File names and profile or plan text reach messages; an ESC in a file name must not recolour or clear the
    user's terminal, and a newline must not forge a second message line.
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return named.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


class PainpointError(Exception):
    """Base class: a problem the user can fix, reported as one line.

    `path` and `line` locate the problem when known; `hint` says what to do.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        tail = f" — {self.hint}" if self.hint else ""
        return printable(f"{where}{self.message}{tail}")


class InputError(PainpointError):
    """An input file cannot be read (missing, unreadable, corrupt, unsupported, too large)."""


class ProfileError(PainpointError):
    """An organization profile breaks the v1 schema; `problems` holds every `file: field: message` line."""

    def __init__(self, message: str, *, path: str | None = None, problems: list[str] | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, path=path, line=line, hint=hint)
        self.problems = problems or []


class ResourceError(PainpointError):
    """A packaged resource (lexicon, stop words, taxonomy) or user config is broken."""


class UsageError(PainpointError):
    """The command line asks for something impossible (exit code 2)."""


class ConfigError(UsageError):
    """painpoint.toml (or PAINPOINT_CONFIG) cannot be read or sets a wrong value (exit code 2)."""
