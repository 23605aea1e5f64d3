"""新旧对照 pages in Chromium: axe at desktop and phone width, stacked texts on phones, side by side on
wide screens, and changes shown by line style and hidden words as well as by colour (WCAG 1.4.1)."""

from __future__ import annotations

import pytest

from .conftest import format_violations, run_axe, url_of

WIDTHS = {"1280px": 1280, "375px": 375}

#: Where the old and new texts of a modified unit are (the first with deletions and additions), and how
#: its marks look.
LAYOUT = """() => {
  const rows = [...document.querySelectorAll('.cmp-row.cmp-modified .cmp-sides')];
  const row = rows.find(r => r.querySelector('del') && r.querySelector('ins')) || rows[0];
  const box = e => e.getBoundingClientRect();
  const style = e => getComputedStyle(e);
  const del = row.querySelector('del'), ins = row.querySelector('ins');
  return {
    old: box(row.querySelector('.cmp-old')).toJSON(), new: box(row.querySelector('.cmp-new')).toJSON(),
    width: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth,
    del: del && {line: style(del).textDecorationLine, text: del.textContent},
    ins: ins && {line: style(ins).textDecorationLine, text: ins.textContent},
  };
}"""


@pytest.fixture(scope="module")
def comparisons(built_site) -> list[str]:
    pages = [url_of(rel) for rel in built_site.html_files if "/duibi/" in rel]
    assert len(pages) >= 6, f"the demo should compare every replaced or amended document: {pages}"
    return pages


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_on_every_comparison_page(width, make_tab, comparisons, axe_source):
    tab = make_tab(viewport={"width": WIDTHS[width], "height": 900})
    report = []
    for url in comparisons:
        tab.goto(url)
        violations = run_axe(tab.page, axe_source)
        if violations:
            report.append(format_violations(url, violations))
    assert not report, f"axe ({width}) found violations:\n" + "\n".join(report)
    tab.assert_clean()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_old_and_new_texts_stack_on_phones_and_stand_side_by_side_on_wide_screens(width, make_tab, comparisons):
    tab = make_tab(viewport={"width": WIDTHS[width], "height": 900})
    for url in comparisons:
        tab.goto(url)
        layout = tab.page.evaluate(LAYOUT)
        assert layout["scroll"] <= layout["width"], f"{url} scrolls sideways at {width}"
        old, new = layout["old"], layout["new"]
        if WIDTHS[width] < 600:
            assert new["top"] >= old["bottom"] - 1 and old["width"] > 0.8 * layout["width"] - 40, \
                f"{url}: the texts are not stacked at {width}: {old} {new}"
        else:
            assert abs(new["top"] - old["top"]) < 1 and new["left"] >= old["right"], \
                f"{url}: the texts are not side by side at {width}: {old} {new}"
    tab.assert_clean()


def test_changes_are_not_shown_by_colour_alone(tab, comparisons):
    tab.goto("zcwj/a-ji-jingqu-xiugai/duibi/a-ji-jingqu-banfa/")
    layout = tab.page.evaluate(LAYOUT)
    assert "line-through" in layout["del"]["line"] and layout["del"]["text"].startswith("删除：")
    assert "underline" in layout["ins"]["line"] and layout["ins"]["text"].startswith("新增：")
    # The hidden words are read, not shown; the status is a word, not a colour.
    hidden = tab.page.locator(".cmp-new ins .visually-hidden").first
    box = hidden.bounding_box()
    assert hidden.inner_text() == "新增：" and box["width"] <= 1 and box["height"] <= 1
    assert tab.page.locator(".cmp-row.cmp-modified .cmp-status").first.inner_text() == "修改"
    assert tab.page.locator(".cmp-counts").inner_text() == "修改 4 条，新增 0 条，删除 0 条，未变 8 条。"
    tab.assert_clean()


def test_both_documents_link_their_comparison(tab, comparisons):
    tab.goto("zcwj/a-ji-jingqu-banfa/")
    tab.page.get_by_role("link", name="《江州市A级旅游景区管理办法》修改前后对照").click()
    assert tab.page.url.endswith("zcwj/a-ji-jingqu-xiugai/duibi/a-ji-jingqu-banfa/")
    tab.page.get_by_role("link", name="《江州市文化和旅游局关于修改〈江州市A级旅游景区管理办法〉的决定》").click()
    assert tab.page.url.endswith("zcwj/a-ji-jingqu-xiugai/")
    tab.assert_clean()
