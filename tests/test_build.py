"""Built sites, asserted on the HTML a citizen would get."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import THEME, texts, tree_digest


def meta_values(soup) -> dict[str, str]:
    return {div.dt.get_text(strip=True): " ".join(div.dd.get_text(" ", strip=True).split())
            for div in soup.select("dl.doc-meta > div")}


def test_document_page_shows_the_metadata_block(site):
    site.policy("a", 索引号="000014349/2023-00012", 文号="测文旅规〔2023〕1号", 文种="规范性文件",
                成文日期="2023-03-28", 发布日期="2023-04-03", 施行日期="2023-05-01", 标签=["企业"])
    site.build_ok()
    soup = site.page("zcwj/a/")
    meta = meta_values(soup)
    assert meta["索引号"] == "000014349/2023-00012"
    assert meta["主题分类"] == "文化、广电、新闻出版"
    assert meta["发布机构"] == "测试市文化和旅游局"
    assert meta["成文日期"] == "2023-03-28"
    assert meta["发布日期"] == "2023-04-03"
    assert meta["施行日期"] == "2023-05-01"
    assert meta["文号"] == "测文旅规〔2023〕1号"
    assert meta["有效性"] == "现行有效"
    assert soup.h1.get_text() == DEFAULT_TITLE
    assert len(soup.find_all("h1")) == 1
    assert soup.select_one(".notice") is None


DEFAULT_TITLE = "测试市文化和旅游局关于做好文化工作的通知"


def test_repealed_document_has_notice_and_links_both_ways(site):
    site.policy("old", 标题="旧办法", 文种="规范性文件", 发布日期="2019-06-14", 成文日期="2019-06-10",
                有效性="废止", 有效性变更日期="2023-05-01")
    site.policy("new", 标题="新办法", 文种="规范性文件", 文号="测文旅规〔2023〕1号", 替代=["old"])
    site.build_ok()
    old = site.page("zcwj/old/")
    notice = old.select_one(".notice")
    assert notice is not None
    text = notice.get_text(" ", strip=True)
    assert "本文件已废止" in text and "2023年5月1日" in text
    link = notice.find("a")
    assert link.get_text() == "《新办法》" and link["href"] == "../new/"
    assert "测文旅规〔2023〕1号" in text
    # The replacing document links back to the one it replaced.
    new = site.page("zcwj/new/")
    assert new.select_one(".notice") is None
    back = [a for a in new.select(".relations a") if a.get_text() == "旧办法"]
    assert back and back[0]["href"] == "../old/"
    assert "本文件替代的文件" in new.select_one(".relations").get_text()


def test_replacement_written_on_the_old_side_links_both_ways(site):
    site.policy("old", 标题="旧办法", 发布日期="2019-06-14", 成文日期="2019-06-10", 有效性="失效",
                有效性变更日期="2023-05-01", 被替代=["new"])
    site.policy("new", 标题="新办法")
    site.build_ok()
    assert site.page("zcwj/old/").select_one(".notice a")["href"] == "../new/"
    assert [a["href"] for a in site.page("zcwj/new/").select(".relations a")] == ["../old/"]
    assert "本文件已失效" in site.page("zcwj/old/").select_one(".notice").get_text()


def test_amended_document_notice_links_to_the_amendment(site):
    site.policy("base", 标题="基础办法", 发布日期="2020-01-10", 成文日期="2020-01-08", 有效性="已修改",
                有效性变更日期="2023-04-03")
    site.policy("change", 标题="修改决定", 修改=["base"])
    site.build_ok()
    notice = site.page("zcwj/base/").select_one(".notice")
    assert "本文件已被修改" in notice.get_text()
    assert notice.find("a")["href"] == "../change/"
    # 已修改 documents are still in force: listed as current, not repealed.
    assert "基础办法" in texts(site.page("zcwj/xxyx/").select(".doc-title"))


def test_listings_partition_current_and_repealed(site):
    site.policy("c1", 标题="现行一", 文种="规范性文件")
    site.policy("c2", 标题="现行二")
    site.policy("r1", 标题="废止一", 文种="规范性文件", 有效性="废止", 有效性变更日期="2023-05-01")
    site.policy("r2", 标题="失效二", 有效性="失效", 有效性变更日期="2023-05-01")
    site.build_ok()
    current = set(texts(site.page("zcwj/xxyx/").select(".doc-title")))
    repealed = set(texts(site.page("zcwj/sxfz/").select(".doc-title")))
    assert current == {"现行一", "现行二"}
    assert repealed == {"废止一", "失效二"}
    assert set(texts(site.page("zfxxgk/lzyj/gfxwj/").select(".doc-title"))) == {"现行一"}
    assert set(texts(site.page("zfxxgk/lzyj/gfxwj-fz/").select(".doc-title"))) == {"废止一"}


def test_pagination_newest_first_across_pages(site):
    for day in range(1, 13):
        site.policy(f"d{day:02d}", 标题=f"文件{day:02d}", 成文日期=f"2023-05-{day:02d}", 发布日期=f"2023-05-{day:02d}")
    site.build_ok()
    pages = [site.page("zcwj/xxyx/"), site.page("zcwj/xxyx/page/2/"), site.page("zcwj/xxyx/page/3/")]
    titles = [t for p in pages for t in texts(p.select(".doc-title"))]
    assert titles == [f"文件{d:02d}" for d in range(12, 0, -1)]
    assert [len(p.select(".doc-item")) for p in pages] == [5, 5, 2]
    assert pages[0].select_one('a[rel="next"]')["href"] == "page/2/"
    assert pages[1].select_one('a[rel="prev"]')["href"] == "../../"
    assert pages[1].select_one('.pagination a[aria-current="page"]').get_text(strip=True) == "第2页"
    assert pages[2].select_one('a[rel="next"]') is None
    assert pages[1].select_one("ol.doc-list")["start"] == "6"
    assert not (site.output / "zcwj/xxyx/page/4").exists()
    assert pages[1].title.get_text() != pages[0].title.get_text()


def test_service_link_shows_ban_icon_on_page_and_in_every_list(site):
    site.policy("svc", 标题="可办文件", 办事链接="https://zwfw.example.gov.cn/item/1", 标签=["企业"])
    site.build_ok()
    for url in ("zcwj/svc/", "zcwj/xxyx/", "", "tags/企业/", "topics/文化、广电、新闻出版/"):
        link = site.page(url).select_one("a.ban-link")
        assert link is not None, url
        assert link["href"] == "https://zwfw.example.gov.cn/item/1"
        assert link.select_one(".ban-icon").get_text() == "办"
        assert "在线办理" in link.get_text()  # a text label, not the icon alone


def test_tag_and_topic_pages(site):
    site.policy("a", 标题="甲", 标签=["企业", "惠企政策"], 主题分类="商贸、海关、旅游")
    site.policy("b", 标题="乙", 标签=["企业"])
    site.build_ok()
    assert set(texts(site.page("tags/企业/").select(".doc-title"))) == {"甲", "乙"}
    assert texts(site.page("tags/惠企政策/").select(".doc-title")) == ["甲"]
    assert texts(site.page("topics/商贸、海关、旅游/").select(".doc-title")) == ["甲"]
    index = site.page("tags/")
    assert [h.get_text() for h in index.find_all("h2")] == ["适用对象", "政策类型"]
    assert not (site.output / "tags/个人").exists()  # unused tags get no empty page
    page = site.page("zcwj/a/")
    assert {a.get_text() for a in page.select(".tag-list a")} == {"企业", "惠企政策"}


def test_breadcrumbs_show_the_disclosure_path(site):
    site.policy("n", 标题="规范文件", 文种="规范性文件")
    site.build_ok()
    crumbs = texts(site.page("zcwj/n/").select(".breadcrumbs li"))
    assert crumbs == ["首页", "政府信息公开", "履职依据", "规范性文件", "规范文件"]
    assert texts(site.page("zcwj/xxyx/").select(".breadcrumbs li")) == ["首页", "政策文件", "现行有效"]


def test_home_links_every_column_and_sitemap_lists_the_tree(site):
    site.policy("a")
    site.build_ok()
    home = site.page("")
    hrefs = {a["href"] for a in home.select("main a")}
    for url in ("zfxxgk/", "zfxxgk/lzyj/", "zcwj/", "zcwj/xxyx/", "zcwj/sxfz/"):
        assert url in hrefs or any(h.startswith(url) for h in hrefs), url
    sitemap_links = {a["href"] for a in site.page("sitemap/").select("main a")}
    assert {"../zfxxgk/lzyj/gfxwj/", "../zcwj/sxfz/", "../"} <= sitemap_links


def test_every_page_carries_the_footer_identity(site):
    site.policy("a")
    site.build_ok()
    for path in site.output.rglob("*.html"):
        soup = site.page(path.relative_to(site.output).as_posix())
        footer = soup.select_one("footer.site-footer")
        assert footer is not None, path
        text = footer.get_text(" ", strip=True)
        for value in ("测试市文化和旅游局", "测试市文化和旅游局办公室", "1100000001", "京ICP备12345678号",
                      "京公网安备11010502000001号"):
            assert value in text, (path, value)
        hrefs = [a["href"] for a in footer.find_all("a")]
        assert "https://beian.miit.gov.cn/" in hrefs
        assert any(h.endswith("recordcode=11010502000001") for h in hrefs)
        assert any("bszs.conac.cn" in h and "id=ABC123" in h for h in hrefs)
        assert footer.select_one('a[href*="conac"] img')["alt"] == "党政机关网站标识"


def test_sitemap_xml_feed_and_404(site):
    site.policy("a", 标题="甲", 发布日期="2023-05-02", 成文日期="2023-05-01")
    site.policy("b", 标题="乙", 发布日期="2023-06-02", 成文日期="2023-06-01")
    site.build_ok()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "a": "http://www.w3.org/2005/Atom"}
    urls = [e.text for e in ET.parse(site.output / "sitemap.xml").findall("s:url/s:loc", ns)]
    assert "https://wlj.example.gov.cn/zcwj/a/" in urls and "https://wlj.example.gov.cn/" in urls
    assert not any(u.endswith("404.html") for u in urls)
    feed = ET.parse(site.output / "feed.xml").getroot()
    titles = [e.text for e in feed.findall("a:entry/a:title", ns)]
    assert titles == ["乙", "甲"]
    assert feed.find("a:updated", ns).text.startswith("2023-06-02")
    notfound = site.page("404.html")
    # 404.html is served at any path, so its links are root-relative.
    assert notfound.select_one('link[rel="stylesheet"]')["href"] == "/static/site.css"
    assert "页面未找到" in notfound.h1.get_text()


def test_markdown_tables_render_as_real_tables(site):
    body = "| 序号 | 任务 | 牵头处室 |\n|---|---|---|\n| 1 | 公开预决算 | 财务处 |\n| 2 | 公开权责清单 | 法规处 |\n"
    site.policy("t", body=body)
    site.build_ok()
    table = site.page("zcwj/t/").select_one(".doc-body table")
    assert [th.get_text() for th in table.select("thead th")] == ["序号", "任务", "牵头处室"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    assert len(table.select("tbody tr")) == 2


def test_body_links_to_other_documents_and_attachments(site):
    site.write("policies/files/表格.csv", "\ufeff名称,地址\n江州图书馆,人民路1号\n")
    site.policy("target", 标题="目标文件")
    site.policy("src", body="参见[目标文件](target.md#第二条)和[申报表](files/表格.csv)。",
                附件=["{标题: 申报表, 文件: files/表格.csv}"])
    site.build_ok()
    soup = site.page("zcwj/src/")
    links = {a.get_text(): a["href"] for a in soup.select(".doc-body a")}
    assert links["目标文件"].startswith("../target/#")
    assert links["申报表"] == "../../policies/files/%E8%A1%A8%E6%A0%BC.csv"
    assert (site.output / "policies/files/表格.csv").read_bytes() == (site.content / "policies/files/表格.csv").read_bytes()
    attachment = soup.select_one(".attachments li")
    assert "申报表" in attachment.a.get_text() and "CSV" in attachment.get_text() and "B）" in attachment.get_text()


def test_traditional_chinese_document_has_its_own_lang(site):
    site.policy("hant", 标题="關於做好政務公開工作的通知", 语言="zh-Hant", body="各單位：現將要點印發給你們。")
    site.build_ok()
    soup = site.page("zcwj/hant/")
    assert soup.html["lang"] == "zh-Hant"
    # The document's part reads in Traditional Chinese, the theme's labels in it too; the site's navigation
    # stays in the site's language and says so (issue 14: Simplified navigation on a zh-Hant page).
    labels = [dt.get_text() for dt in soup.select("dl.doc-meta dt")]
    assert "發布機構" in labels and "索引號" in labels
    for part in ("header.site-header", "nav.breadcrumbs", "footer.site-footer", "a.skip-link"):
        assert soup.select_one(part)["lang"] == "zh-CN", part
    assert "网站地图" in soup.select_one("footer.site-footer").get_text()
    assert soup.select_one("nav.breadcrumbs [aria-current=page]")["lang"] == "zh-Hant"
    home = site.page("")
    assert home.html["lang"] == "zh-CN"
    # A Traditional title inside a Simplified list is marked.
    assert home.select_one("a.doc-title[href$='hant/']")["lang"] == "zh-Hant"


def test_output_is_deterministic(site, tmp_path):
    for n in range(7):
        site.policy(f"p{n}", 标题=f"文件{n}", 标签=["企业"])
    site.build_ok()
    first = tree_digest(site.output)
    again = tmp_path / "again"  # a second clean build elsewhere (a rebuild here would reuse the first)
    assert site.run("build", "--content", str(site.content), "--output", str(again), "--theme", str(THEME),
                    "--no-cache", raw=True).returncode == 0
    assert tree_digest(again) == first
    assert len(first) > 10


def test_raw_html_in_markdown_is_sanitised(site):
    # The link in a paragraph of its own: CommonMark reads a line that starts with <script> as raw HTML.
    site.policy("x", body='<script>alert(1)</script><p onclick="alert(2)">段落</p>\n\n[点我](javascript:alert(3))'
                          '<iframe src="https://evil.example/"></iframe><img src="https://img.example/x.png" onerror=alert(4)>')
    site.build_ok()
    html = (site.output / "zcwj/x/index.html").read_text(encoding="utf-8")
    body = html[html.index('class="doc-body"'):html.index("</article>")]
    for bad in ("<script", "onclick", "javascript:", "<iframe", "onerror", "alert("):
        assert bad not in body, bad
    assert "段落" in body
