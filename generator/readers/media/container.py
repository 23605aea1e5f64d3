"""What the audio and video container walkers share: their internal problem, and which codecs browsers play.

Separate so that each container format (MP4, WebM, Ogg, MP3, WAV) lives in a
module of its own without importing another format's walker.
"""

from __future__ import annotations

from .kinds import _GET_AGAIN, _REENCODE_VIDEO
from .results import Problem


class _Bad(Exception):
    """Internal: a container problem found deep in a parser, turned into a Problem at the top."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def _truncated(shown: str, needed: int, size: int, what: str) -> _Bad:
    return _Bad(f"{shown} is truncated: {what} needs {needed:,} bytes but the file has only {size:,}", _GET_AGAIN)


_PLAYABLE_VIDEO = {"H.264", "VP8", "VP9"}
_PLAYABLE_AUDIO = {"AAC", "Opus", "MP3", "FLAC", "Vorbis", "PCM (WAV)"}


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
