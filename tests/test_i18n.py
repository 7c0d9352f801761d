"""The message catalogue: every message a person reads exists in Chinese and English, and the .mo is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from painpoint import i18n

babel = pytest.importorskip("babel", reason="babel (a dev dependency) extracts the catalogue")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

SRC = Path(i18n.__file__).parent
PO = SRC / "locale" / "zh_CN" / "LC_MESSAGES" / "painpoint.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*(?:[:!][^}]*)?\}")


def _source_messages() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            SRC, method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.update(message if isinstance(message, tuple) else (message,))
    return {m for m in found if m}


def _entries() -> list[tuple[tuple[str, ...], str]]:
    """(msgid, or singular and plural; the Chinese) for every catalogue entry (Chinese has one plural form)."""
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    out = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        out.append((ids, strs[0] if strs else ""))
    return out


def _catalogue() -> dict[str, str]:
    return {mid: text for ids, text in _entries() for mid in ids}


def test_every_message_in_the_source_has_a_chinese_translation() -> None:
    catalogue = _catalogue()
    missing = sorted(m for m in _source_messages() if not catalogue.get(m))
    assert not missing, f"{len(missing)} message(s) without Chinese (run `make i18n`, translate): {missing[:10]}"


def test_translations_keep_their_placeholders() -> None:
    wrong = [(mid, text) for mid, text in _catalogue().items()
             if text and sorted(PLACEHOLDER.findall(mid)) != sorted(PLACEHOLDER.findall(text))]
    assert not wrong, wrong[:5]


def test_lines_that_start_with_the_program_name_keep_its_ascii_colon() -> None:
    """`painpoint: …` on stderr reads the same in both languages (scripts grep for it), never `painpoint：`."""
    wrong = [msgstr for msgid, msgstr in _catalogue().items()
             if msgid.startswith("painpoint: ") and not msgstr.startswith("painpoint: ")]
    assert wrong == []


def test_the_compiled_catalogue_is_current() -> None:
    i18n.set_language("zh")
    try:
        stale = [ids for ids, text in _entries() if text and (
            i18n._(ids[0]) if len(ids) == 1 else i18n.ngettext(ids[0], ids[1], 2)) != text]
    finally:
        i18n.set_language("en")
    assert not stale, f"painpoint.mo is older than painpoint.po (run `make i18n`): {stale[:5]}"


@pytest.mark.parametrize(("value", "expected"), [
    ("zh", "zh"), ("zh_CN.UTF-8", "zh"), ("zh-Hans", "zh"), ("en_US.UTF-8", "en"), ("C", "en"), ("POSIX", "en"),
])
def test_normalise(value: str, expected: str) -> None:
    assert i18n.normalise(value) == expected


def test_language_precedence() -> None:
    env = {"PAINPOINT_LANG": "en", "LC_ALL": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}
    assert i18n.resolve_language("zh", env) == "zh"
    assert i18n.resolve_language(None, env) == "en"
    assert i18n.resolve_language(None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert i18n.resolve_language(None, {"LC_MESSAGES": "en_GB", "LANG": "zh_CN"}) == "en"
    assert i18n.resolve_language(None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert i18n.resolve_language(None, {}) == "en"
    with pytest.raises(ValueError, match="PAINPOINT_LANG"):
        i18n.resolve_language(None, {"PAINPOINT_LANG": "klingon"})


def test_no_message_is_wrapped_inside_an_f_string() -> None:
    """Babel cannot see `_()` inside an f-string: such a message would never reach the catalogue."""
    import ast

    hidden = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.name}:{call.lineno}" for call in ast.walk(node) if isinstance(call, ast.Call)
                           and isinstance(call.func, ast.Name) and call.func.id in KEYWORDS]
    assert not hidden, hidden


def test_no_function_both_translates_and_binds_underscore() -> None:
    """`for _, x in …` in a function that also calls `_()` makes `_` local there: the call then fails."""
    import ast

    clashes = []
    for path in sorted(SRC.rglob("*.py")):
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            names = list(ast.walk(fn))
            binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                        for n in _own_scope(fn))  # a comprehension's `_` is its own
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in names)
            if binds and calls:
                clashes.append(f"{path.name}:{fn.lineno} {fn.name}")
    assert not clashes, clashes


def _own_scope(node: object) -> list[object]:
    """The nodes of a function body outside nested comprehensions, lambdas and functions."""
    import ast

    scopes = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.FunctionDef,
              ast.AsyncFunctionDef, ast.ClassDef)
    out: list[object] = []
    stack = list(ast.iter_child_nodes(node))  # type: ignore[arg-type]
    while stack:
        child = stack.pop()
        out.append(child)
        if not isinstance(child, scopes):
            stack.extend(ast.iter_child_nodes(child))
    return out
