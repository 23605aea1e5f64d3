"""The editors' guide (docs/编辑指南.md) cannot drift: every complete example file in it builds, cleanly, in a
copy of the demo site, and every content type has one.

An example file is a fenced block right after a line ``**示例文件** `content/…```. The examples go into a copy of
content/ (pages and the annual report replace the demo's own files of that name); media they name that do not
exist are made (small valid files). The build must succeed with no problem located in any example file.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import media_factory
from conftest import ROOT, THEME, run_cli
from generator.documents import TYPES

GUIDE = ROOT / "docs" / "编辑指南.md"
EXAMPLE_RE = re.compile(r"^\*\*示例文件\*\* `(content/[^`]+)`\n+(`{3,})[a-z]*\n(.*?)\n\2$", re.M | re.S)
#: Files that are not a content type's documents but are written by editors.
OTHER_FOLDERS = {"pages", "withdrawn.yaml"}
MEDIA_RE = re.compile(r"media/[\w.-]+\.(?:png|gif|webm|mp4|mp3|vtt)")


def examples() -> dict[str, str]:
    found = {path: text + "\n" for path, _, text in EXAMPLE_RE.findall(GUIDE.read_text(encoding="utf-8"))}
    assert found, "no example files found in the guide"
    return found


def folder(path: str) -> str:
    return path.split("/")[1]


def make_media(path: Path) -> None:
    suffix = path.suffix
    if suffix == ".png":
        media_factory.png(path, size=(600, 400))
    elif suffix == ".gif":
        media_factory.gif_animation(path, size=(120, 80))
    elif suffix == ".vtt":
        media_factory.vtt(path, [(0, 1, "博物馆一周至少开放多长时间？"), (1, 2, "市级不少于48小时")])
    else:
        data = {".webm": media_factory.webm_bytes, ".mp4": media_factory.mp4_bytes, ".mp3": media_factory.mp3_bytes}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data[suffix]())


def test_every_content_type_has_an_example_in_the_guide():
    folders = {folder(path) for path in examples()}
    missing = {t.folder for t in TYPES} - folders
    assert not missing, f"the guide has no example file for {sorted(missing)}"
    unknown = folders - {t.folder for t in TYPES} - OTHER_FOLDERS
    assert not unknown, f"examples in folders no type reads: {sorted(unknown)}"


@pytest.mark.slow
def test_every_example_file_in_the_guide_builds_cleanly(tmp_path):
    chosen = examples()
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for path, text in chosen.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        for name in MEDIA_RE.findall(text):
            if not (target.parent / name).exists():
                make_media(target.parent / name)
    result = run_cli(["build", "--content", "content", "--output", "output", "--theme", str(THEME)], tmp_path)
    assert result.returncode == 0, result.stderr
    located = [line for line in result.stderr.splitlines() if line.startswith(tuple(chosen))]
    assert not located, "\n".join(located)
    shown = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "output").rglob("*.html"))
    for path, text in chosen.items():
        title = re.search(r"^\s*-?\s*(?:标题|问题|留言标题|名称|说明): (.+)$", text, re.M)
        assert title and title.group(1).strip() in shown, f"{path}: its title is on no page"
