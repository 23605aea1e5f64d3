"""新旧对照: the old and new texts of a document aligned article by article, the changes marked.

A pure function of the two bodies' sanitised HTML, with no site and no theme:
:func:`compare` returns rows (one per article, chapter heading or paragraph)
with a status (新增 / 删除 / 修改 / 未变), the texts with ``<ins>``/``<del>``
marks, and the summary counts.

* Units. A body whose paragraphs start with 第X条 is compared by article (an
  article runs to the next article or heading; 第X章/第X节 and headings group
  them). Text before the first article or chapter — an issuing notice, a
  decision's list of changes — is not part of the articles and is left out (the
  page says how many paragraphs). When either body has no articles, both are
  compared paragraph by paragraph.
* Alignment. An order-preserving alignment (dynamic programming) pairs units of
  the same kind by content similarity, with a bonus for the same article number,
  so a renumbered article still finds its old text and an inserted one does not
  take its neighbour's place. Very similar units that moved out of order are
  paired afterwards. Similarity is the Dice coefficient of character bigrams
  (Chinese has no word boundaries), each weighted by its rarity: it costs one set
  intersection per pair, where difflib's ratio would cost a quadratic match per
  pair on long documents.
* Marks inside a modified unit: :mod:`.marks`.
"""

from __future__ import annotations

import html as html_module
import math
import re
from dataclasses import dataclass, field

import numpy as np
from markupsafe import Markup, escape

from .marks import added, deleted, marked_pair

ADDED, DELETED, MODIFIED, SAME = "新增", "删除", "修改", "未变"
STATUSES = (MODIFIED, ADDED, DELETED, SAME)  # the order of the summary
STATUS_CLASS = {ADDED: "added", DELETED: "deleted", MODIFIED: "modified", SAME: "same"}

_NUM = "零〇一二两三四五六七八九十百千0-9０-９"
_ARTICLE = re.compile(rf"第([{_NUM}]+)条(?:之([{_NUM}]+))?[\s　:：]*")
_CHAPTER = re.compile(rf"第([{_NUM}]+)[编章节][\s　]*")
_ENUMERATED = re.compile(r"([零〇一二两三四五六七八九十百千]+)、")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
#: A paragraph starting 第X章 longer than this is prose ("第三章规定的……"), not a chapter heading.
_HEADING_MAX = 40

#: Pairing thresholds (weighted similarity 0…1): a unit pairs with one of the same number from
#: SAME_NUMBER, with any other from OTHER_NUMBER; units out of order pair from MOVED. Measured on the
#: demo's rewritten regulations: corresponding articles score 0.14–0.55, unrelated ones mostly under
#: 0.1 and rarely above 0.2, which the order of the articles then rules out.
SAME_NUMBER, OTHER_NUMBER, MOVED, NUMBER_BONUS = 0.1, 0.15, 0.6, 0.2
#: Bigram meetings summed at once: bounds the memory of comparing long codes (about 100 MB).
_SLICE = 1 << 22


def cn_number(text: str) -> int:
    """第二十一条 → 21: Chinese numerals (一…九, 十, 百, 千, 零, 两) or digits (also full-width)."""
    digits = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if digits.isdigit():
        return int(digits)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + digit


# --------------------------------------------------------------------------- blocks of a body

_BLOCKS = {"p", "li", "tr", "pre", "dt", "dd", "caption", *(f"h{n}" for n in range(1, 7))}


_TOKENS = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)")
_START = re.compile(r"""\bstart=["']?(\d+)""")


class _Blocks:
    """The text of each block (paragraph, heading, list item, table row) of sanitised HTML, in order.

    List items keep their number ("1. "), as the reader sees it; table cells are joined with " | ".
    A block that contains another block (a loose list item's paragraphs) is one block. The HTML is the
    sanitiser's (well-formed, no comments or scripts), so a tokenising expression reads it, several
    times faster than ``html.parser``.
    """

    def __init__(self):
        self.blocks: list[tuple[str, str]] = []
        self._open: list[str] = []  # the outermost open block and the blocks inside it
        self._text: list[str] = []
        self._lists: list[list] = []  # [tag, next number]

    def feed(self, html: str) -> None:
        for closing, tag, attrs, text in _TOKENS.findall(html):
            if not tag:
                if self._open:
                    self._text.append(html_module.unescape(text))
            elif closing:
                self._end(tag.lower())
            else:
                self._start(tag.lower(), attrs)

    def _start(self, tag: str, attrs: str) -> None:
        if tag in ("ol", "ul"):
            start = _START.search(attrs)
            self._lists.append([tag, int(start.group(1)) if start else 1])
        elif tag in ("td", "th") and "".join(self._text).strip():
            self._text.append(" | ")
        elif tag == "br":
            self._text.append(" ")
        if tag not in _BLOCKS:
            return
        if not self._open:
            self._text = []
        elif tag == "li":  # a nested list: the item so far is a block of its own
            self._flush(self._open[0])
        self._open.append(tag)
        if tag == "li" and self._lists:
            kind = self._lists[-1]
            self._text.append(f"{kind[1]}. " if kind[0] == "ol" else "· ")
            kind[1] += 1

    def _end(self, tag: str) -> None:
        if tag in ("ol", "ul") and self._lists:
            self._lists.pop()
        if tag in _BLOCKS and tag in self._open:
            while self._open and self._open.pop() != tag:
                pass
            if not self._open:
                self._flush(tag)

    def _flush(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append((tag, text))
        self._text = []


def blocks(html: str) -> list[tuple[str, str]]:
    """(tag, text) of every block of a body, in order."""
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


# --------------------------------------------------------------------------- units

@dataclass
class Unit:
    kind: str  # "article", "heading" or "paragraph"
    label: str  # 第九条, the heading's text, 第3段
    number: tuple | None  # (9,) for 第九条, (10, 1) for 第十条之一; None when unnumbered
    paras: list[str] = field(default_factory=list)  # the text without the label, by paragraph

    @property
    def text(self) -> str:
        return "\n".join(self.paras)


def _heading(tag: str, text: str) -> Unit | None:
    m = _CHAPTER.match(text) or _ENUMERATED.match(text)
    if tag.startswith("h") or (m and m.re is _CHAPTER and len(text) <= _HEADING_MAX):
        title = text[m.end():] if m else text
        return Unit("heading", text, (cn_number(m.group(1)),) if m else None, [title] if title else [])
    return None


def article_units(body: list[tuple[str, str]]) -> tuple[list[Unit], int]:
    """Articles and headings from the first article or chapter on, and how many blocks came before.

    A numbered heading (一、总则) right before the first article opens the articles too; any other
    block before them (a notice, the document's title, a decision's list of changes) is preamble.
    """
    units: list[Unit] = []
    pending: Unit | None = None  # a numbered heading that may open the articles
    skipped = 0
    for tag, text in body:
        m = _ARTICLE.match(text) if tag in ("p", "li") or tag.startswith("h") else None
        heading = None if m else _heading(tag, text)
        if not units and not m and not (heading and _CHAPTER.match(text)):
            skipped += pending is not None
            pending = heading if heading and heading.number else None
            skipped += pending is None
            continue
        if not units and pending is not None:
            units.append(pending)
        if m:
            number = (cn_number(m.group(1)),) + ((cn_number(m.group(2)),) if m.group(2) else ())
            rest = text[m.end():]
            units.append(Unit("article", text[:m.end()].strip(" 　:："), number, [rest] if rest else []))
        elif heading:
            units.append(heading)
        else:
            units[-1].paras.append(text)
    return units, skipped + (pending is not None and not units)


def paragraph_units(body: list[tuple[str, str]]) -> list[Unit]:
    units, n = [], 0
    for tag, text in body:
        heading = _heading(tag, text) if tag.startswith("h") else None
        if heading:
            units.append(heading)
        else:
            n += 1
            units.append(Unit("paragraph", f"第{n}段", None, [text]))
    return units


def has_articles(html: str) -> bool:
    return any(u.kind == "article" for u in article_units(blocks(html))[0])


# --------------------------------------------------------------------------- alignment

def _grams(text: str) -> frozenset[str]:
    text = re.sub(r"\s+", "", text)
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) if len(text) > 1 else frozenset(text)


def _coordinates(units: list[Unit], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(unit, bigram id) of every bigram of every unit; new bigrams join the vocabulary."""
    rows: list[int] = []
    cols: list[int] = []
    for u, unit in enumerate(units):
        ids = [vocabulary.setdefault(g, len(vocabulary)) for g in _grams(unit.text)]
        rows += [u] * len(ids)
        cols += ids
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)


def _shared(rows_old, cols_old, rows_new, cols_new, weight: np.ndarray, n: int, m: int) -> np.ndarray:
    """The summed weight of the bigrams each old and new unit share (an n × m matrix).

    A sparse product: every old unit's bigram meets the new units that have it, and the weights are
    summed by pair with ``bincount``, in slices of the meetings so memory stays bounded. No BLAS: its
    threads crawl on a busy machine, and a fixed summation order keeps the result identical everywhere.
    """
    order = np.argsort(cols_new, kind="stable")
    rows_new, cols_new = rows_new[order], cols_new[order]
    per_gram = np.bincount(cols_new, minlength=len(weight))
    first_new = np.cumsum(per_gram) - per_gram  # where each bigram's new units start in rows_new
    meetings = per_gram[cols_old]  # how many new units each old (unit, bigram) meets
    ends = np.cumsum(meetings)
    total = np.zeros(n * m, dtype=np.float64)
    lo = 0
    while lo < len(meetings):
        hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + _SLICE, side="right")))
        reps = meetings[lo:hi]
        which = np.repeat(np.arange(lo, hi), reps)
        within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        partner = rows_new[first_new[cols_old[which]] + within]
        total += np.bincount(rows_old[which] * m + partner, weights=weight[cols_old[which]], minlength=n * m)
        lo = hi
    return total.reshape(n, m)


def _similarities(old: list[Unit], new: list[Unit]) -> np.ndarray:
    """Similarity (0…1) of every old and new unit (rows, columns; NaN across kinds): the Dice coefficient
    of their character bigrams, each bigram weighted by its rarity among all units (inverse document
    frequency), so the words every article shares (市文化和旅游局, 本办法) count for little."""
    n, m = len(old), len(new)
    vocabulary: dict[str, int] = {}
    rows_old, cols_old = _coordinates(old, vocabulary)
    rows_new, cols_new = _coordinates(new, vocabulary)
    frequency = np.bincount(cols_old, minlength=len(vocabulary)) + np.bincount(cols_new, minlength=len(vocabulary))
    weight = np.log((n + m + 1) / np.maximum(frequency, 1))
    mass_old = np.bincount(rows_old, weights=weight[cols_old], minlength=n)
    mass_new = np.bincount(rows_new, weights=weight[cols_new], minlength=m)
    shared = _shared(rows_old, cols_old, rows_new, cols_new, weight, n, m)
    masses = mass_old[:, None] + mass_new[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        sims = np.where(masses > 0, 2 * shared / masses, 0.0)
    texts_new = [v.text for v in new]
    equal = np.array([[u.text == t for t in texts_new] for u in old], dtype=bool).reshape(n, m)
    sims[equal] = 1.0
    kinds_old, kinds_new = np.array([u.kind for u in old]), np.array([v.kind for v in new])
    sims[kinds_old[:, None] != kinds_new[None, :]] = np.nan
    return sims


def _scores(old: list[Unit], new: list[Unit], sims: np.ndarray) -> np.ndarray:
    """The value of pairing each old and new unit in the alignment (-inf: they are not the same unit):
    the similarity, plus a bonus for the same number, from the threshold of either case."""
    ids: dict[tuple, int] = {}
    number_old = np.array([ids.setdefault(u.number, len(ids)) if u.number else -1 for u in old], dtype=np.int64)
    number_new = np.array([ids.setdefault(v.number, len(ids)) if v.number else -2 for v in new], dtype=np.int64)
    same = number_old[:, None] == number_new[None, :]
    with np.errstate(invalid="ignore"):
        valid = sims >= np.where(same, SAME_NUMBER, OTHER_NUMBER)  # NaN (another kind) is never valid
    return np.where(valid, sims + np.where(same, NUMBER_BONUS, 0.0), -np.inf)


def align(old: list[Unit], new: list[Unit]) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index) in reading order; (i, None) deleted, (None, j) added.

    Order-preserving pairs come from a dynamic programme maximising the summed pair scores; what
    is left pairs out of order when nearly equal (a moved article), shown at its new place.
    """
    n, m = len(old), len(new)
    if not n or not m:
        return [(i, None) for i in range(n)] + [(None, j) for j in range(m)]
    sims = _similarities(old, new)
    score = _scores(old, new, sims).tolist()
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above, scores = best[i], best[i - 1], score[i - 1]
        for j in range(1, m + 1):
            row[j] = max(above[j], row[j - 1], above[j - 1] + scores[j - 1])
    pairs: dict[int, int] = {}
    i, j = n, m
    while i and j:
        if score[i - 1][j - 1] > -math.inf and best[i][j] == best[i - 1][j - 1] + score[i - 1][j - 1]:
            pairs[j - 1] = i - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    in_order = dict(pairs)
    candidates = np.argwhere(np.nan_to_num(sims, nan=0.0) >= MOVED)
    moved = sorted(((float(sims[i, j]), int(i), int(j)) for i, j in candidates), reverse=True)
    for _, i, j in moved:
        if j not in pairs and i not in pairs.values():
            pairs[j] = i
    return _reading_order(n, m, pairs, in_order)


def _reading_order(n: int, m: int, pairs: dict[int, int], in_order: dict[int, int]):
    """New units in order; a deleted old unit right after the new partner of the old unit before it."""
    partner_of_old = {i: j for j, i in in_order.items()}
    paired_old = set(pairs.values())
    after: dict[int, list[int]] = {}
    anchor = -1
    for i in range(n):
        if i in partner_of_old:
            anchor = partner_of_old[i]
        elif i not in paired_old:
            after.setdefault(anchor, []).append(i)
    out: list[tuple[int | None, int | None]] = [(i, None) for i in after.get(-1, [])]
    for j in range(m):
        out.append((pairs.get(j), j))
        out += [(i, None) for i in after.get(j, [])]
    return out


# --------------------------------------------------------------------------- the comparison

@dataclass(frozen=True)
class Row:
    """One unit of the comparison: an article, a heading or a paragraph, old and new."""

    kind: str  # "article", "heading" or "paragraph"
    status: str  # 新增, 删除, 修改 or 未变
    label: str  # 第九条 (the new numbering; the old one for a deleted unit), a heading's text, 第3段
    former: str | None  # the old label when it differs (原第八条), for a renumbered unit
    old: tuple[Markup, ...]  # the old text by paragraph, deletions marked ((), for an added unit)
    new: tuple[Markup, ...]  # the new text by paragraph, additions marked ((), for a deleted unit)
    anchor: str  # the row's id on the page

    @property
    def status_class(self) -> str:
        return STATUS_CLASS[self.status]


@dataclass(frozen=True)
class Group:
    """A heading (a chapter) and the rows under it; the first group of a text without one has none."""

    heading: Row | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Result:
    mode: str  # "article" or "paragraph"
    groups: tuple[Group, ...]
    counts: dict[str, int]  # rows of the main unit (articles or paragraphs) by status, in STATUSES order
    heading_counts: dict[str, int]
    preamble: tuple[int, int]  # blocks before the first article, old and new, not compared

    @property
    def unit(self) -> str:
        return "条" if self.mode == "article" else "段"

    @property
    def summary(self) -> str:
        """修改 12 条，新增 3 条，删除 1 条，未变 20 条 (the page writes the same from ``counts``)."""
        return "，".join(f"{status} {n} {self.unit}" for status, n in self.counts.items())

    @property
    def heading_changes(self) -> list[tuple[str, int]]:
        """The headings changed, by status (修改 1, 新增 5); empty when every heading stayed."""
        return [(status, n) for status, n in self.heading_counts.items() if n and status != SAME]

    @property
    def changed(self) -> list[Row]:
        """Every changed article (or paragraph), in reading order: the page's index of changes."""
        return [row for group in self.groups for row in group.rows if row.status != SAME]


def units_of(old_html: str, new_html: str) -> tuple[str, list[Unit], list[Unit], tuple[int, int]]:
    """The mode and the units compared: articles when both texts have them, else paragraphs."""
    old_blocks, new_blocks = blocks(old_html), blocks(new_html)
    (old_units, old_skipped), (new_units, new_skipped) = article_units(old_blocks), article_units(new_blocks)
    if any(u.kind == "article" for u in old_units) and any(u.kind == "article" for u in new_units):
        return "article", old_units, new_units, (old_skipped, new_skipped)
    return "paragraph", paragraph_units(old_blocks), paragraph_units(new_blocks), (0, 0)


def _row(old: Unit | None, new: Unit | None, anchor: str) -> Row:
    if new is None:
        return Row(old.kind, DELETED, old.label, None, tuple(deleted(old.text)), (), anchor)
    if old is None:
        return Row(new.kind, ADDED, new.label, None, (), tuple(added(new.text)), anchor)
    # A renumbered article or chapter says where it was; a paragraph's position is no news.
    former = old.label if old.label != new.label and new.kind != "paragraph" else None
    if old.text == new.text:
        same = tuple(escape(p) for p in new.paras)
        return Row(new.kind, SAME, new.label, former, same, same, anchor)
    marked_old, marked_new = marked_pair(old.text, new.text)
    return Row(new.kind, MODIFIED, new.label, former, tuple(marked_old), tuple(marked_new), anchor)


def compare(old_html: str, new_html: str) -> Result:
    """Align two bodies and mark their differences (see the module's docstring)."""
    mode, old, new, preamble = units_of(old_html, new_html)
    groups: list[Group] = []
    current: tuple[Row | None, list[Row]] = (None, [])
    counts = dict.fromkeys(STATUSES, 0)
    heading_counts = dict.fromkeys(STATUSES, 0)
    for k, (i, j) in enumerate(align(old, new)):
        row = _row(old[i] if i is not None else None, new[j] if j is not None else None, f"d{k + 1}")
        if row.kind == "heading":
            if current[0] is not None or current[1]:
                groups.append(Group(current[0], tuple(current[1])))
            current = (row, [])
            heading_counts[row.status] += 1
        else:
            current[1].append(row)
            counts[row.status] += 1
    if current[0] is not None or current[1]:
        groups.append(Group(current[0], tuple(current[1])))
    return Result(mode, tuple(groups), counts, heading_counts, preamble)
