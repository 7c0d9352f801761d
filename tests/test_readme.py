"""The README's examples are true: every `$ painpoint …` line in it is run and must print what the README shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _examples() -> list[tuple[int, str, str]]:
    """(README line, command, expected output) for each `$ painpoint` line of a fenced block."""
    examples: list[tuple[int, str, str]] = []
    block: list[tuple[int, str]] | None = None
    for number, line in enumerate(ROOT.joinpath("README.md").read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            if block is None:
                block = []
                continue
            command: tuple[int, str] | None = None
            output: list[str] = []
            for at, text in [*block, (0, "$ ")]:
                if text.startswith("$ "):
                    if command is not None and "painpoint" in command[1]:
                        examples.append((command[0], command[1], "\n".join(output).rstrip()))
                    command, output = (at, text[2:]), []
                else:
                    output.append(text.rstrip())
            block = None
        elif block is not None:
            block.append((number, line))
    return examples


# the broken profiles the `orgs check bad/` example shows
BAD_PROFILES = {
    "a.yaml": "id: sl-x\nname: 甲\nmission: 宗旨\n",
    "b.yaml": "id: sl-x\nname: 乙\nmission: 宗旨\n",
    "c.yaml": "id: sl-c\nname: 丙\nmission: 宗旨: 多了冒号\n",
    "typo.yaml": "id: sl-typo\nname: 丁\nmission: 宗旨\nservces: [长者照护]\n",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample data and test assets the examples name, so reports are written outside the repo."""
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "data", work / "data")
    shutil.copytree(ROOT / "tests" / "assets" / "diff", work / "tests" / "assets" / "diff")
    (work / "bad").mkdir()
    for name, text in BAD_PROFILES.items():
        (work / "bad" / name).write_text(text, encoding="utf-8")
    return work


def test_the_readme_has_examples() -> None:
    examples = _examples()
    assert len(examples) >= 10
    commands = {re.search(r"painpoint (\w+)", c).group(1) for _, c, _ in examples}  # type: ignore[union-attr]
    assert commands >= {"scan", "match", "report", "pitch", "links", "diff", "orgs"}


@pytest.mark.parametrize(("line", "command", "expected"), _examples(), ids=[f"line{n}" for n, _, _ in _examples()])
def test_readme_example(line: int, command: str, expected: str, workdir: Path) -> None:
    if "| jq" in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    # one cache for the module: the lexicon is compiled once, not once per example
    # the README shows what a Chinese-speaking user sees (an example may set PAINPOINT_LANG=en itself)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PAINPOINT_CACHE_DIR": str(workdir / ".cache"), "PAINPOINT_LANG": "zh",
           "XDG_CONFIG_HOME": str(workdir / ".config")}
    run = subprocess.run(["bash", "-c", "exec 2>&1; " + command], cwd=workdir, env=env, capture_output=True, text=True,
                         timeout=120)
    got = "\n".join(line.rstrip() for line in run.stdout.splitlines()).rstrip()
    # absolute paths of the temporary copy read as the README's relative ones
    got = re.sub(re.escape(str(workdir)) + "/?", "", got)
    assert got == expected, f"README.md line {line}: `{command}` printed something else"
