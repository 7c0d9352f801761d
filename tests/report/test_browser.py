"""The HTML report in a real browser: headless Chromium loads it from a file URL without console messages.

Skips where Chromium is absent; `.ci/run` installs Debian's chromium first so that CI runs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from painpoint.report.bundle import write_report

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TIMEOUT = 120

EVIL_PLAN = """示例县残疾人联合会<script>console.error('plan ran')</script>2025年工作要点
一、残疾人康复服务<img src=x onerror="console.error('img ran')">
为残疾儿童提供康复训练</style><script>console.error('style escaped')</script>，康复服务覆盖率达到85%。
"""


def _chromium(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """Run headless Chromium on a file URL only; kill its whole process group if it hangs."""
    assert CHROMIUM is not None
    profile = tmp_path / "chromium-profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"chromium did not finish within {TIMEOUT}s")
    return proc.returncode, out, err


@pytest.fixture
def report_dir(tmp_path: Path) -> Path:
    """The sample county's report plus a hostile plan, whose escaping failures would be console messages."""
    from painpoint.pipeline import match

    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "disabled.txt").write_text(EVIL_PLAN, encoding="utf-8")
    with contextlib.chdir(ROOT):
        result = match(["data/plans", str(evil)], ["data/orgs"], top=0)
    out = tmp_path / "report"
    write_report(result, out)
    return out


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_loads_without_console_errors_and_draws_its_charts(report_dir: Path, tmp_path: Path) -> None:
    url = (report_dir / "report.html").resolve().as_uri()
    code, dom, log = _chromium(tmp_path, "--dump-dom", url)
    assert code == 0, log[-2000:]
    # the page has no scripts of its own, so any console line is a failure: a script that escaped escaping,
    # a resource the Content-Security-Policy blocked, or markup the browser could not parse
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    assert console == [], "\n".join(console)
    assert "<body" in dom and "</html>" in dom, "the page loaded"
    assert dom.count('<svg class="chart bars"') >= 9
    assert dom.count('<svg class="chart shared-chart"') == 1
    departments = json.loads((report_dir / "matches.json").read_text(encoding="utf-8"))["departments"]
    assert len(departments) >= 9  # the sample county's departments, the hostile plan's own or among them
    assert '<table class="heatmap">' in dom and dom.count('<section class="dept"') == len(departments)
    assert "<script" not in dom and "<img" not in dom
    assert "示例县民政局" in dom
    # the hostile plan is in the report, as text the browser shows rather than runs
    # (its marked-up title line is no clean title, so it may not be shown at all; never as markup)
    assert "<script>console.error('plan ran')" not in dom
    assert "&lt;/style&gt;&lt;script&gt;console.error('style escaped')" in dom


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_screenshot_renders(report_dir: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    url = (report_dir / "report.html").resolve().as_uri()
    code, _, log = _chromium(tmp_path, "--hide-scrollbars", "--window-size=1200,1600", f"--screenshot={shot}",
                             url)
    assert code == 0, log[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000, "a page with content, not a blank"
