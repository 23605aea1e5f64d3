"""Each catalogue item linked to its draft, interpretations and final document; the rules on the build date.

A reference that leads nowhere is an error (the catalogue would link to a
missing page); an item past its 计划完成时间 without a final document is a
warning on the build date (``config.today``). The final document of an item
links back (``Policy.decision``), and so does its draft (``Draft.decision``).
"""

from __future__ import annotations

from ...config import SiteConfig
from ...errors import Report
from ...schema import Located
from ..base import DocIndex
from ..draft.rules import days_text
from .model import ADJUSTED, DONE, DecisionCatalogue, DecisionItem

#: The 草案类型 a decision's draft must have: it decides the 30-day rule.
MAJOR = "重大行政决策"


class _Index(DocIndex):
    """Documents of one type a catalogue item may name, with the error for a reference to none of them."""

    def __init__(self, docs: list, what: str, folder: str):
        super().__init__(docs)
        self.what, self.folder = what, folder

    def find(self, cat: DecisionCatalogue, item: DecisionItem, key: str, ref: Located, report: Report):
        doc = self.get(ref)
        if doc is None:
            report.error(cat.source, ref.line, f"item {item.number} ({item.subject}): {key} {ref.value!r} is not a "
                         f"{self.what}", self.suggest(ref) or f"write the file name (without .md) of a file in "
                         f"content/{self.folder}/, or remove the reference", code="unknown-reference")
        return doc


def _link_item(cat: DecisionCatalogue, item: DecisionItem, indexes: dict[str, _Index], report: Report) -> None:
    refs = item.refs
    if refs["draft"] is not None:
        item.draft = indexes["draft"].find(cat, item, "意见征集", refs["draft"], report)
    item.interpretations = [doc for ref in refs["interpretations"]
                            if (doc := indexes["interpretation"].find(cat, item, "解读", ref, report)) is not None]
    if refs["final"] is not None:
        item.final = indexes["policy"].find(cat, item, "决策文件", refs["final"], report)
    draft = item.draft
    if draft is None:
        return
    if draft.kind != MAJOR:
        report.warning(cat.source, refs["draft"].line, f"item {item.number}: its draft {draft.id} has 草案类型 "
                       f"{draft.kind}", f"a major decision's draft is a {MAJOR} (open for comment at least 30 days, "
                       f"第十五条): set `草案类型: {MAJOR}` in {draft.id}", code="decision-item")
    if draft.final is not None and item.final is not None and draft.final is not item.final:
        report.error(cat.source, refs["final"].line, f"item {item.number}: 决策文件 is {item.final.id} but its draft "
                     f"{draft.id} became {draft.final.id}", "name the same document in both places (or only in the "
                     "draft's 正式文件)", code="decision-item")
    elif refs["final"] is None:
        item.final = draft.final


def _check_item(cat: DecisionCatalogue, item: DecisionItem, config: SiteConfig, report: Report) -> None:
    line = item.lines["state"]
    if item.final is not None and item.state != DONE:
        report.warning(cat.source, line, f"item {item.number} has its 决策文件 {item.final.id} but 状态 is "
                       f"{item.state}", f"set `状态: {DONE}`", code="decision-item")
    elif item.final is None and item.state == DONE:
        report.warning(cat.source, line, f"item {item.number} ({item.subject}) is {DONE} but no 决策文件 is linked",
                       "add `决策文件:` (the policy's file name), or `正式文件:` on its draft", code="decision-item")
    elif item.final is None and item.state != ADJUSTED and config.today > item.planned.last_day:
        report.warning(cat.source, item.lines["planned"],
                       f"item {item.number} ({item.subject}) was due by {item.planned.last_day} and has no 决策文件 "
                       f"(past due by {days_text((config.today - item.planned.last_day).days)})",
                       f"link the decision's document when it is made (`决策文件:`), or set `状态: {ADJUSTED}` with "
                       "`说明:` if it moved to another year or was withdrawn", code="decision-overdue")


def link_catalogues(library: dict[str, list], config: SiteConfig, report: Report) -> None:
    """Resolve every item's references; link drafts and final documents back (the newest catalogue first)."""
    indexes = {"draft": _Index(library.get("draft", []), "draft for comment", "drafts"),
               "interpretation": _Index(library.get("interpretation", []), "policy interpretation",
                                        "interpretations"),
               "policy": _Index(library.get("policy", []), "policy document", "policies")}
    for cat in library["decision_catalogue"]:
        for item in cat.items:
            _link_item(cat, item, indexes, report)
            _check_item(cat, item, config, report)
            for doc in (item.draft, item.final):
                if doc is not None and doc.decision is None:
                    doc.decision = item
