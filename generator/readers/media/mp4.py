"""Walk an ISO BMFF file (MP4, M4A) to its end: boxes that fit the file, an index, media data, playable tracks.

Separate because it is one container format, read by nothing else.
"""

from __future__ import annotations

import struct

from .binary import _u32
from .container import _Bad, _check_codecs, _truncated
from .kinds import _GET_AGAIN
from .results import MediaInfo, Problem


_VIDEO_CODECS_MP4 = {
    b"avc1": "H.264", b"avc3": "H.264", b"vp09": "VP9", b"av01": "AV1",
    b"hvc1": "H.265/HEVC", b"hev1": "H.265/HEVC", b"mp4v": "MPEG-4 Part 2",
    b"s263": "H.263", b"apcn": "ProRes", b"apch": "ProRes", b"apcs": "ProRes", b"mjpa": "Motion JPEG",
    b"jpeg": "Motion JPEG",
}
_AUDIO_CODECS_MP4 = {
    b"mp4a": "AAC", b"Opus": "Opus", b"fLaC": "FLAC", b".mp3": "MP3", b"ac-3": "AC-3 (Dolby Digital)",
    b"ec-3": "E-AC-3 (Dolby Digital Plus)", b"samr": "AMR", b"sawb": "AMR-WB", b"alac": "ALAC",
    b"lpcm": "PCM", b"sowt": "PCM", b"twos": "PCM",
}
_H264_PROFILES = {66: "Baseline", 77: "Main", 88: "Extended", 100: "High", 110: "High 10",
                  122: "High 4:2:2", 244: "High 4:4:4", 44: "CAVLC 4:4:4"}


def _boxes(data, start: int, end: int, shown: str, top: bool = False):
    """Yield (type, header start, body start, box end) of the boxes between start and end."""
    pos = start
    while pos < end:
        if end - pos < 8:
            if top:
                raise _truncated(shown, pos + 8, end, "the last box header")
            raise _Bad(f"{shown} is damaged: a box ends in the middle at byte {pos:,}", _GET_AGAIN)
        size = _u32(data, pos)
        kind = bytes(data[pos + 4:pos + 8])
        header = 8
        if size == 1:
            if end - pos < 16:
                raise _truncated(shown, pos + 16, end, f"the '{_fourcc(kind)}' box header")
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos  # "to the end of the file"
        if not all(0x20 <= c <= 0x7E or c == 0xA9 for c in kind):
            raise _Bad(f"{shown} is damaged: unreadable data at byte {pos:,}",
                       "export the file again from the original")
        if size < header:
            raise _Bad(f"{shown} is damaged: the '{_fourcc(kind)}' box at byte {pos:,} has an impossible size",
                       "export the file again from the original")
        if pos + size > end:
            if top:
                raise _truncated(shown, pos + size, end, f"its '{_fourcc(kind)}' box")
            raise _Bad(f"{shown} is damaged: the '{_fourcc(kind)}' box overruns the box that contains it",
                       "export the file again from the original")
        yield kind, pos, pos + header, pos + size
        pos += size


def _fourcc(kind: bytes) -> str:
    return kind.decode("latin-1")


def _child(data, start: int, end: int, shown: str, kind: bytes):
    for child in _boxes(data, start, end, shown):
        if child[0] == kind:
            return child
    return None


def _inspect_mp4(shown: str, data, kind: str) -> MediaInfo:
    n = len(data)
    top = list(_boxes(data, 0, n, shown, top=True))
    types = [box[0] for box in top]
    warnings_: list[Problem] = []
    if b"moov" not in types:
        raise _Bad(f"{shown} has no 'moov' box, the index players need: the file is incomplete",
                   "the recording or export was interrupted, or the file was cut off; export it again")
    if b"mdat" not in types and b"moof" not in types:
        raise _Bad(f"{shown} has no media data (no 'mdat' box)", "export the file again from the original")
    moov = top[types.index(b"moov")]
    if b"mdat" in types and types.index(b"mdat") < types.index(b"moov"):
        warnings_.append(Problem(
            f"{shown} has its index ('moov') at the end, so browsers must fetch the end of the file before "
            "playing", "re-save it with the index first: `ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4`",
            level="warning"))
    duration = None
    mvhd = _child(data, moov[2], moov[3], shown, b"mvhd")
    if mvhd:
        duration = _mp4_duration(data, mvhd[2])
    if not duration:
        mvex = _child(data, moov[2], moov[3], shown, b"mvex")
        mehd = mvex and _child(data, mvex[2], mvex[3], shown, b"mehd")
        if mehd and mvhd:
            version = data[mehd[2]]
            length = struct.unpack_from(">Q" if version == 1 else ">I", data, mehd[2] + 4)[0]
            timescale = _u32(data, mvhd[2] + (20 if data[mvhd[2]] == 1 else 12))
            duration = length / timescale if timescale else None
    video = audio = None
    width = height = None
    fragmented = b"moof" in types
    for trak in (box for box in _boxes(data, moov[2], moov[3], shown) if box[0] == b"trak"):
        track = _mp4_track(data, trak, shown, n, fragmented)
        if track is None:
            continue
        handler, codec, size, problem = track
        if problem is not None:
            raise problem
        if handler == b"vide" and video is None:
            video = codec
            width, height = size
        elif handler == b"soun" and audio is None:
            audio = codec
    _check_codecs(shown, video, audio, warnings_)
    return MediaInfo(kind, n, duration, width, height, video, audio, tuple(warnings_))


def _mp4_duration(data, body: int) -> float | None:
    version = data[body]
    if version == 1:
        timescale = _u32(data, body + 20)
        length = struct.unpack_from(">Q", data, body + 24)[0]
        unknown = length == 0xFFFFFFFFFFFFFFFF
    else:
        timescale = _u32(data, body + 12)
        length = _u32(data, body + 16)
        unknown = length == 0xFFFFFFFF
    return length / timescale if timescale and length and not unknown else None


def _mp4_track(data, trak, shown: str, n: int, fragmented: bool):
    """(handler, codec name, (width, height), problem) of one 'trak', or None for other tracks."""
    mdia = _child(data, trak[2], trak[3], shown, b"mdia")
    hdlr = mdia and _child(data, mdia[2], mdia[3], shown, b"hdlr")
    if not hdlr:
        return None
    handler = bytes(data[hdlr[2] + 8:hdlr[2] + 12])
    if handler not in (b"vide", b"soun"):
        return None
    minf = _child(data, mdia[2], mdia[3], shown, b"minf")
    stbl = minf and _child(data, minf[2], minf[3], shown, b"stbl")
    stsd = stbl and _child(data, stbl[2], stbl[3], shown, b"stsd")
    if not stsd or stsd[3] - stsd[2] < 16:
        return handler, None, (None, None), _Bad(f"{shown} is damaged: a track has no sample description",
                                                 "export the file again from the original")
    entry = stsd[2] + 8
    fourcc = bytes(data[entry + 4:entry + 8])
    table = _VIDEO_CODECS_MP4 if handler == b"vide" else _AUDIO_CODECS_MP4
    codec = table.get(fourcc, f"'{_fourcc(fourcc).strip()}'")
    size = (None, None)
    if handler == b"vide" and entry + 36 <= stsd[3]:
        size = struct.unpack_from(">HH", data, entry + 32)
        if fourcc in (b"avc1", b"avc3"):
            entry_end = entry + _u32(data, entry)
            avcc = _child(data, entry + 86, min(entry_end, stsd[3]), shown, b"avcC") \
                if entry + 86 <= min(entry_end, stsd[3]) else None
            if avcc and avcc[3] - avcc[2] >= 2:
                profile = data[avcc[2] + 1]
                codec = f"H.264 ({_H264_PROFILES.get(profile, f'profile {profile}')})"
    # Chunk offsets must point into the file: an index that outlives a cut-off 'mdat' says so.
    for table_kind, fmt, width_ in ((b"stco", ">I", 4), (b"co64", ">Q", 8)):
        box = _child(data, stbl[2], stbl[3], shown, table_kind)
        if box:
            count = _u32(data, box[2] + 4)
            if count and box[2] + 8 + count * width_ <= box[3]:
                last = max(struct.unpack_from(f">{count}{fmt[1]}", data, box[2] + 8))
                if last >= n:
                    return handler, codec, size, _truncated(shown, last + 1, n, "its media data")
    stsz = _child(data, stbl[2], stbl[3], shown, b"stsz")
    if stsz and stsz[3] - stsz[2] >= 12 and _u32(data, stsz[2] + 8) == 0 and not fragmented:
        return handler, codec, size, _Bad(f"{shown} has a {'video' if handler == b'vide' else 'sound'} "
                                          "track without any frames", "export the file again")
    return handler, codec, size, None
