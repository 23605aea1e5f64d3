"""A published citizen message (网民留言选登): its front-matter schema, model and reader.

One Markdown file per message under ``content/messages/``: the front matter
lists what the disclosure rules ask a published message to show — 留言摘要,
受理日期, 答复日期, 答复部门 (seed 004: 列清留言摘要、受理日期、答复日期、答复部门、
答复内容) — and the body is the 答复内容.

A published message never identifies its writer (条例 第十五条). A field that
would hold the writer's details (姓名, 联系电话 …) is refused with the reason,
personal data found anywhere in the file is an error, whatever its kind, and
no 隐私审查 exception is accepted: the writer's details stay in the message
system.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ... import privacy
from ...config import SiteConfig
from ...errors import Level, Report
from ...readers.markdown import RenderedBody, excerpt
from ...schema import Date, Field, Scope, Text
from ...workdays import Calendar
from ..base import GuardedSchema, Refused, body_field, start_markdown

#: Keys that would publish who wrote a message (compared in lower case).
PERSONAL_KEYS = (
    "姓名", "名字", "真实姓名", "留言人", "留言者", "网民", "网名", "昵称", "写信人", "来信人", "咨询人", "投诉人",
    "联系人", "联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "身份证", "身份证号", "身份证号码",
    "证件号码", "邮箱", "电子邮箱", "电子邮件", "地址", "住址", "家庭住址", "联系地址", "工作单位", "qq", "微信", "微信号",
    "name", "author", "phone", "mobile", "email", "e-mail", "address", "id_number",
)
_WHY = "a published message never identifies its writer (条例 第十五条)"

MESSAGE_SCHEMA = GuardedSchema("published message front matter", [
    Field("留言标题", "title", Text(max_length=100), required=True, aliases=("title",), synonyms=("标题", "主题"),
          doc="The message's subject, as published.", example="建议延长市图书馆周末开放时间"),
    Field("留言摘要", "summary", Text(multiline=True, max_length=500), required=True, aliases=("summary",),
          synonyms=("摘要", "留言内容", "内容", "问题"),
          doc="What the message asked, summarised by the agency without the writer's name, numbers or address.",
          example="网民建议市图书馆在周六、周日延长开放时间至晚上九点。"),
    Field("留言日期", "written", Date(), required=True, aliases=("written",), synonyms=("来信日期", "提交日期", "日期"),
          doc="Day the message was written.", example="2025-03-03"),
    Field("受理日期", "accepted", Date(), required=True, aliases=("accepted",), synonyms=("受理时间", "签收日期"),
          doc="Day it was accepted for handling; the working days taken count from here.", example="2025-03-04"),
    Field("答复日期", "replied", Date(), required=True, aliases=("replied",),
          synonyms=("回复日期", "办结日期", "答复时间"),
          doc="Day it was answered; later than `messages.reply_limit` working days after 受理日期 is a warning.",
          example="2025-03-10"),
    Field("答复部门", "department", Text(max_length=100), required=True, aliases=("department",),
          synonyms=("答复单位", "答复机构", "承办部门", "办理部门", "回复部门"),
          doc="The office that answered, by its full name. The 答复内容 is the Markdown below the front matter.",
          example="江州市文化和旅游局公共服务处"),
], refused=(
    body_field(("答复内容", "答复", "回复", "回复内容", "answer", "reply"), "the answer (答复内容)"),
    Refused(PERSONAL_KEYS, "{key!r} would publish the writer's personal data: " + _WHY,
            "remove the `{key}:` line; the writer's details stay in the message system, and 留言摘要 and the "
            "answer name no one", code="personal-data"),
    Refused(privacy.REVIEW_KEYS, "a published message takes no {key} exception: " + _WHY,
            "remove the `{key}:` block and the personal data it was for", code="personal-data"),
))

DATES = (("written", "留言日期"), ("accepted", "受理日期"), ("replied", "答复日期"))


def _dates_in_order(values, mapping, scope: Scope) -> bool:
    ok = True
    for (early, early_key), (late, late_key) in zip(DATES, DATES[1:]):
        if values[late] < values[early]:
            scope.error(MESSAGE_SCHEMA.line_of(mapping, late), f"{late_key} {values[late]} is before "
                        f"{early_key} {values[early]}", f"{late_key} cannot be earlier than {early_key}; check "
                        "both dates", code="date-order")
            ok = False
    return ok


MESSAGE_SCHEMA.rules.append(_dates_in_order)


@dataclass(eq=False)
class Message:
    """One published message and its answer."""

    id: str
    source: Path
    line: int
    lines: dict[str, int]
    title: str
    summary: str
    written: dt.date
    accepted: dt.date
    replied: dt.date
    department: str
    body: RenderedBody  # 答复内容
    working_days: int  # from 受理 to 答复, by the site's calendar
    # --- set by the site graph
    url: str = ""

    type_name = "message"

    @property
    def updated(self) -> dt.date:
        """For the sitemap's <lastmod> of the pages listing it."""
        return self.replied

    @property
    def days_label(self) -> str:
        """The working days the answer took, as the page shows them."""
        if self.working_days:
            return f"{self.working_days}个工作日"
        return "当日答复" if self.replied == self.accepted else "不足1个工作日"

    @property
    def summary_lines(self) -> list[str]:
        """留言摘要 paragraph by paragraph (the editor's line breaks, without logic in the template)."""
        return [line.strip() for line in self.summary.split("\n") if line.strip()]

    @property
    def excerpt(self) -> str:
        return excerpt(self.summary)

    @property
    def sort_key(self) -> tuple:
        """Sort with ``reverse=True``: the newest answer first."""
        return (self.replied, self.accepted, self.id)

    def bodies(self) -> list[RenderedBody]:
        return [self.body]


def _screen(path: Path, source, values, body: RenderedBody, config: SiteConfig, report: Report) -> None:
    """The privacy screen, every finding an error: no kind of personal data belongs in a published message."""
    found = Report()
    meta = {k: v for k, v in source.meta.items() if k not in privacy.REVIEW_KEYS}  # refused, never applied
    privacy.screen_content(path, source.text, meta, config, found, values=values, bodies=[body])
    for d in found.diagnostics:
        if d.code == privacy.CODE and d.message.startswith("possible "):  # a finding (not an unreadable file)
            d = dataclasses.replace(d, level=Level.ERROR, hint="remove it: " + _WHY
                                    + "; a published message takes no 隐私审查 exception")
        report.extend([d])


def read_message(path: Path, config: SiteConfig, report: Report) -> Message | None:
    """Read one published message; every problem goes to ``report``."""
    started = start_markdown(path, config, report, MESSAGE_SCHEMA)
    if started is None:
        return None
    source, values, body = started.source, started.values, started.body
    _screen(path, source, values, body, config, report)
    if not body.text.strip():
        report.error(path, source.body_line, "the message has no answer",
                     "write the 答复内容 in Markdown below the front matter's closing '---'", code="empty-body")
        return None
    if not started.ok:
        return None
    lines = MESSAGE_SCHEMA.lines(source.meta)
    days = Calendar(config.extra_holidays, config.extra_workdays).working_days_after(values["accepted"],
                                                                                     values["replied"])
    limit = config.messages.reply_limit
    if days > limit:
        report.warning(path, lines["replied"], f"answered {days} working days after 受理日期 "
                       f"({values['accepted']} → {values['replied']}); the time limit is {limit}",
                       "check the dates; if they are right the late answer is published as it was given "
                       "(the limit is site.yaml `messages.reply_limit`)", code="reply-late")
    return Message(
        id=path.stem, source=path, line=source.meta.line, lines=lines, title=values["title"],
        summary=values["summary"], written=values["written"], accepted=values["accepted"],
        replied=values["replied"], department=values["department"], body=body, working_days=days,
    )
