"""A draft put out for public comment (意见征集): its front-matter schema, model and reader.

One Markdown file per draft under ``content/drafts/``: the fields say what is
consulted on, by whom, when and how to answer; the body is the draft text
(and/or attachments). After the period the editor adds the 征集情况说明 and,
once the policy is issued, names it in ``正式文件``. The rules that need only
the file and site.yaml (the length of the period, the report's date) are
checked here; what depends on the build date or on other documents is in
:mod:`.links`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ... import privacy
from ...config import SiteConfig
from ...errors import Report
from ...readers.markdown import RenderedBody, excerpt
from ...readers.yaml_loader import text_line
from ...schema import Choice, Date, Field, Integer, Located, Record, Reference, Schema, Scope, Text, Url
from ..base import (ATTACHMENT_LIST, Attachment, attachment, files_open, raw_field, render_part,
                    start_markdown)
from .rules import check_period, check_report

#: 草案类型: decides the shortest comment period (site.yaml ``consultation``).
KINDS = ("一般政策文件", "规范性文件", "重大行政决策")
#: The states of a draft on the build date, in the order time moves them.
UPCOMING, OPEN, CLOSED, ANSWERED = "未开始", "征集中", "已截止", "已反馈"
STATUS_CLASSES = {UPCOMING: "upcoming", OPEN: "open", CLOSED: "closed", ANSWERED: "answered"}


def _one_channel(values, mapping, scope: Scope) -> bool:
    if values["email"] or values["address"] or values["online"]:
        return True
    scope.error(mapping.line, "反馈渠道 gives no way to comment",
                "add at least one of `电子邮箱:`, `通信地址:`, `在线提交:`", code="draft-channels")
    return False


CHANNELS_SCHEMA = Schema("反馈渠道", [
    Field("电子邮箱", "email", Text(pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+", pattern_label="an e-mail address"),
          aliases=("email",), doc="E-mail address for comments.", example="wlj-zqyj@jiangzhou.gov.cn"),
    Field("通信地址", "address", Text(multiline=True), aliases=("address",), synonyms=("地址", "邮寄地址"),
          doc="Postal address for written comments (with the postcode and what to write on the envelope).",
          example="江州市浔阳区长虹大道88号 江州市文化和旅游局政策法规处（邮编332000）"),
    Field("在线提交", "online", Url(), aliases=("online",), synonyms=("在线表单", "网址"),
          doc="Address of an online form for comments.", example="https://www.jiangzhou.gov.cn/hdjl/yjzj/"),
], rules=[_one_channel])

REPORT_SCHEMA = Schema("征集情况说明", [
    Field("发布日期", "published", Date(), required=True, aliases=("published",), synonyms=("日期",),
          doc="Date the report is published: after the deadline, within `consultation.report_days` (30) days.",
          example="2026-10-12"),
    Field("意见数", "received", Integer(0), required=True, aliases=("received",), synonyms=("收到意见", "意见条数"),
          doc="Number of opinions received.", example="26"),
    Field("采纳数", "adopted", Integer(0), aliases=("adopted",), synonyms=("采纳条数",),
          doc="Number of opinions adopted in full or in part (at most 意见数).", example="9"),
    Field("采纳情况", "adoption", Text(multiline=True), required=True, aliases=("adoption",),
          doc="What was adopted and how the draft changed (Markdown).", example="|\n  一、……"),
    Field("未采纳理由", "rejection", Text(multiline=True), aliases=("rejection",), synonyms=("不予采纳理由",),
          doc="Why the other opinions were not adopted (Markdown); 国办发〔2018〕37号 asks for the reasons.",
          example="|\n  关于……的建议，……"),
])

DRAFT_SCHEMA = Schema("draft front matter", [
    Field("标题", "title", Text(max_length=200), required=True, aliases=("title",),
          doc="Title of the consultation, naming the draft.",
          example="关于公开征求《江州市旅游民宿管理办法（征求意见稿）》意见的公告"),
    Field("起草单位", "drafter", Text(), required=True, aliases=("drafter",), synonyms=("起草处室", "起草机构"),
          doc="The body that drafted it (谁起草谁解读).", example="江州市文化和旅游局资源开发处"),
    Field("草案类型", "kind", Choice(KINDS), required=True, aliases=("kind",),
          synonyms=("类型",), doc="一般政策文件, 规范性文件 or 重大行政决策: decides the shortest comment period.",
          example="重大行政决策"),
    Field("征集开始日期", "start", Date(), required=True, aliases=("start",), synonyms=("开始日期",),
          doc="First day of the comment period.", example="2026-11-20"),
    Field("征集截止日期", "deadline", Date(), required=True, aliases=("deadline",), synonyms=("截止日期",),
          doc="Last day of the comment period; the period counts both days.", example="2026-12-21"),
    Field("起草说明", "explanation", Text(multiline=True), required=True, aliases=("explanation",),
          synonyms=("说明",), doc="Why and how the draft was made (Markdown).", example="|\n  一、起草背景……"),
    Field("制定依据", "basis", Text(multiline=True), aliases=("basis",), synonyms=("依据",),
          doc="The laws and policies the draft rests on (Markdown).", example="|\n  《旅游法》……"),
    Field("缩短理由", "shortened", Text(multiline=True), aliases=("shortened",),
          doc="Why the period is shorter than the rule (第十五条: 因情况紧急等原因需要缩短期限的…应当予以说明); "
              "shown on the page, and the short period is then a warning instead of an error.",
          example="防汛救灾急需……"),
    Field("附件", "attachments", ATTACHMENT_LIST, default=list, aliases=("attachments",),
          doc="The draft as files (征求意见稿 in Word or PDF), other materials; a path or `{标题: …, 文件: …}`.",
          example="[{标题: 征求意见稿, 文件: files/minsu-zqyj.docx}]"),
    Field("反馈渠道", "channels", Record(CHANNELS_SCHEMA, "反馈渠道 {电子邮箱, 通信地址, 在线提交}"), required=True,
          aliases=("channels",), synonyms=("联系方式", "意见反馈"),
          doc="How to comment: `电子邮箱`, `通信地址`, `在线提交` (at least one).",
          example="{电子邮箱: wlj-zqyj@jiangzhou.gov.cn}"),
    Field("征集情况说明", "report", Record(REPORT_SCHEMA, "征集情况说明 {发布日期, 意见数, 采纳情况 …}"),
          aliases=("report",), synonyms=("反馈情况", "意见采纳情况"),
          doc="The feedback report, added after the period: `发布日期`, `意见数`, `采纳数`, `采纳情况`, `未采纳理由`.",
          example="{发布日期: 2026-10-12, 意见数: 26, 采纳情况: ……}"),
    Field("正式文件", "final", Reference(), aliases=("final",), synonyms=("最终文件", "决策文件"),
          doc="The policy document the draft became (file name or 索引号); its page says 本文件曾公开征求意见.",
          example="2026-xiaofeiquan-banfa"),
    Field("索引号", "index_no", Text(allow_numbers=True), aliases=("index_no",),
          doc="索引号 of the consultation notice, if it has one.", example="11360400MB1C23456X/2026-00012"),
    Field("摘要", "summary", Text(multiline=True), default="", aliases=("summary",),
          doc="One or two sentences for lists and search; defaults to the start of 起草说明.",
          example="规范旅游民宿的开办、经营和服务。"),
    privacy.REVIEW_FIELD,
])


@dataclass(frozen=True)
class Channels:
    email: str | None
    address: str | None
    online: str | None


@dataclass(frozen=True)
class FeedbackReport:
    """The 征集情况说明: when, how many opinions, what was adopted and why the rest was not."""

    published: dt.date
    received: int
    adopted: int | None
    adoption: RenderedBody
    rejection: RenderedBody | None


@dataclass(eq=False)
class Draft:
    id: str
    source: Path
    line: int
    lines: dict[str, int]
    title: str
    drafter: str
    kind: str
    start: dt.date
    deadline: dt.date
    period: int  # the length of the period in `period_unit`, both dates counted
    period_unit: str  # 工作日 or 日
    explanation: RenderedBody
    basis: RenderedBody | None
    shortened: str | None
    attachments: list[Attachment]
    channels: Channels
    report: FeedbackReport | None
    final_ref: Located | None
    index_no: str | None
    summary: str
    body: RenderedBody
    # --- filled by the site graph
    url: str = ""
    status: str = ""  # on the build date: 未开始, 征集中, 已截止 or 已反馈
    final: object = None  # the Policy it became
    decision: object = None  # the decision-catalogue item that lists it

    type_name = "draft"

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def published(self) -> dt.date:
        """A draft is published when its comment period opens: the date that numbers its 索引号."""
        return self.start

    @property
    def updated(self) -> dt.date:
        """The last day the page changed by its content (sitemap, list dates): the report's, else the start."""
        return self.report.published if self.report is not None else self.start

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES[self.status]

    @property
    def description(self) -> str:
        return self.summary or excerpt(self.explanation.text) or self.title

    def bodies(self) -> list[RenderedBody]:
        parts = [self.body, self.explanation, self.basis]
        if self.report is not None:
            parts += [self.report.adoption, self.report.rejection]
        return [p for p in parts if p is not None]


def read_draft(path: Path, config: SiteConfig, report: Report) -> Draft | None:
    """Read one draft; every problem goes to ``report``."""
    started = start_markdown(path, config, report, DRAFT_SCHEMA)
    if started is None:
        return None
    source, values, body, scope = started.source, started.values, started.body, started.scope
    rendered = [body]
    source_lines = source.text.splitlines()

    def finish(result: Draft | None) -> Draft | None:
        privacy.screen_content(path, source.text, source.meta, config, report, schema=DRAFT_SCHEMA, values=values,
                               bodies=rendered)
        return result

    if not started.ok:
        return finish(None)

    def markdown(text: str | None, key_line: int) -> RenderedBody | None:
        if not text:
            return None
        part = render_part(text, path, config, text_line(source_lines, key_line), report)
        rendered.append(part)
        return part

    lines = DRAFT_SCHEMA.lines(source.meta)
    if not body.html.strip() and not values["attachments"]:
        report.error(path, source.body_line, "the draft has no text: no body and no 附件",
                     "write the draft below the front matter, or attach it (`附件: [files/….docx]`)",
                     code="empty-body")
        return finish(None)
    period = check_period(values, lines, config, scope)
    feedback = None
    if values["report"] is not None:
        raw = raw_field(source.meta, DRAFT_SCHEMA, "report")
        report_lines = REPORT_SCHEMA.lines(raw)
        if not check_report(values, report_lines, config, scope):
            return finish(None)
        r = values["report"]
        feedback = FeedbackReport(r["published"], r["received"], r["adopted"],
                                  markdown(r["adoption"], report_lines["adoption"]),
                                  markdown(r["rejection"], report_lines["rejection"]))
    content_dir = config.content_root
    if period is None or not files_open(values["attachments"], content_dir, scope):
        return finish(None)
    channels = values["channels"]
    return finish(Draft(
        id=path.stem, source=path, line=source.meta.line, lines=lines, title=values["title"],
        drafter=values["drafter"], kind=values["kind"], start=values["start"], deadline=values["deadline"],
        period=period[0], period_unit=period[1], explanation=markdown(values["explanation"], lines["explanation"]),
        basis=markdown(values["basis"], lines["basis"]), shortened=values["shortened"],
        attachments=[attachment(a, content_dir) for a in values["attachments"]],
        channels=Channels(channels["email"], channels["address"], channels["online"]), report=feedback,
        final_ref=values["final"], index_no=values["index_no"], summary=values["summary"], body=body,
    ))


__all__ = ["ANSWERED", "CHANNELS_SCHEMA", "CLOSED", "DRAFT_SCHEMA", "KINDS", "OPEN", "REPORT_SCHEMA", "UPCOMING",
           "Channels", "Draft", "FeedbackReport", "read_draft"]
