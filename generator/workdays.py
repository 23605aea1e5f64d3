"""Counting 工作日 (working days) for statutory deadlines, with the official holiday tables.

The rules count working days, not calendar days: an interpretation within 3
working days of its policy, disclosure within 20. Weekends and holidays shift
with the yearly 调休 arrangements, so a plain Monday–Friday count would warn
about documents published on time after a holiday (and miss late ones).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

_DATA = Path(__file__).parent / "data" / "cn_workdays.yaml"


@lru_cache(maxsize=1)
def _official() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    holidays = frozenset(d for days in data["holidays"].values() for d in days)
    workdays = frozenset(d for days in data["workdays"].values() for d in days)
    return holidays, workdays


@dataclass(frozen=True)
class Calendar:
    """The official table plus the site's own additions (site.yaml ``calendar``)."""

    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_workday(self, day: dt.date) -> bool:
        holidays, workdays = _official()
        if day in self.extra_workdays or day in workdays:
            return day not in self.extra_holidays
        if day in self.extra_holidays or day in holidays:
            return False
        return day.weekday() < 5

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: 0 on the same day, 1 on the next working day."""
        if end <= start:
            return 0
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count
