"""The file ``python -m generator new policy`` writes: every field present and explained in Chinese.

Fields that choose a column start empty, with their allowed values in the comment: a pre-filled value left
as it is would file the document in the wrong column without a word; empty, the build names each one.
"""

from __future__ import annotations

import datetime as dt

from ...config import VALIDITY_STATES, SiteConfig
from ..base import choices as _choices


def new_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
    t = today.isoformat()
    tags = "、".join(t.name for t in config.tags) or "（site.yaml 中未定义标签）"
    title_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # Vocabulary fields stay empty: a pre-filled value left as it is would file the document in the
    # wrong column without a word; empty, the build names each one with its line until it is chosen.
    return f"""---
# 带 * 的字段必须填写；留空的必填字段在构建时会报错并指出行号。
# *标题：文件全称。
标题: {title_yaml}
# *索引号：全站唯一，由 new 命令按 site.yaml 中 index_no.pattern 编排；公众和其他机关据此引用，发布后不得更改。
索引号: {index_no}
# *发布机构：填写规范全称，可选：{_choices(config.issuers)}。
发布机构:
# 文号：发文字号，年份用六角括号，如 江文旅发〔{today.year}〕1号；没有文号则留空。
文号:
# 规范性文件登记号：仅规范性文件填写；没有则留空。
规范性文件登记号:
# *主题分类：可选：{_choices(t.name for t in config.topics)}。
主题分类:
# *文种：决定文件所在栏目，可选：{_choices(config.categories)}。
文种:
# *成文日期、*发布日期、施行日期：格式 YYYY-MM-DD；发布日期不得早于成文日期。
成文日期: {t}
发布日期: {t}
施行日期:
# *有效性：决定文件列入现行有效还是失效/废止栏目，可选：{_choices(VALIDITY_STATES)}；不是“现行有效”时须填写有效性变更日期。
有效性:
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
