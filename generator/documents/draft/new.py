"""The file ``python -m generator new draft`` writes: every field present and explained in Chinese."""

from __future__ import annotations

import datetime as dt

from ...config import SiteConfig
from .rules import calendar_of, earliest_deadline, minimum


def new_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
    rules = config.consultation
    title_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    deadline = earliest_deadline("一般政策文件", today, minimum("一般政策文件", rules), calendar_of(config))
    return f"""---
# 标题：意见征集公告的标题，写明草案名称，如 关于公开征求《……（征求意见稿）》意见的公告。
标题: {title_yaml}
# 起草单位：起草处室或单位的全称（谁起草谁解读）。
起草单位: {config.agency.sponsor}
# 草案类型：一般政策文件、规范性文件、重大行政决策。类型决定最短征集期：一般政策文件不少于{rules.general_workdays}个工作日，
# 规范性文件不少于{rules.normative_workdays}个工作日（国办发〔2018〕37号），重大行政决策不少于{rules.major_decision_days}日
# （《重大行政决策程序暂行条例》第十五条）。开始和截止当天都计入。
草案类型: 一般政策文件
# 征集开始日期、征集截止日期：格式 YYYY-MM-DD。页面按构建日期显示“未开始”“征集中”“已截止”“已反馈”。
征集开始日期: {today.isoformat()}
征集截止日期: {deadline.isoformat()}
# 缩短理由：因情况紧急等原因征集期短于上述期限的，在此说明理由（页面公开显示）；否则留空。
缩短理由:
# 起草说明（必填）：起草背景、主要内容和需要说明的问题（Markdown 格式，多段时用 | 开头、每行缩进两格）。
起草说明:
# 制定依据：所依据的法律、法规、规章和政策文件（Markdown 格式），可留空。
制定依据:
# 附件：征求意见稿等文件，每项写路径或 {{标题: 征求意见稿, 文件: files/……docx}}；正文和附件至少有一项。
附件: []
# 反馈渠道：至少填写一项。电子邮箱；通信地址（写明邮编和信封注明事项）；在线提交的网址。
反馈渠道:
  电子邮箱: {config.agency.email}
  通信地址: {config.agency.address}
  在线提交:
# 征集情况说明：征集结束后{rules.report_days}日内补充，填写 发布日期、意见数、采纳数、采纳情况、未采纳理由，例如：
#   征集情况说明:
#     发布日期: YYYY-MM-DD
#     意见数: 12
#     采纳数: 5
#     采纳情况: |
#       ……
#     未采纳理由: |
#       ……
征集情况说明:
# 正式文件：草案正式印发后，填写该政策文件的文件名（不含 .md）或索引号；文件页面会显示“本文件曾公开征求意见”。
正式文件:
# 索引号：意见征集公告的索引号，可留空。
索引号: {index_no}
# 摘要：一两句话，用于列表和搜索；留空则取起草说明开头。
摘要:
# 隐私审查：文中确需公开个人信息时，经保密审查后填写；否则留空。
隐私审查:
---

<!-- 在此处粘贴草案全文（Markdown 格式），并删除本行；也可只提供附件。 -->
"""
