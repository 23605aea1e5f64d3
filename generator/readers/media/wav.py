"""Walk a WAV file's RIFF chunks: they fit the file, and the sound is PCM that browsers play.

Separate because it is one container format, read by nothing else.
"""

from __future__ import annotations

import struct

from .binary import _u32le
from .container import _Bad, _truncated
from .kinds import _REENCODE_AUDIO
from .results import MediaInfo


def _inspect_wav(shown: str, data) -> MediaInfo:
    n = len(data)
    declared = _u32le(data, 4)
    riff_end = n if declared in (0, 0xFFFFFFFF) else 8 + declared
    if riff_end > n:
        raise _truncated(shown, riff_end, n, "its RIFF header")
    pos = 12
    fmt = None
    data_size = None
    while pos + 8 <= riff_end:
        chunk = bytes(data[pos:pos + 4])
        size = _u32le(data, pos + 4)
        body = pos + 8
        if chunk == b"data" and size in (0, 0xFFFFFFFF):
            size = riff_end - body  # streaming writers leave the size open
        if body + size > riff_end:
            raise _truncated(shown, body + size, riff_end, f"its '{chunk.decode('latin-1')}' chunk")
        if chunk == b"fmt " and size >= 16:
            fmt = struct.unpack_from("<HHIIHH", data, body)
            if fmt[0] == 0xFFFE and size >= 26:
                fmt = (struct.unpack_from("<H", data, body + 24)[0],) + fmt[1:]
        elif chunk == b"data":
            data_size = size
        pos = body + size + (size & 1)
    if fmt is None or data_size is None:
        raise _Bad(f"{shown} is damaged: it has no {'format' if fmt is None else 'sound data'} chunk",
                   "export the audio again")
    if fmt[0] not in (1, 3):
        raise _Bad(f"{shown} uses the WAV encoding 0x{fmt[0]:04x}, which browsers do not play",
                   _REENCODE_AUDIO)
    byte_rate = fmt[3]
    return MediaInfo("wav", n, data_size / byte_rate if byte_rate else None, None, None, None, "PCM (WAV)", ())
