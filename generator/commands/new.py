"""``new``: start a content file with every field present and explained.

An editor should never start from a blank page or guess a field name. The
file is complete enough to build once the body is written; the 索引号 is the
next free one of the year, so two editors' new files do not collide unless
they are created at the same moment on different machines (the build then
reports the duplicate).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..config import SiteConfig, load_config
from ..documents import TYPES
from ..errors import ContentError, Report, UsageError
from ..readers.discover import discover
from ..readers.source import read_text
from ..readers.unreadable import INDEX_LINE

#: The types ``new`` can start a file for: those that declare a template (``ContentType.new``).
NEW_TYPES = tuple(t.name for t in TYPES if t.new is not None)


def next_index_no(config: SiteConfig, year: int, month: int) -> str:
    """The 索引号 after the highest one of ``year`` in any existing content file (valid or not)."""
    regex = config.index_no.regex()
    seqs = [0]
    quiet = Report()
    folders = {t.folder: (t.name, t.suffixes) for t in config.types}
    for paths in discover(config.content_dir, folders, quiet).by_type.values():
        for path in paths:
            text = read_text(path, quiet)
            for written in INDEX_LINE.findall(text.text if text is not None else ""):
                m = regex.fullmatch(written)
                if m and int(m.groupdict().get("year") or year) == year:
                    seqs.append(int(m.group("seq")))
    return config.index_no.format(year, month, max(seqs) + 1)


def _slug(index_no: str, today: dt.date) -> str:
    digits = re.findall(r"\d+", index_no)
    return f"{today.year}-{digits[-1]}" if digits else today.strftime("%Y%m%d")


def new(kind: str, title: str, content_dir: Path, slug: str | None = None, today: dt.date | None = None) -> Path:
    """Write the new file and return its path; refuses to overwrite."""
    if kind not in NEW_TYPES:
        raise UsageError(f"unknown content type {kind!r}; choose one of {', '.join(NEW_TYPES)}")
    decl = next(t for t in TYPES if t.name == kind)
    if not title.strip():
        raise UsageError("the title is empty")
    if not content_dir.is_dir():
        raise UsageError(f"content folder not found: {content_dir}")
    report = Report()
    today = today or dt.date.today()
    config = load_config(content_dir, report, TYPES, today)
    if config is None:
        raise ContentError(report)
    index_no = next_index_no(config, today.year, today.month)
    if decl.new.slug_required and not slug:
        raise UsageError(f"pass --slug for a new {kind}: its file name is its URL (e.g. --slug jiangzhou-tushuguan)")
    slug = slug or _slug(index_no, today)
    if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*" if decl.new.slug_required else r"[A-Za-z0-9][A-Za-z0-9\-_.]*", slug):
        raise UsageError(f"--slug {slug!r} must use letters, digits and '-' only")
    path = content_dir / decl.folder / f"{slug}{decl.new.suffix}"
    if path.exists():
        raise UsageError(f"{path} already exists; pass --slug to choose another file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(decl.new.text(config, title.strip(), index_no, today), encoding="utf-8")
    return path
