"""The only code that writes the site: collision and escape checks, atomic swap.

A build writes into a fresh folder beside ``output/`` and swaps it in only
when everything succeeded, so a failed build leaves the previous output exactly
as it was, and a half-written site is never served.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .errors import OutputError


class Writer:
    """Writes files under ``root`` by site-relative path, refusing collisions and escapes."""

    def __init__(self, root: Path | None):
        self.root = root  # None: keep nothing, only check (used by `check`)
        self.written: dict[str, str] = {}  # path → what wrote it

    def claim(self, rel: str, origin: str = "") -> None:
        """Reserve ``rel`` for ``origin``; two claims of one path, or a path leaving the folder, fail."""
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise OutputError(f"refusing to write outside the output folder: {rel!r} (from {origin})")
        key = pure.as_posix()
        if key in self.written:
            raise OutputError(f"two sources write the same file {key!r}: {self.written[key]} and {origin}")
        self.written[key] = origin

    def _path(self, rel: str) -> Path | None:
        if self.root is None:
            return None
        target = self.root.joinpath(*PurePosixPath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def put(self, rel: str, data: str | bytes) -> None:
        """Write a path claimed before (see :meth:`claim`)."""
        assert PurePosixPath(rel).as_posix() in self.written, rel
        target = self._path(rel)
        if target is not None:
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


class AtomicOutput:
    """``with AtomicOutput(dest) as root:`` writes into ``root``; on success it replaces ``dest``."""

    def __init__(self, dest: Path):
        self.dest = dest.absolute()
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        parent = self.dest.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.dest.name}.tmp-", dir=parent))
        except OSError as e:
            raise OutputError(f"cannot create a build folder in {parent}: {e.strerror}")
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        self._swap()

    def _swap(self) -> None:
        assert self.tmp is not None
        os.chmod(self.tmp, 0o755)  # mkdtemp makes it private; a site is public
        old = None
        try:
            if self.dest.exists() or self.dest.is_symlink():
                if not self.dest.is_dir() or self.dest.is_symlink():
                    raise OutputError(f"{self.dest} exists and is not a folder; remove it or choose another --output")
                old = Path(tempfile.mkdtemp(prefix=f".{self.dest.name}.old-", dir=self.dest.parent))
                os.rename(self.dest, old / "site")
            os.rename(self.tmp, self.dest)
        except OSError as e:
            if old is not None and not self.dest.exists():
                os.rename(old / "site", self.dest)  # put the previous site back
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise OutputError(f"cannot replace {self.dest}: {e.strerror}")
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
