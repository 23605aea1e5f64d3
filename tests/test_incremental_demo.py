"""Random edits of every content type of the demo: each incremental build equals a clean build.

tests/test_incremental.py edits a small site of policies and interpretations in many ways; this edits
the demo itself — drafts with their deadlines, Q&A, messages, decision catalogues, annual reports,
institutions, pages — the way an editor would: a title, a date, a tag, a validity, a field removed, a
paragraph added, a file copied or deleted. After each edit the build with its cache (reusing the previous
output) must give exactly the files a clean build gives, or fail exactly when it fails, leaving the
output as it was.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, THEME, tree_digest
from generator import BuildOptions, build
from generator.errors import ContentError

TODAY = dt.date(2026, 12, 7)
DATES = ["2024-03-05", "2025-11-20", "2026-06-30", "2026-12-01", "2026-12-20", "2023-01-09"]
FIELD = re.compile(r"(?m)^([^\s#:-][^:\n]*): \S")


#: What an editor does, and how often: (edit, what a file needs for it), the file chosen among those.
EDITS = [("title", r"(?m)^(标题|名称): "), ("body", r"\A---\n"), ("body", r"\A---\n"), ("date", r"(?m)^[^\s:#][^:\n]*(日期|时间): \d"),
         ("tag", r"(?m)^标签: "), ("validity", r"(?m)^有效性: "), ("drop", r"(?m)^[^\s#:-][^:\n]*: \S"),
         ("copy", ""), ("delete", "")]


def _edit(content: Path, rng: random.Random) -> str:
    """One editor's change to a content file (site.yaml aside); what it was, for the message."""
    op, needs = rng.choice(EDITS)
    files = [p for p in sorted(content.rglob("*")) if p.suffix in (".md", ".yaml") and p.name != "site.yaml"
             and re.search(needs, p.read_text(encoding="utf-8"))]
    path = rng.choice(files)
    text, rel = path.read_text(encoding="utf-8"), path.relative_to(content)
    if op == "delete":
        path.unlink()
        return f"delete {rel}"
    if op == "copy":
        path.with_name(f"{path.stem}-copy{path.suffix}").write_text(text, encoding="utf-8")
        return f"copy {rel}"
    if op == "title":
        new = re.sub(r"(?m)^(标题|名称): .*$", lambda m: f"{m.group(1)}: 改过的标题{rng.randrange(1000)}", text, count=1)
    elif op == "date":
        key = rng.choice(re.findall(r"(?m)^([^\s:#][^:\n]*(?:日期|时间)): \d{4}-\d\d-\d\d", text) or ["发布日期"])
        new = re.sub(rf"(?m)^{re.escape(key)}: \d{{4}}-\d\d-\d\d", f"{key}: {rng.choice(DATES)}", text, count=1)
    elif op == "tag":
        new = re.sub(r"(?m)^标签: .*$", f"标签: [{rng.choice(['企业', '个人', '文化市场', '旅游'])}]", text, count=1)
    elif op == "validity":
        new = re.sub(r"(?m)^有效性: .*$", f"有效性: {rng.choice(['现行有效', '失效', '废止'])}", text, count=1)
    elif op == "drop":
        lines = text.split("\n")
        del lines[rng.choice([n for n, line in enumerate(lines) if FIELD.match(line)])]
        new = "\n".join(lines)
    else:  # a paragraph added to a Markdown body
        new = text + f"\n\n新增的一段文字{rng.randrange(1000)}。\n"
    path.write_text(new, encoding="utf-8")
    return f"{op} {rel}"


def _build(content: Path, output: Path, **options) -> str:
    try:
        build(BuildOptions(content_dir=content, output_dir=output, theme_dir=THEME, today=TODAY, jobs=1,
                           allow_removal=True, **options))
        return "ok"
    except ContentError:
        return "failed"


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2))
def test_random_edits_of_every_type_match_a_clean_build(tmp_path, seed):
    rng = random.Random(seed)
    content, inc = tmp_path / "content", tmp_path / "inc"
    shutil.copytree(ROOT / "content", content)
    assert _build(content, inc) == "ok"
    built = 0
    for step in range(14):
        what = _edit(content, rng)
        before = tree_digest(inc)
        result = _build(content, inc)
        clean = tmp_path / f"clean-{step}"
        assert result == _build(content, clean, use_cache=False), f"step {step} ({what})"
        if result == "ok":
            built += 1
            assert tree_digest(inc) == tree_digest(clean), f"step {step} ({what}) differs from a clean build"
            shutil.rmtree(clean)
        else:
            assert tree_digest(inc) == before, f"step {step} ({what}): a failed build changed the output"
            if rng.random() < 0.7:  # mended: the editor puts the demo back
                shutil.rmtree(content)
                shutil.copytree(ROOT / "content", content)
    assert built >= 7  # most edits leave a site that builds: the comparison is really made
