"""Shared fixtures: scratch sites written into tmp_path, built through the API or the CLI.

Tests never depend on the repository's own content/; each writes the small
site it needs, so a failure points at one rule.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "themes" / "default"

SITE_YAML = """\
site:
  name: 测试市文化和旅游局
  language: zh-CN
  base_url: https://wlj.example.gov.cn/
agency:
  sponsor: 测试市文化和旅游局
  organizer: 测试市文化和旅游局办公室
  address: 测试市人民路1号
  phone: 010-62345678
identity:
  site_code: "1100000001"
  icp: 京ICP备12345678号
  police_record: 京公网安备11010502000001号
  conac_id: ABC123
index_no:
  organ_code: "000014349"
  pattern: "{organ_code}/{year}-{seq:05d}"
vocabularies:
  topics: [综合政务, 文化、广电、新闻出版, 商贸、海关、旅游]
  categories: [法律, 规范性文件, 其他文件]
  issuers: [测试市文化和旅游局, 测试市人民政府]
  tags:
    适用对象: [企业, 个人]
    政策类型: [惠企政策]
listing:
  per_page: 5
columns:
  - slug: zfxxgk
    name: 政府信息公开
    children:
      - slug: lzyj
        name: 履职依据
        children:
          - slug: gfxwj
            name: 规范性文件
            list: {category: [规范性文件], validity: current}
            empty_reason: 暂无现行有效的规范性文件。
          - slug: gfxwj-fz
            name: 废止和失效规范性文件
            list: {category: [规范性文件], validity: repealed}
            empty_reason: 暂无废止和失效的规范性文件。
  - slug: zcwj
    name: 政策文件
    children:
      - slug: xxyx
        name: 现行有效
        list: {validity: current}
        empty_reason: 暂无现行有效的文件。
      - slug: sxfz
        name: 失效/废止
        list: {validity: repealed}
        empty_reason: 暂无失效或废止的文件。
"""

DEFAULTS = {
    "标题": "测试市文化和旅游局关于做好文化工作的通知",
    "发布机构": "测试市文化和旅游局",
    "主题分类": "文化、广电、新闻出版",
    "文种": "其他文件",
    "成文日期": "2023-04-01",
    "发布日期": "2023-04-03",
    "有效性": "现行有效",
}


def index_no(key: str, date: object = "2023") -> str:
    """A 索引号 for a test document, in the year of ``date``, that sorts like ``key`` (its file name): same-day
    documents list in file-name order, as in a real library numbered in order. The serial is the key's first
    12 bytes as a number, then 4 digits of its hash, so different keys never share one in practice."""
    year = str(date).strip("'\" ")[:4]
    year = year if year.isdigit() else "2023"
    head = int.from_bytes(key.encode("utf-8")[:12].ljust(12, b"\0"), "big")
    tail = int(hashlib.blake2b(key.encode("utf-8"), digest_size=4).hexdigest(), 16) % 10_000
    return f"000014349/{year}-{head:029d}{tail:04d}"


def with_index(meta: dict, key: str) -> dict:
    """``meta`` with a 索引号 as its last field (so the lines of the others stay put), unless it names one
    (a value of None: no 索引号 at all)."""
    if "索引号" in meta or "index_no" in meta:
        return meta
    return {**meta, "索引号": index_no(key, meta.get("发布日期", "2023"))}


def policy(body: str = "正文第一段。", slug: str | None = None, **fields) -> str:
    """A policy file: DEFAULTS overridden by ``fields``; a value of None drops the field.
    Its 索引号 (unless given) is made from ``slug``, or from the file's text."""
    meta = with_index({**DEFAULTS, **fields}, slug or repr((body, sorted(fields.items()))))
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, list):
            value = "[" + ", ".join(value) + "]"
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body + "\n"


#: The commands that speak a language (``--lang``).
SPEAKING = ("build", "check", "serve", "new", "fill-index", "inspect")


class Site:
    """A scratch site in a temporary folder.

    Commands run with ``--lang en`` unless a test sets ``lang`` (or passes ``--lang`` itself): the
    messages' English text is what the code writes, so most tests assert on it; tests/test_validation.py
    reads everything in Chinese, the default of the command line.
    """

    lang = "en"

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        self.content.mkdir()
        self.write("site.yaml", SITE_YAML)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def policy(self, slug: str, body: str = "正文第一段。", **fields) -> Path:
        return self.write(f"policies/{slug}.md", policy(body, slug, **fields))

    def run(self, *args: str, cwd: Path | None = None, raw: bool = False,
            process: bool = False) -> subprocess.CompletedProcess:
        """Run the command line on this site (unless ``raw``, pointed at it), from the site's folder.

        In-process by default: the same ``cli.main`` a user's command runs, with its exit code and its
        output captured, in a fraction of the time. ``process=True`` starts ``python -m generator`` as a
        user would, for the few tests about the process itself (entry point, signals, environment).
        """
        argv = list(args)
        if args and args[0] in SPEAKING and "--lang" not in args and self.lang:
            argv += ["--lang", self.lang]
        if args and args[0] in ("build", "check") and not raw:
            argv += ["--content", str(self.content)]
            if args[0] == "build":
                argv += ["--output", str(self.output), "--theme", str(THEME)]
        if process:
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            return subprocess.run([sys.executable, "-m", "generator", *argv], cwd=cwd or self.root,
                                  capture_output=True, text=True, env=env, timeout=120)
        return run_cli(argv, cwd or self.root)

    def build(self, *extra: str) -> subprocess.CompletedProcess:
        result = self.run("build", *extra)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def build_ok(self, *extra: str) -> subprocess.CompletedProcess:
        result = self.build(*extra)
        assert result.returncode == 0, result.stderr
        return result

    def page(self, url: str) -> BeautifulSoup:
        path = self.output / url
        if url.endswith("/") or url == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def tree_digest(self) -> dict[str, str]:
        return tree_digest(self.output)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def pytest_collection_modifyitems(config, items):
    """Tiers: everything under tests/browser or using Chromium is `browser`; every hypothesis test is
    `property`."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parts or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)


def run_cli(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``python -m generator ARGV`` in this process: exit code, stdout and stderr as a subprocess gives them.
    A content mistake must never end in a traceback: an exception escapes and fails the test."""
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as e:  # argparse usage errors
                code = e.code if isinstance(e.code, int) else 2
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(["python", "-m", "generator", *argv], code, out.getvalue(), err.getvalue())


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def texts(elements) -> list[str]:
    return [" ".join(e.get_text(" ", strip=True).split()) for e in elements]
