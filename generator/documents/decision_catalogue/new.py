"""The file ``python -m generator new decision_catalogue`` writes: every field present and explained in Chinese."""

from __future__ import annotations

import datetime as dt

from ...config import SiteConfig


def new_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
    title_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"""---
# 重大行政决策事项目录，每年一个文件，文件名为年度（如 {today.year}.md）。
# 标题：目录全称。
标题: {title_yaml}
# 年度：目录所属年度，须与文件名一致。
年度: {today.year}
# 发布机构：取自 site.yaml vocabularies.issuers：{"、".join(config.issuers)}。
发布机构: {config.issuers[0]}
# 发布日期：格式 YYYY-MM-DD。
发布日期: {today.isoformat()}
# 文号：印发目录的文号，如 江文旅发〔{today.year}〕1号；没有则留空。
文号:
# 索引号：由 new 命令按 site.yaml 中 index_no.pattern 自动编排，可留空。
索引号: {index_no}
# 事项：每个决策事项一项，按目录顺序排列（页面自动编序号）。
#   决策事项、承办单位、决策依据、计划完成时间（年月 YYYY-MM 或日期）、状态（未启动、推进中、已完成、已调整）必填；
#   意见征集：决策草案的意见征集文件名（content/drafts/ 中，不含 .md），页面链接草案、起草说明和征集情况；
#   解读：政策解读的文件名列表；听证、审议：{{日期, 会议, 说明, 文件 或 链接}}；
#   决策文件：决策作出后印发的政策文件（文件名或索引号），留空则取意见征集的“正式文件”；
#   说明：备注；“已调整”的事项须说明调整情况。
#   链接的文件不存在时构建报错；超过计划完成时间仍无决策文件的事项会给出警告。
事项:
  - 决策事项:
    承办单位:
    决策依据:
    计划完成时间: {today.year}-12
    状态: 未启动
    意见征集:
    解读: []
    听证:
    审议:
    决策文件:
    说明:
# 隐私审查：确需公开个人信息时，经保密审查后填写；否则留空。
隐私审查:
---

<!-- 在此处撰写目录说明（Markdown 格式），如公众参与方式、目录调整程序，并删除本行。 -->
"""
