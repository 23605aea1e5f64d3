"""The self-inspection report in Chromium: accessible (axe, WCAG 2.1 AA), valid HTML, printable, script-free."""

from __future__ import annotations

import subprocess

import pytest

from conftest import ROOT, run_cli

from .conftest import AXE_TAGS, format_violations, run_axe, vnu_messages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The demo inspected a year after its test date: every section of the page has findings."""
    root = tmp_path_factory.mktemp("inspection")
    result = run_cli(["inspect", "--content", str(ROOT / "content"), "--output", str(root / "output"),
                      "--report", str(root / "inspection"), "--today", "2027-12-07"], root)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return root / "inspection" / "index.html"


def test_report_page_passes_axe_and_loads_nothing(browser, report, axe_source):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(report.as_uri())
    assert requests == [report.as_uri()]  # no stylesheet, font, image or script of its own
    assert page.evaluate("document.scripts.length") == 0
    violations = run_axe(page, axe_source, AXE_TAGS)
    assert not violations, format_violations(report.name, violations)
    # Readable on a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_report_prints_without_navigation(browser, report, tmp_path):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(report.as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    context.close()


def test_report_page_is_valid_html(report, vnu_command):
    messages = [m for m in vnu_messages(vnu_command, [report]) if m.get("type") == "error"]
    assert not messages, messages
