"""The 政民互动 pages in a real browser: the Q&A page, a Q&A entry, the published-message list and a
message, and the 政策咨询 part of a policy page, at desktop width (1280 px) and phone width (375 px):
axe-core (WCAG 2.0/2.1 A and AA) finds nothing, nothing scrolls sideways, no script or CSP error."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import format_violations, run_axe

KINDS = ["qa library", "qa", "column (messages)", "message", "policy (current)"]
WIDTHS = {"1280px": {"width": 1280, "height": 900}, "375px": {"width": 375, "height": 740}}

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_and_reflow_on_the_interaction_pages(width, make_tab, built_site, axe_source):
    tab = make_tab(viewport=WIDTHS[width])
    report = []
    for kind in KINDS:
        url = built_site.types[kind]
        tab.goto(url)
        violations = run_axe(tab.page, axe_source)
        if violations:
            report.append(f"== {kind}\n" + format_violations(url, violations))
        overflow = tab.page.evaluate(SIDEWAYS)
        if overflow > 0:
            report.append(f"== {kind}: {url} scrolls sideways by {overflow}px at {width}")
    assert not report, "\n".join(report)
    tab.assert_clean()


def test_the_policy_pages_message_link_names_the_page(tab, built_site):
    url = built_site.types["policy (current)"]
    tab.goto(url)
    link = tab.page.get_by_role("link", name="留言", exact=True)
    href = urlsplit(link.get_attribute("href"))
    query = parse_qs(href.query)
    assert query["title"] == [tab.page.locator("h1").inner_text()]
    assert query["url"] == [tab.page.locator("link[rel=canonical]").get_attribute("href")]
    box = link.bounding_box()
    assert box["height"] >= 44, box  # a control big enough to hit


def test_the_qa_page_topic_links_move_to_their_group(tab, built_site):
    tab.goto(built_site.types["qa library"])
    nav = tab.page.locator(".qa-nav a").nth(1)
    target = nav.get_attribute("href")
    nav.click()
    assert tab.page.evaluate("location.hash") == target
    assert tab.page.locator(target).is_visible()
    tab.assert_clean()
