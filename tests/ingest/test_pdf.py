"""PDFs: the Chinese text layer page by page; encrypted, damaged and scanned files refused clearly."""

from __future__ import annotations

import importlib.util
import io
import re
from pathlib import Path

import pypdf
import pytest

from painpoint.errors import InputError
from painpoint.ingest import read_document

from .builders import PLAN_LINES, make_pdf

PAGES = [list(PLAN_LINES[:2]), list(PLAN_LINES[2:])]
HAS_CRYPTOGRAPHY = importlib.util.find_spec("cryptography") is not None


def write(tmp_path: Path, data: bytes, name: str = "plan.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def encrypted(user_password: str, algorithm: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(PAGES))))
    writer.encrypt(user_password, owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_chinese_text_layer_page_by_page(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, make_pdf(PAGES)))
    assert doc.lines == PLAN_LINES
    assert doc.line_numbers == (1, 2, 3, 4)
    assert doc.format == "pdf"
    assert doc.title is None


def test_kangxi_radicals_in_the_text_layer_are_folded(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, make_pdf([["推进⼀⽼⼀⼩⼯作"]])))
    assert doc.lines == ("推进一老一小工作",)


def test_encrypted_with_a_password(tmp_path: Path) -> None:
    path = write(tmp_path, encrypted("secret", "RC4-128"))
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: encrypted PDF (加密) — remove the password first"


def test_owner_password_only_is_read(tmp_path: Path) -> None:
    # Permission-restricted PDFs (no printing, no copying) open with the empty user password.
    assert read_document(write(tmp_path, encrypted("", "RC4-128"))).lines == PLAN_LINES


def test_aes_without_cryptography_names_the_missing_package(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the cryptography package pypdf raises DependencyError as soon as it tries the empty password of
    # an AES file; simulate that, since cryptography is a dependency of painpoint and is installed here.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def no_aes(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", no_aes)
    with pytest.raises(InputError) as caught:
        read_document(write(tmp_path, encrypted("", "RC4-128")))
    assert caught.value.message == "encrypted PDF (AES, 加密)"
    assert "cryptography" in (caught.value.hint or "")


@pytest.mark.skipif(not HAS_CRYPTOGRAPHY, reason="needs the cryptography package to write AES")
def test_aes_owner_password_only_is_read(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, encrypted("", "AES-128"))).lines == PLAN_LINES


@pytest.mark.parametrize("keep", [0.5, 0.1, 20])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    data = make_pdf(PAGES)
    size = int(len(data) * keep) if keep < 1 else int(keep)
    with pytest.raises(InputError) as caught:
        read_document(write(tmp_path, data[:size]))
    assert caught.value.message.startswith("damaged PDF")


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="damaged PDF"):
        read_document(write(tmp_path, "这不是PDF".encode()))


def test_empty_pdf_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="damaged PDF"):
        read_document(write(tmp_path, b""))


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError) as caught:
        read_document(write(tmp_path, buffer.getvalue()))
    assert caught.value.message == "no text layer (scanned PDF?)"
    assert (caught.value.hint or "").startswith("OCR it first")


def test_text_layer_of_unmapped_glyphs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unreadable text layer"):
        read_document(write(tmp_path, make_pdf([["\ue001\ue002\ue003\ue004规划"]])))


def test_pypdf_warnings_stay_quiet(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # A wrong startxref offset: pypdf repairs it, but would log "incorrect startxref pointer" to stderr.
    data = re.sub(rb"startxref\n(\d+)", lambda m: b"startxref\n%d" % (int(m.group(1)) + 7), make_pdf(PAGES))
    doc = read_document(write(tmp_path, data))
    assert doc.lines == PLAN_LINES
    assert capfd.readouterr().err == ""
