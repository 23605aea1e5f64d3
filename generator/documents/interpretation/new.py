"""The file ``python -m generator new interpretation`` writes: every field present and explained in Chinese.

Fields that choose a column start empty, with their allowed values in the comment: a pre-filled value left
as it is would file the document in the wrong column without a word; empty, the build names each one.
"""

from __future__ import annotations

import datetime as dt

from ...config import SiteConfig
from ..base import choices as _choices
from .model import FORMS


def new_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
    t = today.isoformat()
    tags = "、".join(t.name for t in config.tags) or "（site.yaml 中未定义标签）"
    title_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"""---
# 标题：解读的标题，如 “一图读懂《……》”“《……》政策解读”。
标题: {title_yaml}
# *形式：决定解读所在栏目，可选：{_choices(FORMS)}。图片须填 图片、替代文本、文字版；
# 视频须填 视频、封面、字幕、文字实录；音频须填 音频、文字实录。
形式:
# 解读文件：所解读的政策文件（文件名或索引号），至少一件；政策文件页面会自动链接到本解读。
解读文件: []
# 发布日期：应与政策文件同步发布，最迟不超过其发布后3个工作日。
发布日期: {t}
# 解读机构：谁起草谁解读，填写起草处室或单位的全称；解读人可留空。
解读机构: {config.agency.sponsor}
解读人:
# 索引号：全站唯一，由 new 命令按 site.yaml 中 index_no.pattern 编排；发布后不得更改。
索引号: {index_no}
# 摘要：一两句话，用于列表和搜索引擎；留空则取正文开头。
摘要:
# 标签：取自标签目录：{tags}。
标签: []
# 以下八个要素按固定顺序显示，有则填写（Markdown 格式），无则留空。
出台背景:
出台目的:
核心举措:
适用对象:
执行标准:
关键词:
专业名词:
新旧差异:
# 简明问答：每项 {{问: ……, 答: ……}}。
简明问答: []
# 图片解读（一图读懂）：图片路径（PNG、JPEG、GIF、WebP），相对于本文件，如 media/……png。
图片:
# 替代文本：150字以内的图片简要说明，供读屏软件朗读。
替代文本:
# 文字版：图解的全部文字内容，显示在页面上。
文字版:
# 视频解读：视频文件列表（同一视频的 WebM、MP4 格式），封面图片，中文字幕（WebVTT），文字实录。
视频: []
封面:
字幕:
文字实录:
# 音频解读：音频文件列表（MP3、Ogg 等）；文字实录同上。
音频: []
# 语言：与网站语言不同时填写，如繁体填 zh-Hant。
语言:
# 隐私审查：文中确需公开个人信息时，经保密审查后填写；否则留空。
隐私审查:
---

<!-- 文字解读在此处撰写正文（Markdown 格式），并删除本行；其他形式可只写简短导语。 -->
"""
