"""How a check opens a file and names it in messages; a file that cannot be read becomes a problem.

Separate because every checker reads files the same way: small ones read,
large ones (videos can be hundreds of MB) memory-mapped.
"""

from __future__ import annotations

import contextlib
import mmap
import os
from pathlib import PurePath

from .results import Problem


def _shown(path, name: str | None) -> str:
    return name or PurePath(path).as_posix()


_MMAP_FROM = 4 * 1024 * 1024


@contextlib.contextmanager
def _contents(path):
    """The file's bytes: read when small, memory-mapped when large (videos can be hundreds of MB)."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size < _MMAP_FROM:
            yield f.read()
            return
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            yield mapped


def _unreadable(shown: str, error: OSError) -> Problem:
    return Problem(f"cannot read {shown}: {error.strerror or error}", "check that the file exists and is readable")
