"""``new``: start a content file with every field present and explained.

An editor should never start from a blank page or guess a field name. The
fields that choose a column (文种, 主题分类, 有效性, 形式 …) start empty, with
their allowed values in the comment, never with a guess: the build names each
one still empty, with its line. The 索引号 is the next free one of the year, so
two editors' new files do not collide unless they are created at the same
moment on different machines (the build then reports the duplicate).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..config import SiteConfig, load_config
from ..documents import TYPES
from ..errors import ContentError, Report, UsageError
from ..structure.index_numbers import assign, used_serials
from .fill_index import taken_numbers

#: The types ``new`` can start a file for: those that declare a template (``ContentType.new``).
NEW_TYPES = tuple(t.name for t in TYPES if t.new is not None)


def next_index_no(config: SiteConfig, today: dt.date) -> str:
    """The 索引号 after the highest one of the year written anywhere in the content (withdrawn ones too)."""
    used = used_serials(taken_numbers(config), config.index_no)
    return assign([("new", today)], used, config.index_no)["new"]


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
    index_no = next_index_no(config, today)
    if decl.new.slug_required and not slug:
        raise UsageError(f"pass --slug for a new {kind}: its file name is its URL (e.g. --slug jiangzhou-tushuguan)")
    if not slug:
        slug = decl.new.slug(content_dir / decl.folder, today) if decl.new.slug else _slug(index_no, today)
    if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*" if decl.new.slug_required else r"[A-Za-z0-9][A-Za-z0-9\-_.]*", slug):
        raise UsageError(f"--slug {slug!r} must use letters, digits and '-' only")
    path = content_dir / decl.folder / f"{slug}{decl.new.suffix}"
    if path.exists():
        raise UsageError(f"{path} already exists; pass --slug to choose another file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(decl.new.text(config, title.strip(), index_no, today), encoding="utf-8")
    return path
