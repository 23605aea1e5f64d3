"""site.yaml ``inspection:`` and the per-column keys ``更新周期`` / ``长期不更新``.

A leaf module (schemas only): :mod:`generator.config` validates these with the
rest of site.yaml, so a bad period or word list is a located error like any
other. The defaults are the national rules; each is cited where it is used.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..readers.yaml_loader import Mapping
from ..schema import Boolean, Choice, Field, FieldType, Integer, Invalid, ListOf, Schema, Text, type_name

_PERIOD_RE = re.compile(r"(\d+)\s*(天|日|周|个月|月|年)")
_UNITS = {"天": "days", "日": "days", "周": "weeks", "个月": "months", "月": "months", "年": "years"}


@dataclass(frozen=True)
class Period:
    """An update period such as 2周, 6个月 or 1年, as written."""

    count: int
    unit: str  # days, weeks, months, years
    text: str

    def after(self, day: dt.date) -> dt.date:
        """The last day still within the period that starts on ``day``."""
        if self.unit in ("days", "weeks"):
            return day + dt.timedelta(days=self.count * (7 if self.unit == "weeks" else 1))
        months = self.count * (12 if self.unit == "years" else 1)
        year, month = divmod(day.month - 1 + months, 12)
        year, month = day.year + year, month + 1
        return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

    def __str__(self) -> str:
        return self.text


def parse_period(text: str) -> Period:
    m = _PERIOD_RE.fullmatch(str(text).strip())
    if not m or int(m.group(1)) < 1:
        raise Invalid(f"{text!r} is not an update period", "write a number and a unit: 14天, 2周, 6个月 or 1年")
    return Period(int(m.group(1)), _UNITS[m.group(2)], f"{int(m.group(1))}{m.group(2)}")


class PeriodType(FieldType):
    label = "a period (14天, 2周, 6个月, 1年)"

    def convert(self, value, scope, line):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise Invalid(f"expected {self.label}, got {type_name(value)}", "write e.g. 6个月")
        return parse_period(str(value))


class _Severity(Choice):
    """error, warning or off; a bare ``off`` is YAML's false, so false is off too."""

    def __init__(self):
        super().__init__(SEVERITIES)

    def convert(self, value, scope, line):
        return "off" if value is False else super().convert(value, scope, line)


class _TextMapping(FieldType):
    """A mapping of text to a converted value, keeping each key's line (for located messages later)."""

    def __init__(self, value: FieldType, label: str):
        self.value, self.label = value, label

    def convert(self, value, scope, line):
        if not isinstance(value, Mapping):
            raise Invalid(f"expected {self.label}, got {type_name(value)}", "write one `key: value` per line")
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key.strip():
                raise Invalid(f"{key!r} is not text", "write the key as text", value.line_of(key))
            try:
                out[key.strip()] = (self.value.convert(item, scope, value.line_of(key)), value.line_of(key))
            except Invalid as e:
                raise Invalid(f"{key}: {e.message}", e.hint, e.line or value.line_of(key)) from None
        return out


#: Update periods by column kind, matched on the column's name: 国办秘函〔2019〕19号 (政府网站检查指标):
#: 动态、要闻类栏目 2 weeks, 通知公告、政策文件类栏目 6 months; 人事、规划计划类 1 year (issue 13).
DEFAULT_PERIODS = {"动态": "2周", "要闻": "2周", "通知公告": "6个月", "政策文件": "6个月", "人事": "1年",
                   "规划": "1年", "计划": "1年"}
#: Common misspellings of official names and terms (wrong → right); site.yaml `words` adds to them.
DEFAULT_WORDS = {
    "政府信息公开条列": "政府信息公开条例",
    "中华人民共合国": "中华人民共和国",
    "国务院办公室": "国务院办公厅",
    "文化与旅游部": "文化和旅游部",
    "依申清公开": "依申请公开",
    "规范型文件": "规范性文件",
    "行政覆议": "行政复议",
    "非物质文化遣产": "非物质文化遗产",
    "营商坏境": "营商环境",
    "贯切落实": "贯彻落实",
    "布署": "部署",
    "再接再励": "再接再厉",
    "按步就班": "按部就班",
    "一如继往": "一如既往",
    "融汇贯通": "融会贯通",
    "针贬时弊": "针砭时弊",
    "座谈汇": "座谈会",
}
SEVERITIES = ("error", "warning", "off")

INSPECTION_SCHEMA = Schema("inspection", [
    Field("update_periods", "update_periods", _TextMapping(PeriodType(), "a mapping of column-name word → period"),
          default=None,
          doc="Update period by a word in the column's name (replaces the defaults 动态/要闻 2周, 通知公告/政策文件 6个月, "
              "人事/规划/计划 1年). A column's own `更新周期` wins.", example="{动态: 2周, 政策文件: 6个月}"),
    Field("home_page", "home_page", PeriodType(), default=lambda: parse_period("2周"),
          doc="The home page must show something newer than this (default 2周).", example="2周"),
    Field("words", "words", _TextMapping(Text(), "a mapping of wrong word → right word"), default=dict,
          doc="错敏字: wrong → right words checked in every content file and site.yaml, added to the defaults.",
          example="{江洲市: 江州市}"),
    Field("default_words", "default_words", Boolean(), default=True,
          doc="Also check the built-in list of misspelt official names and terms.", example="true"),
    Field("severity", "severity", _TextMapping(_Severity(), "a mapping of rule code → error/warning/off"),
          default=dict, doc="Severity by rule code (README *Self-inspection*): error, warning or off.",
          example="{stale-column: error, wording: warning}"),
    Field("interpretation_required", "interpretation_required", ListOf(Choice("categories", "a 文种")),
          default=lambda: ["规范性文件"],
          doc="文种 whose current documents of the agency need a 政策解读 (default 规范性文件).",
          example="[规范性文件, 其他文件]"),
    Field("annual_reports_since", "annual_reports_since", Integer(2008, 2100), default=None,
          doc="First year that must have an annual report (default: the oldest report in the content).",
          example="2019"),
    Field("directory_max_age", "directory_max_age", PeriodType(), default=lambda: parse_period("1年"),
          doc="A directory entry's 更新日期 may be at most this old (default 1年).", example="1年"),
    Field("area_codes", "area_codes", ListOf(Text(pattern=r"0\d{2,3}", pattern_label="an area code such as 0792",
                                                  allow_numbers=True)), default=list,
          doc="Telephone area codes valid in the directory (default: the area code of agency.phone).",
          example='["0792"]'),
])

#: The column keys (added to the column schema of site.yaml).
COLUMN_FIELDS = [
    Field("更新周期", "update_period", PeriodType(), aliases=("update_period",), synonyms=("更新频率",),
          doc="How often the column must get a new item; the self-inspection reports it stale after that.",
          example="6个月"),
    Field("长期不更新", "no_update_reason", Text(), aliases=("no_update_reason",),
          doc="Why the column is not updated regularly (shown in the inspection report instead of a finding).",
          example="本栏目内容为长期有效的制度文件，有变化时更新。"),
]


@dataclass(frozen=True)
class InspectionSettings:
    """``inspection:`` validated, with its defaults filled in."""

    update_periods: dict[str, Period]
    home_page: Period
    words: dict[str, tuple[str, int]]  # wrong → (right, line in site.yaml; 0 for the defaults)
    severity: dict[str, tuple[str, int]]  # code → (severity, line)
    interpretation_required: tuple[str, ...]
    annual_reports_since: int | None
    directory_max_age: Period
    area_codes: tuple[str, ...]
    line: int = 0  # of `inspection:` in site.yaml
    end_line: int = 0  # its last line: the word list there is not checked for 错敏字

    @classmethod
    def from_values(cls, values: dict | None, line: int = 0, end_line: int = 0) -> "InspectionSettings":
        values = values or {f.attr: (f.default() if callable(f.default) else f.default)
                            for f in INSPECTION_SCHEMA.fields}
        periods = values["update_periods"]
        periods = {k: p for k, (p, _) in periods.items()} if periods is not None else \
            {k: parse_period(v) for k, v in DEFAULT_PERIODS.items()}
        words = {k: (v, 0) for k, v in DEFAULT_WORDS.items()} if values["default_words"] else {}
        words.update(values["words"])
        return cls(periods, values["home_page"], words, dict(values["severity"]),
                   tuple(values["interpretation_required"]), values["annual_reports_since"],
                   values["directory_max_age"], tuple(values["area_codes"]), line, end_line)
