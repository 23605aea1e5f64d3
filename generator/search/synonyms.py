"""What the search needs from site.yaml beyond the documents: the synonym table and the names that weigh little.

**Synonyms.** Citizens type short names and everyday words (文旅局, 年报, 非遗,
网吧); documents use full names (江州市文化和旅游局, 年度报告, 非物质文化遗产,
互联网上网服务营业场所). A query term containing a word of the table also
finds the term with the word replaced by each of its synonyms (search.js and
``tests/search_rank.py`` do the replacing). The table is the built-in one
(:data:`COMMON` and the agency's own short names, derived from
``agency.sponsor``) unless ``search.default_synonyms`` is false, with
``search.synonyms`` from site.yaml added (replacing a built-in entry for the same word).

**Names.** The agency's name, the issuers' names and the site's name occur in
nearly every document; a query word that occurs only inside one of them (旅游
in 江州市文化和旅游局) says little about the document, so the index puts those
occurrences in the lowest zone (:mod:`generator.search.index`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from .text import normalize

SEPARATOR = 0xFFFF  # a noncharacter between fields when names are looked for in a whole batch at once

#: Everyday words and the words documents use for them: 一网通办 is done on the 政务服务网; A级旅游景区 grades
#: are written AAAA … (GB/T 17775); the legal names of 网吧 and KTV are 互联网上网服务营业场所 (互联网上网服务营业场所
#: 管理条例) and 歌舞娱乐场所 (娱乐场所管理条例).
COMMON: dict[str, tuple[str, ...]] = {
    "年报": ("年度报告",),
    "非遗": ("非物质文化遗产",),
    "文旅": ("文化和旅游", "文化旅游"),
    "一网通办": ("政务服务网", "网上办理", "在线办理"),
    "网吧": ("互联网上网服务营业场所",),
    "ktv": ("歌舞娱乐场所", "娱乐场所"),
    "歌厅": ("歌舞娱乐场所",),
    "5a": ("aaaaa",),
    "4a": ("aaaa",),
    "3a": ("aaa",),
    "a级景区": ("a级旅游景区",),
    "预决算": ("预算", "决算"),
    "补贴": ("补助",),
    "红头文件": ("规范性文件",),
    "开放时间": ("办公时间",),
    "几点开门": ("开放时间", "办公时间"),
    "开门时间": ("开放时间", "办公时间"),
    "营业时间": ("开放时间", "办公时间"),
    "电话": ("联系方式",),
    "地址": ("联系方式",),
    "职责": ("职能",),
    "联系我们": ("联系方式",),
    "机构设置": ("内设机构", "机构职能"),
    "办事指南": ("服务指南", "申报指南"),
    "景点": ("景区",),
    "图解": ("一图读懂",),
}

#: Short names of agency kinds in common use: the stem (between the place and the kind) and its short form.
AGENCY_STEMS = {
    "文化和旅游": ("文旅",), "文化广电旅游": ("文旅", "文广旅"), "文化广电和旅游": ("文旅", "文广旅"),
    "文化广电新闻出版旅游": ("文旅", "文广新旅"), "人力资源和社会保障": ("人社",), "住房和城乡建设": ("住建",),
    "市场监督管理": ("市场监管",), "卫生健康": ("卫健",), "发展和改革": ("发改",), "生态环境": ("环保",),
    "自然资源和规划": ("自然资源", "资规"), "农业农村": ("农业",), "交通运输": ("交通",), "应急管理": ("应急",),
    "医疗保障": ("医保",), "退役军人事务": ("退役军人",), "教育体育": ("教体",), "人民政府": ("政府",),
}
#: The kind of agency at the end of its name, and its short form (卫生健康委员会 → 卫健委).
AGENCY_KINDS = {"委员会": "委", "办公室": "办", "局": "局", "厅": "厅", "委": "委", "办": "办"}
_PLACE_END = ("自治州", "自治县", "自治区", "省", "市", "县", "区", "盟", "旗")
_PAIR = re.compile(r"^(.)(.)和(.)(.)$")  # 文化和旅游 → 文旅, for stems the table does not know


def agency_short_names(name: str) -> dict[str, tuple[str, ...]]:
    """Short name → the agency's name without its place (文旅局 → 文化和旅游局, which every
    江州市文化和旅游局 contains; 市文旅局 and 江州文旅局 then work by replacement inside the term)."""
    name = name or ""
    kind = next((k for k in AGENCY_KINDS if name.endswith(k)), None)
    if kind is None:
        return {}
    starts = [0] + [n + len(end) for n in range(len(name)) for end in _PLACE_END if name.startswith(end, n)]
    for start in sorted(set(starts)):  # the first place split that leaves a known stem
        body = name[start:]
        stem = body[:-len(kind)]
        shorts = AGENCY_STEMS.get(stem)
        if shorts is None and _PAIR.match(stem):
            shorts = (stem[0] + stem[3],)
        if shorts:
            return {short + AGENCY_KINDS[kind]: (body,) for short in shorts}
    return {}


def synonym_table(config) -> dict[str, list[str]]:
    """Normalised word → the normalised words it also finds (built-in entries, then site.yaml's)."""
    table: dict[str, list[str]] = {}
    sources = [config.synonyms]
    if config.default_synonyms:
        sources.insert(0, {**COMMON, **agency_short_names(config.agency.sponsor)})
    for source in sources:
        merged: dict[str, list[str]] = {}
        for word, others in source.items():
            key = normalize(word)
            merged.setdefault(key, []).extend(normalize(o) for o in others)
        for key, others in merged.items():
            others = [o for o in dict.fromkeys(others) if o and o != key]
            if key and others:
                table[key] = others
            elif key:
                table.pop(key, None)
    return dict(sorted(table.items()))


def masked_names(config) -> list[str]:
    """The normalised names of the agency, the site and every issuer, longest first."""
    names = {normalize(n) for n in [config.agency.sponsor, config.name, *config.issuers] if n}
    return sorted((n for n in names if len(n) >= 2), key=lambda n: (-len(n), n))


def name_pattern(names: Iterable[str]) -> re.Pattern | None:
    """The pattern of the (normalised) names whose characters are in ZONE_NAME; longest first, so that
    the leftmost match is also the longest."""
    names = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, names))) if names else None


def name_mask(cps: np.ndarray, ends, names: re.Pattern | None) -> np.ndarray:
    """Which normalised characters are inside an occurrence of a name (leftmost-longest, per field)."""
    mask = np.zeros(len(cps), bool)
    if names is None or not len(cps):
        return mask
    # One string for the batch, a separator between fields, so that no match spans two fields.
    cuts = np.unique(np.asarray(ends, np.int64))
    cuts = cuts[(cuts > 0) & (cuts < len(cps))]
    joined = np.insert(cps.astype(np.uint32), cuts, SEPARATOR)
    text = joined.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")
    spans = [m.span() for m in names.finditer(text)]
    if not spans:
        return mask
    at = np.array(spans, np.int64)
    separators = cuts + np.arange(len(cuts))  # where the separators are in the joined string
    start = at[:, 0] - np.searchsorted(separators, at[:, 0])
    delta = np.zeros(len(cps) + 1, np.int32)
    np.add.at(delta, start, 1)
    np.add.at(delta, start + at[:, 1] - at[:, 0], -1)
    return np.cumsum(delta[:-1]) > 0
