"""Check that images, audio, video and caption files are what they claim to be, and open.

Government site checks require that the images, animations, audio and video of
policy interpretations (政策解读) "display and play correctly, never fail to
open", checked regularly. In practice the files that fail are not exotic: a
photo renamed to the wrong extension (an iPhone HEIC saved as ``.jpg``), a
download that saved the file server's HTML error page under the video's name,
an upload cut off half-way, a phone video in HEVC that most browsers cannot
play. Every check here looks at the bytes, not at the name, and runs in pure
Python (plus Pillow for images) so a build needs no ffmpeg.

Everything is a pure function of a file's bytes with no knowledge of the site.
Problems come back as :class:`Problem` values (message, hint, line, level) and
the caller turns them into located diagnostics; a bad file never raises.
The only exception is :func:`make_thumbnail`, which expects an image that
:func:`check_image` has already accepted.

SVG is refused for content media: an SVG file can carry ``<script>``, event
handlers and links, and when a reader opens the image on its own (the usual
"view full size" of a 一图读懂) the script runs with the site's origin. A
sanitiser for SVG is a project of its own; infographics export to PNG as well.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import html
import io
import mmap
import os
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a media file; ``line`` is set for text formats (WebVTT)."""

    message: str
    hint: str = ""
    line: int = 0
    level: str = "error"  # "error" or "warning"


@dataclass(frozen=True)
class ImageInfo:
    """A decoded image: what a page needs for ``width``/``height`` and the file list."""

    width: int
    height: int
    format: str  # Pillow's format name: PNG, JPEG, GIF, WEBP
    size: int  # bytes
    frames: int = 1  # more than 1 for animated GIF/WebP (动漫)
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class MediaInfo:
    """An audio or video file whose container was walked to its end."""

    kind: str  # sniffed type: mp4, m4a, webm, ogg, mp3, wav
    size: int  # bytes
    duration: float | None = None  # seconds, when the container says so cheaply
    width: int | None = None
    height: int | None = None
    video_codec: str | None = None  # readable name: H.264, VP9, …
    audio_codec: str | None = None  # AAC, Opus, MP3, …
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class FileInfo:
    """Any other published file (documents, archives) whose type matches its extension."""

    kind: str
    size: int
    warnings: tuple[Problem, ...] = ()


class MediaError(Exception):
    """Raised only by :func:`make_thumbnail` for an image that cannot be decoded."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Kind:
    """A file type as :func:`sniff` names it, and how messages talk about it."""

    name: str
    label: str  # "a JPEG image"
    short: str  # "JPEG"
    family: str  # image, video, audio, captions, document, archive, text, web, program
    extension: str = ""  # the extension to rename to, when the type is publishable


def _kinds(*rows: tuple[str, str, str, str, str]) -> dict[str, Kind]:
    return {row[0]: Kind(*row) for row in rows}


KINDS = _kinds(
    ("png", "a PNG image", "PNG", "image", ".png"),
    ("jpeg", "a JPEG image", "JPEG", "image", ".jpg"),
    ("gif", "a GIF image", "GIF", "image", ".gif"),
    ("webp", "a WebP image", "WebP", "image", ".webp"),
    ("svg", "an SVG drawing", "SVG", "image", ""),
    ("bmp", "a BMP bitmap", "BMP", "image", ""),
    ("tiff", "a TIFF image", "TIFF", "image", ""),
    ("heic", "an HEIC photo (the iPhone camera format)", "HEIC", "image", ""),
    ("avif", "an AVIF image", "AVIF", "image", ""),
    ("mp4", "an MP4 video", "MP4", "video", ".mp4"),
    ("mov", "a QuickTime (MOV) video", "MOV", "video", ""),
    ("3gp", "a 3GP phone video", "3GP", "video", ""),
    ("webm", "a WebM video", "WebM", "video", ".webm"),
    ("mkv", "a Matroska (MKV) video", "MKV", "video", ""),
    ("avi", "an AVI video", "AVI", "video", ""),
    ("flv", "a Flash video (FLV)", "FLV", "video", ""),
    ("m4a", "an M4A (AAC) audio file", "M4A", "audio", ".m4a"),
    ("ogg", "an Ogg audio file", "Ogg", "audio", ".ogg"),
    ("mp3", "an MP3 audio file", "MP3", "audio", ".mp3"),
    ("wav", "a WAV audio file", "WAV", "audio", ".wav"),
    ("flac", "a FLAC audio file", "FLAC", "audio", ""),
    ("amr", "an AMR voice recording", "AMR", "audio", ""),
    ("pdf", "a PDF document", "PDF", "document", ".pdf"),
    ("ofd", "an OFD document", "OFD", "document", ".ofd"),
    ("docx", "a Word document (.docx)", "DOCX", "document", ".docx"),
    ("xlsx", "an Excel workbook (.xlsx)", "XLSX", "document", ".xlsx"),
    ("pptx", "a PowerPoint presentation (.pptx)", "PPTX", "document", ".pptx"),
    ("doc", "a Word 97-2003 document (.doc)", "DOC", "document", ".doc"),
    ("xls", "an Excel 97-2003 workbook (.xls)", "XLS", "document", ".xls"),
    ("ppt", "a PowerPoint 97-2003 presentation (.ppt)", "PPT", "document", ".ppt"),
    ("ole2", "an Office 97-2003 file", "Office 97-2003", "document", ""),
    ("office-encrypted", "a password-protected Office file", "encrypted Office", "document", ""),
    ("zip", "a ZIP archive", "ZIP", "archive", ".zip"),
    ("rar", "a RAR archive", "RAR", "archive", ".rar"),
    ("7z", "a 7-Zip archive", "7Z", "archive", ".7z"),
    ("exe", "a Windows program", "EXE", "program", ""),
    ("vtt", "a WebVTT caption file", "WebVTT", "captions", ".vtt"),
    ("srt", "an SRT subtitle file", "SRT", "captions", ""),
    ("html", "an HTML web page", "HTML", "web", ""),
    ("xml", "an XML document", "XML", "text", ""),
    ("text", "UTF-8 text", "UTF-8 text", "text", ".txt"),
    ("text-utf16", "UTF-16 text", "UTF-16 text", "text", ""),
    ("text-gb18030", "GBK-encoded text", "GBK text", "text", ""),
)

_FAMILY_PHRASE = {
    "image": "an image", "video": "a video", "audio": "an audio file", "captions": "a caption file",
    "document": "a document", "archive": "an archive", "text": "a text file",
}

#: Extension → the types its bytes may be, the first being what the extension means.
EXPECTED_TYPES: dict[str, tuple[str, ...]] = {
    ".png": ("png",), ".jpg": ("jpeg",), ".jpeg": ("jpeg",), ".gif": ("gif",), ".webp": ("webp",),
    ".mp4": ("mp4",), ".m4v": ("mp4",), ".webm": ("webm",), ".ogv": ("ogg",),
    ".m4a": ("m4a", "mp4"), ".mp3": ("mp3",), ".ogg": ("ogg",), ".oga": ("ogg",), ".opus": ("ogg",),
    ".wav": ("wav",),
    ".vtt": ("vtt",),
    ".pdf": ("pdf",), ".ofd": ("ofd",), ".docx": ("docx",), ".xlsx": ("xlsx",), ".pptx": ("pptx",),
    ".doc": ("doc", "ole2"), ".xls": ("xls", "ole2"), ".ppt": ("ppt", "ole2"),
    ".wps": ("doc", "ole2"), ".et": ("xls", "ole2"), ".dps": ("ppt", "ole2"),
    ".csv": ("text",), ".txt": ("text",),
    ".zip": ("zip", "docx", "xlsx", "pptx", "ofd"), ".rar": ("rar",), ".7z": ("7z",),
}

#: Types that open, but not everywhere: accepted under these extensions with a warning.
_TOLERATED: dict[str, dict[str, str]] = {
    ext: {
        "text-gb18030": "browsers and phones may show it garbled; re-save it as UTF-8 "
                        "(in Excel: 另存为 → CSV UTF-8; in Notepad: 另存为 → 编码 UTF-8)",
        "text-utf16": "re-save it as UTF-8 (in Excel: 另存为 → CSV UTF-8; in Notepad: 另存为 → 编码 UTF-8)",
    } for ext in (".csv", ".txt")
}

#: Extensions refused outright, with the reason.
REFUSED_TYPES = {
    ".svg": ("SVG images are not accepted: an SVG file can carry scripts that run when it is opened",
             "export the drawing as PNG"),
}

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
VIDEO_EXTENSIONS = frozenset({".mp4", ".m4v", ".webm", ".ogv"})
AUDIO_EXTENSIONS = frozenset({".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".webm"})

#: Pillow's own default; an image with more pixels is refused as a decompression bomb.
MAX_IMAGE_PIXELS = 89_478_485
#: Animated images with more frames than this are refused (each frame is decoded).
MAX_IMAGE_FRAMES = 5_000

_REENCODE_VIDEO = ("re-encode it as MP4 with H.264 video and AAC audio, e.g. "
                   "`ffmpeg -i in.mov -c:v libx264 -pix_fmt yuv420p -c:a aac -movflags +faststart out.mp4`")
_REENCODE_AUDIO = "convert it to MP3, e.g. `ffmpeg -i in.wav -c:a libmp3lame -b:a 96k out.mp3`"
_GET_AGAIN = "the file was cut off while uploading or copying; copy it again from the original"


# --------------------------------------------------------------------------- sniffing


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


# --------------------------------------------------------------------------- type check


def _shown(path, name: str | None) -> str:
    return name or PurePath(path).as_posix()


def check_type(path, data: bytes, name: str | None = None) -> Problem | None:
    """Whether the bytes are what the extension promises; ``None`` when they are.

    ``name`` is how messages name the file (e.g. its content-relative path);
    it defaults to ``path``.
    """
    shown = _shown(path, name)
    ext = PurePath(path).suffix.lower()
    if ext in REFUSED_TYPES:
        message, hint = REFUSED_TYPES[ext]
        return Problem(f"{shown}: {message}", hint)
    expected = EXPECTED_TYPES.get(ext)
    if expected is None:
        return Problem(f"{shown} has a file type {ext or '(none)'!r} that cannot be checked",
                       "use one of: " + ", ".join(sorted(EXPECTED_TYPES)))
    if len(data) == 0:
        return Problem(f"{shown} is empty (0 bytes)", _GET_AGAIN)
    kind = sniff(data)
    if kind in expected:
        return None
    if kind in _TOLERATED.get(ext, {}):
        return Problem(f"{shown} is {KINDS[kind].label}, not UTF-8", _TOLERATED[ext][kind], level="warning")
    return _mismatch(shown, PurePath(path), KINDS[expected[0]], kind)


_MISMATCH_HINTS = {
    "html": "it is a web page, probably an error or login page that was saved instead of the real file; "
            "download the original file again and check that it opens",
    "xml": "it is probably an error message from a file server (e.g. AccessDenied) that was saved instead "
           "of the real file; download the original file again and check that it opens",
    "heic": "convert it to JPEG (on an iPhone: 设置 → 相机 → 格式 → 兼容性最佳)",
    "office-encrypted": "the public cannot open a password-protected file; save a copy without the password",
    "srt": "convert it to WebVTT: add a first line `WEBVTT` and a blank line, "
           "and write times with a dot (00:00:01.000) instead of a comma",
    "exe": "programs are never published; use the document or media file that was meant",
    "text-utf16": "re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)",
    "text-gb18030": "the file is GBK-encoded; re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)",
}


def _mismatch(shown: str, path: PurePath, expected: Kind, kind: str | None) -> Problem:
    phrase = _FAMILY_PHRASE.get(expected.family, expected.label)
    if kind is None:
        return Problem(f"{shown} is not {phrase}: its bytes are not any known file type",
                       "the file is damaged or is not what its name says; open it on your computer, "
                       "and if it does not open, get the original file again")
    actual = KINDS[kind]
    hint = _MISMATCH_HINTS.get(kind)
    if actual.family == expected.family:
        message = f"{shown} is {actual.label}, not {expected.short}"
        if hint is None:
            if actual.extension:
                hint = f"rename it to {path.stem}{actual.extension}, or convert it to {expected.short}"
            elif expected.family == "video":
                hint = _REENCODE_VIDEO
            elif expected.family == "audio":
                hint = _REENCODE_AUDIO
            else:
                hint = f"convert it to {expected.short}"
        return Problem(message, hint)
    message = f"{shown} is not {phrase} (its bytes look like {actual.label})"
    if hint is None:
        hint = (f"the content does not match the extension {path.suffix}; use the right file"
                + (f", or rename it to {path.stem}{actual.extension}" if actual.extension else ""))
    return Problem(message, hint)


# --------------------------------------------------------------------------- reading


_MMAP_FROM = 4 * 1024 * 1024


@contextlib.contextmanager
def _contents(path):
    """The file's bytes: read when small, memory-mapped when large (videos can be hundreds of MB)."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size < _MMAP_FROM:
            yield f.read()
            return
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            yield mapped


def _unreadable(shown: str, error: OSError) -> Problem:
    return Problem(f"cannot read {shown}: {error.strerror or error}", "check that the file exists and is readable")


# --------------------------------------------------------------------------- images


_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}


def check_image(path, name: str | None = None, *, max_pixels: int | None = None) -> ImageInfo | Problem:
    """Decode the whole image with Pillow (every frame of an animation).

    Browsers show nothing for an image that does not decode, so opening the
    header is not enough: a truncated PNG opens and fails only on ``load()``.
    Images with more than ``max_pixels`` (default :data:`MAX_IMAGE_PIXELS`)
    are refused before decoding, as Pillow's decompression-bomb guard would,
    but as a problem instead of a warning or an exception.
    """
    shown = _shown(path, name)
    if PurePath(path).suffix.lower() not in IMAGE_EXTENSIONS | set(REFUSED_TYPES):
        return Problem(f"{shown} is not an image file type", "publish images as PNG, JPEG, GIF or WebP")
    try:
        with _contents(path) as data:
            data = bytes(data)
    except OSError as e:
        return _unreadable(shown, e)
    problem = check_type(path, data, name)
    if problem is not None:
        return problem
    return _decode_image(shown, data, max_pixels or MAX_IMAGE_PIXELS)


def _decode_image(shown: str, data: bytes, max_pixels: int) -> ImageInfo | Problem:
    from PIL import Image  # imported here: only sites with images pay for Pillow

    kind = sniff(data)
    fmt = _PIL_FORMATS[kind]
    label = KINDS[kind].label

    def bomb(pixels: int) -> Problem:
        return Problem(f"{shown} is {pixels:,} pixels, more than the limit of {max_pixels:,}",
                       "an image this large is a decompression bomb or far too big for a web page; "
                       "resize it (a 一图读懂 is usually 750 to 1080 pixels wide)")

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as im:
                width, height = im.size
                if width * height > max_pixels:
                    return bomb(width * height)
                if width <= 0 or height <= 0:
                    return Problem(f"{shown} has no pixels ({width}×{height})", "export the image again")
                im.verify()  # checksums (PNG CRCs) that load() does not look at
            with Image.open(io.BytesIO(data), formats=[fmt]) as im:
                frames = getattr(im, "n_frames", 1)
                if frames > MAX_IMAGE_FRAMES:
                    return Problem(f"{shown} has {frames:,} frames, more than {MAX_IMAGE_FRAMES:,}",
                                   "publish a long animation as a video")
                for index in range(frames):
                    im.seek(index)
                    im.load()
                return ImageInfo(width, height, im.format or fmt, len(data), frames)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return bomb(_declared_pixels(data) or max_pixels + 1)
    except Exception as e:  # noqa: BLE001 - Pillow raises many types for bad input; all mean "cannot decode"
        reason = str(e) or type(e).__name__
        return Problem(f"{shown} cannot be decoded as {label}: {reason}",
                       "the image is damaged or incomplete; export it again from the original")


def _declared_pixels(data: bytes) -> int | None:
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return _u32(data, 16) * _u32(data, 20)
    return None


def make_thumbnail(path, max_width: int = 480, *, max_height: int | None = None,
                   format: str | None = None) -> bytes:
    """A smaller copy of an image for lists, as bytes that are the same for the same input.

    Same input and Pillow version give the same bytes: metadata (EXIF with
    its GPS position, XMP, comments) is dropped, the EXIF orientation is
    applied first, and the save parameters are fixed. The colour profile is
    kept (it is colour data, not metadata). The aspect ratio is kept and the
    image is never enlarged. The result is a JPEG for JPEG sources and a PNG
    otherwise (``format`` overrides); animations give their first frame.

    Call it for images :func:`check_image` accepted: anything that cannot be
    decoded raises :class:`MediaError`.
    """
    try:
        return _thumbnail(path, max_width, max_height, format)
    except Exception as e:  # noqa: BLE001 - see check_image
        raise MediaError(Problem(f"{PurePath(path).as_posix()} cannot be decoded: {e}",
                                 "check the image with check_image first")) from e


def _thumbnail(path, max_width: int, max_height: int | None, format: str | None) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(path) as source:
        source.seek(0)
        source_format = source.format
        icc = source.info.get("icc_profile")
        source.load()
        try:
            im = ImageOps.exif_transpose(source) or source.copy()
        except Exception:  # noqa: BLE001 - a damaged EXIF block: keep the pixels as they are
            im = source.copy()
    out_format = (format or ("JPEG" if source_format == "JPEG" else "PNG")).upper()
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if im.mode == "CMYK":
        icc = None  # the profile describes CMYK, which the RGB copy no longer is
    if im.mode.startswith("I;16"):
        im = im.convert("I")
    if im.mode in ("I", "F"):  # 16-bit and float greyscale: scale to 8 bits
        im = im.point(lambda value: value / 256).convert("L")
    im = im.convert("RGBA" if has_alpha else "RGB")
    if out_format == "JPEG" and has_alpha:
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    scale = min(1.0, max_width / im.width, (max_height / im.height) if max_height else 1.0)
    target = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    if target != im.size:
        im = im.resize(target, Image.Resampling.LANCZOS)
    im.info = {}
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if out_format == "JPEG":
        im.save(out, "JPEG", quality=85, optimize=True, progressive=False, subsampling="4:2:0", **extra)
    else:
        im.save(out, "PNG", optimize=False, compress_level=9, **extra)
    return out.getvalue()


# --------------------------------------------------------------------------- WebVTT


@dataclass(frozen=True)
class Cue:
    """One WebVTT cue; times in milliseconds, ``line`` is the line of its timing."""

    start: int
    end: int
    text: str
    identifier: str = ""
    settings: str = ""
    line: int = 0

    @property
    def plain(self) -> str:
        """The cue text without tags (<v 主持人>, <i> …) and entities, for transcripts."""
        return html.unescape(re.sub(r"<[^>]*>", "", self.text))


def format_timestamp(ms: int) -> str:
    """``hh:mm:ss.ttt``, the form WebVTT files are written in."""
    hours, rest = divmod(int(ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


_TIME_HINT = "write times as hh:mm:ss.ttt or mm:ss.ttt, e.g. 00:01:02.500 (a dot, then exactly three digits)"
_FULLWIDTH = re.compile(r"[：．，－—＞→]")
_TIMING_LIKE = re.compile(r"\d\s*[:：]\s*\d\d\s*[:：．.,，]")
_SETTING_VALUES = {
    "vertical": re.compile(r"rl|lr"),
    "line": re.compile(r"(auto|-?\d+(\.\d+)?|\d+(\.\d+)?%)(,(start|center|end))?"),
    "position": re.compile(r"(auto|\d+(\.\d+)?%)(,(line-left|center|line-right))?"),
    "size": re.compile(r"\d+(\.\d+)?%"),
    "align": re.compile(r"start|center|end|left|right"),
    "region": re.compile(r"[^\s]+"),
}


class _BadTime(Exception):
    def __init__(self, message: str, hint: str = _TIME_HINT):
        super().__init__(message)
        self.message, self.hint = message, hint


def _timestamp(s: str, pos: int) -> tuple[int, int]:
    """Parse a WebVTT timestamp at ``pos`` (W3C WebVTT, "collect a WebVTT timestamp")."""
    def digits(at: int) -> tuple[str, int]:
        end = at
        while end < len(s) and "0" <= s[end] <= "9":
            end += 1
        return s[at:end], end

    token = re.match(r"\S*", s[pos:]).group(0).split("-->")[0]
    first, pos = digits(pos)
    if not first:
        raise _BadTime(f"expected a time, found {token or 'nothing'!r}")
    hours_first = len(first) != 2 or int(first) > 59
    if pos >= len(s) or s[pos] != ":":
        raise _BadTime(f"{token!r} is not a time")
    second, pos = digits(pos + 1)
    if len(second) != 2:
        raise _BadTime(f"{token!r} is not a time: minutes and seconds have two digits")
    if hours_first or (pos < len(s) and s[pos] == ":"):
        if pos >= len(s) or s[pos] != ":":
            raise _BadTime(f"{token!r} is not a time")
        third, pos = digits(pos + 1)
        if len(third) != 2:
            raise _BadTime(f"{token!r} is not a time: minutes and seconds have two digits")
        h, m, sec = int(first), int(second), int(third)
    else:
        h, m, sec = 0, int(first), int(second)
    if pos < len(s) and s[pos] == ",":
        raise _BadTime(f"{token!r} has a comma before the milliseconds; WebVTT needs a dot",
                       "write 00:00:01.000, not 00:00:01,000 (the comma is SRT's notation)")
    if pos >= len(s) or s[pos] != ".":
        raise _BadTime(f"{token!r} has no milliseconds", _TIME_HINT)
    millis, pos = digits(pos + 1)
    if len(millis) != 3:
        raise _BadTime(f"{token!r} does not have exactly three digits of milliseconds")
    if m > 59 or sec > 59:
        raise _BadTime(f"{token!r} has minutes or seconds above 59")
    return ((h * 60 + m) * 60 + sec) * 1000 + int(millis), pos


def _parse_timing(line: str) -> tuple[int, int, str, list[str]]:
    """start, end, settings and warnings about settings; raises :class:`_BadTime`."""
    pos = len(line) - len(line.lstrip(" \t"))
    try:
        start, pos = _timestamp(line, pos)
    except _BadTime as e:
        raise _BadTime(f"bad start time: {e.message}", e.hint) from None
    rest = line[pos:]
    stripped = rest.lstrip(" \t")
    if not stripped.startswith("-->"):
        raise _BadTime(f"expected ' --> ' after the start time, found {stripped[:12]!r}",
                       "write the timing as `00:00:01.000 --> 00:00:03.500`")
    pos += len(rest) - len(stripped) + 3
    pos += len(line[pos:]) - len(line[pos:].lstrip(" \t"))
    try:
        end, pos = _timestamp(line, pos)
    except _BadTime as e:
        raise _BadTime(f"bad end time: {e.message}", e.hint) from None
    settings = line[pos:]
    if settings and settings[0] not in " \t":
        raise _BadTime(f"unexpected {settings[:12]!r} right after the end time",
                       "separate cue settings from the end time with a space")
    notes = []
    for token in settings.split():
        key, colon, value = token.partition(":")
        pattern = _SETTING_VALUES.get(key)
        if not colon or pattern is None or not value or not pattern.fullmatch(value):
            notes.append(token)
    return start, end, settings.strip(), notes


def _is_block_keyword(line: str, word: str) -> bool:
    return line == word or line.startswith((word + " ", word + "\t"))


def parse_webvtt(text: str) -> tuple[list[Cue], list[Problem]]:
    """Parse WebVTT text into cues, reporting every problem with its line.

    Follows the block structure of the W3C WebVTT parser, so a file is read
    the way browsers read it: what a browser silently drops (a block without a
    timing line, a cue swallowed by the header) is reported here instead.
    """
    problems: list[Problem] = []
    cues: list[Cue] = []

    def problem(line: int, message: str, hint: str = "", level: str = "error") -> None:
        problems.append(Problem(message, hint, line, level))

    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    n = len(lines)

    first = lines[0]
    i = 1
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        if _SRT_START.match("\n".join(lines[:2])):
            problem(1, "this is an SRT subtitle file, not WebVTT: the first line must be WEBVTT",
                    "convert it: add a first line `WEBVTT` and a blank line, and write times with a dot "
                    "(00:00:01.000) instead of a comma")
            return [], problems
        problem(1, f"the first line must be WEBVTT, found {first[:30]!r}" if first.strip()
                else "the first line must be WEBVTT, found an empty line",
                "start the file with a line reading exactly WEBVTT, then a blank line")
        if "-->" in first or (n > 1 and "-->" in lines[1]):
            i = 0  # cues without a header: read them anyway to report what else is wrong
    # The header: lines after the signature up to the first blank line.
    while i > 0 and i < n and lines[i] != "":
        if "-->" in lines[i]:
            problem(i + 1, "this cue is part of the file header, so players ignore it",
                    "put a blank line between the WEBVTT line and the first cue")
        i += 1

    seen_cue = False
    last_start: tuple[int, int] | None = None  # (start, line)
    identifiers: dict[str, int] = {}
    while i < n:
        while i < n and lines[i] == "":
            i += 1
        if i >= n:
            break
        # Collect one block (W3C WebVTT "collect a WebVTT block").
        block_start, count, previous = i, 0, i
        buffer: list[tuple[int, str]] = []
        timing: int | None = None
        identifier = ""
        while i < n:
            line = lines[i]
            i += 1
            count += 1
            if "-->" in line:
                if timing is None and (count == 1 or count == 2):
                    timing = i - 1
                    identifier = buffer[0][1] if buffer else ""
                    buffer = []
                    previous = i
                    continue
                i = previous  # a new cue begins here: the blank line before it is missing
                problem(i + 1, "a cue starts here without a blank line before it",
                        "separate cues with a blank line; without it the line above becomes caption text")
                break
            if line == "":
                break
            buffer.append((i, line))
            previous = i

        if timing is None:
            head = lines[block_start]
            if _is_block_keyword(head, "NOTE"):
                continue
            if _is_block_keyword(head, "STYLE") or _is_block_keyword(head, "REGION"):
                if seen_cue:
                    problem(block_start + 1, f"a {head.split()[0]} block after the first cue is ignored",
                            "move it above the first cue", level="warning")
                continue
            timing_like = next((number for number, text_line in buffer[:2] if _TIMING_LIKE.search(text_line)),
                               None)
            if timing_like is not None and _FULLWIDTH.search(lines[timing_like - 1]):
                problem(timing_like, "the cue timing is written with full-width characters (：，－＞)",
                        "switch the input method to half-width and write `00:00:01.000 --> 00:00:03.500`")
            elif timing_like is not None:
                problem(timing_like, "this looks like a cue timing, but it has no '-->' between the times",
                        "write the timing as `00:00:01.000 --> 00:00:03.500` (two hyphens and >)")
            else:
                problem(block_start + 1, "this block is not a cue: it has no timing line",
                        "write `00:00:01.000 --> 00:00:03.500` on the line before the caption text, "
                        "or start a comment with NOTE")
            continue

        line_no = timing + 1
        try:
            start, end, settings, bad_settings = _parse_timing(lines[timing])
        except _BadTime as e:
            if _FULLWIDTH.search(lines[timing]):
                problem(line_no, "the cue timing is written with full-width characters (：，．)",
                        "switch the input method to half-width and write `00:00:01.000 --> 00:00:03.500`")
            else:
                problem(line_no, e.message, e.hint)
            continue
        seen_cue = True
        for token in bad_settings:
            problem(line_no, f"cue setting {token!r} is not valid; players ignore it",
                    "valid settings: vertical:rl|lr, line:N or N%, position:N%, size:N%, "
                    "align:start|center|end|left|right, region:ID", level="warning")
        if end <= start:
            problem(line_no, f"the cue ends at {format_timestamp(end)}, not after it starts "
                             f"({format_timestamp(start)})",
                    "the end time must be later than the start time")
        if last_start is not None and start < last_start[0]:
            problem(line_no, f"the cue starts at {format_timestamp(start)}, before the previous cue "
                             f"({format_timestamp(last_start[0])} on line {last_start[1]})",
                    "cues must be in time order: move this cue up, or correct its time")
        last_start = (start, line_no)
        if identifier:
            if identifier in identifiers:
                problem(line_no - 1, f"cue identifier {identifier!r} is used twice (also on line "
                                     f"{identifiers[identifier]})", "give each cue its own identifier",
                        level="warning")
            identifiers.setdefault(identifier, line_no - 1)
        cue_text = "\n".join(text_line for _, text_line in buffer)
        if not cue_text.strip():
            problem(line_no, "the cue has no text", "write the caption on the line after the timing",
                    level="warning")
        cues.append(Cue(start, end, cue_text, identifier, settings, line_no))

    if not any(cue.text.strip() for cue in cues) and not any(p.level == "error" for p in problems):
        problem(1, "the file has no captions",
                "add cues: a timing line such as `00:00:00.000 --> 00:00:02.500`, then the caption text")
    return cues, problems


def read_webvtt(path, name: str | None = None) -> tuple[list[Cue], list[Problem]]:
    """Read, type-check, decode (UTF-8, as WebVTT requires) and parse a caption file."""
    shown = _shown(path, name)
    try:
        with _contents(path) as data:
            data = bytes(data)
    except OSError as e:
        return [], [_unreadable(shown, e)]
    problem = check_type(path, data, name)
    if problem is not None and not (data and sniff(data) in ("text", "text-gb18030", "srt")):
        return [], [problem]
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        hint = "WebVTT files must be UTF-8; re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
        try:
            data.decode("gb18030")
            hint = "the file looks GBK/GB18030-encoded; " + hint
        except UnicodeDecodeError:
            pass
        return [], [Problem(f"{shown} is not valid UTF-8 (byte 0x{data[e.start]:02x})", hint, line)]
    return parse_webvtt(text)


# --------------------------------------------------------------------------- audio and video


class _Bad(Exception):
    """Internal: a container problem found deep in a parser, turned into a Problem at the top."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def _truncated(shown: str, needed: int, size: int, what: str) -> _Bad:
    return _Bad(f"{shown} is truncated: {what} needs {needed:,} bytes but the file has only {size:,}", _GET_AGAIN)


def check_video(path, name: str | None = None) -> MediaInfo | Problem:
    """Check a video by its bytes and walk its container to the end.

    MP4: the top-level boxes must fit the file, with 'ftyp', 'moov' and media
    data, a video track and a codec browsers play. WebM: EBML header, Segment
    and clusters that fit, VP8/VP9/AV1. Duration comes from the container.
    """
    return _check_av(path, name, "video")


def check_audio(path, name: str | None = None) -> MediaInfo | Problem:
    """Check an audio file (MP3, M4A, Ogg, WAV, WebM audio) by its bytes and walk it to the end."""
    return _check_av(path, name, "audio")


def _check_av(path, name: str | None, want: str) -> MediaInfo | Problem:
    shown = _shown(path, name)
    ext = PurePath(path).suffix.lower()
    allowed = VIDEO_EXTENSIONS if want == "video" else AUDIO_EXTENSIONS
    if ext not in allowed:
        return Problem(f"{shown} is not {'a video' if want == 'video' else 'an audio'} file type",
                       "publish videos as .mp4 (H.264) or .webm (VP9)" if want == "video"
                       else "publish audio as .mp3 or .m4a")
    try:
        with _contents(path) as data:
            return _inspect_av(shown, path, name, data, want)
    except OSError as e:
        return _unreadable(shown, e)


def _inspect_av(shown: str, path, name: str | None, data, want: str) -> MediaInfo | Problem:
    problem = check_type(path, data, name)
    if problem is not None:
        return problem
    kind = sniff(data)
    try:
        if kind in ("mp4", "m4a"):
            info = _inspect_mp4(shown, data, kind)
        elif kind == "webm":
            info = _inspect_webm(shown, data)
        elif kind == "ogg":
            info = _inspect_ogg(shown, data)
        elif kind == "mp3":
            info = _inspect_mp3(shown, data)
        elif kind == "wav":
            info = _inspect_wav(shown, data)
        else:  # pragma: no cover - check_type admits only the kinds above
            return Problem(f"{shown} is {KINDS[kind].label}, which cannot be checked")
    except _Bad as e:
        return Problem(e.message, e.hint)
    except (struct.error, IndexError, ValueError) as e:  # a parser read past a corrupt length
        return Problem(f"{shown} is damaged: its structure cannot be read ({e})",
                       "export the file again from the original")
    if want == "video" and info.video_codec is None:
        return Problem(f"{shown} has no video track" + (f" (it contains only {info.audio_codec} audio)"
                                                         if info.audio_codec else ""),
                       "publish it as audio, or export the video again")
    if want == "audio" and info.audio_codec is None:
        return Problem(f"{shown} has no audio track", "export the audio again")
    if want == "audio" and info.video_codec is not None:
        info = dataclasses.replace(info, warnings=info.warnings + (Problem(
            f"{shown} also contains a video track", "publish it as a video, or export the audio alone",
            level="warning"),))
    return info


# ---- ISO BMFF (MP4, M4A)


_VIDEO_CODECS_MP4 = {
    b"avc1": "H.264", b"avc3": "H.264", b"vp09": "VP9", b"av01": "AV1",
    b"hvc1": "H.265/HEVC", b"hev1": "H.265/HEVC", b"mp4v": "MPEG-4 Part 2",
    b"s263": "H.263", b"apcn": "ProRes", b"apch": "ProRes", b"apcs": "ProRes", b"mjpa": "Motion JPEG",
    b"jpeg": "Motion JPEG",
}
_AUDIO_CODECS_MP4 = {
    b"mp4a": "AAC", b"Opus": "Opus", b"fLaC": "FLAC", b".mp3": "MP3", b"ac-3": "AC-3 (Dolby Digital)",
    b"ec-3": "E-AC-3 (Dolby Digital Plus)", b"samr": "AMR", b"sawb": "AMR-WB", b"alac": "ALAC",
    b"lpcm": "PCM", b"sowt": "PCM", b"twos": "PCM",
}
_PLAYABLE_VIDEO = {"H.264", "VP8", "VP9"}
_PLAYABLE_AUDIO = {"AAC", "Opus", "MP3", "FLAC", "Vorbis", "PCM (WAV)"}
_H264_PROFILES = {66: "Baseline", 77: "Main", 88: "Extended", 100: "High", 110: "High 10",
                  122: "High 4:2:2", 244: "High 4:4:4", 44: "CAVLC 4:4:4"}


def _u32(data, offset: int) -> int:
    return struct.unpack_from(">I", data, offset)[0]


def _u32le(data, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]


def _boxes(data, start: int, end: int, shown: str, top: bool = False):
    """Yield (type, header start, body start, box end) of the boxes between start and end."""
    pos = start
    while pos < end:
        if end - pos < 8:
            if top:
                raise _truncated(shown, pos + 8, end, "the last box header")
            raise _Bad(f"{shown} is damaged: a box ends in the middle at byte {pos:,}", _GET_AGAIN)
        size = _u32(data, pos)
        kind = bytes(data[pos + 4:pos + 8])
        header = 8
        if size == 1:
            if end - pos < 16:
                raise _truncated(shown, pos + 16, end, f"the '{_fourcc(kind)}' box header")
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos  # "to the end of the file"
        if not all(0x20 <= c <= 0x7E or c == 0xA9 for c in kind):
            raise _Bad(f"{shown} is damaged: unreadable data at byte {pos:,}",
                       "export the file again from the original")
        if size < header:
            raise _Bad(f"{shown} is damaged: the '{_fourcc(kind)}' box at byte {pos:,} has an impossible size",
                       "export the file again from the original")
        if pos + size > end:
            if top:
                raise _truncated(shown, pos + size, end, f"its '{_fourcc(kind)}' box")
            raise _Bad(f"{shown} is damaged: the '{_fourcc(kind)}' box overruns the box that contains it",
                       "export the file again from the original")
        yield kind, pos, pos + header, pos + size
        pos += size


def _fourcc(kind: bytes) -> str:
    return kind.decode("latin-1")


def _child(data, start: int, end: int, shown: str, kind: bytes):
    for child in _boxes(data, start, end, shown):
        if child[0] == kind:
            return child
    return None


def _inspect_mp4(shown: str, data, kind: str) -> MediaInfo:
    n = len(data)
    top = list(_boxes(data, 0, n, shown, top=True))
    types = [box[0] for box in top]
    warnings_: list[Problem] = []
    if b"moov" not in types:
        raise _Bad(f"{shown} has no 'moov' box, the index players need: the file is incomplete",
                   "the recording or export was interrupted, or the file was cut off; export it again")
    if b"mdat" not in types and b"moof" not in types:
        raise _Bad(f"{shown} has no media data (no 'mdat' box)", "export the file again from the original")
    moov = top[types.index(b"moov")]
    if b"mdat" in types and types.index(b"mdat") < types.index(b"moov"):
        warnings_.append(Problem(
            f"{shown} has its index ('moov') at the end, so browsers must fetch the end of the file before "
            "playing", "re-save it with the index first: `ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4`",
            level="warning"))
    duration = None
    mvhd = _child(data, moov[2], moov[3], shown, b"mvhd")
    if mvhd:
        duration = _mp4_duration(data, mvhd[2])
    if not duration:
        mvex = _child(data, moov[2], moov[3], shown, b"mvex")
        mehd = mvex and _child(data, mvex[2], mvex[3], shown, b"mehd")
        if mehd and mvhd:
            version = data[mehd[2]]
            length = struct.unpack_from(">Q" if version == 1 else ">I", data, mehd[2] + 4)[0]
            timescale = _u32(data, mvhd[2] + (20 if data[mvhd[2]] == 1 else 12))
            duration = length / timescale if timescale else None
    video = audio = None
    width = height = None
    fragmented = b"moof" in types
    for trak in (box for box in _boxes(data, moov[2], moov[3], shown) if box[0] == b"trak"):
        track = _mp4_track(data, trak, shown, n, fragmented)
        if track is None:
            continue
        handler, codec, size, problem = track
        if problem is not None:
            raise problem
        if handler == b"vide" and video is None:
            video = codec
            width, height = size
        elif handler == b"soun" and audio is None:
            audio = codec
    _check_codecs(shown, video, audio, warnings_)
    return MediaInfo(kind, n, duration, width, height, video, audio, tuple(warnings_))


def _mp4_duration(data, body: int) -> float | None:
    version = data[body]
    if version == 1:
        timescale = _u32(data, body + 20)
        length = struct.unpack_from(">Q", data, body + 24)[0]
        unknown = length == 0xFFFFFFFFFFFFFFFF
    else:
        timescale = _u32(data, body + 12)
        length = _u32(data, body + 16)
        unknown = length == 0xFFFFFFFF
    return length / timescale if timescale and length and not unknown else None


def _mp4_track(data, trak, shown: str, n: int, fragmented: bool):
    """(handler, codec name, (width, height), problem) of one 'trak', or None for other tracks."""
    mdia = _child(data, trak[2], trak[3], shown, b"mdia")
    hdlr = mdia and _child(data, mdia[2], mdia[3], shown, b"hdlr")
    if not hdlr:
        return None
    handler = bytes(data[hdlr[2] + 8:hdlr[2] + 12])
    if handler not in (b"vide", b"soun"):
        return None
    minf = _child(data, mdia[2], mdia[3], shown, b"minf")
    stbl = minf and _child(data, minf[2], minf[3], shown, b"stbl")
    stsd = stbl and _child(data, stbl[2], stbl[3], shown, b"stsd")
    if not stsd or stsd[3] - stsd[2] < 16:
        return handler, None, (None, None), _Bad(f"{shown} is damaged: a track has no sample description",
                                                 "export the file again from the original")
    entry = stsd[2] + 8
    fourcc = bytes(data[entry + 4:entry + 8])
    table = _VIDEO_CODECS_MP4 if handler == b"vide" else _AUDIO_CODECS_MP4
    codec = table.get(fourcc, f"'{_fourcc(fourcc).strip()}'")
    size = (None, None)
    if handler == b"vide" and entry + 36 <= stsd[3]:
        size = struct.unpack_from(">HH", data, entry + 32)
        if fourcc in (b"avc1", b"avc3"):
            entry_end = entry + _u32(data, entry)
            avcc = _child(data, entry + 86, min(entry_end, stsd[3]), shown, b"avcC") \
                if entry + 86 <= min(entry_end, stsd[3]) else None
            if avcc and avcc[3] - avcc[2] >= 2:
                profile = data[avcc[2] + 1]
                codec = f"H.264 ({_H264_PROFILES.get(profile, f'profile {profile}')})"
    # Chunk offsets must point into the file: an index that outlives a cut-off 'mdat' says so.
    for table_kind, fmt, width_ in ((b"stco", ">I", 4), (b"co64", ">Q", 8)):
        box = _child(data, stbl[2], stbl[3], shown, table_kind)
        if box:
            count = _u32(data, box[2] + 4)
            if count and box[2] + 8 + count * width_ <= box[3]:
                last = max(struct.unpack_from(f">{count}{fmt[1]}", data, box[2] + 8))
                if last >= n:
                    return handler, codec, size, _truncated(shown, last + 1, n, "its media data")
    stsz = _child(data, stbl[2], stbl[3], shown, b"stsz")
    if stsz and stsz[3] - stsz[2] >= 12 and _u32(data, stsz[2] + 8) == 0 and not fragmented:
        return handler, codec, size, _Bad(f"{shown} has a {'video' if handler == b'vide' else 'sound'} "
                                          "track without any frames", "export the file again")
    return handler, codec, size, None


def _check_codecs(shown: str, video: str | None, audio: str | None, warnings_: list[Problem]) -> None:
    if video is not None:
        base = video.split(" (")[0]
        if base == "AV1":
            warnings_.append(Problem(f"{shown} uses AV1 video, which older phones and Safari without "
                                     "hardware support cannot play", _REENCODE_VIDEO, level="warning"))
        elif base not in _PLAYABLE_VIDEO:
            raise _Bad(f"{shown} uses {video} video, which many browsers cannot play", _REENCODE_VIDEO)
        elif base == "H.264" and video not in ("H.264", "H.264 (Baseline)", "H.264 (Main)", "H.264 (High)",
                                               "H.264 (Extended)"):
            raise _Bad(f"{shown} uses {video} video, which most browsers cannot play",
                       "re-encode it with 8-bit 4:2:0 colour: `ffmpeg -i in.mp4 -c:v libx264 -pix_fmt yuv420p "
                       "-c:a copy -movflags +faststart out.mp4`")
    if audio is not None and audio not in _PLAYABLE_AUDIO:
        raise _Bad(f"{shown} uses {audio} audio, which most browsers cannot play",
                   "re-encode the sound as AAC (MP4) or Opus (WebM), e.g. `ffmpeg -i in.mp4 -c:v copy -c:a aac "
                   "out.mp4`")


# ---- EBML (WebM)


_EBML_LEVEL1 = {0x114D9B74, 0x1549A966, 0x1654AE6B, 0x1F43B675, 0x1C53BB6B, 0x1254C367, 0x1043A770,
                0x1941A469, 0x18538067, 0x1A45DFA3}
_WEBM_CODECS = {"V_VP8": "VP8", "V_VP9": "VP9", "V_AV1": "AV1", "A_OPUS": "Opus", "A_VORBIS": "Vorbis",
                "V_MPEG4/ISO/AVC": "H.264", "V_MPEGH/ISO/HEVC": "H.265/HEVC", "A_AAC": "AAC",
                "A_MPEG/L3": "MP3", "A_FLAC": "FLAC"}


def _ebml_header(data, pos: int, end: int, shown: str) -> tuple[int, int | None, int]:
    """(element id, size or None when unknown, data start) of the element at ``pos``."""
    if pos >= end:
        raise _truncated(shown, pos + 1, end, "an element")
    first = data[pos]
    id_len = 9 - first.bit_length() if first else 9
    if id_len > 4:
        raise _Bad(f"{shown} is damaged: unreadable data at byte {pos:,}", "export the file again")
    if pos + id_len >= end:
        raise _truncated(shown, pos + id_len + 1, end, "an element header")
    eid = int.from_bytes(bytes(data[pos:pos + id_len]), "big")
    pos += id_len
    first = data[pos]
    size_len = 9 - first.bit_length() if first else 9
    if size_len > 8:
        raise _Bad(f"{shown} is damaged: unreadable data at byte {pos:,}", "export the file again")
    if pos + size_len > end:
        raise _truncated(shown, pos + size_len, end, "an element header")
    value = first & (0xFF >> size_len)
    for b in bytes(data[pos + 1:pos + size_len]):
        value = (value << 8) | b
    unknown = value == (1 << (7 * size_len)) - 1
    return eid, None if unknown else value, pos + size_len


def _ebml_children(data, start: int, end: int, shown: str):
    pos = start
    while pos < end:
        eid, size, body = _ebml_header(data, pos, end, shown)
        if size is None or body + size > end:
            raise _Bad(f"{shown} is damaged: an element at byte {pos:,} overruns its parent",
                       "export the file again from the original")
        yield eid, body, body + size
        pos = body + size


def _ebml_uint(data, start: int, end: int) -> int:
    return int.from_bytes(bytes(data[start:end]), "big")


def _ebml_doctype(data) -> str | None:
    try:
        eid, size, body = _ebml_header(data, 0, len(data), "")
        end = min(len(data), body + (size or 0))
        for child, cstart, cend in _ebml_children(data, body, end, ""):
            if child == 0x4282:
                return bytes(data[cstart:cend]).rstrip(b"\x00").decode("ascii", "replace")
    except (_Bad, IndexError, struct.error):
        return None
    return None


def _inspect_webm(shown: str, data) -> MediaInfo:
    n = len(data)
    eid, size, body = _ebml_header(data, 0, n, shown)
    if size is None or body + size > n:
        raise _truncated(shown, body + (size or 0), n, "the EBML header")
    pos = body + size
    while True:
        if pos >= n:
            raise _Bad(f"{shown} has no WebM segment: the file ends after its header", _GET_AGAIN)
        eid, size, body = _ebml_header(data, pos, n, shown)
        if eid == 0x18538067:
            break
        if size is None:
            raise _Bad(f"{shown} is damaged: unreadable data at byte {pos:,}", "export the file again")
        pos = body + size
    if size is not None and body + size > n:
        raise _truncated(shown, body + size, n, "the WebM segment")
    segment_end = n if size is None else body + size
    timescale, duration = 1_000_000, None
    video = audio = None
    width = height = None
    clusters = 0
    pos = body
    while pos < segment_end:
        eid, size, child = _ebml_header(data, pos, segment_end, shown)
        if eid == 0x18538067 or eid == 0x1A45DFA3:
            break  # a second segment follows (chained file): the first one is what plays
        if size is None:
            if eid != 0x1F43B675:
                raise _Bad(f"{shown} is damaged: an element of unknown size at byte {pos:,}",
                           "export the file again from the original")
            pos = _skip_open_cluster(data, child, segment_end, shown)
            clusters += 1
            continue
        end = child + size
        if end > segment_end:
            raise _truncated(shown, end, segment_end, "its last element")
        if eid == 0x1549A966:  # Info
            for sub, s, e in _ebml_children(data, child, end, shown):
                if sub == 0x2AD7B1:
                    timescale = _ebml_uint(data, s, e) or timescale
                elif sub == 0x4489 and e - s in (4, 8):
                    duration = struct.unpack_from(">f" if e - s == 4 else ">d", data, s)[0]
        elif eid == 0x1654AE6B:  # Tracks
            for sub, s, e in _ebml_children(data, child, end, shown):
                if sub != 0xAE:
                    continue
                track_type, codec, pixels = None, None, (None, None)
                for item, a, b in _ebml_children(data, s, e, shown):
                    if item == 0x83:
                        track_type = _ebml_uint(data, a, b)
                    elif item == 0x86:
                        codec_id = bytes(data[a:b]).rstrip(b"\x00").decode("ascii", "replace")
                        codec = _WEBM_CODECS.get(codec_id, f"'{codec_id}'")
                    elif item == 0xE0:
                        dims = {k: _ebml_uint(data, x, y) for k, x, y in _ebml_children(data, a, b, shown)}
                        pixels = (dims.get(0xB0), dims.get(0xBA))
                if track_type == 1 and video is None:
                    video, (width, height) = codec, pixels
                elif track_type == 2 and audio is None:
                    audio = codec
        elif eid == 0x1F43B675:
            clusters += 1
        pos = end
    if clusters == 0:
        raise _Bad(f"{shown} has no media data (no clusters)", _GET_AGAIN)
    warnings_: list[Problem] = []
    for codec, allowed in ((video, {"VP8", "VP9", "AV1"}), (audio, {"Opus", "Vorbis"})):
        if codec is not None and codec not in allowed:
            raise _Bad(f"{shown} uses {codec} in a WebM file, which browsers do not accept in WebM",
                       "encode WebM with VP9 video and Opus audio, or publish an MP4 (H.264 + AAC)")
    _check_codecs(shown, video, audio, warnings_)
    seconds = duration * timescale / 1e9 if duration else None
    return MediaInfo("webm", n, seconds, width, height, video, audio, tuple(warnings_))


def _skip_open_cluster(data, pos: int, end: int, shown: str) -> int:
    """The end of a cluster of unknown size (live recordings): where the next top-level element starts."""
    while pos < end:
        eid, size, body = _ebml_header(data, pos, end, shown)
        if eid in _EBML_LEVEL1:
            return pos
        if size is None or body + size > end:
            raise _truncated(shown, body + (size or 0), end, "its last cluster")
        pos = body + size
    return pos


# ---- Ogg


def _inspect_ogg(shown: str, data) -> MediaInfo:
    n = len(data)
    streams: dict[int, dict] = {}
    pos = 0
    while pos < n:
        if not b"OggS".startswith(bytes(data[pos:pos + 4])):
            raise _Bad(f"{shown} is damaged: no Ogg page at byte {pos:,}", "export the file again from the original")
        if n - pos < 27:
            raise _truncated(shown, pos + 27, n, "its last page")
        flags = data[pos + 5]
        granule = struct.unpack_from("<q", data, pos + 6)[0]
        serial = _u32le(data, pos + 14)
        segments = data[pos + 26]
        if pos + 27 + segments > n:
            raise _truncated(shown, pos + 27 + segments, n, "its last page")
        body = pos + 27 + segments
        end = body + sum(bytes(data[pos + 27:body]))
        if end > n:
            raise _truncated(shown, end, n, "its last page")
        if flags & 0x02:
            packet = bytes(data[body:min(end, body + 64)])
            streams[serial] = stream = {"codec": None, "rate": 0, "preskip": 0, "granule": 0, "eos": False,
                                        "video": False}
            if packet.startswith(b"OpusHead") and len(packet) >= 12:
                stream.update(codec="Opus", rate=48000, preskip=struct.unpack_from("<H", packet, 10)[0])
            elif packet.startswith(b"\x01vorbis") and len(packet) >= 16:
                stream.update(codec="Vorbis", rate=_u32le(packet, 12))
            elif packet.startswith(b"\x7fFLAC"):
                stream.update(codec="FLAC")
            elif packet.startswith(b"\x80theora"):
                stream.update(codec="Theora", video=True)
            elif packet.startswith(b"Speex"):
                stream.update(codec="Speex")
            else:
                stream.update(codec="'unknown'")
        stream = streams.get(serial)
        if stream is None:
            raise _Bad(f"{shown} is damaged: a page at byte {pos:,} belongs to no stream",
                       "export the file again from the original")
        if granule != -1:
            stream["granule"] = granule
        if flags & 0x04:
            stream["eos"] = True
        pos = end
    if not streams:
        raise _Bad(f"{shown} has no Ogg stream", _GET_AGAIN)
    if not all(stream["eos"] for stream in streams.values()):
        raise _Bad(f"{shown} is truncated: its last Ogg page is not marked as the end of the stream", _GET_AGAIN)
    video = next((s["codec"] for s in streams.values() if s["video"]), None)
    audio_stream = next((s for s in streams.values() if not s["video"]), None)
    audio = audio_stream["codec"] if audio_stream else None
    if video is not None:
        raise _Bad(f"{shown} uses {video} video, which Safari and recent versions of Chrome do not play", _REENCODE_VIDEO)
    if audio not in _PLAYABLE_AUDIO:
        raise _Bad(f"{shown} uses {audio} audio, which browsers do not play", _REENCODE_AUDIO)
    duration = None
    if audio_stream and audio_stream["rate"]:
        duration = max(0, audio_stream["granule"] - audio_stream["preskip"]) / audio_stream["rate"]
    return MediaInfo("ogg", n, duration, None, None, None, audio, ())


# ---- MP3


_MP3_BITRATES = {
    (3, 3): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (3, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (3, 1): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 3): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (2, 1): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame(data, pos: int) -> tuple[int, int, int, int] | None:
    """(frame length, samples, sample rate, side-info offset) of a valid MPEG audio frame header at pos."""
    if pos + 4 > len(data):
        return None
    h = _u32(data, pos)
    if (h >> 21) & 0x7FF != 0x7FF:
        return None
    version, layer = (h >> 19) & 3, (h >> 17) & 3
    bitrate_index, rate_index, padding = (h >> 12) & 0xF, (h >> 10) & 3, (h >> 9) & 1
    if version == 1 or layer == 0 or bitrate_index in (0, 15) or rate_index == 3 or h & 3 == 2:
        return None
    bitrate = _MP3_BITRATES[(3 if version == 3 else 2, layer)][bitrate_index] * 1000
    rate = _MP3_RATES[version][rate_index]
    mono = (h >> 6) & 3 == 3
    if layer == 3:  # Layer I
        return (12 * bitrate // rate + padding) * 4, 384, rate, 0
    if layer == 2 or version == 3:  # Layer II, or Layer III of MPEG-1
        samples = 1152
        length = 144 * bitrate // rate + padding
    else:  # Layer III of MPEG-2 / 2.5
        samples = 576
        length = 72 * bitrate // rate + padding
    side = (17 if mono else 32) if version == 3 else (9 if mono else 17)
    return length, samples, rate, 4 + side


def _mp3_confirmed(data, pos: int) -> bool:
    """A second frame right after the first: frame sync alone matches random bytes too often."""
    frame = _mp3_frame(data, pos)
    if frame is None:
        return False
    following = pos + frame[0]
    return following == len(data) or _mp3_frame(data, following) is not None


def _id3_end(data) -> int:
    if bytes(data[:3]) != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for b in bytes(data[6:10]):
        size = (size << 7) | (b & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _inspect_mp3(shown: str, data) -> MediaInfo:
    n = len(data)
    start = _id3_end(data)
    if start > n:
        raise _truncated(shown, start, n, "its ID3 tag")
    end = n
    if end - start >= 128 and bytes(data[end - 128:end - 125]) == b"TAG":
        end -= 128  # ID3v1 tag
    if end - start >= 32 and bytes(data[end - 32:end - 24]) == b"APETAGEX":
        tag_size = _u32le(data, end - 20) + (32 if _u32le(data, end - 12) & 0x80000000 else 0)
        end -= min(tag_size, end - start)
    pos = start
    limit = min(end, start + 64 * 1024)
    while pos < limit and not (_mp3_frame(data, pos) and _mp3_confirmed(data, pos)):
        pos = data.find(b"\xff", pos + 1, limit)
        if pos < 0:
            pos = limit
    if pos >= limit:
        raise _Bad(f"{shown} has no MP3 audio in it", "export the audio again as MP3")
    frames = samples = 0
    rate = 0
    warnings_: list[Problem] = []
    first = True
    lost_at = None  # where the frames stopped, while looking for the next one
    while pos < end:
        frame = _mp3_frame(data, pos)
        if frame is None:
            lost_at = pos if lost_at is None else lost_at
            next_pos = data.find(b"\xff", pos + 1, end)
            if next_pos < 0 or next_pos - lost_at > 64 * 1024:
                if end - lost_at > 64 * 1024:
                    warnings_.append(Problem(f"{shown} has {end - lost_at:,} bytes that are not audio after byte "
                                             f"{lost_at:,}", "export the audio again as MP3", level="warning"))
                break
            pos = next_pos
            continue
        lost_at = None
        length, frame_samples, rate, side = frame
        if pos + length > end:
            warnings_.append(Problem(f"{shown} ends in the middle of an audio frame: it is probably cut off",
                                     _GET_AGAIN, level="warning"))
            break
        if first and bytes(data[pos + side:pos + side + 4]) in (b"Xing", b"Info"):
            pass  # the encoder's information frame, not audio
        else:
            frames += 1
            samples += frame_samples
        first = False
        pos += length
    if frames == 0:
        raise _Bad(f"{shown} has no MP3 audio in it", "export the audio again as MP3")
    return MediaInfo("mp3", n, samples / rate if rate else None, None, None, None, "MP3", tuple(warnings_))


# ---- WAV


def _inspect_wav(shown: str, data) -> MediaInfo:
    n = len(data)
    declared = _u32le(data, 4)
    riff_end = n if declared in (0, 0xFFFFFFFF) else 8 + declared
    if riff_end > n:
        raise _truncated(shown, riff_end, n, "its RIFF header")
    pos = 12
    fmt = None
    data_size = None
    while pos + 8 <= riff_end:
        chunk = bytes(data[pos:pos + 4])
        size = _u32le(data, pos + 4)
        body = pos + 8
        if chunk == b"data" and size in (0, 0xFFFFFFFF):
            size = riff_end - body  # streaming writers leave the size open
        if body + size > riff_end:
            raise _truncated(shown, body + size, riff_end, f"its '{chunk.decode('latin-1')}' chunk")
        if chunk == b"fmt " and size >= 16:
            fmt = struct.unpack_from("<HHIIHH", data, body)
            if fmt[0] == 0xFFFE and size >= 26:
                fmt = (struct.unpack_from("<H", data, body + 24)[0],) + fmt[1:]
        elif chunk == b"data":
            data_size = size
        pos = body + size + (size & 1)
    if fmt is None or data_size is None:
        raise _Bad(f"{shown} is damaged: it has no {'format' if fmt is None else 'sound data'} chunk",
                   "export the audio again")
    if fmt[0] not in (1, 3):
        raise _Bad(f"{shown} uses the WAV encoding 0x{fmt[0]:04x}, which browsers do not play",
                   _REENCODE_AUDIO)
    byte_rate = fmt[3]
    return MediaInfo("wav", n, data_size / byte_rate if byte_rate else None, None, None, None, "PCM (WAV)", ())


# --------------------------------------------------------------------------- any file


def check_media(path, name: str | None = None) -> ImageInfo | MediaInfo | FileInfo | Problem:
    """Check any published file by its extension: images decode, audio and video walk, documents match.

    Caption files are not handled here: :func:`read_webvtt` reports their
    problems with line numbers inside the caption file.
    """
    ext = PurePath(path).suffix.lower()
    if ext in IMAGE_EXTENSIONS or ext in REFUSED_TYPES:
        return check_image(path, name)
    if ext in VIDEO_EXTENSIONS:
        return check_video(path, name)
    if ext in AUDIO_EXTENSIONS:
        return check_audio(path, name)
    shown = _shown(path, name)
    try:
        with _contents(path) as data:
            problem = check_type(path, data, name)
            if problem is not None and problem.level == "error":
                return problem
            kind = sniff(data)
            extra = _document_problem(shown, data, kind)
            if extra is not None:
                return extra
            return FileInfo(kind or "", len(data), (problem,) if problem else ())
    except OSError as e:
        return _unreadable(shown, e)


def _document_problem(shown: str, data, kind: str | None) -> Problem | None:
    """Cheap completeness checks for documents: a cut-off file opens with an error, or not at all."""
    if kind == "pdf" and b"%%EOF" not in bytes(data[-2048:]):
        return Problem(f"{shown} is truncated: a PDF ends with %%EOF and this one does not", _GET_AGAIN)
    if kind in ("zip", "docx", "xlsx", "pptx", "ofd"):
        try:
            fileobj = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
            with zipfile.ZipFile(fileobj) as archive:
                archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            return Problem(f"{shown} is truncated or damaged: its ZIP directory cannot be read ({e})", _GET_AGAIN)
    return None


def _main(argv: list[str]) -> int:  # pragma: no cover - a debugging aid: python -m generator.readers.media FILE…
    status = 0
    for arg in argv:
        if Path(arg).suffix.lower() == ".vtt":
            cues, problems = read_webvtt(arg)
            print(f"{arg}: {len(cues)} cue(s)")
            for p in problems:
                print(f"{arg}:{p.line}: {p.level}: {p.message}\n    hint: {p.hint}")
                status = status or int(p.level == "error")
            continue
        result = check_media(arg)
        if isinstance(result, Problem):
            print(f"{arg}: {result.level}: {result.message}\n    hint: {result.hint}")
            status = 1
        else:
            print(f"{arg}: {result}")
    return status


if __name__ == "__main__":  # pragma: no cover
    import sys

    raise SystemExit(_main(sys.argv[1:]))
