"""The real type of a file from its bytes (magic numbers), whatever its name says.

Separate because it only names a type; whether that type is acceptable is
the job of :mod:`.typecheck`, and whether the file opens that of the checkers.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile

from .binary import _u32, _u32le
from .mp3 import _id3_end, _mp3_confirmed, _mp3_frame
from .webm import _ebml_doctype


def sniff(data: bytes) -> str | None:
    """The real type of a file from its bytes (magic numbers), or ``None`` when unknown.

    Binary signatures are tried first; text formats (WebVTT, SRT, HTML, SVG,
    XML, plain text) only when no signature matched, so a PNG is never taken
    for text. ``data`` may be a ``bytes`` or an ``mmap`` of the whole file.
    """
    n = len(data)
    if n == 0:
        return None
    head = bytes(data[:64])
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and n >= 12:
        return {b"WEBP": "webp", b"WAVE": "wav", b"AVI ": "avi"}.get(head[8:12])
    box_size = _u32(head, 0) if n >= 8 else 0
    if head[4:8] == b"ftyp" and 8 <= box_size <= 4096:
        return _sniff_ftyp(data)
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot") and (8 <= box_size <= n or box_size == 1):
        return "mov"  # old QuickTime files start without 'ftyp'
    if head[:4] == b"\x1a\x45\xdf\xa3":
        doctype = _ebml_doctype(data)
        return "mkv" if doctype is not None and doctype != "webm" else "webm"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:5] == b"#!AMR":
        return "amr"
    if head[:3] == b"ID3":
        after = _id3_end(data)
        return "flac" if bytes(data[after:after + 4]) == b"fLaC" else "mp3"
    if head[:3] == b"FLV":
        return "flv"
    if _mp3_frame(data, 0) and _mp3_confirmed(data, 0):
        return "mp3"
    pdf_at = bytes(data[:1024]).find(b"%PDF-")
    if pdf_at == 0 or (pdf_at > 0 and b"<" not in bytes(data[:pdf_at])):  # readers skip junk before the header
        return "pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _sniff_zip(data)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _sniff_ole2(data)
    if head[:6] == b"Rar!\x1a\x07":
        return "rar"
    if head[:6] == b"7z\xbc\xaf\x27\x1c":
        return "7z"
    if head[:2] in (b"II", b"MM") and head[2:4] in (b"*\x00", b"\x00*"):
        return "tiff"
    if head[:2] == b"BM" and n >= 18 and _u32le(head, 14) in (12, 40, 52, 56, 64, 108, 124):
        return "bmp"
    if head[:2] == b"MZ" and n >= 64:
        pe = _u32le(head, 60)
        if pe < n - 4 and bytes(data[pe:pe + 4]) == b"PE\x00\x00":
            return "exe"
    return _sniff_text(data)


_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def _sniff_ftyp(data) -> str:
    size = min(_u32(data, 0), len(data), 256)
    major = bytes(data[8:12])
    brands = {major} | {bytes(data[i:i + 4]) for i in range(16, size - 3, 4)}
    if b"avif" in brands or b"avis" in brands:
        return "avif"
    if major in _HEIF_BRANDS:
        return "heic"
    if major in (b"M4A ", b"M4B ", b"M4P "):
        return "m4a"
    if major == b"qt  ":
        return "mov"
    if major.startswith((b"3gp", b"3g2")):
        return "3gp"
    return "mp4"


def _sniff_zip(data) -> str:
    names = _zip_names(data)
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(name.startswith(prefix) for name in names):
                return kind
    return "zip"


def _zip_names(data) -> set[str]:
    """Entry names from the central directory, or from local headers when the end is missing."""
    try:
        fileobj = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
        with zipfile.ZipFile(fileobj) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        pass
    names, head = set(), bytes(data[: 4 * 1024 * 1024])
    for m in re.finditer(rb"PK\x03\x04", head):
        start = m.start()
        if start + 30 > len(head):
            break
        name_len = struct.unpack_from("<H", head, start + 26)[0]
        names.add(head[start + 30:start + 30 + name_len].decode("utf-8", "replace"))
    return names


def _sniff_ole2(data) -> str:
    """Office 97-2003 files share one container; their stream names tell them apart."""
    def has(name: str) -> bool:
        return data.find(name.encode("utf-16-le")) >= 0

    if has("EncryptedPackage"):
        return "office-encrypted"  # a password-protected .docx/.xlsx is an OLE2 file
    if has("WordDocument"):
        return "doc"
    if has("Workbook") or has("Book\x00"):
        return "xls"
    if has("PowerPoint Document"):
        return "ppt"
    return "ole2"


_TEXT_PREFIX = 64 * 1024
_HTML_START = re.compile(r"<(!doctype\s+html|html|head|body|meta|title|script|style|div|p|h1|table)[\s>/]")
_SRT_START = re.compile(r"\d+[ \t]*\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def _sniff_text(data) -> str | None:
    raw = bytes(data[:_TEXT_PREFIX])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            raw.decode("utf-16")
            return "text-utf16"
        except UnicodeDecodeError:
            return None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    if raw.startswith(b"WEBVTT") and raw[6:7] in (b"", b" ", b"\t", b"\n", b"\r"):
        return "vtt"
    text = _decode_prefix(raw, "utf-8", final=len(data) <= _TEXT_PREFIX)
    encoding = "text"
    if text is None:
        text = _decode_prefix(raw, "gb18030", final=len(data) <= _TEXT_PREFIX)
        encoding = "text-gb18030"
    if text is None or _CONTROL.search(text):
        return None
    start = text.lstrip().lower()
    while start.startswith("<!--") and "-->" in start:  # leading comments
        start = start[start.index("-->") + 3:].lstrip()
    if start.startswith("<?xml"):
        rest = start[start.find("?>") + 2:].lstrip() if "?>" in start else ""
        while rest.startswith("<!--") and "-->" in rest:
            rest = rest[rest.index("-->") + 3:].lstrip()
        if rest.startswith(("<svg", "<!doctype svg")):
            return "svg"
        if rest.startswith(("<html", "<!doctype html")):
            return "html"
        return "xml"
    if start.startswith(("<svg", "<!doctype svg")):
        return "svg"
    if _HTML_START.match(start):
        return "html"
    if _SRT_START.match(start.replace("\r\n", "\n").replace("\r", "\n")):
        return "srt"
    return encoding


def _decode_prefix(raw: bytes, encoding: str, final: bool) -> str | None:
    """Decode a prefix of a file; a character cut in two at the end of the prefix is fine."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(raw, final=final)
    except UnicodeDecodeError:
        return None
