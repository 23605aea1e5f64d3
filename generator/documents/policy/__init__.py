"""The policy document (政策文件 / 规范性文件): one Markdown file per document under ``content/policies/``.

- :mod:`.model`: front-matter schema, :class:`Policy`, :func:`read_policy`;
- :mod:`.links`: 索引号, replacement and amendment links both ways, validity notices;
- :mod:`.comparisons` and :mod:`.compare`: the 新旧对照 pages of replaced and amended documents;
- :mod:`.new`: the file ``new policy`` writes.
"""

from __future__ import annotations

from ...config import VALIDITY_FILTER, ListFilter, validity_values
from ...schema import Choice, ListOf
from ..base import ContentType, DocumentMeta, NewSpec, PageSpec, SearchSpec
from .links import link_policies
from .model import POLICY_SCHEMA, RELATIONS, Notice, Policy, read_policy
from .new import new_text

#: Labels of the relation lists on a policy's page, in the order shown.
RELATION_LABELS = (("replaces", "本文件替代的文件"), ("replaced_by", "替代本文件的文件"), ("amends", "本文件修改的文件"),
                   ("amended_by", "修改本文件的文件"), ("related", "相关文件"))


def _context(site, doc: Policy) -> dict:
    return {
        "doc": doc,
        "notice": doc.notice,
        "topic": site.topic_page(doc.topic),
        "tags": [site.tag_page(name) for name in doc.tags],
        "relations": [(label, getattr(doc, attr)) for attr, label in RELATION_LABELS if getattr(doc, attr)],
        "interpretations": doc.interpretations,
        "qa": doc.qa,
        "message_url": site.config.messages.link(doc.title, site.config.base_url + doc.url, doc.index_no),
    }


def _meta(site, doc: Policy) -> DocumentMeta:
    return DocumentMeta(doc.issuer, doc.keywords or doc.tags or [doc.topic], doc.published,
                        max(d for d in (doc.published, doc.validity_date) if d), doc.description, doc.language)


def _join(*parts) -> str:
    return " ".join(p for p in parts if p)


def search_fields(doc: Policy) -> list[str]:
    return [doc.title, doc.doc_no or "", doc.index_no or "", doc.registration_no or "", doc.issuer, doc.topic,
            doc.category, _join(*doc.keywords), _join(*doc.tags), doc.summary, doc.body.text,
            _join(*(a.title for a in doc.attachments))]


TYPE = ContentType(
    name="policy", label="政策文件", folder="policies", suffixes=(".md",), model=Policy, read=read_policy,
    schemas={"policy": POLICY_SCHEMA}, url="zcwj/{id}/",
    list_filters=(
        ListFilter("category", "category", ListOf(Choice("categories", "a 文种 from vocabularies.categories")),
                   "Only documents of these 文种.", "[规范性文件]"),
        ListFilter("validity", "validity", VALIDITY_FILTER,
                   "Only current (现行有效, 已修改), repealed (失效, 废止) or the listed states.", "current",
                   values=validity_values, default="all"),
        ListFilter("topic", "topic", ListOf(Choice("topics", "a 主题分类 from vocabularies.topics")),
                   "Only documents with these 主题分类.", "[文化、广电、新闻出版]"),
        ListFilter("issuer", "issuer", ListOf(Choice("issuers", "an issuer from vocabularies.issuers")),
                   "Only documents of these 发布机构.", "[江州市文化和旅游局]"),
        ListFilter("tag", "tags", ListOf(Choice("tags", "a tag from vocabularies.tags")),
                   "Only items carrying one of these 标签.", "[惠企政策]"),
    ),
    order=lambda docs: sorted(docs, key=lambda p: p.sort_key, reverse=True),
    link=link_policies,
    derived=("url", *RELATIONS, "notice", "interpretations", "interpretation_forms", "qa", "consultation",
             "decision", "comparisons"),
    page=PageSpec("policy.html", _context, _meta),
    search=SearchSpec(search_fields, lambda p: p.published, lambda p: p.description,
                      lambda p, config: {"issuer": p.issuer, "topic": p.topic, "validity": p.validity,
                                         "doc_no": p.doc_no, "language": p.language},
                      lambda p: [p.doc_no, p.index_no, p.registration_no, p.category, _join(*p.keywords)]),
    new=NewSpec(new_text, ".md"),
    assets=lambda doc: [a.path for a in doc.attachments],
)

__all__ = ["POLICY_SCHEMA", "TYPE", "Notice", "Policy", "read_policy"]
