"""The names other files may use for a file that could not be read.

A policy with a syntax error is left out of the site; an interpretation that
refers to it would then report "unknown policy document" — about the wrong
file, and before the real problem. The loader records each failed file under
its id, its path and the 索引号 written in it (read leniently, the file is
broken), so that such references are reported as consequences, after their
cause (:meth:`generator.errors.Report.unresolved`).
"""

from __future__ import annotations

import re
from pathlib import Path

#: An ``索引号:`` line of front matter or of a YAML file.
INDEX_LINE = re.compile(r"^\s*(?:索引号|index_no)\s*:\s*[\"']?(.*?)[\"']?\s*(?:#.*)?$", re.M)
#: Enough of the file for its front matter.
_HEAD_BYTES = 64 * 1024


def names(path: Path, content_dir: Path) -> set[str]:
    """The file's id (its name without suffix), its content-relative path and its 索引号, if any."""
    found = {path.stem}
    for folder in (content_dir, content_dir.resolve()):
        try:
            found.add(path.relative_to(folder).as_posix())
            break
        except ValueError:
            continue
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return found
    found.update(v for v in INDEX_LINE.findall(head) if v)
    return found
