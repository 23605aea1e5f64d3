"""The reading aids (无障碍 / 长者模式), read from computed styles: font sizes, high contrast, line
spacing, large cursor, read-aloud (with a recording stand-in for speechSynthesis), 打印本文 and the
print stylesheet; and what a reader without JavaScript gets."""

from __future__ import annotations

import json

import pytest

from .conftest import SETTINGS_KEY, contrast, parse_colour

STYLE = """(sel) => { const e = document.querySelector(sel); const s = getComputedStyle(e);
  return {fontSize: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight), color: s.color,
          background: s.backgroundColor, cursor: s.cursor, display: s.display}; }"""


def _style(tab, selector: str) -> dict:
    return tab.page.evaluate(STYLE, selector)


def _open_panel(tab):
    if tab.page.get_attribute(".a11y-toggle", "aria-expanded") != "true":
        tab.page.click(".a11y-toggle")


def _status(tab) -> str:
    tab.page.wait_for_function("() => document.getElementById('a11y-status').textContent.length > 0")
    return tab.page.text_content("#a11y-status")


def test_font_size_steps(tab, built_site):
    tab.goto(built_site.types["policy (current)"])
    _open_panel(tab)
    sizes = {}
    for key, label in (("s", "小"), ("m", "中"), ("l", "大"), ("xl", "特大")):
        tab.page.click(f"[data-size={key}]")
        assert tab.page.get_attribute(f"[data-size={key}]", "aria-pressed") == "true"
        assert tab.page.eval_on_selector_all("[data-size][aria-pressed=true]", "els => els.length") == 1
        assert _status(tab) == f"字号：{label}"
        sizes[key] = (_style(tab, "html")["fontSize"], _style(tab, ".doc-body p")["fontSize"],
                      _style(tab, "h1")["fontSize"])
    assert [s[0] for s in sizes.values()] == [14, 16, 20, 24]
    for part in (1, 2):  # body text and headings grow with every step
        assert sizes["s"][part] < sizes["m"][part] < sizes["l"][part] < sizes["xl"][part]
    assert sizes["xl"][1] >= 24, "特大 body text should reach 18 pt (24 px), the 适老化 size"
    tab.assert_clean()


def test_high_contrast_mode(tab, built_site):
    tab.goto(built_site.types["policy (repealed)"])
    before = _style(tab, "body")
    _open_panel(tab)
    tab.page.click("[data-toggle=contrast]")
    assert _status(tab) == "高对比度：已开启"
    body, link, header = _style(tab, "body"), _style(tab, "main a"), _style(tab, ".site-header")
    assert before["background"] == "rgb(255, 255, 255)"
    assert body["background"] == "rgb(0, 0, 0)" and body["color"] == "rgb(255, 255, 255)"
    assert link["color"] == "rgb(255, 255, 0)"
    assert header["background"] == "rgb(0, 0, 0)"
    # Every text the mode shows keeps 7:1 or more (AAA) on black, badges and notices included.
    for selector in (".validity", ".notice", ".doc-meta dt", ".breadcrumbs a", ".site-footer", ".sep",
                     "#a11y-panel [aria-pressed=true]"):
        s = _style(tab, selector)
        bg = s["background"] if parse_colour(s["background"])[3] > 0.5 else "rgb(0, 0, 0)"
        assert contrast(s["color"], bg) >= 7, f"{selector}: {s['color']} on {bg}"
    tab.page.click("[data-toggle=contrast]")
    assert _style(tab, "body")["background"] == "rgb(255, 255, 255)"
    assert _status(tab) == "高对比度：已关闭"
    tab.assert_clean()


def test_wider_line_spacing(tab, built_site):
    tab.goto(built_site.types["policy (current)"])
    p = _style(tab, ".doc-body p")
    assert p["lineHeight"] / p["fontSize"] >= 1.5
    _open_panel(tab)
    tab.page.click("[data-toggle=spacing]")
    wide = _style(tab, ".doc-body p")
    assert wide["lineHeight"] / wide["fontSize"] >= 2.0
    gap = tab.page.evaluate("parseFloat(getComputedStyle(document.querySelector('.doc-body p')).marginBottom)")
    assert gap >= 1.3 * (wide["lineHeight"] - wide["fontSize"]), "paragraph spacing below the 适老化 1.3×"
    tab.assert_clean()


def test_large_cursor(tab, built_site):
    tab.goto(built_site.types["home"])
    _open_panel(tab)
    tab.page.click("[data-toggle=cursor]")
    assert "cursor-arrow.svg" in _style(tab, "main p")["cursor"]
    assert "cursor-hand.svg" in _style(tab, "main a")["cursor"]
    for name in ("cursor-arrow.svg", "cursor-hand.svg", "cursor-text.svg"):
        response = tab.page.request.get(tab.base + "static/" + name)
        assert response.ok and response.headers["content-type"].startswith("image/svg")
    tab.assert_clean()


def test_settings_survive_a_reload_and_reach_other_tabs(browser, server, built_site, make_tab):
    first = make_tab(viewport={"width": 1024, "height": 768})
    first.goto(built_site.types["home"])
    second = first.context.new_page()
    second.goto(server + built_site.types["sitemap"])
    _open_panel(first)
    first.page.click("[data-size=l]")
    first.page.click("[data-toggle=contrast]")
    saved = json.loads(first.page.evaluate(f"localStorage.getItem('{SETTINGS_KEY}')"))
    assert saved["size"] == "l" and saved["contrast"] is True
    # The other open tab follows (storage event), and a fresh load starts with the setting.
    second.wait_for_function("() => document.documentElement.classList.contains('a11y-contrast')")
    first.page.reload()
    assert first.page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    first.assert_clean()


def test_damaged_settings_fall_back_to_defaults(tab, built_site):
    tab.goto("")
    tab.page.evaluate(f"localStorage.setItem('{SETTINGS_KEY}', '{{not json')")
    tab.goto(built_site.types["home"])
    assert tab.page.locator("#a11y").is_visible()
    assert tab.page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    tab.assert_clean()


SPEECH_STUB = """
window.__spoken = []; window.__cancelled = 0;
const stub = {
  speaking: false,
  getVoices() { return [{name: 'stub', lang: 'zh-CN'}]; },
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); },
  cancel() { window.__cancelled += 1; },
  addEventListener() {},
};
Object.defineProperty(window, 'speechSynthesis', {value: stub, configurable: true});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_read_aloud_speaks_the_main_content_in_mandarin(browser, server, built_site, make_tab):
    tab = make_tab(viewport={"width": 1280, "height": 900})
    tab.context.add_init_script(SPEECH_STUB)
    tab.goto(built_site.types["policy (current)"])
    _open_panel(tab)
    speak = tab.page.locator("[data-action=speak]")
    assert speak.is_visible()
    speak.click()
    assert speak.get_attribute("aria-pressed") == "true"
    assert "开始朗读" in _status(tab)
    spoken = tab.page.evaluate("window.__spoken")
    title = tab.page.text_content("h1").strip()
    assert spoken and all(s["lang"] == "zh-CN" for s in spoken)
    assert title in "".join(s["text"] for s in spoken)
    assert all(len(s["text"]) <= 160 for s in spoken), "utterances should be sentence-sized"
    assert "跳到主要内容" not in "".join(s["text"] for s in spoken), "reads <main> only"
    speak.click()
    assert speak.get_attribute("aria-pressed") == "false"
    assert tab.page.evaluate("window.__cancelled") >= 1
    assert "已停止朗读" in _status(tab)
    tab.assert_clean()


def test_read_aloud_is_hidden_without_speech_synthesis(browser, server, built_site, make_tab):
    tab = make_tab(viewport={"width": 1280, "height": 900})
    tab.context.add_init_script("delete Window.prototype.speechSynthesis; delete window.speechSynthesis;"
                                "delete window.SpeechSynthesisUtterance;")
    tab.goto(built_site.types["policy (current)"])
    assert tab.page.evaluate("typeof window.speechSynthesis") == "undefined"
    _open_panel(tab)
    assert tab.page.locator("#a11y-panel").is_visible()
    assert not tab.page.locator("[data-action=speak]").is_visible()
    tab.assert_clean()


def test_print_button_and_print_stylesheet(browser, server, built_site, make_tab):
    tab = make_tab(viewport={"width": 1280, "height": 900})
    tab.context.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    tab.goto("")
    tab.page.evaluate(f"localStorage.setItem('{SETTINGS_KEY}', JSON.stringify({{contrast: true, size: 'xl'}}))")
    tab.goto(built_site.types["policy (current)"])
    button = tab.page.locator("[data-action=print]")
    assert button.is_visible() and button.text_content() == "打印本文"
    button.focus()
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("window.__printed") == 1
    tab.page.emulate_media(media="print")
    for hidden in ("#a11y", ".site-nav", ".breadcrumbs", ".page-tools", ".skip-link"):
        assert not tab.page.locator(hidden).first.is_visible(), f"{hidden} should not print"
    assert tab.page.locator("main h1").is_visible() and tab.page.locator(".doc-meta").is_visible()
    body = _style(tab, "body")
    assert body["color"] == "rgb(0, 0, 0)" and body["background"] == "rgb(255, 255, 255)", \
        "print is black on white even in high-contrast mode"
    assert _style(tab, "html")["fontSize"] == 16, "print ignores the on-screen font size step"
    tab.assert_clean()


@pytest.mark.parametrize("kind", ["home", "policy (current)", "annual report"])
def test_without_javascript_nothing_dead_shows(kind, browser, server, built_site, make_tab):
    tab = make_tab(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    tab.goto(built_site.types[kind])
    assert not tab.page.locator("#a11y").is_visible(), "the toolbar needs JavaScript: it must stay hidden"
    assert tab.page.locator(".page-tools").count() == 0 or not tab.page.locator(".page-tools").is_visible()
    assert tab.page.locator("main h1").is_visible()
    assert tab.page.locator(".site-nav a").first.is_visible()
    # The skip link still works.
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.className") == "skip-link"
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.activeElement.id") == "main"
