"""Every content type: its schema, model and reader, the links within the library, and its declaration.

:data:`TYPES` is the registry, in the order types are read, linked, listed
and searched. Each entry is the :class:`~generator.documents.base.ContentType`
declared at the bottom of the type's module; the rest of the generator reads
these declarations and names no type itself.
"""

from __future__ import annotations

from . import annual_report, decision_catalogue, disclosure, draft, institution, interpretation, message, policy, qa
from .base import ContentType, Document

TYPES: tuple[ContentType, ...] = (policy.TYPE, interpretation.TYPE, annual_report.TYPE, institution.TYPE,
                                  disclosure.TYPE, draft.TYPE, decision_catalogue.TYPE)
TYPES += (qa.TYPE, message.TYPE)  # after policy: their link passes read the policies' 索引号

__all__ = ["TYPES", "ContentType", "Document", "type_of"]


def type_of(name: str) -> ContentType:
    return next(t for t in TYPES if t.name == name)
