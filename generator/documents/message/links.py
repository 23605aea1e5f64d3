"""Site-wide checks of the published messages that depend on the build date (``--today``)."""

from __future__ import annotations

from ...config import SiteConfig
from ...errors import Report
from .model import DATES


def check_messages(library: dict[str, list], config: SiteConfig, report: Report) -> None:
    """A published message has been answered: none of its dates can be after the build date."""
    for message in library["message"]:
        for attr, key in DATES:
            day = getattr(message, attr)
            if day > config.today:
                report.error(message.source, message.lines[attr], f"{key} {day} is after the build date "
                             f"{config.today}", "a message is published once it is answered: correct the date "
                             "(a build checks as of today unless given --today)", code="date-future")
