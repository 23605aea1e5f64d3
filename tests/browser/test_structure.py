"""What every built page must carry, read from the HTML (no browser needed): landmarks, one h1 and
ordered headings, the skip link first, lang, no inline code (CSP), a unique <title>, the gov-site
metadata, the statutory footer, named tables with scoped headers, alt text, hidden JS-only controls."""

from __future__ import annotations

import collections
import re
from urllib.parse import parse_qs, urlsplit

import yaml

from .conftest import ROOT

#: The theme's Traditional Chinese labels: a zh-Hant page shows its footer labels in Traditional.
HANT = yaml.safe_load((ROOT / "themes/default/locales/zh-Hant.yaml").read_text(encoding="utf-8"))

FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]"
SITE_META = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType")
ARTICLE_META = ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Description")


def _pages(built_site):
    for rel in built_site.html_files:
        yield rel, built_site.soup(rel)


def _report(problems: list[str], what: str) -> str:
    return f"{len(problems)} page(s) {what}:\n" + "\n".join(problems[:100])


def test_landmarks(built_site):
    problems = []
    for rel, soup in _pages(built_site):
        mains = soup.find_all("main")
        if len(mains) != 1 or mains[0].get("id") != "main":
            problems.append(f"{rel}: {len(mains)} <main> (need exactly one, id=main)")
        if len(soup.select("body > header")) != 1 or len(soup.select("body > footer")) != 1:
            problems.append(f"{rel}: needs one top-level <header> and one <footer>")
        labels = [n.get("aria-label") for n in soup.find_all("nav")]
        if not labels or None in labels or len(set(labels)) != len(labels):
            problems.append(f"{rel}: every <nav> needs its own aria-label: {labels}")
        outside = [el.name for el in soup.body.find_all(recursive=False)
                   if el.name not in ("header", "nav", "main", "footer", "script")
                   and "skip-link" not in el.get("class", [])]
        if outside:
            problems.append(f"{rel}: content outside the landmarks: {outside}")
    assert not problems, _report(problems, "with landmark problems")


def test_one_h1_and_no_skipped_heading_levels(built_site):
    problems = []
    for rel, soup in _pages(built_site):
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append(f"{rel}: headings {levels}: need exactly one h1, first")
            continue
        for before, after in zip(levels, levels[1:]):
            if after > before + 1:
                problems.append(f"{rel}: heading level jumps from h{before} to h{after} ({levels})")
                break
        if any(not h.get_text(strip=True) for h in soup.find_all(re.compile(r"^h[1-6]$"))):
            problems.append(f"{rel}: an empty heading")
    assert not problems, _report(problems, "with heading problems")


def test_skip_link_is_the_first_focusable_element(built_site):
    problems = []
    for rel, soup in _pages(built_site):
        first = soup.body.select_one(FOCUSABLE)
        if first is None or "skip-link" not in first.get("class", []) or first.get("href") != "#main":
            problems.append(f"{rel}: first focusable element is {first}")
    assert not problems, _report(problems, "without the skip link first")


def test_every_page_has_a_language(built_site):
    """The page's language is its content's; a part in another language says so (issue 14): the site's
    Simplified navigation on a document written in Traditional, and the whole 繁體 mirror in Traditional."""
    site_lang = built_site.soup("index.html").html["lang"]
    problems = []
    hant = mirror = 0
    for rel, soup in _pages(built_site):
        lang = soup.html.get("lang")
        switch = soup.select_one("a.script-switch")
        in_mirror = switch is not None and switch.get("hreflang") == site_lang
        if lang not in (site_lang, "zh-Hant"):
            problems.append(f"{rel}: lang={lang!r}")
        footer = soup.select_one("body > footer")
        frame = {part: soup.select_one(part).get("lang") for part in ("body > header", "body > footer")}
        if in_mirror:
            mirror += 1
            if lang != "zh-Hant" or set(frame.values()) - {None, "zh-Hant"}:
                problems.append(f"{rel}: a page of the 繁體 mirror in {lang}, its frame in {frame}")
            if "網站地圖" not in footer.get_text():
                problems.append(f"{rel}: the mirror's footer labels are not in Traditional Chinese")
        elif lang == "zh-Hant":
            hant += 1
            # A document written in Traditional: the site's navigation around it is Simplified, and marked.
            if set(frame.values()) != {site_lang} or "网站地图" not in footer.get_text():
                problems.append(f"{rel}: the Simplified frame of a zh-Hant page is marked {frame}")
        elif set(frame.values()) != {None}:
            problems.append(f"{rel}: the frame is marked {frame} on a page in the site's language")
    assert not problems, _report(problems, "with a wrong lang")
    assert hant, "the demo has no Traditional Chinese page (语言: zh-Hant) to check"
    assert mirror, "the demo has no 繁體 mirror (site.yaml traditional:) to check"


def test_no_inline_script_style_or_handlers(built_site):
    """Everything a strict `Content-Security-Policy: default-src 'self'` allows: local files only."""
    problems = []
    for rel, soup in _pages(built_site):
        for script in soup.find_all("script"):
            src = script.get("src")
            if not src or urlsplit(src).scheme or src.startswith("//") or script.string:
                problems.append(f"{rel}: {str(script)[:80]}")
        if soup.find("style"):
            problems.append(f"{rel}: a <style> element")
        for el in soup.find_all(True):
            if el.has_attr("style"):
                problems.append(f"{rel}: style attribute on <{el.name}>")
            handlers = [a for a in el.attrs if a.lower().startswith("on")]
            if handlers:
                problems.append(f"{rel}: event handler {handlers} on <{el.name}>")
            for attr in ("href", "src", "action"):
                if str(el.get(attr, "")).strip().lower().startswith("javascript:"):
                    problems.append(f"{rel}: javascript: URL on <{el.name}>")
        for link in soup.find_all("link", rel="stylesheet"):
            if urlsplit(link["href"]).scheme:
                problems.append(f"{rel}: third-party stylesheet {link['href']}")
    assert not problems, _report(problems, "with inline code")


def test_titles_are_unique(built_site):
    titles = collections.defaultdict(list)
    for rel, soup in _pages(built_site):
        title = soup.title.get_text(strip=True) if soup.title else ""
        assert title, f"{rel}: empty <title>"
        titles[title].append(rel)
    duplicates = {t: rels for t, rels in titles.items() if len(rels) > 1}
    assert not duplicates, f"duplicate <title>s: {duplicates}"


def _meta(soup) -> dict[str, str]:
    return {m["name"]: m.get("content", "") for m in soup.find_all("meta", attrs={"name": True})}


def test_gov_site_metadata_on_every_page(built_site):
    problems = []
    for rel, soup in _pages(built_site):
        meta = _meta(soup)
        for name in SITE_META + ("description",):
            if name not in meta:
                problems.append(f"{rel}: no <meta name={name}>")
        for name in SITE_META:
            if not meta.get(name, "").strip():
                problems.append(f"{rel}: empty <meta name={name}>")
        if "page-document" in soup.body.get("class", []):
            for name in ARTICLE_META:
                if name not in meta:
                    problems.append(f"{rel}: document without <meta name={name}>")
            if meta.get("ArticleTitle") != soup.h1.get_text(strip=True):
                problems.append(f"{rel}: ArticleTitle {meta.get('ArticleTitle')!r} is not the h1")
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.get("PubDate", "")):
                problems.append(f"{rel}: PubDate {meta.get('PubDate')!r}")
        if not soup.find("link", rel="canonical"):
            problems.append(f"{rel}: no canonical link")
    assert not problems, _report(problems, "with missing metadata")


def test_document_metadata_is_never_empty(built_site):
    problems = []
    for rel, soup in _pages(built_site):
        meta = _meta(soup)
        names = ("description",) + (ARTICLE_META if "page-document" in soup.body.get("class", []) else ())
        problems += [f"{rel}: empty <meta name={n}>" for n in names if n in meta and not meta[n].strip()]
    assert not problems, _report(problems, "with empty metadata")


def test_statutory_footer_on_every_page(built_site):
    problems = []
    for rel, soup in _pages(built_site):
        footer = soup.select_one("body > footer")
        text = footer.get_text(" ", strip=True)
        links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a", href=True)}
        hrefs = [a["href"] for a in footer.find_all("a", href=True)]
        for label in ("主办单位", "承办单位", "地址", "电话", "网站标识码"):
            if label not in text and HANT.get(label, label) not in text:
                problems.append(f"{rel}: footer without {label}")
        for label in ("网站地图", "联系我们"):
            if label not in links and HANT.get(label, label) not in links:
                problems.append(f"{rel}: footer without a {label} link")
        if not any(h.startswith("https://beian.miit.gov.cn/") for h in hrefs):
            problems.append(f"{rel}: no ICP备案号 link to beian.miit.gov.cn")
        if not any(h.startswith("http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=") for h in hrefs):
            problems.append(f"{rel}: no 公安机关备案号 link to beian.gov.cn")
        conac = footer.select_one("a[href^='https://bszs.conac.cn/'] img")
        if conac is None or not conac.get("alt", "").strip():
            problems.append(f"{rel}: no 党政机关 badge link with alt text")
        jiucuo = next((h for h in hrefs if h.startswith("https://zfwzgl.www.gov.cn/exposure/jiucuo.html")), None)
        canonical = soup.find("link", rel="canonical")["href"]
        if jiucuo is None or parse_qs(urlsplit(jiucuo).query).get("url") != [canonical]:
            problems.append(f"{rel}: 找错 link does not carry this page's URL {canonical}: {jiucuo}")
    assert not problems, _report(problems, "with an incomplete footer")


def test_contact_link_points_at_the_contact_page(built_site):
    soup = built_site.soup("index.html")
    link = next(a for a in soup.select("footer a") if a.get_text(strip=True) == "联系我们")
    contacts = [rel for rel in built_site.html_files if "tpl-page-contacts" in built_site.soup(rel).body["class"]]
    assert contacts, "the demo has no 联系方式 page"
    assert link["href"] + "index.html" == contacts[0]


def _named(table) -> bool:
    if table.caption and table.caption.get_text(strip=True):
        return True
    if table.get("aria-label") or table.get("aria-labelledby"):
        return True
    region = table.find_parent(attrs={"role": "region"})
    return region is not None and bool(region.get("aria-label") or region.get("aria-labelledby"))


def test_tables_have_scoped_headers(built_site):
    problems = []
    for rel, soup in _pages(built_site):
        for i, table in enumerate(soup.find_all("table"), 1):
            ths = table.find_all("th")
            if not ths:
                problems.append(f"{rel}: table {i} has no header cells")
            for th in ths:
                if th.get("scope") not in ("col", "row", "colgroup", "rowgroup") and not th.get("id"):
                    problems.append(f"{rel}: table {i}: <th> {th.get_text(strip=True)!r} without scope")
                    break
    assert not problems, _report(problems, "with tables lacking header markup")


def test_theme_tables_are_named(built_site):
    """Tables the theme renders (contacts, report, directory) have a caption and a named, focusable wrapper."""
    problems = []
    for rel, soup in _pages(built_site):
        for table in soup.select("table.data-table, table.report-table, table.directory"):
            wrap = table.find_parent(class_=["table-wrap", "report-table-wrap"])
            if not table.caption:
                problems.append(f"{rel}: {table.get('class')} without caption")
            if wrap is None or wrap.get("role") != "region" or wrap.get("tabindex") != "0" or not _named(table):
                problems.append(f"{rel}: {table.get('class')} not in a named, focusable region")
    assert not problems, _report(problems, "with unnamed tables")


def test_body_tables_are_named_regions(built_site):
    problems = []
    for rel, soup in _pages(built_site):
        for i, table in enumerate(soup.select(".doc-body table"), 1):
            wrap = table.parent
            if not _named(table) or wrap.get("role") != "region" or wrap.get("tabindex") != "0":
                problems.append(f"{rel}: body table {i} has no accessible name / scroll region")
    assert not problems, _report(problems, "with unnamed body tables")


def test_images_have_text_alternatives(built_site):
    problems = [f"{rel}: {img}" for rel, soup in _pages(built_site) for img in soup.find_all("img")
                if img.get("alt") is None]
    assert not problems, _report(problems, "with images lacking alt")


def test_javascript_only_controls_are_hidden_in_the_html(built_site):
    """Without JavaScript nothing dead shows: the toolbar and 打印本文 are `hidden` until a11y.js runs."""
    problems = []
    printable = 0
    for rel, soup in _pages(built_site):
        bar = soup.select_one("#a11y")
        if bar is None or not bar.has_attr("hidden"):
            problems.append(f"{rel}: reading-aids toolbar missing or not hidden")
            continue
        for button in bar.find_all("button"):
            if button.get("type") != "button":
                problems.append(f"{rel}: toolbar button without type=button")
        if len(bar.select("button[aria-pressed]")) < 7:
            problems.append(f"{rel}: toolbar toggles without aria-pressed")
        if not bar.select_one("[role=status]"):
            problems.append(f"{rel}: toolbar without a status region")
        for tools in soup.select(".page-tools"):
            printable += 1
            if not tools.has_attr("hidden") or not tools.has_attr("data-js-only"):
                problems.append(f"{rel}: 打印本文 visible without JavaScript")
        if not soup.select_one("script[src$='static/a11y.js']"):
            problems.append(f"{rel}: does not load static/a11y.js")
    assert not problems, _report(problems, "with JavaScript-only controls showing")
    assert printable > 50, "documents should offer 打印本文"


def test_script_stays_small(built_site):
    size = (built_site.root / "static" / "a11y.js").stat().st_size
    assert size < 12_000, f"static/a11y.js is {size} bytes"
