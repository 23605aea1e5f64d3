"""The file ``python -m generator new qa`` writes: every field present and explained in Chinese."""

from __future__ import annotations

import datetime as dt

from ...config import SiteConfig
from ..base import yaml_string


def new_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
    topics = "、".join(config.qa_topics) or "（site.yaml 中未定义，请先在 vocabularies 下添加 qa_topics）"
    return f"""---
# 政策问答。带 * 的字段必须填写；答复写在文件末尾的 --- 之后。留空的必填字段在构建时会报错并指出行号。
# *问题：群众提出的问题，用提问的口吻写，如“……怎么申请？”。
问题: {yaml_string(title)}
# *主题：取自 site.yaml vocabularies.qa_topics：{topics}。政策问答页面按主题分组。
主题: {config.qa_topics[0] if config.qa_topics else ""}
# *答复机构：负责答复的处室或单位全称（谁制定谁答复）。
答复机构: {config.agency.sponsor}
# *日期：答复或最近一次核对答复的日期（YYYY-MM-DD）。
日期: {today.isoformat()}
# 相关政策：问题涉及的政策文件（文件名或索引号），可填多件，如 [2024-feiyi-zijin-banfa]；这些文件的页面会列出本问答。
相关政策: []
# 隐私审查：答复中确需公开个人信息时，经保密审查后填写；否则留空。
隐私审查:
---

<!-- 在此处撰写答复（Markdown 格式），并删除本行。不要写入咨询人的姓名、电话等个人信息。 -->
"""
