"""Find the content files, in a deterministic order, by the folder they are in."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Report
from .paths import is_private

#: A content folder → (content type, the file suffixes that are documents of that type), as the types
#: declare it. Other files in these folders (media, attachments) are only published when referenced.
Folders = dict[str, tuple[str, tuple[str, ...]]]
_TEXT_SUFFIXES = (".md", ".yaml", ".yml")
_TOP_LEVEL = {"site.yaml"}


@dataclass
class Discovered:
    by_type: dict[str, list[Path]] = field(default_factory=dict)

    def of(self, type_name: str) -> list[Path]:
        return self.by_type.get(type_name, [])


def _regular_inside(path: Path, rel: Path, content_dir: Path, folders: Folders, report: Report) -> bool:
    """A content file must be a regular file whose real location is inside the content folder.

    A symlink to a file elsewhere (``/etc/passwd``, another repository) would
    publish that file; a folder, FIFO or socket named like a content file
    cannot be read (opening a FIFO would wait forever).
    """
    if rel.parts[0] not in folders and path.suffix != ".md":
        return False  # not a content file: nothing to check or report
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        mode = 0
    if stat.S_ISREG(mode):
        return True  # the common case, one system call: a regular file (not a link) found by the walk
    try:
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(content_dir))
    except (OSError, ValueError):
        real, root = None, None
    if path.is_symlink() and (real is None or root not in real.parents):
        report.error(path, 0, "content file is a symbolic link to a file outside the content folder",
                     "copy the file into the content folder instead of linking to it", code="path-escape")
        return False
    if path.is_dir():
        report.warning(path, 0, f"{rel.as_posix()} is a folder, not a {path.suffix} file; it is ignored",
                       "rename the folder so its name does not end in " + path.suffix, code="not-a-file")
        return False
    if not path.is_file():
        report.error(path, 0, f"{rel.as_posix()} is not a regular file (a pipe, socket or broken link)",
                     "replace it with an ordinary text file, or remove it", code="not-a-file")
        return False
    return True


def discover(content_dir: Path, folders: Folders, report: Report) -> Discovered:
    """Every document file of every content folder, by type, in path order."""
    found = Discovered()
    for path in sorted(p for p in content_dir.rglob("*") if p.suffix in _TEXT_SUFFIXES):
        rel = path.relative_to(content_dir)
        if is_private(rel.parts) or rel.as_posix() in _TOP_LEVEL:
            continue
        if not _regular_inside(path, rel, content_dir, folders, report):
            continue
        type_name, suffixes = folders.get(rel.parts[0], (None, ())) if len(rel.parts) > 1 else (None, ())
        if type_name is not None and path.suffix in suffixes:
            found.by_type.setdefault(type_name, []).append(path)
        elif type_name is None and path.suffix == ".md":
            report.warning(path, 0, "Markdown file outside the content folders is ignored",
                           "move it into one of: " + ", ".join(f"{d}/" for d in folders)
                           + " (or prefix its name with '_' to keep it unpublished)", code="unknown-folder")
    return found
