"""axe-core (WCAG 2.0/2.1 A and AA) on the built demo: zero violations.

One page of every page type in five presentations (desktop, 320 px, 200% zoom,
high contrast, and high contrast at 320 px with the largest font and wide spacing),
and every page of the site at desktop size. Each test reports every violation it
found, not only the first.
"""

from __future__ import annotations

import json

import pytest

from .conftest import SETTINGS_KEY, format_violations, new_tab, run_axe, url_of

#: The page types the demo must show (and so the audit covers). More are picked up as found.
REQUIRED_TYPES = [
    "home", "404", "sitemap", "tag index", "tag page", "topic index", "topic page",
    "column (navigation)", "column (documents)", "column (list, later page)", "column (interpretations)",
    "column (annual reports)", "column (empty, with reason)",
    "policy (current)", "policy (amended)", "policy (repealed)", "policy (zh-Hant)",
    "interpretation (文字)", "interpretation (图片)", "interpretation (视频)", "interpretation (音频)",
    "page article", "page guide", "page application", "page contacts", "page departments", "page leaders",
    "annual report", "directory", "institution",
    "qa library", "qa", "column (messages)", "message", "withdrawn",
    "draft (征集中)", "draft (已反馈)", "decision catalogue", "column (grouped list)", "comparison", "search",
    # The 繁體 mirror (content/site.yaml traditional:): every type above is there too; these at least.
    "home [繁體]", "policy (current) [繁體]", "policy (zh-Hant) [繁體]", "annual report [繁體]", "directory [繁體]",
    "search [繁體]",
]

MODES = {
    "desktop": ({"viewport": {"width": 1280, "height": 900}}, None),
    "320px": ({"viewport": {"width": 320, "height": 640}}, None),
    # A 1280 × 900 window at 200% zoom lays out as 640 × 450 CSS pixels at device scale 2.
    # The reading-aids panel open (its buttons are checked too), in the other modes.
    "200% zoom, reading aids open": ({"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
                                     {"open": True}),
    "high contrast": ({"viewport": {"width": 1280, "height": 900}}, {"contrast": True, "open": True}),
    "high contrast, 特大, wide spacing, 320px": ({"viewport": {"width": 320, "height": 640}},
                                                {"contrast": True, "size": "xl", "spacing": True, "open": True}),
}


def test_the_demo_has_every_page_type(built_site):
    missing = [t for t in REQUIRED_TYPES if t not in built_site.types]
    assert not missing, f"the demo shows no page of type {missing}; found {sorted(built_site.types)}"


def _open(browser, server, options, settings):
    tab = new_tab(browser, server, **options)
    if settings:
        tab.goto("")
        tab.page.evaluate("([k, v]) => localStorage.setItem(k, v)", [SETTINGS_KEY, json.dumps(settings)])
    return tab


@pytest.mark.parametrize("mode", list(MODES))
def test_axe_on_every_page_type(mode, browser, server, built_site, axe_source):
    options, settings = MODES[mode]
    tab = _open(browser, server, options, settings)
    try:
        report = []
        for kind, url in sorted(built_site.types.items()):
            tab.goto(url)
            if settings:
                assert tab.page.locator("#a11y-panel").is_visible(), f"{url}: the saved settings were not applied"
            if settings and settings.get("contrast"):
                assert tab.page.evaluate("document.documentElement.classList.contains('a11y-contrast')"), \
                    f"{url}: the saved high-contrast setting was not applied"
            violations = run_axe(tab.page, axe_source)
            if violations:
                report.append(f"== {kind}\n" + format_violations(url, violations))
        assert not report, f"axe ({mode}) found violations:\n" + "\n".join(report)
        tab.assert_clean()
    finally:
        tab.context.close()


def test_axe_on_every_page(browser, server, built_site, axe_source):
    tab = _open(browser, server, MODES["desktop"][0], None)
    try:
        report = []
        for rel in built_site.html_files:
            url = url_of(rel)
            tab.goto(url)
            violations = run_axe(tab.page, axe_source)
            if violations:
                report.append(format_violations(url, violations))
        assert not report, "axe found violations:\n" + "\n".join(report)
        tab.assert_clean()
    finally:
        tab.context.close()


def test_not_found_page_served_at_a_deep_path(tab, axe_source):
    """A host serves 404.html for any missing path: its links are root-relative, so it keeps its style."""
    tab.goto("zcwj/no-such-document/", status=404)
    header_bg = tab.page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert header_bg == "rgb(158, 27, 27)", "404.html lost its stylesheet at a deep path"
    assert tab.page.locator("#a11y").is_visible(), "404.html lost its script at a deep path"
    violations = run_axe(tab.page, axe_source)
    assert not violations, format_violations("zcwj/no-such-document/", violations)
    tab.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize("mode", list(MODES))
def test_axe_on_search_results(mode, browser, server, axe_source):
    """The search page with results, the order control and 显示更多 shown: script makes them, so the audit
    of the page types (an empty search page) does not see them."""
    options, settings = MODES[mode]
    tab = _open(browser, server, options, settings)
    try:
        tab.goto("search/?q=%E6%97%85%E6%B8%B8&sort=date")  # 旅游, newest first
        tab.page.locator("#search-more").wait_for(state="visible")
        assert tab.page.locator("#search-status").inner_text().startswith("找到")
        violations = run_axe(tab.page, axe_source)
        assert not violations, format_violations("search/?q=旅游", violations)
        tab.assert_clean()
    finally:
        tab.context.close()
