"""``python -m generator inspect``: the self-inspection report, its rules, its files and its exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SITE_YAML, index_no, line_of, policy, run_cli

DEMO = ROOT / "content"
#: The date the demo is built for in the tests (test_registry, test_snapshot): it must pass inspection then.
DEMO_TODAY = "2026-12-07"
TODAY = "2026-12-07"

#: The planted site's columns: one 动态 column (2 weeks), the policy library, interpretations, annual reports.
PLANTED_COLUMNS = """\
  - slug: gzdt
    name: 工作动态
    list: {category: [法律]}
  - slug: zcjd
    name: 政策解读
    list: {type: interpretation}
  - slug: nb
    name: 政府信息公开年报
    list: {type: annual_report}
    empty_reason: 年度报告正在编制。
"""


def inspect(site_root: Path, content: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    report = site_root / "report"
    result = run_cli(["inspect", "--lang", "en", "--content", str(content), "--output", str(site_root / "output"),
                      "--report", str(report), *args], site_root)
    assert "Traceback" not in result.stderr, result.stderr
    data = json.loads((report / "report.json").read_text(encoding="utf-8")) if (report / "report.json").exists() \
        else {}
    return result, data


def located(data: dict) -> set[tuple[str, str, int]]:
    return {(f["rule"], Path(f["path"]).name, f["line"]) for f in data["findings"]}


def report_2025() -> str:
    """The demo's 2025 report for the planted site: its agency, no links, no 规范性文件 in force."""
    text = (DEMO / "annual-reports" / "2025.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text.replace("江州市文化和旅游局", "测试市文化和旅游局"))
    text = text.replace("11360400MB1C23456X/", "000014349/")  # the test site's organ code
    return text.replace("行政规范性文件: [0, 0, 10]", "行政规范性文件: [0, 0, 0]")


def interpretation(policy_id: str, published: str) -> str:
    return (f"---\n标题: 解读\n形式: 文字\n解读文件: [{policy_id}]\n发布日期: {published}\n"
            f"解读机构: 测试市文化和旅游局\n索引号: {index_no(policy_id + '-jiedu', published)}\n---\n\n"
            "这是一篇文字解读。\n")


@pytest.fixture
def planted(site):
    """A small site with each fault planted once (and everything else in order) for TODAY."""
    site.write("site.yaml", SITE_YAML + PLANTED_COLUMNS)
    # Fresh: keeps the home page and 政策文件 current.
    site.policy("fresh", 标题="测试市文化和旅游局关于近期工作的通知", 成文日期="2026-11-30", 发布日期="2026-12-01",
                body="# 第一条\n\n正文。\n\n# 第二条\n\n正文。\n")
    # Stale column: the only item of 工作动态 (2 weeks) is two months old; not the agency's own, so not late.
    site.policy("law", 标题="某法", 文种="法律", 发布机构="测试市人民政府", 成文日期="2026-10-09",
                发布日期="2026-10-09")
    # Late publication: signed 2026-09-01, published two months later.
    site.policy("late", 标题="测试市文化和旅游局关于迟发文件的通知", 成文日期="2026-09-01", 发布日期="2026-11-02")
    # Dead anchors (another document's and its own) and a 错敏字.
    site.policy("anchors", 标题="测试市文化和旅游局关于链接的通知", 成文日期="2026-11-20", 发布日期="2026-11-23",
                body="# 第一条\n\n见[第一条](#第一条)和[第三条](#第三条)。\n\n"
                     "另见[通知第二条](fresh.md#第二条)与[通知第九条](fresh.md#第九条)。\n\n"
                     "# 第二条\n\n请通过依申清公开渠道提出。\n")
    # A 规范性文件 interpreted 5 working days late (the build's own rule, filed under the registry).
    site.policy("norm", 标题="测试办法", 文种="规范性文件", 成文日期="2026-11-09", 发布日期="2026-11-10")
    site.write("interpretations/norm-jiedu.md", interpretation("norm", "2026-11-17"))
    return site


def test_each_planted_fault_is_found_once_at_its_file_and_line(planted):
    result, data = inspect(planted.root, planted.content, "--today", TODAY)
    site_yaml = (planted.content / "site.yaml").read_text(encoding="utf-8")
    anchors = (planted.content / "policies" / "anchors.md").read_text(encoding="utf-8")
    late = (planted.content / "policies" / "late.md").read_text(encoding="utf-8")
    interp = (planted.content / "interpretations" / "norm-jiedu.md").read_text(encoding="utf-8")
    assert located(data) == {
        ("stale-column", "site.yaml", line_of(site_yaml, "slug: gzdt")),
        ("annual-report-missing", "site.yaml", line_of(site_yaml, "slug: nb")),
        ("late-publication", "late.md", line_of(late, "发布日期")),
        ("dead-anchor", "anchors.md", line_of(anchors, "#第三条")),
        ("dead-anchor", "anchors.md", line_of(anchors, "fresh.md#第九条")),
        ("wording", "anchors.md", line_of(anchors, "依申清公开")),
        ("interpretation-timing", "norm-jiedu.md", line_of(interp, "发布日期")),
    }, result.stderr
    messages = {f["rule"]: f for f in data["findings"]}
    assert "工作动态" in messages["stale-column"]["message"] and "2周" in messages["stale-column"]["message"]
    assert "2025年" in messages["annual-report-missing"]["message"]
    assert "条例》第二十六条" in messages["late-publication"]["source"]
    assert "国办发〔2016〕19号" in messages["interpretation-timing"]["source"]
    assert "“依申清公开”应为“依申请公开”" == messages["wording"]["message"]
    assert result.returncode == 1  # the missing report is an error
    # Printed too, as file:line: severity: [rule] message.
    assert f"site.yaml:{line_of(site_yaml, 'slug: nb')}: error: [annual-report-missing]" in result.stderr


def test_the_build_keeps_reporting_its_own_rule(planted):
    """The 3-working-day rule is filed under the registry by inspect and still reported by check."""
    result = planted.run("check", "--today", TODAY)
    assert result.returncode == 0 and "working days after norm" in result.stderr


def test_a_fixed_site_has_no_findings(planted):
    planted.write("policies/late.md", policy(标题="测试市文化和旅游局关于迟发文件的通知", 成文日期="2026-10-28",
                                             发布日期="2026-11-02"))
    planted.write("policies/anchors.md", policy(标题="关于链接的通知", 成文日期="2026-11-20", 发布日期="2026-11-23",
                                                body="# 第一条\n\n见[第二条](fresh.md#第二条)，通过依申请公开渠道提出。\n"))
    planted.write("interpretations/norm-jiedu.md", interpretation("norm", "2026-11-12"))
    planted.write("annual-reports/2025.yaml", report_2025())
    site_yaml = (planted.content / "site.yaml").read_text(encoding="utf-8")
    planted.write("site.yaml", site_yaml.replace("    name: 工作动态\n", "    name: 工作动态\n    长期不更新: 按需转载法律。\n"))
    result, data = inspect(planted.root, planted.content, "--today", TODAY, "--fail-on", "warning")
    assert data["findings"] == [] and result.returncode == 0, result.stderr
    assert "栏目“工作动态”声明长期不更新：按需转载法律。" in data["notes"]


def test_update_period_and_severity_from_site_yaml(planted):
    site_yaml = (planted.content / "site.yaml").read_text(encoding="utf-8")
    site_yaml = site_yaml.replace("    name: 政策解读\n", "    name: 政策解读\n    更新周期: 3天\n")
    planted.write("site.yaml", site_yaml + "inspection:\n  severity: {stale-column: error, wording: off}\n"
                  "  words: {测试办法: 测试管理办法}\n")
    result, data = inspect(planted.root, planted.content, "--today", TODAY)
    stale = [f for f in data["findings"] if f["rule"] == "stale-column"]
    assert {f["line"] for f in stale} == {line_of(site_yaml, "slug: gzdt"), line_of(site_yaml, "slug: zcjd")}
    assert {f["severity"] for f in stale} == {"error"} and "更新周期3天" in stale[1]["message"]
    assert not [f for f in data["findings"] if f["rule"] == "wording"]
    rules = {r["code"]: r for r in data["rules"]}
    assert rules["wording"]["severity"] == "off" and rules["stale-column"]["severity"] == "error"


def test_bad_inspection_settings_are_located_errors(planted):
    site_yaml = (planted.content / "site.yaml").read_text(encoding="utf-8")
    planted.write("site.yaml", site_yaml.replace("    name: 工作动态\n", "    name: 工作动态\n    更新周期: 两周\n")
                  + "inspection:\n  severity: {stale-column: fatal}\n")
    result = planted.run("check")
    assert result.returncode == 1
    assert f"site.yaml:{line_of(site_yaml, 'name: 工作动态') + 1}: error: 更新周期: '两周' is not an update period" \
        in result.stderr
    assert "stale-column" in result.stderr and "fatal" in result.stderr


def test_expired_only_column(planted):
    site_yaml = (planted.content / "site.yaml").read_text(encoding="utf-8")
    planted.write("site.yaml", site_yaml.replace("    list: {category: [法律]}\n", "    list: {category: [法律]}\n"
                                                 "    更新周期: 1年\n"))
    planted.write("policies/law.md", policy(标题="某法", 文种="法律", 发布机构="测试市人民政府", 成文日期="2026-10-09",
                                            发布日期="2026-10-09", 有效性="废止", 有效性变更日期="2026-11-01"))
    _, data = inspect(planted.root, planted.content, "--today", TODAY)
    found = [f for f in data["findings"] if f["rule"] == "expired-only-column"]
    assert [(Path(f["path"]).name, f["line"]) for f in found] == [("site.yaml", line_of(site_yaml, "slug: gzdt"))]


INSTITUTION = """\
名称: 测试市图书馆
类别: 图书馆
资质或等级: 国家一级图书馆
业务范围: 文献借阅
服务区域: 测试市全市
地址: 测试市人民路2号
所在区县: 东城区
办公时间: 周二至周日 9:00—17:00
联系电话:
  - 0791-86123401
  - 0792-8226602
投诉电话: 0791-8612345
更新日期: {updated}
"""


def test_directory_dates_and_phone_areas(planted):
    site_yaml = (planted.content / "site.yaml").read_text(encoding="utf-8")
    # The agency is in 0791, whose numbers have 8 digits (a four-digit area code allows 7 or 8).
    site_yaml = site_yaml.replace("phone: 010-62345678", "phone: 0791-86123456")
    planted.write("site.yaml", site_yaml.replace("  tags:\n", "  districts: [东城区]\n  tags:\n", 1)
                  + "  - slug: ggqsydw\n    name: 公共企事业单位信息公开\n    list: {type: institution}\n")
    text = INSTITUTION.format(updated="2025-11-30")
    planted.write("institutions/tushuguan.yaml", text)
    _, data = inspect(planted.root, planted.content, "--today", TODAY)
    found = {(f["rule"], f["line"]) for f in data["findings"] if f["rule"].startswith("directory")}
    assert found == {("directory-stale", line_of(text, "更新日期")), ("directory-phone-area", line_of(text, "0792")),
                     ("directory-phone-area", line_of(text, "投诉电话"))}, data["findings"]
    planted.write("institutions/tushuguan.yaml", INSTITUTION.format(updated="2025-12-07"))
    _, data = inspect(planted.root, planted.content, "--today", TODAY)
    assert "directory-stale" not in {f["rule"] for f in data["findings"]}  # exactly a year is still in time


def test_changed_media_are_reported_until_confirmed(planted):
    png = (DEMO / "interpretations" / "media" / "meishuguan-2023-yitu.png").read_bytes()
    planted.write("policies/media/tu.png", png)
    text = policy(标题="测试市文化和旅游局关于近期工作的通知", 成文日期="2026-11-30", 发布日期="2026-12-01",
                  body="见图：\n\n![一图读懂](media/tu.png)\n")
    planted.write("policies/fresh.md", text)
    _, first = inspect(planted.root, planted.content, "--today", TODAY)
    assert "首次检查" in " ".join(first["notes"]) and "media-changed" not in {f["rule"] for f in first["findings"]}
    planted.write("policies/media/tu.png", png + b"\0")  # replaced by another file (trailing bytes still open)
    for _ in range(2):  # reported at every inspection until confirmed
        _, data = inspect(planted.root, planted.content, "--today", TODAY)
        changed = [(Path(f["path"]).name, f["line"]) for f in data["findings"] if f["rule"] == "media-changed"]
        assert changed == [("fresh.md", line_of(text, "media/tu.png"))]
    _, confirmed = inspect(planted.root, planted.content, "--today", TODAY, "--confirm-media")
    assert "media-changed" not in {f["rule"] for f in confirmed["findings"]}
    _, after = inspect(planted.root, planted.content, "--today", TODAY)
    assert "media-changed" not in {f["rule"] for f in after["findings"]}


# --------------------------------------------------------------------------- the demo


def test_the_demo_passes_its_own_inspection_on_its_test_date(tmp_path):
    result, data = inspect(tmp_path, DEMO, "--today", DEMO_TODAY, "--fail-on", "warning")
    assert result.returncode == 0, result.stderr
    assert data["findings"] == [] and data["passed"] is True
    assert "inspection passed for 2026-12-07: 0 error(s), 0 warning(s)" in result.stdout


def test_a_year_later_the_demo_is_stale_and_misses_a_report(tmp_path):
    result, data = inspect(tmp_path, DEMO, "--today", "2027-12-07")
    site_yaml = (DEMO / "site.yaml").read_text(encoding="utf-8")
    by_rule: dict[str, set] = {}
    for f in data["findings"]:
        by_rule.setdefault(f["rule"], set()).add((Path(f["path"]).name, f["line"]))
    assert by_rule["stale-column"] == {("site.yaml", line_of(site_yaml, "slug: zcwj")),
                                       ("site.yaml", line_of(site_yaml, "slug: ghxx"))}
    assert by_rule["stale-home"] == {("site.yaml", 1)}
    assert by_rule["annual-report-missing"] == {("site.yaml", line_of(site_yaml, "slug: zfxxgknb"))}
    assert "2026年" in next(f["message"] for f in data["findings"] if f["rule"] == "annual-report-missing")
    # The open draft's 情况说明 and the catalogue item it feeds are overdue a year later too.
    assert by_rule["draft-report-overdue"] == {("2026-minsu-banfa-zqyj.md", 7)}
    assert {name for name, _ in by_rule["decision-overdue"]} == {"2026.md"}
    assert set(by_rule) == {"stale-column", "stale-home", "annual-report-missing", "directory-stale",
                            "draft-report-overdue", "decision-overdue"}
    assert result.returncode == 1


# --------------------------------------------------------------------------- the files and the exit codes


def test_the_json_report_is_read_by_a_script(planted):
    inspect(planted.root, planted.content, "--today", TODAY)
    script = r"""
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
assert data["schema"] == "zwgk-inspection" and data["version"] == 1 and data["today"] == "2026-12-07"
codes = {r["code"] for r in data["rules"]}
for f in data["findings"]:
    assert f["rule"] in codes and f["severity"] in ("error", "warning") and isinstance(f["line"], int)
    assert f["path"] and f["message"] and f["source"] and f["title"]
s = data["summary"]
assert s["error"] == sum(f["severity"] == "error" for f in data["findings"])
assert s["warning"] == sum(f["severity"] == "warning" for f in data["findings"])
assert s["total"] == len(data["findings"]) == s["error"] + s["warning"]
assert sum(sum(v.values()) for v in s["by_rule"].values()) == s["total"]
assert data["passed"] is (s["error"] == 0)
print(s["error"], s["warning"])
"""
    out = subprocess.run([sys.executable, "-c", script, str(planted.root / "report" / "report.json")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2", "5"]  # missing report, 错敏字; the rest are warnings


def test_the_html_report_is_self_contained_grouped_and_located(planted):
    from bs4 import BeautifulSoup

    inspect(planted.root, planted.content, "--today", TODAY)
    page = BeautifulSoup((planted.root / "report" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "zh-CN" and not page.find_all("script") and not page.find_all("link")
    assert not [t for t in page.find_all(src=True)]
    headings = [h.get_text(strip=True) for h in page.find_all(["h1", "h2"])]
    assert headings == ["网站自查报告", "概况", "错误（2）", "警告（5）", "检查规则与依据"]
    error = page.find("section", attrs={"aria-labelledby": "error"})
    assert "site.yaml:" in error.find("span", class_="where").get_text()
    assert "第四十九条" in error.find("p", class_="source").get_text()
    assert "@media print" in page.find("style").get_text()


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1)])
def test_exit_status_follows_fail_on(planted, fail_on, code):
    planted.write("annual-reports/2025.yaml", report_2025())
    anchors = planted.content / "policies" / "anchors.md"
    anchors.write_text(anchors.read_text(encoding="utf-8").replace("依申清", "依申请"), encoding="utf-8")
    result, data = inspect(planted.root, planted.content, "--today", TODAY, "--fail-on", fail_on)
    assert data["summary"]["error"] == 0 and data["summary"]["warning"] > 0
    assert result.returncode == code


def test_content_errors_are_findings_not_a_failure_to_inspect(planted):
    planted.write("policies/broken.md", "---\n标题: [\n---\n")
    result, data = inspect(planted.root, planted.content, "--today", TODAY)
    assert result.returncode == 1
    assert any(f["rule"] == "build" and Path(f["path"]).name == "broken.md" for f in data["findings"])


def test_usage_errors(planted):
    result = run_cli(["inspect", "--content", str(planted.content), "--fail-on", "never"], planted.root)
    assert result.returncode == 2
    result = run_cli(["inspect", "--lang", "en", "--content", str(planted.content), "--output",
                      str(planted.root / "output"), "--report", str(planted.root / "output" / "report")], planted.root)
    assert result.returncode == 2 and "never published" in result.stderr
    assert not (planted.root / "output").exists()


def test_the_report_goes_beside_the_output_and_build_never_publishes_it(planted):
    result = run_cli(["inspect", "--content", str(planted.content), "--output", str(planted.output),
                      "--today", TODAY], planted.root)
    assert (planted.root / "inspection" / "index.html").is_file(), result.stderr
    assert (planted.root / "inspection" / "report.json").is_file()
    planted.build_ok("--today", TODAY)
    assert not list(planted.output.rglob("report.json")) and not (planted.output / "inspection").exists()
    assert (planted.root / "inspection" / "index.html").is_file()  # the build leaves it alone


# --------------------------------------------------------------------------- the registry


def test_every_rule_cites_a_source_and_its_checklist_items_exist():
    from generator.inspection import coverage
    from generator.inspection.engine import all_rules

    items = {item: how for item, _, how, _ in coverage.ITEMS}
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    for r in rules:
        assert r.title and r.source and r.severity in ("error", "warning") and r.summary, r.code
        assert all(item in items for item in r.checklist), r.code
    covered = {item for r in rules for item in r.checklist}
    # An item the table says `inspect` checks has a rule that names it, and the other way round.
    assert {i for i, how in items.items() if how == coverage.INSPECT} <= covered
    digest = ROOT.parent / "shared" / "gov-requirements.md"
    if digest.is_file():  # the digest beside the checkout: every item of it is in the table
        listed = set(re.findall(r"\*\*([A-J]\d+)\*\*", digest.read_text(encoding="utf-8")))
        assert listed == set(items), listed ^ set(items)


def test_check_diagnostics_keep_their_level_under_their_rule(planted):
    from generator.errors import Diagnostic, Level
    from generator.inspection.engine import run

    found = run(None, [Diagnostic(Level.WARNING, "a.md", 3, "late", code="interpretation-timing"),
                       Diagnostic(Level.ERROR, "site.yaml", 9, "empty", code="empty-column"),
                       Diagnostic(Level.WARNING, "b.md", 1, "other", code="something-else")])
    assert [(f.rule, f.severity, f.path, f.line) for f in found] == [
        ("empty-column", "error", "site.yaml", 9), ("build", "warning", "b.md", 1),
        ("interpretation-timing", "warning", "a.md", 3)]
