"""Check that this checkout's outputs are byte-identical to a reference checkout's on the corpus.

    .venv/bin/python bench/check_identical.py --reference /path/to/other/checkout

Runs `painpoint scan PLANS` (json, csv, md) and `painpoint match --plans PLANS --orgs ORGS` (json) with each
checkout's sources (PYTHONPATH=<checkout>/src), every run in a fresh empty cache folder, and compares the bytes;
then once more from a warm cache (per-document entries filled by the first run). A development tool for
performance work: speed-ups must not change a single byte. Exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def outputs(checkout: Path, plans: Path, orgs: Path, scratch: Path) -> dict[str, bytes]:
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"), PAINPOINT_CACHE_DIR=str(cache))
    commands = {f"scan.{fmt}": ["scan", str(plans), "--format", fmt] for fmt in ("json", "csv", "md")}
    commands["match.json"] = ["match", "--plans", str(plans), "--orgs", str(orgs), "--format", "json"]
    commands["scan-nocache.json"] = ["scan", str(plans), "--format", "json", "--no-cache", "--jobs", "1"]
    out = {}
    for warm in ("cold", "warm"):
        for name, args in commands.items():
            target = scratch / f"{checkout.name}-{warm}-{name}"
            if warm == "warm":
                # the run cache would replay the stored output: drop it, so the per-document cache is read
                shutil.rmtree(cache / "v1" / "run", ignore_errors=True)
            subprocess.run([sys.executable, "-m", "painpoint", *args, "--output", str(target)],
                           env=env, check=False, capture_output=True)
            out[f"{warm} {name}"] = target.read_bytes() if target.exists() else b"<missing>"
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", type=Path, required=True, help="the other checkout (its src/ is used)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    plans, orgs = args.corpus / "plans", args.corpus / "orgs"
    with tempfile.TemporaryDirectory(prefix="painpoint-identical-") as tmp:
        scratch = Path(tmp)
        ref = outputs(args.reference.resolve(), plans, orgs, scratch)
        ours = outputs(ROOT, plans, orgs, scratch)
    bad = 0
    for name in ref:
        same = ref[name] == ours[name]
        bad += not same
        print(f"  {'same     ' if same else 'DIFFERENT'} {name} ({len(ours[name]):,} bytes)")
    print("byte-identical" if not bad else f"{bad} output(s) differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
