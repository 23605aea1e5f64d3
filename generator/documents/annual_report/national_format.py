"""The national 2021 format itself: the columns, rows and titles of the report's tables, as data.

Separate because everything else (reading, the arithmetic rules, the
printed tables, the cross-checks) is written against these names and none
of it belongs in the table of the format.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A data column of a table; ``aliases`` are the short names editors write in mapping rows."""

    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowSpec:
    """One row (or group of rows) of the national format: YAML key, code name, printed label."""

    key: str
    attr: str
    label: str
    children: tuple["RowSpec", ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Node:
    """A column header of the printed table; leaves are data columns."""

    label: str
    children: tuple["Node", ...] = ()


# Section 二 (第二十条第（一）（五）（六）（八）项).
ISSUED, REPEALED, IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"
_DOC_COLUMNS = (Column(ISSUED, ("本年制发",)), Column(REPEALED, ("本年废止",)), Column(IN_FORCE, ("现行有效",)))
_DECISIONS = (Column("本年处理决定数量", ("处理决定数量",)),)
_AMOUNT = (Column("本年收费金额（单位：万元）", ("本年收费金额", "收费金额")),)


@dataclass(frozen=True)
class _Block:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[RowSpec, ...]
    money: bool = False


PROACTIVE_BLOCKS = (
    _Block("第二十条第（一）项 规章和行政规范性文件", _DOC_COLUMNS, (
        RowSpec("规章", "rules", "规章"),
        RowSpec("行政规范性文件", "normative", "行政规范性文件", aliases=("规范性文件",)),
    )),
    _Block("第二十条第（五）项 行政许可", _DECISIONS, (RowSpec("行政许可", "licensing", "行政许可"),)),
    _Block("第二十条第（六）项 行政处罚和行政强制", _DECISIONS, (
        RowSpec("行政处罚", "penalty", "行政处罚"),
        RowSpec("行政强制", "enforcement", "行政强制"),
    )),
    _Block("第二十条第（八）项 行政事业性收费", _AMOUNT, (RowSpec("行政事业性收费", "fees", "行政事业性收费"),),
           money=True),
)

# Section 三: who applied (columns) and what became of the applications (rows).
APPLICANT_COLUMNS = (
    Column("自然人"), Column("商业企业"), Column("科研机构"), Column("社会公益组织"), Column("法律服务机构"),
    Column("其他"), Column("总计", ("合计",)),
)
_APPLICANT_HEAD = (Node("申请人情况", (
    Node("自然人"),
    Node("法人或其他组织", tuple(Node(c.label) for c in APPLICANT_COLUMNS[1:6])),
    Node("总计"),
)),)
#: The printed corner of table 三 states the column rule; it is a note, not a header.
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

_N = lambda key, attr, label, *aliases: RowSpec(key, attr, label, aliases=aliases)  # noqa: E731

REQUEST_ROWS = (
    _N("本年新收", "new", "一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
    _N("上年结转", "carried_over", "二、上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量"),
    RowSpec("本年度办理结果", "results", "三、本年度办理结果", (
        _N("予以公开", "disclosed", "（一）予以公开"),
        _N("部分公开", "partly", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
           "部分公开（区分处理的，只计这一情形，不计其他情形）"),
        RowSpec("不予公开", "withheld", "（三）不予公开", (
            _N("属于国家秘密", "state_secret", "1.属于国家秘密"),
            _N("其他法律行政法规禁止公开", "prohibited", "2.其他法律行政法规禁止公开"),
            _N("危及“三安全一稳定”", "three_safety", "3.危及“三安全一稳定”", "危及三安全一稳定",
               '危及"三安全一稳定"'),
            _N("保护第三方合法权益", "third_party", "4.保护第三方合法权益"),
            _N("属于三类内部事务信息", "internal", "5.属于三类内部事务信息"),
            _N("属于四类过程性信息", "process", "6.属于四类过程性信息"),
            _N("属于行政执法案卷", "enforcement_files", "7.属于行政执法案卷"),
            _N("属于行政查询事项", "inquiry", "8.属于行政查询事项"),
        )),
        RowSpec("无法提供", "unable", "（四）无法提供", (
            _N("本机关不掌握相关政府信息", "not_held", "1.本机关不掌握相关政府信息"),
            _N("没有现成信息需要另行制作", "needs_creation", "2.没有现成信息需要另行制作"),
            _N("补正后申请内容仍不明确", "unclear", "3.补正后申请内容仍不明确"),
        )),
        RowSpec("不予处理", "not_processed", "（五）不予处理", (
            _N("信访举报投诉类申请", "petition", "1.信访举报投诉类申请"),
            _N("重复申请", "repeated", "2.重复申请"),
            _N("要求提供公开出版物", "publication", "3.要求提供公开出版物"),
            _N("无正当理由大量反复申请", "excessive", "4.无正当理由大量反复申请"),
            _N("要求行政机关确认或重新出具已获取信息", "confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        )),
        RowSpec("其他处理", "other", "（六）其他处理", (
            _N("逾期不补正", "no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
               "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "申请人无正当理由逾期不补正"),
            _N("逾期未缴费", "unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
               "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "申请人逾期未按收费通知要求缴纳费用"),
            _N("其他", "other", "3.其他"),
        )),
        _N("总计", "total", "（七）总计", "合计"),
    )),
    _N("结转下年度继续办理", "carried_forward", "四、结转下年度继续办理", "结转下年度"),
)

# Section 四: three groups of five numbers, printed as one row under a three-level header.
OUTCOME_COLUMNS = (Column("结果维持"), Column("结果纠正"), Column("其他结果"), Column("尚未审结"),
                   Column("总计", ("合计",)))
APPEAL_ROWS = (
    _N("行政复议", "review", "行政复议"),
    RowSpec("行政诉讼", "litigation", "行政诉讼", (
        _N("未经复议直接起诉", "direct", "未经复议直接起诉"),
        _N("复议后起诉", "after_review", "复议后起诉"),
    )),
)

SECTION_TITLES = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                  "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")
NUMERALS = ("一", "二", "三", "四", "五", "六")
T_PROACTIVE, T_REQUESTS, T_APPEALS = SECTION_TITLES[1:4]
