"""The no-change fast path: a rebuild of unchanged inputs writes nothing, yet is never stale.

Every test builds once, changes one thing (or nothing), rebuilds, and compares
with a clean build or with the first output. The fast path must be taken only
when nothing the build reads changed, and the output must be untouched by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from dataclasses import replace

import pytest

from conftest import THEME, Site, tree_digest
from generator import BuildOptions, build
from generator.errors import ContentError


@pytest.fixture
def demo(site: Site) -> Site:
    site.policy("a", 标题="测试市文化场馆管理办法", body="第一条 为规范管理，制定本办法。")
    site.policy("b", 标题="测试市旅游景区管理规定", body="景区应当公布最大承载量。", 发布日期="2024-05-06",
                成文日期="2024-05-01")
    return site


def options(site: Site, **extra) -> BuildOptions:
    return BuildOptions(content_dir=site.content, output_dir=site.output, theme_dir=THEME, jobs=1, **extra)


def clean_build(site: Site, tmp_path: Path) -> dict[str, str]:
    clean = tmp_path / "clean"
    build(BuildOptions(content_dir=site.content, output_dir=clean, theme_dir=THEME, jobs=1, use_cache=False))
    digest = tree_digest(clean)
    shutil.rmtree(clean)
    return digest


def test_unchanged_rebuild_writes_and_reads_nothing(demo):
    first = build(options(demo))
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in demo.output.rglob("*")}
    second = build(options(demo))
    assert (second.written, second.read, second.unchanged) == (0, 0, True)
    assert not first.unchanged
    assert second.reused == first.written + first.reused and second.files == first.files
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in demo.output.rglob("*")} == before


def test_cli_reports_the_unchanged_build(demo):
    demo.build_ok()
    result = demo.build_ok()
    assert "0 pages written" in result.stdout and result.stdout.rstrip().endswith("; nothing changed")


def test_a_no_change_build_imports_neither_the_pipeline_nor_the_server(demo, monkeypatch):
    """Proving that nothing changed is all a no-change build costs: it does not load the converters, the
    templates, NumPy, worker processes or ``serve``'s server: each import is milliseconds of a build of
    about a tenth of a second."""
    demo.build_ok()
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")
    result = demo.run("build", process=True)
    assert result.returncode == 0 and "nothing changed" in result.stdout, result.stderr
    imported = set(re.findall(r"^import time:.*\|\s*([\w.]+)$", result.stderr, re.M))
    assert "generator.commands.build" in imported  # the import times were seen
    heavy = {"jinja2", "numpy", "comrak", "markdown", "yaml", "multiprocessing", "sqlite3.dump",
             "generator.commands.serve", "generator.loading", "generator.render", "generator.readers"}
    assert not heavy & imported, sorted(heavy & imported)


@pytest.mark.parametrize("change", ["content byte", "new file", "deleted file", "media file", "theme"])
def test_any_input_change_takes_the_full_path(demo, tmp_path, change):
    build(options(demo))
    if change == "content byte":
        path = demo.content / "policies" / "a.md"
        path.write_text(path.read_text(encoding="utf-8").replace("规范管理", "规范服务"), encoding="utf-8")
    elif change == "new file":
        demo.policy("c", 标题="测试市博物馆管理办法")
    elif change == "deleted file":  # withdrawn, so the build accepts that a published document is gone
        path = demo.content / "policies" / "b.md"
        number = re.search(r"索引号: (.*)", path.read_text(encoding="utf-8")).group(1)
        path.unlink()
        demo.write("withdrawn.yaml", f"- {{索引号: {number}, 标题: 乙, 撤销日期: 2024-01-02, 原因: 测试撤销。}}\n")
    elif change == "media file":  # a file no document names yet still counts: the build decides what matters
        demo.write("policies/files/x.csv", "a,b\n")
    else:
        theme = tmp_path / "theme"
        shutil.copytree(THEME, theme)
        (theme / "templates" / "base.html").write_text(
            (theme / "templates" / "base.html").read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
        result = build(BuildOptions(content_dir=demo.content, output_dir=demo.output, theme_dir=theme, jobs=1))
        assert result.written > 0 and not result.unchanged
        assert "<!-- changed -->" in (demo.output / "index.html").read_text(encoding="utf-8")
        return
    result = build(options(demo))
    assert not result.unchanged
    assert tree_digest(demo.output) == clean_build(demo, tmp_path)


@pytest.mark.parametrize("tamper", ["delete", "edit", "add"])
def test_output_touched_by_hand_is_repaired(demo, tmp_path, tamper):
    build(options(demo))
    expected = tree_digest(demo.output)
    page = demo.output / "index.html"
    if tamper == "delete":
        page.unlink()
    elif tamper == "edit":
        page.write_text("<p>defaced</p>", encoding="utf-8")
    else:
        (demo.output / "stray.html").write_text("x", encoding="utf-8")
    result = build(options(demo))
    assert not result.unchanged and (result.written > 0 or tamper == "add")
    assert tree_digest(demo.output) == expected


def test_warnings_are_replayed_and_fail_a_strict_build(demo):
    demo.policy("c", 标题="测试市联系名单", body="联系人邮箱 zhangsan@qq.com。")  # a privacy warning
    first = build(options(demo))
    assert [d.code for d in first.report.warnings] == ["privacy"]
    before = tree_digest(demo.output)
    second = build(options(demo))
    assert second.unchanged and [d.message for d in second.report.warnings] == \
        [d.message for d in first.report.warnings]
    with pytest.raises(ContentError) as failed:
        build(options(demo, strict=True))
    assert failed.value.report.warnings and tree_digest(demo.output) == before
    result = demo.build("--strict")
    assert result.returncode == 1 and "possible an e-mail address" in result.stderr


def test_a_new_day_takes_the_full_path(demo):
    # Deadlines and screening depend on the build date (an ID number's birth date must not be in the future).
    today = dt.date(2026, 12, 7)
    build(replace(options(demo), today=today))
    assert build(replace(options(demo), today=today)).unchanged
    assert not build(replace(options(demo), today=today + dt.timedelta(days=1))).unchanged


def test_a_damaged_snapshot_is_ignored(demo, tmp_path):
    build(options(demo))
    import sqlite3
    db = sqlite3.connect(demo.root / ".output.cache" / "build.sqlite")
    db.execute("UPDATE snapshot SET value = x'00ff00'")
    db.commit()
    db.close()
    result = build(options(demo))
    assert not result.unchanged
    assert tree_digest(demo.output) == clean_build(demo, tmp_path)
    assert build(options(demo)).unchanged  # and the next one has a good snapshot again



def test_digests_are_trusted_by_stat_until_the_file_changes(demo, tmp_path, monkeypatch):
    """A rebuild hashes no unchanged file (their stat is what the last build recorded), yet an edit that
    keeps the size and restores the modification time is seen: the change time, which no program can set
    back, is part of the stat."""
    from generator import cache

    monkeypatch.setattr(cache, "RACY_NS", -10**15)  # the files were written just now: trust them anyway
    hashed = []
    real = cache._bytes_digest
    monkeypatch.setattr(cache, "_bytes_digest", lambda path: hashed.append(Path(path)) or real(path))
    build(options(demo))
    hashed.clear()
    assert build(options(demo)).unchanged and hashed == []
    path = demo.content / "policies" / "a.md"
    mtime = path.stat().st_mtime_ns
    path.write_text(path.read_text(encoding="utf-8").replace("为规范管理", "为加强管理"), encoding="utf-8")
    os.utime(path, ns=(mtime, mtime))
    result = build(options(demo))
    assert not result.unchanged and result.read == 1 and path in hashed
    assert tree_digest(demo.output) == clean_build(demo, tmp_path)


def test_converter_versions_are_read_as_importlib_metadata_reads_them(tmp_path, monkeypatch):
    """The generator's code digest names the converters' versions (a new one invalidates the cache): read from
    the .dist-info folders, they must be importlib.metadata's, and a newer install first on the path wins."""
    import sys
    from importlib.metadata import version

    from generator.cache import CONVERTERS, installed_version

    for name in (*CONVERTERS, "PyYAML", "beautifulsoup4", "Jinja2"):
        assert installed_version(name) == version(name)
    (tmp_path / "Markdown-99.1.dist-info").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    assert installed_version("markdown") == "99.1"
