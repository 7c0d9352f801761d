"""Matching cost: small matches skip scikit-learn; only the pairs a command keeps are explained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from painpoint import pipeline
from painpoint.match import score

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
ORGS = ROOT / "data" / "orgs"


def test_small_match_does_not_import_scikit_learn() -> None:
    code = ("import sys; from painpoint.pipeline import match; "
            f"r = match([{str(PLANS / 'shili_civil_affairs_2025.txt')!r}], [{str(ORGS)!r}], top=3, cache=False); "
            "print(len(r.matches), 'sklearn' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["3", "False"]


def test_match_explains_only_kept_pairs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    explained = 0
    real = score._explain

    def counting(*args):  # type: ignore[no-untyped-def]
        nonlocal explained
        explained += 1
        return real(*args)

    monkeypatch.setattr(score, "_explain", counting)
    top2 = pipeline.match([str(PLANS)], [str(ORGS)], top=2, cache=False)
    assert explained == len(top2.matches) == 2 * len(top2.departments)
    explained = 0
    one = pipeline.match([str(PLANS)], [str(ORGS)], org_id="sl-tongxin-shegong", top=1, cache=False)
    assert len(one.matches) == 1 and explained == len(one.departments)
