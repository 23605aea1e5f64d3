"""The annual report (政府信息公开工作年度报告): reading, the arithmetic rules, CSV, library cross-check, template.

Each test writes one report into a scratch content folder, breaks one cell,
and asserts the diagnostic names the table, the row, the column and both
numbers, at the line of the cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from generator.readers.markdown import resolve_links
from bs4 import BeautifulSoup

from conftest import SITE_YAML, THEME, line_of, policy
from generator.config import load_config
from generator.documents import TYPES
from generator.errors import Report
from generator.render.environment import date_iso
from generator.schema import reference_table
from generator.documents.annual_report import (ANNUAL_REPORT_SCHEMAS, AnnualReport, check_against_library,
                                               check_years, csv_rows, library_counts, read_annual_report)
from generator.documents.policy import read_policy
from generator.render.exports import csv_text


def to_csv(rep) -> str:
    return csv_text(csv_rows(rep))


T2 = "主动公开政府信息情况"
T3 = "收到和处理政府信息公开申请情况"
T4 = "政府信息公开行政复议、行政诉讼情况"
FEE = "本年收费金额（单位：万元）"

VALID = """\
年度: 2023
标题: 测试市文化和旅游局2023年政府信息公开工作年度报告
发布机构: 测试市文化和旅游局
发布日期: 2024-01-26
索引号: 000014349/2024-00002

总体情况: |
  2023年，本局持续推进政务公开工作。

  # 主动公开
  全年主动公开政府信息120条。

主动公开政府信息情况:
  规章: [0, 0, 0]
  行政规范性文件: [2, 1, 3]
  行政许可: 186
  行政处罚: 47
  行政强制: 3
  行政事业性收费: 12.35
  说明: 收费为**档案查阅**工本费。

收到和处理政府信息公开申请情况:
  本年新收: [21, 4, 0, 1, 2, 0, 28]
  上年结转: [2, 0, 0, 0, 0, 0, 2]
  本年度办理结果:
    予以公开: [9, 2, 0, 1, 0, 0, 12]
    部分公开: [2, 1, 0, 0, 0, 0, 3]
    不予公开:
      属于国家秘密: [0, 0, 0, 0, 0, 0, 0]
      其他法律行政法规禁止公开: [0, 0, 0, 0, 0, 0, 0]
      危及“三安全一稳定”: [0, 0, 0, 0, 0, 0, 0]
      保护第三方合法权益: [1, 0, 0, 0, 0, 0, 1]
      属于三类内部事务信息: [1, 0, 0, 0, 0, 0, 1]
      属于四类过程性信息: [0, 1, 0, 0, 0, 0, 1]
      属于行政执法案卷: [1, 0, 0, 0, 1, 0, 2]
      属于行政查询事项: [0, 0, 0, 0, 0, 0, 0]
    无法提供:
      本机关不掌握相关政府信息: [3, 0, 0, 0, 0, 0, 3]
      没有现成信息需要另行制作: [1, 0, 0, 0, 0, 0, 1]
      补正后申请内容仍不明确: [1, 0, 0, 0, 0, 0, 1]
    不予处理:
      信访举报投诉类申请: [1, 0, 0, 0, 0, 0, 1]
      重复申请: [1, 0, 0, 0, 0, 0, 1]
      要求提供公开出版物: [0, 0, 0, 0, 0, 0, 0]
      无正当理由大量反复申请: [0, 0, 0, 0, 0, 0, 0]
      要求行政机关确认或重新出具已获取信息: [0, 0, 0, 0, 0, 0, 0]
    其他处理:
      逾期不补正: [1, 0, 0, 0, 0, 0, 1]
      逾期未缴费: [0, 0, 0, 0, 0, 0, 0]
      其他: [0, 0, 0, 0, 0, 0, 0]
    总计: [22, 4, 0, 1, 1, 0, 28]
  结转下年度继续办理: [1, 0, 0, 0, 1, 0, 2]

政府信息公开行政复议、行政诉讼情况:
  行政复议: [1, 1, 0, 0, 2]
  行政诉讼:
    未经复议直接起诉: [0, 0, 0, 1, 1]
    复议后起诉: [0, 0, 0, 0, 0]

存在的主要问题及改进情况: |
  一是解读形式较为单一；二是个别信息发布不够及时。

其他需要报告的事项: 本局2023年未收取信息处理费。
"""


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return folder


@pytest.fixture
def config(content):
    report = Report()
    cfg = load_config(content, report, TYPES)
    assert cfg is not None, [d.format() for d in report.diagnostics]
    return cfg


class Result:
    def __init__(self, rep: AnnualReport | None, report: Report, text: str, path: Path):
        self.rep, self.report, self.text, self.path = rep, report, text, path

    def line(self, needle: str) -> int:
        return line_of(self.text, needle)

    def at(self, line: int, level: str = "error") -> list[str]:
        """The diagnostics (message + hint) reported at ``line``."""
        found = [d for d in self.report.diagnostics if d.line == line and str(d.level) == level]
        return [f"{d.message}\n{d.hint}" for d in found]

    def errors(self) -> list[str]:
        return [d.format() for d in self.report.errors]

    def warnings(self) -> list[str]:
        return [d.format() for d in self.report.warnings]


def read(content: Path, config, text: str = VALID, name: str = "2023.yaml") -> Result:
    path = content / "annual-reports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    report = Report()
    return Result(read_annual_report(path, config, report), report, text, path)


def change(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def only_error_at(result: Result, needle: str) -> str:
    """The single error at the line containing ``needle``, with its hint."""
    found = result.at(result.line(needle))
    assert len(found) == 1, result.errors()
    return found[0]


# --------------------------------------------------------------------------- a valid report


def test_valid_report_reads_without_diagnostics(content, config):
    r = read(content, config)
    assert r.report.diagnostics == []
    rep = r.rep
    assert rep is not None and rep.type_name == "annual_report" and rep.id == "2023"
    assert (rep.year, rep.title, rep.issuer, rep.index_no) == (
        2023, "测试市文化和旅游局2023年政府信息公开工作年度报告", "测试市文化和旅游局", "000014349/2024-00002")
    assert rep.published == dt.date(2024, 1, 26)
    assert [s.heading for s in rep.sections] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert len(rep.tables) == 6  # four blocks of 二, one each for 三 and 四
    assert rep.proactive["normative"].values == [2, 1, 3]
    assert rep.proactive["fees"].values == [Decimal("12.35")]
    assert rep.requests["results.withheld.enforcement_files"].values == [1, 0, 0, 0, 1, 0, 2]
    assert rep.appeals["litigation.direct"].values == [0, 0, 0, 1, 1]
    assert rep.requests["new"].cell("商业企业").line == r.line("本年新收")


def test_markdown_sections_are_rendered_and_headings_sit_below_the_section(content, config):
    rep = read(content, config).rep
    overview = str(rep.sections[0].text.html)
    assert "<h3" in overview and "<h2" not in overview  # "# 主动公开" is below the section's <h2>
    assert 'id="part-1-' in overview
    assert "<strong>档案查阅</strong>" in str(rep.sections[1].note.html)
    assert "未收取信息处理费" in rep.sections[5].text.text


def test_markdown_is_sanitised_and_bad_links_are_located(content, config):
    text = change(VALID, "  全年主动公开政府信息120条。",
                  "  全年主动公开政府信息120条。<script>alert(1)</script>\n  见[附件](files/missing.pdf)。")
    r = read(content, config, text)
    assert any("files/missing.pdf" in e and f":{r.line('missing.pdf')}:" in e for e in r.errors()), r.errors()
    text = change(VALID, "  全年主动公开政府信息120条。", "  全年主动公开政府信息120条。<script>alert(1)</script>")
    rep = read(content, config, text).rep
    assert "<script" not in str(rep.sections[0].text.html)


def test_links_to_documents_are_bound_by_the_site(content, config):
    (content / "policies").mkdir()
    (content / "policies" / "a.md").write_text(policy(), encoding="utf-8")
    text = change(VALID, "  全年主动公开政府信息120条。", "  全年主动公开政府信息120条，见[要点](../policies/a.md)。")
    rep = read(content, config, text).rep
    assert [ref.target for ref in rep.links] == ["policies/a.md"]
    text_block = rep.sections[0].text
    assert 'href="../../zcwj/a/"' in resolve_links(text_block.html, text_block.links, lambda ref: "../../zcwj/a/")


def test_national_numbering_in_keys_is_accepted(content, config):
    text = VALID
    for old, new in (("主动公开政府信息情况:", "二、主动公开政府信息情况:"),
                     ("  本年新收:", "  一、本年新收政府信息公开申请数量:"),
                     ("  本年度办理结果:", "  三、本年度办理结果:"),
                     ("    不予公开:", "    （三）不予公开:"),
                     ("      属于国家秘密:", "      1.属于国家秘密:"),
                     ("    总计:", "    （七）总计:")):
        text = change(text, old, new)
    r = read(content, config, text)
    assert r.report.diagnostics == [] and r.rep is not None


def test_a_row_may_be_a_mapping_of_columns(content, config):
    text = change(VALID, "  行政规范性文件: [2, 1, 3]", "  行政规范性文件: {本年制发: 2, 本年废止件数: 1, 现行有效: 3}")
    r = read(content, config, text)
    assert r.report.diagnostics == []
    assert r.rep.proactive["normative"].values == [2, 1, 3]
    text = change(VALID, "  行政规范性文件: [2, 1, 3]", "  行政规范性文件: {本年制发: 2, 本年废除: 1, 现行有效: 3}")
    r = read(content, config, text)
    err = only_error_at(r, "行政规范性文件")
    assert "unknown column '本年废除'" in err and "did you mean '本年废止'" in err


# --------------------------------------------------------------------------- the rules of table 三


def test_row_total_must_be_the_sum_of_the_applicant_columns(content, config):
    text = change(VALID, "[9, 2, 0, 1, 0, 0, 12]", "[9, 2, 0, 1, 0, 0, 13]")
    r = read(content, config, text)
    assert r.rep is None
    err = only_error_at(r, "予以公开")
    assert T3 in err and "本年度办理结果 › 予以公开" in err
    assert "总计 is 13 but 自然人 … 其他 add up to 12" in err
    assert "自然人 9 + 商业企业 2" in err  # the hint shows the addition


def test_each_column_balances_received_and_handled(content, config):
    # 本年新收 自然人 21 → 22 with a consistent row total: only the column rules can catch it.
    text = change(VALID, "[21, 4, 0, 1, 2, 0, 28]", "[22, 4, 0, 1, 2, 0, 29]")
    r = read(content, config, text)
    found = r.at(r.line("结转下年度继续办理"))
    natural = [e for e in found if "column 自然人" in e]
    assert len(natural) == 1, r.errors()
    err = natural[0]
    assert T3 in err
    assert "本年新收 + 上年结转 = 22 + 2 = 24" in err
    assert "本年度办理结果 › 总计 + 结转下年度继续办理 = 22 + 1 = 23" in err
    assert f"line {r.line('本年新收')}" in err  # the hint points at the other rows
    assert any("column 总计" in e for e in found)
    assert not any("column 商业企业" in e for e in r.errors())


def test_total_of_results_is_the_sum_of_every_result_row(content, config):
    # 予以公开 gains one application for 自然人 and in its row total; 总计 does not follow.
    text = change(VALID, "[9, 2, 0, 1, 0, 0, 12]", "[10, 2, 0, 1, 0, 0, 13]")
    r = read(content, config, text)
    found = r.at(r.line("    总计:"))
    natural = [e for e in found if "column 自然人" in e]
    assert len(natural) == 1, r.errors()
    err = natural[0]
    assert f"{T3} › 本年度办理结果 › 总计, column 自然人: 总计 is 22 but 予以公开 … 其他处理 add up to 23" in err
    assert "予以公开 10 + 部分公开 2 + 不予公开 3 + 无法提供 5 + 不予处理 2 + 其他处理 1 = 23" in err
    assert any("column 总计" in e and "总计 is 28" in e and "add up to 29" in e for e in found)


def test_every_row_and_column_is_checked_at_once(content, config):
    text = change(VALID, "[9, 2, 0, 1, 0, 0, 12]", "[9, 2, 0, 1, 0, 0, 13]")
    text = change(text, "[1, 0, 0, 0, 0, 0, 1]\n      属于三类", "[1, 0, 0, 0, 0, 0, 2]\n      属于三类")
    r = read(content, config, text)
    rows = [e for e in r.errors() if "总计 is" in e and "自然人 … 其他" in e]
    assert len(rows) == 2, r.errors()


# --------------------------------------------------------------------------- table 四


@pytest.mark.parametrize("needle, old, new, row, numbers", [
    ("行政复议:", "[1, 1, 0, 0, 2]", "[1, 1, 0, 0, 3]", "行政复议", "1 + 1 + 0 + 0 = 2"),
    ("复议后起诉:", "复议后起诉: [0, 0, 0, 0, 0]", "复议后起诉: [1, 0, 0, 0, 0]", "行政诉讼 › 复议后起诉",
     "1 + 0 + 0 + 0 = 1"),
])
def test_appeal_totals(content, config, needle, old, new, row, numbers):
    r = read(content, config, change(VALID, old, new))
    err = only_error_at(r, needle)
    assert f"{T4} › {row}: 总计 is" in err and numbers in err


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize("old, new, message, hint", [
    ("属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", "属于国家秘密: [0, -1, 0, 0, 0, 0, 0]",
     f"{T3} › 本年度办理结果 › 不予公开 › 属于国家秘密 › 商业企业: -1 is negative", "cannot be negative"),
    ("属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", "属于国家秘密: [0, 0, 2.5, 0, 0, 0, 0]",
     "属于国家秘密 › 科研机构: 2.5 is not a whole number", "whole number"),
    ("属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", "属于国家秘密: [0, 0, 0, 0, 0, 0, 1.0]",
     "属于国家秘密 › 总计: 1.0 is not a whole number", "write 1"),
    ("属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", "属于国家秘密: [三, 0, 0, 0, 0, 0, 0]",
     "属于国家秘密 › 自然人: expected a number, got text '三'", "digits only"),
    ("属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", '属于国家秘密: ["3", 0, 0, 0, 0, 0, 0]',
     "属于国家秘密 › 自然人: expected a number, got text '3'", "remove the quotes"),
    ("属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", "属于国家秘密: [０, 0, 0, 0, 0, 0, 0]",
     "属于国家秘密 › 自然人: expected a number", "ASCII digits"),
    ("属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", "属于国家秘密: [~, 0, 0, 0, 0, 0, 0]",
     "属于国家秘密 › 自然人: the cell is empty", "write 0"),
    ("属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", "属于国家秘密: [0, 0, 0, 0, 0, 0]",
     "属于国家秘密: 6 number(s) but the table has 7 columns", "[0, 0, 0, 0, 0, 0, 0]"),
    ("行政许可: 186", "行政许可: -186", f"{T2} › 行政许可 › 本年处理决定数量: -186 is negative", "cannot be negative"),
    ("行政许可: 186", "行政许可: 18.6", f"{T2} › 行政许可 › 本年处理决定数量: 18.6 is not a whole number", ""),
    ("行政事业性收费: 12.35", "行政事业性收费: -0.5", f"{T2} › 行政事业性收费 › {FEE}: -0.5 is negative", ""),
    ("行政事业性收费: 12.35", "行政事业性收费: 12万", f"{T2} › 行政事业性收费 › {FEE}: expected a number, got text '12万'",
     ""),
    ("行政事业性收费: 12.35", "行政事业性收费: true", f"{T2} › 行政事业性收费 › {FEE}: expected a number, got true/false",
     "digits only"),
])
def test_bad_cells_are_located_and_named(content, config, old, new, message, hint):
    r = read(content, config, change(VALID, old, new))
    assert r.rep is None
    err = only_error_at(r, new.split(":")[0] + ":")
    assert message in err and hint in err.split("\n", 1)[1]


def test_every_bad_cell_is_reported_at_once(content, config):
    text = change(VALID, "属于国家秘密: [0, 0, 0, 0, 0, 0, 0]", "属于国家秘密: [-1, x, 0, 0, 0, 0, 0]")
    text = change(text, "行政强制: 3", "行政强制: 三")
    text = change(text, "标题: 测试市", "名称: 测试市")
    r = read(content, config, text)
    assert len(r.errors()) == 5, r.errors()  # two cells, one cell, unknown 名称, missing 标题


def test_a_block_list_locates_each_cell_on_its_own_line(content, config):
    block = "行政复议:\n    - 1\n    - 1\n    - 0\n    - -4\n    - 2"
    r = read(content, config, change(VALID, "行政复议: [1, 1, 0, 0, 2]", block))
    assert r.at(r.line("    - -4")) == [f"{T4} › 行政复议 › 尚未审结: -4 is negative\ncounts and amounts cannot be "
                                          "negative"]


# --------------------------------------------------------------------------- keys


def test_unknown_row_suggests_the_national_name_and_the_row_is_missing(content, config):
    r = read(content, config, change(VALID, "      属于国家秘密:", "      属于国家机密:"))
    unknown, missing = r.at(r.line("属于国家机密"))  # a missing row is reported where its group starts
    assert f"unknown field '属于国家机密' in {T3} › 本年度办理结果 › 不予公开" in unknown
    assert "did you mean '属于国家秘密'?" in unknown
    assert "missing required field '属于国家秘密'" in missing and "[0, 0, 0, 0, 0, 0, 0]" in missing
    assert len(r.errors()) == 2


def test_missing_row_is_an_error(content, config):
    r = read(content, config, change(VALID, "      重复申请: [1, 0, 0, 0, 0, 0, 1]\n", ""))
    err = only_error_at(r, "信访举报投诉类申请")
    assert f"missing required field '重复申请' in {T3} › 本年度办理结果 › 不予处理" in err


def test_missing_section_is_an_error(content, config):
    r = read(content, config, change(VALID, "其他需要报告的事项: 本局2023年未收取信息处理费。\n", ""))
    assert any("missing required field '其他需要报告的事项'" in e for e in r.errors())


def test_issuer_comes_from_the_vocabulary(content, config):
    r = read(content, config, change(VALID, "发布机构: 测试市文化和旅游局", "发布机构: 测试市文旅局"))
    err = only_error_at(r, "发布机构")
    assert "'测试市文旅局' is not an issuer" in err


# --------------------------------------------------------------------------- year and dates


def test_year_must_match_the_file_name(content, config):
    r = read(content, config, name="2024.yaml")
    err = only_error_at(r, "年度:")
    assert "年度 is 2023 but the file is named 2024.yaml" in err and "2023.yaml" in err
    r = read(content, config, name="report.yaml")
    assert any("'report.yaml' is not a year" in e for e in r.errors()) and len(r.errors()) == 1


def test_publication_must_follow_the_year(content, config):
    r = read(content, config, change(VALID, "发布日期: 2024-01-26", "发布日期: 2023-12-31"))
    err = only_error_at(r, "发布日期")
    assert "2023-12-31 is not after the end of 2023" in err
    assert r.rep is None


def test_publication_after_the_deadline_is_a_warning(content, config):
    r = read(content, config, change(VALID, "发布日期: 2024-01-26", "发布日期: 2024-02-01"))
    assert r.rep is not None and r.errors() == []
    warning = r.at(r.line("发布日期"), "warning")
    assert len(warning) == 1 and "after 1月31日 2024" in warning[0]


def test_a_title_of_another_year_is_a_warning(content, config):
    r = read(content, config, change(VALID, "标题: 测试市文化和旅游局2023年", "标题: 测试市文化和旅游局2022年"))
    assert r.rep is not None
    assert any("does not mention the year 2023" in w for w in r.at(r.line("标题"), "warning"))


def test_date_checks_run_even_when_a_table_has_errors(content, config):
    text = change(VALID, "发布日期: 2024-01-26", "发布日期: 2023-06-01")
    text = change(text, "行政强制: 3", "行政强制: -3")
    r = read(content, config, text)
    assert r.at(r.line("发布日期")) and r.at(r.line("行政强制"))


# --------------------------------------------------------------------------- CSV


def parse_csv(text: str) -> list[list[list[str]]]:
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    blocks, current = [], []
    for row in rows:
        if not row:
            blocks.append(current)
            current = []
        else:
            current.append(row)
    blocks.append(current)
    return blocks


def test_csv_has_one_block_per_table_with_the_numbers(content, config):
    rep = read(content, config).rep
    text = to_csv(rep)
    assert "\r\n" in text and to_csv(rep) == text
    info, *tables = parse_csv(text)
    assert info[0] == [rep.title] and ["发布日期", "2024-01-26"] in info
    assert len(tables) == 6
    first = tables[0]
    assert first[0][0].startswith("二、主动公开政府信息情况 第二十条第（一）项")
    assert first[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert first[3] == ["行政规范性文件", "2", "1", "3"]
    assert tables[3][2] == ["行政事业性收费", "12.35"]
    t3 = tables[4]
    assert t3[0] == ["三、收到和处理政府信息公开申请情况"]
    assert t3[1][2] == "申请人情况/法人或其他组织/商业企业"
    by_label = {row[0]: row[1:] for row in t3[2:]}
    assert by_label["一、本年新收政府信息公开申请数量"] == ["21", "4", "0", "1", "2", "0", "28"]
    assert by_label["三、本年度办理结果/（三）不予公开/7.属于行政执法案卷"] == ["1", "0", "0", "0", "1", "0", "2"]
    assert len(by_label) == 25
    t4 = tables[5]
    assert len(t4[1]) == 15 and t4[1][5] == "行政诉讼/未经复议直接起诉/结果维持"
    assert t4[2] == ["1", "1", "0", "0", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]


def test_csv_title_cannot_become_a_formula(content, config):
    rep = read(content, config).rep
    rep.title = "=HYPERLINK(1)"
    assert parse_csv(to_csv(rep))[0][0] == ["'=HYPERLINK(1)"]


# --------------------------------------------------------------------------- the policy library


def library(content, config, **docs) -> list:
    report = Report()
    folder = content / "policies"
    folder.mkdir(exist_ok=True)
    out = []
    for slug, fields in docs.items():
        path = folder / f"{slug}.md"
        path.write_text(policy(**{"文种": "规范性文件", **fields}), encoding="utf-8")
        out.append(read_policy(path, config, report))
    assert report.errors == [], [d.format() for d in report.errors]
    return out


def library_2023(content, config) -> list:
    return library(
        content, config,
        new1={"标题": "新办法一", "成文日期": "2023-03-01", "发布日期": "2023-03-02"},
        new2={"标题": "新办法二", "成文日期": "2023-08-01", "发布日期": "2023-08-02"},
        old={"标题": "旧办法", "成文日期": "2020-01-01", "发布日期": "2020-01-02", "有效性": "废止",
             "有效性变更日期": "2023-05-01"},
        amended={"标题": "已修改的办法", "成文日期": "2021-01-01", "发布日期": "2021-01-02", "有效性": "已修改",
                 "有效性变更日期": "2023-06-01"},
        later={"标题": "次年废止的办法", "成文日期": "2019-01-01", "发布日期": "2019-01-02", "有效性": "失效",
               "有效性变更日期": "2024-03-01"},
        long_gone={"标题": "早已废止", "成文日期": "2018-01-01", "发布日期": "2018-01-02", "有效性": "废止",
                   "有效性变更日期": "2022-01-01"},
        next_year={"标题": "次年新办法", "成文日期": "2024-01-01", "发布日期": "2024-01-02"},
        city={"标题": "市政府文件", "发布机构": "测试市人民政府", "成文日期": "2023-01-01", "发布日期": "2023-01-02"},
        notice={"标题": "其他文件", "文种": "其他文件", "成文日期": "2023-01-01", "发布日期": "2023-01-02"},
    )


def test_library_counts_follow_validity_dates(content, config):
    counts = library_counts(library_2023(content, config), "测试市文化和旅游局", 2023)
    ids = {k: [p.id for p in v] for k, v in counts.items()}
    assert ids == {
        "本年制发件数": ["new1", "new2"],
        "本年废止件数": ["old"],
        "现行有效件数": ["later", "amended", "new1", "new2"],
    }


def test_library_agreeing_with_the_report_is_silent(content, config):
    policies = library_2023(content, config)
    text = change(VALID, "行政规范性文件: [2, 1, 3]", "行政规范性文件: [2, 1, 4]")
    r = read(content, config, text)
    check_against_library(r.rep, policies, config.agency.sponsor, r.report)
    assert r.report.diagnostics == []


def test_library_disagreeing_with_the_report_is_a_located_warning(content, config):
    policies = library_2023(content, config)
    r = read(content, config)  # the report says [2, 1, 3]; the library has 4 in force
    check_against_library(r.rep, policies, config.agency.sponsor, r.report)
    assert r.report.errors == []
    warnings = r.at(r.line("行政规范性文件"), "warning")
    assert len(warnings) == 1, r.warnings()
    w = warnings[0]
    assert f"{T2} › 行政规范性文件 › 现行有效件数 is 3 but the policy library has 4 规范性文件" in w
    assert "in force on 2023-12-31" in w
    assert all(f"《{t}》" in w for t in ("新办法一", "新办法二", "已修改的办法", "次年废止的办法"))
    assert "旧办法" not in w and "市政府文件" not in w


# --------------------------------------------------------------------------- consecutive years


def test_consecutive_years_carry_numbers_forward(content, config):
    report_2022 = change(change(VALID, "年度: 2023", "年度: 2022"), "发布日期: 2024-01-26", "发布日期: 2023-01-20")
    report_2022 = change(report_2022, "标题: 测试市文化和旅游局2023年", "标题: 测试市文化和旅游局2022年")
    report_2022 = change(report_2022, "行政规范性文件: [2, 1, 3]", "行政规范性文件: [1, 0, 3]")
    old = read(content, config, report_2022, "2022.yaml")
    assert old.report.diagnostics == [], old.errors()
    new = read(content, config)
    check_years([new.rep, old.rep], new.report)
    # 2022 carried [1, 0, 0, 0, 1, 0, 2] forward; 2023 carried [2, 0, 0, 0, 0, 0, 2] over.
    at_carried = new.at(new.line("上年结转"), "warning")
    assert len(at_carried) == 2, new.warnings()
    assert f"{T3} › 上年结转, column 自然人: 2 but 2022's 结转下年度继续办理 is 1" in at_carried[0]
    assert "column 法律服务机构: 0 but 2022's 结转下年度继续办理 is 1" in at_carried[1]
    in_force = new.at(new.line("行政规范性文件"), "warning")
    assert len(in_force) == 1 and "现行有效件数 is 3 but 2022's 3 + 2 本年制发件数 − 1 本年废止件数 = 4" in in_force[0]
    copied = new.at(new.line("总体情况"), "warning")
    assert copied and "word for word the same as in 2022" in copied[0]


# --------------------------------------------------------------------------- the template


def render_page(rep: AnnualReport) -> BeautifulSoup:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.DictLoader({"base.html": "<main>{% block main %}{% endblock %}</main>"}),
            jinja2.FileSystemLoader(str(THEME / "templates")),
        ]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.globals.update(url=lambda target: target, _=lambda text: text,
                       html=lambda r: Markup(resolve_links(r.html, r.links, lambda ref: "#")) if r else Markup(""))
    env.filters.update(date_iso=date_iso)
    html = env.get_template("annual_report.html").render(report=rep, csv_url="report.csv", page=None)
    return BeautifulSoup(html, "html.parser")


def announced(soup: BeautifulSoup, cell) -> str:
    return " ".join(soup.find(id=i).get_text(strip=True) for i in cell.get_attribute_list("headers"))


def test_template_has_one_h1_six_h2_and_captioned_tables(content, config):
    soup = render_page(read(content, config).rep)
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == ["测试市文化和旅游局2023年政府信息公开工作年度报告"]
    assert [h.get_text(strip=True) for h in soup.find_all("h2")][0] == "一、总体情况"
    assert len(soup.find_all("h2")) == 6
    tables = soup.find_all("table")
    assert len(tables) == 6 and all(t.caption and t.caption.get_text(strip=True) for t in tables)
    assert soup.find("a", href="report.csv") is not None
    assert all(th.get("scope") in ("col", "row") for th in soup.find_all("th"))


def test_every_data_cell_names_its_headers(content, config):
    soup = render_page(read(content, config).rep)
    ids = {el["id"] for el in soup.find_all(id=True)}
    assert len(ids) == len(soup.find_all(id=True)), "duplicate ids"
    for td in soup.select("table td.num"):
        assert td["headers"] and set(td.get_attribute_list("headers")) <= ids
    t3 = soup.find("table", id="report-t3")
    row = next(tr for tr in t3.find_all("tr") if "1.属于国家秘密" in tr.get_text())
    business = row.find_all("td")[1]
    assert announced(soup, business) == "三、本年度办理结果 （三）不予公开 1.属于国家秘密 申请人情况 法人或其他组织 商业企业"
    corner = t3.find("td", class_="report-corner")
    assert corner["colspan"] == "3" and corner["rowspan"] == "3" and "勾稽关系" in corner.get_text()
    t4 = soup.find("table", id="report-t4")
    cells = t4.find_all("td")
    assert len(cells) == 15
    assert announced(soup, cells[8]) == "行政诉讼 未经复议直接起诉 尚未审结" and cells[8].get_text() == "1"


def test_table_grid_is_rectangular(content, config):
    """Every row of every table covers the same number of columns, counting spans."""
    soup = render_page(read(content, config).rep)
    for table in soup.find_all("table"):
        rows = table.find_all("tr")
        width = [0] * len(rows)
        for r, tr in enumerate(rows):
            for cell in tr.find_all(["th", "td"]):
                span, down = int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))
                for k in range(down):
                    width[r + k] += span
        assert len(set(width)) == 1, (table["id"], width)


# --------------------------------------------------------------------------- reference


def test_schemas_render_as_reference_tables():
    for name, schema in ANNUAL_REPORT_SCHEMAS.items():
        table = reference_table(schema)
        columns = {line.count("|") for line in table.splitlines()}
        assert len(columns) == 1, name  # no '|' inside a cell breaks the Markdown table
    assert "annual_report.requests.results.withheld" in ANNUAL_REPORT_SCHEMAS


def test_a_row_written_twice_with_and_without_numbering_is_an_error(content, config):
    text = change(VALID, "  上年结转: [2, 0, 0, 0, 0, 0, 2]\n",
                  "  上年结转: [2, 0, 0, 0, 0, 0, 2]\n  二、上年结转: [2, 0, 0, 0, 0, 0, 2]\n")
    r = read(content, config, text)
    err = only_error_at(r, "二、上年结转")
    assert "'二、上年结转' repeats '上年结转'" in err and r.rep is None


def test_a_file_that_is_not_a_mapping_is_an_error(content, config):
    r = read(content, config, "- 年度: 2023\n")
    assert len(r.errors()) == 1 and "must be a mapping" in r.errors()[0] and r.rep is None
