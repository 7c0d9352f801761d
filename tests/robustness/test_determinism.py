"""Same input, same output: byte-identical across runs and PYTHONHASHSEED values."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(seed: str, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "painpoint", *args], capture_output=True, env=env,
                          cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_match_output_is_byte_identical_across_hash_seeds(fmt: str) -> None:
    args = ("-q", "match", "--top", "0", "--format", fmt)
    assert _run("1", *args) == _run("4242", *args)


def test_scan_output_is_byte_identical_across_hash_seeds() -> None:
    args = ("-q", "scan", "data/plans", "--format", "json")
    first = _run("0", *args)
    assert first == _run("987", *args)
    assert not re.search(rb"\d{4}-\d\d-\d\dT\d\d:\d\d", first), "no timestamps unless asked for"
