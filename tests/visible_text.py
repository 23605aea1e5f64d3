"""Compare what a reader sees on every page of two builds: the visible text of each HTML page.

    python tests/visible_text.py BEFORE_OUTPUT AFTER_OUTPUT

Prints each page whose visible text differs, with the differing lines, and exits 1 if any does.
Visible text is the text of ``<body>`` without ``<script>``, ``<style>``, ``<template>`` and elements
marked ``hidden``, one line per block element, white space collapsed as a browser does (a line break in
text is a space, except in ``<pre>``), list items with their number (or a bullet). Used to compare the Markdown
engines (tests/test_markdown_engines.py) and builds before and after a change of converter.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "div", "section", "article", "header",
           "footer", "nav", "main", "aside", "dt", "dd", "pre", "blockquote", "caption", "figcaption", "br",
           "table", "ul", "ol", "dl", "form", "details", "summary", "hr"}
_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0]+")
_MARKER_RE = re.compile(r"[0-9]+\.|•")


def visible_text(html: str) -> list[str]:
    """The lines of text a reader sees on a page."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.body or soup
    for el in body.find_all(["script", "style", "template", "noscript"]):
        el.decompose()
    for el in body.find_all(attrs={"hidden": True}):
        el.decompose()
    for ol in body.find_all("ol"):  # list numbers are what a reader sees first
        start = int(ol.get("start", "1")) if str(ol.get("start", "1")).isdigit() else 1
        for n, li in enumerate(ol.find_all("li", recursive=False)):
            li.insert(0, f"{start + n}. ")
    for ul in body.find_all("ul"):
        for li in ul.find_all("li", recursive=False):
            li.insert(0, "• ")
    for string in body.find_all(string=True):  # a line break in text is a space, as a browser shows it
        if type(string) is NavigableString and "\n" in string and string.find_parent("pre") is None:
            string.replace_with(string.replace("\n", " "))
    for el in body.find_all(_BLOCKS):
        el.insert_before("\n")
        el.insert_after("\n")
    text = body.get_text()
    out: list[str] = []
    for line in (_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")):
        if not line:
            continue
        if out and _MARKER_RE.fullmatch(out[-1]):
            out[-1] += " " + line  # a list item whose text is in a paragraph
        else:
            out.append(line)
    return out


def pages(folder: Path) -> dict[str, list[str]]:
    return {p.relative_to(folder).as_posix(): visible_text(p.read_text(encoding="utf-8"))
            for p in sorted(folder.rglob("*.html"))}


def differences(before: Path, after: Path) -> dict[str, list[str]]:
    """Page → the differing lines (``-`` before, ``+`` after) of every page whose visible text changed."""
    old, new = pages(before), pages(after)
    out: dict[str, list[str]] = {}
    for name in sorted(old.keys() | new.keys()):
        if name not in new:
            out[name] = ["(page missing after)"]
        elif name not in old:
            out[name] = ["(page new after)"]
        elif old[name] != new[name]:
            out[name] = [line for line in difflib.unified_diff(old[name], new[name], lineterm="", n=0)
                         if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return out


def main(argv: list[str]) -> int:
    before, after = Path(argv[0]), Path(argv[1])
    found = differences(before, after)
    for name, lines in found.items():
        print(name)
        for line in lines:
            print("   ", line)
    print(f"{len(found)} of {len(pages(after))} pages differ")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
