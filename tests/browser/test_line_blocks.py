"""The 落款 block (```落款) as a reader sees it: at the right edge of the text, one line for the signing body
and one for the date, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from .conftest import url_of

LINES = """() => {
  const p = document.querySelector('.doc-body p.signature');
  const body = document.querySelector('.doc-body').getBoundingClientRect();
  const tops = new Set(), rights = [];
  for (const node of p.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) { tops.add(Math.round(r.top)); rights.push(r.right); }
  }
  return {align: getComputedStyle(p).textAlign, lines: tops.size, bodyRight: body.right,
          rights: rights, text: p.innerText};
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_signing_block_sits_at_the_right_one_line_each(make_tab, built_site, width):
    signed = [rel for rel in built_site.html_files if 'class="signature"' in (built_site.root / rel).read_text()]
    assert signed, "the demo shows no 落款 block"
    tab = make_tab(viewport={"width": width, "height": 800})
    tab.goto(url_of(signed[0]))
    found = tab.page.evaluate(LINES)
    assert found["align"] == "right"
    assert found["lines"] == 2, found  # 机关名称 and 日期, each on its own line
    assert all(abs(right - found["bodyRight"]) < 2 for right in found["rights"]), found
    assert "\n" in found["text"]
    tab.assert_clean()

