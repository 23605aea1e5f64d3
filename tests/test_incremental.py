"""Incremental and parallel builds give byte-identical output to a clean full build.

Random sequences of edits (titles, dates, validity, tags, cross-references,
added and deleted files, templates, site.yaml) are applied to a site; after each
one the incremental build (with its cache, reusing the previous output) must
produce exactly the files a clean build produces, or fail exactly when it fails.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import SITE_YAML, THEME, index_no, policy, tree_digest
from generator import BuildOptions, build
from generator.errors import ContentError

INTERP_COLUMN = """\
  - slug: zcjd
    name: 政策解读
    list: {type: interpretation}
    empty_reason: 暂无。
"""


MIRROR = "traditional:\n  enabled: true\n"


def interpretation(target: str, title: str, date: str, slug: str = "") -> str:
    return (f"---\n标题: {title}\n索引号: {index_no('jd-' + slug + target, date)}\n形式: 文字\n解读文件: [{target}]\n发布日期: {date}\n"
            f"解读机构: 测试市文化和旅游局政策法规处\n---\n\n解读正文，参见原文。\n")


class World:
    """A site plus its theme copy, with helpers to edit both."""

    def __init__(self, root: Path, seed: int):
        self.rng = random.Random(seed)
        self.content = root / "content"
        self.theme = root / "theme"
        self.inc = root / "inc"
        shutil.copytree(THEME, self.theme)
        (self.content / "policies").mkdir(parents=True)
        (self.content / "interpretations").mkdir()
        # The 繁體 mirror on: its pages and search index are cached and reused like the site's own.
        (self.content / "site.yaml").write_text(SITE_YAML + INTERP_COLUMN + MIRROR, encoding="utf-8")
        self.docs: dict[str, dict] = {}
        for n in range(12):
            self.add_doc()
        self.docs["old"] = {"标题": "旧办法", "文种": "规范性文件", "发布日期": "2019-03-01", "成文日期": "2019-03-01",
                            "有效性": "废止", "有效性变更日期": "2023-04-03"}
        self.docs["new"] = {"标题": "新办法", "文种": "规范性文件", "替代": ["old"], "标签": ["企业"]}
        self.docs["hant"] = {"标题": "關於測試的通知", "语言": "zh-Hant", "相关文件": ["new"]}
        self.interps = {"i1": ("new", "新办法解读", "2023-04-03")}
        self.flush()

    def add_doc(self) -> str:
        slug = f"d{len(self.docs):03d}-{self.rng.randrange(1000)}"
        day = self.rng.randrange(1, 28)
        self.docs[slug] = {"标题": f"文件{slug}", "成文日期": f"2022-05-{day:02d}", "发布日期": f"2022-05-{day:02d}",
                           "文种": self.rng.choice(["规范性文件", "其他文件"]),
                           "标签": self.rng.sample(["企业", "个人", "惠企政策"], self.rng.randrange(0, 3))}
        return slug

    def flush(self) -> None:
        folder = self.content / "policies"
        for path in folder.glob("*.md"):
            if path.stem not in self.docs:
                path.unlink()
        for slug, fields in self.docs.items():
            text = policy(body=f"{slug} 的正文。\n\n| 项目 | 内容 |\n|---|---|\n| 一 | {fields['标题']} |", slug=slug,
                          **fields)
            path = folder / f"{slug}.md"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        ifolder = self.content / "interpretations"
        for path in ifolder.glob("*.md"):
            if path.stem not in self.interps:
                path.unlink()
        for slug, (target, title, date) in self.interps.items():
            (ifolder / f"{slug}.md").write_text(interpretation(target, title, date, slug), encoding="utf-8")

    # --- edits -----------------------------------------------------------------------------------

    def in_relation(self, slugs: set[str]) -> bool:
        return any(d.get("替代") and (s in slugs or set(d["替代"]) & slugs) or
                   d.get("被替代") and (s in slugs or set(d["被替代"]) & slugs) for s, d in self.docs.items())

    def plain(self) -> list[str]:
        return [s for s in self.docs if s not in ("old", "new", "hant")]

    def edit(self) -> str:
        self.edited: set[str] = set()
        for fields in self.docs.values():  # a broken file is mended sooner or later
            if fields.get("发布日期") == "2023-02-30" and self.rng.random() < 0.5:
                fields["发布日期"] = fields["成文日期"]
        op = self.rng.choice(["title", "date", "validity", "tag", "related", "add", "delete", "template",
                              "site", "interp", "body-link", "mirror", "replace", "column", "broken"])
        slug = self.rng.choice(self.plain())
        doc = self.docs[slug]
        self.edited = {slug}
        if op == "title":
            doc["标题"] = f"改名{self.rng.randrange(10_000)}"
        elif op == "date":
            day = self.rng.randrange(1, 28)
            doc["成文日期"] = doc["发布日期"] = f"2021-{self.rng.randrange(1, 13):02d}-{day:02d}"
        elif op == "validity":
            if doc.get("有效性") == "失效":
                doc.pop("有效性"), doc.pop("有效性变更日期")
            else:
                doc["有效性"], doc["有效性变更日期"] = "失效", "2023-06-01"
        elif op == "tag":
            doc["标签"] = self.rng.sample(["企业", "个人", "惠企政策"], self.rng.randrange(0, 4))
        elif op == "related":
            other = self.rng.choice(self.plain())
            doc["相关文件"] = [other] if other != slug else []
        elif op == "replace":  # a relation written on either side; the replaced one leaves the current lists
            other = self.rng.choice([s for s in self.plain() if s != slug] or [slug])
            newer, older = sorted((slug, other), key=lambda s: self.docs[s]["发布日期"], reverse=True)
            if newer != older:
                for d in self.docs.values():  # one relation at a time, so no chain contradicts another
                    d.pop("替代", None) if d is not self.docs["new"] else None
                    d.pop("被替代", None)
                if self.rng.random() < 0.5:
                    self.docs[newer]["替代"] = [older]
                else:
                    self.docs[older]["被替代"] = [newer]
                self.docs[older]["有效性"], self.docs[older]["有效性变更日期"] = "废止", "2023-06-01"
        elif op == "column":  # a column listing a tag appears or goes away
            site = self.content / "site.yaml"
            text = site.read_text(encoding="utf-8")
            column = "  - slug: qiye\n    name: 涉企政策\n    list: {tag: [企业]}\n    empty_reason: 暂无。\n"
            text = text.replace(column, "") if column in text else text.replace("traditional:", column + "traditional:")
            site.write_text(text, encoding="utf-8")
        elif op == "broken":  # a content error: both builds fail, and the output stays as it was
            doc["发布日期"] = "2023-02-30"
        elif op == "add":
            self.add_doc()
        elif op == "delete" and len(self.plain()) > 3:
            for d in self.docs.values():  # never leave a dangling 相关文件
                if slug in d.get("相关文件", []):
                    d["相关文件"] = []
            del self.docs[slug]
        elif op == "template":
            path = self.theme / "templates" / self.rng.choice(["_policy_item.html", "policy.html", "base.html"])
            path.write_text(path.read_text(encoding="utf-8") + f"\n{{# edit {self.rng.randrange(10**6)} #}}<!-- e -->\n",
                            encoding="utf-8")
        elif op == "site":
            site = self.content / "site.yaml"
            text = site.read_text(encoding="utf-8")
            size = self.rng.choice([5, 6, 7, 8])  # 5 is the smallest allowed; with ~15 documents, pages change
            site.write_text(text.replace(text[text.index("per_page:"):text.index("\n", text.index("per_page:"))],
                                         f"per_page: {size}"), encoding="utf-8")
        elif op == "mirror":  # another variant, or the mirror off and on again
            site = self.content / "site.yaml"
            text = site.read_text(encoding="utf-8")
            settings = self.rng.choice(["  enabled: true\n  variant: tw\n", "  enabled: false\n", "  enabled: true\n"])
            site.write_text(text[:text.index("traditional:")] + "traditional:\n" + settings, encoding="utf-8")
        elif op == "interp":
            target = self.rng.choice(self.plain() + ["new"])
            date = self.docs[target].get("发布日期", "2023-04-03")
            self.interps[f"i{self.rng.randrange(100)}"] = (target, f"解读{self.rng.randrange(100)}", date)
        elif op == "body-link":
            other = self.rng.choice(self.plain())
            path = self.content / "policies" / f"{slug}.md"
            self.flush()
            path.write_text(path.read_text(encoding="utf-8") + f"\n见[另一文件]({other}.md)。\n", encoding="utf-8")
            return op
        self.flush()
        return op


def _build(content: Path, theme: Path, output: Path, **options) -> str:
    # Deleting and re-dating documents is part of the random edits: accept it (tests/test_index_numbers.py
    # checks that a build reports it otherwise).
    try:
        build(BuildOptions(content_dir=content, output_dir=output, theme_dir=theme, allow_removal=True, **options))
        return "ok"
    except ContentError:
        return "failed"


def _site(content: Path, theme: Path, output: Path):
    """The site graph of the last build (what ``serve`` keeps for its previews)."""
    from generator.commands.build import load

    return load(BuildOptions(content_dir=content, output_dir=output, theme_dir=theme))[1]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
def test_random_edits_match_a_clean_build(tmp_path, monkeypatch, seed):
    """Every incremental build equals a clean one; so does serve's preview of a page whose title or body
    changed (nothing the graph derives for it changed). Half the seeds rebuild on two processes, however
    small the work: the pages to render are then sorted out in a worker, while the search index is made."""
    from generator import parallel
    from generator.render.preview import Preview

    jobs = 1 if seed < 3 else 2
    if jobs > 1:
        monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 1)
    world = World(tmp_path, seed)
    assert _build(world.content, world.theme, world.inc, jobs=jobs) == "ok"
    site = _site(world.content, world.theme, world.inc)
    for step in range(14):
        op = world.edit()
        before = tree_digest(world.inc)
        previewed = Preview(site, world.theme).pages({str(p) for p in (world.content / "policies").glob("*.md")
                                                      if p.stem in world.edited}) \
            if op in ("title", "body-link") and site is not None else None
        inc = _build(world.content, world.theme, world.inc, jobs=jobs)
        clean_dir = tmp_path / f"clean-{step}"
        clean = _build(world.content, world.theme, clean_dir, jobs=1, use_cache=False)
        assert inc == clean, f"step {step} ({op}): incremental {inc}, clean {clean}"
        if inc == "ok":
            assert tree_digest(world.inc) == tree_digest(clean_dir), f"step {step} ({op}) differs from a clean build"
            # (A replaced or replacing document's comparison page title names it as the last build knew it:
            # the preview shows that until the build that follows.)
            if op == "title" and previewed and not world.in_relation(world.edited):
                for rel, html in previewed.items():
                    assert html == (clean_dir / rel).read_bytes(), f"step {step}: the preview of {rel} differs"
            shutil.rmtree(clean_dir)
            site = _site(world.content, world.theme, world.inc)
        else:
            assert tree_digest(world.inc) == before, f"step {step} ({op}): a failed build changed the output"


def test_one_edit_rereads_one_file_and_reuses_most_pages(tmp_path):
    world = World(tmp_path, 99)
    options = dict(content_dir=world.content, output_dir=world.inc, theme_dir=world.theme, jobs=1)
    first = build(BuildOptions(**options))
    assert first.reused == 0 and first.read > 0
    slug = world.plain()[0]
    world.docs[slug]["标题"] = "改过的标题"
    world.flush()
    second = build(BuildOptions(**options))
    assert not second.unchanged and second.read == 1
    assert 0 < second.written < first.written / 2 and second.reused > first.written / 2


def test_parallel_build_is_byte_identical(tmp_path):
    world = World(tmp_path, 7)
    for _ in range(90):
        world.add_doc()
    world.flush()
    one, two = tmp_path / "one", tmp_path / "two"
    build(BuildOptions(content_dir=world.content, output_dir=one, theme_dir=world.theme, jobs=1, use_cache=False))
    build(BuildOptions(content_dir=world.content, output_dir=two, theme_dir=world.theme, jobs=2, use_cache=False))
    assert tree_digest(one) == tree_digest(two)
    assert len(tree_digest(one)) > 150


def test_parallel_rebuild_taking_cached_and_fresh_files_in_turn_is_byte_identical(tmp_path, monkeypatch):
    """The files read again come back from the workers while the unchanged ones come from the cache, and are
    stored in the cache a few at a time: the site is a clean build's, and nothing stored is lost."""
    import generator.loading as loading

    monkeypatch.setattr(loading._Storing, "LIMIT", 10_000)  # stored a few files at a time
    world = World(tmp_path, 8)
    for _ in range(200):
        world.add_doc()
    world.flush()
    options = dict(content_dir=world.content, output_dir=world.inc, theme_dir=world.theme, jobs=2)
    first = build(BuildOptions(**options))
    edited = world.plain()[::3]
    for slug in edited:
        world.docs[slug]["标题"] = f"改过的标题{slug}"
    world.flush()
    second = build(BuildOptions(**options))
    assert second.read == len(edited) >= 64  # enough for the workers
    assert 0 < first.read - second.read
    clean = tmp_path / "clean"
    build(BuildOptions(content_dir=world.content, output_dir=clean, theme_dir=world.theme, jobs=1, use_cache=False))
    assert tree_digest(world.inc) == tree_digest(clean)
    world.docs[edited[0]]["标题"] = "又改了一次"
    world.flush()
    assert build(BuildOptions(**options)).read == 1


def test_corrupt_cache_means_a_full_build_not_a_wrong_one(tmp_path):
    world = World(tmp_path, 3)
    options = dict(content_dir=world.content, output_dir=world.inc, theme_dir=world.theme, jobs=1)
    build(BuildOptions(**options))
    cache = tmp_path / ".inc.cache" / "build.sqlite"
    assert cache.exists()
    cache.write_bytes(b"not a database")
    result = build(BuildOptions(**options))
    assert result.reused == 0
    clean = tmp_path / "clean"
    build(BuildOptions(content_dir=world.content, output_dir=clean, theme_dir=world.theme, use_cache=False))
    assert tree_digest(world.inc) == tree_digest(clean)


def test_template_reading_site_wide_lists_is_never_stale(tmp_path):
    # A custom theme that shows a site-wide count on every page: the fingerprint cannot know it,
    # so reading `site.policies` marks those pages volatile and they are rendered every time.
    world = World(tmp_path, 11)
    footer = world.theme / "templates" / "_footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + '<p class="count">共{{ site.policies|length }}件</p>\n',
                      encoding="utf-8")
    options = dict(content_dir=world.content, output_dir=world.inc, theme_dir=world.theme, jobs=1)
    build(BuildOptions(**options))
    world.add_doc()
    world.flush()
    build(BuildOptions(**options))
    page = (world.inc / "zcwj" / "old" / "index.html").read_text(encoding="utf-8")
    assert f"共{len(world.docs)}件" in page
