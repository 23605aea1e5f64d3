"""Which replaced or amended documents get a 新旧对照 page, and where it is.

Every pair linked by 替代 or 修改 gets a comparison page at
``<new document's URL>duibi/<old document's id>/`` (a document may replace or
amend several, and be replaced by several: the pair names the page), listed on
both documents' pages and on their interpretations, unless one text cannot be
compared:

* either document has no body on the site (only a 原文链接);
* the old text is in articles but the amending document is not: a 修改决定
  that lists its changes ("第九条修改为……") without the amended full text has no
  new text to set against the old one. Appending the amended text (修正本, its
  articles after the decision) makes the page.

The comparison itself (:mod:`.compare`) is computed when the page is rendered;
its inputs are the two documents, whose digests are the page's fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..base import book_title
from .compare import Result, compare, has_articles
from .model import Policy

#: The folder of comparison pages under the new document's URL.
FOLDER = "duibi"


@dataclass(eq=False)
class Comparison:
    """The old and new texts of a replaced (替代) or amended (修改) document, set side by side."""

    old: Policy
    new: Policy
    relation: str  # 替代 or 修改
    url: str

    @property
    def title(self) -> str:
        """The page's title and the links' text; it names both versions when the titles alone would not."""
        old, new = self.old, self.new
        if self.relation == "修改":
            return f"{book_title(old.title)}修改前后对照"
        if old.title != new.title:
            return f"{book_title(old.title)}与{book_title(new.title)}新旧对照"
        return f"{book_title(old.title)}新旧对照（{_version(old)}与{_version(new)}）"

    @cached_property
    def result(self) -> Result:
        return compare(self.old.body.html, self.new.body.html)


def _version(doc: Policy) -> str:
    return doc.doc_no or f"{doc.published.year}年版"


def why_not(old: Policy, new: Policy, relation: str) -> str | None:
    """Why the pair gets no comparison page, or None when it gets one."""
    if not old.body.html.strip() or not new.body.html.strip():
        return "a text is not on the site (only 原文链接)"
    if relation == "修改" and has_articles(old.body.html) and not has_articles(new.body.html):
        return "the amending document lists changes without the amended text"
    return None


def link_comparisons(policies: list[Policy]) -> None:
    """Set ``comparisons`` on every policy: the comparison pages it is part of, old or new, in the
    library's order of the newer document (newest first)."""
    for p in policies:
        p.comparisons = []
    for new in policies:
        for relation, olds in (("替代", new.replaces), ("修改", new.amends)):
            for old in olds:
                if why_not(old, new, relation) is None:
                    comparison = Comparison(old, new, relation, f"{new.url}{FOLDER}/{old.id}/")
                    new.comparisons.append(comparison)
                    old.comparisons.append(comparison)
