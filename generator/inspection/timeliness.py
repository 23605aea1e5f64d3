"""Timeliness rules: publication within 20 working days, interpretations with their policies.

条例 第二十六条: 属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个
工作日内及时公开 (gov-requirements.md C4). Interpretations: 国办发〔2016〕19号,
within 3 working days (E3), and 三同步 (E2); the build checks both
(``interpretation-timing``, ``no-interpretation`` for 规范性文件) and keeps
doing so; the inspection files them here, and extends the second to the
other 文种 of ``inspection.interpretation_required``.
"""

from __future__ import annotations

from ..config import CURRENT_STATES
from .registry import WARNING, Context, rule

#: 条例 第二十六条.
PUBLICATION_DEADLINE = 20


@rule("late-publication", "主动公开不及时",
      "《中华人民共和国政府信息公开条例》第二十六条：自形成或者变更之日起20个工作日内公开（gov-requirements.md C4）",
      ("C4",), WARNING, types=("policy",),
      summary="an own document published more than 20 working days after its 成文日期")
def late_publication(ctx: Context):
    calendar = ctx.calendar
    for p in ctx.site.library.get("policy", []):
        if p.issuer not in ctx.config.own_issuers:
            continue  # laws and other bodies' documents are published by their issuers
        late = calendar.working_days_after(p.written, p.published)
        if late > PUBLICATION_DEADLINE:
            yield ctx.finding("late-publication", p.source, p.lines["published"],
                              f"成文日期{p.written}，发布日期{p.published}：相隔{late}个工作日，超过{PUBLICATION_DEADLINE}个工作日",
                              "核对两个日期；确属逾期公开的，查明原因并整改")


rule("interpretation-timing", "政策解读发布不及时",
     "国办发〔2016〕19号：解读材料应在文件公布后3个工作日内发布（gov-requirements.md E3）；三同步（E2）",
     ("E2", "E3"), WARNING, diagnostics=("interpretation-timing",), types=("interpretation",),
     summary="an interpretation published before its policy or more than 3 working days after it")()


@rule("no-interpretation", "文件缺少政策解读",
      "三同步：文件与解读同步发布、关联发布（gov-requirements.md E2，S9）；重要政策文件应发布解读（国办发〔2017〕47号，E1）",
      ("E1", "E2"), WARNING, diagnostics=("no-interpretation",), types=("policy", "interpretation"),
      summary="a current own document of a 文种 in inspection.interpretation_required without a 政策解读")
def missing_interpretations(ctx: Context):
    required = set(ctx.settings.interpretation_required) - {"规范性文件"}  # 规范性文件: the build reports them
    for p in ctx.site.library.get("policy", []):
        if p.category in required and p.validity in CURRENT_STATES and p.issuer in ctx.config.own_issuers \
                and not p.interpretations:
            yield ctx.finding("no-interpretation", p.source, p.lines["category"],
                              f"现行有效的{p.category}没有政策解读",
                              f"在 content/interpretations/ 发布解读（`解读文件: [{p.id}]`）")
