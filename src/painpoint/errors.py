"""Errors painpoint raises: one family, each with a message a user can act on."""

from __future__ import annotations


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
        return f"{where}{self.message}{tail}"


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
