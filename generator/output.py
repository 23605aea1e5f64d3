"""The only code that writes the site: collision and escape checks, atomic swap.

A build writes into a fresh folder beside ``output/`` and swaps it in only
when everything succeeded, so a failed build leaves the previous output exactly
as it was, and a half-written site is never served. The published path is, at
every instant, either the previous site or the new one, even when the build is
killed:

* on Linux the two folders are exchanged in one system call,
  ``renameat2(RENAME_EXCHANGE)``;
* where that is missing (another system, or a file system without it), the
  output becomes a symbolic link to a sibling ``.output.site-XXXX`` folder, and
  a new link is renamed over it (a rename is atomic everywhere); web servers
  follow it by default.

Leftovers of a build that was killed (``.output.tmp-*``, ``.output.old-*``,
unused ``.output.site-*``) are removed by the next build, under a lock that
keeps two builds from writing one output at once.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import OutputError

#: The kinds of sibling folders a build makes: ``.output.tmp-XXXX`` …
TMP, OLD, SITE, LINK = "tmp", "old", "site", "link"
MARKER = ".generator-output"


class Writer:
    """Writes files under ``root`` by site-relative path, refusing collisions and escapes.

    Every path is claimed before anything is written, so collisions are found
    before the first byte; worker processes forked after the claims write
    through their copy of the writer (:meth:`put`), and unchanged files are
    linked from the previous output through it too (:meth:`reuse`).
    """

    def __init__(self, root: Path):
        self.root = root
        self.written: dict[str, str] = {}  # path → what wrote it

    def claim(self, rel: str, origin: str = "") -> None:
        """Reserve ``rel`` for ``origin``; two claims of one path, or a path leaving the folder, fail."""
        key = rel if _plain(rel) else _normal(rel, origin)
        if key in self.written:
            raise OutputError(f"two sources write the same file {key!r}: {self.written[key]} and {origin}")
        self.written[key] = origin

    def put(self, rel: str, data: str | bytes) -> None:
        """Write a path claimed before (see :meth:`claim`)."""
        assert rel in self.written or PurePosixPath(rel).as_posix() in self.written, rel
        write_file(self.root, rel, data)

    def reuse(self, previous: Path | None, rel: str) -> bool:
        """Hard-link a claimed, unchanged file from the previous output (copy where links fail);
        False when the previous output does not have it."""
        assert rel in self.written or PurePosixPath(rel).as_posix() in self.written, rel
        if previous is None:
            return False
        old, new = os.path.join(previous, rel), os.path.join(self.root, rel)
        for attempt in range(2):
            try:
                os.link(old, new)
                return True
            except FileNotFoundError:
                if attempt or not os.path.isfile(old):
                    return False
                os.makedirs(os.path.dirname(new), exist_ok=True)  # the usual case: the folder is new
            except OSError:  # no hard links on this file system
                if not os.path.isfile(old):
                    return False
                os.makedirs(os.path.dirname(new), exist_ok=True)
                shutil.copyfile(old, new)
                return True
        return False


def _plain(rel: str) -> bool:
    """``rel`` is already a normal relative POSIX path (most are: the check is much cheaper than parsing)."""
    parts = rel.split("/")
    return all(parts) and "." not in parts and ".." not in parts and "\\" not in rel


def _normal(rel: str, origin: str) -> str:
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise OutputError(f"refusing to write outside the output folder: {rel!r} (from {origin})")
    return pure.as_posix()


def write_file(root: Path, rel: str, data: str | bytes) -> None:
    """Write ``root/rel``; a failure (a full disk) names the file instead of leaving a bare errno."""
    target = root.joinpath(*PurePosixPath(rel).parts)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as e:
        raise OutputError(f"cannot write {target}: {e.strerror or e}") from None


# --------------------------------------------------------------------------- the exchange


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2  # glibc ≥ 2.28, musl ≥ 1.2.5
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system or the file system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False  # not supported here: the caller flips a symbolic link instead
    raise OSError(code, os.strerror(code), str(b))


# --------------------------------------------------------------------------- the folders beside the output


def sibling(dest: Path, kind: str, suffix: str = "") -> Path:
    return dest.parent / f".{dest.name}.{kind}-{suffix or secrets.token_hex(4)}"


def own_link(dest: Path) -> bool:
    """``dest`` is a symbolic link this module made: to a ``.NAME.site-XXXX`` folder beside it."""
    if not dest.is_symlink():
        return False
    target = os.readlink(dest)
    return "/" not in target and os.sep not in target and target.startswith(f".{dest.name}.{SITE}-")


def _is_leftover(dest: Path, name: str, current: str) -> bool:
    prefix = f".{dest.name}."
    kinds = tuple(f"{prefix}{kind}-" for kind in (TMP, OLD, SITE, LINK))
    return name.startswith(kinds) and name != current


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _restore_parked(dest: Path) -> None:
    """A build killed between the two renames of a first symlink flip left no output: put the old one back."""
    if dest.exists() or dest.is_symlink():
        return
    parked = [p for p in dest.parent.glob(f".{dest.name}.{OLD}-*") if (p / MARKER).is_file()]
    if parked:
        newest = max(parked, key=lambda p: p.stat().st_mtime_ns)
        os.rename(newest, dest)


def remove_leftovers(dest: Path) -> None:
    """Remove what killed builds left beside ``dest`` (call only while holding :func:`lock`)."""
    dest = dest.absolute()
    if not dest.parent.is_dir():
        return
    _restore_parked(dest)
    current = os.readlink(dest) if own_link(dest) else ""
    for entry in os.scandir(dest.parent):
        if _is_leftover(dest, entry.name, current):
            _remove(Path(entry.path))


@contextmanager
def lock(dest: Path):
    """Hold ``.NAME.lock`` beside the output: one build at a time writes it (the lock dies with its process)."""
    dest = dest.absolute()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        handle = open(dest.parent / f".{dest.name}.lock", "a+b")
    except OSError as e:
        raise OutputError(f"cannot create the output folder's lock in {dest.parent}: {e.strerror}") from None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; one build at a time is the user's care
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)  # waits for a running build (`serve` and `make build` at once)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


# --------------------------------------------------------------------------- the swap


class AtomicOutput:
    """``with AtomicOutput(dest) as root:`` writes into ``root``; on success it replaces ``dest``."""

    def __init__(self, dest: Path):
        self.dest = dest.absolute()
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        parent = self.dest.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.dest.name}.{TMP}-", dir=parent))
        except OSError as e:
            raise OutputError(f"cannot create a build folder in {parent}: {e.strerror}") from None
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            if isinstance(exc, OSError):  # a copy or a link that failed: say which file, keep the old site
                raise OutputError(f"cannot write {exc.filename or self.tmp}: {exc.strerror or exc}; "
                                  f"{self.dest} was left as it was") from None
            if isinstance(exc, OutputError):
                raise OutputError(f"{exc}; {self.dest} was left as it was") from None
            return
        try:
            os.chmod(self.tmp, 0o755)  # mkdtemp makes it private; a site is public
            self._swap()
        except OSError as e:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise OutputError(f"cannot replace {self.dest}: {e.strerror}; it was left as it was") from None

    def _swap(self) -> None:
        assert self.tmp is not None
        dest = self.dest
        missing = not dest.exists() and not dest.is_symlink()
        if own_link(dest) or (missing and _RENAMEAT2 is None):
            self._flip()
        elif missing:
            os.rename(self.tmp, dest)  # nothing was published: the new site appears in one rename
        elif dest.is_symlink() or not dest.is_dir():
            raise OutputError(f"{dest} is not a folder; remove it or choose another --output")
        elif exchange(self.tmp, dest):
            shutil.rmtree(self.tmp, ignore_errors=True)  # it holds the previous site now
        else:
            self._flip()

    def _flip(self) -> None:
        """Publish through a symbolic link: point a new link at the new folder, rename it over ``dest``."""
        assert self.tmp is not None
        dest = self.dest
        site = sibling(dest, SITE)
        os.rename(self.tmp, site)
        link = sibling(dest, LINK)
        try:
            os.symlink(site.name, link)
        except OSError:  # Windows without the right to make links: two renames, the old site parked between
            self._park_and_rename(site)
            return
        if own_link(dest):
            old = dest.parent / os.readlink(dest)
            os.replace(link, dest)
            _remove(old)
        elif not dest.exists():
            os.replace(link, dest)
        else:
            # The first flip replaces a real folder, which no rename can do in one step: park it
            # where the next build restores it from if this one is killed in between.
            parked = sibling(dest, OLD)
            os.rename(dest, parked)
            os.replace(link, dest)
            _remove(parked)

    def _park_and_rename(self, site: Path) -> None:
        """The last resort: move the old site aside, the new one in; the next build restores a parked site
        if this one is killed in between (:func:`remove_leftovers`)."""
        dest = self.dest
        parked = None
        if dest.exists() or dest.is_symlink():
            parked = sibling(dest, OLD)
            os.rename(dest, parked)
        try:
            os.rename(site, dest)
        except OSError:
            if parked is not None:
                os.rename(parked, dest)
            raise
        if parked is not None:
            _remove(parked)
