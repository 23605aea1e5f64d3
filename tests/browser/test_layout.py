"""Reflow (WCAG 1.4.10) and zoom (1.4.4): every page works at 320 CSS px, at 200% zoom and with the
largest font step without scrolling sideways; what must scroll (wide tables) scrolls inside its own
named, focusable region; controls are at least 44 × 44 px."""

from __future__ import annotations

import collections
import json

import pytest

from .conftest import SETTINGS_KEY, url_of

WIDTHS = {
    "320px": ({"viewport": {"width": 320, "height": 640}}, None),
    "320px, 特大, wide spacing": ({"viewport": {"width": 320, "height": 640}}, {"size": "xl", "spacing": True,
                                                                                "open": True}),
    "200% zoom": ({"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}, {"open": True}),
}

OVERFLOW = """() => {
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= w) return [];
  return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
    .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 30));
}"""

SCROLLERS = """() => [...document.querySelectorAll('main *')].filter(e => {
    const s = getComputedStyle(e);
    return /(auto|scroll)/.test(s.overflowX) && e.scrollWidth > e.clientWidth + 1;
  }).map(e => ({tag: e.tagName.toLowerCase(), cls: e.className, tabindex: e.getAttribute('tabindex'),
               role: e.getAttribute('role'), name: e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')}))"""


@pytest.mark.parametrize("mode", list(WIDTHS))
def test_no_page_scrolls_sideways(mode, make_tab, built_site):
    options, settings = WIDTHS[mode]
    tab = make_tab(**options)
    if settings:
        tab.goto("")
        tab.page.evaluate("([k, v]) => localStorage.setItem(k, v)", [SETTINGS_KEY, json.dumps(settings)])
    problems = []
    scrollers = 0
    for rel in built_site.html_files:
        tab.goto(url_of(rel))
        wide = tab.page.evaluate(OVERFLOW)
        if wide:
            problems.append(f"{url_of(rel) or '/'}: scrolls sideways: {wide}")
        for region in tab.page.evaluate(SCROLLERS):
            scrollers += 1
            if region["tabindex"] != "0" or region["role"] != "region" or not region["name"]:
                problems.append(f"{url_of(rel) or '/'}: a scrolling box that is not a named, focusable region: {region}")
    assert not problems, f"{len(problems)} problem(s) at {mode}:\n" + "\n".join(problems[:60])
    assert scrollers, "no wide table scrolled in its own region: is the check looking at the right thing?"
    tab.assert_clean()


def test_controls_are_big_enough_to_hit(tab, built_site):
    tab.goto("")
    tab.page.evaluate("([k, v]) => localStorage.setItem(k, v)", [SETTINGS_KEY, json.dumps({"open": True})])
    tab.goto(built_site.types["policy (current)"])
    small = tab.page.evaluate("""() => [...document.querySelectorAll('button, .site-nav a, .pagination a, .footer-links a')]
      .filter(e => e.offsetParent !== null)
      .map(e => { const r = e.getBoundingClientRect(); return [e.textContent.trim(), r.width, r.height]; })
      .filter(([, w, h]) => w < 44 || h < 44)""")
    assert not small, f"targets under 44 × 44 px: {small}"


# --------------------------------------------------------------------------- phones (issue 14)

PHONES = {"320px": {"width": 320, "height": 640}, "375px": {"width": 375, "height": 812}}

#: Visible table cells with text narrower than two characters of their own font (content box).
SQUEEZED = """() => [...document.querySelectorAll('main th, main td')].filter(c => {
    if (!c.textContent.trim() || c.offsetParent === null) return false;
    const s = getComputedStyle(c), r = c.getBoundingClientRect();
    const inner = r.width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return inner < 2 * parseFloat(s.fontSize) - 0.5;
  }).slice(0, 5).map(c => c.tagName.toLowerCase() + ': ' + c.textContent.trim().slice(0, 20) + ' ' +
                          Math.round(c.getBoundingClientRect().width) + 'px')"""


@pytest.mark.parametrize("width", list(PHONES))
def test_no_table_column_is_squeezed_to_a_character(width, make_tab, built_site):
    tab = make_tab(viewport=PHONES[width])
    problems, tables = [], 0
    for kind, url in sorted(built_site.types.items()):
        tab.goto(url)
        tables += tab.page.locator("main table").count()
        squeezed = tab.page.evaluate(SQUEEZED)
        if squeezed:
            problems.append(f"{kind} ({url}): {squeezed}")
        if tab.page.evaluate(OVERFLOW):
            problems.append(f"{kind} ({url}): wider than the screen outside a scrolling region")
    assert tables, "no page type has a table: is the check looking at the right thing?"
    assert not problems, f"cells under two characters wide at {width}:\n" + "\n".join(problems)


def test_annual_report_reads_on_a_phone(make_tab, built_site):
    """Table 三 scrolls inside its region (at most a screen high) with its column headers and each row's
    label kept in view, so the page is not a 13,000 px column of single characters."""
    tab = make_tab(viewport=PHONES["375px"])
    tab.goto(built_site.types["annual report"])
    height = tab.page.evaluate("document.documentElement.scrollHeight")
    assert height < 8000, f"the annual report is {height} px long at 375 px"
    wraps = tab.page.locator(".report-table-wrap")
    longest = max(range(wraps.count()), key=lambda n: wraps.nth(n).evaluate("e => e.scrollHeight"))
    region = wraps.nth(longest)  # table 三
    assert region.evaluate("e => e.scrollWidth > e.clientWidth && e.scrollHeight > e.clientHeight"), \
        "table 三 does not scroll inside its region"
    region.scroll_into_view_if_needed()
    kept = region.evaluate("""e => {
        e.scrollLeft = e.scrollWidth; e.scrollTop = e.scrollHeight;
        const box = e.getBoundingClientRect();
        const head = e.querySelector('thead').getBoundingClientRect();
        const rows = [...e.querySelectorAll('tbody tr')].filter(r => {
            const b = r.getBoundingClientRect();
            return r.querySelector(':scope > th') && b.top >= head.bottom && b.bottom <= box.bottom; });
        const label = rows.length ? rows[0].querySelector(':scope > th:last-of-type').getBoundingClientRect() : null;
        return {headTop: head.top - box.top, labelLeft: label && label.left - box.left, rows: rows.length};
    }""")
    assert kept["rows"] and abs(kept["headTop"]) < 2, f"column headers scrolled away: {kept}"
    assert kept["labelLeft"] is not None and abs(kept["labelLeft"]) < 2, f"row labels scrolled away: {kept}"


def test_directory_is_cards_on_a_phone_and_a_table_on_a_desktop(make_tab, built_site):
    phone = make_tab(viewport=PHONES["320px"])
    phone.goto(built_site.types["directory"])
    cells = phone.page.evaluate("""() => [...document.querySelectorAll('.directory tbody td')].map(td => {
        const r = td.getBoundingClientRect();
        return {right: r.right, label: td.querySelector('.cell-label').offsetParent !== null};
    })""")
    assert cells and all(c["right"] <= 320 and c["label"] for c in cells), cells[:3]
    # Shown as cards, still a table to screen readers: Chromium's accessibility tree has its rows, headers
    # and cells (the visible field names are aria-hidden: the column headers are what is announced).
    cdp = phone.context.new_cdp_session(phone.page)
    roles = collections.Counter(node.get("role", {}).get("value") for node in
                                cdp.send("Accessibility.getFullAXTree")["nodes"])
    assert roles["table"] and roles["rowheader"] and roles["columnheader"] and roles["cell"], roles
    desktop = make_tab(viewport={"width": 1280, "height": 900})
    desktop.goto(built_site.types["directory"])
    assert desktop.page.locator(".directory thead th").first.is_visible()
    assert not desktop.page.locator(".directory .cell-label").first.is_visible()


def test_home_puts_search_and_newest_before_the_column_tree(make_tab, built_site):
    tab = make_tab(viewport=PHONES["375px"])
    tab.goto(built_site.types["home"])
    tops = tab.page.evaluate("""() => ['.home-search', '.home-latest', '.home-columns'].map(
        s => document.querySelector(s).getBoundingClientRect().top)""")
    assert tops == sorted(tops) and tops[1] < 1600, tops


@pytest.mark.parametrize("width, folded", [("375px", True), ("1280px", False)])
def test_search_filters_fold_on_phones(width, folded, make_tab, built_site):
    viewport = PHONES.get(width) or {"width": 1280, "height": 900}
    tab = make_tab(viewport=viewport)
    tab.goto(built_site.types["search"])
    fold = tab.page.locator("#search-filters-fold")
    assert fold.evaluate("e => e.open") is (not folded)
    assert tab.page.locator("#search-topic").is_visible() is (not folded)
    if folded:
        fold.locator("summary").click()
        assert tab.page.locator("#search-topic").is_visible()
    tab.goto(built_site.types["search"] + "?year=2024")
    assert tab.page.locator("#search-filters-fold").evaluate("e => e.open"), "a chosen filter is folded away"
