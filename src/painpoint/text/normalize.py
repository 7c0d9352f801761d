"""Line normalisation: compatibility forms folded (NFKC), Chinese punctuation kept full-width."""

from __future__ import annotations

import re
import unicodedata

KEPT_CHARACTERS = frozenset(
    # Chinese punctuation that NFKC would turn into ASCII (， → ,  （ → (  … → ...); sentence splitting
    # and heading patterns such as （一） rely on the full-width forms.
    "，；：？！（）～…"
    # The rest of the brief's list is untouched by NFKC today; listed so the promise is explicit.
    "。、“”‘’《》【】—〔〕「」『』"
    # Circled numbers mark list items; NFKC turns ① into "1", which glues it to a following number.
    + "".join(chr(c) for c in range(0x2460, 0x2474))  # ①..⑳
    + "".join(chr(c) for c in range(0x3251, 0x3260))  # ㉑..㉟
    + "".join(chr(c) for c in range(0x32B1, 0x32C0))  # ㊱..㊿
    # Parenthesised ideographs (㈠..㈩) would become "(一)" with ASCII brackets.
    + "".join(chr(c) for c in range(0x3220, 0x322A))
)
"""Characters `normalize_line` leaves exactly as they are."""

# Invisible format characters that only get in the way of matching words: zero-width space/joiners,
# direction marks, word joiner and invisible operators, byte order mark, soft hyphen, and the interlinear
# annotation marks. Noncharacters (U+FDD0..U+FDEF, U+FFFE, U+FFFF) carry no text either.
_DROPPED = (
    [0x00AD, 0x180E, 0xFEFF, 0xFFFE, 0xFFFF]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + list(range(0xFDD0, 0xFDF0))
    + list(range(0xFFF9, 0xFFFC))
)

# Control characters become spaces rather than vanishing, so words on either side stay apart.
_CONTROLS = list(range(0x00, 0x20)) + list(range(0x7F, 0xA0))


class _NfkcTable(dict[int, "str | int | None"]):
    """A str.translate table that folds each character with NFKC the first time it is seen.

    Working per character is what lets `KEPT_CHARACTERS` survive; caching keeps a 2-million-character
    line to one dictionary lookup per character.
    """

    def __missing__(self, code: int) -> str | int:
        folded = unicodedata.normalize("NFKC", chr(code))
        value: str | int = code if folded == chr(code) else folded
        self[code] = value
        return value


_TABLE = _NfkcTable()
_TABLE.update({ord(c): ord(c) for c in KEPT_CHARACTERS})
_TABLE.update(dict.fromkeys(_DROPPED))
_TABLE.update(dict.fromkeys(_CONTROLS, " "))

_WHITESPACE = re.compile(r"\s+")

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_line(s: str) -> str:
    """Return `s` folded for matching, with Chinese punctuation kept.

    Full-width letters, digits and spaces become ASCII, the ideographic space a plain space, compatibility
    ideographs and Kangxi radicals (common in PDF text layers) the ordinary character; zero-width
    characters and byte order marks disappear; runs of whitespace become one space; ends are stripped.
    The characters in `KEPT_CHARACTERS` are left alone.
    """
    folded = s.translate(_TABLE)
    # Per-character folding cannot compose a letter with a following combining accent; NFC does that
    # and, being canonical-only, leaves the kept punctuation alone.
    if not folded.isascii():
        folded = unicodedata.normalize("NFC", folded)
    return _WHITESPACE.sub(" ", folded).strip()


def to_halfwidth_digits(s: str) -> str:
    """Replace full-width digits (０-９) with ASCII digits and leave everything else alone."""
    return s.translate(_FULLWIDTH_DIGITS)
