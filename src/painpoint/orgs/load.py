"""Reading organization profiles from YAML files and folders, reporting every problem of every file."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import yaml

from painpoint.errors import ProfileError
from painpoint.i18n import N_, _
from painpoint.orgs.files import MAX_PROFILE_BYTES, profile_files
from painpoint.orgs.profile import OrgProfile, _field, cap_problems, parse_profile, show_value

if TYPE_CHECKING:
    from painpoint.cache import Store

_CACHE_KIND = "profile"
_CORE_TAG_PREFIX = "tag:yaml.org,2002:"
_Construct = Callable[[yaml.SafeLoader, yaml.Node], Any]


class _UnsupportedTagError(yaml.constructor.ConstructorError):
    """A node carries a tag the safe constructor does not know (e.g. !!python/object)."""

    def __init__(self, tag: str, mark: yaml.Mark | None) -> None:
        super().__init__(None, None, f"unsupported YAML tag {tag}", mark)
        self.tag = tag


class _BadScalarError(yaml.constructor.ConstructorError):
    """A plain value resolves to a YAML type (date, int, ...) it is not a valid instance of."""

    def __init__(self, value: str, kind: str, mark: yaml.Mark | None) -> None:
        super().__init__(None, None, f"{show_value(value)} is not a valid {kind}", mark)
        self.value = value
        self.kind = kind


MAX_ALIASES = 100
"""Most aliases (`*name`) a profile may use; hand-written profiles use a few at most."""

MAX_ALIASED_NODES = 100_000
"""Most values all aliases of a profile may stand for together, counting each repetition.

A 1 MB file can name a 20,000-item list 36,000 times: 720 million values for everything that walks the data.
Counted while composing, before any Python object is built, so such a file is refused in milliseconds.
"""


class _AliasBudgetError(yaml.composer.ComposerError):
    """A profile's aliases stand for more values than MAX_ALIASED_NODES, or there are more than MAX_ALIASES."""


class _ProfileLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses unknown tags by name, records duplicate keys and bounds aliases.

    YAML silently keeps the last of two equal keys, which hides half of a hand-edited profile.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # (line, key, line of the first occurrence) for each repeated key.
        self.duplicate_keys: list[tuple[int, str, int]] = []
        self.aliases = 0
        self.aliased_nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if not self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        mark = self.peek_event().start_mark
        node = super().compose_node(parent, index)
        self.aliases += 1
        if node is not None:
            self.aliased_nodes += _count_nodes(node, MAX_ALIASED_NODES - self.aliased_nodes + 1)
        if self.aliases > MAX_ALIASES or self.aliased_nodes > MAX_ALIASED_NODES:
            raise _AliasBudgetError(None, None, "aliases", mark)
        return node  # type: ignore[no-any-return]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            first_line: dict[tuple[str, str], int] = {}
            for key_node, _value in node.value:
                # `<<` merge keys may legitimately repeat and override; check only plain scalar keys.
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _CORE_TAG_PREFIX + "merge":
                    continue
                line = key_node.start_mark.line + 1
                key = (key_node.tag, key_node.value)
                if key in first_line:
                    self.duplicate_keys.append((line, key_node.value, first_line[key]))
                else:
                    first_line[key] = line
        return super().construct_mapping(node, deep=deep)


def _count_nodes(node: yaml.Node, limit: int) -> int:
    """How many nodes `node` stands for, each repetition counted; stops past `limit` (so cycles end)."""
    count = 0
    stack = [node]
    while stack and count <= limit:
        current = stack.pop()
        count += 1
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack += (key, value)
    return count


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """Stand-in for SafeLoader's undefined-tag handler, so the tag can be named in the message."""
    tag = str(node.tag)
    if tag.startswith(_CORE_TAG_PREFIX):
        tag = "!!" + tag[len(_CORE_TAG_PREFIX):]
    raise _UnsupportedTagError(tag, node.start_mark)


def _with_mark(construct: _Construct, kind: str) -> _Construct:
    """Wrap a scalar constructor so a malformed value becomes a YAML error with a line number.

    PyYAML raises bare ValueError/IndexError for values such as `2020-13-45` (resolved as a date) or `0x_`.
    """

    def checked(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, IndexError, TypeError, AttributeError, OverflowError) as exc:
            raise _BadScalarError(str(node.value), kind, node.start_mark) from exc

    return checked


def _register_constructors() -> None:
    _ProfileLoader.add_constructor(None, _refuse_tag)
    for name in ("null", "bool", "int", "float", "binary", "timestamp"):
        tag = _CORE_TAG_PREFIX + name
        _ProfileLoader.add_constructor(tag, _with_mark(yaml.SafeLoader.yaml_constructors[tag],
                                                       "date" if name == "timestamp" else name))


_register_constructors()


def load_profile(path: str) -> OrgProfile:
    """Load and validate one profile file.

    Raises ProfileError listing every problem in `.problems` (one line each); its message is the first
    problem, with a count of the others.
    """
    profile, problems = _load_file(path)
    if profile is None:
        raise _profile_error(path, problems)
    return profile


def load_profiles(folder_or_files: Sequence[str] | str, *, cache: bool = False
                  ) -> tuple[list[OrgProfile], list[str]]:
    """Load every profile from folders and files, collecting problems instead of stopping.

    Each entry may be a folder (its `*.yaml` and `*.yml` files, not its subfolders, in name order; hidden
    files skipped) or a file (loaded whatever its name). A lone string is one entry. A file reached twice
    is loaded once. When two files share an id, the later one is dropped and reported naming both.
    Returns the valid profiles sorted by id, and the problem lines: bad entries first, then each file's
    problems in the order the files were read.

    `cache`: read and keep valid profiles' parsed form in the user cache (painpoint.cache), keyed by the
    file's path and bytes and painpoint's code digest. PyYAML's pure-Python safe loader takes ~1.4 ms per
    profile, 1.4 s for 1,000; the checked JSON form reads back ~10x faster. A profile with any problem is
    never stored, so its problems are reported on every run.
    """
    from painpoint.cache import open_store

    store = open_store() if cache else None
    entries = [folder_or_files] if isinstance(folder_or_files, str | os.PathLike) else list(folder_or_files)
    profiles: dict[str, OrgProfile] = {}
    seen_files: set[str] = set()
    files, problems = profile_files(entries)
    for file in files:
        real = os.path.realpath(file)
        if real in seen_files:
            continue
        seen_files.add(real)
        profile, file_problems = _load_file(file, store)
        problems += file_problems
        if profile is None:
            continue
        if profile.id in profiles:
            first = profiles[profile.id].path
            problems.append(f"{file}: id: " + _("duplicate id '{id}' (also in {first})").format(id=profile.id,
                                                                                               first=first))
            continue
        profiles[profile.id] = profile
    if store is not None and store.written:
        store.prune()
    return sorted(profiles.values(), key=lambda profile: profile.id), problems


def _load_file(path: str, store: Store | None = None) -> tuple[OrgProfile | None, list[str]]:
    profile, problems, digest = _load_text(path, store)
    return (replace(profile, digest=digest) if profile is not None else None), problems


def _load_text(path: str, store: Store | None) -> tuple[OrgProfile | None, list[str], str]:
    """The profile (or None), its problems and the SHA-256 of the bytes read."""
    text, problem, digest = _read_text(path)
    if text is None:
        return None, [problem], digest
    key = _cache_key(path, text) if store is not None else ""
    if store is not None and (cached := _cached(store, key)) is not None:
        return cached, [], digest
    profile, problems = _parse_text(path, text)
    if store is not None and profile is not None and not problems:
        from painpoint.cache import encode_value

        store.put(_CACHE_KIND, key, encode_value(profile))
    return profile, problems, digest


def _parse_text(path: str, text: str) -> tuple[OrgProfile | None, list[str]]:
    data, problems, where = _parse_yaml_where(text, path)
    if problems:
        return None, problems
    if data is None:
        return None, [f"{path}: " + _("file is empty — a profile needs at least id, name and mission")]
    return parse_profile(data, path, where)


def _cache_key(path: str, text: str) -> str:
    from painpoint.cache import package_digest, store_key
    from painpoint.text.segmenter import libraries_version

    return store_key("profile/1", package_digest(), libraries_version(), path,
                     hashlib.sha256(text.encode("utf-8")).hexdigest())


def _cached(store: Store, key: str) -> OrgProfile | None:
    """A profile stored by an earlier run, or None; an entry that fails its checks is deleted."""
    from painpoint.cache import CacheEntryError, decode_value

    payload = store.get(_CACHE_KIND, key)
    if payload is None:
        return None
    try:
        return decode_value(OrgProfile, payload)  # type: ignore[no-any-return]
    except CacheEntryError:
        store.discard(_CACHE_KIND, key)
        return None


def _read_text(path: str) -> tuple[str | None, str, str]:
    """(text or None, the problem when None, SHA-256 of the bytes read)."""
    if os.path.isdir(path):
        return None, f"{path}: " + _("is a folder, not a profile file"), ""
    try:
        with open(path, "rb") as file:
            # Read one byte past the limit rather than trusting stat: pipes and /dev files report size 0.
            raw = file.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError:
        return None, f"{path}: " + _("no such file"), ""
    except OSError as exc:
        return None, f"{path}: " + _("cannot read file: {reason}").format(reason=exc.strerror or exc), ""
    digest = hashlib.sha256(raw).hexdigest()
    if (document := _document_kind(path, raw)) is not None:
        return None, f"{path}: " + _("a {kind}, not a YAML profile").format(kind=_(document)) + _(
            " — is this an organization's own text? Draft a profile from it with: painpoint orgs import FILE"), digest
    if len(raw) > MAX_PROFILE_BYTES:
        too_large = _("file is larger than 1 MB — a profile is a short YAML file; check the path")
        return None, f"{path}: {too_large}", digest
    try:
        return raw.decode("utf-8-sig"), "", digest
    except UnicodeDecodeError as exc:
        return None, f"{path}: " + _("not UTF-8 text (byte 0x{byte:02x} at offset {offset}) — save the file as "
                                     "UTF-8").format(byte=raw[exc.start], offset=exc.start), digest


# What people pass as --orgs when they have no profile yet: their 机构介绍 as Word, WPS, PDF or a saved web page.
# Told by name or by the first bytes (a 机构介绍.docx renamed .yaml is still a Word file).
_DOCUMENT_SUFFIXES = {".docx": N_("Word document"), ".doc": N_("Word document"), ".wps": N_("WPS document"),
                      ".pdf": N_("PDF document"), ".html": N_("web page"), ".htm": N_("web page")}
_DOCUMENT_SIGNATURES = {"pdf": N_("PDF document"), "zip": N_("Word document"), "ole": N_("Word document"),
                        "html": N_("web page")}


def _document_kind(path: str, raw: bytes) -> str | None:
    """The kind of document (untranslated) when the file is a Word, WPS, PDF or HTML document, else None."""
    from painpoint.ingest.formats import signature

    kind = _DOCUMENT_SUFFIXES.get(os.path.splitext(path)[1].lower())
    return kind if kind is not None else _DOCUMENT_SIGNATURES.get(signature(raw) or "")


# The mistakes people make most when typing YAML on a Chinese keyboard or in a word processor, each found on
# its own line: YAML itself reports them late (at the next key) or not at all (`id：x` is a valid string).
_FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*：")
_NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?=[^\s/:])")
_TAB_INDENT = re.compile(r"^ *\t")


def common_mistakes(text: str) -> list[tuple[int, str]]:
    """(line, message) for each full-width colon after a key, missing space after a key's colon, or tab indent."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        if _TAB_INDENT.match(line):
            found.append((number, _("a tab indents this line — YAML indents with spaces only: replace the tab "
                                    "with spaces")))
        elif m := _FULL_WIDTH_COLON.match(line):
            found.append((number, _("full-width colon '：' after '{key}' — write '{key}: ' with an ASCII colon and "
                                    "a space").format(key=m.group(1))))
        elif m := _NO_SPACE_AFTER_COLON.match(line):
            found.append((number, _("no space after '{key}:' — write '{key}: value' (a space after the "
                                    "colon)").format(key=m.group(1))))
    return found


def _parse_yaml(text: str, path: str) -> tuple[object, list[str]]:
    """yaml.safe_load with problems as lines; constructs plain data only, never Python objects."""
    data, problems, _where = _parse_yaml_where(text, path)
    return data, problems


def _parse_yaml_where(text: str, path: str) -> tuple[object, list[str], dict[str, int]]:
    """_parse_yaml, and the line of each key and list item by its field (`projects[1].name` → 14)."""
    mistakes = common_mistakes(text)
    if mistakes:  # reported where they are, before YAML's own error at some later line
        return None, cap_problems([f"{path}:{line}: {message}" for line, message in mistakes], path), {}
    try:
        # The reader rejects control characters as soon as it is built, before any parsing.
        loader = _ProfileLoader(text)
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(exc, text, path)], {}
    where: dict[str, int] = {}
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        if node is not None:
            where = _field_lines(node)
    except _UnsupportedTagError as exc:
        return None, [f"{path}{_line(exc.problem_mark)}: " + _("unsupported YAML tag {tag} — profiles may contain "
                                                                "only plain data").format(tag=exc.tag)], {}
    except _AliasBudgetError as exc:
        return None, [_("{path}{line}: YAML aliases (*name) repeat too much (at most {aliases} aliases "
                        "standing for {nodes:,} values) — write each value once").format(
            path=path, line=_line(exc.problem_mark), aliases=MAX_ALIASES, nodes=MAX_ALIASED_NODES)], {}
    except _BadScalarError as exc:
        return None, [f"{path}{_line(exc.problem_mark)}: " + _("{value} is not a valid {kind} — quote it to keep it "
                                                                "as text").format(value=show_value(exc.value),
                                                                                  kind=exc.kind)], {}
    except yaml.MarkedYAMLError as exc:
        return None, [f"{path}{_line(exc.problem_mark)}: " + _syntax(_describe(exc))], {}
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(exc, text, path)], {}
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())[:200]  # PyYAML messages span lines; problems are one line
        return None, [f"{path}: " + _syntax(detail)], {}
    except RecursionError:
        return None, [f"{path}: " + _("YAML syntax error: nested too deeply — a profile is only a few levels deep")], {}
    finally:
        loader.dispose()
    problems = [f"{path}:{line}: " + _("duplicate key {key} (first at line {first}) — keep only one").format(
        key=show_value(key), first=first) for line, key, first in loader.duplicate_keys]
    return data, cap_problems(problems, path), where


def _field_lines(root: yaml.Node) -> dict[str, int]:
    """The line of each key and list item under the top-level mapping, by the field name problems use
    (`联系电话`, `projects[1].summry`, `region[0]`), so an unknown key is reported where it is written."""
    where: dict[str, int] = {}
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 0)]
    while stack:
        node, prefix, depth = stack.pop()
        if depth > 3:  # profiles are three levels deep (projects[0].partners[1]); deeper is not schema
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == _CORE_TAG_PREFIX + "merge":
                    continue
                field = _field(prefix, key.value)
                where.setdefault(field, key.start_mark.line + 1)
                stack.append((value, field, depth + 1))
        elif isinstance(node, yaml.SequenceNode) and prefix:
            for index, item in enumerate(node.value):
                where.setdefault(f"{prefix}[{index}]", item.start_mark.line + 1)
                stack.append((item, f"{prefix}[{index}]", depth + 1))
    return where


def _reader_problem(exc: yaml.reader.ReaderError, text: str, path: str) -> str:
    line = text.count("\n", 0, exc.position) + 1
    code = ord(exc.character) if isinstance(exc.character, str) else exc.character
    return f"{path}:{line}: " + _("YAML syntax error: character #x{code:04x} is not allowed in YAML — remove "
                                  "it").format(code=code)


def _syntax(detail: str) -> str:
    """A YAML syntax error with PyYAML's own description (in English: it is the library's text)."""
    return _("YAML syntax error: {detail} — fix the YAML").format(detail=detail)


# PyYAML's commonest complaints, said the way a person editing a profile by hand can act on them; (problem,
# context) as PyYAML words them, "" matching any. Anything else is shown in PyYAML's own English.
_PLAIN_PROBLEMS = (
    ("mapping values are not allowed here", "",
     N_("a second ':' on one line — put the whole value in quotes (mission: \"宗旨: …\")")),
    ("found unexpected end of stream", "while scanning a quoted scalar",
     N_("a quotation mark is opened and never closed")),
    ("did not find expected key", "", N_("this line's indentation does not line up with the lines above it")),
    ("did not find expected '-' indicator", "",
     N_("a line among list items without '-' — check its indentation")),
    ("found character", "",
     N_("a value starts with a character YAML reserves (@ ` % |) — put the value in quotes")),
)


def _plain(problem: str | None, context: str | None) -> str | None:
    for text, where, plain in _PLAIN_PROBLEMS:
        if problem is not None and problem.startswith(text) and (not where or context == where):
            return _(plain)
    if problem is not None and ", but found" in problem and (context or "").startswith("while parsing a block"):
        return _("this line's indentation does not line up with the lines above it")
    return None


def _describe(exc: yaml.MarkedYAMLError) -> str:
    mark, context_mark = exc.problem_mark, exc.context_mark
    if isinstance(exc, yaml.composer.ComposerError) and exc.problem == "but found another document":
        return _("a second document starts here (after '---'); a profile is one YAML document")
    if exc.problem == "could not find expected ':'" and context_mark is not None:
        # PyYAML notices on the next line; the line that lacks its ':' is where the key began
        return _("line {n} has no ':' — write 字段: 值").format(n=context_mark.line + 1)
    plain = _plain(exc.problem, exc.context)
    if exc.problem == "mapping values are not allowed here" and _line_text(mark).count(":") < 2:
        # one ':' on the line: it is a key indented deeper than its neighbours, not a value holding a colon
        plain = _("this line's indentation does not line up with the lines above it")
    problem = plain or exc.problem or exc.context or "invalid YAML"
    where = [_("column {n}").format(n=mark.column + 1)] if mark is not None else []
    if plain is None and exc.problem and exc.context and context_mark is not None:
        where.append(_("{context} started on line {n}").format(context=exc.context, n=context_mark.line + 1))
    elif plain is not None and (exc.context or "").startswith("while scanning a quoted") and context_mark is not None:
        where.append(_("it opens on line {n}").format(n=context_mark.line + 1))
    return f"{problem} ({', '.join(where)})" if where else problem


def _line_text(mark: yaml.Mark | None) -> str:
    """The text of the line `mark` points into ("" when PyYAML kept no buffer)."""
    buffer = getattr(mark, "buffer", None)
    if mark is None or not isinstance(buffer, str):
        return ""
    lines = buffer.split("\n")
    return lines[mark.line] if mark.line < len(lines) else ""


def _line(mark: yaml.Mark | None) -> str:
    return f":{mark.line + 1}" if mark is not None else ""


def _profile_error(path: str, problems: list[str]) -> ProfileError:
    # The error carries path and line itself, so its message is the first problem without them.
    first = problems[0]
    line: int | None = None
    message = first
    if first.startswith(f"{path}: "):
        message = first[len(path) + 2:]
    elif first.startswith(f"{path}:"):
        number, _sep, rest = first[len(path) + 1:].partition(": ")
        if number.isdigit():
            line, message = int(number), rest
    if len(problems) > 1:
        message += _(" (and {n} more)").format(n=len(problems) - 1)
    return ProfileError(message, path=path, line=line, problems=problems)
