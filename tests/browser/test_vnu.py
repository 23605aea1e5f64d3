"""The Nu Html Checker (vnu.jar from npm `vnu-jar`) on every page the demo build writes, and on the
theme's CSS and SVG files: zero errors."""

from __future__ import annotations

from .conftest import vnu_messages


def _errors(messages: list[dict], root) -> list[str]:
    out = []
    for m in messages:
        if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal":
            where = m.get("url", "").replace("file:" + str(root), "")
            out.append(f"{where}:{m.get('lastLine', '?')}: {m.get('message')}  «{m.get('extract', '').strip()}»")
    return out


def test_every_page_is_valid_html(built_site, vnu_command):
    files = [built_site.root / rel for rel in built_site.html_files]
    errors = _errors(vnu_messages(vnu_command, files), built_site.root)
    assert not errors, f"{len(errors)} HTML error(s) in {len(files)} pages:\n" + "\n".join(errors[:200])


def test_theme_css_and_svg_are_valid(built_site, vnu_command):
    static = built_site.root / "static"
    css = sorted(static.glob("*.css"))
    svg = sorted(static.glob("*.svg"))
    assert css and svg
    errors = _errors(vnu_messages([*vnu_command, "--css"], css), built_site.root)
    errors += _errors(vnu_messages([*vnu_command, "--svg"], svg), built_site.root)
    assert not errors, "\n".join(errors)
