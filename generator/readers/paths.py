"""Paths written in content must stay inside the content folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..cache import record_read


def is_private(parts) -> bool:
    """Files and folders starting with '.' or '_' are drafts and internals (.git, .env, _draft.md): never published."""
    return any(part.startswith((".", "_")) for part in parts)


def is_file(path: Path) -> bool:
    """``Path.is_file`` that answers False, not raises, for a name the system refuses (too long, bad bytes)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def resolve_inside(base: Path, written: str, root: Path) -> Path | None:
    """Resolve ``written`` (relative to ``base``) and return it only if it stays under ``root``.

    Symlinks are followed before the check, so a link that points out of the
    content folder is refused like a ``..`` escape. Absolute paths, drive
    letters and backslash paths are refused outright.
    """
    if not written or written.startswith(("/", "\\")) or PureWindowsPath(written).drive:
        return None
    if "\x00" in written:
        return None
    candidate = base / PurePosixPath(written.replace("\\", "/"))
    try:
        real = os.path.realpath(candidate)
        real_root = os.path.realpath(root)
    except (OSError, ValueError):
        return None
    # Both are absolute and normal (no '..', no trailing separator but the root's): compare as text.
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    resolved = Path(real)
    # The cache hashes what was read; opening a FIFO (or a device) to hash it would block the build forever.
    try:
        mode = os.stat(resolved).st_mode
    except OSError:
        mode = None
    if mode is None or stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        record_read(resolved)
    return resolved
