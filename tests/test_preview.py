"""``serve`` shows the edited document's page before the build: the page it previews is the page the build
writes, and what it cannot vouch for it leaves to the build."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from conftest import THEME, Site
from generator import BuildOptions, build
from generator.commands.serve import Rebuilder
from generator.render.preview import Preview

MIRROR = "\ntraditional:\n  enabled: true\n"


def _options(site: Site, output: Path | None = None) -> BuildOptions:
    return BuildOptions(content_dir=site.content, output_dir=output or site.output, theme_dir=THEME, jobs=1,
                        use_cache=output is None)


def _loaded(site: Site) -> Preview:
    return Preview(build(_options(site)).site, THEME)


@pytest.fixture
def linked(site: Site) -> Site:
    site.policy("a", "第一条 本办法适用于全市。\n\n第二条 见[规定](b.md)。", 标题="测试市公共文化服务办法",
                标签=["企业"])
    site.policy("b", "第一条 本规定自发布之日起施行。", 标题="测试市旅游景区管理规定", 发布日期="2023-05-06",
                相关文件=["a"])
    return site


@pytest.mark.parametrize("mirror", [False, True], ids=["simplified", "with the 繁體 mirror"])
def test_the_preview_is_the_page_the_build_writes(linked, tmp_path, mirror):
    if mirror:
        linked.write("site.yaml", (linked.content / "site.yaml").read_text(encoding="utf-8") + MIRROR)
    preview = _loaded(linked)
    path = linked.policy("a", "第一条 本办法适用于全市。\n\n第二条 见[规定](b.md)，另有新增的一句。",
                         标题="测试市公共文化服务办法（修订）", 标签=["企业"])
    pages = preview.pages({str(path)})
    clean = tmp_path / "clean"
    build(_options(linked, clean))
    expected = {"zcwj/a/index.html"} | ({"zh-hant/zcwj/a/index.html"} if mirror else set())
    assert set(pages) == expected
    for rel, html in pages.items():
        assert html == (clean / rel).read_bytes(), rel
    assert "另有新增的一句" in pages["zcwj/a/index.html"].decode("utf-8")


def test_what_only_a_build_can_tell_is_left_to_it(linked):
    preview = _loaded(linked)
    broken = linked.policy("a", "第一条 正文。", 标题="测试市公共文化服务办法", 发布日期="2023-02-30")
    assert preview.pages({str(broken)}) == {}  # an error: the build reports it, located
    new = linked.policy("c", "第一条 正文。", 标题="测试市新增的办法")
    assert preview.pages({str(new)}) == {}  # not in the last build's graph
    edited = linked.policy("b", "第一条 本规定自发布之日起施行。", 标题="测试市旅游景区管理规定（修订）",
                           发布日期="2023-05-06", 相关文件=["a"])
    # `sed -i` and some editors save through a temporary file beside the real one: it is not in the way
    pages = preview.pages({str(edited), str(linked.content / "policies" / "sedgjS3wU")})
    assert set(pages) == {"zcwj/b/index.html"}
    # site.yaml or the theme: every page may change, the build decides
    assert preview.pages({str(edited), str(linked.content / "site.yaml")}) is None
    assert preview.pages({str(THEME / "templates" / "policy.html")}) is None


def test_the_preview_comes_before_the_build():
    calls: list[tuple[str, set[str]]] = []
    built = threading.Event()

    def build_fn(batch):
        calls.append(("build", set(batch)))
        built.set()

    rebuilder = Rebuilder(build_fn, quiet=0.4, preview_fn=lambda batch: calls.append(("preview", set(batch))),
                          preview_quiet=0.02)
    rebuilder.start()
    try:
        started = time.monotonic()
        rebuilder.changed(["a.md"])
        assert built.wait(5)
        assert calls == [("preview", {"a.md"}), ("build", {"a.md"})]
        assert time.monotonic() - started >= 0.4
    finally:
        assert rebuilder.stop()


def test_serve_previews_the_edited_page(site):
    """Through the real server: the edit is announced as a preview, then the build follows."""
    from test_serve import Served, free_port

    site.policy("a", "第一条 本办法适用于全市。", 标题="测试市公共文化服务办法")
    served = Served(site, free_port())
    try:
        state = served.wait_ready()
        site.policy("a", "第一条 本办法适用于全市。", 标题="测试市公共文化服务办法（预览）")
        state = served.wait_build_after(state["epoch"])
        assert state["ok"] is True and state["previews"] == 1, served.stdout
        assert "（预览）" in served.page("zcwj/a/")[1]
        assert "previewed 1 page(s)" in served.stdout
    finally:
        assert served.stop() == 0



def test_a_preview_outlives_a_build_that_began_before_it_but_not_one_that_began_after():
    from generator.live_state import BuildStatus, LiveState

    state = LiveState()
    state.set_building(True)  # a build is running when the editor saves
    time.sleep(0.01)
    assert state.preview({"zcwj/a/index.html": b"new"}, time.monotonic())
    state.publish(BuildStatus(True, "built"))  # it may not have read the save: the preview stays
    assert state.previewed("zcwj/a/index.html") == b"new"
    state.set_building(True)  # the build that follows the save
    state.publish(BuildStatus(True, "built"))
    assert state.previewed("zcwj/a/index.html") is None
    # A preview that began before the last published build started is older than what it wrote.
    stale = time.monotonic() - 1
    assert not state.preview({"zcwj/a/index.html": b"old"}, stale)
    assert state.previewed("zcwj/a/index.html") is None


def test_previews_do_not_wait_for_a_running_build():
    previewed = threading.Event()
    release = threading.Event()

    def slow_build(batch):
        release.wait(5)

    rebuilder = Rebuilder(slow_build, quiet=0.05, preview_fn=lambda batch: previewed.set(), preview_quiet=0.02)
    rebuilder.start()
    try:
        rebuilder.changed(["a.md"])
        time.sleep(0.2)  # the build of a.md is running now
        previewed.clear()
        rebuilder.changed(["b.md"])
        assert previewed.wait(2), "the second save waited for the running build"
    finally:
        release.set()
        assert rebuilder.stop()
