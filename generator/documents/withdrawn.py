"""Withdrawn documents (撤销记录): ``content/withdrawn.yaml``.

A published document is withdrawn, never silently deleted. Its record names
the 索引号 it was published under, its title, the day and the reason; the site
lists every record on one page (已撤销文件), the build accepts that the
document's file is gone (or that its old 索引号 is no longer in use), and the
number is never given to another document.

The file is a YAML list::

    - 索引号: 11360400MB1C23456X/2021-00027
      标题: 关于调整机关内部考勤管理的通知
      撤销日期: 2021-09-10
      原因: 属于机关内部管理信息，不属于主动公开范围。
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..config import SiteConfig
from ..errors import Report
from ..readers import yaml_loader
from ..readers.paths import is_file, resolve_inside
from ..schema import Date, Field, Schema, Scope, Text

WITHDRAWN_FILE = "withdrawn.yaml"

WITHDRAWAL_SCHEMA = Schema("a withdrawal", [
    Field("索引号", "index_no", Text(allow_numbers=True), required=True, aliases=("index_no",), synonyms=("索引",),
          doc="The 索引号 the document was published under; never given to another document.",
          example="11360400MB1C23456X/2021-00027"),
    Field("标题", "title", Text(max_length=200), required=True, aliases=("title",), synonyms=("名称",),
          doc="The document's title as it was published.", example="关于调整机关内部考勤管理的通知"),
    Field("文号", "doc_no", Text(allow_numbers=True), aliases=("doc_no",), doc="Its 文号, if it had one.",
          example="江文旅办〔2021〕15号"),
    Field("撤销日期", "date", Date(), required=True, aliases=("date",), synonyms=("日期", "撤回日期"),
          doc="The day it was withdrawn.", example="2021-09-10"),
    Field("原因", "reason", Text(multiline=True), required=True, aliases=("reason",), synonyms=("撤销原因", "说明"),
          doc="Why, in a sentence the public reads on the withdrawal page.", example="属于机关内部管理信息，不属于主动公开范围。"),
])


@dataclass(frozen=True)
class Withdrawal:
    """One record of withdrawn.yaml (plain values only: it is part of a page's fingerprint)."""

    index_no: str
    title: str
    doc_no: str | None
    date: dt.date
    reason: str
    source: str  # the file, for diagnostics
    line: int


def read_withdrawn(config: SiteConfig, report: Report) -> list[Withdrawal]:
    """The records of ``content/withdrawn.yaml`` (none when there is no such file), newest first."""
    path = config.content_dir / WITHDRAWN_FILE
    if not path.exists() and not path.is_symlink():
        return []
    if resolve_inside(config.content_dir, WITHDRAWN_FILE, config.content_dir) is None or not is_file(path):
        report.error(path, 0, f"{WITHDRAWN_FILE} is not a regular file inside the content folder",
                     "make it an ordinary YAML file (not a link to another place)", code="not-a-file")
        return []
    raw = yaml_loader.load_file(path, report)
    if raw is None or (isinstance(raw, yaml_loader.Mapping) and not raw):
        return []
    if not isinstance(raw, yaml_loader.Sequence):
        report.error(path, getattr(raw, "line", 1), f"{WITHDRAWN_FILE} must be a list of withdrawals",
                     "start each record with '- 索引号: …' (see README.md, “Withdrawn documents”)",
                     code="withdrawn")
        return []
    scope = Scope(path, report)
    out: list[Withdrawal] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        line = raw.line_of(index)
        if not isinstance(item, yaml_loader.Mapping):
            scope.error(line, "a withdrawal must be a set of 'field: value' lines",
                        "write `- 索引号: …` followed by 标题, 撤销日期 and 原因", code="withdrawn")
            continue
        values = WITHDRAWAL_SCHEMA.validate(item, scope)
        if values is None:
            continue
        if values["index_no"] in seen:
            scope.error(item.line_of("索引号") if "索引号" in item else line,
                        f"索引号 {values['index_no']} is already withdrawn on line {seen[values['index_no']]}",
                        "keep one record per document", code="withdrawn")
            continue
        seen[values["index_no"]] = line
        out.append(Withdrawal(values["index_no"], values["title"], values["doc_no"], values["date"],
                              values["reason"], str(Path(path)), line))
    return sorted(out, key=lambda w: (w.date, w.index_no), reverse=True)
