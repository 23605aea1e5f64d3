"""How each item of the national checklist digest (../shared/gov-requirements.md) is covered.

``inspect`` items are checked by a rule of the registry (its code is listed);
``build`` items are enforced or produced by the build itself (schemas, the
column tree, the theme, the browser tests); ``person`` items need someone to
look (the tool cannot know the answer from the content). The README's
coverage table is generated from this list (``make docs``); a test checks that
every rule's checklist items appear here as covered by it.
"""

from __future__ import annotations

INSPECT, BUILD, PERSON = "inspect", "build", "person"

#: (item, what it asks, how: inspect/build/person, note). Rules are added to inspect items from the registry.
ITEMS: tuple[tuple[str, str, str, str], ...] = (
    ("A1", "footer: 主办/承办, 联系方式, 网站标识码, ICP, 公安备案, 党政机关标识, 找错, 网站地图", BUILD,
     "every page's footer from site.yaml"),
    ("A2", "网站标识码 format", BUILD, "site.yaml schema"),
    ("A3", "找错 link", BUILD, "footer link with the page URL"),
    ("A4", "党政机关标识 (static form)", BUILD, "footer badge from identity.conac_id"),
    ("A5", "site identity complete", BUILD, "site.yaml required fields"),
    ("A6", "domain under .gov.cn", PERSON, "hosting decision"),
    ("A7", "政府网站工作年度报表 on the portal's home page", PERSON, "published on the portal, not in this column"),
    ("B1", "one column named 政府信息公开", BUILD, "column tree in site.yaml"),
    ("B2", "four first-level parts", BUILD, "`disclosure-parts` warning"),
    ("B3", "检索、查阅、下载", BUILD, "static search, attachments, CSV downloads"),
    ("B4", "every 第二十条 category that applies has a column", PERSON, "which categories apply is the agency's call"),
    ("B5", "second-level columns (履职依据 …)", BUILD, "column tree in site.yaml"),
    ("B6", "no empty columns", INSPECT, "also a build error"),
    ("B7", "column and home-page freshness", INSPECT, ""),
    ("B8", "依申请公开 entry and 目录 in the column", BUILD, "disclosure pages"),
    ("C1", "目录: 索引、名称、内容概述、生成日期", BUILD, "policy schema"),
    ("C2", "metadata table on every document", BUILD, "policy page template"),
    ("C3", "date semantics, full issuer names, 内容概述 ≤100字", BUILD, "issuer vocabulary, `summary-length`"),
    ("C4", "published within 20 working days", INSPECT, ""),
    ("C5", "索引号 unique, configurable pattern", BUILD, "`duplicate-index`, `index-pattern`"),
    ("C6", "主题分类 vocabulary", BUILD, "vocabularies.topics"),
    ("C7", "every item shows its 发布时间", BUILD, "lists and pages show 发布日期; staleness: inspect"),
    ("C8", "links and downloads work", INSPECT, "file targets: build errors; anchors: inspect"),
    ("D1", "规范性文件 etc. published", BUILD, "履职依据 columns"),
    ("D2", "修改、废止、失效 marked on the document", BUILD, "validity notices"),
    ("D3", "现行有效 and 废止和失效 listed apart", INSPECT, "validity filters; all-expired lists: inspect"),
    ("D4", "规章 题注 (公布、修订、施行)", PERSON, "no 规章 fields yet; the editor writes the 题注"),
    ("D5", "规章和规范性文件 library, updated", BUILD, "政策文件库"),
    ("D6", "规范性文件登记号", BUILD, "registration_no field"),
    ("D7", "validity vocabulary and dates", BUILD, "policy schema"),
    ("D8", "tags", BUILD, "tag catalogue"),
    ("D9", "annual report figures derivable from the library", INSPECT, ""),
    ("E1", "important policies interpreted", INSPECT, "which policies are important: a person"),
    ("E2", "三同步, linked both ways", INSPECT, "links: build"),
    ("E3", "interpretation within 3 working days", INSPECT, ""),
    ("E4", "forms: 图片、音视频、动漫", BUILD, "interpretation forms"),
    ("E5", "captions, transcripts, text alternatives", INSPECT, "required by the build; whether they match: a person"),
    ("E6", "interpretation elements", BUILD, "structured sections"),
    ("F1", "annual report by 1月31日", INSPECT, ""),
    ("F2", "six sections in order", BUILD, "annual report schema"),
    ("F3", "table 二", INSPECT, "table from the schema; library cross-check: inspect"),
    ("F4", "table 三", BUILD, "annual report schema"),
    ("F5", "table 三 勾稽关系", INSPECT, "build errors"),
    ("F6", "table 四 totals", INSPECT, "build errors"),
    ("F7", "现行有效 carried between years", INSPECT, ""),
    ("F8", "section 六 信息处理费", PERSON, "the editor's text"),
    ("F9", "on time, not copied, archived by year", INSPECT, "accuracy of the text: a person"),
    ("F10", "accessible tables and CSV", BUILD, "annual report page"),
    ("G1", "指南 contents kept up to date", BUILD, "guide page fields; whether they are current: a person"),
    ("G2", "依申请公开 channels and form", BUILD, "application page"),
    ("G3", "time limits stated", PERSON, "the editor's text"),
    ("G4", "help for people with disabilities", PERSON, "the editor's text"),
    ("G5", "制度 column", BUILD, "column tree"),
    ("H1", "scope of 公共企事业单位", PERSON, "which bodies: the agency's call"),
    ("H2", "content categories", PERSON, "the bodies publish their own information"),
    ("H3", "sector directory fields and updates", INSPECT, "fields: build"),
    ("H4", "directory entry schema, phones, 更新日期", INSPECT, "fields and phone format: build"),
    ("I1", "full-text search with filters", BUILD, "static search index"),
    ("I2", "gov-site <meta> tags", BUILD, "page templates"),
    ("I3", "mobile layout", BUILD, "theme; browser tests at 375 px"),
    ("I4", "availability and load time", PERSON, "hosting; pages are static and light"),
    ("I5", "no serious misspellings", INSPECT, "a word list finds known errors; proofreading: a person"),
    ("I6", "design consistency", BUILD, "one theme"),
    ("I7", "网站地图", BUILD, "sitemap page"),
    ("J1", "GB/T 37668 二级 (≈ WCAG AA)", BUILD, "axe browser tests"),
    ("J2", "适老化: no ads, keyboard, large text, contrast, read-aloud", BUILD, "reading aids toolbar"),
    ("J3", "spacing, contrast, text size", BUILD, "theme; contrast tests"),
    ("J4", "无障碍/长者 toolbar", BUILD, "reading aids toolbar"),
    ("J5", "automated accessibility checks in CI", BUILD, "browser tests"),
)


def table(rules) -> str:
    """The README's coverage table: item, what it asks, who checks it, the rules (from the registry)."""
    by_item: dict[str, list[str]] = {}
    for r in rules:
        for item in r.checklist:
            by_item.setdefault(item, []).append(f"`{r.code}`")
    labels = {INSPECT: "inspect", BUILD: "build", PERSON: "a person"}
    rows = ["| item | what it asks | checked by | rules | note |", "|---|---|---|---|---|"]
    for item, what, how, note in ITEMS:
        rows.append(f"| {item} | {what} | {labels[how]} | {', '.join(by_item.get(item, [])) or '—'} | {note} |")
    return "\n".join(rows)


def rules_table(rules) -> str:
    """The README's rule table: code, title, default severity, source, what it finds."""
    rows = ["| rule | 名称 | severity | source | finds |", "|---|---|---|---|---|"]
    for r in rules:
        also = f" (also `check`: {', '.join(f'`{c}`' for c in r.diagnostics)})" if r.diagnostics else ""
        rows.append(f"| `{r.code}` | {r.title} | {r.severity} | {r.source} | {r.summary}{also} |")
    return "\n".join(rows)
