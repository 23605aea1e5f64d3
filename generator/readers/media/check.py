"""Check any published file by its extension: images, audio and video go to their checkers, documents here.

Separate because it is the one entry point the site calls for every file;
the document checks (a cut-off PDF or ZIP) are small enough to live with it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from .av import check_audio, check_video
from .files import _contents, _shown, _unreadable
from .images import check_image
from .kinds import _GET_AGAIN, AUDIO_EXTENSIONS, IMAGE_EXTENSIONS, REFUSED_TYPES, VIDEO_EXTENSIONS
from .results import FileInfo, ImageInfo, MediaInfo, Problem
from .sniffing import sniff
from .typecheck import check_type


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
