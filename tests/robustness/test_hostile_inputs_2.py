"""Hostile inputs, round two: special output targets, alias bombs, formula injection, control characters,
report files as a set, edit-and-revert during a run, an expanding docx, folder walks through links, and the
smaller cases. Every hostile input is generated here; each case answers within seconds."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint.cli import app
from painpoint.errors import PainpointError
from painpoint.report.write import atomic_write, write_files

runner = CliRunner()
GOOD = ("示例县民政局2025年工作要点\n一、兜牢民生底线\n农村低保标准提高到每人每月620元。\n"
        "做好养老服务和困难群众救助工作。\n")
PROFILE = "id: {id}\nname: '{name}'\nmission: 为困难家庭和老年人提供养老服务与社会救助。\nservices: [养老服务, 低保]\n"


def _plan(folder: Path, name: str = "plan.txt", text: str = GOOD) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _temporaries(*folders: Path) -> list[str]:
    return [name for folder in folders for name in os.listdir(folder) if name.endswith(".tmp")]


# ---- 1. output onto symlinks, FIFOs, devices and other special files ----------------------------------------

def test_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    atomic_write(link, "新的")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == "新的"
    assert _temporaries(tmp_path, elsewhere) == []


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    atomic_write(link, "x")
    assert link.is_symlink() and (tmp_path / "new.json").read_text(encoding="utf-8") == "x"


def test_output_onto_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(PainpointError, match="symbolic link loop"):
        atomic_write(loop, "x")
    assert loop.is_symlink()


def test_output_to_a_fifo_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    atomic_write(fifo, "经由管道", bom=True)
    reader.join(5)
    assert received == ["\ufeff经由管道".encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO is still a FIFO"
    assert _temporaries(tmp_path) == []


def test_output_to_a_character_device_leaves_it_a_device() -> None:
    atomic_write("/dev/null", "discarded")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_cli_output_to_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    plan = _plan(tmp_path / "plans")
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "out.json"
    link.symlink_to(target)
    result = runner.invoke(app, ["scan", str(plan), "-f", "json", "-o", str(link), "--no-cache"])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and '"painpoint.scan/1"' in target.read_text(encoding="utf-8")


def test_output_onto_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    if len(str(path)) > 100:
        pytest.skip("tmp_path too long for a Unix socket")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(PainpointError, match="is a socket, not a file painpoint can write"):
            atomic_write(path, "x")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_long_chinese_output_name_fits(tmp_path: Path) -> None:
    """84 CJK characters are 252 bytes of a 255-byte name: the temporary name must not add to it."""
    target = tmp_path / ("规" * 80 + ".csv")
    assert len(target.name.encode()) == 244
    longest = tmp_path / ("划" * 84)
    for path in (target, longest):
        atomic_write(path, "ok")
        assert path.read_text(encoding="utf-8") == "ok"
    assert _temporaries(tmp_path) == []


# ---- 2. YAML alias bomb under the size cap ---------------------------------------------------------------

def test_alias_bomb_under_the_size_cap_is_refused_fast(tmp_path: Path) -> None:
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    items = "".join(f"  - item{i}\n" for i in range(20_000))
    refs = "  - *a\n" * 36_000
    bomb = orgs / "bomb.yaml"
    bomb.write_text(f"id: bomb\nname: x\nmission: y\nregion: &a\n{items}services:\n{refs}", encoding="utf-8")
    assert bomb.stat().st_size < 1024 * 1024
    start = time.perf_counter()
    result = runner.invoke(app, ["orgs", "check", str(orgs)])
    assert time.perf_counter() - start < 10
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if "bomb.yaml" in x]
    # each alias stands for 20,001 values: the fifth (line 20,010) passes 100,000
    assert line.startswith(f"{bomb}:20010: YAML aliases (*name) repeat too much")


def test_a_few_aliases_still_load(tmp_path: Path) -> None:
    from painpoint.orgs import load_profile

    path = tmp_path / "ok.yaml"
    path.write_text("id: ok\nname: x\nmission: y\nregion: &r [示例县]\nprojects:\n"
                    "  - {name: a, partners: *r}\n  - {name: b, partners: *r}\n", encoding="utf-8")
    assert load_profile(str(path)).projects[1].partners == ("示例县",)


# ---- 3. formula injection in CSV and xlsx ---------------------------------------------------------------

FORMULA = '=HYPERLINK("http://example.invalid/x","点此")'


def _formula_inputs(tmp_path: Path) -> tuple[Path, Path]:
    plans = tmp_path / "plans"
    _plan(plans, "plan.txt")
    _plan(plans, "title.txt", FORMULA + GOOD)
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "evil.yaml").write_text(PROFILE.format(id="evil", name=FORMULA.replace("'", "''")), encoding="utf-8")
    (orgs / "plus.yaml").write_text(PROFILE.format(id="plus", name="+1 养老服务"), encoding="utf-8")
    return plans, orgs


def _assert_no_live_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                float(cell)  # only a number may start so


def test_csv_cells_are_never_formulas(tmp_path: Path) -> None:
    from painpoint.report.cells import to_csv

    text = to_csv(["=header", "n"], [["@SUM(A1)", -0.5], ["-2+3", "-1.25"], ["\tx", 3]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=header", "n"], ["'@SUM(A1)", "-0.5"], ["'-2+3", "-1.25"], ["'\tx", "3"]]
    _assert_no_live_formula(rows)


def test_scan_and_match_csv_neutralise_plan_and_profile_text(tmp_path: Path) -> None:
    plans, orgs = _formula_inputs(tmp_path)
    scan = runner.invoke(app, ["scan", str(plans), "-f", "csv", "--no-cache"])
    assert scan.exit_code == 0, scan.stderr
    rows = list(csv.reader(io.StringIO(scan.stdout.lstrip("\ufeff"))))
    assert "'" + FORMULA + GOOD.splitlines()[0] in {row[1] for row in rows}  # the title column
    _assert_no_live_formula(rows)
    out = tmp_path / "report"
    report = runner.invoke(app, ["report", "--plans", str(plans), "--orgs", str(orgs), "--out", str(out),
                                 "--no-cache"])
    assert report.exit_code == 0, report.stderr
    rows = list(csv.reader(io.StringIO((out / "matches.csv").read_text(encoding="utf-8-sig"))))
    assert "'" + FORMULA in {row[3] for row in rows}
    _assert_no_live_formula(rows)


def test_xlsx_has_no_formula_cell_headers_included(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    from painpoint.report.xlsx import _sheet

    wb = Workbook()
    _sheet(wb, "t", ["组织", FORMULA], [[FORMULA, 0.5], ["@x", -1.0]], [10, 10], number_cols=(2,))
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue()))["t"]
    assert ws["B1"].value == FORMULA and ws["B1"].data_type == "s" and ws["B1"].quotePrefix
    assert ws["A2"].data_type == "s" and ws["A3"].data_type == "s"
    assert ws["B3"].value == -1.0 and ws["B3"].data_type == "n"


def test_report_workbook_has_no_formula_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    plans, orgs = _formula_inputs(tmp_path)
    out = tmp_path / "report"
    assert runner.invoke(app, ["report", "--plans", str(plans), "--orgs", str(orgs), "--out", str(out),
                               "--no-cache"]).exit_code == 0
    with zipfile.ZipFile(out / "matches.xlsx") as package:
        sheets = [package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    book = load_workbook(out / "matches.xlsx")
    names = [c.value for c in book["组织×部门"]["A"]]
    assert FORMULA in names
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


# ---- 4. control characters in profiles; escapes in messages ----------------------------------------------

@pytest.mark.parametrize(("escape", "code"), [("\\e", "001B"), ("\\0", "0000"), ("\\uFFFE", "FFFE"),
                                              ("\\u202E", "202E")])
def test_control_characters_in_a_profile_are_refused_at_load(tmp_path: Path, escape: str, code: str) -> None:
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "ctl.yaml").write_text(f'id: ctl\nname: "示例{escape}协会"\nmission: 服务。\n', encoding="utf-8")
    result = runner.invoke(app, ["orgs", "check", str(orgs)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (f"{orgs / 'ctl.yaml'}:2: name: contains the control character "
                                             f"U+{code}, which is not text — remove it")


def test_pitch_docx_and_report_fail_cleanly_on_a_control_character(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    _plan(plans)
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "a.yaml").write_text(PROFILE.format(id="good", name="示例协会"), encoding="utf-8")
    (orgs / "b.yaml").write_text('id: bad\nname: "x\\ey"\nmission: 养老服务。\n', encoding="utf-8")
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", "--plans", str(plans), "--orgs", str(orgs), "--out", str(out),
                                 "--no-cache"])
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert "U+001B" in result.stderr and (out / "report.html").is_file()
    brief = tmp_path / "brief.docx"
    result = runner.invoke(app, ["pitch", "--org", "good", "-d", "民政局", "--plans", str(plans), "--orgs",
                                 str(orgs), "-f", "docx", "-o", str(brief)])
    assert "internal error" not in result.stderr and brief.is_file()


def test_escape_sequences_in_file_names_are_shown_not_sent(tmp_path: Path) -> None:
    name = "bad\x1b[2J\nforged line.txt"
    (tmp_path / name).write_bytes(b"")
    result = runner.invoke(app, ["scan", str(tmp_path / name), "-f", "json", "--no-cache"])
    assert result.exit_code == 1
    # one line for the file, then the summary: the newline in its name did not forge a line
    assert "\x1b" not in result.stderr and len(result.stderr.strip().splitlines()) == 2
    assert "bad\\x1b[2J\\nforged line.txt" in result.stderr


def test_table_header_shows_escapes_of_a_file_name(tmp_path: Path) -> None:
    path = _plan(tmp_path, "a\x1b]0;title\x07.txt")
    result = runner.invoke(app, ["scan", str(path), "--no-cache"])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\\x1b]0;title\\x07" in result.stdout


# ---- 5. report files as a set ------------------------------------------------------------------------------

def _report(tmp_path: Path, out: Path) -> None:
    plans = tmp_path / "plans"
    _plan(plans)
    result = runner.invoke(app, ["report", "--plans", str(plans), "--orgs", "data/orgs", "--out", str(out),
                                 "--no-cache"])
    assert result.exit_code == 0, result.stderr


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_failing_render_replaces_no_report_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    _report(tmp_path, out)
    before = _snapshot(out)
    (tmp_path / "plans" / "plan.txt").write_text(GOOD.replace("620", "700"), encoding="utf-8")
    import painpoint.report.xlsx as xlsx

    def broken(result: object) -> bytes:
        raise RuntimeError("workbook failed")

    monkeypatch.setattr(xlsx, "to_xlsx", broken)
    result = runner.invoke(app, ["report", "--plans", str(tmp_path / "plans"), "--orgs", "data/orgs", "--out",
                                 str(out), "--no-cache"])
    assert result.exit_code == 1
    assert _snapshot(out) == before, "report.html was not replaced beside the old workbook"


def test_sigterm_while_writing_leaves_the_old_set_and_no_temporary(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "set"
    write_files([(out / "a.html", "old a"), (out / "b.json", "old b")])
    real_fsync = os.fsync
    calls = []

    def terminated_midway(fd: int) -> None:
        calls.append(fd)
        real_fsync(fd)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(os, "fsync", terminated_midway)
    with pytest.raises(SystemExit) as stopped:
        write_files([(out / "a.html", "new a"), (out / "b.json", "new b"), (out / "c.csv", "new c")])
    assert stopped.value.code == 143
    assert _snapshot(out) == {"a.html": b"old a", "b.json": b"old b"}
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, "the previous handler is restored"


def test_interrupt_during_renames_is_held_until_the_set_is_in_place(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "set"
    write_files([(out / "a", "old"), (out / "b", "old")])
    real_replace = os.replace

    def replace_then_interrupt(src: str, dst: str) -> None:
        real_replace(src, dst)
        os.kill(os.getpid(), signal.SIGINT)  # held back until the last rename

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_files([(out / "a", "new"), (out / "b", "new")])
    assert _snapshot(out) == {"a": b"new", "b": b"new"}


# ---- 6. edit and revert during a run -------------------------------------------------------------------------

def test_file_edited_and_put_back_during_a_run_is_not_stored(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import painpoint.ingest as ingest

    plans = tmp_path / "plans"
    plan = _plan(plans)
    original = plan.read_bytes()
    stamp = plan.stat()
    real_read = ingest.read_document

    def edit_read_revert(path: str):  # type: ignore[no-untyped-def]
        plan.write_text("示例县卫生健康局2025年工作要点\n做好疫苗接种和公共卫生工作。\n", encoding="utf-8")
        try:
            return real_read(path)
        finally:
            plan.write_bytes(original)
            os.utime(plan, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))

    monkeypatch.setattr(ingest, "read_document", edit_read_revert)
    edited = runner.invoke(app, ["scan", str(plans), "-f", "json"])
    assert json.loads(edited.stdout)["documents"][0]["department"] == "示例县卫生健康局"  # the run saw the edit
    monkeypatch.setattr(ingest, "read_document", real_read)
    again = runner.invoke(app, ["scan", str(plans), "-f", "json"])
    fresh = runner.invoke(app, ["scan", str(plans), "-f", "json", "--no-cache"])
    assert json.loads(fresh.stdout)["documents"][0]["department"] == "示例县民政局"
    assert again.stdout == fresh.stdout, "no replay of a department that is in no file"


# ---- 7. expanding docx ---------------------------------------------------------------------------------------

_DOCX_SCRIPT = r"""
import resource, sys, time, zipfile
path = sys.argv[1]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
               'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
    with z.open("word/document.xml", "w") as part:  # 34 million empty runs, streamed: 198 MB unpacked
        part.write(f'<?xml version="1.0"?><w:document {W}><w:body><w:p>'.encode())
        block = b"<w:r/>" * 1_000_000
        for _ in range(33):
            part.write(block)
        part.write(b"</w:p></w:body></w:document>")
start = time.perf_counter()
from painpoint.errors import InputError
from painpoint.ingest import read_document
try:
    read_document(path)
    print("READ")
except InputError as exc:
    print("REFUSED", exc)
print("SECONDS", time.perf_counter() - start)
print("PEAK_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def test_expanding_docx_is_refused_quickly_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "runs.docx"
    run = subprocess.run([sys.executable, "-c", _DOCX_SCRIPT, str(path)], capture_output=True, text=True,
                         timeout=120, check=True)
    assert path.stat().st_size < 1024 * 1024
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert lines["REFUSED"] == (f"{path}: Word file holds more than 3,000,000 XML tags; refusing a possible "
                                f"decompression bomb — re-save it in Word/WPS, or copy its text into a .txt file")
    assert float(lines["SECONDS"]) < 10
    assert int(lines["PEAK_MB"]) < 1024


# ---- 8. folder walks through links -------------------------------------------------------------------------

def test_link_to_root_inside_a_plans_folder_is_not_walked(tmp_path: Path) -> None:
    from painpoint.ingest.discover import discover

    plans = tmp_path / "plans"
    _plan(plans)
    (plans / "root").symlink_to("/")
    (plans / "sub").mkdir()
    _plan(plans / "sub", "inner.txt")
    (plans / "again").symlink_to(plans / "sub")  # inside the folder: followed (once)
    start = time.perf_counter()
    files, problems = discover([str(plans)])
    assert time.perf_counter() - start < 2
    # "again" sorts first, so inner.txt keeps that spelling; the folder behind the link is walked once
    assert files == [str(plans / "again" / "inner.txt"), str(plans / "plan.txt")]
    assert [str(p) for p in problems] == [
        f"{plans / 'root'}: link to a folder outside {plans}, not followed — give that folder itself if its "
        f"plans are wanted"]


def test_a_walk_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    discover_module = importlib.import_module("painpoint.ingest.discover")
    monkeypatch.setattr(discover_module, "MAX_WALK_ENTRIES", 50)
    for i in range(60):
        _plan(tmp_path / "plans" / f"d{i:02d}", "p.txt")
    files, problems = discover_module.discover([str(tmp_path / "plans")])
    assert len(files) < 60
    assert [p.message for p in problems] == ["more than 50 files and folders; stopped looking"]


# ---- 9. smaller cases -----------------------------------------------------------------------------------------

def test_backtick_in_a_file_name_stays_inside_its_code_span(tmp_path: Path) -> None:
    from painpoint.report.scan import md_code

    assert md_code("a`b") == "``a`b``"
    assert md_code("`x") == "`` `x ``"
    assert md_code("a\nb") == "`a b`"
    path = _plan(tmp_path, "x`` **粗体** [链接](example.invalid).txt")
    result = runner.invoke(app, ["scan", str(path), "-f", "md", "--no-cache"])
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("- File: ")]
    assert line == f"- File: ```{path}```"


def test_unknown_key_suggestions_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import difflib

    from painpoint.orgs import load_profile
    from painpoint.orgs.profile import MAX_PROBLEMS

    calls = []
    real = difflib.get_close_matches

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    path = tmp_path / "keys.yaml"
    path.write_text("id: k\nname: x\nmission: y\n" + "".join(f"servces{i}: 1\n" for i in range(3000))
                    + "? " + "k" * 5000 + "\n: 1\n", encoding="utf-8")
    with pytest.raises(PainpointError) as error:
        load_profile(str(path))
    assert len(calls) <= MAX_PROBLEMS and all(len(key) <= 40 for key in calls)
    assert "did you mean 'services'" in str(error.value)


def test_report_csp_forbids_base_and_forms() -> None:
    from painpoint.report.html import CSP

    assert "base-uri 'none'" in CSP and "form-action 'none'" in CSP and "default-src 'none'" in CSP


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads worker ids from /proc")
def test_ctrl_c_with_two_jobs_prints_one_line(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    body = "".join(f"第{i}条 做好养老服务、社会救助、儿童关爱和残疾人帮扶工作，提高低保标准。\n" for i in range(4000))
    for i in range(8):
        _plan(plans, f"p{i}.txt", f"示例县民政局工作要点{i}\n" + body)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "painpoint", "scan", str(plans), "-f", "json", "--no-cache",
                             "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if children.exists() and len(children.read_text().split()) >= 2:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the run ended before its workers could be interrupted")
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines() == ["painpoint: interrupted"]
