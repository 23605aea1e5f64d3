"""The 重大行政决策事项目录 on built sites: every item's links lead to built pages and back, and every rule is
a located error or warning."""

from __future__ import annotations

import pytest

from conftest import SITE_YAML, line_of, texts
from test_drafts import PARTICIPATION_COLUMNS, REPORT, draft

ITEM_1 = """\
  - 决策事项: 制定《测试办法》
    承办单位: 测试市文化和旅游局政策法规处
    决策依据: 《中华人民共和国旅游法》
    履行程序: [公众参与, 合法性审查, 集体讨论决定]
    计划完成时间: 2026-12
    状态: 已完成
    意见征集: zqyj
    解读: [jiedu]
    听证: {日期: 2026-11-06, 会议: 测试办法听证会, 说明: 十名代表发言。, 文件: files/tingzheng.csv}
    审议: {日期: 2026-11-27, 会议: 局党组会议, 说明: 审议通过。}
"""
ITEM_2 = """\
  - 决策事项: 编制测试规划
    承办单位: 测试市文化和旅游局政策法规处
    决策依据: 市人民政府部署
    计划完成时间: 2027-03
    状态: 推进中
"""


def catalogue(items: str = ITEM_1 + ITEM_2, year: int = 2026, body: str = "目录说明。") -> str:
    return (f"---\n标题: 测试市文化和旅游局{year}年度重大行政决策事项目录\n年度: {year}\n发布机构: 测试市文化和旅游局\n"
            f"发布日期: {year}-03-20\n事项:\n{items}索引号: 000014349/{year}-9{year}\n---\n\n{body}\n")


@pytest.fixture
def csite(site):
    site.write("site.yaml", SITE_YAML + PARTICIPATION_COLUMNS + "  - {slug: zcjd, name: 政策解读, list: {type: interpretation}}\n")
    site.policy("banfa", 标题="测试办法", 成文日期="2026-12-01", 发布日期="2026-12-04")
    site.write("interpretations/jiedu.md", "---\n标题: 测试办法解读\n形式: 文字\n解读文件: [banfa]\n发布日期: 2026-12-04\n"
               "解读机构: 测试市文化和旅游局政策法规处\n索引号: 000014349/2026-00888\n---\n\n解读正文。\n")
    site.write("drafts/zqyj.md", draft(草案类型="重大行政决策", 征集截止日期="2026-12-01",
                                       征集情况说明={**REPORT, "发布日期": "2026-12-03"}, 正式文件="banfa"))
    site.write("decision-catalogues/files/tingzheng.csv", "发言人,意见\n代表甲,赞成\n")
    return site


def test_every_item_links_its_process_and_the_links_lead_to_built_pages(csite):
    csite.write("decision-catalogues/2026.md", catalogue())
    csite.build_ok("--today", "2026-12-07")
    page = csite.page("zdjcml/2026/")
    table = page.select_one("table.catalogue-table")
    assert texts(table.select("tbody tr")) == [
        "1 制定《测试办法》 测试市文化和旅游局政策法规处 公众参与、合法性审查、集体讨论决定 2026年12月 已完成",
        "2 编制测试规划 测试市文化和旅游局政策法规处 — 2027年3月 推进中"]
    assert table.select_one("tbody th a")["href"] == "#sx-1" and page.find(id="sx-1") is not None
    entry = page.find(id="sx-1")
    links = {a.get_text(): a["href"] for a in entry.select(".catalogue-links a")}
    assert links == {
        DRAFT_TITLE: "../../yjzj/zqyj/", "起草说明": "../../yjzj/zqyj/#h-explanation",
        "意见征集情况说明": "../../yjzj/zqyj/#report", "测试办法解读": "../../zcjd/jiedu/",
        "tingzheng": "../../decision-catalogues/files/tingzheng.csv", "《测试办法》": "../../zcwj/banfa/"}
    for href in links.values():  # followed: every target exists, with its fragment
        path, _, fragment = href.partition("#")
        target = csite.output / "zdjcml/2026" / path
        target = target / "index.html" if path.endswith("/") else target
        assert target.resolve().is_file(), href
        if fragment:
            assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), href
    text = entry.get_text("", strip=True)
    assert "听证情况：2026年11月6日，测试办法听证会" in text and "十名代表发言。" in text
    assert "会议审议情况：2026年11月27日，局党组会议" in text
    # Item 2 links nothing yet, and says so.
    assert "本事项尚未形成公开的决策过程材料。" in page.find(id="sx-2").get_text()


DRAFT_TITLE = "关于公开征求《测试办法（征求意见稿）》意见的公告"


def test_the_draft_and_the_final_document_link_back_to_their_item(csite):
    csite.write("decision-catalogues/2026.md", catalogue())
    csite.build_ok("--today", "2026-12-07")
    back = csite.page("zcwj/banfa/").select_one(".participation").find_all("a")[-1]
    assert back["href"] == "../../zdjcml/2026/#sx-1" and "2026年度重大行政决策事项目录" in back.get_text()
    links = csite.page("yjzj/zqyj/").select(".draft-links a")
    assert [a["href"] for a in links] == ["../../zcwj/banfa/", "../../zdjcml/2026/#sx-1"]


def test_the_column_lists_catalogues_newest_first(csite):
    csite.write("decision-catalogues/2026.md", catalogue())
    csite.write("decision-catalogues/2025.md", catalogue(ITEM_2.replace("2027-03", "2025-10").replace("推进中", "已调整")
                                                         + "    说明: 并入2026年度目录。\n", year=2025))
    csite.build_ok("--today", "2026-12-07")
    items = csite.page("gzcy/zdjcml/").select(".catalogue-item")
    assert [i.select_one(".doc-title").get_text() for i in items] == [
        "测试市文化和旅游局2026年度重大行政决策事项目录", "测试市文化和旅游局2025年度重大行政决策事项目录"]
    assert "决策事项2项" in items[0].get_text()


def fails_at(csite, text: str, needle: str, message: str, level: str = "error", today: str = "2026-12-07"):
    csite.write("decision-catalogues/2026.md", text)
    result = csite.build("--today", today)
    assert result.returncode == (1 if level == "error" else 0), result.stderr
    where = f"decision-catalogues/2026.md:{line_of(text, needle)}: {level}: "
    lines = result.stderr.splitlines()
    at = next((n for n, l in enumerate(lines) if where in l and message in l), None)
    assert at is not None, f"no {level} {message!r} at {where}\n{result.stderr}"
    assert lines[at + 1].strip().startswith("hint:")
    return result


@pytest.mark.parametrize("field, bad, message", [
    ("意见征集: zqyj", "意见征集: zqyi", "item 1 (制定《测试办法》): 意见征集 'zqyi' is not a draft for comment"),
    ("解读: [jiedu]", "解读: [jiedu, nothing]", "解读 'nothing' is not a policy interpretation"),
    ("    审议:", "    决策文件: nowhere\n    审议:", "决策文件 'nowhere' is not a policy document"),
])
def test_an_item_pointing_at_nothing_is_a_located_error(csite, field, bad, message):
    text = catalogue(ITEM_1.replace(field, bad) + ITEM_2)
    fails_at(csite, text, bad.strip().splitlines()[0], message)


def test_a_missing_minutes_file_is_a_located_error(csite):
    text = catalogue(ITEM_1.replace("files/tingzheng.csv", "files/missing.pdf") + ITEM_2)
    fails_at(csite, text, "files/missing.pdf", "file 'files/missing.pdf' does not exist")


def test_a_final_document_other_than_the_drafts_is_an_error(csite):
    csite.policy("other", 标题="另一文件", 成文日期="2026-12-02", 发布日期="2026-12-05")
    text = catalogue(ITEM_1.replace("    审议:", "    决策文件: other\n    审议:") + ITEM_2)
    fails_at(csite, text, "决策文件: other", "决策文件 is other but its draft zqyj became banfa")


@pytest.mark.parametrize("today, warned", [("2027-03-31", False), ("2027-04-01", True)])
def test_an_item_past_due_without_a_final_document_is_a_warning(csite, today, warned):
    text = catalogue()
    csite.write("decision-catalogues/2026.md", text)
    result = csite.build("--today", today)
    assert result.returncode == 0, result.stderr
    message = "item 2 (编制测试规划) was due by 2027-03-31 and has no 决策文件 (past due by 1 day)"
    assert (message in result.stderr) is warned, result.stderr
    if warned:
        fails_at(csite, text, "计划完成时间: 2027-03", message, "warning", today)


def test_an_adjusted_item_is_not_past_due_but_needs_its_note(csite):
    adjusted = ITEM_2.replace("推进中", "已调整")
    csite.write("decision-catalogues/2026.md", catalogue(ITEM_1 + adjusted + "    说明: 调整至2027年度目录。\n"))
    result = csite.build("--today", "2027-06-01")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    text = catalogue(ITEM_1 + adjusted)
    fails_at(csite, text, "状态: 已调整", "item 2 is 已调整 but says nothing about it", "warning")


def test_done_without_a_final_document_and_a_final_document_not_done_are_warnings(csite):
    text = catalogue(ITEM_1 + ITEM_2.replace("状态: 推进中", "状态: 已完成  # 第2项"))
    fails_at(csite, text, "# 第2项", "item 2 (编制测试规划) is 已完成 but no 决策文件 is linked", "warning")
    text = catalogue(ITEM_1.replace("状态: 已完成", "状态: 推进中") + ITEM_2.replace("状态: 推进中", "状态: 未启动"))
    fails_at(csite, text, "状态: 推进中", "item 1 has its 决策文件 banfa but 状态 is 推进中", "warning")


def test_a_drafts_type_must_be_a_major_decision(csite):
    csite.write("drafts/zqyj.md", draft(征集截止日期="2026-12-01", 正式文件="banfa",
                                        征集情况说明={**REPORT, "发布日期": "2026-12-03"}))
    text = catalogue()
    fails_at(csite, text, "意见征集: zqyj", "item 1: its draft zqyj has 草案类型 规范性文件", "warning")


@pytest.mark.parametrize("bad, message", [
    ("计划完成时间: 2026年12月", "'2026年12月' is not in the form YYYY-MM"),
    ("计划完成时间: 2026-13", "'2026-13' is not a real month"),
    ("状态: 完成", "状态: '完成' is not one of 未启动, 推进中, 已完成, 已调整"),
    ("履行程序: [公众参与, 听证]", "'听证' is not one of 公众参与"),
])
def test_bad_item_values_are_located_errors(csite, bad, message):
    key = bad.split(":")[0]
    good = next(l.strip() for l in ITEM_2.splitlines() if l.strip().startswith(key + ":")) if key != "履行程序" \
        else None
    items = ITEM_1 + (ITEM_2.replace(good, bad) if good else ITEM_2 + f"    {bad}\n")
    fails_at(csite, catalogue(items), bad, message)


def test_a_hearing_with_nothing_to_read_is_a_located_error(csite):
    text = catalogue(ITEM_1.replace("{日期: 2026-11-27, 会议: 局党组会议, 说明: 审议通过。}", "{日期: 2026-11-27}") + ITEM_2)
    fails_at(csite, text, "审议: {日期: 2026-11-27}", "the record gives nothing to read")


def test_the_year_must_match_the_file_name(csite):
    text = catalogue().replace("年度: 2026", "年度: 2025")
    fails_at(csite, text, "年度: 2025", "年度 is 2025 but the file is named 2026.md")


def test_new_decision_catalogue_writes_the_years_file(csite):
    result = csite.run("new", "decision_catalogue", "测试市文化和旅游局2027年度重大行政决策事项目录", "--content",
                       str(csite.content), "--today", "2027-01-05")
    assert result.returncode == 0, result.stderr
    path = csite.content / "decision-catalogues" / "2027.md"
    text = path.read_text(encoding="utf-8")
    assert "年度: 2027" in text and "计划完成时间: 2027-12" in text
    result = csite.build("--today", "2027-01-05")
    assert f"decision-catalogues/2027.md:{line_of(text, '  - 决策事项:')}: error: field '决策事项' is empty" in \
        result.stderr
