"""新旧对照: hand-made pairs of documents with known changes, and the pages built from them.

The first part feeds Markdown bodies (rendered as the build renders them) to the comparison and checks
its counts, statuses, labels and marks; the second builds sites and checks the pages, their links, the
cases without a comparison, and incremental builds.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from markupsafe import escape

from conftest import THEME, texts
from generator.documents.policy.compare import Row, cn_number, compare
from generator.readers.markdown import render

ARTICLES = {  # distinct provisions, as a 管理办法 has them
    "purpose": "为规范本市公共图书馆的服务和管理，保障公民基本文化权益，根据有关法律法规，结合本市实际，制定本办法。",
    "scope": "本办法适用于本市行政区域内由政府设立、向社会公众免费开放的公共图书馆。",
    "hours": "公共图书馆每周开放时间不少于六十三小时，国家法定节假日和学校寒暑假期间应当适当延长开放时间。",
    "lending": "读者凭居民身份证或者社会保障卡即可办理借阅，每次可借图书不超过十册，借期三十日。",
    "digital": "公共图书馆应当建设数字阅读平台，提供电子图书、有声读物和在线讲座等数字资源服务。",
    "volunteers": "鼓励志愿者参与图书整理、阅读推广和导读服务，志愿服务时长按规定记录。",
    "effective": "本办法自2020年1月1日起施行。",
}
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def html(markdown: str) -> str:
    return render(markdown, Path("doc.md"), Path("."), 1).html


def articles(*keys: str, texts_: dict | None = None, first: int = 1) -> str:
    source = {**ARTICLES, **(texts_ or {})}
    return "\n\n".join(f"第{NUMERALS[n + first - 1]}条 {source[k]}" for n, k in enumerate(keys))


def rows(result) -> list[tuple[str, str, str | None]]:
    """(label, status, former label) of every article or paragraph row."""
    return [(r.label, r.status, r.former) for g in result.groups for r in g.rows]


# --------------------------------------------------------------------------- the comparison


def test_numerals():
    assert [cn_number(t) for t in ("一", "十", "十二", "二十一", "一百零五", "两百", "12", "１２")] == \
        [1, 10, 12, 21, 105, 200, 12, 12]


def test_identical_texts_are_all_unchanged():
    text = articles("purpose", "scope", "hours")
    result = compare(html(text), html(text))
    assert result.mode == "article"
    assert result.counts == {"修改": 0, "新增": 0, "删除": 0, "未变": 3}
    assert result.changed == []


def test_an_inserted_article_renumbers_the_following_ones():
    old = articles("purpose", "scope", "hours", "effective")
    new = articles("purpose", "scope", "digital", "hours", "effective")
    result = compare(html(old), html(new))
    assert result.summary == "修改 0 条，新增 1 条，删除 0 条，未变 4 条"
    assert rows(result) == [("第一条", "未变", None), ("第二条", "未变", None), ("第三条", "新增", None),
                            ("第四条", "未变", "第三条"), ("第五条", "未变", "第四条")]


def test_a_deleted_article_stays_in_place_marked_deleted():
    old = articles("purpose", "scope", "lending", "hours", "effective")
    new = articles("purpose", "scope", "hours", "effective")
    result = compare(html(old), html(new))
    assert result.counts == {"修改": 0, "新增": 0, "删除": 1, "未变": 4}
    assert rows(result)[2] == ("第三条", "删除", None)
    assert rows(result)[3] == ("第三条", "未变", "第四条")
    deleted = result.groups[0].rows[2]
    assert deleted.new == () and "借阅" in deleted.old[0] and deleted.old[0].startswith("<del>")


def test_a_modified_sentence_is_marked_inside_the_article():
    old = articles("purpose", "hours", "lending")
    new = articles("purpose", "hours", "lending",
                   texts_={"lending": "读者凭居民身份证或者社会保障卡即可办理借阅，每次可借图书不超过十册，借期六十日。"})
    result = compare(html(old), html(new))
    assert result.counts == {"修改": 1, "新增": 0, "删除": 0, "未变": 2}
    row = result.groups[0].rows[2]
    assert (row.label, row.status, row.former) == ("第三条", "修改", None)
    # Only the changed words are marked, each with words a screen reader says (not colour alone).
    assert str(row.old[0]) == ('读者凭居民身份证或者社会保障卡即可办理借阅，每次可借图书不超过十册，借期<del>'
                               '<span class="visually-hidden">删除：</span>三'
                               '<span class="visually-hidden">（删除结束）</span></del>十日。')
    assert '<ins><span class="visually-hidden">新增：</span>六<span class="visually-hidden">（新增结束）</span></ins>' \
        in row.new[0]
    assert "<del>" not in row.new[0] and "<ins>" not in row.old[0]


def test_numbers_change_whole_and_short_common_runs_fold_into_the_change():
    old = articles("effective")
    new = articles("effective", texts_={"effective": "本办法自2024年5月1日起施行。"})
    row = compare(html(old), html(new)).groups[0].rows[0]
    plain = [p.striptags() for p in row.new]
    assert plain == ["本办法自新增：2024年5（新增结束）月1日起施行。"]  # 2020年1 → 2024年5: one mark, not three


def test_renumbered_and_modified_articles_are_paired_by_content():
    """A rewrite that reorders: each old article finds its new place although its number changed."""
    old = articles("purpose", "lending", "hours", "effective")
    new = articles("purpose", "scope", "hours", "lending", "effective",
                   texts_={"hours": "公共图书馆每周开放时间不少于七十小时，国家法定节假日和学校寒暑假期间应当适当延长开放时间。"})
    result = compare(html(old), html(new))
    found = rows(result)
    assert ("第三条", "修改", None) in found  # hours: same number, changed
    assert ("第四条", "未变", "第二条") in found  # lending moved from 2 to 4, unchanged
    assert ("第二条", "新增", None) in found
    assert ("第五条", "未变", "第四条") in found
    assert result.counts == {"修改": 1, "新增": 1, "删除": 0, "未变": 3}


def test_an_unrelated_article_does_not_take_the_place_of_one_with_its_number():
    old = articles("purpose", "volunteers")
    new = articles("purpose", "digital", "volunteers")
    assert rows(compare(html(old), html(new)))[1:] == [("第二条", "新增", None), ("第三条", "未变", "第二条")]


def test_chapters_group_the_articles_and_are_compared_too():
    old = "## 第一章 总则\n\n" + articles("purpose", "scope") + "\n\n## 第二章 服务\n\n" + \
        articles("hours", "lending", first=3) + "\n\n## 第三章 附则\n\n第五条 " + ARTICLES["effective"]
    new = "## 第一章 总则\n\n" + articles("purpose", "scope") + "\n\n## 第二章 读者服务\n\n" + \
        articles("hours", "lending", first=3) + "\n\n## 第三章 数字服务\n\n第五条 " + ARTICLES["digital"] + \
        "\n\n## 第四章 附则\n\n第六条 " + ARTICLES["effective"]
    result = compare(html(old), html(new))
    headings = [(g.heading.label, g.heading.status, g.heading.former) for g in result.groups]
    assert headings == [("第一章 总则", "未变", None), ("第二章 读者服务", "修改", "第二章 服务"),
                        ("第三章 数字服务", "新增", None), ("第四章 附则", "未变", "第三章 附则")]
    assert result.heading_changes == [("修改", 1), ("新增", 1)]
    assert result.counts == {"修改": 0, "新增": 1, "删除": 0, "未变": 5}
    assert [r.label for r in result.groups[3].rows] == ["第六条"]


def test_high_numerals_and_inserted_article_numbers():
    old = "第二十条 " + ARTICLES["hours"] + "\n\n第二十一条 " + ARTICLES["lending"]
    new = "第二十条 " + ARTICLES["hours"] + "\n\n第二十条之一 " + ARTICLES["digital"] + "\n\n第二十一条 " + \
        ARTICLES["lending"]
    assert rows(compare(html(old), html(new))) == [("第二十条", "未变", None), ("第二十条之一", "新增", None),
                                                   ("第二十一条", "未变", None)]


def test_the_preamble_before_the_articles_is_left_out_and_counted():
    notice = "各区文化和旅游局：\n\n现将《办法》印发给你们，请认真贯彻执行。\n\n# 测试市公共图书馆服务办法\n\n"
    result = compare(html(articles("purpose", "hours")), html(notice + articles("purpose", "hours")))
    assert result.preamble == (0, 3)
    assert result.counts["未变"] == 2 and result.counts["新增"] == 0


def test_texts_without_articles_are_compared_by_paragraph():
    old = "图书馆将于五月起延长开放时间。\n\n周一闭馆，进行设备维护。\n\n咨询电话：010-62345678。"
    new = "图书馆将于六月起延长开放时间。\n\n暑期增设少儿阅览专场，每周六上午开放。\n\n咨询电话：010-62345678。"
    result = compare(html(old), html(new))
    assert result.mode == "paragraph" and result.unit == "段"
    assert result.summary == "修改 1 段，新增 1 段，删除 1 段，未变 1 段"
    assert [r.status for g in result.groups for r in g.rows] == ["修改", "删除", "新增", "未变"]


def test_a_text_in_articles_against_one_without_falls_back_to_paragraphs():
    result = compare(html(articles("purpose", "hours")), html("一、开放时间\n\n" + ARTICLES["hours"]))
    assert result.mode == "paragraph"
    assert result.counts["未变"] == 0 and result.counts["修改"] >= 1


def test_list_items_keep_their_numbers_and_text_is_escaped():
    old = "第一条 申请须提交：\n\n1. 申请表；\n2. 身份证明。"
    new = "第一条 申请须提交：\n\n1. 申请表；\n2. 身份证明；\n3. 承诺书 &lt;script&gt;alert(1)&lt;/script&gt;。"
    row = compare(html(old), html(new)).groups[0].rows[0]
    assert [p.striptags() for p in row.old] == ["申请须提交：", "1. 申请表；", "2. 身份证明。"]
    assert "&lt;script&gt;" in row.new[-1] and "<script" not in row.new[-1]
    assert row.status == "修改"


# --------------------------------------------------------------------------- built pages

OLD = "## 第一章 总则\n\n" + articles("purpose", "scope", "lending", "effective")
NEW = "## 第一章 总则\n\n" + articles("purpose", "scope", "lending", "digital", "effective",
                                       texts_={"lending": ARTICLES["lending"].replace("三十日", "六十日"),
                                               "effective": "本办法自2024年1月1日起施行。"})
PAGE = "zcwj/new/duibi/old/"


@pytest.fixture
def pair(site):
    site.policy("old", OLD, 标题="测试市公共图书馆服务暂行办法", 文种="规范性文件", 文号="测文旅规〔2019〕1号",
                成文日期="2019-12-01", 发布日期="2019-12-05", 有效性="废止", 有效性变更日期="2024-01-01")
    site.policy("new", NEW, 标题="测试市公共图书馆服务办法", 文种="规范性文件", 文号="测文旅规〔2023〕2号",
                替代="[old]")
    return site


def test_the_page_shows_the_summary_the_rows_and_both_documents(pair):
    pair.build_ok()
    page = pair.page(PAGE)
    assert page.body["class"] == ["page-comparison", "tpl-comparison"]
    assert page.h1.get_text() == "《测试市公共图书馆服务暂行办法》与《测试市公共图书馆服务办法》新旧对照"
    assert page.select_one(".cmp-counts").get_text() == "修改 2 条，新增 1 条，删除 0 条，未变 2 条。"
    assert texts(page.select(".cmp-docs dd a")) == ["《测试市公共图书馆服务暂行办法》", "《测试市公共图书馆服务办法》"]
    assert [a["href"] for a in page.select(".cmp-docs dd a")] == ["../../../old/", "../../"]
    titles = texts(page.select(".cmp-row-title"))
    assert titles == ["第一章 总则 未变", "第一条 未变", "第二条 未变", "第三条 修改", "第四条 新增",
                      "第五条 （原第四条） 修改"]
    # The index of changes links each changed article.
    assert [(a.get_text(), a["href"]) for a in page.select(".cmp-index a")] == \
        [("第三条", "#d4"), ("第四条", "#d5"), ("第五条", "#d6")]
    changed = page.find(id="d4")
    assert changed.select_one(".cmp-old del").get_text() == "删除：三（删除结束）"
    assert changed.select_one(".cmp-new ins").get_text() == "新增：六（新增结束）"
    assert page.find("meta", attrs={"name": "ArticleTitle"})["content"] == page.h1.get_text()


def test_both_documents_and_their_interpretations_link_the_page(pair):
    pair.write("interpretations/jd.md", "---\n标题: 图书馆办法解读\n形式: 文字\n解读文件: [old]\n发布日期: 2019-12-06\n"
                                        "解读机构: 测试市文化和旅游局政策法规处\n索引号: 000014349/2019-00777\n---\n\n解读正文。\n")
    pair.build_ok()
    for url, href in (("zcwj/new/", "duibi/old/"), ("zcwj/old/", "../new/duibi/old/"),
                      ("zcjd/jd/", "../../zcwj/new/duibi/old/")):
        links = [a for a in pair.page(url).select("a") if a.get("href") == href]
        assert texts(links) == ["《测试市公共图书馆服务暂行办法》与《测试市公共图书馆服务办法》新旧对照"], url


def test_an_amendment_decision_without_the_amended_text_gets_no_page(site):
    site.policy("banfa", articles("purpose", "lending"), 标题="测试市公共图书馆服务办法", 文种="规范性文件",
                有效性="已修改", 有效性变更日期="2024-01-01")
    decision = "测试市文化和旅游局决定对《测试市公共图书馆服务办法》作如下修改：\n\n一、第二条中的“十册”修改为“二十册”。"
    site.policy("xiugai", decision, 标题="关于修改《测试市公共图书馆服务办法》的决定", 文种="规范性文件",
                修改="[banfa]", 发布日期="2023-12-01")
    site.build_ok()
    assert not (site.output / "zcwj/xiugai/duibi").exists()
    assert site.page("zcwj/banfa/").select_one(".comparisons") is None
    # Appending the amended text (修正本) after the decision makes the page, comparing the articles only.
    amended = articles("purpose", "lending", texts_={"lending": ARTICLES["lending"].replace("十册", "二十册")})
    site.policy("xiugai", decision + "\n\n# 测试市公共图书馆服务办法（2023年修正）\n\n" + amended,
                标题="关于修改《测试市公共图书馆服务办法》的决定", 文种="规范性文件", 修改="[banfa]", 发布日期="2023-12-01")
    site.build_ok()
    page = site.page("zcwj/xiugai/duibi/banfa/")
    assert page.h1.get_text() == "《测试市公共图书馆服务办法》修改前后对照"
    assert page.select_one(".cmp-counts").get_text() == "修改 1 条，新增 0 条，删除 0 条，未变 1 条。"
    assert "修改后 3 段" in page.select_one(".cmp-summary").get_text()  # the decision's text is left out


def test_a_document_with_only_a_source_link_gets_no_page(site):
    site.policy("old", "", 标题="旧办法", 原文链接="https://flk.example.gov.cn/old", 有效性="废止",
                有效性变更日期="2024-01-01", 发布日期="2020-01-01", 成文日期="2020-01-01")
    site.policy("new", articles("purpose"), 标题="新办法", 替代="[old]")
    site.build_ok()
    assert not (site.output / "zcwj/new/duibi").exists()
    assert site.page("zcwj/new/").select_one(".comparisons") is None


def test_editing_either_document_rebuilds_the_page_incrementally(pair, tmp_path):
    pair.build_ok()
    page = pair.output / PAGE / "index.html"
    inode = os.stat(page).st_ino
    pair.policy("other", "另一份文件的正文。", 标题="无关的文件")
    pair.build_ok()
    assert os.stat(page).st_ino == inode, "an unrelated edit rendered the comparison again"
    # Edit the old text only: the page must show it, exactly as a clean build does.
    old = pair.content / "policies" / "old.md"
    old.write_text(old.read_text(encoding="utf-8").replace("借期三十日", "借期四十五日"), encoding="utf-8")
    pair.build_ok()
    assert os.stat(page).st_ino != inode
    assert pair.page(PAGE).find(id="d4").select_one(".cmp-old del").get_text() == "删除：四十五（删除结束）"
    clean = tmp_path / "clean"
    result = pair.run("build", "--content", str(pair.content), "--output", str(clean), "--theme", str(THEME),
                      "--no-cache", raw=True)
    assert result.returncode == 0, result.stderr
    assert (clean / PAGE / "index.html").read_bytes() == page.read_bytes()


# --------------------------------------------------------------------------- properties

_CLAUSES = st.text(alphabet="本市文化旅游局应当按照规定开展服务管理监督检查项目资金补助申报评审公示年月日十百二三四五", min_size=4,
                   max_size=40)


def _plain(paras) -> str:
    """A side's text as the reader sees it: marks and their hidden words removed."""
    return "\n".join(re.sub(r'<span class="visually-hidden">[^<]*</span>', "", str(p)).replace("<del>", "")
                     .replace("</del>", "").replace("<ins>", "").replace("</ins>", "") for p in paras)


@pytest.mark.property
@settings(max_examples=60, deadline=None)
@given(st.lists(_CLAUSES, min_size=1, max_size=8), st.lists(_CLAUSES, min_size=1, max_size=8))
def test_every_article_is_accounted_for_and_the_marks_keep_both_texts(old_clauses, new_clauses):
    old = "\n\n".join(f"第{NUMERALS[k]}条 {c}" for k, c in enumerate(old_clauses))
    new = "\n\n".join(f"第{NUMERALS[k]}条 {c}" for k, c in enumerate(new_clauses))
    result = compare(html(old), html(new))
    counts = result.counts
    assert counts["未变"] + counts["修改"] + counts["删除"] == len(old_clauses)
    assert counts["未变"] + counts["修改"] + counts["新增"] == len(new_clauses)
    all_rows: list[Row] = [r for g in result.groups for r in g.rows]
    # Read in order, the new sides are the new text; the old sides hold the old text, mark for mark.
    assert [_plain(r.new) for r in all_rows if r.status != "删除"] == [str(escape(c)) for c in new_clauses]
    assert sorted(_plain(r.old) for r in all_rows if r.status != "新增") == sorted(str(escape(c)) for c in old_clauses)
    for r in all_rows:
        old_marked, new_marked = "<del>" in "".join(r.old), "<ins>" in "".join(r.new)
        expected = {"未变": (False, False), "删除": (True, False), "新增": (False, True)}.get(r.status)
        assert (old_marked, new_marked) == expected if expected else (old_marked or new_marked), r
    assert compare(html(new), html(new)).counts == {"修改": 0, "新增": 0, "删除": 0, "未变": len(new_clauses)}


def test_very_long_texts_are_anchored_on_identical_articles():
    """Beyond a million article pairs the texts are anchored first: the result stays right where it can."""
    clauses = [f"第{n}条 本市第{n}号文化设施应当按照规定向社会开放，开放时间为每周{n % 7 + 1}天。" for n in range(1, 1201)]
    old = "\n\n".join(clauses)
    changed = clauses[:600] + ["第601条 本市新增的文化设施应当提供数字阅读服务。"] + \
        [c.replace("每周", "每周至少") if n == 900 else c for n, c in enumerate(clauses[600:], 601)]
    result = compare(html(old), html("\n\n".join(changed)))
    assert result.counts == {"修改": 1, "新增": 1, "删除": 0, "未变": 1199}
    found = rows(result)
    assert found[600] == ("第601条", "新增", None) and ("第900条", "修改", None) in found
