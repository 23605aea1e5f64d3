"""Column rules: stale columns and home page, empty columns, columns with only expired items.

国办秘函〔2019〕19号 (政府网站检查指标) vetoes a site whose 动态/要闻 columns have not
been updated for 2 weeks or whose 通知公告/政策文件 columns have not been updated
for 6 months, and one whose home page has not changed for 2 weeks; empty
columns are a veto item too (gov-requirements.md B6, B7, from S19). A column's
period is its own ``更新周期`` in site.yaml, else the period of the first word
of ``inspection.update_periods`` its name contains; ``长期不更新`` exempts it.
"""

from __future__ import annotations

import datetime as dt

from ..config import CURRENT_STATES, REPEALED_STATES
from ..structure.columns import Column, walk_all
from .registry import ERROR, WARNING, Context, rule

_S19 = "国办秘函〔2019〕19号《政府网站检查指标》单项否决"


def date_of(site, doc) -> dt.date | None:
    """The date a document counts as new from (what its type's search shows: 发布日期, 更新日期 …)."""
    t = next((t for t in site.config.types if t.name == doc.type_name), None)
    if t is not None and t.search is not None:
        return t.search.date(doc)
    return getattr(doc, "published", None)


def _items(column: Column) -> list:
    """What the column and its sub-columns list (untracked: the inspection renders no page)."""
    return [item for c in column.walk() for item in c.items_untracked]


def period_of(column: Column, settings):
    if column.spec.update_period is not None:
        return column.spec.update_period, "更新周期"
    for word, period in settings.update_periods.items():
        if word in column.name:
            return period, f"“{word}”类栏目"
    return None, ""


def _newest(site, items: list) -> tuple[dt.date | None, object]:
    dated = [(d, item) for item in items if (d := date_of(site, item)) is not None and d <= site.today]
    return max(dated, key=lambda pair: pair[0], default=(None, None))


@rule("stale-column", "栏目更新不及时",
      f"{_S19}：监测时间点前2周内动态、要闻类栏目，以及前6个月内通知公告、政策文件类栏目未更新，累计超过5个"
      "（gov-requirements.md B7）；人事、规划计划类1年（issue 13，原文待核）",
      ("B7",), WARNING, summary="a column whose newest item is older than its update period")
def stale_columns(ctx: Context):
    site, settings = ctx.site, ctx.settings
    for column in walk_all(site.columns):
        period, why = period_of(column, settings)
        if period is None:
            continue
        if column.spec.no_update_reason:  # declared: shown in the report instead of a finding
            ctx.notes.append(f"栏目“{column.name}”声明长期不更新：{column.spec.no_update_reason}")
            continue
        newest, item = _newest(site, _items(column))
        if newest is None:
            continue  # empty: the empty-column rule
        if period.after(newest) < ctx.today:
            yield ctx.finding(
                "stale-column", site.config.path, column.spec.line,
                f"栏目“{column.name}”最新一条信息发布于{newest}（{item.title}），已超过更新周期{period}（{why}）",
                "发布新的信息；确属长期不需更新的栏目，在 site.yaml 该栏目下写明 `长期不更新: 原因`")


@rule("stale-home", "首页更新不及时", f"{_S19}：首页2周内未更新（gov-requirements.md B7）",
      ("B7", "C7"), WARNING, summary="nothing on the site newer than inspection.home_page (2 weeks)")
def stale_home(ctx: Context):
    site = ctx.site
    newest, item = _newest(site, site.documents)
    period = ctx.settings.home_page
    if newest is None or period.after(newest) < ctx.today:
        where = f"最新一条信息发布于{newest}（{item.title}）" if item is not None else "没有任何注明日期的信息"
        yield ctx.finding("stale-home", site.config.path, 1, f"首页{where}，已超过{period}",
                          "发布新的信息（首页列出全站最新发布的文件）")


rule("empty-column", "空白栏目",
     f"{_S19}：空白栏目超过5个（gov-requirements.md B6）", ("B6",), ERROR,
     diagnostics=("empty-column",), summary="a column that lists nothing and has no `empty_reason` (a build error)")()


def _admits_current(column: Column) -> bool:
    for attr, accepted in column.list.filters:
        if attr == "validity" and not accepted & CURRENT_STATES:
            return False
    return True


@rule("expired-only-column", "栏目内容均已失效",
      "空白栏目（gov-requirements.md B6）；失效、废止文件应标注并与现行有效文件分列（B6、D2、D3，国办发〔2017〕47号）",
      ("B6", "D2", "D3"), WARNING, summary="a column meant for current items whose items are all 失效/废止")
def expired_only(ctx: Context):
    for column in walk_all(ctx.site.columns):
        items = column.items_untracked
        if column.list is None or not items or not _admits_current(column):
            continue
        if all(getattr(item, "validity", None) in REPEALED_STATES for item in items):
            yield ctx.finding("expired-only-column", ctx.config.path, column.spec.line,
                              f"栏目“{column.name}”列出的{len(items)}条信息均已失效或废止",
                              "发布现行有效的信息，或把这些文件移到“废止和失效”栏目（`validity: repealed`）")
