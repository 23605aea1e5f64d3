"""Walk an EBML file (WebM) to its end: header, segment, clusters that fit the file, playable tracks.

Separate because it is one container format; the sniffer also uses its
EBML reader to tell WebM from Matroska.
"""

from __future__ import annotations

import struct

from .container import _Bad, _check_codecs, _truncated
from .kinds import _GET_AGAIN
from .results import MediaInfo, Problem


_EBML_LEVEL1 = {0x114D9B74, 0x1549A966, 0x1654AE6B, 0x1F43B675, 0x1C53BB6B, 0x1254C367, 0x1043A770,
                0x1941A469, 0x18538067, 0x1A45DFA3}
_WEBM_CODECS = {"V_VP8": "VP8", "V_VP9": "VP9", "V_AV1": "AV1", "A_OPUS": "Opus", "A_VORBIS": "Vorbis",
                "V_MPEG4/ISO/AVC": "H.264", "V_MPEGH/ISO/HEVC": "H.265/HEVC", "A_AAC": "AAC",
                "A_MPEG/L3": "MP3", "A_FLAC": "FLAC"}


def _ebml_header(data, pos: int, end: int, shown: str) -> tuple[int, int | None, int]:
    """(element id, size or None when unknown, data start) of the element at ``pos``."""
    if pos >= end:
        raise _truncated(shown, pos + 1, end, "an element")
    first = data[pos]
    id_len = 9 - first.bit_length() if first else 9
    if id_len > 4:
        raise _Bad(f"{shown} is damaged: unreadable data at byte {pos:,}", "export the file again")
    if pos + id_len >= end:
        raise _truncated(shown, pos + id_len + 1, end, "an element header")
    eid = int.from_bytes(bytes(data[pos:pos + id_len]), "big")
    pos += id_len
    first = data[pos]
    size_len = 9 - first.bit_length() if first else 9
    if size_len > 8:
        raise _Bad(f"{shown} is damaged: unreadable data at byte {pos:,}", "export the file again")
    if pos + size_len > end:
        raise _truncated(shown, pos + size_len, end, "an element header")
    value = first & (0xFF >> size_len)
    for b in bytes(data[pos + 1:pos + size_len]):
        value = (value << 8) | b
    unknown = value == (1 << (7 * size_len)) - 1
    return eid, None if unknown else value, pos + size_len


def _ebml_children(data, start: int, end: int, shown: str):
    pos = start
    while pos < end:
        eid, size, body = _ebml_header(data, pos, end, shown)
        if size is None or body + size > end:
            raise _Bad(f"{shown} is damaged: an element at byte {pos:,} overruns its parent",
                       "export the file again from the original")
        yield eid, body, body + size
        pos = body + size


def _ebml_uint(data, start: int, end: int) -> int:
    return int.from_bytes(bytes(data[start:end]), "big")


def _ebml_doctype(data) -> str | None:
    try:
        eid, size, body = _ebml_header(data, 0, len(data), "")
        end = min(len(data), body + (size or 0))
        for child, cstart, cend in _ebml_children(data, body, end, ""):
            if child == 0x4282:
                return bytes(data[cstart:cend]).rstrip(b"\x00").decode("ascii", "replace")
    except (_Bad, IndexError, struct.error):
        return None
    return None


def _inspect_webm(shown: str, data) -> MediaInfo:
    n = len(data)
    eid, size, body = _ebml_header(data, 0, n, shown)
    if size is None or body + size > n:
        raise _truncated(shown, body + (size or 0), n, "the EBML header")
    pos = body + size
    while True:
        if pos >= n:
            raise _Bad(f"{shown} has no WebM segment: the file ends after its header", _GET_AGAIN)
        eid, size, body = _ebml_header(data, pos, n, shown)
        if eid == 0x18538067:
            break
        if size is None:
            raise _Bad(f"{shown} is damaged: unreadable data at byte {pos:,}", "export the file again")
        pos = body + size
    if size is not None and body + size > n:
        raise _truncated(shown, body + size, n, "the WebM segment")
    segment_end = n if size is None else body + size
    timescale, duration = 1_000_000, None
    video = audio = None
    width = height = None
    clusters = 0
    pos = body
    while pos < segment_end:
        eid, size, child = _ebml_header(data, pos, segment_end, shown)
        if eid == 0x18538067 or eid == 0x1A45DFA3:
            break  # a second segment follows (chained file): the first one is what plays
        if size is None:
            if eid != 0x1F43B675:
                raise _Bad(f"{shown} is damaged: an element of unknown size at byte {pos:,}",
                           "export the file again from the original")
            pos = _skip_open_cluster(data, child, segment_end, shown)
            clusters += 1
            continue
        end = child + size
        if end > segment_end:
            raise _truncated(shown, end, segment_end, "its last element")
        if eid == 0x1549A966:  # Info
            for sub, s, e in _ebml_children(data, child, end, shown):
                if sub == 0x2AD7B1:
                    timescale = _ebml_uint(data, s, e) or timescale
                elif sub == 0x4489 and e - s in (4, 8):
                    duration = struct.unpack_from(">f" if e - s == 4 else ">d", data, s)[0]
        elif eid == 0x1654AE6B:  # Tracks
            for sub, s, e in _ebml_children(data, child, end, shown):
                if sub != 0xAE:
                    continue
                track_type, codec, pixels = None, None, (None, None)
                for item, a, b in _ebml_children(data, s, e, shown):
                    if item == 0x83:
                        track_type = _ebml_uint(data, a, b)
                    elif item == 0x86:
                        codec_id = bytes(data[a:b]).rstrip(b"\x00").decode("ascii", "replace")
                        codec = _WEBM_CODECS.get(codec_id, f"'{codec_id}'")
                    elif item == 0xE0:
                        dims = {k: _ebml_uint(data, x, y) for k, x, y in _ebml_children(data, a, b, shown)}
                        pixels = (dims.get(0xB0), dims.get(0xBA))
                if track_type == 1 and video is None:
                    video, (width, height) = codec, pixels
                elif track_type == 2 and audio is None:
                    audio = codec
        elif eid == 0x1F43B675:
            clusters += 1
        pos = end
    if clusters == 0:
        raise _Bad(f"{shown} has no media data (no clusters)", _GET_AGAIN)
    warnings_: list[Problem] = []
    for codec, allowed in ((video, {"VP8", "VP9", "AV1"}), (audio, {"Opus", "Vorbis"})):
        if codec is not None and codec not in allowed:
            raise _Bad(f"{shown} uses {codec} in a WebM file, which browsers do not accept in WebM",
                       "encode WebM with VP9 video and Opus audio, or publish an MP4 (H.264 + AAC)")
    _check_codecs(shown, video, audio, warnings_)
    seconds = duration * timescale / 1e9 if duration else None
    return MediaInfo("webm", n, seconds, width, height, video, audio, tuple(warnings_))


def _skip_open_cluster(data, pos: int, end: int, shown: str) -> int:
    """The end of a cluster of unknown size (live recordings): where the next top-level element starts."""
    while pos < end:
        eid, size, body = _ebml_header(data, pos, end, shown)
        if eid in _EBML_LEVEL1:
            return pos
        if size is None or body + size > end:
            raise _truncated(shown, body + (size or 0), end, "its last cluster")
        pos = body + size
    return pos
