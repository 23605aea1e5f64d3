"""Site search: the index builder (through the reference reader) and search.js in headless Chromium.

The index must find every document containing a query as a substring (100%
recall by construction) — the exact layer finds nothing else —, honour the
filters, rank title matches first and then newest, and be byte-identical from
one build to the next. Ranking, synonyms and matches in part:
tests/test_search_ranking.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import random
import re
import threading
from pathlib import Path

import pytest

from conftest import THEME, Site
from generator import load_site
from generator.errors import Report
import search_rank as rank
from generator.search import build_index, search_context
from generator.search.index import HOT_LIST, build_from_documents, site_columns
from search_query import IndexReader
from generator.search.text import SearchDoc, normalize, query_terms

CHROMIUM = Path("/usr/bin/chromium")
ENGINE = ("search-index.js", "search-rank.js")  # the search without the page, in load order
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

MUSEUM = "江州市美术馆发展与管理办法"


def write_demo(site: Site) -> None:
    """Five documents with distinct topics, issuers, years and validity; one in Traditional Chinese."""
    site.policy("meishuguan", "第一条 为促进本市美术馆事业发展，制定本办法。\n\n第二条 美术馆应当免费开放基本陈列。",
                标题=MUSEUM, 文种="规范性文件", 发布日期="2023-04-03", 文号="测文旅规〔2023〕1号",
                关键词="[美术馆, ＡＢＣ管理]")
    site.policy("lvyou", "旅游景区应当公布最大承载量。美术展览除外。",
                标题="测试市旅游景区管理规定", 主题分类="商贸、海关、旅游", 发布日期="2024-05-06", 成文日期="2024-05-01")
    site.policy("old", "本办法自发布之日起废止。馆藏品管理另行规定。",
                标题="测试市文化场馆旧办法", 有效性="废止", 有效性变更日期="2024-01-01",
                发布日期="2019-03-01", 成文日期="2019-02-20", 文种="规范性文件")
    site.policy("zhengfu", "市人民政府关于做好年度工作的安排。",
                标题="测试市人民政府关于年度工作的通知", 发布机构="测试市人民政府", 主题分类="综合政务",
                发布日期="2022-07-01", 成文日期="2022-06-30")
    site.policy("fanti", "第一條 為規範美術館的設立，制定本辦法。",
                标题="測試市美術館設立辦法", 语言="zh-Hant",
                发布日期="2021-09-09", 成文日期="2021-09-01")


@pytest.fixture
def demo(site):
    write_demo(site)
    report = Report()
    graph = load_site(site.content, report)
    assert graph is not None and not report.failed(False)
    return site, graph


@pytest.fixture
def reader(demo) -> IndexReader:
    return IndexReader(build_index(demo[1]))


def urls(reader: IndexReader, query: str, **filters) -> list[str]:
    return [reader.doc(h.doc)["u"] for h in reader.search(query, filters)]


def test_every_substring_up_to_four_characters_finds_its_document(demo, reader):
    from generator.search.text import documents

    docs = documents(demo[1])
    assert {d.url for d in docs} >= {"zcwj/meishuguan/", "zcwj/fanti/"}
    checked = 0
    for doc in docs:
        for text in doc.fields:
            for source in (text, normalize(text)):
                for n in range(1, 5):
                    for i in range(len(source) - n + 1):
                        query = source[i:i + n]
                        if not query_terms(query):
                            continue
                        assert doc.url in urls(reader, query), (query, doc.url)
                        checked += 1
    assert checked > 1000


def exact(reader: IndexReader, term: str) -> set[str]:
    """The documents the exact layer finds for a normalised term (search adds synonyms and matches in part)."""
    return {reader.doc(d)["u"] for d in reader.match_term(term)}


def test_results_are_exactly_the_documents_containing_the_query(demo, reader):
    from generator.search.text import documents

    docs = documents(demo[1])
    texts = {d.url: [normalize(f) for f in d.fields] for d in docs}
    rng = random.Random(1)
    pool = sorted({t[i:i + n] for fields in texts.values() for t in fields for n in (2, 3, 4, 5)
                   for i in range(len(t) - n + 1)})
    for query in rng.sample(pool, 300):
        expected = {u for u, fields in texts.items() if any(query in f for f in fields)}
        assert exact(reader, query) == expected, query
        assert set(urls(reader, query)) >= expected, query


def test_absent_queries_find_nothing(reader):
    assert urls(reader, "不存在的字词") == []
    assert urls(reader, "猫") == []
    # 旅游景区管理规定's body has 美术 (美术展览) and 馆 nowhere near: no false positive from bigrams
    # that occur apart; and none across two fields (文种 其他文件, then the body 旅游景区…).
    assert "zcwj/lvyou/" not in urls(reader, "美术馆")
    assert urls(reader, "其他文件") and urls(reader, "旅游景区")
    assert exact(reader, "其他文件旅游") == set()  # (search finds it in part: tests/test_search_ranking.py)
    assert urls(reader, "") == []


def test_ranking_title_matches_first_then_newest(reader):
    found = urls(reader, "美术馆")
    # Title matches (2023 and the 2021 Traditional one) come first, newest first; then body-only matches.
    assert found[:2] == ["zcwj/meishuguan/", "zcwj/fanti/"]
    assert urls(reader, "管理") == ["zcwj/lvyou/", "zcwj/meishuguan/", "zcwj/old/"]


def test_several_terms_must_all_occur(reader):
    assert urls(reader, "美术馆 免费开放") == ["zcwj/meishuguan/"]
    # An ideographic space separates terms too. No document has both: those with either are shown, and
    # the result says it is not complete (the page says so).
    result = rank.search(reader, "美术馆　承载量")
    assert result.terms == ["美术馆", "承载量"] and not result.complete
    assert {reader.doc(h.doc)["u"] for h in result.hits} == set(urls(reader, "美术馆")) | {"zcwj/lvyou/"}
    assert rank.search(reader, "美术馆 免费开放").complete


def test_folding_traditional_full_width_and_case(reader):
    assert "zcwj/fanti/" in urls(reader, "美术馆设立")  # 简体 query, 繁體 text
    assert "zcwj/meishuguan/" in urls(reader, "美術館發展")  # 繁體 query, 简体 text
    assert urls(reader, "abc管理") == ["zcwj/meishuguan/"]  # keyword written ＡＢＣ管理 (full width)
    assert urls(reader, "测文旅规〔２０２３〕１号") == ["zcwj/meishuguan/"]
    # Every bracket a 文号 is written with is the 六角括号 of GB/T 9704.
    for written in ("测文旅规(2023)1号", "测文旅规（2023）1号", "测文旅规[2023]1号", "测文旅规【2023】1号",
                    "测文旅规［2023］1号", "测文旅规﹝2023﹞1号", "[2023]1号"):
        assert urls(reader, written) == ["zcwj/meishuguan/"], written
    assert urls(reader, "测文旅规2023年1号") == ["zcwj/meishuguan/"]  # no brackets, 年
    assert exact(reader, "测文旅规20231号") == set()  # brackets are folded, not dropped: 〔2022〕2号 ≠ 〔2020〕22号


def test_filters(reader):
    assert urls(reader, "办法", validity="废止") == ["zcwj/old/"]
    assert set(urls(reader, "办法", validity="现行有效")) == {"zcwj/meishuguan/", "zcwj/fanti/"}
    assert urls(reader, "", topic="综合政务") == ["zcwj/zhengfu/"]
    assert urls(reader, "", issuer="测试市人民政府") == ["zcwj/zhengfu/"]
    assert urls(reader, "", year="2024") == ["zcwj/lvyou/"]
    assert urls(reader, "办法", year="2019") == ["zcwj/old/"]
    # A column includes what its sub-columns list: 政策文件 (zcwj/) has 现行有效 and 失效/废止.
    assert set(urls(reader, "", column="zcwj/")) == set(urls(reader, "", column="zcwj/xxyx/")) | {"zcwj/old/"}
    assert urls(reader, "", column="zfxxgk/lzyj/gfxwj-fz/") == ["zcwj/old/"]
    assert urls(reader, "美术馆", column="zfxxgk/lzyj/gfxwj/") == ["zcwj/meishuguan/"]
    assert urls(reader, "", kind="政策文件") == urls(reader, "", column="zcwj/")
    assert urls(reader, "办法", topic="综合政务", year="2019") == []
    assert urls(reader, "", topic="没有这个分类") == []


def test_search_context_offers_only_used_values(demo):
    filters = {f["name"]: f for f in search_context(demo[1])["filters"]}
    assert [v for v, _ in filters["year"]["options"]] == ["2024", "2023", "2022", "2021", "2019"]
    assert [v for v, _ in filters["validity"]["options"]] == ["现行有效", "废止"]
    assert [v for v, _ in filters["topic"]["options"]] == ["综合政务", "文化、广电、新闻出版", "商贸、海关、旅游"]
    columns = dict(filters["column"]["options"])
    assert columns["zcwj/xxyx/"] == "\u3000现行有效"


def test_index_is_deterministic(demo):
    site, graph = demo
    first = build_index(graph)
    again = build_index(load_site(site.content, Report()))
    assert first == again
    assert all(path.startswith("search/") for path in first)
    manifest = json.loads(first["search/manifest.json"])
    assert manifest["count"] == 5 and manifest["format"] == 2
    # The result records carry what a result shows; the Traditional document its language.
    record = IndexReader(first).doc(next(n for n in range(5) if IndexReader(first).doc(n)["u"] == "zcwj/fanti/"))
    assert record["l"] == "zh-Hant" and record["t"] == "測試市美術館設立辦法"


def synthetic(count: int, seed: int) -> list[SearchDoc]:
    """Documents of 2,000 characters: half from six frequent characters (whose bigrams get long, hot
    lists), half from 300 others (many short lists)."""
    rng = random.Random(seed)
    frequent = "的是在了和有"
    others = [chr(0x4E00 + 7 * k) for k in range(300)]
    docs = []
    for n in range(count):
        body = "".join(rng.choice(frequent) if rng.random() < 0.5 else rng.choice(others) for _ in range(2000))
        docs.append(SearchDoc(f"d/{n}/", body[:20], dt.date(2020, 1, 1) + dt.timedelta(days=n % 900), "policy",
                              [body[:20], body[20:]], topic="综合政务", validity="现行有效"))
    docs.sort(key=lambda d: (-d.date.toordinal(), d.url))
    return docs


@pytest.fixture(scope="module")
def hot_index(tmp_path_factory):
    """A synthetic index with hot (external) lists, and its documents."""
    site = Site(tmp_path_factory.mktemp("hot"))
    graph = load_site(site.content, Report())
    docs = synthetic(300, 7)
    return docs, build_from_documents(docs, site_columns(graph), graph.config)


def test_shards_are_bounded_and_hot_lists_separate(hot_index):
    docs, files = hot_index
    shards = [v for k, v in files.items() if k.startswith("search/i/")]
    hot: dict[str, int] = {}  # a hot term's document part and position part, together
    for path, data in files.items():
        if path.startswith("search/t/"):
            stem = path.removesuffix(".bin").removesuffix("-p")
            hot[stem] = hot.get(stem, 0) + len(data)
    assert len(shards) >= 16 and hot
    assert max(len(s) for s in shards) <= 64 * 1024
    assert min(hot.values()) > HOT_LIST


@pytest.mark.parametrize("verify_limit", [0, 20, 10**6])
def test_exact_results_with_hot_lists(hot_index, verify_limit):
    """Positions (limit 0), records when few candidates remain (20), records always: the same, exact."""
    docs, files = hot_index
    reader = IndexReader(files, verify_limit)
    texts = {d.url: [normalize(f) for f in d.fields] for d in docs}  # some of these characters are 繁體
    rng = random.Random(3)
    for _ in range(60):
        url = rng.choice(sorted(texts))
        field = rng.choice(texts[url])
        n = rng.choice((1, 2, 3, 4, 6))
        i = rng.randrange(len(field) - n)
        query = field[i:i + n]
        expected = {u for u, fields in texts.items() if any(query in f for f in fields)}
        assert exact(reader, normalize(query)) == expected, query
        assert {reader.doc(h.doc)["u"] for h in reader.search(query)} >= expected, query


# --------------------------------------------------------------------------- the page and search.js


def test_search_page_markup(demo):
    site, graph = demo
    site.build_ok()  # the build itself writes the search page
    page = site.page("search/")
    form = page.find("form", id="search-form")
    assert form["role"] == "search" and form.has_attr("hidden")
    assert form["data-index"] == "./" and form["data-root"] == "../"
    for select in form.find_all("select"):
        assert page.find("label", attrs={"for": select["id"]}), select["id"]
    status = page.find(id="search-status")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    fallback = page.find(id="search-fallback")
    assert "JavaScript" in fallback.get_text() and fallback.find("a", href="../sitemap/")
    assert all(s.has_attr("src") and not s.get_text().strip() for s in page.find_all("script"))
    assert not page.find_all(style=True) and not page.find_all("style")
    assert len(page.find_all("h1")) == 1


class _CSPHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", "default-src 'self'")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory, browser):
    """The demo plus 25 more documents, built, with the search index, served with a strict CSP."""
    site = Site(tmp_path_factory.mktemp("search-browser"))
    write_demo(site)
    for n in range(25):
        site.policy(f"tongzhi-{n:02d}", f"关于第{n}批文化场馆开放时间的通知正文。",
                    标题=f"测试市文化和旅游局关于第{n}批场馆开放的通知", 发布日期=f"2020-01-{n + 1:02d}",
                    成文日期="2020-01-01")
    site.build_ok()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_CSPHandler, directory=str(site.output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (no browser download); skipped only when one is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _open(browser, url: str):
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    return page, problems


def test_search_in_a_real_browser(served, browser):
    from playwright.sync_api import expect

    page, problems = _open(browser, served + "search/")
    expect(page.locator("#search-fallback")).to_be_hidden()
    box = page.locator("#search-q")
    page.keyboard.press("Tab")  # the skip link first; then reach the box by keyboard
    for _ in range(120):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "search-q":
            break
        page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.type("办法")
    page.keyboard.press("Enter")
    status = page.locator("#search-status")
    expect(status).to_have_text(re.compile(r"^找到 3 条与“办法”相关的结果"))
    titles = page.locator("#search-results .search-result-title a")
    expect(titles).to_have_text([MUSEUM, "測試市美術館設立辦法", "测试市文化场馆旧办法"])  # titles first, newest first
    assert titles.nth(1).get_attribute("lang") == "zh-Hant"
    assert titles.nth(0).locator("mark").first.inner_text() == "办法"
    assert titles.nth(1).locator("mark").first.inner_text() == "辦法"  # found through 繁简 folding
    assert "q=%E5%8A%9E%E6%B3%95" in page.url
    # A filter, chosen with the keyboard: 有效性 → 现行有效.
    page.locator("#search-validity").focus()
    page.locator("#search-validity").select_option("现行有效")
    expect(status).to_have_text(re.compile(r"^找到 2 条.*筛选条件：有效性：现行有效"))
    expect(titles).to_have_count(2)
    page.locator("#search-year").select_option("2021")
    expect(status).to_have_text(re.compile(r"^找到 1 条"))
    expect(titles).to_have_text(["測試市美術館設立辦法"])
    page.locator("#search-clear").click()
    expect(status).to_have_text(re.compile(r"^找到 3 条"))
    # Nothing found is said too.
    box.fill("没有这样的文字")
    box.press("Enter")
    expect(status).to_have_text(re.compile(r"^没有找到"))
    expect(page.locator("#search-results-section")).to_be_hidden()
    assert problems == []  # no CSP violation, no script error


def test_more_results_and_the_url_state(served, browser):
    from playwright.sync_api import expect

    page, problems = _open(browser, served + "search/?q=" + "开放")
    status = page.locator("#search-status")
    expect(status).to_have_text(re.compile(r"^找到 26 条"))
    items = page.locator("#search-results > li")
    expect(items).to_have_count(20)
    more = page.locator("#search-more")
    expect(more).to_have_text("显示更多结果（还有 6 条）")
    more.focus()
    page.keyboard.press("Enter")
    expect(items).to_have_count(26)
    expect(more).to_be_hidden()
    expect(items.nth(20).locator("a").first).to_be_focused()
    # Filters from the URL (a bookmarked search) are applied on load.
    page.goto(served + "search/?topic=" + "综合政务")
    expect(status).to_have_text(re.compile(r"^找到 1 条结果（筛选条件：主题分类：综合政务）"))
    assert problems == []


@pytest.mark.browser
def test_sort_by_date_and_the_count_announced(served, browser):
    """The results are ranked by relevance; a real control re-sorts them by date, says so in the live
    region and keeps the choice in the URL (a bookmark or a reload shows the same order)."""
    from playwright.sync_api import expect

    page, problems = _open(browser, served + "search/?q=" + "文化场馆")
    status = page.locator("#search-status")
    titles = page.locator("#search-results .search-result-title a")
    expect(status).to_have_text("找到 26 条与“文化场馆”相关的结果，按相关度排序。")
    expect(titles.first).to_have_text("测试市文化场馆旧办法")  # 2019, the only title match
    sort = page.get_by_label("排序")
    assert sort.evaluate("e => e.tagName") == "SELECT"
    sort.focus()
    sort.select_option("date")
    expect(status).to_have_text("已按发布日期排序（最新在前），共 26 条。")
    expect(titles.first).to_have_text("测试市文化和旅游局关于第24批场馆开放的通知")  # 2020-01-25
    assert "sort=date" in page.url
    dates = page.locator("#search-results time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True) and len(dates) == 20
    page.reload()
    expect(status).to_have_text(re.compile(r"按发布日期排序（最新在前）。$"))
    expect(page.locator("#search-sort")).to_have_value("date")
    expect(titles.first).to_have_text("测试市文化和旅游局关于第24批场馆开放的通知")
    sort.select_option("")
    expect(titles.first).to_have_text("测试市文化场馆旧办法")
    assert "sort=" not in page.url
    assert problems == []


@pytest.mark.browser
def test_results_fit_a_375_px_screen(served, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 375, "height": 700})
    page = context.new_page()
    page.goto(served + "search/?q=" + "文化场馆&sort=date")
    expect(page.locator("#search-results > li")).to_have_count(20)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    for control in ("#search-sort", "#search-q", "#search-more"):
        box = page.locator(control).bounding_box()
        assert box and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 375, control
    context.close()


def test_search_js_agrees_with_the_reference_reader(hot_index, browser, tmp_path):
    """On an index with hot (external) lists: every strategy of search.js gives the reference results."""
    docs, files = hot_index
    assert any(path.startswith("search/t/") for path in files)
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    (tmp_path / "favicon.ico").write_bytes(b"")
    (tmp_path / "static").mkdir()
    for name in ENGINE:
        (tmp_path / "static" / name).write_bytes((THEME / "static" / name).read_bytes())
    scripts = "".join(f'<script src="static/{name}"></script>' for name in ENGINE)
    (tmp_path / "h.html").write_text('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>'
                                     f'{scripts}</head><body></body></html>', encoding="utf-8")
    rng = random.Random(5)
    queries = []
    for _ in range(40):
        field = rng.choice(docs).fields[1]
        n = rng.choice((1, 2, 3, 4, 5, 7))
        i = rng.randrange(len(field) - n)
        queries.append(field[i:i + n])
    queries += [queries[0] + " " + queries[1], "没有这个"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CSPHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page, problems = _open(browser, f"http://127.0.0.1:{server.server_address[1]}/h.html")
        for limit in (0, 20, 10**6):
            got = page.evaluate("""async ([queries, limit, filters]) => {
                const index = new window.ZwgkSearch.Index('search/');
                index.verifyLimit = limit;
                const out = [];
                for (const q of queries) out.push((await index.search(q, filters)).hits.map(h => [h.doc, h.score]));
                return out;
            }""", [queries, limit, {}])
            reader = IndexReader(files, limit)
            want = [[[h.doc, h.score] for h in reader.search(q)] for q in queries]
            assert got == want, limit
        assert problems == []
    finally:
        server.shutdown()


def test_without_javascript_the_page_explains(served, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "search/")
    assert page.locator("#search-form").is_hidden()
    fallback = page.locator("#search-fallback")
    assert fallback.is_visible() and "JavaScript" in fallback.inner_text()
    assert page.locator("#search-fallback a[href='../sitemap/']").count() == 1
    context.close()
