"""The file ``python -m generator new message`` writes: every field present and explained in Chinese."""

from __future__ import annotations

import datetime as dt

from ...config import SiteConfig
from ..base import yaml_string


def new_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
    t = today.isoformat()
    return f"""---
# 网民留言选登。带 * 的字段必须填写；答复内容写在文件末尾的 --- 之后。
# 不得写入留言人的姓名、电话、身份证号、邮箱、地址等个人信息，也不要添加“姓名”“联系电话”之类的字段：
# 构建会拒绝这样的字段，并把文中的个人信息作为错误报告。
# *留言标题：公开时显示的标题。
留言标题: {yaml_string(title)}
# *留言摘要：留言主要内容的概括，不写姓名、号码和住址。
留言摘要:
# *留言日期、受理日期、答复日期：格式 YYYY-MM-DD，先后顺序不能颠倒，且不能晚于构建日期。
# 受理日期到答复日期超过 {config.messages.reply_limit} 个工作日（site.yaml messages.reply_limit）时构建会给出警告。
留言日期: {t}
受理日期: {t}
答复日期: {t}
# *答复部门：答复的处室或单位全称。
答复部门: {config.agency.sponsor}
---

<!-- 在此处撰写答复内容（Markdown 格式），并删除本行。 -->
"""
