"""The file ``python -m generator new policy`` writes: every field present and explained in Chinese."""

from __future__ import annotations

import datetime as dt

from ...config import SiteConfig


def new_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
    t = today.isoformat()
    topics = "、".join(t.name for t in config.topics[:8]) + ("……" if len(config.topics) > 8 else "")
    tags = "、".join(t.name for t in config.tags) or "（site.yaml 中未定义标签）"
    title_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"""---
# 标题：文件全称。
标题: {title_yaml}
# 索引号：全站唯一，由 new 命令按 site.yaml 中 index_no.pattern 自动编排，请勿重复使用。
索引号: {index_no}
# 发布机构：须为 site.yaml vocabularies.issuers 中的规范全称：{"、".join(config.issuers)}。
发布机构: {config.issuers[0]}
# 文号：发文字号，年份用六角括号，如 江文旅发〔{today.year}〕1号；没有文号则留空。
文号:
# 规范性文件登记号：仅规范性文件填写；没有则留空。
规范性文件登记号:
# 主题分类：取值见 site.yaml vocabularies.topics，如 {topics}。
主题分类: {config.topics[0].name}
# 文种：{"、".join(config.categories)}。
文种: {config.categories[0]}
# 成文日期、发布日期、施行日期：格式 YYYY-MM-DD；发布日期不得早于成文日期。
成文日期: {t}
发布日期: {t}
施行日期:
# 有效性：现行有效、已修改、失效、废止；不是“现行有效”时须填写有效性变更日期。
有效性: 现行有效
有效性变更日期:
# 替代 / 修改：本文件替代或修改的文件（文件名或索引号）；被替代的文件会自动显示反向链接。
替代: []
修改: []
# 被替代 / 被修改：也可以写在旧文件一侧，两种写法任选其一。
被替代: []
被修改: []
# 相关文件：其他相关文件。
相关文件: []
# 标签：取自标签目录：{tags}。
标签: []
# 关键词：主题词。
关键词: []
# 摘要：内容概述，不超过100字；留空则取正文开头。
摘要:
# 办事链接：涉及“一网通办”事项时填写办事地址，页面和列表中显示“办”字图标。
办事链接:
# 原文链接：正文不在本站发布时（如法律、行政法规），填写官方文本地址。
原文链接:
# 附件：每项写文件路径，或 {{标题: 附件1：……, 文件: files/……}}。
附件: []
# 语言：与网站语言不同时填写，如繁体文件填 zh-Hant。
语言:
# 隐私审查：文中确需公开个人信息（身份证号、银行卡号、手机号、邮箱）时，经保密审查后填写，
# 如 {{允许: [手机号], 审查人: 张三, 审查日期: {t}, 说明: 经本人书面同意公开}}；否则留空。
隐私审查:
---

<!-- 在此处撰写正文（Markdown 格式），并删除本行。 -->
"""
