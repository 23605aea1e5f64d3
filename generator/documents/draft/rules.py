"""The rules a draft's own file can be checked against: the length of its comment period and its report.

Thresholds come from site.yaml ``consultation`` (:class:`~generator.config.ConsultationRules`);
working days are counted with the official calendar and the site's corrections.
"""

from __future__ import annotations

import datetime as dt

from ...config import ConsultationRules, SiteConfig
from ...schema import Scope
from ...workdays import Calendar

MAJOR = "重大行政决策"
#: Where each minimum comes from, by 草案类型 (the site may raise it in site.yaml `consultation`).
SOURCES = {
    "一般政策文件": ("general_workdays", "北京市文化和旅游局2023年政务公开工作要点：不少于5个工作日"),
    "规范性文件": ("normative_workdays", "国办发〔2018〕37号：一般不少于7个工作日"),
    MAJOR: ("major_decision_days", "《重大行政决策程序暂行条例》第十五条：一般不少于30日"),
}


def days_text(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def calendar_of(config: SiteConfig) -> Calendar:
    return Calendar(config.extra_holidays, config.extra_workdays)


def period_length(kind: str, start: dt.date, deadline: dt.date, calendar: Calendar) -> tuple[int, str]:
    """The period in the unit its rule counts: calendar days for a 重大行政决策, else working days; both
    dates count, as a notice states it (征集时间为…至…)."""
    if kind == MAJOR:
        return (deadline - start).days + 1, "日"
    return calendar.is_workday(start) + calendar.working_days_after(start, deadline), "工作日"


def minimum(kind: str, rules: ConsultationRules) -> int:
    return getattr(rules, SOURCES[kind][0])


def earliest_deadline(kind: str, start: dt.date, need: int, calendar: Calendar) -> dt.date:
    """The first deadline that gives the period ``need`` units."""
    if kind == MAJOR:
        return start + dt.timedelta(days=need - 1)
    day = start
    while period_length(kind, start, day, calendar)[0] < need:
        day += dt.timedelta(days=1)
    return day


def check_period(values: dict, lines: dict[str, int], config: SiteConfig, scope: Scope) -> tuple[int, str] | None:
    """The period's length and unit; a deadline before the start is an error, a period shorter than the rule
    an error (a warning when 缩短理由 says why). ``None`` when the dates are wrong."""
    kind, start, deadline = values["kind"], values["start"], values["deadline"]
    if deadline < start:
        scope.error(lines["deadline"], f"征集截止日期 {deadline} is before 征集开始日期 {start}",
                    "the comment period runs from 征集开始日期 to 征集截止日期; check both dates", code="draft-period")
        return None
    calendar = calendar_of(config)
    length, unit = period_length(kind, start, deadline, calendar)
    need = minimum(kind, config.consultation)
    if length < need:
        key, source = SOURCES[kind]
        rule = source if need == getattr(ConsultationRules(), key) else f"site.yaml consultation.{key}: {need}"
        message = (f"the comment period {start} – {deadline} is {length} {unit}; a {kind} draft is open for at "
                   f"least {need} {unit} ({rule})")
        latest = earliest_deadline(kind, start, need, calendar)
        if values["shortened"]:
            scope.warning(lines["deadline"], message, "the period is shortened and 缩短理由 says why; make sure the "
                          f"reason is one the rule accepts (the full period would end on {latest})",
                          code="draft-period")
        else:
            scope.error(lines["deadline"], message, f"set `征集截止日期: {latest}` or later; if the period must be "
                        "shorter, say why in `缩短理由:` (it is shown on the page)", code="draft-period")
    return length, unit


def check_report(values: dict, lines: dict[str, int], config: SiteConfig, scope: Scope) -> bool:
    """The 征集情况说明 sums up a closed period: dated after the deadline, within the days the rule gives,
    its numbers consistent, the reasons for what was not adopted given."""
    r, deadline = values["report"], values["deadline"]
    ok = True
    if r["published"] <= deadline:
        scope.error(lines["published"], f"征集情况说明 is dated {r['published']}, not after the deadline {deadline}",
                    "the report sums up the comments once the period has closed: date it after 征集截止日期, or "
                    "correct 征集截止日期", code="draft-report")
        ok = False
    if r["adopted"] is not None and r["adopted"] > r["received"]:
        scope.error(lines["adopted"], f"采纳数 {r['adopted']} is more than 意见数 {r['received']}",
                    "采纳数 counts opinions adopted in full or in part, out of 意见数; check both numbers",
                    code="draft-report")
        ok = False
    if not ok:
        return False
    late = (r["published"] - deadline).days
    days = config.consultation.report_days
    if late > days:
        scope.warning(lines["published"], f"征集情况说明 published {late} days after the deadline {deadline}; the rule "
                      f"is within {days} days", f"publish the report within {days} days after the period closes "
                      "(北京市文化和旅游局2023年政务公开工作要点: 30日内); check the date", code="draft-report-late")
    if r["adopted"] is not None and r["adopted"] < r["received"] and not r["rejection"]:
        scope.warning(lines["adopted"], f"{r['received'] - r['adopted']} opinion(s) not adopted, and 未采纳理由 is "
                      "missing", "add `未采纳理由:`: opinions that are not adopted are answered with the reason "
                      "(国办发〔2018〕37号)", code="draft-report")
    return True
