"""Read a Markdown content file into its front-matter mapping and body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Report
from . import yaml_loader
from .source import read_text, split_front_matter
from .yaml_loader import Mapping


@dataclass(frozen=True)
class MarkdownFile:
    path: Path
    meta: Mapping
    body: str
    body_line: int
    text: str = ""  # the whole decoded file, for checks that read every line (privacy screening)


def read_markdown_file(path: Path, report: Report) -> MarkdownFile | None:
    """Decode, split and parse; every failure is reported with its line."""
    source = read_text(path, report)
    if source is None:
        return None
    split = split_front_matter(source, report)
    if split is None:
        return None
    meta = yaml_loader.load(split.meta, path, report, split.meta_line)
    if meta is None:
        return None
    if not isinstance(meta, Mapping):
        report.error(path, getattr(meta, "line", split.meta_line),
                     "front matter must be a set of 'field: value' lines, not a single value or a list",
                     "write one field per line, e.g. `标题: 关于……的通知`", code="front-matter-type")
        return None
    if not meta:
        meta.line = split.meta_line
    return MarkdownFile(path, meta, split.body, split.body_line, source.text)
