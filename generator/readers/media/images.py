"""Check that an image decodes in full (every frame) with Pillow, within the size limits.

Separate from :mod:`.thumbnails`: this only reads and judges an image, for
every build; making a smaller copy is another job, for images already accepted.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from .binary import _u32
from .files import _contents, _shown, _unreadable
from .kinds import IMAGE_EXTENSIONS, KINDS, REFUSED_TYPES
from .results import ImageInfo, Problem
from .sniffing import sniff
from .typecheck import check_type


#: Pillow's own default; an image with more pixels is refused as a decompression bomb.
MAX_IMAGE_PIXELS = 89_478_485
#: Animated images with more frames than this are refused (each frame is decoded).
MAX_IMAGE_FRAMES = 5_000


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
