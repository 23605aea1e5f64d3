"""Whether a file's bytes are what its extension promises, and a hint that fits what they really are.

Separate from :mod:`.sniffing`, which only names the type: this is the rule
for published files, and the advice for each kind of mismatch.
"""

from __future__ import annotations

from pathlib import PurePath

from .files import _shown
from .kinds import (_FAMILY_PHRASE, _GET_AGAIN, _REENCODE_AUDIO, _REENCODE_VIDEO, _TOLERATED, EXPECTED_TYPES, KINDS,
                    REFUSED_TYPES, Kind)
from .results import Problem
from .sniffing import sniff


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
