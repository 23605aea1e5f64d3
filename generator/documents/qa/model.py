"""The policy Q&A entry (政策问答): its front-matter schema, model and reader.

One Markdown file per entry under ``content/qa/``: the front matter holds the
question and where it belongs (主题, 相关政策), the body is the answer. One
file per entry keeps every problem at its own file and line, and lets an
editor add the answer to a new consultation with ``new qa`` the day it is
given (seed 004: 及时补充完善"政策咨询问答库").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ... import privacy
from ...config import SiteConfig
from ...errors import Report
from ...readers.markdown import RenderedBody, excerpt
from ...schema import Date, Field, ListOf, Located, Reference, Text
from ..base import GuardedSchema, Vocabulary, body_field, start_markdown

#: The site.yaml vocabulary of Q&A topics (its order is the Q&A page's order).
TOPICS_KEY = "qa_topics"


QA_ENTRY_SCHEMA = GuardedSchema("policy Q&A front matter", [
    Field("问题", "question", Text(max_length=200), required=True, aliases=("question",),
          synonyms=("问", "标题", "提问", "咨询问题"),
          doc="The question, as people ask it; the entry's title. The answer is the Markdown below the front matter.",
          example="市级非遗代表性传承人每年能领到多少传承补助？"),
    Field("主题", "topic", Vocabulary(TOPICS_KEY, "a Q&A topic from vocabularies.qa_topics"), required=True,
          aliases=("topic",),
          synonyms=("主题分类", "分类", "类别", "话题"),
          doc="Topic from vocabularies.qa_topics; the Q&A page is grouped by it.", example="非物质文化遗产"),
    Field("答复机构", "answerer", Text(max_length=100), required=True, aliases=("answerer",),
          synonyms=("答复部门", "答复单位", "解答机构", "来源"),
          doc="The office that answers for the policy (谁制定谁答复), by its full name.",
          example="江州市文化和旅游局非物质文化遗产处"),
    Field("日期", "date", Date(), required=True, aliases=("date",), synonyms=("答复日期", "发布日期", "更新日期"),
          doc="Day the answer was given or last checked; within a topic the newest comes first.",
          example="2025-03-12"),
    Field("相关政策", "concerns", ListOf(Reference()), default=list, aliases=("policies",),
          synonyms=("相关文件", "政策文件", "解读文件", "依据"),
          doc="The policy documents the question is about (file name or 索引号); each of their pages lists it.",
          example="[feiyi-zijin-banfa-2024]"),
    privacy.REVIEW_FIELD,
], refused=(body_field(("答复", "答", "回答", "答复内容", "answer"), "the answer (答复)"),))


def topic_anchor(rank: int) -> str:
    return f"topic-{rank + 1}"


@dataclass(eq=False)
class QaEntry:
    """One question and its answer."""

    id: str
    source: Path
    line: int
    lines: dict[str, int]
    question: str
    topic: str
    answerer: str
    date: dt.date
    refs: list[Located]
    body: RenderedBody  # the answer
    topic_rank: int = 0  # position of 主题 in vocabularies.qa_topics
    # --- filled by the site graph
    url: str = ""
    policies: list = field(default_factory=list)  # the policies of 相关政策, resolved

    type_name = "qa"

    @property
    def title(self) -> str:
        return self.question

    @property
    def updated(self) -> dt.date:
        """For the sitemap's <lastmod> of the pages listing it."""
        return self.date

    @property
    def summary(self) -> str:
        return excerpt(self.body.text) or self.question

    @property
    def topic_anchor(self) -> str:
        """The id of its topic's group on the Q&A page."""
        return topic_anchor(self.topic_rank)

    @property
    def sort_key(self) -> tuple:
        """The Q&A page's order: topics in vocabulary order, the newest answer first within each."""
        return (self.topic_rank, -self.date.toordinal(), self.id)

    def bodies(self) -> list[RenderedBody]:
        return [self.body]


def read_qa(path: Path, config: SiteConfig, report: Report) -> QaEntry | None:
    """Read one Q&A entry; every problem goes to ``report``."""
    started = start_markdown(path, config, report, QA_ENTRY_SCHEMA)
    if started is None:
        return None
    source, values, body = started.source, started.values, started.body
    privacy.screen_content(path, source.text, source.meta, config, report, values=values, bodies=[body])
    if not body.text.strip():
        report.error(path, source.body_line, "the entry has no answer",
                     "write the answer (答复) in Markdown below the front matter's closing '---'", code="empty-body")
        return None
    if not started.ok:
        return None
    if re.search(r"<h[1-6][\s>]", body.html):  # the Q&A page shows answers one after another under their questions
        report.warning(path, source.body_line, "the answer has a heading",
                       "an answer sits under its question (itself a heading) on the Q&A page: use bold text or a "
                       "list instead", code="qa-heading")
    return QaEntry(
        id=path.stem, source=path, line=source.meta.line, lines=QA_ENTRY_SCHEMA.lines(source.meta),
        question=values["question"], topic=values["topic"], answerer=values["answerer"], date=values["date"],
        refs=values["concerns"], body=body, topic_rank=config.qa_topics.index(values["topic"]),
    )
