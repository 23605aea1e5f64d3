"""Turn a content file's bytes into text and split off its YAML front matter.

Editors' files arrive from many editors: GBK-encoded, with byte-order marks,
with CRLF line endings, empty, or huge. Each of these is either normalised here
or reported as a located error; nothing below this module sees raw bytes.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Report

#: Content files larger than this are refused: no disclosure document is 8 MiB of
#: text, and the limit bounds memory and time on hostile input.
MAX_SOURCE_BYTES = 8 * 1024 * 1024
#: A line longer than this is almost certainly pasted binary or generated junk.
MAX_LINE_CHARS = 100_000

FENCE = "---"


@dataclass(frozen=True)
class Text:
    """A decoded content file: LF line endings, no BOM."""

    path: Path
    text: str


@dataclass(frozen=True)
class FrontMatterSplit:
    """Front matter and body of a Markdown file.

    ``meta_line`` is the file line of the first front-matter line, ``body_line``
    that of the first body line: YAML and Markdown diagnostics add them to their
    own 1-based line numbers.
    """

    meta: str
    meta_line: int
    body: str
    body_line: int


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


#: Control characters that are not text (Word's vertical tab and page break, DEL, C1 controls, the
#: non-characters U+FFFE/U+FFFF): invalid in XML (the feed) and in YAML.
CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Invisible bidirectional overrides and isolates: they can make text display as something else.
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Either kind (both are character classes): one pass over a file finds whether it has any.
_SUSPECT_RE = re.compile(CONTROL_RE.pattern[:-1] + _BIDI_RE.pattern[1:])


def _controls(path: Path, text: str, report: Report) -> str:
    """Replace control characters by spaces (keeping every line and column), warn once per kind."""
    if not _SUSPECT_RE.search(text):
        return text  # one pass for both kinds: nearly every file has neither
    m = CONTROL_RE.search(text)
    if m:
        report.warning(path, text.count("\n", 0, m.start()) + 1,
                       f"control character U+{ord(m.group()):04X} replaced by a space",
                       "such characters come with text copied from Word or PDF; remove them", code="control-character")
        text = CONTROL_RE.sub(" ", text)
    m = _BIDI_RE.search(text)
    if m:
        report.warning(path, text.count("\n", 0, m.start()) + 1,
                       f"invisible bidirectional control character U+{ord(m.group()):04X}",
                       "it can make text display differently from what it says (e.g. reversed); remove it",
                       code="bidi-control")
    return text


def decode(path: Path, data: bytes, report: Report, size: int | None = None) -> Text | None:
    """Decode ``data`` as UTF-8 (with or without BOM); report anything else.

    ``size`` is the file's size when only its first bytes were read.
    """
    if len(data) > MAX_SOURCE_BYTES:
        size = max(size or 0, len(data))
        report.error(
            path, 1, f"file is {size / 2**20:.1f} MiB ({size:,} bytes), more than the "
                     f"{MAX_SOURCE_BYTES // 2**20} MiB limit",
            "split the document, or publish the large part as an attachment", code="file-too-large",
        )
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            report.error(path, 1, f"file has a UTF-16 byte-order mark but is not valid UTF-16 ({e.reason})",
                         "re-save the file as UTF-8", code="encoding")
            return None
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = _line_of_offset(data, e.start)
            hint = "re-save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
            try:
                data.decode("gb18030")
                hint = "the file looks GBK/GB18030-encoded; " + hint
            except UnicodeDecodeError:
                pass
            report.error(path, line, f"file is not valid UTF-8 (byte 0x{data[e.start]:02x} at byte {e.start})",
                         hint, code="encoding")
            return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        report.error(path, line, "file contains NUL characters; it looks like a binary file",
                     "content files must be UTF-8 text (Markdown or YAML)", code="binary")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):  # a BOM inside UTF-16 data
        text = text[1:]
    text = _controls(path, text, report)
    for number, line in enumerate(text.split("\n") if len(text) > MAX_LINE_CHARS else (), 1):
        if len(line) > MAX_LINE_CHARS:
            report.error(path, number, f"line is {len(line)} characters long, more than {MAX_LINE_CHARS}",
                         "break the text into paragraphs", code="line-too-long")
            return None
    return Text(path, text)


def read_text(path: Path, report: Report) -> Text | None:
    """Read and decode one file; unreadable files are reported, not raised."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_SOURCE_BYTES + 1)  # no more: a 5 GB file must not be read to be refused
            size = os.fstat(f.fileno()).st_size
    except OSError as e:
        report.error(path, 0, f"cannot read file: {e.strerror}", code="unreadable")
        return None
    return decode(path, data, report, size)


def split_front_matter(source: Text, report: Report) -> FrontMatterSplit | None:
    """Split ``---`` delimited YAML front matter from the Markdown body."""
    text = source.text
    lines = text.split("\n")
    if not text.strip():
        report.error(source.path, 1, "file is empty",
                     "start the file with front matter between two '---' lines (see `python -m generator new`)",
                     code="empty-file")
        return None
    if lines[0].rstrip() != FENCE:
        first = lines[0].strip()
        hint = "the file must start with a line '---', then the YAML fields, then another '---'"
        if first in {"—", "——", "－－－", "———"} or set(first) <= set("-—－") and first:
            hint = "the first line must be exactly three ASCII hyphens '---'"
        report.error(source.path, 1, "missing front matter: the file does not start with '---'", hint,
                     code="no-front-matter")
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            meta = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return FrontMatterSplit(meta, 2, body, index + 2)
    report.error(source.path, 1, "front matter is not closed: no second '---' line",
                 "add a line '---' after the last front-matter field", code="unclosed-front-matter")
    return None
