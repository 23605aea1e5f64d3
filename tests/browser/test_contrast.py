"""Text contrast in the states axe does not see: links and buttons hovered and focused keep 4.5:1
against their background, in the default colours and in high-contrast mode."""

from __future__ import annotations

import pytest

from .conftest import BACKGROUND_OF, SETTINGS_KEY, contrast

STATE = """(e) => { const bgOf = """ + BACKGROUND_OF + """;
  const s = getComputedStyle(e);
  return {text: (e.innerText || '').trim().slice(0, 30), colour: s.color, background: bgOf(e),
          visible: e.getBoundingClientRect().width > 0 && s.visibility !== 'hidden'}; }"""

CONTROLS = "a[href], button"


@pytest.mark.parametrize("settings", [None, '{"contrast": true, "open": true}', '{"open": true}'],
                         ids=["default", "high contrast", "toolbar open"])
@pytest.mark.parametrize("kind", ["home", "policy (repealed)", "policy (amended)", "page contacts",
                                  "column (list, later page)"])
def test_hover_and_focus_keep_text_contrast(kind, settings, tab, built_site):
    tab.goto("")
    if settings:
        tab.page.evaluate("([k, v]) => localStorage.setItem(k, v)", [SETTINGS_KEY, settings])
    tab.goto(built_site.types[kind])
    controls = tab.page.locator(CONTROLS)
    problems = []
    checked = 0
    for i in range(min(controls.count(), 80)):
        control = controls.nth(i)
        if not control.is_visible():
            continue
        for state in ("hover", "focus"):
            if state == "hover":
                if control.evaluate("e => e.getBoundingClientRect().bottom <= 0"):
                    continue  # the skip link waits above the page until it has focus
                control.hover(timeout=5000)
            else:
                control.focus()
            info = control.evaluate(STATE)
            if not info["visible"] or not info["text"]:
                continue
            checked += 1
            ratio = contrast(info["colour"], info["background"])
            if ratio < 4.5:
                problems.append(f"{state} {info['text']!r}: {info['colour']} on {info['background']} ({ratio:.2f}:1)")
    assert checked > 20, f"only {checked} control states checked"
    assert not problems, "\n".join(problems)
