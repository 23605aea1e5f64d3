"""The text of Office Open XML attachments (.docx, .xlsx, .pptx) and OpenDocument ones (.odt, .ods,
.odp), for privacy screening.

A 公示 list attached as a spreadsheet, or a notice attached as a Word file, is
as public as the page that links it, and it is where ID numbers and mobile
numbers leak most often. An OOXML file is a ZIP of XML parts; this module reads
the text out of them, each piece with a place an editor can find in Office:

* ``.docx``: paragraphs of the body (``paragraph 12``), of headers, footers,
  footnotes, endnotes and comments (``footer1.xml, paragraph 1``);
* ``.xlsx``: every cell holding text or a number (``sheet 名单, cell B7``),
  shared strings resolved, phonetic guides skipped;
* ``.pptx``: paragraphs of slides and of speaker notes (``slide 3``).

Hostile files are bounded: at most :data:`MAX_PARTS` parts read, each part's
uncompressed bytes counted as they are read (the sizes a ZIP declares can lie),
at most :data:`MAX_TOTAL_BYTES` in all, and no part may declare a DTD (entity
expansion). A file that cannot be read raises :class:`OfficeError`; the caller
reports that the file could not be screened.
"""

from __future__ import annotations

import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

OFFICE_SUFFIXES = (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")
MAX_PARTS = 2000
MAX_TOTAL_BYTES = 256 * 1024 * 1024
CHUNK = 64 * 1024

Unit = tuple[str, str]  # (where, text)


class OfficeError(Exception):
    """The file is not a readable Office Open XML document."""


class _Budget:
    def __init__(self):
        self.bytes = 0
        self.parts = 0


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _events(archive: zipfile.ZipFile, name: str, budget: _Budget) -> Iterator[tuple[str, ElementTree.Element]]:
    """(event, element) of one part, parsed incrementally within the budget."""
    budget.parts += 1
    if budget.parts > MAX_PARTS:
        raise OfficeError(f"more than {MAX_PARTS} parts")
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    try:
        with archive.open(name) as stream:
            tail = b""
            while chunk := stream.read(CHUNK):
                budget.bytes += len(chunk)
                if budget.bytes > MAX_TOTAL_BYTES:
                    raise OfficeError(f"more than {MAX_TOTAL_BYTES // 2**20} MB of XML uncompressed")
                seen = tail + chunk  # a declaration split between two chunks is still found
                if b"<!DOCTYPE" in seen or b"<!ENTITY" in seen:
                    raise OfficeError(f"{name} declares a DTD, which Office files never do")
                tail = chunk[-16:]
                parser.feed(chunk)
                yield from parser.read_events()
            parser.close()
            yield from parser.read_events()
    # RuntimeError: an encrypted (password) entry; LookupError: an XML encoding Python does not know.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError,
            RuntimeError, zlib.error, lzma.LZMAError, LookupError) as e:
        raise OfficeError(f"{name}: {e}") from None
    except ElementTree.ParseError as e:
        raise OfficeError(f"{name} is not well-formed XML ({e})") from None


def _paragraphs(archive, name: str, budget: _Budget, paragraph: str, text: str,
                breaks: tuple[str, ...]) -> Iterator[str]:
    """The text of every paragraph element of a part, runs joined."""
    depth, parts = 0, []
    for event, element in _events(archive, name, budget):
        tag = _local(element.tag)
        if tag == paragraph:
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth == 0:
                yield "".join(parts)
                parts = []
                element.clear()
        elif event == "end" and depth:
            if tag == text and element.text:
                parts.append(element.text)
            elif tag in breaks:
                parts.append(" ")


def _numbered(names: list[str], prefix: str) -> list[str]:
    """Parts named ``<prefix><n>.xml``, in numeric order."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)\.xml$")
    found = [(int(m.group(1)), n) for n in names if (m := pattern.match(n))]
    return [n for _, n in sorted(found)]


def _docx(archive, names: list[str], budget: _Budget) -> Iterator[Unit]:
    if "word/document.xml" not in names:
        raise OfficeError("no word/document.xml")
    breaks = ("tab", "br", "cr")
    for n, text in enumerate(_paragraphs(archive, "word/document.xml", budget, "p", "t", breaks), 1):
        yield f"paragraph {n}", text
    others = [*_numbered(names, "word/header"), *_numbered(names, "word/footer"),
              *(f"word/{n}.xml" for n in ("footnotes", "endnotes", "comments") if f"word/{n}.xml" in names)]
    for part in others:
        label = PurePosixPath(part).name
        for n, text in enumerate(_paragraphs(archive, part, budget, "p", "t", breaks), 1):
            yield f"{label}, paragraph {n}", text


def _pptx(archive, names: list[str], budget: _Budget) -> Iterator[Unit]:
    slides = _numbered(names, "ppt/slides/slide")
    if not slides:
        raise OfficeError("no slides")
    for part in slides:
        label = "slide " + re.search(r"(\d+)\.xml$", part).group(1)
        for text in _paragraphs(archive, part, budget, "p", "t", ("br",)):
            yield label, text
    for part in _numbered(names, "ppt/notesSlides/notesSlide"):
        label = "notes page " + re.search(r"(\d+)\.xml$", part).group(1)
        for text in _paragraphs(archive, part, budget, "p", "t", ("br",)):
            yield label, text


def _shared_strings(archive, names: list[str], budget: _Budget) -> list[str]:
    if "xl/sharedStrings.xml" not in names:
        return []
    out, parts, phonetic = [], [], 0
    for event, element in _events(archive, "xl/sharedStrings.xml", budget):
        tag = _local(element.tag)
        if tag == "rPh":  # a phonetic guide (furigana/pinyin) repeats the text in another script
            phonetic += 1 if event == "start" else -1
        elif event == "end" and tag == "t" and not phonetic and element.text:
            parts.append(element.text)
        elif event == "end" and tag == "si":
            out.append("".join(parts))
            parts = []
            element.clear()
    return out


def _sheets(archive, names: list[str], budget: _Budget) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order."""
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for event, element in _events(archive, "xl/_rels/workbook.xml.rels", budget):
            if event == "end" and _local(element.tag) == "Relationship":
                target = element.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                targets[element.get("Id")] = str(PurePosixPath(target))
    sheets = []
    if "xl/workbook.xml" in names:
        for event, element in _events(archive, "xl/workbook.xml", budget):
            if event == "end" and _local(element.tag) == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
                part = targets.get(rid)
                if part in names:
                    sheets.append((element.get("name", part), part))
    if not sheets:  # no usable workbook: the sheet parts themselves, by number
        sheets = [(PurePosixPath(p).stem, p) for p in _numbered(names, "xl/worksheets/sheet")]
    if not sheets:
        raise OfficeError("no worksheets")
    return sheets


def _number(value: str) -> str:
    """A numeric cell as Excel shows it in a cell wide enough: 13807921234, not 1.3807921234E10."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return value


def _xlsx(archive, names: list[str], budget: _Budget) -> Iterator[Unit]:
    strings = _shared_strings(archive, names, budget)
    for sheet, part in _sheets(archive, names, budget):
        cell, kind, value, inline = "", "", None, []
        for event, element in _events(archive, part, budget):
            tag = _local(element.tag)
            if tag == "c":
                if event == "start":
                    cell, kind, value, inline = element.get("r", ""), element.get("t", "n"), None, []
                    continue
                if kind == "s" and value is not None and value.strip().isdigit():
                    index = int(value)
                    text = strings[index] if index < len(strings) else ""
                elif kind == "inlineStr":
                    text = "".join(inline)
                elif kind == "n" and value is not None:
                    text = _number(value)
                elif kind == "str":  # the text a formula computed
                    text = value or ""
                else:  # booleans, errors, dates
                    text = ""
                if text:
                    yield f"sheet {sheet}, cell {cell}" if cell else f"sheet {sheet}", text
                element.clear()
            elif event == "end" and tag == "v":
                value = element.text or ""
            elif event == "end" and tag == "t" and element.text:
                inline.append(element.text)
            elif event == "end" and tag == "row":
                element.clear()


_ODF_VALUE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value"


def _odf(archive, names: list[str], budget: _Budget) -> Iterator[Unit]:
    """OpenDocument (.odt, .ods, .odp, as WPS and LibreOffice save them): every paragraph and heading of
    the content (table cells, slides and notes included) and of the page styles (headers, footers), and
    the value of every cell that stores a number (its text may show 1.38E+10)."""
    if "content.xml" not in names:
        raise OfficeError("no content.xml")
    for part in ("content.xml", "styles.xml"):
        if part not in names:
            continue
        n = 0
        for event, element in _events(archive, part, budget):
            tag = _local(element.tag)
            if event == "start" and tag == "table-cell" and element.get(_ODF_VALUE):
                yield f"{part}, cell value", _number(element.get(_ODF_VALUE))
            elif event == "end" and tag in ("p", "h"):
                n += 1
                yield f"{part}, paragraph {n}", "".join(element.itertext())
                element.clear()  # a paragraph inside a note is not read twice by the paragraph around it


_READERS = {".docx": _docx, ".xlsx": _xlsx, ".pptx": _pptx, ".odt": _odf, ".ods": _odf, ".odp": _odf}


def office_text(path: str | Path) -> Iterator[Unit]:
    """Every piece of text of an Office Open XML file with where it is; raises :class:`OfficeError`."""
    reader = _READERS.get(Path(path).suffix.lower())
    if reader is None:
        raise OfficeError(f"not an Office Open XML file name: {Path(path).name}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise OfficeError(f"not a ZIP archive ({e})") from None
    with archive:
        yield from reader(archive, archive.namelist(), _Budget())
