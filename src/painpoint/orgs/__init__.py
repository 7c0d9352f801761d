"""Organization profiles: the v1 schema (OrgProfile) and loading it from YAML, listing every problem."""

from __future__ import annotations

from painpoint.orgs.load import MAX_PROFILE_BYTES, load_profile, load_profiles
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
