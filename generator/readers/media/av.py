"""Check an audio or video file: type-check it, then hand it to the walker of its container format.

Separate from the walkers (:mod:`.mp4`, :mod:`.webm`, :mod:`.ogg`, :mod:`.mp3`,
:mod:`.wav`): this is the dispatch and what every format must have (a video
track for a video, an audio track for audio), whatever the container.
"""

from __future__ import annotations

import dataclasses
import struct
from pathlib import PurePath

from .container import _Bad
from .files import _contents, _shown, _unreadable
from .kinds import AUDIO_EXTENSIONS, KINDS, VIDEO_EXTENSIONS
from .mp3 import _inspect_mp3
from .mp4 import _inspect_mp4
from .ogg import _inspect_ogg
from .results import MediaInfo, Problem
from .sniffing import sniff
from .typecheck import check_type
from .wav import _inspect_wav
from .webm import _inspect_webm


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
