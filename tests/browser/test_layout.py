"""Reflow (WCAG 1.4.10) and zoom (1.4.4): every page works at 320 CSS px, at 200% zoom and with the
largest font step without scrolling sideways; what must scroll (wide tables) scrolls inside its own
named, focusable region; controls are at least 44 × 44 px."""

from __future__ import annotations

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
