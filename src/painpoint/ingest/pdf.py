"""PDF files: the text layer, page by page, line by line (no OCR)."""

from __future__ import annotations

import io
import logging
import re
import warnings

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError

from painpoint.errors import InputError
from painpoint.i18n import N_, _
from painpoint.ingest.formats import Extraction, append_normalized
from painpoint.ingest.text import split_source_lines

# pypdf logs a warning for every repairable flaw ("EOF marker not found", odd xref offsets); the user can
# do nothing about them, and a flaw that matters ends up as an InputError anyway.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

# Glyphs from fonts without a Unicode map come out as private-use characters or U+FFFD.
_UNMAPPED = re.compile("[\ue000-\uf8ff\ufffd]")
_MAX_UNMAPPED_SHARE = 0.3

_OCR_HINT = N_("OCR it first (e.g. ocrmypdf -l chi_sim, or WPS 图片转文字)")


def read_pdf(path: str, data: bytes) -> Extraction:
    """Return the text layer's non-empty lines numbered 1, 2, 3... across all pages."""
    lines: list[str] = []
    page_number = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise _encrypted(path)
            pages = reader.pages
            for index in range(len(pages)):
                page_number = index + 1
                append_normalized(lines, split_source_lines(pages[index].extract_text() or ""), path)
        except InputError:
            raise
        except (FileNotDecryptedError, WrongPasswordError) as exc:
            raise _encrypted(path) from exc
        except DependencyError as exc:
            # AES needs the optional 'cryptography' package, even to try the empty password.
            raise InputError(_("encrypted PDF (AES, 加密)"), path=path,
                             hint=_("remove the password first, or install the 'cryptography' package")) from exc
        except Exception as exc:  # broad on purpose: pypdf raises arbitrary types on damaged files
            what = (_("damaged PDF (page {page} unreadable)").format(page=page_number) if page_number
                    else _("damaged PDF"))
            raise InputError(what, path=path, hint=_("download it again, or open it and save a new copy")) from exc
    if not lines:
        raise InputError(_("no text layer (scanned PDF?)"), path=path, hint=_(_OCR_HINT))
    text = "".join(lines)
    if sum(1 for _ in _UNMAPPED.finditer(text)) > len(text) * _MAX_UNMAPPED_SHARE:
        raise InputError(_("unreadable text layer (fonts without a Unicode map)"), path=path,
                         hint=_(_OCR_HINT))
    return Extraction(tuple(lines), tuple(range(1, len(lines) + 1)))


def _encrypted(path: str) -> InputError:
    return InputError(_("encrypted PDF (加密)"), path=path, hint=_("remove the password first"))
