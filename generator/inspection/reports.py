"""Annual report rules: the previous year's report by 1月31日, no year missing, figures that agree.

条例 第四十九条: 县级以上政府部门 publish last year's 政府信息公开工作年度报告 by
1月31日 (gov-requirements.md F1). The figures of table 二 are compared with the
library by the build (``annual-report-library``, F3/D9) and between years
(``annual-report-series``, F7); the inspection files those under their rules.
"""

from __future__ import annotations

import datetime as dt

from ..errors import display_path
from ..structure.columns import walk_all
from .registry import ERROR, WARNING, Context, rule

_ART49 = "《中华人民共和国政府信息公开条例》第四十九条：每年1月31日前公布上一年度政府信息公开工作年度报告（gov-requirements.md F1）"


def due_year(today: dt.date) -> int:
    """The newest year whose report is due on ``today``: last year's after 1月31日, else the year before."""
    return today.year - 1 if today > dt.date(today.year, 1, 31) else today.year - 2


def _where(ctx: Context) -> tuple[object, int]:
    """Where a missing report is reported: the 年报 column in site.yaml, else the report folder."""
    column = next((c for c in walk_all(ctx.site.columns) if c.list is not None and c.list.type == "annual_report"),
                  None)
    if column is not None:
        return ctx.config.path, column.spec.line
    folder = next(t.folder for t in ctx.config.types if t.name == "annual_report")
    return ctx.config.content_dir / folder, 0


@rule("annual-report-missing", "年度报告缺失", _ART49, ("F1", "F9"), ERROR, types=("annual_report",),
      summary="last year's report missing after 1月31日, or any year missing since the first")
def missing_reports(ctx: Context):
    reports = ctx.site.library.get("annual_report", [])
    years = {r.year for r in reports}
    last = due_year(ctx.today)
    first = ctx.settings.annual_reports_since or min(years, default=last)
    folder = next(t.folder for t in ctx.config.types if t.name == "annual_report")
    path, line = _where(ctx)
    for year in range(first, last + 1):
        if year in years:
            continue
        deadline = dt.date(year + 1, 1, 31)
        yield ctx.finding("annual-report-missing", path, line,
                          f"没有{year}年政府信息公开工作年度报告（应于{deadline}前公布）",
                          f"按国家格式（国办公开办函〔2021〕30号）编写 "
                          f"{display_path(ctx.config.content_dir / folder / f'{year}.yaml')}；可复制上一年度的文件修改")


@rule("annual-report-late", "年度报告发布晚于1月31日", _ART49, ("F1",), WARNING, types=("annual_report",),
      summary="a report whose 发布日期 is after 1月31日 of the next year")
def late_reports(ctx: Context):
    for rep in ctx.site.library.get("annual_report", []):
        deadline = dt.date(rep.year + 1, 1, 31)
        if rep.published > deadline:
            yield ctx.finding("annual-report-late", rep.source, rep.lines.get("published", rep.line),
                              f"{rep.year}年度报告发布于{rep.published}，晚于{deadline}",
                              "核对发布日期；逾期发布须在报告中说明原因并整改")


rule("annual-report-library", "年度报告数字与文件库不符",
     "国办公开办函〔2021〕30号 年度报告格式 表二 第二十条第（一）项（gov-requirements.md F3、D9）",
     ("F3", "D9"), WARNING, diagnostics=("annual-report-library",),
     summary="table 二's 行政规范性文件 numbers differ from the documents the library holds for that year")()
rule("annual-report-series", "年度报告前后年度不衔接",
     "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止；上年结转 = 上年结转下年度（gov-requirements.md F7）；"
     "不得内容雷同（国办公开办函〔2021〕30号，F9）", ("F7", "F9"), WARNING, diagnostics=("annual-report-series",),
     summary="consecutive reports that do not carry over, or copied text")()
rule("annual-report-sum", "年度报告表格勾稽关系错误",
     "国办公开办函〔2021〕30号 年度报告格式 表三“本列数据的勾稽关系”、表四总计（gov-requirements.md F5、F6）",
     ("F5", "F6"), ERROR, diagnostics=("annual-report-sum",), summary="a total or 勾稽关系 of tables 三/四 broken")()
