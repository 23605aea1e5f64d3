"""Policy interpretations on built sites: both-way links, sub-columns, media and their checks."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT, SITE_YAML, line_of, texts, with_index

import media_factory

FIXTURES = ROOT / "tests" / "fixtures" / "media"

INTERP_COLUMNS = """\
  - slug: zcjd
    name: 政策解读
    list: {type: interpretation}
    children:
      - slug: wzjd
        name: 文字解读
        list: {type: interpretation, form: [文字]}
        empty_reason: 暂无。
      - slug: tpjd
        name: 图片解读
        list: {type: interpretation, form: [图片]}
        empty_reason: 暂无。
      - slug: spjd
        name: 视频解读
        list: {type: interpretation, form: [视频]}
        empty_reason: 暂无。
"""


def interpretation(body: str = "", **fields) -> str:
    meta = {"标题": "解读", "形式": "文字", "解读文件": "[p]", "发布日期": "2023-04-03",
            "解读机构": "测试市文化和旅游局政策法规处", **fields}
    meta = with_index(meta, "jd" + repr((body, sorted(fields.items()))))
    lines = ["---", *(f"{k}: {v}" for k, v in meta.items() if v is not None), "---", ""]
    return "\n".join(lines) + (body or "这是一篇文字解读。") + "\n"


@pytest.fixture
def isite(site):
    site.write("site.yaml", SITE_YAML + INTERP_COLUMNS)
    site.policy("p", 标题="测试办法", 文种="规范性文件", 文号="测文旅规〔2023〕1号")
    media = site.content / "interpretations" / "media"
    media.mkdir(parents=True)
    for name in ("clip.webm", "clip.mp4", "clip.vtt"):
        shutil.copy(FIXTURES / name, media / name)
    media_factory.png(media / "poster.png", size=(160, 90))
    media_factory.png(media / "yitu.png", size=(300, 900))
    return site


def video(**fields) -> str:
    return interpretation(**{"形式": "视频", "视频": "[media/clip.webm, media/clip.mp4]", "封面": "media/poster.png",
                             "字幕": "media/clip.vtt", "文字实录": "视频无声，画面文字如下：图书馆每周开放不少于63小时。",
                             **fields})


def image(**fields) -> str:
    return interpretation(**{"形式": "图片", "图片": "media/yitu.png", "替代文本": "测试办法要点图解",
                             "文字版": "一、适用范围……二、申报流程……", **fields})


def test_links_run_both_ways_grouped_by_form(isite):
    isite.write("interpretations/text.md", interpretation(标题="文字解读一"))
    isite.write("interpretations/pic.md", image(标题="一图读懂测试办法"))
    isite.write("interpretations/vid.md", video(标题="视频解读测试办法"))
    isite.build_ok()
    policy = isite.page("zcwj/p/")
    section = policy.select_one("section.interpretations")
    assert [h.get_text() for h in section.find_all("h3")] == ["文字解读", "图片解读", "视频解读"]
    assert {a.get_text(): a["href"] for a in section.find_all("a")} == {
        "文字解读一": "../../zcjd/text/", "一图读懂测试办法": "../../zcjd/pic/", "视频解读测试办法": "../../zcjd/vid/"}
    for slug in ("text", "pic", "vid"):
        page = isite.page(f"zcjd/{slug}/")
        original = page.select_one(".original-title a")
        assert original["href"] == "../../zcwj/p/" and "测试办法" in original.get_text()
        meta = page.select_one(".original-doc").get_text(" ", strip=True)
        assert "测文旅规〔2023〕1号" in meta and "2023-04-03" in meta and "现行有效" in meta
    # Every list entry of the policy names the forms of its interpretations, as text.
    item = next(li for li in isite.page("zcwj/xxyx/").select(".doc-item") if "测试办法" in li.get_text())
    assert texts(item.select(".interp-forms .form-label")) == ["文字", "图片", "视频"]


def test_sub_columns_partition_the_interpretations(isite):
    isite.write("interpretations/t1.md", interpretation(标题="文一"))
    isite.write("interpretations/t2.md", interpretation(标题="文二", 发布日期="2023-04-04"))
    isite.write("interpretations/pic.md", image(标题="图一"))
    isite.write("interpretations/vid.md", video(标题="视一"))
    isite.build_ok()
    text = texts(isite.page("zcjd/wzjd/").select(".doc-title"))
    pics = texts(isite.page("zcjd/tpjd/").select(".doc-title"))
    vids = texts(isite.page("zcjd/spjd/").select(".doc-title"))
    combined = texts(isite.page("zcjd/").select(".doc-title"))
    assert text == ["文二", "文一"] and pics == ["图一"] and vids == ["视一"]
    assert sorted(combined) == sorted(text + pics + vids)
    assert texts(isite.page("zcjd/vid/").select(".breadcrumbs li"))[-2] == "视频解读"


def test_video_page_has_sources_captions_poster_transcript_and_downloads(isite):
    isite.write("interpretations/vid.md", video())
    isite.build_ok()
    page = isite.page("zcjd/vid/")
    player = page.select_one("video")
    assert player.has_attr("controls") and player["poster"] == "../../interpretations/media/poster.png"
    assert [(s["src"], s["type"]) for s in player.find_all("source")] == [
        ("../../interpretations/media/clip.webm", "video/webm"), ("../../interpretations/media/clip.mp4", "video/mp4")]
    track = player.find("track")
    assert track["kind"] == "captions" and track["srclang"] == "zh-CN" and track.has_attr("default")
    # The captions track resolves to a published WebVTT file.
    published = isite.output / "interpretations/media/clip.vtt"
    assert published.read_text(encoding="utf-8").startswith("WEBVTT")
    assert (isite.output / "zcjd/vid" / track["src"]).resolve() == published.resolve()
    assert "63小时" in page.select_one("section.transcript").get_text()
    downloads = [a for a in page.select("figure.video a[download]")]
    assert any("下载视频" in a.get_text() for a in downloads)
    assert "KB" in page.select_one("figure.video figcaption").get_text()


def test_image_page_and_list_thumbnail(isite):
    isite.write("interpretations/pic.md", image())
    isite.build_ok()
    page = isite.page("zcjd/pic/")
    img = page.select_one("figure.infographic img")
    assert img["alt"] == "测试办法要点图解" and (img["width"], img["height"]) == ("300", "900")
    assert "300×900" in page.select_one("figure.infographic figcaption").get_text()
    assert "申报流程" in page.select_one("section.text-alternative").get_text()
    thumb = isite.page("zcjd/tpjd/").select_one(".interp-item img.thumb")
    assert thumb["alt"] == ""  # decorative next to the linked title
    from PIL import Image

    with Image.open(isite.output / "zcjd/tpjd" / thumb["src"]) as im:
        assert im.size == (int(thumb["width"]), int(thumb["height"]))
        assert max(im.size) <= 320


def test_interpretation_of_a_repealed_policy_says_so_and_links_the_replacement(isite):
    isite.policy("old", 标题="旧办法", 文种="规范性文件", 发布日期="2019-06-14", 成文日期="2019-06-10",
                 有效性="废止", 有效性变更日期="2023-05-01")
    isite.policy("p", 标题="测试办法", 文种="规范性文件", 替代=["old"])
    isite.write("interpretations/old-jd.md", interpretation(解读文件="[old]", 发布日期="2019-06-14"))
    isite.build_ok()
    notice = isite.page("zcjd/old-jd/").select_one(".original-doc .notice")
    assert "原文件已废止" in notice.get_text()
    assert notice.find("a")["href"] == "../../zcwj/p/"


def test_sections_render_in_the_fixed_order(isite):
    isite.write("interpretations/t.md", interpretation(新旧差异="变化", 出台背景="背景", 适用对象="对象",
                                                       简明问答="[{问: 谁能申请？, 答: 本市单位。}]"))
    isite.build_ok()
    page = isite.page("zcjd/t/")
    assert [h.get_text() for h in page.select(".interp-section h2")] == ["出台背景", "适用对象", "新旧差异"]
    assert "谁能申请？" in page.select_one("section.qa dt").get_text()


@pytest.mark.parametrize("breakage,message", [
    (lambda m: (m / "clip.webm").unlink(), "file 'media/clip.webm' does not exist"),
    (lambda m: media_factory.garbage(m / "clip.webm"), "media/clip.webm"),
    (lambda m: media_factory.html_pretending(m / "clip.mp4"), "HTML"),
    (lambda m: media_factory.truncated(m / "clip.mp4", FIXTURES / "clip.mp4"), "truncated"),
    (lambda m: media_factory.broken_png(m / "poster.png"), "media/poster.png"),
    (lambda m: (m / "clip.vtt").write_text("字幕\n", encoding="utf-8"), "WEBVTT"),
    (lambda m: shutil.copy(m / "poster.png", m / "clip.webm"), "PNG"),
])
def test_broken_media_fail_the_build_with_the_file_named(isite, breakage, message):
    isite.write("interpretations/vid.md", video())
    isite.build_ok()
    before = isite.tree_digest()
    breakage(isite.content / "interpretations" / "media")
    result = isite.build()
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "interpretations/" in result.stderr
    assert isite.tree_digest() == before


def test_form_fields_are_required(isite):
    isite.write("interpretations/pic.md", interpretation(形式="图片", 图片="media/yitu.png"))
    result = isite.build()
    assert result.returncode == 1
    assert "形式 图片 needs the field '替代文本'" in result.stderr and "形式 图片 needs the field '文字版'" in result.stderr
    isite.write("interpretations/pic.md", video(字幕=None))
    result = isite.build()
    assert "形式 视频 needs the field '字幕'" in result.stderr
    assert f"interpretations/pic.md:{line_of(video(字幕=None), '形式')}: error" in result.stderr


def test_unknown_policy_reference(isite):
    text = interpretation(解读文件="[p, no-such]")
    isite.write("interpretations/t.md", text)
    result = isite.build()
    assert result.returncode == 1
    assert f"interpretations/t.md:{line_of(text, '解读文件')}: error: 解读文件: unknown policy document 'no-such'" \
        in result.stderr


def test_warnings_for_late_and_missing_interpretations(isite):
    isite.policy("q", 标题="无解读办法", 文种="规范性文件")
    text = interpretation(发布日期="2023-04-10")  # 4 working days after 2023-04-03: 4/5 is 清明
    isite.write("interpretations/late.md", text)
    result = isite.build()
    assert result.returncode == 0
    assert f"interpretations/late.md:{line_of(text, '发布日期')}: warning: published 4 working days after p" \
        in result.stderr
    assert "policies/q.md:" in result.stderr and "without an interpretation" in result.stderr
    assert isite.build("--strict").returncode == 1


def test_working_days_follow_the_holiday_calendar(isite):
    # 2023-09-28 (Thu) → 2023-10-09 (Mon): 9/29–10/6 are holidays, 10/7 and 10/8 are 调休 working days.
    isite.policy("p", 标题="测试办法", 文种="规范性文件", 发布日期="2023-09-28", 成文日期="2023-09-28")
    isite.write("interpretations/t.md", interpretation(发布日期="2023-10-09"))
    result = isite.build()
    assert "working days after" not in result.stderr
    isite.write("interpretations/t.md", interpretation(发布日期="2023-10-10"))
    assert "published 4 working days after p" in isite.build().stderr


def test_deadline_counts_from_the_newest_document_interpreted(isite):
    # An amendment is interpreted together with the 办法 it amends: the old 办法's date does not matter.
    isite.policy("base", 标题="基础办法", 文种="规范性文件", 发布日期="2020-01-10", 成文日期="2020-01-08",
                 有效性="已修改", 有效性变更日期="2023-04-03")
    isite.policy("p", 标题="修改决定", 文种="规范性文件", 修改=["base"])
    isite.write("interpretations/t.md", interpretation(解读文件="[p, base]"))
    result = isite.build()
    assert result.returncode == 0
    assert "working days after" not in result.stderr and "interpretations/t.md" not in result.stderr
