"""The site's message service in site.yaml (``messages:``): the 留言 link of policy pages and the time limit
for answering citizens' messages.

A static site cannot take messages itself: the 政策留言板 every policy page
needs (《上海市文化和旅游局2023年政务公开工作要点》: 政策发布页面统一规范设置政策留言板)
is the agency's existing message system, linked with the page's title and
address filled in, as the 找错 link carries the page's address.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from urllib.parse import quote

from .schema import Field, FieldType, Integer, Invalid, Schema, Url, did_you_mean, type_name

#: Working days within which a citizen's message is answered, unless site.yaml says otherwise: the
#: 5个工作日 the Chongqing 2021 task division (seed 004) sets for answering letters to the 公开信箱 and
#: for calling back consultations that could not be answered at once.
REPLY_LIMIT = 5
#: What the 留言 link pattern may fill in, each percent-encoded.
MESSAGE_PLACEHOLDERS = ("title", "url", "index_no")


@dataclass(frozen=True)
class Messages:
    """The site's message service (政策留言板): where a policy page's 留言 link goes, and the reply limit."""

    url: str | None = None  # a pattern with {title}, {url}, {index_no}; None: no 留言 link
    reply_limit: int = REPLY_LIMIT  # working days from 受理 to 答复

    def link(self, title: str, page_url: str, index_no: str | None = None) -> str | None:
        """The 留言 link for a page: the pattern with the page's title, absolute URL and 索引号 filled in."""
        if self.url is None:
            return None
        values = {"title": title, "url": page_url, "index_no": index_no or ""}
        return self.url.format(**{k: quote(v, safe="") for k, v in values.items()})


class _LinkPattern(FieldType):
    """A web address with placeholders from ``MESSAGE_PLACEHOLDERS``; a typo is a located error."""

    label = "a URL (http:, https:) with the placeholders " + ", ".join("{" + p + "}" for p in MESSAGE_PLACEHOLDERS)

    def convert(self, value, scope, line):
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {type_name(value)}")
        allowed = "allowed placeholders: " + ", ".join("{" + p + "}" for p in MESSAGE_PLACEHOLDERS)
        try:
            parts = list(string.Formatter().parse(value))
        except ValueError as e:
            raise Invalid(f"{value!r} is not a valid pattern ({e})", allowed + "; write a literal brace twice") \
                from None
        for _, name, spec, conversion in parts:
            if name is not None and (name not in MESSAGE_PLACEHOLDERS or spec or conversion):
                raise Invalid(f"{value!r}: unknown placeholder {{{name}}}",
                              did_you_mean(name, MESSAGE_PLACEHOLDERS) or allowed)
        Url().convert(value.format(**{p: "x" for p in MESSAGE_PLACEHOLDERS}), scope, line)
        return value


MESSAGES_SCHEMA = Schema("messages", [
    Field("url", "url", _LinkPattern(), default=None,
          doc="The site's message service (政策留言板): every policy page links 留言 to this address, with "
              "{title}, {url} (the page's address) and {index_no} filled in, percent-encoded. "
              "Without it, policy pages have no 留言 link.",
          example='"https://www.jiangzhou.gov.cn/hdjl/liuyan/?title={title}&url={url}"'),
    Field("reply_limit", "reply_limit", Integer(1, 60), default=REPLY_LIMIT,
          doc=f"Working days from 受理日期 to 答复日期 of a published message; a later reply is a warning. "
              f"Default {REPLY_LIMIT} (the 5个工作日 of the Chongqing 2021 task division).",
          example="5"),
])
