"""discover: files and folders to a sorted list of documents, and a problem for each bad path."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import docx
import pytest

from painpoint.errors import InputError
from painpoint.ingest import SUPPORTED_SUFFIXES, discover, read_document
from painpoint.ingest import reader as reader_module
from painpoint.ingest.discover import SkipReason, discover_all

from .builders import PLAN_PARAGRAPH, make_pdf

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def touch(path: Path, text: str = "正文") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".html", ".htm", ".docx", ".doc", ".wps", ".pdf")


def test_folder_is_searched_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a.md", "sub/z.html", "sub/deeper/c.pdf", "c.DOCX", "notes.yaml", "image.png",
                 ".hidden.txt", ".git/config.txt", "~$lock.docx", "sub/y.htm"]:
        touch(tmp_path / "plans" / name)
    paths, problems = discover([str(tmp_path / "plans")])
    root = str(tmp_path / "plans")
    assert paths == [os.path.join(root, rel) for rel in
                     ["a.md", "b.txt", "c.DOCX", "sub/deeper/c.pdf", "sub/y.htm", "sub/z.html"]]
    # a picture is a document painpoint cannot read: reported with what to do, never skipped silently
    assert [(p.path, p.message) for p in problems] == [
        (os.path.join(root, "image.png"),
         "unsupported file type '.png' (supported: .txt .md .html .htm .docx .doc .wps .pdf)")]
    assert "OCR" in (problems[0].hint or "")


def test_every_file_in_a_folder_is_accounted_for(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    for name in ["a.txt", "old.doc", "wps.wps", "sheet.et", "slides.ppt", "bundle.zip", "scan.jpg", "notes.yaml",
                 ".hidden.txt", "~$a.docx", "out/report.html", "out/matches.json", "out/matches.csv"]:
        touch(root / name)
    found = discover_all([str(root)])
    assert found.files == [str(root / name) for name in ("a.txt", "old.doc", "wps.wps")]  # .doc/.wps are read
    unread = {os.path.basename(p.path): p.hint for p in found.problems}
    assert set(unread) == {"sheet.et", "slides.ppt", "bundle.zip", "scan.jpg"}
    assert "解压" in (unread["bundle.zip"] or "")
    skipped = {os.path.relpath(s.path, root): s.reason for s in found.skipped}
    assert skipped == {".hidden.txt": SkipReason.HIDDEN, "~$a.docx": SkipReason.LOCK_FILE,
                       "notes.yaml": SkipReason.NOT_A_DOCUMENT, "out/report.html": SkipReason.OWN_OUTPUT,
                       "out/matches.json": SkipReason.OWN_OUTPUT, "out/matches.csv": SkipReason.OWN_OUTPUT}
    assert all(reason.label for reason in skipped.values())


def test_a_report_html_alone_is_a_plan_not_painpoints_output(tmp_path: Path) -> None:
    touch(tmp_path / "plans" / "report.html", "<p>正文</p>")
    assert discover_all([str(tmp_path / "plans")]).files == [str(tmp_path / "plans" / "report.html")]


def test_folder_members_keep_the_users_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path / "plans" / "a.txt")
    monkeypatch.chdir(tmp_path)
    assert discover(["plans/"]) == (["plans/a.txt"], [])
    assert discover(["./plans"]) == (["./plans/a.txt"], [])


def test_explicit_files_are_taken_as_given_even_hidden(tmp_path: Path) -> None:
    hidden = touch(tmp_path / ".draft.txt")
    plain = touch(tmp_path / "plan.md")
    assert discover([str(plain), str(hidden)]) == ([str(plain), str(hidden)], [])


def test_unsupported_explicit_file_names_what_is_supported(tmp_path: Path) -> None:
    path = touch(tmp_path / "plan.xyz")
    paths, problems = discover([str(path)])
    assert paths == []
    [problem] = problems
    assert problem.path == str(path)
    assert problem.message == "unsupported file type '.xyz' (supported: .txt .md .html .htm .docx .doc .wps .pdf)"


def test_rtf_file_gets_a_conversion_hint(tmp_path: Path) -> None:
    path = touch(tmp_path / "plan.rtf")
    [problem] = discover([str(path)])[1]
    assert str(problem) == (f"{path}: unsupported file type '.rtf'"
                            " (supported: .txt .md .html .htm .docx .doc .wps .pdf)"
                            " — save it as .docx in Word/WPS (另存为 .docx)")


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    paths, problems = discover([missing])
    assert paths == []
    assert [(p.path, p.message) for p in problems] == [(missing, "no such file or folder")]
    with pytest.raises(InputError) as caught:
        read_document(missing)
    assert str(caught.value) == f"{missing}: no such file or folder — check the path"


def test_empty_folder_is_a_problem(tmp_path: Path) -> None:
    touch(tmp_path / "docs" / "readme.rst")
    [problem] = discover([str(tmp_path / "docs")])[1]
    assert problem.message == "no supported files in folder"


def test_same_file_twice_is_listed_once(tmp_path: Path) -> None:
    path = touch(tmp_path / "plans" / "a.txt")
    paths, problems = discover([str(tmp_path / "plans"), str(path), str(tmp_path / "plans")])
    assert paths == [str(path)]
    assert problems == []


def test_symlink_loops_end(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    touch(root / "a.txt")
    touch(root / "sub" / "b.txt")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)  # a cycle through an ancestor
    (root / "self.txt").symlink_to(root / "self.txt")  # a link to itself
    (root / "gone.txt").symlink_to(root / "missing.txt")
    result: list[tuple[list[str], list[InputError]]] = []
    worker = threading.Thread(target=lambda: result.append(discover([str(root)])), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "discover did not finish: symlink loop"
    paths, problems = result[0]
    assert paths == [str(root / "a.txt"), str(root / "sub" / "b.txt")]
    assert sorted((Path(p.path or "").name, p.message) for p in problems) == [
        ("gone.txt", "broken symbolic link"), ("self.txt", "symbolic link loop")]


def test_a_folder_given_to_read_document(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_document(str(tmp_path))


def test_file_without_suffix(tmp_path: Path) -> None:
    path = touch(tmp_path / "README")
    with pytest.raises(InputError) as caught:
        read_document(str(path))
    assert caught.value.message == "file name has no suffix (supported: .txt .md .html .htm .docx .doc .wps .pdf)"


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert [p.message for p in discover([str(fifo)])[1]] == ["not a regular file"]
    with pytest.raises(InputError, match="not a regular file"):
        read_document(str(fifo))


def test_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs even as root, where chmod cannot take read access away.
    path = touch(tmp_path / "secret.txt")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader_module, "open", refuse, raising=False)
    with pytest.raises(InputError) as caught:
        read_document(str(path))
    assert str(caught.value) == f"{path}: permission denied — make it readable (chmod +r) or copy it"


@pytest.mark.skipif(IS_ROOT, reason="root can read any file")
def test_unreadable_file_and_folder(tmp_path: Path) -> None:
    secret = touch(tmp_path / "secret.txt")
    secret.chmod(0)
    locked = tmp_path / "locked"
    touch(locked / "a.txt")
    locked.chmod(0)
    try:
        with pytest.raises(InputError) as caught:
            read_document(str(secret))
        assert caught.value.message == "permission denied"
        paths, problems = discover([str(locked)])
        assert paths == []
        assert [p.message for p in problems] == ["permission denied"]
    finally:
        locked.chmod(0o755)


def test_one_bad_file_among_good_ones(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    touch(root / "a_plan.txt", PLAN_PARAGRAPH)
    touch(root / "b_empty.txt", "")
    touch(root / "c_page.html", f"<p>{PLAN_PARAGRAPH}</p>")
    (root / "d_broken.pdf").write_bytes(make_pdf([[PLAN_PARAGRAPH]])[:300])
    (root / "e_plan.pdf").write_bytes(make_pdf([[PLAN_PARAGRAPH]]))
    (root / "f_old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    word = docx.Document()
    word.add_paragraph(PLAN_PARAGRAPH)
    word.save(str(root / "g_plan.docx"))
    paths, problems = discover([str(root)])
    assert problems == []
    documents = []
    failures = []
    for path in paths:
        try:
            documents.append(read_document(path))
        except InputError as exc:
            failures.append((Path(path).name, exc.message))
    names = [Path(d.path).name for d in documents]
    assert names == ["a_plan.txt", "c_page.html", "e_plan.pdf", "g_plan.docx"]
    assert all(d.lines == (PLAN_PARAGRAPH,) for d in documents)
    assert failures == [("b_empty.txt", "empty file"), ("d_broken.pdf", "damaged PDF"),
                        ("f_old.docx", "not a Word .docx file")]
