"""Every internal link of the built demo resolves: each href/src/poster (and CSS url()) names an
existing file, and each #fragment an element id in the target page."""

from __future__ import annotations

import re

from .conftest import _soup, local_path

LINK_ATTRS = ("href", "src", "poster")


def test_every_internal_link_and_fragment_resolves(built_site):
    root = built_site.root
    broken: list[str] = []
    ids: dict = {}
    checked = 0
    for rel in built_site.html_files:
        for el in built_site.soup(rel).find_all(True):
            for attr in LINK_ATTRS:
                value = el.get(attr)
                if not value or value.startswith(("mailto:", "tel:")):
                    continue
                target = local_path(root, rel, value)
                if target is None:
                    continue
                checked += 1
                path, fragment = target
                if not path.is_file():
                    broken.append(f"{rel}: <{el.name} {attr}={value!r}>: no file {path.relative_to(root)}")
                    continue
                if fragment and path.suffix == ".html":
                    if path not in ids:
                        ids[path] = {e["id"] for e in _soup(path).find_all(id=True)}
                    if fragment not in ids[path]:
                        broken.append(f"{rel}: <{el.name} {attr}={value!r}>: no id {fragment!r} in that page")
    assert checked > 1000, f"only {checked} internal links found: is the link checker looking at the right tree?"
    assert not broken, f"{len(broken)} broken internal link(s):\n" + "\n".join(broken)


def test_css_urls_resolve(built_site):
    static = built_site.root / "static"
    missing = []
    for css in static.glob("*.css"):
        for url in re.findall(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", css.read_text(encoding="utf-8")):
            if not url.startswith(("data:", "http:", "https:")) and not (static / url).is_file():
                missing.append(f"{css.name}: url({url})")
    assert not missing, missing


def test_aria_references_resolve(built_site):
    """aria-labelledby, aria-describedby, aria-controls, headers and label[for] name ids of the same page."""
    broken = []
    for rel in built_site.html_files:
        soup = built_site.soup(rel)
        page_ids = {e["id"] for e in soup.find_all(id=True)}
        for attr in ("aria-labelledby", "aria-describedby", "aria-controls", "headers", "for"):
            for el in soup.find_all(attrs={attr: True}):
                value = el[attr]
                for ref in (value if isinstance(value, list) else str(value).split()):
                    if ref not in page_ids:
                        broken.append(f"{rel}: <{el.name} {attr}={el[attr]!r}>: no id {ref!r}")
    assert not broken, "\n".join(broken[:100])
