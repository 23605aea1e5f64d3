"""Walk an Ogg file to its end: pages that fit the file, every stream ended, a codec browsers play.

Separate because it is one container format, read by nothing else.
"""

from __future__ import annotations

import struct

from .binary import _u32le
from .container import _Bad, _PLAYABLE_AUDIO, _truncated
from .kinds import _GET_AGAIN, _REENCODE_AUDIO, _REENCODE_VIDEO
from .results import MediaInfo


def _inspect_ogg(shown: str, data) -> MediaInfo:
    n = len(data)
    streams: dict[int, dict] = {}
    pos = 0
    while pos < n:
        if not b"OggS".startswith(bytes(data[pos:pos + 4])):
            raise _Bad(f"{shown} is damaged: no Ogg page at byte {pos:,}", "export the file again from the original")
        if n - pos < 27:
            raise _truncated(shown, pos + 27, n, "its last page")
        flags = data[pos + 5]
        granule = struct.unpack_from("<q", data, pos + 6)[0]
        serial = _u32le(data, pos + 14)
        segments = data[pos + 26]
        if pos + 27 + segments > n:
            raise _truncated(shown, pos + 27 + segments, n, "its last page")
        body = pos + 27 + segments
        end = body + sum(bytes(data[pos + 27:body]))
        if end > n:
            raise _truncated(shown, end, n, "its last page")
        if flags & 0x02:
            packet = bytes(data[body:min(end, body + 64)])
            streams[serial] = stream = {"codec": None, "rate": 0, "preskip": 0, "granule": 0, "eos": False,
                                        "video": False}
            if packet.startswith(b"OpusHead") and len(packet) >= 12:
                stream.update(codec="Opus", rate=48000, preskip=struct.unpack_from("<H", packet, 10)[0])
            elif packet.startswith(b"\x01vorbis") and len(packet) >= 16:
                stream.update(codec="Vorbis", rate=_u32le(packet, 12))
            elif packet.startswith(b"\x7fFLAC"):
                stream.update(codec="FLAC")
            elif packet.startswith(b"\x80theora"):
                stream.update(codec="Theora", video=True)
            elif packet.startswith(b"Speex"):
                stream.update(codec="Speex")
            else:
                stream.update(codec="'unknown'")
        stream = streams.get(serial)
        if stream is None:
            raise _Bad(f"{shown} is damaged: a page at byte {pos:,} belongs to no stream",
                       "export the file again from the original")
        if granule != -1:
            stream["granule"] = granule
        if flags & 0x04:
            stream["eos"] = True
        pos = end
    if not streams:
        raise _Bad(f"{shown} has no Ogg stream", _GET_AGAIN)
    if not all(stream["eos"] for stream in streams.values()):
        raise _Bad(f"{shown} is truncated: its last Ogg page is not marked as the end of the stream", _GET_AGAIN)
    video = next((s["codec"] for s in streams.values() if s["video"]), None)
    audio_stream = next((s for s in streams.values() if not s["video"]), None)
    audio = audio_stream["codec"] if audio_stream else None
    if video is not None:
        raise _Bad(f"{shown} uses {video} video, which Safari and recent versions of Chrome do not play", _REENCODE_VIDEO)
    if audio not in _PLAYABLE_AUDIO:
        raise _Bad(f"{shown} uses {audio} audio, which browsers do not play", _REENCODE_AUDIO)
    duration = None
    if audio_stream and audio_stream["rate"]:
        duration = max(0, audio_stream["granule"] - audio_stream["preskip"]) / audio_stream["rate"]
    return MediaInfo("ogg", n, duration, None, None, None, audio, ())
