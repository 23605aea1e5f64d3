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

The package has one module per job; this module re-exports the public names,
so callers keep writing ``media.check_image`` or ``from ..readers.media import
make_thumbnail``:

- :mod:`.results`: the :class:`Problem` and info values a check returns;
- :mod:`.kinds`: the file types and the types each extension may hold;
- :mod:`.sniffing`: a file's real type from its bytes;
- :mod:`.typecheck`: whether the bytes match the extension;
- :mod:`.files`: opening a file (read or memory-mapped) and naming it;
- :mod:`.images` and :mod:`.thumbnails`: decoding an image, and a smaller copy;
- :mod:`.webvtt`: caption files;
- :mod:`.av`: audio and video, handed to one walker per container format,
  :mod:`.mp4`, :mod:`.webm`, :mod:`.ogg`, :mod:`.mp3`, :mod:`.wav`, which share
  :mod:`.container` and :mod:`.binary`;
- :mod:`.check`: any published file, by its extension;
- :mod:`.__main__`: ``python -m generator.readers.media FILE…``, a debugging aid.
"""

from __future__ import annotations

from .av import check_audio, check_video
from .check import check_media
from .images import MAX_IMAGE_FRAMES, MAX_IMAGE_PIXELS, check_image
from .kinds import AUDIO_EXTENSIONS, EXPECTED_TYPES, IMAGE_EXTENSIONS, KINDS, REFUSED_TYPES, VIDEO_EXTENSIONS, Kind
from .results import FileInfo, ImageInfo, MediaError, MediaInfo, Problem
from .sniffing import sniff
from .thumbnails import make_thumbnail
from .typecheck import check_type
from .webvtt import Cue, format_timestamp, parse_webvtt, read_webvtt

__all__ = [
    "AUDIO_EXTENSIONS", "EXPECTED_TYPES", "IMAGE_EXTENSIONS", "KINDS", "MAX_IMAGE_FRAMES", "MAX_IMAGE_PIXELS",
    "REFUSED_TYPES", "VIDEO_EXTENSIONS", "Cue", "FileInfo", "ImageInfo", "Kind", "MediaError", "MediaInfo", "Problem",
    "check_audio", "check_image", "check_media", "check_type", "check_video", "format_timestamp", "make_thumbnail",
    "parse_webvtt", "read_webvtt", "sniff",
]
