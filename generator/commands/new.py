"""``new``: start a content file with every field present and explained.

An editor should never start from a blank page or guess a field name. The
file is complete enough to build once the body is written; the 索引号 is the
next free one of the year, so two editors' new files do not collide unless
they are created at the same moment on different machines (the build then
reports the duplicate).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..config import SiteConfig, load_config
from ..errors import ContentError, Report, UsageError
from ..readers.discover import discover
from ..readers.frontmatter import read_markdown_file

TYPES = ("policy",)
FOLDER = {"policy": "policies"}


def next_index_no(config: SiteConfig, year: int, month: int) -> str:
    """The 索引号 after the highest one of ``year`` found in existing content (valid or not)."""
    regex = config.index_no.regex()
    seqs = [0]
    quiet = Report()
    for paths in discover(config.content_dir, quiet).by_type.values():
        for path in paths:
            source = read_markdown_file(path, quiet)
            if source is None:
                continue
            for key in ("索引号", "index_no"):
                m = regex.fullmatch(str(source.meta.get(key, "")))
                if m and int(m.groupdict().get("year") or year) == year:
                    seqs.append(int(m.group("seq")))
    return config.index_no.format(year, month, max(seqs) + 1)


def _yaml_list(values) -> str:
    return "[" + ", ".join(values) + "]"


def policy_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
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


def _slug(index_no: str, today: dt.date) -> str:
    digits = re.findall(r"\d+", index_no)
    return f"{today.year}-{digits[-1]}" if digits else today.strftime("%Y%m%d")


def new(kind: str, title: str, content_dir: Path, slug: str | None = None, today: dt.date | None = None) -> Path:
    """Write the new file and return its path; refuses to overwrite."""
    if kind not in TYPES:
        raise UsageError(f"unknown content type {kind!r}; choose one of {', '.join(TYPES)}")
    if not title.strip():
        raise UsageError("the title is empty")
    if not content_dir.is_dir():
        raise UsageError(f"content folder not found: {content_dir}")
    report = Report()
    config = load_config(content_dir, report)
    if config is None:
        raise ContentError(report)
    today = today or dt.date.today()
    index_no = next_index_no(config, today.year, today.month)
    slug = slug or _slug(index_no, today)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-_.]*", slug):
        raise UsageError(f"--slug {slug!r} must use letters, digits, '-', '_' and '.' only")
    path = content_dir / FOLDER[kind] / f"{slug}.md"
    if path.exists():
        raise UsageError(f"{path} already exists; pass --slug to choose another file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(policy_text(config, title.strip(), index_no, today), encoding="utf-8")
    return path
