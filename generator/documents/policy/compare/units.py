"""The units of a text a comparison sets side by side: articles and their headings, or paragraphs.

The body's sanitised HTML is read into blocks (paragraphs, headings, list items, table rows); a block
starting 第X条 opens an article, which runs to the next article or heading; 第X章/第X节 and the
body's headings group them. What comes before the first article or chapter is preamble.
"""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field

_NUM = "零〇一二两三四五六七八九十百千0-9０-９"
_ARTICLE = re.compile(rf"第([{_NUM}]+)条(?:之([{_NUM}]+))?[\s　:：]*")
_CHAPTER = re.compile(rf"第([{_NUM}]+)[编章节][\s　]*")
_ENUMERATED = re.compile(r"([零〇一二两三四五六七八九十百千]+)、")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
#: A paragraph starting 第X章 longer than this is prose ("第三章规定的……"), not a chapter heading.
_HEADING_MAX = 40

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
