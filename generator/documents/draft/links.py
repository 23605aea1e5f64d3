"""Drafts and their final policies, linked both ways; each draft's state on the build date; the list order.

Everything here reads the build date from ``config.today`` (``--today``), never
the clock: a build is reproducible for any day, and a page whose state changes
is rebuilt (``status`` is declared derived).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ...config import SiteConfig
from ...errors import Report, display_path
from ..base import DocIndex, ListGroup
from .rules import days_text
from .model import ANSWERED, CLOSED, OPEN, UPCOMING, Draft

#: List headings of the drafts not yet closed; closed ones are grouped by year.
GROUP_LABELS = {OPEN: "正在征集", UPCOMING: "即将开始征集"}
_GROUP_RANK = {OPEN: 0, UPCOMING: 1}


def status_on(draft: Draft, today: dt.date) -> str:
    if today < draft.start:
        return UPCOMING
    if today <= draft.deadline:
        return OPEN
    return ANSWERED if draft.report is not None and draft.report.published <= today else CLOSED


def _resolve_final(drafts: list[Draft], policies: list, report: Report) -> None:
    index = DocIndex(policies)
    for draft in drafts:
        ref = draft.final_ref
        if ref is None:
            continue
        policy = index.resolve(draft.source, ref, "正式文件", f"正式文件: unknown policy document {ref.value!r}",
                               "name the policy the draft became by its file name (without .md) or its 索引号; "
                               "leave 正式文件 out until it is published", report)
        if policy is None:
            continue
        if policy.consultation is not None:
            report.error(draft.source, ref.line, f"正式文件: {policy.id} is already the final document of "
                         f"{display_path(policy.consultation.source)}",
                         "a policy comes from one draft; check which draft it was", code="draft-final")
            continue
        draft.final, policy.consultation = policy, draft
        if policy.published <= draft.deadline:
            report.warning(draft.source, ref.line, f"正式文件 {policy.id} was published {policy.published}, before the "
                           f"comment period closed ({draft.deadline})",
                           "a policy is issued after the comments were considered; check 正式文件 and the dates",
                           code="draft-final")


def _check_report_due(draft: Draft, config: SiteConfig, report: Report) -> None:
    """A closed draft's 征集情况说明 is due ``report_days`` days after the deadline."""
    today, days = config.today, config.consultation.report_days
    if draft.report is not None and draft.report.published > today:
        report.warning(draft.source, draft.lines["report"], f"征集情况说明 is dated {draft.report.published}, after "
                       f"the build date {today}", "the page shows it already; check its 发布日期", code="draft-report")
        return
    due = draft.deadline + dt.timedelta(days=days)
    if draft.status == CLOSED and today > due:
        report.warning(draft.source, draft.lines["deadline"],
                       f"{draft.id}: no 征集情况说明 {(today - draft.deadline).days} days after the deadline "
                       f"{draft.deadline}; it was due by {due} (overdue by {days_text((today - due).days)})",
                       f"publish the report: add `征集情况说明:` with 发布日期, 意见数 and 采纳情况 (due within {days} "
                       "days after the period closes)", code="draft-report-overdue")


def _sort_key(draft: Draft) -> tuple:
    """Open first (closing soonest first), then those not yet open, then closed ones newest year first."""
    rank = _GROUP_RANK.get(draft.status)
    if rank == 0:
        return (0, draft.deadline.toordinal(), draft.id)
    if rank == 1:
        return (1, draft.start.toordinal(), draft.id)
    return (2, -draft.year, -draft.deadline.toordinal(), draft.id)


def link_drafts(library: dict[str, list], config: SiteConfig, report: Report) -> None:
    """Resolve each draft's final policy, set its state on the build date, check what is due, and order the
    library by state (the order columns list them in)."""
    drafts: list[Draft] = library["draft"]
    _resolve_final(drafts, library.get("policy", []), report)
    for draft in drafts:
        draft.status = status_on(draft, config.today)
        _check_report_due(draft, config, report)
    drafts.sort(key=_sort_key)


def group_label(draft: Draft) -> str:
    return GROUP_LABELS.get(draft.status) or f"{draft.year}年"


def list_groups(items: list, every: list) -> list[ListGroup]:
    """A page of a drafts list under its headings (正在征集, 即将开始征集, then one per year); each heading counts
    the whole list's drafts under it. The library order keeps each group together."""
    counts = Counter(group_label(d) for d in every)
    position: dict[int, int] = {}
    seen: Counter = Counter()
    for d in every:
        label = group_label(d)
        seen[label] += 1
        position[id(d)] = seen[label]
    groups: list[ListGroup] = []
    for d in items:
        label = group_label(d)
        if groups and groups[-1].label == label:
            groups[-1].items.append(d)
        else:
            groups.append(ListGroup(label, counts[label], [d], position[id(d)]))
    return groups
