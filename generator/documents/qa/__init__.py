"""The policy Q&A library (政策问答库): one Markdown file per question under ``content/qa/``.

- :mod:`.model`: front-matter schema, :class:`QaEntry`, :func:`read_qa`;
- :mod:`.links`: each entry linked with its policies both ways; the topic groups of the Q&A page;
- :mod:`.new`: the file ``new qa`` writes.

A column with ``list: {type: qa}`` is the Q&A page: every entry grouped by 主题,
then the 简明问答 of the policy interpretations, linking to them. Each entry
also has its own page, is listed on the pages of the policies it concerns and
is found by the site search.
"""

from __future__ import annotations

from ..base import ColumnView, ContentType, DocumentMeta, NewSpec, PageSpec, SearchSpec, issuer_of, serial_slug
from .links import TopicGroup, group_by_topic, link_qa
from .model import QA_ENTRY_SCHEMA, TOPICS_KEY, QaEntry, read_qa
from .new import new_text


def _context(site, entry: QaEntry) -> dict:
    return {"entry": entry, "library": site.home_of(entry)}


def _meta(site, entry: QaEntry) -> DocumentMeta:
    return DocumentMeta(entry.answerer, [entry.topic], entry.date, entry.date, entry.summary)


def _listing(site, column) -> dict:
    return {"groups": group_by_topic(column.items, site.config.qa_topics),
            "interpretations": [i for i in site.interpretations if i.qa]}


def search_fields(entry: QaEntry) -> list[str]:
    return [entry.question, entry.body.text, entry.answerer, entry.topic, " ".join(p.title for p in entry.policies)]


TYPE = ContentType(
    name="qa", label="政策问答", folder="qa", suffixes=(".md",), model=QaEntry, read=read_qa,
    schemas={"qa": QA_ENTRY_SCHEMA}, url="zcwd/{id}/", url_year=False, list_filters=(),
    order=lambda entries: sorted(entries, key=lambda e: e.sort_key),
    link=link_qa,
    derived=("url", "policies"),
    page=PageSpec("qa.html", _context, _meta),
    search=SearchSpec(search_fields, lambda e: e.date, lambda e: e.summary,
                      lambda e, config: {"issuer": issuer_of(e.answerer, config)}),
    new=NewSpec(new_text, ".md", slug=serial_slug),
    column=ColumnView(template="qa_library.html", context=_listing),
)

__all__ = ["QA_ENTRY_SCHEMA", "TOPICS_KEY", "TYPE", "QaEntry", "TopicGroup", "read_qa"]
