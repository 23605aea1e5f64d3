"""The file types :func:`~.sniffing.sniff` names, and which of them each published extension may hold.

A table rather than code, separate so that the sniffer, the type check and the
checkers share one list of names, labels and extensions, and the hints that
several of them give.
"""

from __future__ import annotations

from dataclasses import dataclass


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

_REENCODE_VIDEO = ("re-encode it as MP4 with H.264 video and AAC audio, e.g. "
                   "`ffmpeg -i in.mov -c:v libx264 -pix_fmt yuv420p -c:a aac -movflags +faststart out.mp4`")
_REENCODE_AUDIO = "convert it to MP3, e.g. `ffmpeg -i in.wav -c:a libmp3lame -b:a 96k out.mp3`"
_GET_AGAIN = "the file was cut off while uploading or copying; copy it again from the original"
