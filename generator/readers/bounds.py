"""Limits that keep Markdown conversion near-linear in the size of its input.

Python-Markdown (and the parsers it relies on) have quadratic corners that a
hostile or broken body reaches long before the file-size limit of
:mod:`generator.readers.source`. Measured with Markdown 3.11 on Python 3.11:

* every unmatched ``[`` (or ``![``, or the ``(`` after ``]``) scans to the end of
  its paragraph, once per link pattern: 5,000 ``[`` take 3 s, 20,000 take a minute;
* every inline element in a paragraph rebuilds the paragraph's text:
  20,000 links in one paragraph take 1.5 s, and it grows with the square;
* every heading, setext underline, rule or footnote definition inside a block
  without blank lines re-tests the rest of the block: 10,000 ``# a`` lines
  take 8 s, 10,000 ``***`` lines 17 s;
* the raw-HTML preprocessor runs :mod:`html.parser`, whose start-tag scan goes
  to the end of the text for a ``<a`` that is never closed (3,000 take 0.6 s,
  and it grows with the square);
* each repeat of one footnote reference loops over all earlier repeats
  (16,000 take three minutes), many footnotes are quadratic too;
* the block parser takes blocks from the front of a Python list: 400,000 blank
  lines take two and a half minutes;
* the HTML sanitiser's parser walks the open-element stack for every new block
  element: 200,000 nested ``<div>`` never finish;
* both converters pad every table row to the header's number of cells, and a
  table's rows run to the next blank line: a 12 KB table of 2,000 columns and
  2,000 one-word rows makes 40 MB of HTML (22 s in Python-Markdown; comrak runs
  out of memory at 20,000 × 20,000).

The compiled converter (comrak) has none of the others: it converts every
pathological case of the tests in well under a second, so for it
:func:`check_size` (characters, lines, footnotes, table cells) is enough.

:func:`check` measures each of these in one pass over the text and returns a
located :class:`Problem` when a body goes beyond what any real document needs
(the limits are one to two orders of magnitude above the largest real
documents, e.g. the 民法典 is 110,000 characters and 1,260 articles), so a
hostile file fails with a message in a few seconds instead of hanging the
build. :func:`html_depth` bounds the nesting of the converted HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

#: Characters of one body (a Markdown field, or a document's text).
MAX_CHARS = 1_000_000
MAX_LINES = 50_000
#: Blocks separated by blank lines.
MAX_BLOCKS = 20_000
#: ``>`` quote levels and columns of indentation (list nesting) of a line.
MAX_QUOTE_DEPTH = 32
MAX_INDENT = 128
#: Footnote references and definitions (``[^…``), and repeats of one footnote.
MAX_FOOTNOTE_MARKS = 2_000
MAX_FOOTNOTE_REPEATS = 100
#: Σ over paragraphs of length × inline markup characters (≈ 2 s at the limit).
INLINE_BUDGET = 4_000_000_000
#: Σ of the distances link brackets are scanned (≈ 1 s at the limit).
BRACKET_BUDGET = 5_000_000
#: Σ over blocks of block-level starts × block length (≈ 2 s at the limit).
BLOCK_START_BUDGET = 40_000_000
#: Σ of the distances unclosed tags are scanned by html.parser (≈ 1 s at the limit).
TAG_BUDGET = 25_000_000
#: Nesting of elements in the converted HTML.
MAX_HTML_DEPTH = 128
#: Σ over tables of columns × rows (a 10,000-row table of 20 columns).
MAX_TABLE_CELLS = 200_000


@dataclass(frozen=True)
class Problem:
    line: int  # 0-based line index in the body
    message: str
    hint: str


_QUOTES_RE = re.compile(r"[ \t]*(?:>[ \t]?)+")
_BLOCK_START_RE = re.compile(
    r" {0,3}(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$|([-*_])[ \t]*(?:\1[ \t]*){2,}$|\[\^[^\]]*\]:)")
_UL_RE = re.compile(r"[ \t]*[*+\-][ \t]+")
_OL_RE = re.compile(r"[ \t]*[0-9]+\.[ \t]+")
_BRACKETS_RE = re.compile(r"[\[\]()]")
_MARKERS = "[]()*_`&<>\\!^|"
_TAG_START_RE = re.compile(r"<(?:[A-Za-z/!?])")
_FOOTNOTE_RE = re.compile(r"\[\^([^\]\n]{0,200})\]")
#: A table's delimiter row (``|---|:-:|``), in a quote or list item too (those without a ``|`` are rules).
_DELIMITER_RE = re.compile(r"^[ \t>]*(?:[-+*][ \t]+|[0-9]+[.)][ \t]+)?\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$",
                           re.M)
_BLANK_RE = re.compile(r"^[ \t>]*$", re.M)
_COLUMN_RE = re.compile(r"-+")


def _indent(line: str) -> int:
    width = 0
    for c in line:
        if c == " ":
            width += 1
        elif c == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _markers(text: str) -> int:
    return sum(text.count(c) for c in _MARKERS) + text.count("  \n")


def _bracket_cost(unit: str) -> int:
    """How far the link patterns scan for closing brackets and parentheses in one paragraph."""
    cost = 0
    open_brackets: list[int] = []
    open_parens: list[tuple[int, bool]] = []
    for m in _BRACKETS_RE.finditer(unit):
        c, p = m.group(), m.start()
        if c == "[":
            open_brackets.append(p)
        elif c == "]":
            if open_brackets:
                cost += p - open_brackets.pop()
        elif c == "(":
            open_parens.append((p, p > 0 and unit[p - 1] == "]"))
        elif open_parens:
            q, link = open_parens.pop()
            if link:
                cost += p - q
    n = len(unit)
    cost += sum(n - q for q in open_brackets) + sum(n - q for q, link in open_parens if link)
    return cost


def _units(block_lines: list[str], block: str, is_table: Callable[[str], bool] | None) -> list[str]:
    """The pieces of a block Python-Markdown runs inline patterns on separately (an upper bound)."""
    if len(block_lines) > 1 and is_table is not None and is_table(block):
        return block_lines  # table rows: each cell is processed on its own
    marker = _UL_RE if _UL_RE.match(block_lines[0]) else _OL_RE if _OL_RE.match(block_lines[0]) else None
    if marker is None:
        return [block]
    units, current = [], []
    for line in block_lines:
        if marker.match(line) and current:
            units.append("\n".join(current))
            current = []
        current.append(line)
    units.append("\n".join(current))
    return units


def _tag_cost(body: str) -> tuple[int, int]:
    """How far html.parser scans for tags that do not close before the next '<' (and the first one's offset)."""
    n = len(body)
    cost, first = 0, -1
    last_comment_end = body.rfind("-->")
    pos = 0
    while True:
        m = _TAG_START_RE.search(body, pos)
        if m is None:
            break
        i = m.start()
        if body.startswith("<!--", i):
            end = body.find("-->", i + 4) if i + 4 <= last_comment_end else -1
            if end != -1:
                pos = end + 3
                continue
            bad = True
            pos = i + 4
        else:
            next_lt = body.find("<", i + 1)
            next_gt = body.find(">", i + 1, next_lt if next_lt != -1 else n)
            bad = next_gt == -1
            pos = i + 1 if bad else next_gt + 1
        if bad:
            cost += n - i
            if first == -1:
                first = i
    return cost, first


def _table_cells(body: str) -> tuple[int, int]:
    """An upper bound of the cells of every table, and where the first table starts.

    Rows run to the next blank line, and every row has at most as many cells as the widest delimiter row
    (``|---|---|``) between the first one and that blank line.
    """
    cells = rows = widest = 0
    first = end = -1
    for m in _DELIMITER_RE.finditer(body):
        if "|" not in m.group():
            continue
        if m.start() > end:  # a new run of lines: the one before is complete
            cells += rows * widest
            blank = _BLANK_RE.search(body, m.end() + 1)
            end = blank.start() if blank else len(body)
            rows, widest = body.count("\n", m.end(), end) + 1, 0
            first = m.start() if first < 0 else first
        widest = max(widest, len(_COLUMN_RE.findall(m.group())))
    return cells + rows * widest, max(first, 0)


def check_size(body: str) -> Problem | None:
    """The limits on size that apply to every converter: characters, lines, footnotes, table cells."""
    if len(body) > MAX_CHARS:
        return Problem(0, f"the text is {len(body):,} characters long, more than {MAX_CHARS:,}",
                       "split the document, or publish the long part as an attachment (PDF, OFD)")
    lines = body.count("\n") + 1
    if lines > MAX_LINES:
        return Problem(MAX_LINES, f"the text has {lines:,} lines, more than {MAX_LINES:,}",
                       "split the document, or publish the long part as an attachment")
    marks = body.count("[^")
    if marks > MAX_FOOTNOTE_MARKS:
        return Problem(body.count("\n", 0, body.index("[^")), f"the text has {marks:,} footnote marks '[^…]', "
                       f"more than {MAX_FOOTNOTE_MARKS:,}", "use fewer footnotes")
    if marks:
        repeats = Counter(m.group(1) for m in _FOOTNOTE_RE.finditer(body))
        label, count = max(repeats.items(), key=lambda kv: kv[1], default=("", 0))
        if count > MAX_FOOTNOTE_REPEATS + 1:  # the definition is one of them
            index = body.index(f"[^{label}]")
            return Problem(body.count("\n", 0, index), f"footnote [^{label}] is referred to {count - 1} times",
                           f"refer to one footnote at most {MAX_FOOTNOTE_REPEATS} times")
    cells, first = _table_cells(body) if "-" in body else (0, 0)
    if cells > MAX_TABLE_CELLS:
        return Problem(body.count("\n", 0, first), f"the tables have about {cells:,} cells, more than "
                       f"{MAX_TABLE_CELLS:,}", "end every table with a blank line, or publish a large table as an "
                       "attachment (Excel, CSV)")
    return None


def check(body: str, is_table: Callable[[str], bool] | None = None) -> Problem | None:
    """The first limit ``body`` goes beyond for Python-Markdown, or None. Linear in the length of ``body``."""
    problem = check_size(body)
    if problem:
        return problem
    lines = body.split("\n")
    blocks = 0
    inline = brackets = starts_cost = 0
    start, current = 0, []
    block_starts = 0

    def close(end: int) -> Problem | None:
        nonlocal inline, brackets, starts_cost, blocks
        if not current:
            return None
        blocks += 1
        if blocks > MAX_BLOCKS:
            return Problem(start, f"the text has more than {MAX_BLOCKS:,} paragraphs and blocks",
                           "split the document, or publish the long part as an attachment")
        block = "\n".join(current)
        starts_cost += block_starts * len(block)
        if starts_cost > BLOCK_START_BUDGET:
            return Problem(start, "too many headings, rules or footnote definitions without blank lines "
                                  "between them", "separate headings and paragraphs with blank lines")
        for unit in _units(current, block, is_table):
            inline += len(unit) * _markers(unit)
            brackets += _bracket_cost(unit)
        if inline > INLINE_BUDGET:
            return Problem(start, "a paragraph has too much inline markup (links, emphasis, code) for its length",
                           "split the paragraph with blank lines, or remove the repeated markup")
        if brackets > BRACKET_BUDGET:
            return Problem(start, "too many '[' or '(' that do not close (or nest too deeply)",
                           r"write \[ for a literal bracket, and close every link: [text](target)")
        return None

    for index, line in enumerate(lines):
        if not line.strip():
            problem = close(index)
            if problem:
                return problem
            current, block_starts = [], 0
            continue
        if not current:
            start = index
        current.append(line)
        quotes = _QUOTES_RE.match(line)
        rest = line
        if quotes and ">" in quotes.group():
            depth = quotes.group().count(">")
            if depth > MAX_QUOTE_DEPTH:
                return Problem(index, f"quotes are nested {depth} levels deep, more than {MAX_QUOTE_DEPTH}",
                               "remove the repeated '>' at the start of the line")
            rest = line[quotes.end():]
        if _indent(line) > MAX_INDENT:
            return Problem(index, f"the line is indented by {_indent(line)} columns, more than {MAX_INDENT}",
                           "remove the leading spaces (lists nest at most a few levels)")
        if _BLOCK_START_RE.match(rest) or _BLOCK_START_RE.match(rest.lstrip(" \t*+-0123456789.")):
            block_starts += 1
    problem = close(len(lines))
    if problem:
        return problem

    cost, first = _tag_cost(body)
    if cost > TAG_BUDGET:
        return Problem(body.count("\n", 0, first), "too many '<' that start a tag which is never closed with '>'",
                       "write &lt; for a literal '<', and close every HTML tag")
    return None


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
#: Elements a following sibling closes implicitly: they do not deepen the tree.
_SELF_CLOSING = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
                           "rb", "rt", "rtc", "rp", "colgroup", "caption"})
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")


def html_depth(html: str) -> int:
    """An upper bound of the element nesting of ``html`` (for the sanitiser's parser)."""
    depth = deepest = 0
    for m in _TAG_RE.finditer(html):
        closing, name, self_closing = m.groups()
        name = name.lower()
        if name in _VOID or name in _SELF_CLOSING or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest
