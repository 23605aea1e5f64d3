"""Make a small, deterministic copy of an accepted image for lists, without its metadata.

Separate from :mod:`.images` because it writes output rather than checking
input, and is the one function here that raises (:class:`~.results.MediaError`).
"""

from __future__ import annotations

import io
from pathlib import PurePath

from .results import MediaError, Problem


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
