"""Drafts for public comment (意见征集): one Markdown file per draft under ``content/drafts/``.

- :mod:`.model`: front-matter schema, :class:`Draft`, :func:`read_draft`;
- :mod:`.rules`: the comment period and the 征集情况说明, checked against site.yaml ``consultation``;
- :mod:`.links`: the final policy (both ways), the state on the build date, what is overdue, the list order;
- :mod:`.new`: the file ``new draft`` writes.

A page carries its dates in ``data-`` attributes so that ``static/consultation.js``
moves the label (未开始 → 征集中 → 已截止) when a deadline passes between
builds; without the script the printed dates say the same.
"""

from __future__ import annotations

from ...config import ListFilter
from ...schema import Choice, ListOf
from ..base import ColumnView, ContentType, DocumentMeta, NewSpec, PageSpec, SearchSpec
from .links import group_label, link_drafts, list_groups, status_on
from .model import (ANSWERED, CHANNELS_SCHEMA, CLOSED, DRAFT_SCHEMA, KINDS, OPEN, REPORT_SCHEMA, UPCOMING, Draft,
                    read_draft)
from .new import new_text

#: The theme script that moves a draft's label at its dates (progressive enhancement).
STATUS_SCRIPT = "static/consultation.js"


def _context(site, draft: Draft) -> dict:
    return {"draft": draft, "script": STATUS_SCRIPT}


def _meta(site, draft: Draft) -> DocumentMeta:
    return DocumentMeta(draft.drafter, ["意见征集", draft.kind], draft.start, draft.updated, draft.description)


def _text(body) -> str:
    return body.text if body is not None else ""


def search_fields(draft: Draft) -> list[str]:
    out = [draft.title, draft.drafter, draft.kind, draft.index_no or "", draft.summary, _text(draft.explanation),
           _text(draft.basis), draft.body.text, " ".join(a.title for a in draft.attachments)]
    if draft.report is not None:
        out += [_text(draft.report.adoption), _text(draft.report.rejection)]
    return out


def _facets(draft: Draft, config) -> dict:
    # 发布机构 of a draft: the vocabulary issuer its 起草单位 is part of (…局 for …局资源开发处).
    issuers = sorted(config.issuers, key=len, reverse=True)
    return {"issuer": next((name for name in issuers if draft.drafter.startswith(name)), None)}


TYPE = ContentType(
    name="draft", label="意见征集", folder="drafts", suffixes=(".md",), model=Draft, read=read_draft,
    schemas={"draft": DRAFT_SCHEMA, "draft.channels": CHANNELS_SCHEMA, "draft.report": REPORT_SCHEMA},
    url="yjzj/{id}/",
    list_filters=(
        ListFilter("kind", "kind", ListOf(Choice(KINDS)), "Only drafts of these 草案类型.",
                   "[规范性文件, 重大行政决策]"),
    ),
    # Newest first here; the link pass puts open drafts first once it knows the build date.
    order=lambda docs: sorted(docs, key=lambda d: (d.start, d.id), reverse=True),
    link=link_drafts,
    derived=("url", "status", "final", "decision"),
    page=PageSpec("draft.html", _context, _meta),
    search=SearchSpec(search_fields, lambda d: d.start, lambda d: d.description, _facets),
    new=NewSpec(new_text, ".md"),
    index_date="start",
    column=ColumnView(groups=list_groups, scripts=(STATUS_SCRIPT,)),
    assets=lambda doc: [a.path for a in doc.attachments],
)

__all__ = ["ANSWERED", "CLOSED", "DRAFT_SCHEMA", "KINDS", "OPEN", "STATUS_SCRIPT", "TYPE", "UPCOMING", "Draft",
           "group_label", "read_draft", "status_on"]
