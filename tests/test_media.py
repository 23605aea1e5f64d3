"""Media checks: types by their bytes, images that decode, containers that are complete, WebVTT captions.

The container checks run on files built byte by byte in ``media_factory``, so
they need no PyAV; tests that encode real audio and video skip without it.
"""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from generator.readers import media
from generator.readers.media import Cue, ImageInfo, MediaInfo, Problem, parse_webvtt, sniff

try:  # `python -m pytest` from the repository root; plain `pytest` puts tests/ itself on the path
    from tests import media_factory as mf
except ImportError:  # pragma: no cover
    import media_factory as mf

needs_av = pytest.mark.skipif(not mf.have_av(), reason="PyAV is not installed")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def image_bytes(fmt: str, size=(32, 24), mode="RGB", **params) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None).save(out, fmt, **params)
    return out.getvalue()


def zip_bytes(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


def ole2(*streams: str) -> bytes:
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    for stream in streams:
        data += stream.encode("utf-16-le").ljust(64, b"\x00")
    return bytes(data)


# --------------------------------------------------------------------------- sniff


SAMPLES = {
    "png": lambda: image_bytes("PNG"),
    "jpeg": lambda: image_bytes("JPEG"),
    "gif": lambda: image_bytes("GIF"),
    "webp": lambda: image_bytes("WEBP"),
    "bmp": lambda: image_bytes("BMP"),
    "tiff": lambda: image_bytes("TIFF"),
    "svg": lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "heic": lambda: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(32),
    "avif": lambda: b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + bytes(32),
    "mp4": lambda: mf.mp4_bytes(),
    "m4a": lambda: mf.mp4_bytes(handler=b"soun", codec=b"mp4a", brand=b"M4A "),
    "mov": lambda: mf.mp4_bytes(brand=b"qt  "),
    "3gp": lambda: mf.mp4_bytes(brand=b"3gp4"),
    "webm": lambda: mf.webm_bytes(),
    "mkv": lambda: mf.webm_bytes(doctype="matroska"),
    "ogg": lambda: mf.ogg_bytes(),
    "mp3": lambda: mf.mp3_bytes(),
    "wav": lambda: mf.wav_bytes(0.1),
    "flac": lambda: b"fLaC\x00\x00\x00\x22" + bytes(64),
    "amr": lambda: b"#!AMR\n" + bytes(32),
    "avi": lambda: b"RIFF\x00\x01\x00\x00AVI LIST" + bytes(32),
    "pdf": lambda: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
    "docx": lambda: zip_bytes("[Content_Types].xml", "_rels/.rels", "word/document.xml"),
    "xlsx": lambda: zip_bytes("[Content_Types].xml", "xl/workbook.xml"),
    "pptx": lambda: zip_bytes("[Content_Types].xml", "ppt/presentation.xml"),
    "ofd": lambda: zip_bytes("OFD.xml", "Doc_0/Document.xml"),
    "zip": lambda: zip_bytes("readme.txt", "data.csv"),
    "doc": lambda: ole2("Root Entry", "WordDocument"),
    "xls": lambda: ole2("Root Entry", "Workbook"),
    "ppt": lambda: ole2("Root Entry", "PowerPoint Document"),
    "ole2": lambda: ole2("Root Entry"),
    "office-encrypted": lambda: ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"),
    "rar": lambda: b"Rar!\x1a\x07\x01\x00" + bytes(32),
    "7z": lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(32),
    "vtt": lambda: "\ufeffWEBVTT\n\n00:00.000 --> 00:01.000\n字幕\n".encode("utf-8"),
    "srt": lambda: "1\n00:00:01,000 --> 00:00:02,000\n字幕\n".encode("utf-8"),
    "html": lambda: mf.HTML_ERROR_PAGE.encode("utf-8"),
    "xml": lambda: b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code></Error>',
    "text": lambda: "名称,地址\n江州市图书馆,长虹大道1号\n".encode("utf-8"),
    "text-gb18030": lambda: "名称,地址\n江州市图书馆,长虹大道1号\n".encode("gbk"),
    "text-utf16": lambda: "名称,地址\n".encode("utf-16"),
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_sniff_knows_each_type(kind):
    assert sniff(SAMPLES[kind]()) == kind
    assert kind in media.KINDS


def test_sniff_of_nothing_and_of_noise():
    assert sniff(b"") is None
    assert sniff(bytes(mf.random.Random(1).randbytes(4096))) is None
    assert sniff(b"\x00\x01\x02\x03binary") is None
    assert sniff(b"The free software foundation") == "text"  # 'free' at offset 4 is not a QuickTime box
    assert sniff(b"<p>see %PDF-1.4</p>") == "html"
    assert sniff(b"\x00\x00junk%PDF-1.4\n") == "pdf"  # readers skip junk before the header


def test_sniff_tells_mp3_by_frame_sync_without_id3():
    assert sniff(mf.mp3_bytes(id3=False)) == "mp3"
    assert sniff(b"\xff\xfb\x90\xc0" + b"\x01" * 100) is None  # one header followed by junk is not enough


def test_sniff_reads_the_office_type_of_a_truncated_zip():
    data = zip_bytes("[Content_Types].xml", "word/document.xml")
    assert sniff(data[: len(data) - 30]) == "docx"


# --------------------------------------------------------------------------- check_type


def test_matching_types_pass(tmp_path):
    for name, kind in [("a.png", "png"), ("a.JPG", "jpeg"), ("v.mp4", "mp4"), ("v.webm", "webm"), ("s.mp3", "mp3"),
                       ("d.docx", "docx"), ("d.zip", "docx"), ("t.csv", "text"), ("c.vtt", "vtt"), ("o.ofd", "ofd"),
                       ("w.wps", "doc"), ("a.m4a", "m4a")]:
        assert media.check_type(Path(name), SAMPLES[kind]()) is None, name


def test_an_image_with_the_wrong_extension():
    problem = media.check_type(Path("files/a.png"), SAMPLES["jpeg"]())
    assert problem.message == "files/a.png is a JPEG image, not PNG"
    assert "rename it to a.jpg" in problem.hint and problem.level == "error"


def test_the_name_shown_is_the_callers():
    problem = media.check_type(Path("/tmp/x/a.png"), SAMPLES["gif"](), name="interpretations/media/a.png")
    assert problem.message.startswith("interpretations/media/a.png is a GIF image")


def test_html_pretending_to_be_a_video():
    problem = media.check_type(Path("media/v.mp4"), SAMPLES["html"]())
    assert problem.message == "media/v.mp4 is not a video (its bytes look like an HTML web page)"
    assert "error or login page" in problem.hint


def test_a_file_server_error_saved_as_a_pdf():
    problem = media.check_type(Path("files/a.pdf"), SAMPLES["xml"]())
    assert "its bytes look like an XML document" in problem.message and "AccessDenied" in problem.hint


def test_garbage_and_empty_files():
    problem = media.check_type(Path("v.webm"), mf.random.Random(0).randbytes(1000).replace(b"\x1a", b"\x00"))
    assert problem.message == "v.webm is not a video: its bytes are not any known file type"
    assert media.check_type(Path("a.png"), b"").message == "a.png is empty (0 bytes)"


@pytest.mark.parametrize("name, kind, expected", [
    ("photo.jpg", "heic", "an HEIC photo (the iPhone camera format), not JPEG"),
    ("v.mp4", "mov", "a QuickTime (MOV) video, not MP4"),
    ("v.webm", "mkv", "a Matroska (MKV) video, not WebM"),
    ("v.mp4", "m4a", "not a video (its bytes look like an M4A (AAC) audio file)"),
    ("c.vtt", "srt", "an SRT subtitle file, not WebVTT"),
    ("d.docx", "office-encrypted", "a password-protected Office file, not DOCX"),
    ("d.docx", "doc", "a Word 97-2003 document (.doc), not DOCX"),
])
def test_mismatch_messages(name, kind, expected):
    problem = media.check_type(Path(name), SAMPLES[kind]())
    assert expected in problem.message and problem.hint


def test_svg_is_refused_for_content_media():
    problem = media.check_type(Path("yitu.svg"), SAMPLES["svg"]())
    assert "scripts" in problem.message and "PNG" in problem.hint


def test_gbk_csv_is_a_warning():
    problem = media.check_type(Path("files/a.csv"), SAMPLES["text-gb18030"]())
    assert problem.level == "warning" and "GBK" in problem.message and "UTF-8" in problem.hint


def test_unknown_extension():
    assert "cannot be checked" in media.check_type(Path("a.xyz"), b"abc").message


# --------------------------------------------------------------------------- images


def test_check_image_decodes(tmp_path):
    info = media.check_image(mf.png(tmp_path / "a.png", size=(64, 48)))
    assert info == ImageInfo(64, 48, "PNG", (tmp_path / "a.png").stat().st_size)
    assert media.check_image(mf.jpeg(tmp_path / "a.jpg")).format == "JPEG"
    assert media.check_image(mf.webp(tmp_path / "a.webp")).format == "WEBP"
    assert media.check_image(mf.gif_animation(tmp_path / "a.gif", frames=4)).frames == 4


def test_check_image_reports_the_wrong_type(tmp_path):
    path = mf.jpeg(tmp_path / "x.jpg")
    renamed = path.rename(tmp_path / "x.png")
    assert media.check_image(renamed, name="media/x.png").message == "media/x.png is a JPEG image, not PNG"


def test_broken_png(tmp_path):
    problem = media.check_image(mf.broken_png(tmp_path / "b.png"))
    assert isinstance(problem, Problem) and "cannot be decoded as a PNG image" in problem.message
    assert "damaged" in problem.hint


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_images(tmp_path, fraction):
    source = mf.png(tmp_path / "full.png", size=(200, 150), text="truncated")
    problem = media.check_image(mf.truncated(tmp_path / "cut.png", source, fraction))
    assert isinstance(problem, Problem) and "cannot be decoded" in problem.message
    jpg = mf.jpeg(tmp_path / "full.jpg", size=(200, 150))
    assert isinstance(media.check_image(mf.truncated(tmp_path / "cut.jpg", jpg, fraction)), Problem)


def test_garbage_and_html_images(tmp_path):
    assert "not any known file type" in media.check_image(mf.garbage(tmp_path / "g.png")).message
    assert "HTML" in media.check_image(mf.html_pretending(tmp_path / "h.jpg")).message


@pytest.mark.parametrize("width, height", [(20_000, 20_000), (10_000, 10_000)])
def test_decompression_bombs_are_problems_not_warnings(tmp_path, width, height):
    """Above twice Pillow's limit it raises, between once and twice it only warns: both are refused."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping would fail the test
        problem = media.check_image(mf.bomb_png(tmp_path / "bomb.png", width, height))
    assert isinstance(problem, Problem)
    assert f"{width * height:,} pixels, more than the limit" in problem.message and "resize" in problem.hint


def test_pixel_limit_can_be_lowered(tmp_path):
    path = mf.png(tmp_path / "a.png", size=(100, 100))
    assert isinstance(media.check_image(path, max_pixels=5_000), Problem)
    assert isinstance(media.check_image(path, max_pixels=10_000), ImageInfo)


def test_check_image_refuses_svg_and_non_images(tmp_path):
    svg = write(tmp_path, "a.svg", SAMPLES["svg"]())
    assert "scripts" in media.check_image(svg).message
    assert "not an image file type" in media.check_image(write(tmp_path, "a.pdf", SAMPLES["pdf"]())).message


def test_missing_file_is_a_problem(tmp_path):
    assert "cannot read" in media.check_image(tmp_path / "nope.png").message
    assert "cannot read" in media.check_video(tmp_path / "nope.mp4").message


# --------------------------------------------------------------------------- thumbnails


def test_thumbnail_is_deterministic_and_small(tmp_path):
    a = mf.png(tmp_path / "a.png", size=(1200, 800), text="一图读懂")
    b = mf.png(tmp_path / "b.png", size=(1200, 800), text="一图读懂")
    first, second, third = media.make_thumbnail(a), media.make_thumbnail(a), media.make_thumbnail(b)
    assert first == second == third
    with Image.open(io.BytesIO(first)) as im:
        assert im.format == "PNG" and im.size == (480, 320)


def test_thumbnail_keeps_aspect_ratio_and_never_enlarges(tmp_path):
    tall = mf.png(tmp_path / "tall.png", size=(750, 3000))
    with Image.open(io.BytesIO(media.make_thumbnail(tall, 300))) as im:
        assert im.size == (300, 1200)
    with Image.open(io.BytesIO(media.make_thumbnail(tall, 300, max_height=600))) as im:
        assert im.size == (150, 600)
    small = mf.png(tmp_path / "small.png", size=(100, 60))
    with Image.open(io.BytesIO(media.make_thumbnail(small))) as im:
        assert im.size == (100, 60)


def test_thumbnail_of_a_phone_photo_is_upright_and_without_metadata(tmp_path):
    photo = mf.jpeg(tmp_path / "p.jpg", size=(800, 600), orientation=6)  # "rotate 90° to display"
    with Image.open(photo) as im:
        assert im.getexif()[0x010F] == "FactoryCam"
    thumb = media.make_thumbnail(photo, 400)
    assert thumb == media.make_thumbnail(photo, 400)
    with Image.open(io.BytesIO(thumb)) as im:
        assert im.format == "JPEG" and im.size == (400, 533)
        assert not im.getexif() and "exif" not in im.info


def test_thumbnail_keeps_transparency_and_takes_the_first_frame(tmp_path):
    with Image.open(io.BytesIO(media.make_thumbnail(mf.png(tmp_path / "t.png", size=(600, 300),
                                                           transparent=True)))) as im:
        assert im.mode == "RGBA"
    with Image.open(io.BytesIO(media.make_thumbnail(mf.gif_animation(tmp_path / "a.gif", size=(600, 400))))) as im:
        assert im.format == "PNG" and im.size == (480, 320)
    with Image.open(io.BytesIO(media.make_thumbnail(mf.png(tmp_path / "j.png", size=(960, 10)), format="jpeg"))) as im:
        assert im.format == "JPEG" and im.size == (480, 5)


def test_thumbnail_of_a_broken_image_raises_media_error(tmp_path):
    with pytest.raises(media.MediaError) as caught:
        media.make_thumbnail(mf.garbage(tmp_path / "g.png"))
    assert caught.value.problem.message


# --------------------------------------------------------------------------- WebVTT


VALID_VTT = """\ufeffWEBVTT - 政策解读字幕\r
Kind: captions\r
\r
NOTE 本文件为演示字幕\r
可以有多行\r
\r
STYLE\r
::cue { color: yellow }\r
\r
1\r
00:00.000 --> 00:02.500 align:center line:90%\r
《江州市美术馆发展与管理办法》\r
自2023年5月1日起施行。\r
\r
第二条\r
00:00:02.500 --> 00:00:05.000\r
<v 主持人>国有美术馆免费开放基本陈列&amp;公共服务</v>\r
\r
01:00:00.000 --> 01:00:01.000 position:10%,line-left size:50% vertical:rl region:r1\r
一小时后\r
"""


def test_valid_webvtt_with_bom_crlf_header_notes_style_and_chinese():
    cues, problems = parse_webvtt(VALID_VTT)
    assert problems == []
    assert [(c.start, c.end) for c in cues] == [(0, 2500), (2500, 5000), (3_600_000, 3_601_000)]
    assert cues[0].identifier == "1" and cues[0].line == 11 and cues[0].settings == "align:center line:90%"
    assert cues[0].text == "《江州市美术馆发展与管理办法》\n自2023年5月1日起施行。"
    assert cues[1].identifier == "第二条" and cues[1].plain == "国有美术馆免费开放基本陈列&公共服务"
    assert cues[2].identifier == ""


def test_minimal_webvtt():
    cues, problems = parse_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000\n好\n")
    assert problems == [] and cues == [Cue(1000, 2000, "好", line=3)]
    assert parse_webvtt("WEBVTT\t字幕\n\n00:01.000-->00:02.000\n好")[1] == []


def errors(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in parse_webvtt(text)[1] if p.level == "error"]


def test_bad_header():
    found = errors("WEBVTTX\n\n00:01.000 --> 00:02.000\n好\n")
    assert found == [(1, "the first line must be WEBVTT, found 'WEBVTTX'")]
    assert errors("\n00:01.000 --> 00:02.000\n好\n")[0] == (1, "the first line must be WEBVTT, found an empty line")


def test_missing_header_still_reports_the_cues_problems():
    found = errors("00:01.000 --> 00:00.500\n好\n")
    assert found[0][0] == 1 and "first line must be WEBVTT" in found[0][1]
    assert found[1][0] == 1 and "not after it starts" in found[1][1]


def test_srt_file_gets_one_clear_problem():
    cues, problems = parse_webvtt("1\n00:00:01,000 --> 00:00:02,000\n好\n\n2\n00:00:02,000 --> 00:00:03,000\n好\n")
    assert cues == [] and len(problems) == 1 and "SRT" in problems[0].message and "dot" in problems[0].hint


@pytest.mark.parametrize("timing, fragment", [
    ("00:00:01,000 --> 00:00:02.000", "comma before the milliseconds"),
    ("00:00:01.00 --> 00:00:02.000", "exactly three digits"),
    ("00:00:01.0000 --> 00:00:02.000", "exactly three digits"),
    ("00:01:61.000 --> 00:01:62.000", "above 59"),
    ("00:60.000 --> 00:61.000", "minutes or seconds above 59"),
    ("0:01.000 --> 00:02.000", "not a time"),
    ("00:01 --> 00:02", "no milliseconds"),
    ("00:01.000 -> 00:02.000", "no '-->' between the times"),
    ("00:01.000 --> 2s", "bad end time"),
    ("00:01.000 --> 00:02.000align:start", "right after the end time"),
])
def test_bad_timestamps(timing, fragment):
    found = errors(f"WEBVTT\n\n{timing}\n好\n")
    assert len(found) == 1 and found[0][0] == 3 and fragment in found[0][1], found


def test_full_width_timing_gets_an_input_method_hint():
    problems = parse_webvtt("WEBVTT\n\n00：00：01.000 --> 00：00：02.000\n好\n")[1]
    assert problems[0].line == 3 and "full-width" in problems[0].message and "half-width" in problems[0].hint


def test_end_before_start_and_zero_length():
    assert errors("WEBVTT\n\n00:03.000 --> 00:02.000\n好\n") == [
        (3, "the cue ends at 00:00:02.000, not after it starts (00:00:03.000)")]
    assert len(errors("WEBVTT\n\n00:03.000 --> 00:03.000\n好\n")) == 1


def test_cues_out_of_order():
    found = errors("WEBVTT\n\n00:05.000 --> 00:06.000\n甲\n\n00:01.000 --> 00:02.000\n乙\n\n"
                   "00:01.000 --> 00:03.000\n丙\n")
    assert found == [(6, "the cue starts at 00:00:01.000, before the previous cue (00:00:05.000 on line 3)")]


def test_empty_file_and_file_without_cues():
    assert errors("") == [(1, "the first line must be WEBVTT, found an empty line")]
    assert errors("WEBVTT\n") == [(1, "the file has no captions")]
    assert errors("WEBVTT\n\nNOTE 只有注释\n") == [(1, "the file has no captions")]
    cues, problems = parse_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000\n\n")
    assert [p.level for p in problems] == ["warning", "error"] and problems[0].message == "the cue has no text"


def test_cue_swallowed_by_the_header():
    found = errors("WEBVTT\n00:01.000 --> 00:02.000\n好\n\n00:03.000 --> 00:04.000\n好\n")
    assert found == [(2, "this cue is part of the file header, so players ignore it")]


def test_cues_without_blank_line_between_them():
    cues, problems = parse_webvtt("WEBVTT\n\n1\n00:01.000 --> 00:02.000\n甲\n2\n00:02.000 --> 00:03.000\n乙\n")
    assert [c.text for c in cues] == ["甲\n2", "乙"]  # what a browser shows
    assert [(p.line, p.message) for p in problems] == [(7, "a cue starts here without a blank line before it")]


def test_block_without_timing():
    found = errors("WEBVTT\n\n00:01.000 --> 00:02.000\n甲\n\n只有文字，没有时间\n")
    assert found == [(6, "this block is not a cue: it has no timing line")]


def test_style_after_cues_and_bad_settings_are_warnings():
    cues, problems = parse_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000 align:middle color:red\n甲\n\n"
                                  "STYLE\n::cue {}\n\na\n00:02.000 --> 00:03.000\n乙\n\na\n00:03.000 --> 00:04.000\n丙\n")
    assert len(cues) == 3
    assert [(p.line, p.level) for p in problems] == [(3, "warning"), (3, "warning"), (6, "warning"), (13, "warning")]
    assert "'align:middle'" in problems[0].message and "twice" in problems[3].message


def test_all_problems_at_once():
    text = "WEBVTT\n\n00:05.000 --> 00:04.000\n甲\n\n00:01,000 --> 00:02.000\n乙\n\n00:00.000 --> 00:01.000\n丙\n"
    assert [line for line, _ in errors(text)] == [3, 6, 9]


def test_read_webvtt_checks_bytes_and_encoding(tmp_path):
    good = mf.vtt(tmp_path / "a.vtt", [(0, 1.5, "第一句"), (1.5, 3, "第二句")])
    cues, problems = media.read_webvtt(good)
    assert problems == [] and [c.plain for c in cues] == ["第一句", "第二句"]
    gbk = write(tmp_path, "g.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n中文\n".encode("gbk"))
    cues, problems = media.read_webvtt(gbk, name="media/g.vtt")
    assert problems[0].line == 4 and "not valid UTF-8" in problems[0].message and "GBK" in problems[0].hint
    srt = write(tmp_path, "s.vtt", SAMPLES["srt"]())
    assert "SRT" in media.read_webvtt(srt)[1][0].message
    html_file = mf.html_pretending(tmp_path / "h.vtt")
    assert "HTML" in media.read_webvtt(html_file)[1][0].message
    assert "first line must be WEBVTT" in media.read_webvtt(write(tmp_path, "t.vtt", b"hello\n"))[1][0].message


def test_timestamps_round_trip():
    assert media.format_timestamp(3_723_004) == "01:02:03.004"
    cues, _ = parse_webvtt("WEBVTT\n\n" + "01:02:03.004 --> 100:00:00.000\nx\n")
    assert cues[0].start == 3_723_004 and cues[0].end == 360_000_000


# --------------------------------------------------------------------------- video and audio (hand-built)


def test_mp4_is_walked(tmp_path):
    info = media.check_video(write(tmp_path, "v.mp4", mf.mp4_bytes(seconds=2.5, size=(320, 180))))
    assert isinstance(info, MediaInfo) and info.warnings == ()
    assert (info.kind, info.duration, info.width, info.height, info.video_codec) == \
           ("mp4", 2.5, 320, 180, "H.264 (High)")
    both = media.check_video(write(tmp_path, "b.mp4", mf.mp4_bytes(with_sound=True)))
    assert both.audio_codec == "AAC"


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("faststart", [True, False])
def test_truncated_mp4(tmp_path, fraction, faststart):
    data = mf.mp4_bytes(faststart=faststart)
    problem = media.check_video(mf.truncated(tmp_path / "v.mp4", data, fraction), name="media/v.mp4")
    assert isinstance(problem, Problem), problem
    assert problem.message.startswith("media/v.mp4 is truncated") or "no 'moov' box" in problem.message
    assert problem.hint


def test_mp4_index_at_the_end_is_a_warning(tmp_path):
    info = media.check_video(write(tmp_path, "v.mp4", mf.mp4_bytes(faststart=False)))
    assert isinstance(info, MediaInfo) and info.warnings[0].level == "warning"
    assert "faststart" in info.warnings[0].hint


def test_mp4_index_pointing_past_the_end(tmp_path):
    data = bytearray(mf.mp4_bytes())
    stco = data.index(b"stco")
    data[stco + 12:stco + 16] = (len(data) + 100).to_bytes(4, "big")
    assert "truncated" in media.check_video(write(tmp_path, "v.mp4", bytes(data))).message


@pytest.mark.parametrize("codec, profile, fragment", [
    (b"hvc1", 0, "H.265/HEVC video, which many browsers cannot play"),
    (b"mp4v", 0, "MPEG-4 Part 2"),
    (b"avc1", 244, "H.264 (High 4:4:4) video"),
    (b"xyz1", 0, "'xyz1' video"),
])
def test_mp4_codecs_browsers_do_not_play(tmp_path, codec, profile, fragment):
    problem = media.check_video(write(tmp_path, "v.mp4", mf.mp4_bytes(codec=codec, profile=profile)))
    assert isinstance(problem, Problem) and fragment in problem.message and "ffmpeg" in problem.hint


def test_av1_is_a_warning(tmp_path):
    info = media.check_video(write(tmp_path, "v.mp4", mf.mp4_bytes(codec=b"av01")))
    assert info.video_codec == "AV1" and info.warnings[0].level == "warning"


def test_mp4_without_video_or_index(tmp_path):
    audio_only = mf.mp4_bytes(handler=b"soun", codec=b"mp4a")
    problem = media.check_video(write(tmp_path, "v.mp4", audio_only), name="v.mp4")
    assert problem.message == "v.mp4 has no video track (it contains only AAC audio)"
    assert media.check_audio(write(tmp_path, "a.m4a", audio_only)).audio_codec == "AAC"
    full = mf.mp4_bytes()
    no_moov = full[:full.index(b"moov") - 4] + mf._box(b"mdat", bytes(100))
    assert "no 'moov' box" in media.check_video(write(tmp_path, "n.mp4", no_moov)).message


def test_webm_is_walked(tmp_path):
    info = media.check_video(write(tmp_path, "v.webm", mf.webm_bytes(seconds=3, size=(640, 360))))
    assert (info.kind, info.duration, info.width, info.height, info.video_codec) == ("webm", 3.0, 640, 360, "VP8")
    live = media.check_video(write(tmp_path, "l.webm", mf.webm_bytes(codec="V_VP9", unknown_sizes=True)))
    assert isinstance(live, MediaInfo) and live.video_codec == "VP9"
    audio = media.check_audio(write(tmp_path, "a.webm", mf.webm_bytes(codec="", audio_codec="A_OPUS")))
    assert audio.audio_codec == "Opus" and audio.video_codec is None


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.8, 0.98])
@pytest.mark.parametrize("unknown_sizes", [False, True])
def test_truncated_webm(tmp_path, fraction, unknown_sizes):
    data = mf.webm_bytes(clusters=3, unknown_sizes=unknown_sizes)
    problem = media.check_video(mf.truncated(tmp_path / "v.webm", data, fraction))
    assert isinstance(problem, Problem) and ("truncated" in problem.message or "no media data" in problem.message), \
        problem


def test_webm_with_a_codec_webm_does_not_allow(tmp_path):
    problem = media.check_video(write(tmp_path, "v.webm", mf.webm_bytes(codec="V_MPEG4/ISO/AVC")))
    assert "H.264 in a WebM file" in problem.message


def test_ogg_audio(tmp_path):
    info = media.check_audio(write(tmp_path, "a.ogg", mf.ogg_bytes(seconds=1.0)))
    assert (info.audio_codec, info.duration) == ("Opus", 1.0)
    cut = media.check_audio(write(tmp_path, "b.ogg", mf.ogg_bytes(eos=False)))
    assert "not marked as the end" in cut.message
    data = mf.ogg_bytes()
    assert "truncated" in media.check_audio(mf.truncated(tmp_path / "c.opus", data, 0.55)).message
    theora = media.check_video(write(tmp_path, "v.ogv", mf.ogg_bytes(codec="theora")))
    assert "Theora" in theora.message


def test_mp3_audio(tmp_path):
    info = media.check_audio(write(tmp_path, "a.mp3", mf.mp3_bytes(frames=38)))
    assert info.audio_codec == "MP3" and info.duration == pytest.approx(38 * 1152 / 44100)
    cut = media.check_audio(mf.truncated(tmp_path / "b.mp3", mf.mp3_bytes(frames=38), 0.5))
    assert isinstance(cut, MediaInfo) and "cut off" in cut.warnings[0].message
    empty_tag = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(2000)
    assert "no MP3 audio" in media.check_audio(write(tmp_path, "c.mp3", empty_tag)).message


def test_wav_audio(tmp_path):
    info = media.check_audio(mf.wav_audio(tmp_path / "a.wav", seconds=0.5))
    assert info.duration == pytest.approx(0.5, abs=0.001)
    problem = media.check_audio(mf.truncated(tmp_path / "b.wav", mf.wav_bytes(0.5), 0.5))
    assert "truncated" in problem.message


def test_html_and_garbage_pretending_to_be_media(tmp_path):
    for name in ("v.mp4", "v.webm"):
        problem = media.check_video(mf.html_pretending(tmp_path / name))
        assert "(its bytes look like an HTML web page)" in problem.message
        assert "not any known file type" in media.check_video(mf.garbage(tmp_path / name)).message
    assert "is not an audio file (its bytes look like an HTML web page)" in \
        media.check_audio(mf.html_pretending(tmp_path / "a.mp3")).message
    assert "is not a video file type" in media.check_video(write(tmp_path, "a.mp3", mf.mp3_bytes())).message


def test_check_media_dispatches_and_checks_documents(tmp_path):
    assert isinstance(media.check_media(mf.png(tmp_path / "a.png")), ImageInfo)
    assert isinstance(media.check_media(write(tmp_path, "v.webm", mf.webm_bytes())), MediaInfo)
    pdf = media.check_media(write(tmp_path, "a.pdf", SAMPLES["pdf"]()))
    assert pdf == media.FileInfo("pdf", len(SAMPLES["pdf"]()))
    assert "%%EOF" in media.check_media(write(tmp_path, "b.pdf", SAMPLES["pdf"]()[:30])).message
    docx = SAMPLES["docx"]()
    assert "truncated" in media.check_media(write(tmp_path, "c.docx", docx[:-40])).message
    csv = media.check_media(write(tmp_path, "d.csv", SAMPLES["text-gb18030"]()))
    assert csv.warnings[0].level == "warning"


# --------------------------------------------------------------------------- never a traceback


VALID = {
    ".mp4": mf.mp4_bytes(with_sound=True), ".webm": mf.webm_bytes(audio_codec="A_OPUS"), ".ogg": mf.ogg_bytes(),
    ".mp3": mf.mp3_bytes(frames=8), ".wav": mf.wav_bytes(0.05), ".m4a": mf.mp4_bytes(handler=b"soun", codec=b"mp4a"),
    ".png": image_bytes("PNG"), ".gif": image_bytes("GIF"), ".jpg": image_bytes("JPEG"),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ext=st.sampled_from(sorted(VALID)), cut=st.integers(0, 10_000), flips=st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(1, 255)), max_size=4))
def test_damaged_files_never_raise(ext, cut, flips):
    data = bytearray(VALID[ext])
    for position, mask in flips:
        data[position % len(data)] ^= mask
    data = bytes(data[: max(0, len(data) - cut % (len(data) + 1))])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"f{ext}"
        path.write_bytes(data)
        result = media.check_media(path)
        assert isinstance(result, (Problem, ImageInfo, MediaInfo))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("WEBVT0123456789:.->\n \t好NOTESTYLE,：")), max_size=200))
def test_webvtt_parser_never_raises(text):
    cues, problems = parse_webvtt(text)
    assert all(isinstance(p, Problem) and p.line >= 0 for p in problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_sniff_never_raises(data):
    sniff(data)


# --------------------------------------------------------------------------- real encodes (PyAV)


@pytest.mark.slow
@needs_av
def test_real_videos_and_audio_pass(tmp_path):
    mp4 = media.check_video(mf.mp4_video(tmp_path / "v.mp4", seconds=2, audio=True))
    assert (mp4.video_codec, mp4.audio_codec, mp4.width) == ("H.264 (High)", "AAC", 160) and mp4.warnings == ()
    assert mp4.duration == pytest.approx(2, abs=0.1)
    webm = media.check_video(mf.webm_video(tmp_path / "v.webm", seconds=2, audio=True))
    assert (webm.video_codec, webm.audio_codec) == ("VP9", "Opus") and webm.duration == pytest.approx(2, abs=0.1)
    vp8 = media.check_video(mf.webm_video(tmp_path / "v8.webm", seconds=1, codec="libvpx"))
    assert vp8.video_codec == "VP8"
    for path, codec in [(mf.mp3_audio(tmp_path / "a.mp3"), "MP3"), (mf.ogg_audio(tmp_path / "a.ogg"), "Opus"),
                        (mf.m4a_audio(tmp_path / "a.m4a"), "AAC")]:
        info = media.check_audio(path)
        assert info.audio_codec == codec and info.warnings == () and info.duration == pytest.approx(2, abs=0.1)


@pytest.mark.slow
@needs_av
def test_real_videos_cut_off_are_caught(tmp_path):
    for name, make in [("v.mp4", mf.mp4_video), ("v.webm", mf.webm_video)]:
        source = make(tmp_path / f"full-{name}", seconds=2)
        for fraction in (0.3, 0.7, 0.95):
            problem = media.check_video(mf.truncated(tmp_path / name, source, fraction))
            assert isinstance(problem, Problem) and "truncated" in problem.message, (name, fraction, problem)
    ogg = mf.ogg_audio(tmp_path / "full.ogg")
    assert isinstance(media.check_audio(mf.truncated(tmp_path / "a.ogg", ogg, 0.6)), Problem)


@needs_av
def test_real_video_problems(tmp_path):
    slow = media.check_video(mf.mp4_video(tmp_path / "s.mp4", faststart=False))
    assert slow.warnings and "faststart" in slow.warnings[0].hint
    rich = media.check_video(mf.mp4_video(tmp_path / "r.mp4", pix_fmt="yuv444p"))
    assert isinstance(rich, Problem) and "4:4:4" in rich.message


@needs_av
def test_encodes_are_reproducible(tmp_path):
    for make in (mf.mp4_video, mf.webm_video, mf.ogg_audio, mf.mp3_audio):
        suffix = {"mp4_video": ".mp4", "webm_video": ".webm", "ogg_audio": ".ogg", "mp3_audio": ".mp3"}[make.__name__]
        a = make(tmp_path / f"a{suffix}", seconds=1).read_bytes()
        b = make(tmp_path / f"b{suffix}", seconds=1).read_bytes()
        assert a == b, make.__name__


# --------------------------------------------------------------------------- the factory itself


def test_infographic_without_a_cjk_font_still_works(tmp_path, monkeypatch):
    monkeypatch.setattr(mf, "find_cjk_font", lambda bold=False, traditional=False: None)
    path = mf.infographic_png(tmp_path / "a.png", "一图读懂", ["# 标题", "! 重点", "内容"])
    assert isinstance(media.check_image(path), ImageInfo)
    with pytest.raises(mf.NoCJKFont):
        mf.infographic_png(tmp_path / "b.png", "标题", ["内容"], require_cjk=True)
    assert mf.main(["demo", str(tmp_path)]) == 1


def test_infographic_is_reproducible(tmp_path):
    lines = ["# 怎么申报", "申报时间：每年4月1日至5月31日", "! 5000元 → 8000元"]
    a = mf.infographic_png(tmp_path / "a.png", "非遗保护专项资金", lines).read_bytes()
    b = mf.infographic_png(tmp_path / "b.png", "非遗保护专项资金", lines).read_bytes()
    assert a == b


def test_wrap_keeps_punctuation_off_line_starts():
    fnt = mf.font(20)
    for line in mf.wrap("申报、评审、公示和资金拨付全程网上办理，不再受理纸质材料。" * 3, fnt, 120)[1:]:
        assert line[0] not in mf._NO_LINE_START
