"""Published citizen messages (网民留言选登): one Markdown file per message under ``content/messages/``.

- :mod:`.model`: front-matter schema (personal-data fields refused), :class:`Message`, :func:`read_message`;
- :mod:`.links`: the date checks against the build date;
- :mod:`.new`: the file ``new message`` writes.

A column with ``list: {type: message}`` lists them, newest answer first, each
with its dates, 答复部门 and the working days the answer took.
"""

from __future__ import annotations

from ..base import ContentType, DocumentMeta, NewSpec, PageSpec, SearchSpec, issuer_of, serial_slug
from .links import check_messages
from .model import MESSAGE_SCHEMA, PERSONAL_KEYS, Message, read_message
from .new import new_text


def _context(site, message: Message) -> dict:
    return {"message": message}


def _meta(site, message: Message) -> DocumentMeta:
    return DocumentMeta(message.department, ["网民留言", message.department], message.replied, message.replied,
                        message.excerpt)


def search_fields(message: Message) -> list[str]:
    return [message.title, message.summary, message.department, message.body.text]


TYPE = ContentType(
    name="message", label="网民留言", folder="messages", suffixes=(".md",), model=Message, read=read_message,
    schemas={"message": MESSAGE_SCHEMA}, url="wmly/{id}/", url_year=False, list_filters=(),
    order=lambda messages: sorted(messages, key=lambda m: m.sort_key, reverse=True),
    link=check_messages,
    page=PageSpec("message.html", _context, _meta),
    search=SearchSpec(search_fields, lambda m: m.replied, lambda m: m.excerpt,
                      lambda m, config: {"issuer": issuer_of(m.department, config)}),
    new=NewSpec(new_text, ".md", slug=serial_slug),
)

__all__ = ["MESSAGE_SCHEMA", "PERSONAL_KEYS", "TYPE", "Message", "read_message"]
