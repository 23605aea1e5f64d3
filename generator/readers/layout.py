"""Chinese text as it is written: line breaks inside a paragraph, and blocks whose lines are kept.

Line breaks. Editors break lines inside a paragraph (a soft line break in Markdown), and a browser shows a
line break in HTML text as a space, so ``第一条\\n为了`` reads 第一条 为了. CSS Text 3 asks browsers to drop a
segment break between two East Asian wide characters, but Chromium does not, so :func:`join_lines` drops
it in the HTML: when the characters on both sides are wide (East Asian Width F, W or H, Hangul excepted, as
CSS Text 3 §4.1.3 says, plus the punctuation Chinese writes with ambiguous-width characters: “”‘’…—·),
across inline tags, never inside ``<pre>`` or ``<code>``. Between Latin words, or a Chinese and a Latin
word, it stays a space.

Line blocks. A fenced block whose info string is 落款 (the signing body and date that end a document) or
分行 (lines kept as written: a transcript, an address) is written as ``<pre><code class="language-落款">``
by both converters; :func:`line_blocks` turns it into a paragraph of lines. Anywhere else (an editor's
preview, another Markdown tool) the fence shows as a block of code with its lines intact.
"""

from __future__ import annotations

import bisect
import re

#: Fence info string → the class of the paragraphs it becomes (styled by the theme).
LINE_BLOCKS = {"落款": "signature", "分行": "lines"}

#: East Asian wide and fullwidth characters (not Hangul), written as ranges; tests/test_layout.py checks them
#: against unicodedata. Plus ambiguous-width punctuation that Chinese text uses as full-width.
WIDE = ("\u2e80-\u2fff\u3000-\u302d\u3030-\u303e\u3041-\u312f\u3190-\u31ff\u321f-\u3247\u3250-\u325f\u3280-\u33ff"
        "\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6b\uff01-\uff60"
        "\uff61-\uff9f\uffe0-\uffee\U00020000-\U0002fffd\U00030000-\U0003fffd")
AMBIGUOUS_CHINESE = "\u00b7\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u203b"

_INLINE = ("a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u"
           "|var")
_INLINE_TAGS = rf"(?:</?(?:{_INLINE})\b[^>]*>)*"
_WIDE_RE = re.compile(f"[{WIDE}{AMBIGUOUS_CHINESE}]")
_INLINE_TAG_RE = re.compile(rf"</?(?:{_INLINE})\b[^>]*>")
# Starts with the line break itself, so the search skips to each one (a pattern starting with the character
# before it would be tried at every character of the text: twice as slow as converting the Markdown).
_BREAK_RE = re.compile(rf"\n[ \t]*({_INLINE_TAGS})(?=[{WIDE}{AMBIGUOUS_CHINESE}])")
_KEEP_RE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_BLOCK_RE = re.compile(r'<pre><code class="language-(%s)">([^<]*)</code></pre>' % "|".join(LINE_BLOCKS))
_OPEN_RE = re.compile(r"^[ \t>]*(`{3,}|~{3,})[ \t]*(%s)(?:[ \t][^\n]*)?$" % "|".join(LINE_BLOCKS), re.M)


def _wide_before(html: str, end: int) -> int:
    """Where the text before ``end`` ends, skipping spaces and inline tags back to a wide character; -1 if the
    character there is not wide."""
    j = end
    while j and html[j - 1] in " \t":
        j -= 1
    text_end = j
    while j and html[j - 1] == ">":
        start = html.rfind("<", 0, j)
        if start < 0 or not _INLINE_TAG_RE.fullmatch(html, start, j):
            return -1
        j = start
    return text_end if j and _WIDE_RE.match(html, j - 1) else -1


def join_lines(html: str) -> str:
    """``html`` without the line breaks between two wide characters (see the module doc)."""
    if "\n" not in html:
        return html
    kept = [(m.start(), m.end()) for m in _KEEP_RE.finditer(html)] if "<pre" in html or "<code" in html else []
    starts = [start for start, _ in kept]
    out, pos = [], 0
    for m in _BREAK_RE.finditer(html):
        at = bisect.bisect_right(starts, m.start()) - 1
        if at >= 0 and m.start() < kept[at][1]:
            continue  # inside <pre> or <code>: shown as written
        text_end = _wide_before(html, m.start())
        if text_end >= 0:
            out.append(html[pos:text_end])
            pos = m.start(1)
    out.append(html[pos:])
    return "".join(out)


def line_blocks(html: str) -> str:
    """Sanitised ``html`` with each 落款 and 分行 block as paragraphs of lines: each line of the block ends with
    ``<br>``, a blank line starts a new paragraph. A block holding markup (raw HTML written to look like one)
    is left as it is."""
    if "<pre><code class=\"language-" not in html:
        return html

    def block(m: re.Match) -> str:
        css = LINE_BLOCKS[m.group(1)]
        paragraphs, lines = [], []
        for line in m.group(2).split("\n") + [""]:
            line = line.strip(" \t\r")
            if line.strip("\u3000"):
                lines.append(line.strip("\u3000") if css == "signature" else line)
            elif lines:
                paragraphs.append(f'<p class="{css}">' + "<br>\n".join(lines) + "</p>")
                lines = []
        return "\n".join(paragraphs)

    return _BLOCK_RE.sub(block, html)


def unclosed(body: str) -> list[tuple[int, str, str]]:
    """Each 落款 or 分行 fence of ``body`` that is never closed, as (0-based line, message, hint): CommonMark
    makes the rest of the text its lines, Python-Markdown shows the fence as text."""
    if "落款" not in body and "分行" not in body:
        return []
    found = []
    for m in _OPEN_RE.finditer(body):
        fence = m.group(1)
        close = re.compile(rf"^[ \t>]*{fence[0]}{{{len(fence)},}}[ \t]*$", re.M)
        if close.search(body, m.end()) is None:
            found.append((body.count("\n", 0, m.start()), f"the {fence}{m.group(2)} block is never closed",
                          f"end it with a line of {fence}; without one, all the text after it is taken into the "
                          "block (or, with python-markdown, the block is shown as text)"))
    return found
