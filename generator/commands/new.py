"""``new``: start a content file with every field present and explained.

An editor should never start from a blank page or guess a field name. The
fields that choose a column (文种, 主题分类, 有效性, 形式 …) start empty, with
their allowed values in the comment, never with a guess: the build names each
one still empty, with its line. The 索引号 is the next free one of the year, so
two editors' new files do not collide unless they are created at the same
moment on different machines (the build then reports the duplicate).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..config import INTERPRETATION_FORMS as FORMS
from ..config import VALIDITY_STATES, SiteConfig
from . import NEW_TYPES
from ..errors import UsageError
from ..structure.index_numbers import assign, used_serials
from .fill_index import site_config, taken_numbers

TYPES = NEW_TYPES
FOLDER = {"policy": "policies", "interpretation": "interpretations", "institution": "institutions"}
SUFFIX = {"policy": ".md", "interpretation": ".md", "institution": ".yaml"}


def next_index_no(config: SiteConfig, today: dt.date) -> str:
    """The 索引号 after the highest one of the year written anywhere in the content (withdrawn ones too)."""
    used = used_serials(taken_numbers(config), config.index_no)
    return assign([("new", today)], used, config.index_no)["new"]


def _choices(values) -> str:
    values = list(values)
    separator = "；" if any("、" in v for v in values) else "、"  # 主题分类 names contain 、 themselves
    return separator.join(values) or "（site.yaml 中未定义）"


def policy_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
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


def interpretation_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
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


def institution_text(config: SiteConfig, title: str, today: dt.date) -> str:
    name_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    categories = _choices(config.institution_categories)
    districts = _choices(config.districts)
    return f"""# 公共企事业单位信息。带 * 的字段必须填写；留空的必填字段在构建时会报错并指出行号。
# *名称：单位全称。
名称: {name_yaml}
# *类别：取自 site.yaml vocabularies.institution_categories：{categories}。
类别:
# *资质或等级：如 国家一级图书馆、国家AAAA级旅游景区；未定级填 未定级。
资质或等级:
# *业务范围：主要服务项目。
业务范围:
# *服务区域：如 全市、某某区各街道。
服务区域:
# *地址：详细地址。
地址:
# *所在区县：取自 site.yaml vocabularies.districts：{districts}。
所在区县:
# *办公时间：开放或办公时间，可分多行写（用 | 开头）。
办公时间:
# *联系电话：带区号，如 {config.agency.phone.display}；多个号码写成列表，可在括号中注明用途，如 0792-8226601（总服务台）。
联系电话:
# *更新日期：本条信息核对更新的日期。
更新日期: {today.isoformat()}
# 网址：单位网站（可留空）。
网址:
# 投诉电话：单位自设的投诉电话（可留空；留空时页面显示主管部门的投诉电话）。
投诉电话:
# 主管部门：可留空。
主管部门: {config.agency.sponsor}
# 简介：300字以内（Markdown 格式，可留空）。
简介:
# 隐私审查：确需公开个人信息时，经保密审查后填写；否则留空。
隐私审查:
"""


def _slug(index_no: str, today: dt.date) -> str:
    digits = re.findall(r"\d+", index_no)
    return f"{today.year}-{digits[-1]}" if digits else today.strftime("%Y%m%d")


def new(kind: str, title: str, content_dir: Path, slug: str | None = None, today: dt.date | None = None) -> Path:
    """Write the new file and return its path; refuses to overwrite."""
    if kind not in TYPES:
        raise UsageError(f"unknown content type {kind!r}; choose one of {', '.join(TYPES)}")
    if not title.strip():
        raise UsageError("the title is empty")
    config = site_config(content_dir)
    today = today or dt.date.today()
    index_no = next_index_no(config, today)
    if kind == "institution" and not slug:
        raise UsageError("pass --slug for a new institution: its file name is its URL (e.g. --slug jiangzhou-tushuguan)")
    slug = slug or _slug(index_no, today)
    if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*" if kind == "institution" else r"[A-Za-z0-9][A-Za-z0-9\-_.]*", slug):
        raise UsageError(f"--slug {slug!r} must use letters, digits and '-' only")
    path = content_dir / FOLDER[kind] / f"{slug}{SUFFIX[kind]}"
    if path.exists():
        raise UsageError(f"{path} already exists; pass --slug to choose another file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "policy":
        text = policy_text(config, title.strip(), index_no, today)
    elif kind == "interpretation":
        text = interpretation_text(config, title.strip(), index_no, today)
    else:
        text = institution_text(config, title.strip(), today)
    path.write_text(text, encoding="utf-8")
    return path
