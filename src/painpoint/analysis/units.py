"""Responsible units as plans name them (县民政局, 示例县妇女联合会, 团县委), reduced to comparable keys."""

from __future__ import annotations

import re

from painpoint.plans.department import split_place

_LEVEL = "省市县区州"
_LONG_FORMS = (("妇女联合会", "妇联"), ("残疾人联合会", "残联"), ("人民政府", "政府"))
SKIP_UNIT = re.compile(r"^各|各部门|成员单位|领导小组|各级|等$")
# Finance and planning offices co-sign nearly every task as 配合单位: as members they would link everything.
FUNDERS = frozenset({"财政局", "财政厅", "发展和改革局", "发展改革局", "发展和改革委员会", "发展改革委",
                     "发改委"})


def unit_key(name: str) -> str:
    """A unit's name without its place, so 县民政局, 示例县民政局 and 民政局 compare equal."""
    name = name.strip()
    if re.fullmatch(r"团[省市县区]委", name) or name.startswith("共青团"):
        return "团委"
    if name[:1] in _LEVEL and len(name) > 2:
        # the plan's own place, left implicit (县民政局); 县委社会工作部 is a Party office
        rest = "党委" + name[2:] if name[1] == "委" else name[1:]
    else:
        place, rest = split_place(name)
        rest = rest or name
        if place and rest.startswith("委"):
            rest = "党委" + rest[1:]
    for long, short in _LONG_FORMS:
        rest = rest.replace(long, short)
    return rest


def qualified(unit: str, place: str | None) -> str:
    """县公安局 in 示例县's plans is 示例县公安局."""
    if place and unit[:1] in _LEVEL and place.endswith(unit[0]):
        return place + unit[1:]
    return unit
