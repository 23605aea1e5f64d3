"""Big- and little-endian integers read from ``bytes`` or an ``mmap``.

Separate because the sniffer, the image check and the container walkers all
read them, and none of those should import another just for this.
"""

from __future__ import annotations

import struct


def _u32(data, offset: int) -> int:
    return struct.unpack_from(">I", data, offset)[0]


def _u32le(data, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]
