"""painpoint: find what Chinese government plans need, and which social organizations can provide it.

Library use, without the command line::

    from painpoint import scan, match
    result = match(["data/plans"], ["data/orgs"], top=3)
    for m in result.matches:
        print(m.department, m.org_name, m.score, m.reasons[0])

    from contextlib import closing
    from painpoint import RunStore              # --store results.db --resume, from Python
    with closing(RunStore("results.db", resume=True)) as store:
        match(["data/plans"], ["data/orgs"], store=store)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.2.0"

# Public names and the module each lives in; imported on first use so `painpoint --help` stays fast.
_API = {
    "scan": "painpoint.pipeline",
    "match": "painpoint.pipeline",
    "ScanResult": "painpoint.pipeline",
    "MatchResult": "painpoint.pipeline",
    "RunStore": "painpoint.runstore",
    "read_document": "painpoint.ingest",
    "discover": "painpoint.ingest",
    "parse_plan": "painpoint.plans",
    "Plan": "painpoint.plans",
    "Segmenter": "painpoint.text.segmenter",
    "load_taxonomy": "painpoint.themes",
    "PainPoint": "painpoint.themes",
    "load_profiles": "painpoint.orgs",
    "OrgProfile": "painpoint.orgs",
    "Match": "painpoint.match",
    "Department": "painpoint.match",
    "PainpointError": "painpoint.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'painpoint' has no attribute {name!r}")
