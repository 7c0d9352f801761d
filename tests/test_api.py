"""The public library API resolves, and importing painpoint stays light."""

from __future__ import annotations

import subprocess
import sys

import painpoint


def test_every_public_name_resolves() -> None:
    for name in painpoint.__all__:
        assert getattr(painpoint, name) is not None


def test_import_does_not_load_heavy_modules() -> None:
    code = ("import sys, painpoint, painpoint.cli; "
            "heavy = [m for m in ('jieba', 'rjieba', 'numpy', 'sklearn', 'pypdf', 'docx', 'bs4', 'opencc', 'yaml') "
            "if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
