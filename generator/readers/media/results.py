"""What a media check returns: the problem and info values, and the one exception.

Separate so that every checker (images, audio and video, captions, other files)
returns the same types without importing another checker.
"""

from __future__ import annotations

from dataclasses import dataclass


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
