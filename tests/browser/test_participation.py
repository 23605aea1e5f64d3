"""Public participation pages in Chromium: drafts for comment, their grouped list and the decision catalogue
pass axe at desktop and phone width without scrolling sideways, and static/consultation.js moves a draft's
label when its deadline passes between builds (the demo is built for DEMO_TODAY; the browser's clock moves)."""

from __future__ import annotations

import pytest

from .conftest import DEMO_TODAY, format_violations, new_tab, run_axe
from .test_layout import OVERFLOW

TYPES = ["draft (征集中)", "draft (已反馈)", "decision catalogue", "column (grouped list)"]
WIDTHS = {"1280px": {"width": 1280, "height": 900}, "375px": {"width": 375, "height": 740}}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_participation_pages_pass_axe_and_reflow(width, browser, server, built_site, axe_source):
    tab = new_tab(browser, server, viewport=WIDTHS[width])
    try:
        report = []
        for kind in TYPES:
            url = built_site.types[kind]
            tab.goto(url)
            violations = run_axe(tab.page, axe_source)
            if violations:
                report.append(f"== {kind}\n" + format_violations(url, violations))
            wide = tab.page.evaluate(OVERFLOW)
            if wide:
                report.append(f"== {kind}: scrolls sideways at {width}: {wide}")
        assert not report, "\n".join(report)
        tab.assert_clean()
    finally:
        tab.context.close()


def _label(tab) -> tuple[str, str]:
    return tuple(tab.page.evaluate("""() => { const l = document.querySelector('.draft-period .draft-status');
        return [l.textContent, l.className]; }"""))


@pytest.mark.parametrize("now, expected", [
    (DEMO_TODAY + "T10:00:00+08:00", ("征集中", "draft-status status-open")),
    ("2026-12-21T23:59:00+08:00", ("征集中", "draft-status status-open")),  # the deadline day, in China
    # 16:30 UTC on the 21st is already the 22nd in China: closed, whatever the reader's time zone.
    ("2026-12-21T16:30:00+00:00", ("已截止", "draft-status status-closed")),
    ("2027-02-01T09:00:00+08:00", ("已截止", "draft-status status-closed")),
    ("2026-11-01T09:00:00+08:00", ("征集中", "draft-status status-open")),  # a wrong clock never moves it back
])
def test_the_script_moves_the_label_when_the_deadline_passes(now, expected, browser, server, built_site):
    tab = new_tab(browser, server, viewport=WIDTHS["1280px"], timezone_id="America/New_York")
    try:
        tab.page.clock.set_fixed_time(now)
        tab.goto(built_site.types["draft (征集中)"])
        assert _label(tab) == expected
        period = tab.page.locator(".draft-period").inner_text()
        assert "2026年11月20日 至 2026年12月21日" in period  # the dates say it all, whatever the label
        tab.assert_clean()
    finally:
        tab.context.close()


def test_the_script_leaves_an_answered_draft_alone_and_updates_lists(browser, server, built_site):
    tab = new_tab(browser, server, viewport=WIDTHS["1280px"])
    try:
        tab.page.clock.set_fixed_time("2027-06-01T09:00:00+08:00")
        tab.goto(built_site.types["draft (已反馈)"])
        assert _label(tab) == ("已反馈", "draft-status status-answered")
        tab.goto(built_site.types["column (grouped list)"])
        labels = tab.page.evaluate("() => [...document.querySelectorAll('.draft-status')].map(l => l.textContent)")
        assert "征集中" not in labels and "已截止" in labels, labels
        tab.assert_clean()
    finally:
        tab.context.close()


def test_without_javascript_the_built_label_and_the_dates_remain(browser, server, built_site):
    tab = new_tab(browser, server, viewport=WIDTHS["375px"], java_script_enabled=False)
    try:
        tab.goto(built_site.types["draft (征集中)"])
        assert tab.page.locator(".draft-period .draft-status").inner_text() == "征集中"
        assert "2026年12月21日" in tab.page.locator(".draft-period").inner_text()
    finally:
        tab.context.close()
