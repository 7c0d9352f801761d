"""The interface a new user meets: Chinese and English, settings from painpoint.toml, every file accounted for,
exit codes with one meaning each, standard input and output, and profile mistakes named where they are."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint.cli import app

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
ORGS = ROOT / "data" / "orgs"
BIN = Path(sys.executable).parent / "painpoint"
COMMANDS = [[], ["scan"], ["match"], ["report"], ["pitch"], ["links"], ["diff"], ["config"], ["eval"],
            ["orgs"], ["orgs", "check"], ["orgs", "import"], ["orgs", "new"], ["orgs", "template"]]

PLAN = ("示例县民政局2025年工作要点\n一、兜牢民生底线\n农村低保标准提高到每人每月620元。\n"
        "二、发展居家社区养老服务\n新建老年助餐点25个，为失能老人提供上门照护。\n")

runner = CliRunner()


def _run(*args: str, cwd: Path | None = None, lang: str | None = None, stdin: bytes | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """painpoint as a user runs it: a process, the language from the locale unless `lang` says otherwise."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PAINPOINT_LANG"))}
    base.update(env or {})
    if lang is not None:
        base["LANG"] = {"zh": "zh_CN.UTF-8", "en": "en_US.UTF-8"}[lang]
    return subprocess.run([str(BIN), *args], cwd=cwd, env=base, capture_output=True, timeout=120,
                          input=stdin, check=False, text=False)  # type: ignore[call-overload,no-any-return]


def _text(run: subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    return run.stdout.decode("utf-8"), run.stderr.decode("utf-8")  # type: ignore[union-attr]


# --- 1. a Chinese interface -------------------------------------------------------------------------------------

# What may stay Latin in Chinese help: option names, metavars, formats, file names, commands in examples.
_ALLOWED = re.compile(r"--?[\w-]+|\b[A-Z][A-Z_]+\b(?:\.\.\.)?|`[^`]*`|\S*painpoint\S*|\S+\.(?:docx?|pdf|txt|md|html?|"
                      r"ya?ml|toml|json|csv|xlsx|wps)\b|https?://\S+|<[^>]*>|\b(?:zh|en|table|json|csv|md|docx|"
                      r"auto|jieba|rjieba|nDCG@3|AUC|OCR|WPS|Word|Excel|PDF|HTML|JSON|CSV|URL|CI|curl|shell|"
                      r"x>=0|sl-[\w-]+)\b")
_ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'()]+[A-Za-z]{2,}){2,}")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "painpoint")
def test_help_under_a_chinese_locale_has_no_untranslated_english(command: list[str]) -> None:
    out, err = _text(_run(*command, "--help", lang="zh"))
    assert "用法" in out and "选项" in out
    prose = "\n".join(line for line in out.splitlines() if not re.match(r"\s*(?:painpoint |curl )", line))
    # (over the whole text: a `command` may be wrapped over two lines)
    leftovers = [m.group(0) for line in _ALLOWED.sub(" ", prose).splitlines() if (m := _ENGLISH_RUN.search(line))]
    assert not leftovers, leftovers


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "painpoint")
def test_help_in_english_teaches(command: list[str]) -> None:
    out, _ = _text(_run(*command, "--help", lang="en"))
    assert "Usage:" in out and "{" not in out.splitlines()[0]
    assert "<str>" not in out and "<file>" not in out
    if command and command != ["orgs"]:
        assert "Examples:" in out or "painpoint eval" in out


@pytest.mark.parametrize(("args", "env", "expected"), [
    (["--lang", "zh", "scan", "missing.txt"], {}, "zh"),
    (["scan", "missing.txt", "--lang", "zh"], {}, "zh"),  # accepted after the command too
    (["scan", "missing.txt"], {"PAINPOINT_LANG": "zh"}, "zh"),
    (["scan", "missing.txt"], {"LANG": "zh_CN.UTF-8"}, "zh"),
    (["scan", "missing.txt"], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    (["--lang", "en", "scan", "missing.txt"], {"LANG": "zh_CN.UTF-8"}, "en"),
    (["scan", "missing.txt"], {"PAINPOINT_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    (["scan", "missing.txt"], {"LANG": "C.UTF-8"}, "en"),
])
def test_the_language_comes_from_flag_then_env_then_locale(args: list[str], env: dict[str, str],
                                                            expected: str, tmp_path: Path) -> None:
    run = _run(*args, cwd=tmp_path, env=env)
    err = _text(run)[1]
    assert run.returncode == 2  # the only plan given does not exist: a usage error
    assert ("文件或文件夹不存在" in err) == (expected == "zh"), err
    assert ("no such file or folder" in err) == (expected == "en"), err


def test_an_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    run = _run("scan", "x.txt", cwd=tmp_path, env={"PAINPOINT_LANG": "klingon"})
    assert run.returncode == 2 and "PAINPOINT_LANG" in _text(run)[1]


def test_usage_errors_speak_the_users_language(tmp_path: Path) -> None:
    zh = _run("scan", "--no-such-flag", "x.txt", cwd=tmp_path, lang="zh")
    en = _run("scan", "--no-such-flag", "x.txt", cwd=tmp_path, lang="en")
    assert zh.returncode == en.returncode == 2
    assert "没有这个选项：--no-such-flag" in _text(zh)[1] and "--help" in _text(zh)[1]
    assert "no such option: --no-such-flag" in _text(en)[1]


@pytest.mark.parametrize(("args", "expected"), [
    (("scan", "--nocache", "x.txt"), "没有这个选项：--nocache — 是不是要用 --no-cache"),
    (("orgs", "chek"), "没有 'chek' 这个命令 — 是不是要用 'check'？"),
    (("scan", "--top", "-1", "x.txt"), "'--top' / '-n' 的值无效：-1 超出允许的范围（x>=0）"),
    (("scan", "--top", "abc", "x.txt"), "'abc' 不是数字"),
    (("scan", "--format", "foo", "x.txt"), "'foo' 不在可选值之中：'table'"),
    (("links", "nope"), "多余的参数：nope"),
])
def test_the_parsers_own_errors_are_chinese_with_their_suggestions(args: tuple[str, ...], expected: str,
                                                                   tmp_path: Path) -> None:
    run = _run(*args, cwd=tmp_path, lang="zh")
    err = _text(run)[1]
    assert run.returncode == 2 and expected in err, err
    assert not any(english in err for english in ("No such", "Invalid value", "Possible options", "Did you mean"))


def test_machine_readable_output_is_the_same_in_both_languages(tmp_path: Path) -> None:
    zh = json.loads(_text(_run("scan", str(PLANS), "-f", "json", "--no-cache", lang="zh"))[0])
    en = json.loads(_text(_run("scan", str(PLANS), "-f", "json", "--no-cache", lang="en"))[0])
    assert zh == en and set(zh) == {"schema", "documents", "errors", "skipped"}


@pytest.mark.parametrize(("lang", "header"), [("zh", "痛点"), ("en", "Pain point")])
def test_table_headers_follow_the_language(lang: str, header: str) -> None:
    out, _ = _text(_run("scan", str(PLANS / "shili_civil_affairs_2025.txt"), "--top", "2", lang=lang))
    assert header in out


# --- 3. runs from any folder ------------------------------------------------------------------------------------

def _project(tmp_path: Path) -> Path:
    """A user's project folder: plans and profiles in Chinese-named folders, a painpoint.toml naming them."""
    project = tmp_path / "我的项目"
    (project / "规划").mkdir(parents=True)
    (project / "规划" / "民政.txt").write_text(PLAN, encoding="utf-8")
    (project / "机构").mkdir()
    (project / "机构" / "a.yaml").write_bytes((ORGS / "sl-anyang-zhaohu.yaml").read_bytes())
    (project / "painpoint.toml").write_text('plans = "规划"\norgs = ["机构"]\ntop = 2\nlang = "zh"\n'
                                            'output = "报告"\n', encoding="utf-8")
    (project / "sub" / "deeper").mkdir(parents=True)
    return project


def test_painpoint_toml_in_a_parent_folder_sets_the_defaults(tmp_path: Path) -> None:
    project = _project(tmp_path)
    run = _run("match", "-f", "json", cwd=project / "sub" / "deeper", env={"LANG": "en_US.UTF-8"})
    out, err = _text(run)
    assert run.returncode == 0, err
    doc = json.loads(out)
    assert [d["name"] for d in doc["departments"]] and doc["matches"]
    assert all(m["rank"] <= 2 for m in doc["matches"])  # top = 2 from the file
    report = _run("report", "-q", cwd=project / "sub")
    assert report.returncode == 0, _text(report)[1]
    assert (project / "报告" / "report.html").is_file()  # output folder relative to the file, not the cwd


def test_painpoint_config_shows_each_setting_and_where_it_came_from(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out, err = _text(_run("config", "-f", "json", cwd=project / "sub"))
    doc = json.loads(out)
    assert doc["file"] == str(project / "painpoint.toml")
    assert doc["settings"]["plans"] == {"value": [str(project / "规划")], "source": str(project / "painpoint.toml")}
    assert doc["settings"]["top"]["value"] == 2
    table, _ = _text(_run("config", cwd=project))
    assert "设置项" in table and "painpoint.toml" in table  # lang = "zh" in the file


def test_config_without_a_file_says_where_it_looked(tmp_path: Path) -> None:
    out, _ = _text(_run("config", cwd=tmp_path, lang="en", env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")}))
    assert "No painpoint.toml found" in out and "built-in default" in out


@pytest.mark.parametrize(("lang", "words"), [("zh", "不存在"), ("en", "does not exist")])
def test_a_missing_default_folder_is_said_not_an_empty_result(tmp_path: Path, lang: str, words: str) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    for command in (["match"], ["report"], ["links"], ["pitch", "--org", "x", "-d", "民政"]):
        run = _run(*command, cwd=tmp_path, lang=lang, env=env)
        out, err = _text(run)
        assert run.returncode == 2, (command, err)
        assert words in err and "painpoint.toml" in err and "--plans" in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("content", "words"), [('plan = "x"\n', "plans"), ("top = -1\n", "top"),
                                                 ("plans = [\n", "TOML")])
def test_a_broken_config_is_a_usage_error_naming_the_file(tmp_path: Path, content: str, words: str) -> None:
    (tmp_path / "painpoint.toml").write_text(content, encoding="utf-8")
    run = _run("scan", "x.txt", cwd=tmp_path, lang="en")
    err = _text(run)[1]
    assert run.returncode == 2 and "painpoint.toml" in err and words in err and "Traceback" not in err


def test_report_refuses_to_write_an_empty_report_unless_asked(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "规划.doc").write_bytes(b"\xd0\xcf\x11\xe0 old office bytes")  # nothing painpoint can read
    refused = _run("report", "--plans", str(plans), "--orgs", str(ORGS), "--out", str(tmp_path / "r"), lang="en")
    assert refused.returncode == 2 and "--allow-empty" in _text(refused)[1] and "规划.doc" in _text(refused)[1]
    assert not (tmp_path / "r").exists()
    allowed = _run("report", "--plans", str(plans), "--orgs", str(ORGS), "--out", str(tmp_path / "r"),
                   "--allow-empty", "-q")
    assert allowed.returncode == 1 and (tmp_path / "r" / "report.html").is_file()  # written; the .doc unread


# --- 4. no silent skips -----------------------------------------------------------------------------------------

def _mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "下载的规划"
    folder.mkdir()
    (folder / "民政.txt").write_text(PLAN, encoding="utf-8")
    shutil.copyfile(ROOT / "tests" / "assets" / "ingest" / "civil_affairs_2025.doc", folder / "民政要点.doc")
    for name in ["卫健十四五规划.doc", "妇联工作要点.wps", "预算.et", "扫描件.jpg"]:
        (folder / name).write_bytes(b"\xd0\xcf\x11\xe0 old office bytes")  # damaged or not read
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / "~$民政.docx").write_bytes(b"x")
    (folder / "说明.yaml").write_text("a: 1\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("lang", "hint"), [("zh", "另存为 .docx"), ("en", "save it as .docx")])
def test_a_folder_scan_accounts_for_every_file(tmp_path: Path, lang: str, hint: str) -> None:
    folder = _mixed_folder(tmp_path)
    run = _run("scan", str(folder), "-f", "json", "--no-cache", lang=lang)
    out, err = _text(run)
    assert run.returncode == 1  # some inputs could not be read; the rest were processed
    doc = json.loads(out)
    assert [Path(d["path"]).name for d in doc["documents"]] == ["民政.txt", "民政要点.doc"]
    assert sorted(Path(e["path"]).name for e in doc["errors"]) == sorted(["妇联工作要点.wps", "扫描件.jpg",
                                                                          "卫健十四五规划.doc", "预算.et"])
    assert hint in next(e["message"] for e in doc["errors"] if e["path"].endswith(".doc"))
    assert {Path(s["path"]).name: s["reason"] for s in doc["skipped"]} == {
        ".DS_Store": "hidden", "~$民政.docx": "lock-file", "说明.yaml": "not-a-document"}
    assert "卫健十四五规划.doc" in err and hint in err  # and in the terminal summary
    assert "--verbose" in err and ".DS_Store" not in err
    verbose = _text(_run("scan", str(folder), "-f", "json", "--no-cache", "-v", lang=lang))[1]
    assert ".DS_Store" in verbose and "~$民政.docx" in verbose


def test_an_organizations_introduction_among_the_plans_is_named_and_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "规划"
    folder.mkdir()
    (folder / "民政.txt").write_text(PLAN, encoding="utf-8")
    (folder / "我们的介绍.txt").write_text(
        "示例县暖阳社会工作服务中心机构介绍\n示例县暖阳社会工作服务中心成立于2019年，是在示例县民政局登记的民办非企业"
        "单位。\n我们的宗旨：陪伴困境儿童和留守儿童健康成长。\n", encoding="utf-8")
    run = _run("scan", str(folder), "-f", "json", "--no-cache", lang="zh")
    doc = json.loads(_text(run)[0])
    assert run.returncode == 0
    assert [Path(d["path"]).name for d in doc["documents"]] == ["民政.txt"]
    assert doc["skipped"] == [{"path": str(folder / "我们的介绍.txt"), "reason": "organization-text"}]
    assert "我们的介绍.txt" in _text(run)[1] and "orgs import" in _text(run)[1]  # named without --verbose
    matched = json.loads(_text(_run("match", "--plans", str(folder), "--orgs", str(ORGS), "-f", "json",
                                    "--no-cache"))[0])
    assert "暖阳" not in " ".join(d["name"] for d in matched["departments"])


def test_the_report_lists_files_it_could_not_read(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    run = _run("report", "--plans", str(folder), "--orgs", str(ORGS), "--out", str(tmp_path / "r"), lang="zh")
    assert run.returncode == 1
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "卫健十四五规划.doc" in html and "另存为 .docx" in html
    summary = _text(run)[1]
    assert "4 个输入无法读取" in summary


# --- 5. exit codes ----------------------------------------------------------------------------------------------

def test_exit_codes_have_one_meaning_each(tmp_path: Path) -> None:
    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    assert _run("scan", str(PLANS), "--no-cache", "-q").returncode == 0
    assert _run("scan", str(PLANS / "shili_civil_affairs_2025.txt"), str(bad), "-q").returncode == 1
    assert _run("scan", "--top", "-3", str(PLANS)).returncode == 2
    gate = _run("report", "--plans", str(PLANS), "--orgs", str(ORGS), "--out", str(tmp_path / "r"),
                "--fail-under", "1.0", lang="en")
    assert gate.returncode == 3 and "--fail-under 1.00: FAIL" in _text(gate)[1]
    both = _run("report", "--plans", str(PLANS), "--plans", str(bad), "--orgs", str(ORGS), "--out",
                str(tmp_path / "r2"), "--fail-under", "1.0", lang="en")
    summary = _text(both)[1]
    assert both.returncode == 3  # the gate outranks an unreadable input, and the summary states both
    assert "1 input(s) could not be read" in summary and "FAIL" in summary


# --- 2. -q and -v after the command, 6. standard input and output ----------------------------------------------

def test_quiet_and_verbose_are_accepted_after_the_command(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    quiet = _run("scan", str(folder), "-q", "-f", "json", "--no-cache")
    assert quiet.returncode == 1 and "--verbose" not in _text(quiet)[1]
    assert _run("match", "--plans", str(PLANS), "--orgs", str(ORGS), "--quiet", "-f", "json").returncode == 0


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_scan_reads_one_plan_from_standard_input(fmt: str) -> None:
    run = _run("scan", "-", "-f", fmt, "-o", "-", stdin=PLAN.encode("utf-8"), lang="zh")
    out, err = _text(run)
    assert run.returncode == 0, err
    assert "民政" in out
    if fmt == "json":
        [document] = json.loads(out)["documents"]
        assert document["path"] == "-"  # as the user gave it, never a temporary file


def test_standard_input_of_any_format_and_empty_input(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in PLAN.splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "p.docx"))
    run = _run("scan", "-", "-f", "json", stdin=(tmp_path / "p.docx").read_bytes())
    assert run.returncode == 0 and json.loads(_text(run)[0])["documents"][0]["format"] == "docx"
    word97 = _run("scan", "-", "-f", "json", stdin=(ROOT / "tests" / "assets" / "ingest" / "civil_affairs_2025.doc")
                  .read_bytes())
    assert word97.returncode == 0 and json.loads(_text(word97)[0])["documents"][0]["format"] == "doc"
    empty = _run("scan", "-", stdin=b"", lang="en")
    assert empty.returncode == 1 and "standard input is empty" in _text(empty)[1]


def test_pitch_writes_word_to_standard_output() -> None:
    run = _run("pitch", "--plans", str(PLANS), "--orgs", str(ORGS), "--org", "sl-anyang-zhaohu", "-d", "民政局",
               "-f", "docx", "-o", "-", "-q")
    assert run.returncode == 0 and run.stdout.startswith(b"PK\x03\x04")


# --- 8. profile mistakes at the right line ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "line", "zh", "en"), [
    ("id：sl-x\nname: 甲\nmission: 宗旨\n", 1, "全角冒号", "full-width colon"),
    ("id: sl-x\nname: 甲\nmission: 宗旨\nservices:\n\t- 助老\n", 5, "制表符", "a tab indents"),
    ("id: sl-x\nname:甲\nmission: 宗旨\n", 2, "冒号后缺少空格", "no space after 'name:'"),
])
def test_profile_mistakes_are_named_at_their_line(tmp_path: Path, text: str, line: int, zh: str, en: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    for lang, words in (("zh", zh), ("en", en)):
        run = _run("orgs", "check", str(path), lang=lang)
        err = _text(run)[1]
        assert run.returncode == 1
        assert f"{path}:{line}: " in err and words in err, err


def test_a_valid_profile_with_colons_in_values_is_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("id: sl-x\nname: 甲\nmission: 宗旨：陪伴老人\nservices: [\"时间:每周\"]\n", encoding="utf-8")
    assert runner.invoke(app, ["orgs", "check", str(path)]).exit_code == 0


def test_the_output_files_extension_chooses_the_format(tmp_path: Path) -> None:
    assert _run("scan", str(PLANS), "-o", str(tmp_path / "s.json"), "-q").returncode == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["schema"] == "painpoint.scan/1"
    matched = _run("match", "--plans", str(PLANS), "--orgs", str(ORGS), "-o", str(tmp_path / "m.csv"), "-q")
    assert matched.returncode == 0
    assert (tmp_path / "m.csv").read_bytes().startswith(b"\xef\xbb\xbfdepartment,")
    brief = tmp_path / "简报.docx"
    assert _run("pitch", "--plans", str(PLANS), "--orgs", str(ORGS), "--org", "sl-anyang-zhaohu", "-d", "民政局",
                "-o", str(brief), "-q").returncode == 0
    assert brief.read_bytes().startswith(b"PK\x03\x04")  # a Word file, not Markdown named .docx


def test_match_writes_a_workbook_for_xlsx_and_no_command_writes_text_under_an_office_name(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "匹配.xlsx"
    assert _run("match", "--plans", str(PLANS), "--orgs", str(ORGS), "-o", str(book), "-q").returncode == 0
    assert book.read_bytes().startswith(b"PK\x03\x04")  # what Excel opens: the workbook `report` writes
    assert "匹配" in load_workbook(book).sheetnames
    for command, name in (("scan", "s.xlsx"), ("match", "m.docx"), ("scan", "s.html"), ("match", "m.pdf")):
        args = [str(PLANS)] if command == "scan" else ["--plans", str(PLANS), "--orgs", str(ORGS)]
        run = _run(command, *args, "-o", str(tmp_path / name), lang="zh")
        err = _text(run)[1]
        assert run.returncode == 2 and not (tmp_path / name).exists()
        assert "painpoint report" in err and "不写" in err, err


def test_each_output_file_written_is_named_on_stderr_unless_quiet(tmp_path: Path) -> None:
    book, brief, found = tmp_path / "匹配.xlsx", tmp_path / "简报.md", tmp_path / "痛点.json"
    runs = [_run("match", "--plans", str(PLANS), "--orgs", str(ORGS), "-o", str(book), lang="zh"),
            _run("scan", str(PLANS), "-o", str(found), lang="zh")]
    for run, path in zip(runs, (book, found), strict=True):
        assert run.returncode == 0 and path.is_file()
        assert f"已写入 {path}" in _text(run)[1]
    quiet = _run("scan", str(PLANS), "-o", str(brief.with_suffix(".csv")), "-q", lang="zh")
    assert quiet.returncode == 0 and "已写入" not in _text(quiet)[1]


def test_scan_without_a_path_reads_the_plans_painpoint_toml_names(tmp_path: Path) -> None:
    project = _project(tmp_path)
    run = _run("scan", "-f", "json", cwd=project / "sub")
    assert run.returncode == 0, _text(run)[1]
    assert [Path(d["path"]).name for d in json.loads(_text(run)[0])["documents"]] == ["民政.txt"]


def test_config_shows_the_language_in_force_and_its_source(tmp_path: Path) -> None:
    project = _project(tmp_path)  # its painpoint.toml says lang = "zh"
    doc = json.loads(_text(_run("config", "-f", "json", cwd=project, env={"PAINPOINT_LANG": "en"}))[0])
    assert doc["settings"]["lang"] == {"value": "en", "source": "PAINPOINT_LANG"}
    doc = json.loads(_text(_run("config", "-f", "json", cwd=project))[0])
    assert doc["settings"]["lang"] == {"value": "zh", "source": str(project / "painpoint.toml")}


def test_pitch_names_the_missing_plans_first(tmp_path: Path) -> None:
    run = _run("pitch", "--plans", str(tmp_path / "nothere"), "--orgs", str(ORGS), "--org", "sl-anyang-zhaohu",
               "-d", "民政局", lang="zh")
    assert run.returncode == 2 and "nothere" in _text(run)[1] and "文件或文件夹不存在" in _text(run)[1]


def test_orgs_check_points_at_an_import_placeholder_left_as_a_value(tmp_path: Path) -> None:
    intro = tmp_path / "介绍.txt"
    intro.write_text("我们是一家社区志愿服务团队，2015年起在社区开展助老服务，每周组织志愿者探访独居老人。\n",
                     encoding="utf-8")
    assert _run("orgs", "import", str(intro), "-o", str(tmp_path / "drafts"), "-q").returncode == 0
    run = _run("orgs", "check", str(tmp_path / "drafts"), lang="en")
    assert run.returncode == 0  # the draft is valid as it is, but the user is told what is still to fill in
    assert "name: still the placeholder `orgs import` wrote" in _text(run)[1]


def test_a_broken_profile_beside_the_plans_is_named_with_its_line_in_chinese(tmp_path: Path) -> None:
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "坏.yaml").write_text("id: x\nname: 甲\nmission: 宗旨: 多了冒号\n", encoding="utf-8")
    run = _run("links", "--plans", str(PLANS), "--orgs", str(orgs), lang="zh")
    err = _text(run)[1]
    assert run.returncode == 1 and f"{orgs / '坏.yaml'}: 第 3 行：" in err, err
    assert "line 3" not in err
