"""Keyboard only: the skip link comes first and moves focus to <main>; every reading aid is reached
with Tab and operated with Enter or Space; the settings follow the reader to the next page; focus is
always visible, with a 3:1 outline against what surrounds it."""

from __future__ import annotations

import pytest

from .conftest import BACKGROUND_OF, SETTINGS_KEY, contrast

ACTIVE = """() => { const e = document.activeElement; return e ? {
  tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: (e.innerText || '').trim(),
  pressed: e.getAttribute('aria-pressed'), expanded: e.getAttribute('aria-expanded'),
  size: e.dataset ? (e.dataset.size || e.dataset.toggle || e.dataset.action || '') : ''} : null; }"""


def _tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(ACTIVE)


def _status(page) -> str:
    page.wait_for_function("() => document.getElementById('a11y-status').textContent.length > 0")
    return page.evaluate("document.getElementById('a11y-status').textContent")


@pytest.mark.parametrize("kind", ["home", "policy (current)", "page contacts", "404"])
def test_skip_link_is_first_and_moves_focus_to_main(kind, tab, built_site):
    tab.goto(built_site.types[kind])
    first = _tab(tab.page)
    assert "skip-link" in first["cls"], f"first Tab stop is {first}, not the skip link"
    box = tab.page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 20, "the focused skip link is not visible"
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.activeElement.id") == "main", "the skip link does not move focus to <main>"
    # The next Tab stop is inside main (or the footer if main has nothing focusable).
    tab.page.keyboard.press("Tab")
    inside = tab.page.evaluate("document.activeElement.closest('main, footer') !== null")
    assert inside, "after the skip link, Tab should continue inside main"
    tab.assert_clean()


def test_every_reading_aid_works_by_keyboard_and_persists(tab, built_site):
    tab.goto(built_site.types["policy (current)"])
    _tab(tab.page)  # skip link
    toggle = _tab(tab.page)
    assert "a11y-toggle" in toggle["cls"] and toggle["expanded"] == "false", f"second Tab stop is {toggle}"
    assert not tab.page.locator("#a11y-panel").is_visible()
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.querySelector('.a11y-toggle').getAttribute('aria-expanded')") == "true"
    assert tab.page.locator("#a11y-panel").is_visible()

    # Tab through the panel: every control is reachable, in order.
    reached = []
    for _ in range(12):
        active = _tab(tab.page)
        if not tab.page.evaluate("document.activeElement.closest('#a11y-panel') !== null"):
            break
        reached.append(active["size"])
    expected = ["s", "m", "l", "xl", "contrast", "spacing", "cursor"]
    speak = tab.page.evaluate("!document.querySelector('[data-action=speak]').hidden")
    expected += (["speak"] if speak else []) + ["reset"]
    assert reached == expected, f"toolbar Tab order {reached}, expected {expected}"

    # Operate with Space and Enter (shift+Tab back to the controls).
    def focus(key: str):
        tab.page.locator(f"#a11y-panel [data-size='{key}'], #a11y-panel [data-toggle='{key}']").focus()

    focus("xl")
    tab.page.keyboard.press("Space")
    assert tab.page.evaluate("document.documentElement.classList.contains('a11y-size-xl')")
    assert "特大" in _status(tab.page)
    for name in ("contrast", "spacing", "cursor"):
        focus(name)
        tab.page.keyboard.press("Enter")
        assert tab.page.evaluate(f"document.documentElement.classList.contains('a11y-{name}')"), name
        assert tab.page.evaluate(f"document.querySelector('[data-toggle={name}]').getAttribute('aria-pressed')") == "true"
    assert "已开启" in _status(tab.page)
    focus("cursor")
    tab.page.keyboard.press("Space")
    assert not tab.page.evaluate("document.documentElement.classList.contains('a11y-cursor')")
    assert "已关闭" in _status(tab.page)

    # Another page: the settings are remembered, and the panel is still open.
    tab.goto(built_site.types["column (documents)"])
    state = tab.page.evaluate("""() => ({
      classes: [...document.documentElement.classList].sort(),
      pressed: [...document.querySelectorAll('#a11y [aria-pressed=true]')].map(b => b.dataset.size || b.dataset.toggle),
      open: document.querySelector('.a11y-toggle').getAttribute('aria-expanded'),
      fontSize: getComputedStyle(document.documentElement).fontSize})""")
    assert state["classes"] == ["a11y-contrast", "a11y-size-xl", "a11y-spacing"], state
    assert sorted(state["pressed"]) == ["contrast", "spacing", "xl"], state
    assert state["open"] == "true" and state["fontSize"] == "24px", state

    # Reset by keyboard.
    tab.page.locator("#a11y-panel [data-action=reset]").focus()
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("[...document.documentElement.classList].filter(c => c.startsWith('a11y-'))") == []
    assert tab.page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    assert "恢复默认" in _status(tab.page)
    tab.assert_clean()


FOCUS_INFO = """() => { const bgOf = """ + BACKGROUND_OF + """;
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e); const r = e.getBoundingClientRect();
  return {key: [...document.querySelectorAll('*')].indexOf(e) + ' ' + e.outerHTML.slice(0, 90), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          colour: s.outlineColor, around: bgOf(e.parentElement), visible: r.width > 0 && r.height > 0}; }"""


def _focus_problems(tab, limit: int = 60) -> list[str]:
    """Tab through the page; every stop must show an outline with 3:1 against the background around it."""
    problems = []
    seen = set()
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        info = tab.page.evaluate(FOCUS_INFO)
        if info is None or info["key"] in seen:
            break
        seen.add(info["key"])
        if not info["visible"]:
            problems.append(f"focused but not visible: {info['key']}")
        elif info["style"] in ("none", "hidden") or info["width"] < 2:
            problems.append(f"no focus outline: {info['key']}")
        elif contrast(info["colour"], info["around"]) < 3:
            problems.append(f"focus outline {info['colour']} on {info['around']} "
                            f"({contrast(info['colour'], info['around']):.2f}:1): {info['key']}")
    assert len(seen) > 10, f"only {len(seen)} Tab stops found"
    return problems


@pytest.mark.parametrize("settings", [None, '{"contrast": true, "open": true}'], ids=["default", "high contrast"])
@pytest.mark.parametrize("kind", ["home", "policy (repealed)", "interpretation (视频)", "directory"])
def test_focus_is_always_visible(kind, settings, tab, built_site):
    tab.goto("")
    if settings:
        tab.page.evaluate("([k, v]) => localStorage.setItem(k, v)", [SETTINGS_KEY, settings])
    tab.goto(built_site.types[kind])
    problems = _focus_problems(tab)
    assert not problems, "\n".join(problems)
