"""Traditional Chinese input: detect it cheaply and convert it to Simplified for analysis only."""

from __future__ import annotations

import re
from functools import cache

from painpoint.errors import ResourceError
from painpoint.i18n import _
from painpoint.text.resources import read_resource

_CJK_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00))


@cache
def traditional_characters() -> frozenset[str]:
    """Characters that only Traditional text uses (packaged list, see resources/traditional_chars.txt).

    A packaged list rather than one computed from OpenCC at start-up, so Simplified input never loads the
    converter: detection is one regex character-class search (is_traditional).
    """
    chars = "".join(line.strip() for line in read_resource("traditional_chars.txt").splitlines()
                    if line.strip() and not line.startswith("#"))
    return frozenset(chars)


def is_traditional(text: str) -> bool:
    """True when `text` contains a character that only Traditional Chinese writes."""
    return _traditional_pattern().search(text) is not None


@cache
def _traditional_pattern() -> re.Pattern[str]:
    """One character class of traditional_characters(): searched in C without making a string per character
    (~15× faster than a set lookup per character; compiled once, ~10 ms)."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(traditional_characters())) + "]")


@cache
def _opencc(config: str):  # type: ignore[no-untyped-def]
    try:
        import opencc

        return opencc.OpenCC(f"{config}.json")
    except Exception as exc:  # the C extension raises plain RuntimeError/ImportError on a broken install
        raise ResourceError(_("cannot load the Traditional-to-Simplified converter (opencc {config}): {reason}").format(
            config=config, reason=exc),
            hint=_("reinstall painpoint so that its opencc dependency is installed")) from exc


def _convert(text: str) -> str:
    # Taiwan writes 著 where Simplified writes 着 (看著), Hong Kong writes 衞 for 衛: plain t2s keeps both.
    # tw2s then hk2s reads Taiwan, Hong Kong/Macao and standard Traditional alike.
    return _opencc("hk2s").convert(_opencc("tw2s").convert(text))


def to_simplified(text: str) -> str:
    """`text` in Simplified characters, with exactly as many characters as `text`.

    Text without Traditional-only characters comes back unchanged and costs one character-class search.
    OpenCC converts phrase by phrase (乾隆 stays, 乾燥 becomes 干燥); where a phrase rule would change the
    length, the line is converted character by character instead, so an offset in the converted text is the
    same offset in the original and evidence can be cut from the original at the same place.
    """
    if not is_traditional(text):
        return text
    try:
        converted = _convert(text)
    except UnicodeError:  # a lone surrogate cannot reach the C library: convert around it
        converted = ""
    if len(converted) == len(text):
        return converted
    traditional = traditional_characters()
    out = []
    for ch in text:
        one = _convert(ch) if ch in traditional else ch
        out.append(one if len(one) == 1 else ch)
    return "".join(out)


def compute_traditional_characters() -> str:
    """The characters OpenCC's t2s changes and that no other character becomes (for regenerating the list).

    苧 becomes 苎 but 坏 is both a Simplified character and a variant OpenCC rewrites; keeping only characters
    that are never a conversion result leaves out every character Simplified text uses.
    """
    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi)]
    converted = _opencc("t2s").convert("\n".join(chars)).split("\n")
    changed = {a: b for a, b in zip(chars, converted, strict=True) if a != b}
    results = set(changed.values())
    return "".join(sorted(a for a in changed if a not in results))
