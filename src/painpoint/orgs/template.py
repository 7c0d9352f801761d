"""An annotated example profile (`painpoint orgs template`) and a profile built from a few answers (`orgs new`)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from painpoint.i18n import N_

TEMPLATE = """\
# painpoint 机构档案（schema v1）示例 —— 复制后改成你们机构的内容，再运行 painpoint orgs check 文件名.yaml
# 只有 id、name、mission 必填；其余各项写得越具体，匹配和简报越准。
id: shili-changqing-shegong        # 必填：小写字母、数字和 '-'，在文件夹中唯一（可用拼音）
name: 示例县长青社会工作服务中心      # 必填：登记全称
mission: 让社区里的老人吃得上热饭、有人常来看。   # 必填：一到三句话的宗旨
kind: 社会服务机构                  # 社会团体 | 社会服务机构（民办非企业单位）| 基金会 | 志愿服务组织 | 其他
region: [示例省示例市示例县]         # 服务地区，写到县区；部门会先问是否在本地
founded: 2016                      # 成立或登记年份
staff: 专职社工8名、志愿者120余名    # 人员规模，照实写
services: [长者助餐, 上门探访, 社区养老服务站运营]   # 做什么，每项一个短语
beneficiaries: [独居老人, 失能老人]  # 服务对象
projects:                          # 最有说服力的部分：做过的项目
  - name: 长者食堂                  # 项目名称
    years: "2019-2024"             # 年份："2019-2024"、"2021" 或 "2019-"
    partners: [示例县民政局, 示例县城关镇人民政府]   # 合作的政府部门或单位
    summary: 在城关镇运营两家长者食堂，为80岁以上和失能老人送餐上门。   # 做了什么
    results: 日均供餐450份，累计服务3.2万人次。                       # 成效：可核实的数字
  - name: 邻里守望探访
    years: "2021"
    partners: [示例县城关镇城东社区居民委员会]
    summary: 组织志愿者每周上门探访独居老人。
    results: 结对独居老人136户。
credentials:                       # 资质：规划写“3A以上”“具有公开募捐资格”时会核对
  grade: 4A                        # 社会组织评估等级
  public_fundraising: false        # 是否具有公开募捐资格
  charity: true                    # 是否认定为慈善组织
  registered_with: 示例县民政局      # 登记管理机关
  other: [示例县优秀社会组织]         # 其他荣誉
"""


@dataclass(frozen=True)
class Question:
    """One question `painpoint orgs new` asks."""

    key: str
    """Where the answer goes: a profile field, or project1.name and the like."""
    prompt: str
    """The question, as shown (translated)."""
    required: bool = False


QUESTIONS = (
    Question("name", N_("Organization's registered name (机构全称)"), True),
    Question("region", N_("Where you work, down to county or district (服务地区)"), False),
    Question("mission", N_("What you do, in one or two sentences (宗旨/做什么)"), True),
    Question("beneficiaries", N_("For whom — separate groups with 、 (服务对象)"), False),
    Question("project1.name", N_("A past project: its name (项目一名称; empty to skip)"), False),
    Question("project1.partners", N_("  its partners, separated by 、 (合作方)"), False),
    Question("project1.results", N_("  its results, with numbers (成效)"), False),
    Question("project2.name", N_("A second project: its name (项目二名称; empty to skip)"), False),
    Question("project2.partners", N_("  its partners, separated by 、 (合作方)"), False),
    Question("project2.results", N_("  its results, with numbers (成效)"), False),
)


def _items(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"[、,，;；]", text) if x.strip()]


def profile_from_answers(answers: Mapping[str, str], profile_id: str) -> str:
    """The YAML profile for `orgs new`'s answers (strings written as JSON, so any text is safe YAML)."""
    def q(value: str) -> str:
        return json.dumps(value.strip(), ensure_ascii=False)

    def flow(values: list[str]) -> str:
        return "[" + ", ".join(q(v) for v in values) + "]"

    lines = ["# painpoint 机构档案（schema v1），由 painpoint orgs new 生成；完整写法见 painpoint orgs template",
             f"id: {profile_id}", f"name: {q(answers['name'])}", f"mission: {q(answers['mission'])}"]
    if answers.get("region", "").strip():
        lines.append(f"region: {flow(_items(answers['region']))}")
    if answers.get("beneficiaries", "").strip():
        lines.append(f"beneficiaries: {flow(_items(answers['beneficiaries']))}")
    projects = [n for n in ("project1", "project2") if answers.get(f"{n}.name", "").strip()]
    if projects:
        lines.append("projects:")
    for n in projects:
        lines.append(f"  - name: {q(answers[n + '.name'])}")
        if answers.get(f"{n}.partners", "").strip():
            lines.append(f"    partners: {flow(_items(answers[n + '.partners']))}")
        if answers.get(f"{n}.results", "").strip():
            lines.append(f"    results: {q(answers[n + '.results'])}")
    return "\n".join(lines) + "\n"
