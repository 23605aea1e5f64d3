"""Drafts for comment (意见征集) on built sites: the state on the build date, the list, the final policy
linked both ways, and every rule as a located error or warning."""

from __future__ import annotations

import re

import pytest

from conftest import SITE_YAML, THEME, index_no, line_of, texts, tree_digest

PARTICIPATION_COLUMNS = """\
  - slug: gzcy
    name: 公众参与
    children:
      - slug: yjzj
        name: 意见征集
        list: {type: draft}
        empty_reason: 暂无意见征集。
      - slug: zdjcml
        name: 重大行政决策事项目录
        list: {type: decision_catalogue}
        empty_reason: 暂无目录。
"""

DRAFT = {
    "标题": "关于公开征求《测试办法（征求意见稿）》意见的公告",
    "起草单位": "测试市文化和旅游局政策法规处",
    "草案类型": "规范性文件",
    "征集开始日期": "2026-11-02",
    "征集截止日期": "2026-11-13",
    "起草说明": "为规范测试工作，起草本办法。",
    "反馈渠道": {"电子邮箱": "zqyj@example.gov.cn", "通信地址": "测试市人民路1号"},
}


def draft(body: str = "第一条 为规范测试工作，制定本办法。", **fields) -> str:
    """A draft file: DRAFT overridden by ``fields`` (None drops a field); mappings are written as blocks."""
    meta = {**DRAFT, **fields}
    if "索引号" not in meta:  # last, so the lines of the other fields stay put
        meta["索引号"] = index_no(repr((body, sorted(fields.items(), key=lambda kv: kv[0]))),
                                meta.get("征集开始日期") or "2026")
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {v}" for k, v in value.items() if v is not None]
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n\n" + body + "\n"


REPORT = {"发布日期": "2026-11-30", "意见数": 12, "采纳数": 5, "采纳情况": "采纳了关于办理时限的意见。",
          "未采纳理由": "其余意见与本办法无关。"}


@pytest.fixture
def dsite(site):
    site.write("site.yaml", SITE_YAML + PARTICIPATION_COLUMNS)
    site.policy("banfa", 标题="测试办法", 成文日期="2026-12-01", 发布日期="2026-12-04")
    return site


def status(page) -> tuple[str, str]:
    label = page.select_one(".draft-status")
    return label.get_text(strip=True), next(c for c in label["class"] if c.startswith("status-"))


# --------------------------------------------------------------------------- state, list, links


@pytest.mark.parametrize("today, text, css", [
    ("2026-11-01", "未开始", "status-upcoming"),
    ("2026-11-02", "征集中", "status-open"),
    ("2026-11-13", "征集中", "status-open"),  # the deadline day is still open
    ("2026-11-14", "已截止", "status-closed"),
])
def test_the_state_follows_the_build_date(dsite, today, text, css):
    dsite.write("drafts/d.md", draft())
    dsite.build_ok("--today", today)
    page = dsite.page("yjzj/d/")
    assert status(page) == (text, css)
    label = page.select_one(".draft-status")
    # The script needs the dates and the three labels it may move to; the page prints the period too.
    assert (label["data-start"], label["data-deadline"]) == ("2026-11-02", "2026-11-13")
    assert label["data-labels"] == "未开始|征集中|已截止"
    assert "征集期：2026年11月2日 至 2026年11月13日（共10个工作日）" in page.select_one(".draft-period").get_text()
    assert page.find("script", src="../../static/consultation.js") is not None
    assert status(dsite.page("gzcy/yjzj/")) == (text, css)


def test_a_dated_report_makes_it_answered_and_is_shown(dsite):
    dsite.write("drafts/d.md", draft(征集情况说明=REPORT))
    dsite.build_ok("--today", "2026-11-29")
    assert status(dsite.page("yjzj/d/"))[0] == "已截止"  # the report's date has not come yet
    dsite.build_ok("--today", "2026-11-30")
    page = dsite.page("yjzj/d/")
    assert status(page) == ("已反馈", "status-answered")
    report = page.select_one("#report")
    assert "征集期内共收到意见建议12条，采纳或部分采纳5条" in report.get_text("", strip=True)
    assert texts(report.find_all("h3")) == ["采纳情况", "未采纳意见及理由"]
    assert "其余意见与本办法无关" in report.get_text()


def test_the_list_shows_open_drafts_first_then_years_with_counts(dsite):
    dsite.write("drafts/open-late.md", draft(标题="征集中乙", 征集开始日期="2026-11-20", 征集截止日期="2026-12-18"))
    dsite.write("drafts/open-soon.md", draft(标题="征集中甲", 征集开始日期="2026-11-23", 征集截止日期="2026-12-09"))
    dsite.write("drafts/next.md", draft(标题="未开始", 征集开始日期="2026-12-14", 征集截止日期="2026-12-25"))
    dsite.write("drafts/a2026.md", draft(标题="今年已截止"))
    dsite.write("drafts/a2025.md", draft(标题="去年已截止", 征集开始日期="2025-06-02", 征集截止日期="2025-06-13"))
    dsite.write("drafts/b2025.md", draft(标题="去年更早", 征集开始日期="2025-03-03", 征集截止日期="2025-03-14"))
    dsite.build_ok("--today", "2026-12-07")
    page = dsite.page("gzcy/yjzj/")
    assert texts(page.select("h2.list-group-heading")) == ["正在征集 （2件）", "即将开始征集 （1件）", "2026年 （1件）",
                                                          "2025年 （2件）"]
    assert texts(page.select(".doc-title")) == ["征集中甲", "征集中乙", "未开始", "今年已截止", "去年已截止"]
    assert texts(dsite.page("gzcy/yjzj/page/2/").select(".doc-title")) == ["去年更早"]  # 5 a page
    # Each group is its own numbered list (the headings are not list items).
    assert all(ol.find_parent("ol") is None for ol in page.select("ol.doc-list"))


def test_groups_continue_across_pages_with_the_whole_count(dsite):
    for n in range(7):  # per_page is 5 in the test site
        dsite.write(f"drafts/d{n}.md", draft(标题=f"草案{n}", 征集开始日期=f"2025-0{n + 1}-01",
                                             征集截止日期=f"2025-0{n + 1}-20"))
    dsite.build_ok("--today", "2026-12-07")
    second = dsite.page("gzcy/yjzj/page/2/")
    assert texts(second.select("h2.list-group-heading")) == ["2025年 （7件）"]
    assert second.select_one("ol.doc-list")["start"] == "6"


def test_the_final_policy_and_the_draft_link_each_other(dsite):
    dsite.write("drafts/d.md", draft(征集情况说明=REPORT, 正式文件="banfa"))
    dsite.build_ok("--today", "2026-12-07")
    note = dsite.page("zcwj/banfa/").select_one(".participation")
    assert "本文件曾公开征求意见" in note.get_text()
    links = {a.get_text(): a["href"] for a in note.find_all("a")}
    assert links == {DRAFT["标题"]: "../../yjzj/d/", "查看意见征集情况说明": "../../yjzj/d/#report"}
    final = dsite.page("yjzj/d/").select_one(".draft-links a")
    assert final["href"] == "../../zcwj/banfa/" and final.get_text() == "《测试办法》"


def test_a_policy_without_a_draft_says_nothing_about_it(dsite):
    dsite.build_ok("--today", "2026-12-07")
    assert dsite.page("zcwj/banfa/").select_one(".participation") is None


def test_a_state_change_rebuilds_exactly_what_a_clean_build_writes(dsite, tmp_path):
    dsite.write("drafts/d.md", draft(正式文件="banfa", 征集情况说明=REPORT))
    dsite.build_ok("--today", "2026-11-10")
    dsite.build_ok("--today", "2026-12-07")  # incremental: the same content, another day
    clean = tmp_path / "clean"
    result = dsite.run("build", "--content", str(dsite.content), "--output", str(clean), "--theme", str(THEME),
                       "--no-cache", "--today", "2026-12-07", raw=True)
    assert result.returncode == 0, result.stderr

    assert dsite.tree_digest() == tree_digest(clean)
    assert status(dsite.page("yjzj/d/"))[0] == "已反馈"


# --------------------------------------------------------------------------- rules


def built_with(dsite, text: str, *extra: str):
    dsite.write("drafts/d.md", text)
    return dsite.build(*extra)


def located(result, text: str, needle: str, level: str = "error") -> str:
    """The diagnostic at the line of ``needle`` in ``text`` (drafts/d.md), with its hint."""
    where = f"drafts/d.md:{line_of(text, needle)}: {level}:"
    lines = result.stderr.splitlines()
    at = next((n for n, l in enumerate(lines) if where in l), None)
    assert at is not None, f"no {level} at {where}:\n{result.stderr}"
    return lines[at] + "\n" + lines[at + 1]


@pytest.mark.parametrize("kind, start, deadline, length, need, fix", [
    ("一般政策文件", "2026-11-02", "2026-11-05", "4 工作日", "5 工作日", "2026-11-06"),
    # National Day: 9-30 to 10-09 is ten days but three working days; 10-10 is a 调休 Saturday.
    ("一般政策文件", "2026-09-30", "2026-10-09", "3 工作日", "5 工作日", "2026-10-12"),
    ("规范性文件", "2026-11-02", "2026-11-10", "7 工作日", "7 工作日", None),
    ("规范性文件", "2026-11-02", "2026-11-09", "6 工作日", "7 工作日", "2026-11-10"),
    ("重大行政决策", "2026-11-02", "2026-11-30", "29 日", "30 日", "2026-12-01"),
    ("重大行政决策", "2026-11-02", "2026-12-01", "30 日", "30 日", None),
])
def test_a_period_shorter_than_the_rule_is_a_located_error(dsite, kind, start, deadline, length, need, fix):
    text = draft(草案类型=kind, 征集开始日期=start, 征集截止日期=deadline)
    result = built_with(dsite, text, "--today", "2026-12-07")
    if fix is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1
    diagnostic = located(result, text, "征集截止日期")
    assert f"is {length}; a {kind} draft is open for at least {need}" in diagnostic
    assert f"set `征集截止日期: {fix}` or later" in diagnostic and "缩短理由" in diagnostic


def test_a_shortened_period_with_its_reason_is_a_warning_and_the_reason_is_shown(dsite):
    text = draft(草案类型="重大行政决策", 征集截止日期="2026-11-20", 缩短理由="汛期将至，急需出台。")
    result = built_with(dsite, text, "--today", "2026-12-07")
    assert result.returncode == 0, result.stderr
    assert "is 19 日; a 重大行政决策 draft is open for at least 30 日" in located(result, text, "征集截止日期", "warning")
    assert "征集期缩短理由：汛期将至，急需出台。" in dsite.page("yjzj/d/").select_one(".draft-period").get_text()
    assert dsite.build("--today", "2026-12-07", "--strict").returncode == 1


def test_site_yaml_can_tighten_the_rules_but_not_loosen_them(dsite):
    text = draft()  # a 规范性文件 open 10 working days
    dsite.write("site.yaml", SITE_YAML.replace("listing:", "consultation:\n  normative_workdays: 12\nlisting:")
                + PARTICIPATION_COLUMNS)
    result = built_with(dsite, text, "--today", "2026-12-07")
    assert "at least 12 工作日 (site.yaml consultation.normative_workdays: 12)" in located(result, text, "征集截止日期")
    loose = SITE_YAML.replace("listing:", "consultation:\n  normative_workdays: 5\nlisting:")
    dsite.write("site.yaml", loose + PARTICIPATION_COLUMNS)
    result = dsite.build("--today", "2026-12-07")
    assert result.returncode == 1
    assert f"site.yaml:{line_of(loose, 'normative_workdays')}: error: normative_workdays: 5 is less than 7" in \
        result.stderr, result.stderr


def test_a_deadline_before_the_start_is_a_located_error(dsite):
    text = draft(征集开始日期="2026-11-13", 征集截止日期="2026-11-02")
    result = built_with(dsite, text)
    assert result.returncode == 1
    assert "征集截止日期 2026-11-02 is before 征集开始日期 2026-11-13" in located(result, text, "征集截止日期")


def test_a_report_dated_before_the_deadline_is_a_located_error(dsite):
    text = draft(征集情况说明={**REPORT, "发布日期": "2026-11-10"})
    result = built_with(dsite, text)
    assert result.returncode == 1
    diagnostic = located(result, text, "  发布日期: 2026-11-10")
    assert "征集情况说明 is dated 2026-11-10, not after the deadline 2026-11-13" in diagnostic and "hint:" in diagnostic


def test_more_adopted_than_received_is_a_located_error(dsite):
    text = draft(征集情况说明={**REPORT, "采纳数": 13})
    result = built_with(dsite, text)
    assert "采纳数 13 is more than 意见数 12" in located(result, text, "采纳数")


def test_reasons_are_asked_for_what_was_not_adopted(dsite):
    text = draft(征集情况说明={**REPORT, "未采纳理由": None})
    result = built_with(dsite, text, "--today", "2026-12-07")
    assert result.returncode == 0
    assert "7 opinion(s) not adopted, and 未采纳理由 is missing" in located(result, text, "采纳数", "warning")


def test_a_late_report_is_a_warning(dsite):
    text = draft(征集情况说明={**REPORT, "发布日期": "2026-12-14"})  # 31 days after 11-13
    result = built_with(dsite, text, "--today", "2026-12-20")
    assert "published 31 days after the deadline 2026-11-13; the rule is within 30 days" in \
        located(result, text, "  发布日期: 2026-12-14", "warning")


@pytest.mark.parametrize("today, overdue", [("2026-12-13", None), ("2026-12-14", "1 day"), ("2027-01-02", "20 days")])
def test_a_missing_report_is_a_warning_naming_the_draft_and_the_days_overdue(dsite, today, overdue):
    text = draft()  # deadline 2026-11-13: the report is due by 2026-12-13
    result = built_with(dsite, text, "--today", today)
    assert result.returncode == 0, result.stderr
    if overdue is None:
        assert "warning" not in result.stderr
        return
    diagnostic = located(result, text, "征集截止日期", "warning")
    assert f"d: no 征集情况说明" in diagnostic and f"due by 2026-12-13 (overdue by {overdue})" in diagnostic
    assert "add `征集情况说明:`" in diagnostic


def test_an_unknown_final_policy_is_a_located_error_with_a_suggestion(dsite):
    text = draft(正式文件="banfaa")
    result = built_with(dsite, text)
    assert result.returncode == 1
    assert "正式文件: unknown policy document 'banfaa'" in located(result, text, "正式文件")
    assert "did you mean 'banfa'?" in result.stderr


def test_a_final_policy_published_before_the_deadline_is_a_warning(dsite):
    dsite.policy("early", 标题="早发文件", 成文日期="2026-11-05", 发布日期="2026-11-06")
    text = draft(正式文件="early")
    result = built_with(dsite, text, "--today", "2026-11-20")
    assert "正式文件 early was published 2026-11-06, before the comment period closed" in \
        located(result, text, "正式文件", "warning")


def test_two_drafts_cannot_become_the_same_policy(dsite):
    text = draft(正式文件="banfa")
    dsite.write("drafts/a.md", text)
    result = built_with(dsite, text, "--today", "2026-12-07")
    assert result.returncode == 1
    line = line_of(text, "正式文件")
    assert re.search(rf"drafts/[ad]\.md:{line}: error: 正式文件: banfa is already the final document of "
                     r"\S*drafts/[ad]\.md", result.stderr), result.stderr


def test_a_draft_needs_its_text_its_explanation_and_a_way_to_comment(dsite):
    text = draft(body="")
    assert "the draft has no text: no body and no 附件" in built_with(dsite, text).stderr
    text = draft(起草说明=None)
    assert "missing required field '起草说明'" in built_with(dsite, text).stderr
    text = draft(反馈渠道={"电话": "010-62345678"})
    result = built_with(dsite, text)
    assert "unknown field '电话'" in result.stderr
    text = draft(反馈渠道={"在线提交": "not a url"})
    assert "在线提交: 'not a url' is not a URL" in built_with(dsite, text).stderr
    text = draft(草案类型="规章")
    assert "草案类型: '规章' is not one of 一般政策文件, 规范性文件, 重大行政决策" in built_with(dsite, text).stderr


def test_an_empty_channels_mapping_is_a_located_error(dsite):
    text = draft(反馈渠道={"电子邮箱": ""})
    result = built_with(dsite, text)
    assert result.returncode == 1
    assert "反馈渠道 gives no way to comment" in result.stderr


def test_attachments_are_published_and_checked(dsite):
    dsite.write("drafts/files/zqyj.csv", "条款,内容\n第一条,测试\n")
    text = draft(body="", 附件="[{标题: 征求意见稿, 文件: files/zqyj.csv}]")
    assert built_with(dsite, text, "--today", "2026-12-07").returncode == 0
    link = dsite.page("yjzj/d/").select_one(".attachments a")
    assert link.get_text() == "征求意见稿" and (dsite.output / "drafts/files/zqyj.csv").is_file()
    text = draft(附件="[files/missing.docx]")
    assert "file 'files/missing.docx' does not exist" in located(built_with(dsite, text), text, "附件")


def test_new_draft_writes_a_file_that_builds_once_filled_in(dsite):
    result = dsite.run("new", "draft", "关于公开征求《新办法（征求意见稿）》意见的公告", "--content", str(dsite.content),
                       "--today", "2026-12-07")
    assert result.returncode == 0, result.stderr
    path = next((dsite.content / "drafts").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    assert "征集开始日期: 2026-12-07" in text and "征集截止日期: 2026-12-11" in text  # 5 working days
    result = dsite.build("--today", "2026-12-07")
    assert "missing required field" in result.stderr or "field '起草说明' is empty" in result.stderr
    path.write_text(text.replace("起草说明:\n", "起草说明: 为规范新工作起草本办法。\n") + "第一条 新办法。\n",
                    encoding="utf-8")
    dsite.build_ok("--today", "2026-12-07")
    assert status(dsite.page(f"yjzj/{path.stem}/"))[0] == "征集中"
