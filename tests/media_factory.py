"""Media files for the tests and the demo site: valid ones, and the broken ones editors really upload.

Images are drawn with Pillow. Audio and video are encoded with PyAV when it is
installed (it is a development tool, not a dependency of the generator); the
container checks are also tested without it, on MP4, WebM, Ogg and MP3 files
built here byte by byte (``*_bytes`` functions). Broken variants: random
bytes, a file cut off half-way, and an HTML error page saved under a media name.

Everything is deterministic: the same arguments give the same bytes (for the
same Pillow, PyAV and font versions), so the committed demo media can be
regenerated without noise in the diff.

    python -m tests.media_factory demo content/

(re)creates the demo media of the policy interpretations under
``content/interpretations/media/``; it needs a CJK font (fonts-noto-cjk) and PyAV.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import struct
import sys
import wave
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from PIL import Image, ImageDraw, ImageFont

from generator.readers.media import format_timestamp

# --------------------------------------------------------------------------- fonts

#: Where Debian/Ubuntu packages put CJK fonts (fonts-noto-cjk, fonts-wqy-*), best first.
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


class NoCJKFont(RuntimeError):
    """No font that can draw Chinese is installed."""


def find_cjk_font(bold: bool = False, traditional: bool = False) -> tuple[Path, int] | None:
    """(font file, face index) of an installed CJK font, or None.

    Noto Sans CJK ships one collection with a face per region; the SC face
    draws Simplified Chinese with mainland glyph shapes, the TC face
    Traditional Chinese with Taiwan shapes, so a zh-Hant document gets the
    TC face.
    """
    region = " TC" if traditional else " SC"
    for pattern in CJK_FONT_CANDIDATES:
        path = Path(pattern.format(weight="Bold" if bold else "Regular"))
        if not path.is_file():
            continue
        if "Noto" not in path.name:
            return path, 0
        for index in range(10):
            try:
                family = ImageFont.truetype(str(path), 12, index=index).getname()[0]
            except OSError:
                break
            if family.endswith(region) and "Mono" not in family:
                return path, index
        return path, 0
    return None


def font(size: int, bold: bool = False, traditional: bool = False, require_cjk: bool = False):
    """A CJK font at ``size`` px, or Pillow's built-in font (no Chinese glyphs) when none is installed."""
    found = find_cjk_font(bold, traditional) or (find_cjk_font(False, traditional) if bold else None)
    if found is None:
        if require_cjk:
            raise NoCJKFont("no CJK font found; looked for " + ", ".join(
                p.format(weight="Regular") for p in CJK_FONT_CANDIDATES))
        return ImageFont.load_default(size)
    path, index = found
    return ImageFont.truetype(str(path), size, index=index)


# --------------------------------------------------------------------------- images


def _save(im: Image.Image, path: Path, fmt: str, **params) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, fmt, **params)
    return path


def _label(size: tuple[int, int], text: str, color: tuple[int, int, int], mode: str = "RGB") -> Image.Image:
    im = Image.new(mode, size, color + ((255,) if mode == "RGBA" else ()))
    draw = ImageDraw.Draw(im)
    draw.rectangle([0, size[1] * 2 // 3, size[0], size[1]], fill=(255, 255, 255) + ((160,) if mode == "RGBA" else ()))
    draw.text((4, 4), text, fill=(255, 255, 255), font=ImageFont.load_default(max(8, size[1] // 4)))
    return im


def png(path, text: str = "PNG", size: tuple[int, int] = (64, 48), color=(30, 90, 160),
        transparent: bool = False) -> Path:
    """A small PNG with a label (RGBA with a half-transparent band when ``transparent``)."""
    return _save(_label(size, text, color, "RGBA" if transparent else "RGB"), path, "PNG")


def jpeg(path, text: str = "JPEG", size: tuple[int, int] = (64, 48), color=(160, 60, 30),
         orientation: int | None = None, quality: int = 85) -> Path:
    """A small JPEG; ``orientation`` writes an EXIF Orientation tag (and camera make/model) like a phone does."""
    params = {"quality": quality}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation  # Orientation
        exif[0x010F] = "FactoryCam"  # Make
        exif[0x0110] = "Model 1"  # Model
        params["exif"] = exif.tobytes()
    return _save(_label(size, text, color), path, "JPEG", **params)


def gif_animation(path, frames: int = 3, size: tuple[int, int] = (48, 32)) -> Path:
    """An animated GIF (动漫) with ``frames`` frames of different colours."""
    images = [_label(size, str(i), ((60 * i) % 256, 120, 200 - 40 * i % 200)).convert("P") for i in range(frames)]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, "GIF", save_all=True, append_images=images[1:], duration=200, loop=0)
    return path


def webp(path, size: tuple[int, int] = (40, 30)) -> Path:
    return _save(_label(size, "W", (20, 140, 90)), path, "WEBP", quality=80)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(path, width: int = 20_000, height: int = 20_000) -> Path:
    """A PNG that declares width×height pixels in a few dozen bytes: a decompression bomb's header."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    data = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) \
        + _png_chunk(b"IEND", b"")
    return _write(path, data)


def broken_png(path) -> Path:
    """A PNG whose image data was damaged in transit: one byte changed, so its checksum fails."""
    data = bytearray(_png_bytes())
    idat = data.index(b"IDAT")
    data[idat + 8] ^= 0xFF
    return _write(path, bytes(data))


def _png_bytes(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    _label(size, "PNG", (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- infographics


@dataclass(frozen=True)
class Theme:
    primary: tuple[int, int, int] = (178, 34, 34)  # 中国红 header band
    accent: tuple[int, int, int] = (201, 146, 38)  # gold highlights
    ink: tuple[int, int, int] = (40, 40, 40)
    paper: tuple[int, int, int] = (252, 248, 240)
    card: tuple[int, int, int] = (255, 255, 255)


#: Characters that must not begin a line (Chinese line-breaking rules, 避头点).
_NO_LINE_START = set("，。、；：！？）》」』”’%·…—")


def wrap(text: str, fnt, width: int) -> list[str]:
    """Break Chinese text into lines no wider than ``width``, keeping punctuation off line starts."""
    lines: list[str] = []
    current = ""
    for char in text:
        if char == "\n":
            lines.append(current)
            current = ""
            continue
        if current and fnt.getlength(current + char) > width and char not in _NO_LINE_START:
            lines.append(current)
            current = char
        else:
            current += char
    if current:
        lines.append(current)
    # No single character alone on the last line (a widow): take one more from the line above.
    if len(lines) >= 2 and len(lines[-1]) == 1 and len(lines[-2]) > 2 and lines[-2][-1] not in _NO_LINE_START:
        lines[-2], lines[-1] = lines[-2][:-1], lines[-2][-1] + lines[-1]
    return lines


def infographic_png(path, title: str, lines: Sequence[str], *, width: int = 750, label: str = "一图读懂",
                    subtitle: str = "", footer: str = "", traditional: bool = False, theme: Theme = Theme(),
                    require_cjk: bool = False) -> Path:
    """An infographic (一图读懂) as a PNG: a title band, then the lines.

    A line starting with ``# `` is a section heading, ``! `` a highlighted key
    figure, anything else a numbered point of the current section. Chinese is
    drawn with a CJK font when one is installed (``require_cjk`` makes its
    absence an error instead of drawing boxes).
    """
    f_label = font(24, bold=True, traditional=traditional, require_cjk=require_cjk)
    f_title = font(40, bold=True, traditional=traditional, require_cjk=require_cjk)
    f_sub = font(22, traditional=traditional, require_cjk=require_cjk)
    f_head = font(30, bold=True, traditional=traditional, require_cjk=require_cjk)
    f_body = font(26, traditional=traditional, require_cjk=require_cjk)
    f_key = font(36, bold=True, traditional=traditional, require_cjk=require_cjk)
    f_num = font(20, bold=True, traditional=traditional, require_cjk=require_cjk)
    margin, pad = 40, 28
    inner = width - 2 * margin
    im = Image.new("RGB", (width, 6000), theme.paper)
    draw = ImageDraw.Draw(im)

    # Title band: measure first, paint the band, then write on it.
    title_lines = wrap(title, f_title, inner)
    subtitle_lines = wrap(subtitle, f_sub, inner) if subtitle else []
    band_end = 36 + 70 + 56 * len(title_lines) + (6 + 32 * len(subtitle_lines) if subtitle_lines else 0) + 30
    draw.rectangle([0, 0, width, band_end], fill=theme.primary)
    y = 36
    draw.rounded_rectangle([margin, y, margin + 150, y + 44], radius=22, fill=theme.accent)
    draw.text((margin + 75, y + 22), label, font=f_label, fill=(255, 255, 255), anchor="mm")
    y += 70
    for line in title_lines:
        draw.text((margin, y), line, font=f_title, fill=(255, 255, 255))
        y += 56
    if subtitle_lines:
        y += 6
        for line in subtitle_lines:
            draw.text((margin, y), line, font=f_sub, fill=(255, 235, 200))
            y += 32
    y = band_end + 36

    number = 0
    for entry in lines:
        if entry.startswith("# "):
            number = 0
            text = entry[2:]
            w = f_head.getlength(text) + 2 * pad
            draw.rounded_rectangle([margin, y, margin + w, y + 52], radius=10, fill=theme.primary)
            draw.text((margin + pad, y + 26), text, font=f_head, fill=(255, 255, 255), anchor="lm")
            y += 72
        elif entry.startswith("! "):
            wrapped = wrap(entry[2:], f_key, inner - 2 * pad)
            h = 48 * len(wrapped) + 2 * 20
            draw.rounded_rectangle([margin, y, width - margin, y + h], radius=14, fill=(255, 244, 220),
                                   outline=theme.accent, width=3)
            ty = y + 20
            for line in wrapped:
                draw.text((width // 2, ty + 24), line, font=f_key, fill=theme.primary, anchor="mm")
                ty += 48
            y += h + 24
        else:
            number += 1
            wrapped = wrap(entry, f_body, inner - 2 * pad - 48)
            h = 38 * len(wrapped) + 2 * 18
            draw.rounded_rectangle([margin, y, width - margin, y + h], radius=12, fill=theme.card,
                                   outline=(230, 220, 205), width=2)
            cx, cy = margin + pad + 14, y + 18 + 19
            draw.ellipse([cx - 16, cy - 16, cx + 16, cy + 16], fill=theme.accent)
            draw.text((cx, cy), str(number), font=f_num, fill=(255, 255, 255), anchor="mm")
            ty = y + 18
            for line in wrapped:
                draw.text((margin + pad + 48, ty), line, font=f_body, fill=theme.ink)
                ty += 38
            y += h + 16
    y += 20
    if footer:
        draw.line([margin, y, width - margin, y], fill=(220, 200, 180), width=2)
        y += 20
        for line in wrap(footer, f_sub, inner):
            draw.text((width // 2, y + 14), line, font=f_sub, fill=(120, 110, 100), anchor="mm")
            y += 32
        y += 20
    im = im.crop((0, 0, width, y))
    return _save(im, path, "PNG", optimize=True)


# --------------------------------------------------------------------------- slides for videos


@dataclass(frozen=True)
class Slide:
    """One scene of a short policy video: a headline, a line of detail, on screen for ``seconds``."""

    headline: str
    detail: str = ""
    seconds: float = 2.0


def slide_frames(slides: Sequence[Slide], size: tuple[int, int] = (640, 360), fps: int = 10,
                 heading: str = "", traditional: bool = False, theme: Theme = Theme()) -> Iterable[Image.Image]:
    """The frames of a slide video: each slide held still while a progress bar runs along the bottom.

    Only the progress bar moves, so the video compresses to a few dozen KB.
    """
    w, h = size
    total = sum(s.seconds for s in slides)
    count = round(total * fps)
    scale = h / 360
    f_heading = font(round(20 * scale), traditional=traditional)
    f_headline = font(round(40 * scale), bold=True, traditional=traditional)
    f_detail = font(round(24 * scale), traditional=traditional)
    cache: dict[int, Image.Image] = {}
    starts = []
    t = 0.0
    for s in slides:
        starts.append(t)
        t += s.seconds
    for index in range(count):
        now = index / fps
        current = max(i for i, start in enumerate(starts) if start <= now + 1e-9)
        if current not in cache:
            cache[current] = _slide_image(slides[current], size, heading, f_heading, f_headline, f_detail, theme,
                                          current, len(slides))
        frame = cache[current].copy()
        draw = ImageDraw.Draw(frame)
        bar = round(w * (index + 1) / count)
        draw.rectangle([0, h - round(8 * scale), bar, h], fill=theme.accent)
        yield frame


def slide_poster(slides: Sequence[Slide], size: tuple[int, int] = (640, 360), heading: str = "",
                 traditional: bool = False, theme: Theme = Theme()) -> Image.Image:
    """The still shown before the video plays: the first slide, without the progress bar."""
    scale = size[1] / 360
    return _slide_image(slides[0], size, heading, font(round(20 * scale), traditional=traditional),
                        font(round(40 * scale), bold=True, traditional=traditional),
                        font(round(24 * scale), traditional=traditional), theme, 0, len(slides))


def _slide_image(slide: Slide, size, heading, f_heading, f_headline, f_detail, theme: Theme, index: int,
                 total: int) -> Image.Image:
    w, h = size
    scale = h / 360
    im = Image.new("RGB", size, theme.primary)
    draw = ImageDraw.Draw(im)
    band = round(52 * scale)
    draw.rectangle([0, 0, w, band], fill=(140, 20, 20))
    if heading:
        draw.text((round(20 * scale), band // 2), heading, font=f_heading, fill=(255, 235, 200), anchor="lm")
    draw.text((w - round(20 * scale), band // 2), f"{index + 1}/{total}", font=f_heading, fill=(255, 235, 200),
              anchor="rm")
    lines = wrap(slide.headline, f_headline, w - round(80 * scale))
    details = wrap(slide.detail, f_detail, w - round(100 * scale)) if slide.detail else []
    line_h, detail_h = round(54 * scale), round(34 * scale)
    block = len(lines) * line_h + (round(24 * scale) + len(details) * detail_h if details else 0)
    y = band + (h - band - round(8 * scale) - block) // 2
    for line in lines:
        draw.text((w // 2, y + line_h // 2), line, font=f_headline, fill=(255, 255, 255), anchor="mm")
        y += line_h
    if details:
        y += round(24 * scale)
        for line in details:
            draw.text((w // 2, y + detail_h // 2), line, font=f_detail, fill=(255, 235, 200), anchor="mm")
            y += detail_h
    return im


def _plain_frames(seconds: float, size: tuple[int, int], fps: int) -> Iterable[Image.Image]:
    count = max(1, round(seconds * fps))
    for index in range(count):
        im = Image.new("RGB", size, (20, 60, 120))
        draw = ImageDraw.Draw(im)
        draw.rectangle([0, size[1] - 6, round(size[0] * (index + 1) / count), size[1]], fill=(230, 180, 40))
        draw.text((8, 8), f"{index / fps:.1f}s", fill=(255, 255, 255))
        yield im


# --------------------------------------------------------------------------- audio and video (PyAV)


def have_av() -> bool:
    try:
        import av  # noqa: F401
    except ImportError:
        return False
    return True


def tone(seconds: float, rate: int = 44100, notes: Sequence[float] = (523.25, 659.25, 783.99, 1046.5),
         volume: float = 0.3) -> bytes:
    """16-bit mono PCM: a chime, one decaying note after the other."""
    out = bytearray()
    n = max(1, round(seconds * rate))
    step = n / len(notes)
    for i in range(n):
        k = min(int(i / step), len(notes) - 1)
        since = (i - k * step) / rate
        envelope = math.exp(-4 * since) * min(1.0, since * 200)
        fade = min(1.0, (n - i) / (0.05 * rate))
        value = volume * envelope * fade * (math.sin(2 * math.pi * notes[k] * i / rate)
                                             + 0.3 * math.sin(4 * math.pi * notes[k] * i / rate))
        out += struct.pack("<h", max(-32767, min(32767, round(value * 32767))))
    return bytes(out)


def _encode_audio(container, stream, pcm: bytes, rate: int) -> None:
    import av

    chunk = rate // 10
    for offset in range(0, len(pcm) // 2, chunk):
        piece = pcm[offset * 2:(offset + chunk) * 2]
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(piece) // 2)
        frame.planes[0].update(piece)
        frame.sample_rate = rate
        frame.pts = offset
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


_BITEXACT = {"fflags": "+bitexact"}  # no random stream serials or segment UIDs, no encoder version tags


def _audio_file(path, fmt: str, codec: str, rate: int, bit_rate: int, seconds: float, options=None) -> Path:
    import av

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format=fmt, options={**_BITEXACT, **(options or {})}) as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = "mono"
        stream.bit_rate = bit_rate
        stream.options = {"flags": "+bitexact"}
        _encode_audio(container, stream, tone(seconds, rate), rate)
    return path


def mp3_audio(path, seconds: float = 2.0, bit_rate: int = 64_000) -> Path:
    """An MP3 chime (LAME), needs PyAV."""
    return _audio_file(path, "mp3", "libmp3lame", 44100, bit_rate, seconds)


def ogg_audio(path, seconds: float = 2.0, bit_rate: int = 32_000) -> Path:
    """An Ogg Opus chime, needs PyAV."""
    return _audio_file(path, "ogg", "libopus", 48000, bit_rate, seconds)


def m4a_audio(path, seconds: float = 2.0, bit_rate: int = 64_000) -> Path:
    """An M4A (AAC in MP4) chime with its index first, needs PyAV."""
    return _audio_file(path, "ipod", "aac", 44100, bit_rate, seconds, {"movflags": "+faststart"})


def wav_audio(path, seconds: float = 1.0, rate: int = 22050) -> Path:
    """A WAV chime, written with the standard library (no PyAV needed)."""
    return _write(path, wav_bytes(seconds, rate))


def _video_file(path, fmt: str, codec: str, frames: Iterable[Image.Image], size: tuple[int, int], fps: int,
                options: dict, container_options: dict | None = None, audio: str | None = None,
                audio_seconds: float = 0.0, pix_fmt: str = "yuv420p") -> Path:
    import av

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format=fmt, options={**_BITEXACT, **(container_options or {})}) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = pix_fmt
        stream.codec_context.thread_count = 1  # one thread: the same bytes on every machine
        stream.options = {"flags": "+bitexact", "threads": "1", **options}
        sound = None
        if audio:
            rate = 48000
            sound = container.add_stream(audio, rate=rate)
            sound.layout = "mono"
            sound.bit_rate = 48_000
            sound.options = {"flags": "+bitexact"}
        for index, image in enumerate(frames):
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
        if sound is not None:
            _encode_audio(container, sound, tone(audio_seconds, 48000, volume=0.1), 48000)
    return path


_X264 = {"preset": "slow", "crf": "30", "tune": "stillimage", "profile": "high", "g": "30"}
_VP9 = {"crf": "40", "b": "0", "deadline": "good", "cpu-used": "2", "row-mt": "0", "g": "30"}


def mp4_video(path, seconds: float = 2.0, size: tuple[int, int] = (160, 90), fps: int = 10,
              frames: Iterable[Image.Image] | None = None, audio: bool = False, faststart: bool = True,
              pix_fmt: str = "yuv420p") -> Path:
    """An MP4 with H.264 video (and AAC sound when ``audio``), needs PyAV."""
    return _video_file(path, "mp4", "libx264", frames if frames is not None else _plain_frames(seconds, size, fps),
                       size, fps, _X264 if pix_fmt == "yuv420p" else {k: v for k, v in _X264.items() if k != "profile"},
                       {"movflags": "+faststart"} if faststart else None, "aac" if audio else None, seconds, pix_fmt)


def webm_video(path, seconds: float = 2.0, size: tuple[int, int] = (160, 90), fps: int = 10,
               frames: Iterable[Image.Image] | None = None, audio: bool = False, codec: str = "libvpx-vp9") -> Path:
    """A WebM with VP9 (or VP8: ``codec="libvpx"``) video and Opus sound when ``audio``, needs PyAV."""
    options = _VP9 if codec == "libvpx-vp9" else {"crf": "10", "b": "400k", "deadline": "good", "cpu-used": "2"}
    return _video_file(path, "webm", codec, frames if frames is not None else _plain_frames(seconds, size, fps),
                       size, fps, options, None, "libopus" if audio else None, seconds)


# --------------------------------------------------------------------------- captions


def vtt(path, cues: Sequence[tuple[float, float, str]], header: str = "WEBVTT", ids: bool = True) -> Path:
    """A WebVTT file from (start seconds, end seconds, text) cues."""
    parts = [header, ""]
    for number, (start, end, text) in enumerate(cues, 1):
        if ids:
            parts.append(str(number))
        parts += [f"{format_timestamp(round(start * 1000))} --> {format_timestamp(round(end * 1000))}", text, ""]
    return _write(path, "\n".join(parts).encode("utf-8"))


# --------------------------------------------------------------------------- broken files


def _write(path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def garbage(path, size: int = 4096, seed: int = 0) -> Path:
    """Random bytes: a file damaged beyond recognition (always the same bytes for the same seed)."""
    data = bytearray(random.Random(seed).randbytes(size))
    data[0] = 0x00  # never a valid signature by accident
    return _write(path, bytes(data))


def truncated(path, source, fraction: float = 0.5) -> Path:
    """The first ``fraction`` of ``source`` (a path or bytes): an upload or copy that was cut off."""
    data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    return _write(path, bytes(data[: max(1, int(len(data) * fraction))]))


HTML_ERROR_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>404 Not Found</title></head>
<body>
<h1>404 Not Found</h1>
<p>您访问的页面不存在或已被删除。</p>
<hr><center>nginx</center>
</body>
</html>
"""


def html_pretending(path, page: str = HTML_ERROR_PAGE) -> Path:
    """An HTML error page saved under a media file's name: what a failed download leaves behind."""
    return _write(path, page.encode("utf-8"))


# --------------------------------------------------------------------------- containers built by hand


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_box(kind: bytes, version: int, flags: int, payload: bytes) -> bytes:
    return _box(kind, bytes([version]) + flags.to_bytes(3, "big") + payload)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def mp4_bytes(*, codec: bytes = b"avc1", profile: int = 100, handler: bytes = b"vide", seconds: float = 2.0,
              size: tuple[int, int] = (320, 180), faststart: bool = True, samples: int = 20,
              brand: bytes = b"isom", with_sound: bool = False) -> bytes:
    """A structurally complete MP4 (ftyp, moov with one or two tracks, mdat); the frames are placeholders.

    Enough for container checks: every box, size and offset is what a muxer
    writes, but the media data is zeros, so it does not decode to a picture.
    """
    timescale, duration = 1000, round(seconds * 1000)
    sample_size = 64

    def track(track_id: int, kind: bytes, fourcc: bytes, chunk_offset: int) -> bytes:
        w, h = size if kind == b"vide" else (0, 0)
        tkhd = _full_box(b"tkhd", 0, 3, struct.pack(">IIIII", 0, 0, track_id, 0, duration) + bytes(8)
                         + struct.pack(">hhhH", 0, 0, 0x100 if kind == b"soun" else 0, 0) + _MATRIX
                         + struct.pack(">II", w << 16, h << 16))
        mdhd = _full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))
        hdlr = _full_box(b"hdlr", 0, 0, struct.pack(">I", 0) + kind + bytes(12) + b"Handler\x00")
        if kind == b"vide":
            entry_body = (bytes(6) + struct.pack(">H", 1) + bytes(16)
                          + struct.pack(">HHIII", w, h, 0x480000, 0x480000, 0)
                          + struct.pack(">H", 1) + bytes(32) + struct.pack(">Hh", 0x18, -1))
            if fourcc in (b"avc1", b"avc3"):
                entry_body += _box(b"avcC", bytes([1, profile, 0, 30, 0xFF, 0xE1]) + struct.pack(">H", 4)
                                   + bytes([0x67, profile, 0, 30]) + b"\x01" + struct.pack(">H", 2) + b"\x68\xce")
        else:
            entry_body = bytes(6) + struct.pack(">H", 1) + bytes(8) + struct.pack(">HHHHI", 1, 16, 0, 0, 44100 << 16)
        stsd = _full_box(b"stsd", 0, 0, struct.pack(">I", 1) + _box(fourcc, entry_body))
        stts = _full_box(b"stts", 0, 0, struct.pack(">III", 1, samples, duration // samples))
        stsc = _full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, samples, 1))
        stsz = _full_box(b"stsz", 0, 0, struct.pack(">II", sample_size, samples))
        stco = _full_box(b"stco", 0, 0, struct.pack(">II", 1, chunk_offset))
        stbl = _box(b"stbl", stsd + stts + stsc + stsz + stco)
        minf = _box(b"minf", _box(b"dinf", _full_box(b"dref", 0, 0, struct.pack(">I", 1)
                                                      + _full_box(b"url ", 0, 1, b""))) + stbl)
        return _box(b"trak", tkhd + _box(b"mdia", mdhd + hdlr + minf))

    ftyp = _box(b"ftyp", brand + struct.pack(">I", 512) + brand + b"iso2mp41")
    media = bytes(sample_size * samples * (2 if with_sound else 1))
    tracks = [(handler, codec)] + ([(b"soun", b"mp4a")] if with_sound else [])

    def moov(mdat_start: int) -> bytes:
        mvhd = _full_box(b"mvhd", 0, 0, struct.pack(">IIII", 0, 0, timescale, duration)
                         + struct.pack(">IH", 0x10000, 0x100) + bytes(10) + _MATRIX + bytes(24)
                         + struct.pack(">I", len(tracks) + 1))
        body = mvhd
        for number, (kind, fourcc) in enumerate(tracks):
            body += track(number + 1, kind, fourcc, mdat_start + 8 + number * sample_size * samples)
        return _box(b"moov", body)

    if faststart:
        first = moov(0)
        index = moov(len(ftyp) + len(first))
        return ftyp + index + _box(b"mdat", media)
    mdat = _box(b"mdat", media)
    return ftyp + mdat + moov(len(ftyp))


def _ebml_id(eid: int) -> bytes:
    return eid.to_bytes((eid.bit_length() + 7) // 8, "big")


def _ebml_size(n: int | None) -> bytes:
    if n is None:
        return b"\x01\xff\xff\xff\xff\xff\xff\xff"  # unknown size
    for length in range(1, 9):
        if n < (1 << (7 * length)) - 1:
            return ((1 << (7 * length)) | n).to_bytes(length, "big")
    raise ValueError(n)


def _el(eid: int, payload: bytes, unknown_size: bool = False) -> bytes:
    return _ebml_id(eid) + _ebml_size(None if unknown_size else len(payload)) + payload


def webm_bytes(*, codec: str = "V_VP8", doctype: str = "webm", seconds: float = 2.0, size=(320, 180),
               clusters: int = 2, unknown_sizes: bool = False, audio_codec: str | None = None) -> bytes:
    """A structurally complete WebM (EBML header, Segment with Info, Tracks, Clusters); frames are placeholders.

    ``unknown_sizes`` writes the Segment and Clusters with unknown size, as live recorders do.
    """
    header = _el(0x1A45DFA3, _el(0x4286, b"\x01") + _el(0x42F7, b"\x01") + _el(0x42F2, b"\x04")
                 + _el(0x42F3, b"\x08") + _el(0x4282, doctype.encode()) + _el(0x4287, b"\x04")
                 + _el(0x4285, b"\x02"))
    info = _el(0x1549A966, _el(0x2AD7B1, (1_000_000).to_bytes(3, "big"))
               + _el(0x4489, struct.pack(">d", seconds * 1000)) + _el(0x4D80, b"factory") + _el(0x5741, b"factory"))
    entries = []
    if codec:
        video = _el(0xE0, _el(0xB0, size[0].to_bytes(2, "big")) + _el(0xBA, size[1].to_bytes(2, "big")))
        entries.append(_el(0xAE, _el(0xD7, b"\x01") + _el(0x73C5, b"\x01") + _el(0x83, b"\x01")
                           + _el(0x86, codec.encode()) + video))
    if audio_codec:
        entries.append(_el(0xAE, _el(0xD7, b"\x02") + _el(0x73C5, b"\x02") + _el(0x83, b"\x02")
                           + _el(0x86, audio_codec.encode())))
    tracks = _el(0x1654AE6B, b"".join(entries))
    cluster_list = b""
    for index in range(clusters):
        timecode = round(index * seconds * 1000 / clusters)
        block = b"\x81\x00\x00\x80" + bytes(48)
        cluster_list += _el(0x1F43B675, _el(0xE7, timecode.to_bytes(2, "big")) + _el(0xA3, block),
                            unknown_size=unknown_sizes)
    return header + _el(0x18538067, info + tracks + cluster_list, unknown_size=unknown_sizes)


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else (crc << 1)
            crc &= 0xFFFFFFFF
    return crc


def _ogg_page(flags: int, granule: int, serial: int, sequence: int, packet: bytes) -> bytes:
    lacing = [255] * (len(packet) // 255) + [len(packet) % 255]
    head = b"OggS" + bytes([0, flags]) + struct.pack("<qIII", granule, serial, sequence, 0) + bytes([len(lacing)]) \
        + bytes(lacing)
    page = head + packet
    return page[:22] + struct.pack("<I", _ogg_crc(page)) + page[26:]


def ogg_bytes(*, seconds: float = 1.0, eos: bool = True, codec: str = "opus") -> bytes:
    """An Ogg Opus (or Theora when ``codec="theora"``) stream of silent packets, built by hand."""
    serial = 0x1234
    if codec == "theora":
        head = b"\x80theora" + bytes([3, 2, 1]) + bytes(31)
    else:
        head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", 312, 48000, 0, 0)
    pages = [_ogg_page(0x02, 0, serial, 0, head)]
    tags = (b"OpusTags" if codec == "opus" else b"\x81theora") + struct.pack("<I", 7) + b"factory" \
        + struct.pack("<I", 0)
    pages.append(_ogg_page(0x00, 0, serial, 1, tags))
    packets = max(1, round(seconds * 50))  # 20 ms each
    for index in range(packets):
        last = index == packets - 1
        pages.append(_ogg_page(0x04 if last and eos else 0x00, 312 + (index + 1) * 960, serial, index + 2,
                               b"\xf8\xff\xfe"))
    return b"".join(pages)


def mp3_bytes(*, frames: int = 40, id3: bool = True) -> bytes:
    """MPEG-1 Layer III frames of silence (128 kbit/s, 44.1 kHz, mono), optionally after an ID3v2 tag."""
    header = bytes([0xFF, 0xFB, 0x90, 0xC0])
    frame = header + bytes(417 - 4)
    tag = b""
    if id3:
        title = b"\x03" + "演示".encode("utf-8")
        body = b"TIT2" + struct.pack(">I", len(title)) + b"\x00\x00" + title
        tag = b"ID3\x04\x00\x00" + bytes([(len(body) >> 21) & 0x7F, (len(body) >> 14) & 0x7F,
                                          (len(body) >> 7) & 0x7F, len(body) & 0x7F]) + body
    return tag + frame * frames


def wav_bytes(seconds: float = 1.0, rate: int = 22050) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(tone(seconds, rate))
    return out.getvalue()


# --------------------------------------------------------------------------- the demo media


#: Disclaimer on every demo image: the bureau and its facts are invented (see README).
DEMO_FOOTER = "江州市文化和旅游局　发布｜演示内容：机构、文号与数据均为虚构"

INFOGRAPHICS = {
    "feiyi-zijin-2024-yitu.png": dict(
        title="《江州市市级非物质文化遗产保护专项资金管理办法》（2024年修订）",
        subtitle="江文旅规〔2024〕1号｜2024年4月1日起施行",
        lines=[
            "# 修订的四处变化",
            "支持范围增加非遗工坊、非遗与旅游融合项目和数字化保护项目",
            "市级代表性传承人传习补助提高",
            "! 每人每年 5000元 → 8000元",
            "申报、评审、公示和资金拨付全程在江州市政务服务网办理，不再受理纸质材料",
            "连续两年绩效评价为“差”的项目，停止安排资金",
            "# 怎么申报",
            "申报主体：市级代表性项目保护单位、市级代表性传承人、本市登记的非遗保护社会组织",
            "申报时间：每年4月1日至5月31日",
            "县（市、区）文化和旅游主管部门10个工作日内完成初审",
            "专家评审，结果公示5个工作日",
        ],
    ),
    "meishuguan-2023-yitu.png": dict(
        title="《江州市美术馆发展与管理办法》",
        subtitle="江文旅规〔2023〕1号｜2023年5月1日起施行",
        lines=[
            "# 设立条件",
            "有固定馆舍，展厅面积一般不少于300平方米",
            "有相应藏品或稳定的展品来源，有专业技术人员",
            "有安全、消防、防盗等必要设施和运营经费",
            "# 备案",
            "向公众开放前，通过江州市政务服务网办理备案",
            "备案事项变更的，20个工作日内办理变更备案",
            "# 展览与公共服务",
            "! 每年举办展览不少于4个",
            "国有美术馆免费开放基本陈列",
            "每周开放不少于5天，节假日和学校寒暑假期间开放",
        ],
    ),
    "a-ji-jingqu-2022-yitu.png": dict(
        title="《关于修改〈江州市A级旅游景区管理办法〉的决定》",
        subtitle="江文旅规〔2022〕2号｜2022年8月1日起施行",
        lines=[
            "# 改了什么",
            "! 全面复核周期：三年一次 → 两年一次",
            "景区应配置无障碍通道、第三卫生间、轮椅租借等设施，方便老年人、残疾人",
            "复核采取资料审核、现场检查和游客满意度调查相结合，结果向社会公布",
            "在网络平台发布虚假宣传信息、经查证属实的，纳入重点监管名单",
            "! 被取消等级后重新申报：三年 → 两年",
        ],
    ),
}

#: Short policy videos: slides on screen, and captions short enough to read in two seconds
#: (about 9 characters a second); the full sentences belong in the page's transcript (文字实录).
VIDEOS = {
    "yule-changsuo-2024-jiedu": dict(
        heading="政策解读｜歌舞娱乐场所和网吧监督管理办法",
        slides=[
            Slide("歌舞娱乐场所和网吧\n监督管理办法", "江文旅规〔2024〕3号"),
            Slide("双随机、一公开", "随机抽取检查对象，随机选派执法检查人员"),
            Slide("信用分类抽查", "抽查比例：A类≥3%　B类≥5%　C类≥20%　D类全覆盖"),
        ],
        captions=[
            "娱乐场所和网吧监管办法9月1日起施行",
            "日常监管实行“双随机、一公开”",
            "按信用分为四类，抽查比例各不相同",
        ],
    ),
    "gonggong-wenhua-sheshi-2023-jiedu": dict(
        heading="政策解读｜公共文化设施免费开放服务规范",
        slides=[
            Slide("公共文化设施\n免费开放服务规范", "江文旅规〔2023〕2号"),
            Slide("图书馆每周开放\n不少于63小时", "设置24小时自助借还服务"),
            Slide("文化馆、美术馆、文化站\n每周不少于42小时", "开放时间临时调整，提前三日公告"),
        ],
        captions=[
            "公共文化设施免费开放服务规范施行",
            "图书馆每周开放不少于63小时",
            "文化馆、美术馆等每周不少于42小时",
        ],
    ),
    "zhengwu-gongkai-2024-jiedu": dict(
        heading="政策解讀｜2024年政務公開工作要點",
        traditional=True,
        slides=[
            Slide("2024年\n政務公開工作要點", "江文旅辦發〔2024〕4號"),
            Slide("每年集中確認政策有效性", "對已失效、已廢止的政策作出標註"),
            Slide("每年至少一次\n「政策公開講」", "政策短視頻發佈在局門戶網站"),
        ],
        captions=[
            "2024年政務公開工作要點印發",
            "每年集中確認一次政策有效性",
            "每年至少舉辦一次「政策公開講」",
        ],
    ),
}

AUDIO = {"zhengce-jiedu-tishiyin.mp3": 4.0}

DEMO_SIZE = (640, 360)
DEMO_FPS = 10
MAX_DEMO_BYTES = 300 * 1024


def demo(content_dir: Path) -> list[Path]:
    """Write the demo media into ``content_dir/interpretations/media/``; return the files written."""
    if find_cjk_font() is None:
        raise NoCJKFont("no CJK font is installed, so the demo images cannot show Chinese; "
                        "install one (Debian/Ubuntu: apt install fonts-noto-cjk) and run again")
    if not have_av():
        raise RuntimeError("PyAV is not installed, so the demo videos cannot be encoded; "
                           "install it (pip install av==18.1.0) and run again")
    target = Path(content_dir) / "interpretations" / "media"
    written: list[Path] = []
    for name, spec in INFOGRAPHICS.items():
        written.append(infographic_png(target / name, footer=DEMO_FOOTER, require_cjk=True, **spec))
    for stem, spec in VIDEOS.items():
        slides, traditional = spec["slides"], spec.get("traditional", False)
        frames = list(slide_frames(slides, DEMO_SIZE, DEMO_FPS, spec["heading"], traditional))
        written.append(mp4_video(target / f"{stem}.mp4", size=DEMO_SIZE, fps=DEMO_FPS, frames=frames))
        written.append(webm_video(target / f"{stem}.webm", size=DEMO_SIZE, fps=DEMO_FPS, frames=frames))
        poster = slide_poster(slides, DEMO_SIZE, spec["heading"], traditional)
        written.append(_save(poster, target / f"{stem}-poster.png", "PNG", optimize=True))
        cues, start = [], 0.0
        for slide, text in zip(slides, spec["captions"]):
            cues.append((start, start + slide.seconds, text))
            start += slide.seconds
        written.append(vtt(target / f"{stem}.vtt", cues, header="WEBVTT"))
    for name, seconds in AUDIO.items():
        written.append(mp3_audio(target / name, seconds=seconds))
    return written


def _check_written(paths: list[Path]) -> list[str]:
    """Run the generator's own checks on the demo media; every file must pass and stay small."""
    from generator.readers import media

    failures = []
    for path in paths:
        if path.suffix == ".vtt":
            _, problems = media.read_webvtt(path)
            failures += [f"{path}:{p.line}: {p.message}" for p in problems]
            continue
        result = media.check_media(path)
        if isinstance(result, media.Problem):
            failures.append(f"{path}: {result.message}")
        else:
            failures += [f"{path}: {w.message}" for w in result.warnings]
        if path.stat().st_size > MAX_DEMO_BYTES:
            failures.append(f"{path}: {path.stat().st_size:,} bytes, more than {MAX_DEMO_BYTES:,}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.media_factory",
                                     description="Create the demo media of the policy interpretations.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo_parser = sub.add_parser("demo", help="(re)create content/interpretations/media/")
    demo_parser.add_argument("content_dir", type=Path)
    args = parser.parse_args(argv)
    if not args.content_dir.is_dir():
        print(f"error: {args.content_dir} is not a folder", file=sys.stderr)
        return 2
    try:
        written = demo(args.content_dir)
    except (NoCJKFont, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path.stat().st_size:>9,}  {path}")
    failures = _check_written(written)
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
