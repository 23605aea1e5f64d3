"""Q&A entries and their policies, linked both ways, and the groups of the Q&A page."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...config import REPEALED_STATES, SiteConfig
from ...errors import Report, display_path
from ..base import DocIndex
from .model import QaEntry, topic_anchor


def link_qa(library: dict[str, list], config: SiteConfig, report: Report) -> None:
    """Resolve 相关政策 (file name or 索引号); each policy lists its entries, newest first."""
    policies = library.get("policy", [])
    index = DocIndex(policies)
    for entry in library["qa"]:
        for ref in entry.refs:
            policy = index.resolve(entry.source, ref, "相关政策", f"相关政策: unknown policy document {ref.value!r}",
                                   "refer to the policy by its file name (without .md) or its 索引号", report)
            if policy is None:
                continue
            if policy in entry.policies:
                continue
            entry.policies.append(policy)
            policy.qa.append(entry)
            if policy.validity in REPEALED_STATES:
                report.warning(entry.source, ref.line, f"相关政策 {policy.id} is {policy.validity} "
                               f"({policy.validity_date}): the answer may no longer apply",
                               "check the answer against the document in force now and update 相关政策, or remove "
                               "the entry", code="qa-repealed")
    for policy in policies:
        policy.qa.sort(key=lambda e: (-e.date.toordinal(), e.id))
    _check_duplicates(library["qa"], report)


def _check_duplicates(entries: list[QaEntry], report: Report) -> None:
    """The same question twice is a copied file left behind, or two answers that may disagree."""
    first: dict[str, QaEntry] = {}
    for entry in sorted(entries, key=lambda e: str(e.source)):
        key = "".join(entry.question.split()).rstrip("？?")
        other = first.setdefault(key, entry)
        if other is not entry:
            report.warning(entry.source, entry.lines["question"],
                           f"the question is also asked in {display_path(other.source)}",
                           "keep one entry per question (one answer), or reword one of them", code="qa-duplicate")


@dataclass
class TopicGroup:
    """One topic of the Q&A page: its entries, newest first, and the anchor the page's navigation uses."""

    name: str
    anchor: str
    entries: list = field(default_factory=list)


def group_by_topic(entries: list[QaEntry], topics: list[str]) -> list[TopicGroup]:
    """Entries grouped by 主题 in vocabulary order (empty topics are left out)."""
    groups = [TopicGroup(name, topic_anchor(n)) for n, name in enumerate(topics)]
    for entry in sorted(entries, key=lambda e: e.sort_key):
        groups[entry.topic_rank].entries.append(entry)
    return [g for g in groups if g.entries]
