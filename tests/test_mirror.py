"""The 繁體 mirror (site.yaml ``traditional:``): page for page, link for link, the Simplified site again in
Traditional characters under its own folder, with a 简/繁 switch, correct languages and its own search."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import opencc
import pytest

from conftest import ROOT, Site
from search_query import IndexReader

MIRROR = "\ntraditional:\n  enabled: true\n"
BODY = "各单位：现将发展规划印发给你们。\n\n## 第一条 总则\n\n运行 `发布机构` 命令。见[第一条](#第一条-总则)。"


@pytest.fixture
def mirrored(tmp_path) -> Site:
    site = Site(tmp_path)
    site.write("site.yaml", (site.content / "site.yaml").read_text(encoding="utf-8") + MIRROR)
    site.policy("fazhan", 标题="测试市文化和旅游局关于发展规划的通知", 标签=["企业"], body=BODY)
    site.policy("hant", 标题="關於做好政務公開工作的通知，台灣了解", 语言="zh-Hant",
                body="各單位：現將要點印發給你們，台灣了解。", 相关文件=["fazhan"])
    site.build_ok()
    return site


def _pages(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}


def _links(site: Site, rel: str) -> list[str]:
    """Every link of a page, resolved to a site path (hrefs and srcs, fragments kept)."""
    soup = site.page(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    base = "http://x/" + rel
    out = []
    for el in soup.select("[href], [src]"):
        if el.name == "link" and el.get("rel") in (["canonical"], ["alternate"]) or "script-switch" in el.get(
                "class", []):
            continue
        target = urljoin(base, el.get("href") or el.get("src"))
        if target.startswith("http://x/"):
            path, hash_, fragment = unquote(target[len("http://x/"):]).partition("#")
            target = path.removesuffix("index.html") + hash_ + fragment
        out.append(target)
    return out


def test_every_page_has_its_twin_with_the_same_links(mirrored):
    out = mirrored.output
    simplified = {p for p in _pages(out) if not p.startswith("zh-hant/")}
    twins = {p[len("zh-hant/"):] for p in _pages(out) if p.startswith("zh-hant/")}
    assert simplified == twins and len(simplified) > 10
    pages = {p.removesuffix("index.html") for p in simplified} | {"feed.xml"}
    for rel in sorted(simplified):
        expected = []
        for target in _links(mirrored, rel):
            path = target.partition("#")[0].partition("?")[0]
            if path in pages:
                target = "zh-hant/" + target
            elif "jiucuo" in target:  # the 找错 link carries the page's own address
                target = target.replace("gov.cn%2F", "gov.cn%2Fzh-hant%2F")
            expected.append(target)
        assert _links(mirrored, "zh-hant/" + rel) == expected, rel


def test_text_is_converted_but_urls_ids_code_and_traditional_documents_are_not(mirrored):
    page = mirrored.page("zh-hant/zcwj/fazhan/")
    assert page.html["lang"] == "zh-Hant"
    assert page.h1.get_text() == "測試市文化和旅遊局關於發展規劃的通知"
    assert "現將發展規劃印發給你們" in page.select_one(".doc-body").get_text()
    assert page.select_one(".doc-body code").get_text() == "发布机构"
    simplified = mirrored.page("zcwj/fazhan/")
    assert [h.get("id") for h in page.select(".doc-body [id]")] == [h.get("id") for h in simplified.select(
        ".doc-body [id]")]
    assert page.select_one("meta[name=ArticleTitle]")["content"] == "測試市文化和旅遊局關於發展規劃的通知"
    # UI strings come from the theme's catalogue, on the whole mirror.
    assert "網站地圖" in page.select_one("footer").get_text()
    # A document written in Traditional stays exactly as written (OpenCC would turn 台灣 into 臺灣, 了解 into 瞭解).
    hant, hant_twin = mirrored.page("zcwj/hant/"), mirrored.page("zh-hant/zcwj/hant/")
    assert str(hant.select_one(".doc-body")) == str(hant_twin.select_one(".doc-body"))
    assert hant_twin.h1.get_text() == "關於做好政務公開工作的通知，台灣了解"
    # Its head carries the site's metadata, in the site's language: converted on the mirror.
    assert hant.head["lang"] == "zh-CN" and hant.title.get_text().endswith(" - 测试市文化和旅游局")
    assert hant_twin.title.get_text().endswith(" - 測試市文化和旅遊局")
    # …while the site's frame around it is converted, and marked with the mirror's language.
    assert hant_twin.select_one("header.site-header")["lang"] == "zh-Hant"
    assert "江州" not in hant_twin.select_one("header").get_text()
    assert "測試市文化和旅遊局" in hant_twin.select_one(".site-name").get_text()
    # A Simplified document listed on the Traditional one's page: converted on the mirror, marked on both sides.
    related = hant.select_one(".relation-list a")
    assert related["lang"] == "zh-CN" and "发展规划" in related.get_text()
    related_twin = hant_twin.select_one(".relation-list a")
    assert related_twin["lang"] == "zh-Hant" and "發展規劃" in related_twin.get_text()
    # So is the site's vocabulary in its metadata (发布机构, 主题分类).
    issuer, issuer_twin = (p.select("dl.doc-meta dd")[2] for p in (hant, hant_twin))
    assert issuer["lang"] == "zh-CN" and issuer.get_text() == "测试市文化和旅游局"
    assert issuer_twin["lang"] == "zh-Hant" and issuer_twin.get_text() == "測試市文化和旅遊局"
    assert not mirrored.page("zcwj/fazhan/").select("dl.doc-meta dd[lang]")


def test_the_switch_leads_to_the_same_page_in_the_other_script(mirrored):
    for rel, twin in (("zcwj/fazhan/", "zh-hant/zcwj/fazhan/"), ("", "zh-hant/"), ("search/", "zh-hant/search/")):
        page, other = mirrored.page(rel), mirrored.page(twin)
        switch = page.select_one("a.script-switch")
        assert switch.get_text() == "繁體" and switch["lang"] == switch["hreflang"] == "zh-Hant"
        assert switch["aria-label"] == "繁體中文版"
        assert unquote(urljoin("http://x/" + rel, switch["href"])) == "http://x/" + twin
        back = other.select_one("a.script-switch")
        assert back.get_text() == "简体" and back["lang"] == back["hreflang"] == "zh-CN"
        assert back["translate"] == "no"
        assert unquote(urljoin("http://x/" + twin, back["href"])) == "http://x/" + rel
        for soup in (page, other):
            alternates = {a["hreflang"]: a["href"] for a in soup.select("link[rel=alternate][hreflang]")}
            assert alternates == {"zh-CN": "https://wlj.example.gov.cn/" + rel,
                                  "zh-Hant": "https://wlj.example.gov.cn/" + twin}


def test_sitemap_lists_both_and_the_mirror_has_its_own_feed(mirrored):
    sitemap = (mirrored.output / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>https://wlj\.example\.gov\.cn/([^<]*)</loc>", sitemap)
    assert "zcwj/fazhan/" in locs and "zh-hant/zcwj/fazhan/" in locs
    assert len(locs) == 2 * len([x for x in locs if not x.startswith("zh-hant/")])
    assert not (mirrored.output / "zh-hant" / "sitemap.xml").exists()
    feed = (mirrored.output / "zh-hant" / "feed.xml").read_text(encoding="utf-8")
    assert 'xml:lang="zh-Hant"' in feed and "測試市文化和旅遊局關於發展規劃的通知" in feed
    assert "https://wlj.example.gov.cn/zh-hant/zcwj/fazhan/" in feed
    assert mirrored.page("zh-hant/").select_one("link[type='application/atom+xml']")["href"] == "feed.xml"


def _reader(root: Path) -> IndexReader:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "search").rglob("*") if p.is_file()}
    return IndexReader(files)


def test_the_mirror_has_its_own_search_index(mirrored):
    simplified, traditional = _reader(mirrored.output), _reader(mirrored.output / "zh-hant")
    for query in ("发展规划", "發展規劃", "政務公開"):
        hits = [simplified.doc(h.doc)["u"] for h in simplified.search(query)]
        assert hits and hits == [traditional.doc(h.doc)["u"] for h in traditional.search(query)], query
    record = traditional.doc(traditional.search("发展规划")[0].doc)
    assert record["t"] == "測試市文化和旅遊局關於發展規劃的通知" and record["u"] == "zcwj/fazhan/"
    assert record["i"] == "測試市文化和旅遊局" and record["v"] == "現行有效"
    hant = traditional.doc(traditional.search("台灣了解")[0].doc)
    assert hant["t"] == "關於做好政務公開工作的通知，台灣了解" and hant["l"] == "zh-Hant"
    # The filters keep the values the filter menus send.
    assert traditional.manifest["facets"] == simplified.manifest["facets"]
    page = mirrored.page("zh-hant/search/")
    form = page.select_one("#search-form")
    assert form["data-index"] == "./" and form["data-root"] == "../"
    assert page.select_one("label[for=search-issuer]").get_text() == "發布機構"
    assert page.select_one("#search-issuer option[value='测试市文化和旅游局']").get_text() == "測試市文化和旅遊局"


@pytest.mark.parametrize("variant, lang, form", [("tw", "zh-Hant-TW", "裡"), ("hk", "zh-Hant-HK", "裏")])
def test_variants(tmp_path, variant, lang, form):
    site = Site(tmp_path)
    site.write("site.yaml", (site.content / "site.yaml").read_text(encoding="utf-8") + MIRROR
               + f"  variant: {variant}\n  path: fanti\n")
    site.policy("li", 标题="关于里程的通知", body="这里是正文。")
    site.build_ok()
    page = site.page("fanti/zcwj/li/")
    assert page.html["lang"] == lang and form in page.select_one(".doc-body").get_text()
    assert site.page("zcwj/li/").select_one("a.script-switch")["hreflang"] == lang


def test_without_the_switch_nothing_changes(site):
    site.policy("p")
    site.build_ok()
    assert not (site.output / "zh-hant").exists()
    page = site.page("zcwj/p/")
    assert page.select_one("a.script-switch") is None and not page.select("link[hreflang]")


def test_mirror_settings_are_checked(site):
    base = (site.content / "site.yaml").read_text(encoding="utf-8")
    site.policy("p")
    site.write("site.yaml", base.replace("language: zh-CN", "language: zh-Hant") + MIRROR)
    result = site.build()
    assert result.returncode == 1
    line = (base + MIRROR).splitlines().index("  enabled: true") + 1
    assert f"site.yaml:{line}: error: the 繁體 mirror converts Simplified Chinese" in result.stderr
    site.write("site.yaml", base + MIRROR + "  path: zcwj\n")
    result = site.build()
    assert result.returncode == 1 and "traditional.path 'zcwj' is also a top-level column" in result.stderr
    site.write("site.yaml", base + MIRROR + "  variant: cn\n")
    result = site.build()
    assert result.returncode == 1 and "'cn' is not one of standard, tw, hk" in result.stderr


def test_search_script_messages_are_opencc_forms():
    script = (ROOT / "themes/default/static/search.js").read_text(encoding="utf-8")
    table = script[script.index("var TRADITIONAL = {"):script.index("};", script.index("var TRADITIONAL = {"))]
    pairs = json.loads("{" + table[table.index("{") + 1:].strip().rstrip(",") + "}")
    assert len(pairs) > 8
    cc = opencc.OpenCC("s2t")
    assert {k: cc.convert(k) for k in pairs} == pairs
    simplified_literals = set(re.findall(r'"([^"]*[\u4e00-\u9fff][^"]*)"', script[script.index("function Page("):]))
    untranslated = {s for s in simplified_literals if cc.convert(s) != s and s not in pairs}
    assert not untranslated, f"messages search.js shows without a Traditional form: {untranslated}"


def test_a_traditional_documents_title_and_summary_stay_as_written_wherever_the_mirror_repeats_them(tmp_path):
    """OpenCC would turn the 台灣/了解 of a document written in Traditional into 臺灣/瞭解 where the page repeats
    its title and summary in text of the site's language: the <title> (before the site's name, which is
    converted), the head's metadata, the feed. Simplified text around it is converted in full."""
    site = Site(tmp_path)
    site.write("site.yaml", (site.content / "site.yaml").read_text(encoding="utf-8") + MIRROR)
    site.policy("fazhan", 标题="测试市文化和旅游局关于发展规划的通知")
    site.policy("hant", 标题="關於做好政務公開工作的通知，台灣了解", 语言="zh-Hant", 摘要="摘要說明：各地了解情況",
                body="各單位：現將要點印發給你們。", 相关文件=["fazhan"])
    site.build_ok()
    hant, twin = site.page("zcwj/hant/"), site.page("zh-hant/zcwj/hant/")
    assert twin.h1.get_text() == "關於做好政務公開工作的通知，台灣了解"
    assert twin.title.get_text() == "關於做好政務公開工作的通知，台灣了解 - 測試市文化和旅遊局"
    for soup in (hant, twin):
        assert soup.select_one("meta[name=ArticleTitle]")["content"] == "關於做好政務公開工作的通知，台灣了解"
        assert soup.select_one("meta[name=Description]")["content"] == "摘要說明：各地了解情況"
        description = soup.select_one("meta[name=description]")
        assert description["content"] == "摘要說明：各地了解情況" and description["lang"] == "zh-Hant"
    assert twin.select_one("meta[name=SiteName]")["content"] == "測試市文化和旅遊局"
    simplified = site.page("zh-hant/zcwj/fazhan/")
    assert simplified.title.get_text() == "測試市文化和旅遊局關於發展規劃的通知 - 測試市文化和旅遊局"
    assert not simplified.select_one("meta[name=description]").has_attr("lang")
    feed = (site.output / "zh-hant" / "feed.xml").read_text(encoding="utf-8")
    titles = re.findall(r"<title>([^<]*)</title>", feed)
    assert titles[0] == "測試市文化和旅遊局 - 最新文件"
    assert set(titles[1:]) == {"關於做好政務公開工作的通知，台灣了解", "測試市文化和旅遊局關於發展規劃的通知"}
    assert "摘要說明：各地了解情況" in feed and "测试" not in feed  # the site's issuer converted in every entry
    listed = {a.get_text(): a.get("lang") for a in site.page("zh-hant/zcwj/xxyx/").select(".doc-list a")
              if "通知" in a.get_text()}
    assert listed.get("關於做好政務公開工作的通知，台灣了解") == "zh-Hant", listed
    assert "測試市文化和旅遊局關於發展規劃的通知" in listed, listed
