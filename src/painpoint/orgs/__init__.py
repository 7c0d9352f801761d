"""Organization profiles: the v1 schema (OrgProfile) and loading it from YAML, listing every problem."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from painpoint.orgs.files import MAX_PROFILE_BYTES
    from painpoint.orgs.load import load_profile, load_profiles
    from painpoint.orgs.profile import OrgKind, OrgProfile, OrgProject, parse_profile

__all__ = [
    "MAX_PROFILE_BYTES",
    "OrgKind",
    "OrgProfile",
    "OrgProject",
    "load_profile",
    "load_profiles",
    "parse_profile",
]

# imported on first use: a replayed `match` lists profile files (orgs.files) without loading PyYAML
_WHERE = {"MAX_PROFILE_BYTES": "files", "load_profile": "load", "load_profiles": "load", "OrgKind": "profile",
          "OrgProfile": "profile", "OrgProject": "profile", "parse_profile": "profile"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"painpoint.orgs.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'painpoint.orgs' has no attribute {name!r}")
