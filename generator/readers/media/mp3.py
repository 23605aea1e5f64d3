"""Walk an MP3 file frame by frame: its tags, its audio frames, and where the audio stops.

Separate because it is one format; the sniffer also uses its frame reader, as
a file of MPEG audio frames has no other signature.
"""

from __future__ import annotations

from .binary import _u32, _u32le
from .container import _Bad, _truncated
from .kinds import _GET_AGAIN
from .results import MediaInfo, Problem


_MP3_BITRATES = {
    (3, 3): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (3, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (3, 1): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 3): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (2, 1): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame(data, pos: int) -> tuple[int, int, int, int] | None:
    """(frame length, samples, sample rate, side-info offset) of a valid MPEG audio frame header at pos."""
    if pos + 4 > len(data):
        return None
    h = _u32(data, pos)
    if (h >> 21) & 0x7FF != 0x7FF:
        return None
    version, layer = (h >> 19) & 3, (h >> 17) & 3
    bitrate_index, rate_index, padding = (h >> 12) & 0xF, (h >> 10) & 3, (h >> 9) & 1
    if version == 1 or layer == 0 or bitrate_index in (0, 15) or rate_index == 3 or h & 3 == 2:
        return None
    bitrate = _MP3_BITRATES[(3 if version == 3 else 2, layer)][bitrate_index] * 1000
    rate = _MP3_RATES[version][rate_index]
    mono = (h >> 6) & 3 == 3
    if layer == 3:  # Layer I
        return (12 * bitrate // rate + padding) * 4, 384, rate, 0
    if layer == 2 or version == 3:  # Layer II, or Layer III of MPEG-1
        samples = 1152
        length = 144 * bitrate // rate + padding
    else:  # Layer III of MPEG-2 / 2.5
        samples = 576
        length = 72 * bitrate // rate + padding
    side = (17 if mono else 32) if version == 3 else (9 if mono else 17)
    return length, samples, rate, 4 + side


def _mp3_confirmed(data, pos: int) -> bool:
    """A second frame right after the first: frame sync alone matches random bytes too often."""
    frame = _mp3_frame(data, pos)
    if frame is None:
        return False
    following = pos + frame[0]
    return following == len(data) or _mp3_frame(data, following) is not None


def _id3_end(data) -> int:
    if bytes(data[:3]) != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for b in bytes(data[6:10]):
        size = (size << 7) | (b & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _inspect_mp3(shown: str, data) -> MediaInfo:
    n = len(data)
    start = _id3_end(data)
    if start > n:
        raise _truncated(shown, start, n, "its ID3 tag")
    end = n
    if end - start >= 128 and bytes(data[end - 128:end - 125]) == b"TAG":
        end -= 128  # ID3v1 tag
    if end - start >= 32 and bytes(data[end - 32:end - 24]) == b"APETAGEX":
        tag_size = _u32le(data, end - 20) + (32 if _u32le(data, end - 12) & 0x80000000 else 0)
        end -= min(tag_size, end - start)
    pos = start
    limit = min(end, start + 64 * 1024)
    while pos < limit and not (_mp3_frame(data, pos) and _mp3_confirmed(data, pos)):
        pos = data.find(b"\xff", pos + 1, limit)
        if pos < 0:
            pos = limit
    if pos >= limit:
        raise _Bad(f"{shown} has no MP3 audio in it", "export the audio again as MP3")
    frames = samples = 0
    rate = 0
    warnings_: list[Problem] = []
    first = True
    lost_at = None  # where the frames stopped, while looking for the next one
    while pos < end:
        frame = _mp3_frame(data, pos)
        if frame is None:
            lost_at = pos if lost_at is None else lost_at
            next_pos = data.find(b"\xff", pos + 1, end)
            if next_pos < 0 or next_pos - lost_at > 64 * 1024:
                if end - lost_at > 64 * 1024:
                    warnings_.append(Problem(f"{shown} has {end - lost_at:,} bytes that are not audio after byte "
                                             f"{lost_at:,}", "export the audio again as MP3", level="warning"))
                break
            pos = next_pos
            continue
        lost_at = None
        length, frame_samples, rate, side = frame
        if pos + length > end:
            warnings_.append(Problem(f"{shown} ends in the middle of an audio frame: it is probably cut off",
                                     _GET_AGAIN, level="warning"))
            break
        if first and bytes(data[pos + side:pos + side + 4]) in (b"Xing", b"Info"):
            pass  # the encoder's information frame, not audio
        else:
            frames += 1
            samples += frame_samples
        first = False
        pos += length
    if frames == 0:
        raise _Bad(f"{shown} has no MP3 audio in it", "export the audio again as MP3")
    return MediaInfo("mp3", n, samples / rate if rate else None, None, None, None, "MP3", tuple(warnings_))
