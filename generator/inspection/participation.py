"""Public participation: drafts for comment, the decision catalogue, published citizen messages.

The build already checks these where the documents are read and linked
(``generator.documents.draft``, ``.decision_catalogue``, ``.message``), against
the build date; the inspection files their diagnostics under rules with the
source each one comes from, so the report says why a finding matters.
"""

from __future__ import annotations

from .registry import ERROR, WARNING, rule

rule("draft-report-overdue", "意见征集情况说明逾期未公布",
     "北京市文化和旅游局2023年政务公开工作要点：征集结束后30日内公布意见征集情况说明（seed 000）；"
     "阈值见 site.yaml consultation.report_days",
     (), WARNING, diagnostics=("draft-report-overdue", "draft-report-late"), types=("draft",),
     summary="a draft for comment without its 征集情况说明 more than 30 days after the deadline, or with a late one")()

rule("draft-period", "意见征集期过短",
     "国办发〔2018〕37号：规范性文件征求意见一般不少于7个工作日；《重大行政决策程序暂行条例》第十五条：一般不少于30日；"
     "北京市2023年要点：不少于5个工作日（site.yaml consultation）",
     (), ERROR, diagnostics=("draft-period",), types=("draft",),
     summary="a comment period shorter than the rule for its 草案类型")()

rule("decision-overdue", "重大行政决策事项逾期未形成决策文件",
     "上海市文化和旅游局2023年政务公开工作要点：重大行政决策事项目录及决策过程材料、决策文件（seed 001）",
     (), WARNING, diagnostics=("decision-overdue",), types=("decision_catalogue",),
     summary="a catalogue item past its 计划完成时间 without a final document")()

rule("reply-late", "网民留言答复超时",
     "重庆市文化和旅游发展委员会2021年政务公开工作要点任务分工：按规定时限回答群众咨询来信（5个工作日，seed 004）；"
     "阈值见 site.yaml messages.reply_limit",
     (), WARNING, diagnostics=("reply-late",), types=("message",),
     summary="a published message answered later than the reply limit in working days")()
