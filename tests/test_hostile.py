"""Hostile and broken content: no script reaches the output, no path leaves the content folder, and no input
crashes the build or takes unbounded time; a failed build leaves the previous output exactly as it was.

Payloads live in tests/hostile/. Builds run in-process through the API (fast) and, for a few cases, through
the command line as an editor would run them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SITE_YAML, THEME, line_of, policy, tree_digest
from generator import BuildOptions, build
from generator.config import load_config
from generator.documents import TYPES
from generator.errors import ContentError, Report
from generator.loading import load_site
from generator.phone import PhoneNumber, PhoneNumbers
from generator.readers import bounds, engines
from generator.readers.markdown import Options, render
from generator.schema import ListOf, Record, Text, Url
from generator.documents.annual_report import ANNUAL_REPORT_SCHEMA
from generator.documents.decision_catalogue import CATALOGUE_SCHEMA
from generator.documents.draft import DRAFT_SCHEMA
from generator.documents.disclosure import ARTICLE_SCHEMA, PAGE_SCHEMAS
from generator.documents.institution import INSTITUTION_SCHEMA
from generator.documents.interpretation import INTERPRETATION_SCHEMA
from generator.documents.policy import POLICY_SCHEMA

HOSTILE = Path(__file__).parent / "hostile"
PAYLOADS = [l for l in (HOSTILE / "payloads.txt").read_text(encoding="utf-8").splitlines()
            if l and not l.startswith("#")]
MARKDOWN_PAYLOADS = (HOSTILE / "markdown_payloads.md").read_text(encoding="utf-8")
#: The one-line payload every free-text field gets (it must fit the shortest max_length of 100).
INLINE = '<script>alert(1)</script>"><img src=# onerror=alert(1)>{{ 7*7 }}\u202e'
FORMULA = "=cmd|' /C calc'!A0"


def opts(content: Path, output: Path | None = None, strict: bool = False) -> BuildOptions:
    return BuildOptions(content_dir=content, output_dir=output or content.parent / "output", theme_dir=THEME,
                        strict=strict, use_cache=False, jobs=1)


def load(content: Path) -> Report:
    report = Report()
    load_site(content, report)
    return report


def read_front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.load(meta, Loader=yaml.BaseLoader) or {}, body


def write_front_matter(path: Path, meta: dict, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"
                    + body, encoding="utf-8")


def write_yaml(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


# --------------------------------------------------------------------------- the payload site


def poison(data: dict, schema, n: list) -> dict:
    """Every free-text field of ``data`` (per ``schema``) carries the payloads; structured values stay valid."""
    for f in schema.fields:
        key = next((k for k in (f.key, *f.aliases) if k in data), None)
        t = f.type
        plain_text = isinstance(t, Text) and t.pattern is None
        if key is None:
            if plain_text and not f.required and f.key not in ("索引号", "文号", "规范性文件登记号", "替代文本", "照片说明",
                                                                "文字版", "文字实录", "隐私审查"):
                key = f.key  # add optional free text: more places for payloads
                data[key] = "文本"
            else:
                continue
        value = data[key]
        if plain_text and isinstance(value, str):
            n[0] += 1
            room = (t.max_length or 10_000) - len(INLINE) - len(FORMULA) - 2
            head = FORMULA if n[0] % 2 else ""  # spreadsheets: a cell starting with = is a formula
            glue = "\n\n" if t.multiline else ""
            data[key] = head + value[:max(1, room)] + glue + INLINE
            if t.multiline and t.max_length is None:
                data[key] += "\n\n" + MARKDOWN_PAYLOADS.split("\n\n", 1)[1].split("\n\n    ")[0]
        elif isinstance(t, Url) and isinstance(value, str):
            data[key] = value + ('&q="><script>alert(1)</script>' if "?" in value else '?q="><script>alert(1)</script>')
        elif isinstance(t, (PhoneNumber, PhoneNumbers)) and isinstance(value, str) and "（" not in value:
            data[key] = value + '（"><b onmouseover=alert`1`>值班</b>）'
        elif isinstance(t, ListOf) and isinstance(t.item, Text) and t.item.pattern is None and isinstance(value, list):
            value.append(INLINE.replace("\u202e", ""))
        elif isinstance(t, Record) and isinstance(value, dict):
            poison(value, t.schema, n)
        elif isinstance(t, ListOf) and isinstance(value, list):
            item = t.item
            for v in value:
                if isinstance(v, dict):
                    sub = item if isinstance(item, Record) else next(
                        (x for x in getattr(item, "types", ()) if isinstance(x, Record)), None)
                    if sub is not None:
                        poison(v, sub.schema, n)
    return data


def make_payload_site(root: Path) -> Path:
    """The demo site with payloads in every free-text field, every body, the vocabularies and site.yaml."""
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    n = [0]
    for kind, schema in (("policies", POLICY_SCHEMA), ("interpretations", INTERPRETATION_SCHEMA)):
        for path in sorted((content / kind).glob("*.md")):
            meta, body = read_front_matter(path)
            write_front_matter(path, poison(meta, schema, n), body + "\n\n" + MARKDOWN_PAYLOADS)
    for path in sorted((content / "pages").glob("*.md")):
        meta, body = read_front_matter(path)
        write_front_matter(path, poison(meta, ARTICLE_SCHEMA, n), body + "\n\n" + MARKDOWN_PAYLOADS)
    for path in sorted((content / "drafts").glob("*.md")):
        meta, body = read_front_matter(path)
        poison(meta, DRAFT_SCHEMA, n)
        if isinstance(meta.get("征集情况说明"), dict):  # numbers stay numbers (read as text above)
            report = meta["征集情况说明"]
            report.update({k: int(report[k]) for k in ("意见数", "采纳数") if k in report})
        write_front_matter(path, meta, body + "\n\n" + MARKDOWN_PAYLOADS)
    for path in sorted((content / "decision-catalogues").glob("*.md")):
        meta, body = read_front_matter(path)
        poison(meta, CATALOGUE_SCHEMA, n)
        meta.update({"年度": int(meta["年度"]), "发布机构": meta["发布机构"] + INLINE})
        write_front_matter(path, meta, body + "\n\n" + MARKDOWN_PAYLOADS)
    for path in sorted((content / "pages").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        write_yaml(path, poison(data, PAGE_SCHEMAS[data["类型"]], n))
    for path in sorted((content / "institutions").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        write_yaml(path, poison(data, INSTITUTION_SCHEMA, n))
    for path in sorted((content / "annual-reports").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("标题", "总体情况", "存在的主要问题及改进情况", "其他需要报告的事项"):
            data[key] = FORMULA + str(data[key]) + INLINE if key == "标题" else str(data[key]) + "\n\n" + INLINE
        data["发布日期"] = str(data["发布日期"])
        write_yaml(path, data)
    # site.yaml: identity texts, column names and descriptions, and new vocabulary terms a document uses.
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    site["site"]["name"] += INLINE
    site["site"]["description"] += INLINE
    for key in ("sponsor", "organizer", "address"):
        site["agency"][key] += INLINE
    vocab = site["vocabularies"]
    vocab["issuers"] = [i + INLINE if i == "江州市文化和旅游局" else i for i in vocab["issuers"]]
    vocab["topics"].append("<img src=x onerror=alert(1)>主题")
    vocab["categories"].append('"><svg onload=alert(1)>文种')
    vocab["tags"]["适用对象"].append("{{ 7*7 }}<b onclick=alert(1)>标签")
    vocab["tags"]['"><img src=x onerror=alert(1)>分组'] = ["<img src=x onerror=alert(1)>标签二"]

    def columns(items):
        for column in items:
            column["name"] += "<script>alert(1)</script>"
            column["description"] = column.get("description", "") + INLINE
            if "empty_reason" in column:
                column["empty_reason"] += INLINE
            columns(column.get("children", []))

    columns(site["columns"])
    write_yaml(content / "site.yaml", site)
    for path in (content / "policies").glob("*.md"):
        meta, body = read_front_matter(path)
        if meta.get("发布机构") == "江州市文化和旅游局":
            meta["发布机构"] += INLINE
        if meta.get("标签") == [] or "标签" not in meta:
            meta["标签"] = ["{{ 7*7 }}<b onclick=alert(1)>标签", "<img src=x onerror=alert(1)>标签二"]
        write_front_matter(path, meta, body)
    for path in (content / "annual-reports").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["发布机构"] += INLINE
        data["发布日期"] = str(data["发布日期"])
        write_yaml(path, data)
    extra = content / "policies" / '"onfocus=alert(1)autofocus=".md'  # a file name is an id and a URL
    meta, body = read_front_matter(content / "policies" / "lvyou-fa.md")
    meta.update({"标题": "文件名注入" + INLINE, "主题分类": "<img src=x onerror=alert(1)>主题",
                 "文种": '"><svg onload=alert(1)>文种', "索引号": "11360400MB1C23456X/2099-99999"})
    for key in ("替代", "被替代", "修改", "被修改", "相关文件"):
        meta.pop(key, None)
    write_front_matter(extra, meta, body)
    return content


EXECUTABLE_ATTRS = re.compile(r"^on", re.I)
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "srcset", "background", "xlink:href", "cite",
             "ping", "longdesc", "manifest", "icon", "dynsrc", "lowsrc"}
#: The theme's own scripts: the only ones a page may load (never one that content put there).
THEME_SCRIPTS = {p.name for p in (THEME / "static").glob("*.js")}


def bad_url(value: str) -> bool:
    squashed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squashed.startswith(("javascript:", "vbscript:", "data:", "livescript:"))


def html_offenders(where: str, text: str) -> list[str]:
    out = []
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            values = value if isinstance(value, list) else [value]
            if EXECUTABLE_ATTRS.match(attr):
                out.append(f"{where}: <{tag.name} {attr}=…>")
            if attr.lower() in URL_ATTRS and any(bad_url(str(v)) for v in values):
                out.append(f"{where}: <{tag.name} {attr}={value!r}>")
            if attr.lower() == "style":
                out.append(f"{where}: <{tag.name} style=…>")
        if tag.name in ("script",):
            src = tag.get("src", "")
            if not src or Path(src).name not in THEME_SCRIPTS or tag.string:
                out.append(f"{where}: <script {src!r}> {str(tag.string or '')[:30]!r}")
        if tag.name in ("iframe", "object", "embed", "base", "frame", "frameset", "applet", "style", "template",
                        "svg", "math", "textarea", "noscript", "marquee"):
            out.append(f"{where}: <{tag.name}>")
        if tag.name == "meta" and tag.get("http-equiv") and not theme_policy(tag):
            out.append(f"{where}: <meta http-equiv={tag['http-equiv']!r}>")
        if tag.name == "form" and not tag.get("role") == "search":
            out.append(f"{where}: <form>")
        if tag.name == "title" and "49" in tag.get_text() and "7*7" not in tag.get_text():
            out.append(f"{where}: template expression evaluated in <title>")
    if "模板49" in text or "标签49" in text:
        out.append(f"{where}: a template expression was evaluated")
    return out


def theme_policy(tag) -> bool:
    """The theme's own <meta http-equiv="Content-Security-Policy">: the first element of <head> after the charset."""
    from generator import headers

    head = tag.find_parent("head")
    return (tag["http-equiv"] == "Content-Security-Policy" and head is not None
            and head.find_all(True)[1] is tag and tag.get("content") == headers.csp(https=True).split("; frame-a")[0])


@pytest.fixture(scope="module")
def payload_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("payload")
    content = make_payload_site(root)
    result = build(opts(content, root / "output"))
    return root / "output", result


def test_payload_site_builds(payload_build):
    output, result = payload_build
    assert result.pages > 100
    assert not result.report.errors


def test_no_script_handler_or_javascript_url_anywhere_in_html(payload_build):
    output, _ = payload_build
    offenders = []
    pages = sorted(output.rglob("*.html"))
    for page in pages:
        offenders += html_offenders(page.relative_to(output).as_posix(), page.read_text(encoding="utf-8"))
    assert len(pages) > 100
    assert offenders == [], "\n".join(offenders[:40])


def test_payloads_arrive_as_text(payload_build):
    """Escaped, not dropped: the reader sees exactly what the editor wrote."""
    output, _ = payload_build
    soup = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text() == "江州市文化和旅游局" + INLINE
    assert soup.find("meta", attrs={"name": "SiteName"})["content"] == "江州市文化和旅游局" + INLINE
    page = next(p for p in output.glob("zcwj/*/index.html") if "onfocus" in str(p))
    doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert doc.h1.get_text() == "文件名注入" + INLINE
    assert doc.find("meta", attrs={"name": "ArticleTitle"})["content"] == "文件名注入" + INLINE
    assert "{{ 7*7 }}" in doc.get_text()


def test_feed_and_sitemap_are_well_formed_xml_without_markup_from_content(payload_build):
    output, _ = payload_build
    for name in ("feed.xml", "sitemap.xml"):
        tree = ET.parse(output / name)  # not well-formed XML raises
        for el in tree.iter():
            ns, _, local = el.tag.rpartition("}")
            assert ns in ("{http://www.w3.org/2005/Atom", "{http://www.sitemaps.org/schemas/sitemap/0.9"), el.tag
            assert local not in ("script", "img", "svg"), el.tag
            for attr, value in el.attrib.items():
                assert not EXECUTABLE_ATTRS.match(attr.rpartition("}")[2]) and not bad_url(value), (name, attr, value)
    feed = ET.parse(output / "feed.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t and t.endswith(INLINE) for t in titles), titles[:3]
    for loc in ET.parse(output / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        assert re.fullmatch(r"https://[\x21-\x7e]+", loc.text) and '"' not in loc.text and "<" not in loc.text


def test_json_exports_parse_and_keep_payloads_as_strings(payload_build):
    output, _ = payload_build
    files = sorted(output.rglob("*.json"))
    assert files
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data is not None
    directory = next(p for p in files if p.name == "minglu.json")
    records = json.loads(directory.read_text(encoding="utf-8"))["institutions"]
    assert all(r["name"].endswith(INLINE) for r in records)


def test_csv_exports_have_no_spreadsheet_formulas(payload_build):
    output, _ = payload_build
    files = sorted(output.rglob("*.csv"))
    published_attachments = {p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*.csv")}
    offenders = []
    for path in files:
        rel = path.relative_to(output).as_posix()
        if rel in published_attachments:
            continue  # an editor's own attachment, copied as it is
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?[0-9.]+", cell):
                    offenders.append(f"{rel}: {cell[:40]!r}")
    assert len(files) >= 2
    assert offenders == [], offenders[:20]


def test_slugs_with_a_colon_never_become_javascript_urls(tmp_path):
    """A tag named like a script URL is a valid tag (site.yaml allows ':' in names): its page and every
    link to it must stay a relative path, never a javascript: URL."""
    text = SITE_YAML.replace("    政策类型: [惠企政策]", '    政策类型: [惠企政策, "javascript:alert(2)", "JavaScript:x(1)"]')
    content = minimal_site(tmp_path, a=policy(标签=['"javascript:alert(2)"', '"JavaScript:x(1)"']))
    (content / "site.yaml").write_text(text, encoding="utf-8")
    build(opts(content))
    pages = list((tmp_path / "output").rglob("*.html"))
    tag_links = [a for page in pages for a in re.findall(r'href="([^"]*alert[^"]*)"', page.read_text("utf-8"))]
    assert tag_links, "the tag pages are linked"
    offenders = []
    for page in pages:
        offenders += html_offenders(page.name, page.read_text(encoding="utf-8"))
    assert offenders == []


def test_document_ids_with_a_colon_are_refused(tmp_path):
    """A file named javascript:alert(1)<!--.md would be linked as href="javascript:alert(1)%3C!--/" from its folder."""
    content = minimal_site(tmp_path)
    (content / "policies").mkdir()
    (content / "policies" / "javascript:alert(1)<!--.md").write_text(policy(), encoding="utf-8")
    report = load(content)
    assert [d.code for d in report.errors] == ["bad-id"]


# --------------------------------------------------------------------------- paths stay inside


def minimal_site(root: Path, **policies: str) -> Path:
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for slug, text in policies.items():
        (content / "policies").mkdir(exist_ok=True)
        (content / "policies" / f"{slug}.md").write_text(text, encoding="utf-8")
    return content


@pytest.fixture
def escape_site(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4\nSECRET-OUTSIDE\n%%EOF\n")
    (outside / "secret.md").write_text(policy("SECRET-OUTSIDE"), encoding="utf-8")
    content = minimal_site(tmp_path)
    files = content / "policies" / "files"
    files.mkdir(parents=True)
    (files / "ok.pdf").write_bytes(b"%PDF-1.4\nok\n%%EOF\n")
    os.symlink(outside, files / "linked-dir")
    os.symlink(outside / "secret.pdf", files / "linked.pdf")
    os.symlink("/etc/passwd", files / "passwd.txt")
    os.symlink("loop-a", files / "loop-b")
    os.symlink("loop-b", files / "loop-a")
    os.symlink(files, files / "self")
    os.mkfifo(files / "fifo.pdf")
    (files / "dir.pdf").mkdir()
    (files / ".hidden.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (files / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (files / "image.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8")
    return content


ESCAPES = [
    "../../../outside/secret.pdf", "/etc/passwd", "C:\\Windows\\win.ini", "C:/Windows/win.ini",
    "\\\\server\\share\\x.pdf", "..\\..\\..\\outside\\secret.pdf", "files/linked-dir/secret.pdf", "files/linked.pdf",
    "files/passwd.txt", "files/loop-a", "files/self/self/self/linked.pdf", "files/fifo.pdf", "files/dir.pdf",
    "files/%2e%2e/%2e%2e/%2e%2e/outside/secret.pdf", "file:///etc/passwd", "files/nothing.pdf",
    "files/.hidden.pdf", "files/page.html", "files/image.svg",
]


@pytest.mark.parametrize("target", ESCAPES)
def test_body_links_that_leave_the_content_folder_are_located_errors(escape_site, target):
    text = policy(f"正文。\n\n见[附件]({target})。\n\n![图]({target})\n")
    path = escape_site / "policies" / "a.md"
    path.write_text(text, encoding="utf-8")
    report = load(escape_site)
    mine = [d for d in report.diagnostics if d.path.endswith("a.md")]
    if target.startswith("file:"):
        assert any("file:" in d.message or "removed" in d.message for d in mine), mine
        return
    errors = [d for d in report.errors if d.path.endswith("a.md")]
    assert errors, [d.format() for d in mine]
    lines = {n for n, l in enumerate(text.splitlines(), 1) if target in l}
    assert all(d.line in lines for d in errors), [d.format() for d in errors]


@pytest.mark.parametrize("target", [t for t in ESCAPES if not t.startswith("file:") and not t.endswith((".html", ".svg"))]
                         + ["files/linked-dir/secret.md"])
def test_attachments_that_leave_the_content_folder_are_located_errors(escape_site, target):
    text = policy("正文。", 附件=f"[{json.dumps(target)}]")
    path = escape_site / "policies" / "a.md"
    path.write_text(text, encoding="utf-8")
    report = load(escape_site)
    errors = [d for d in report.errors if d.path.endswith("a.md")]
    assert errors and all(d.line == line_of(text, "附件") for d in errors), [d.format() for d in report.diagnostics]


def test_symlinked_content_files_outside_the_folder_are_refused(escape_site, tmp_path):
    os.symlink(tmp_path / "outside" / "secret.md", escape_site / "policies" / "leak.md")
    os.symlink("/etc/passwd", escape_site / "policies" / "passwd.md")
    os.symlink(tmp_path / "outside", escape_site / "policies" / "outside-dir")
    os.symlink("nowhere.md", escape_site / "policies" / "broken.md")
    os.mkfifo(escape_site / "policies" / "pipe.md")
    (escape_site / "policies" / "folder.md").mkdir()
    (escape_site / "policies" / "a.md").write_text(policy("正文。"), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ContentError) as e:
        build(opts(escape_site))
    assert time.perf_counter() - started < 30  # a FIFO is never opened
    located = {Path(d.path).name: d for d in e.value.report.diagnostics}
    for name in ("leak.md", "passwd.md", "broken.md", "pipe.md"):
        assert name in located and located[name].level.name == "ERROR", name
    assert "folder.md" in located
    assert not (escape_site.parent / "output").exists()


def test_a_column_page_outside_the_content_folder_is_a_located_error(tmp_path):
    (tmp_path / "outside.md").write_text(policy("外部"), encoding="utf-8")
    content = minimal_site(tmp_path, a=policy())
    os.symlink(tmp_path / "outside.md", content / "linked-page.md")
    for target in ("../outside.md", "/etc/passwd", "linked-page.md"):
        text = SITE_YAML + f"  - slug: waibu\n    name: 外部\n    page: {target}\n"
        (content / "site.yaml").write_text(text, encoding="utf-8")
        report = Report()
        assert load_config(content, report, TYPES) is None
        assert [d.line for d in report.errors] == [line_of(text, f"page: {target}")], target


def test_nothing_outside_content_and_theme_reaches_the_output(escape_site, tmp_path):
    """Every file of the output comes from the content folder, the theme, or the generator."""
    text = policy("见[附件](files/ok.pdf)和[附件](files/linked.pdf)。", 附件="[files/ok.pdf]")
    (escape_site / "policies" / "a.md").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError):
        build(opts(escape_site))
    (escape_site / "policies" / "a.md").write_text(policy("见[附件](files/ok.pdf)。", 附件="[files/ok.pdf]"),
                                                  encoding="utf-8")
    build(opts(escape_site))
    output = escape_site.parent / "output"
    for path in output.rglob("*"):
        assert not path.is_symlink(), path
        if path.is_file():
            assert b"SECRET-OUTSIDE" not in path.read_bytes() and b"root:x:0:0" not in path.read_bytes(), path


def test_a_theme_symlink_leaving_the_theme_folder_is_not_published(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(THEME, theme)
    os.symlink("/etc/passwd", theme / "static" / "passwd.css")
    content = minimal_site(tmp_path, a=policy())
    build(BuildOptions(content_dir=content, output_dir=tmp_path / "output", theme_dir=theme, use_cache=False,
                       jobs=1))
    assert (tmp_path / "output" / "index.html").is_file()
    leaked = [p for p in (tmp_path / "output").rglob("*") if p.is_file() and b"root:x:0:0" in p.read_bytes()]
    assert leaked == []


# --------------------------------------------------------------------------- broken input


def assert_located(report: Report, path_part: str = "") -> None:
    """Every diagnostic names a file; those about content files name a line."""
    for d in report.diagnostics:
        assert d.path, d.format()
        if path_part and path_part in d.path and d.code not in ("unreadable", "not-a-file", "unknown-folder",
                                                                "path-escape", "unused-page"):
            assert d.line >= 1, d.format()


BROKEN = {
    "gbk": "---\n标题: 测试\n---\n\n正文。\n".encode("gbk"),
    "bom": "\ufeff" + policy(),
    "crlf": policy().replace("\n", "\r\n"),
    "utf16": policy().encode("utf-16"),
    "empty": "",
    "spaces": "   \n\n  \n",
    "no-front-matter": "标题: 测试\n\n正文。\n",
    "unclosed": "---\n标题: 测试\n正文。\n",
    "list-front-matter": "---\n- 标题\n- 测试\n---\n正文。\n",
    "scalar-front-matter": "---\n就一句话\n---\n正文。\n",
    "full-width-colon": "---\n标题：测试\n---\n正文。\n",
    "tabs": "---\n标题:\t测试\n\t发布机构: x\n---\n正文。\n",
    "duplicate-keys": policy().replace("---\n\n", "标题: 又一个标题\n---\n\n"),
    "billion-laughs": "---\n" + "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)) + "---\n正文。\n",
    "recursive-alias": "---\na: &a [*a]\n---\n正文。\n",
    "merge-key": "---\nbase: &b {标题: x}\n<<: *b\n---\n正文。\n",
    "python-tag": "---\n标题: !!python/object/apply:os.system ['true']\n---\n正文。\n",
    "binary-tag": "---\n标题: !!binary aGVsbG8=\n---\n正文。\n",
    "deep-yaml": "---\n标题: " + "[" * 5000 + "]" * 5000 + "\n---\n正文。\n",
    "huge-int": "---\n标题: " + "9" * 5000 + "\n---\n正文。\n",
    "sexagesimal": "---\n标题: " + "1:" * 20000 + "1\n---\n正文。\n",
    "nul": policy().encode("utf-8").replace("正文".encode(), b"\x00"),
    "controls": policy("正文\x0b第二行\x0c\x1b[31m红色\x7f\x85。"),
    "bidi": policy("正文\u202e反转\u2066隔离\u2069。"),
    "token-forgery": policy("正文\ue0000\ue001和\ue00099\ue001。"),
    "lone-surrogate-bytes": policy().encode("utf-8") + b"\xed\xa0\x80",
    "long-line": policy("长" * 100_001),
    "many-lines": policy("行\n" * 60_000),
    "nested-quotes": policy(">" * 10_000 + " 引用"),
    "nested-quote-lines": policy("\n".join("> " * i + "x" for i in range(1, 300))),
    "nested-lists": policy("\n".join("  " * i + "- x" for i in range(3000))),
    "nested-html": policy("<div>" * 20_000 + "x"),
    "brackets": policy("[" * 50_000),
    "footnote-repeats": policy("a[^1] " * 5000 + "\n\n[^1]: x"),
    "headings": policy("# a\n" * 20_000),
    "blank-lines": policy("a\n\n" * 30_000),
    "unclosed-tags": policy("<a " * 30_000),
    "unclosed-style": policy("第一段。\n\n<style>\n\n" + "政策正文。" * 160),  # swallowed 815 characters without a word
    "yaml-bool-tag": "---\n标题: !!bool foo\n---\n正文。\n",  # PyYAML raises KeyError
    "yaml-empty-int": "---\n标题: x\n发布机构: !!int\n---\n正文。\n",  # PyYAML raises IndexError
    "full-width-url": policy(办事链接="https://www.example.gov.cn／zwgk/a.html"),
    "bracket-url": policy(办事链接="http://[x/"),
    "long-link": policy("见[附件](" + "长" * 300 + ".pdf)。"),
    "bracket-link": policy('<a href="//[x">x</a>'),
    "long-attachment": policy(附件="[" + "a" * 300 + ".pdf]"),
    "wrong-types": "---\n标题: [1, 2]\n发布机构: {a: b}\n主题分类: 12\n文种: true\n成文日期: 2023-02-30\n"
                   "发布日期: [2023-04-03]\n有效性: null\n替代: {a: 1}\n标签: 5\n附件: [{文件: 7}]\n办事链接: javascript:alert(1)\n"
                   "语言: [zh]\n摘要: {x: y}\n---\n正文。\n",
}


#: The first error of some broken files, with its line: what the editor reads.
FIRST_ERROR = {
    "empty": ("file is empty", 1),
    "spaces": ("file is empty", 1),
    "no-front-matter": ("missing front matter", 1),
    "unclosed": ("front matter is not closed", 1),
    "list-front-matter": ("front matter must be a set of 'field: value' lines", 2),
    "scalar-front-matter": ("front matter must be a set of 'field: value' lines", 2),
    "gbk": ("not valid UTF-8", 2),
}

#: Bodies Python-Markdown cannot convert in bounded time (so the bounds refuse them) and comrak converts at once.
ONLY_TOO_COMPLEX_FOR_PYTHON_MARKDOWN = {"brackets", "headings", "unclosed-tags"}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_are_located_errors_or_handled(tmp_path, name):
    check_broken_file(tmp_path, name, "")


@pytest.mark.parametrize("name", sorted(ONLY_TOO_COMPLEX_FOR_PYTHON_MARKDOWN))
def test_python_markdown_refuses_bodies_it_cannot_convert_in_bounded_time(tmp_path, name):
    check_broken_file(tmp_path, name, "\nmarkdown: {engine: python-markdown}\n")


def check_broken_file(tmp_path: Path, name: str, site_yaml_extra: str) -> None:
    content = minimal_site(tmp_path)
    (content / "site.yaml").write_text(SITE_YAML + site_yaml_extra, encoding="utf-8")
    data = BROKEN[name]
    (content / "policies").mkdir(exist_ok=True)
    path = content / "policies" / f"{name}.md"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    started = time.perf_counter()
    report = load(content)
    assert time.perf_counter() - started < 20, name
    assert_located(report, f"{name}.md")
    mine = [d for d in report.diagnostics if d.path.endswith(f"{name}.md")]
    if name in ("bom", "crlf", "utf16"):
        assert not [d for d in mine if d.level.name == "ERROR"], [d.format() for d in mine]
    elif name in ("controls", "bidi", "token-forgery"):
        assert not [d for d in mine if d.level.name == "ERROR"], [d.format() for d in mine]
        assert name == "token-forgery" or mine
    elif name in ONLY_TOO_COMPLEX_FOR_PYTHON_MARKDOWN and not site_yaml_extra:
        assert not mine, [d.format() for d in mine]
    else:
        errors = [d for d in mine if d.level.name == "ERROR"]
        assert errors, name
        if name in FIRST_ERROR:
            message, line = FIRST_ERROR[name]
            assert message in errors[0].message and errors[0].line == line, errors[0].format()


def test_forged_link_tokens_stay_text(tmp_path):
    content = minimal_site(tmp_path, a=policy("正文\ue0000\ue001和\ue00099\ue001。[附件](files/ok.pdf)"))
    (content / "policies" / "files").mkdir()
    (content / "policies" / "files" / "ok.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    build(opts(content))
    html = (tmp_path / "output" / "zcwj" / "a" / "index.html").read_text(encoding="utf-8")
    assert "\ue000\u20600\ue001" in html and "\ue000\u206099\ue001" in html  # text, with a word joiner
    assert html.count('href="../../policies/files/ok.pdf"') == 1


def test_an_8_mib_and_a_100_mib_file_are_refused_without_reading_them_whole(tmp_path):
    content = minimal_site(tmp_path)
    (content / "policies").mkdir()
    big = content / "policies" / "big.md"
    with open(big, "wb") as f:
        f.write(policy().encode("utf-8"))
        f.truncate(100 * 1024 * 1024)  # sparse: 100 MiB of NUL bytes
    huge_text = content / "policies" / "text.md"
    huge_text.write_text(policy(("第一条 正文。" * 2000 + "\n\n") * 200), encoding="utf-8")
    report = load(content)
    messages = {Path(d.path).name: d.message for d in report.errors}
    assert "MiB limit" in messages["big.md"]
    assert "text.md" in messages  # 8.6 MiB of text: over the file or body limit


def test_an_unreadable_file_is_a_located_error(tmp_path, monkeypatch):
    """Tests run as root, so chmod 000 would not stop them: simulate the permission error."""
    import builtins

    content = minimal_site(tmp_path, a=policy(), b=policy())
    real_open = builtins.open

    def guarded(file, *args, **kw):
        if str(file).endswith("b.md"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kw)

    monkeypatch.setattr(builtins, "open", guarded)
    report = load(content)
    errors = [d for d in report.errors if d.path.endswith("b.md")]
    assert errors and "cannot read file" in errors[0].message


def wrong_values():
    return [[], {}, 12, True, None, "文本", [1, [2]], {"a": {"b": "c"}}, "2023-02-30", "-", "javascript:alert(1)"]


def mutate_schema_fields(base: dict, schema) -> list[tuple[str, object, dict]]:
    out = []
    for f in schema.fields:
        for value in wrong_values():
            data = dict(base)
            data[f.key] = value
            out.append((f.key, value, data))
    return out


@pytest.mark.slow
def test_wrong_types_in_every_field_of_every_content_type_are_located(tmp_path):
    """Every field of every schema, each given every wrong kind of value: located errors, never a crash."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    variants: dict[str, tuple[str, str]] = {}  # file name → (field, text)
    cases = [("policies", POLICY_SCHEMA, content / "policies" / "meishuguan-banfa-2023.md"),
             ("interpretations", INTERPRETATION_SCHEMA, content / "interpretations" / "meishuguan-2023-yitu.md")]
    for folder, schema, template in cases:
        meta, body = read_front_matter(template)
        for n, (key, value, data) in enumerate(mutate_schema_fields(meta, schema)):
            path = content / folder / f"wrong-{n}.md"
            data.pop("索引号", None)
            write_front_matter(path, data, body)
            variants[path.name] = (key, path.read_text(encoding="utf-8"))
    template = yaml.load((content / "institutions" / "jiangzhou-tushuguan.yaml").read_text(encoding="utf-8"),
                         Loader=yaml.BaseLoader)
    for n, (key, value, data) in enumerate(mutate_schema_fields(template, INSTITUTION_SCHEMA)):
        path = content / "institutions" / f"wrong-{n}.yaml"
        write_yaml(path, data)
        variants[path.name] = (key, path.read_text(encoding="utf-8"))
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    pages = []
    for page_file in ("contacts.yaml", "guide.yaml", "leaders.yaml", "departments.yaml", "application.yaml"):
        data = yaml.load((content / "pages" / page_file).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for n, (key, value, mutated) in enumerate(mutate_schema_fields(data, PAGE_SCHEMAS[data["类型"]])):
            path = content / "pages" / f"wrong-{page_file[:-5]}-{n}.yaml"
            write_yaml(path, mutated)
            variants[path.name] = (key, path.read_text(encoding="utf-8"))
            pages.append({"slug": f"w-{page_file[:4]}-{n}", "name": "变体", "page": f"pages/{path.name}"})
    site["columns"].append({"slug": "wrong-pages", "name": "变体页面", "children": pages})
    write_yaml(content / "site.yaml", site)
    meta, body = read_front_matter(content / "drafts" / "2026-minsu-banfa-zqyj.md")
    for n, (key, value, data) in enumerate(mutate_schema_fields(meta, DRAFT_SCHEMA)):
        path = content / "drafts" / f"wrong-{n}.md"
        write_front_matter(path, data, body)
        variants[path.name] = (key, path.read_text(encoding="utf-8"))
    meta, body = read_front_matter(content / "decision-catalogues" / "2023.md")
    for n, (key, value, data) in enumerate(mutate_schema_fields(meta, CATALOGUE_SCHEMA)):
        year = 1900 + n  # a catalogue is named after its year
        data = {**data, "年度": year} if key != "年度" else data
        path = content / "decision-catalogues" / f"{year}.md"
        write_front_matter(path, data, body)
        variants[path.name] = (key, path.read_text(encoding="utf-8"))
    report_data = yaml.safe_load((content / "annual-reports" / "2023.yaml").read_text(encoding="utf-8"))
    for n, (key, value, data) in enumerate(mutate_schema_fields(report_data, ANNUAL_REPORT_SCHEMA)[:40]):
        year = 1900 + n
        data = {k: (str(v) if hasattr(v, "isoformat") else v) for k, v in data.items()}
        if key != "年度":
            data["年度"] = year
        path = content / "annual-reports" / f"{year}.yaml"
        write_yaml(path, data)
        variants[path.name] = (key, path.read_text(encoding="utf-8"))
    report = load(content)
    assert_located(report, "wrong-")
    by_file: dict[str, list] = {}
    for d in report.diagnostics:
        by_file.setdefault(Path(d.path).name, []).append(d)
    unlocated, located = [], 0
    for name, (key, text) in variants.items():
        about = [d for d in by_file.get(name, []) if d.level.name == "ERROR" and d.message.startswith(f"{key}:")]
        field_line = line_of(text, f"{key}:") if f"\n{key}:" in "\n" + text else 0
        if about and field_line:
            located += 1
            if not all(d.line >= field_line for d in about):
                unlocated.append((name, key, [d.format() for d in about][:2]))
    assert unlocated == []
    assert len(variants) > 500 and located > len(variants) // 3, (len(variants), located)


# --------------------------------------------------------------------------- bounded time


PATHOLOGICAL = {
    "unclosed brackets": "[" * 100_000,
    "unclosed links": "[a](" * 30_000,
    "unclosed images": "![" * 50_000,
    "nested brackets": "[" * 30_000 + "a" + "]" * 30_000 + "(b)",
    "unclosed tags": "<a " * 50_000,
    "unclosed autolinks": "<http://" * 20_000,
    "unclosed end tags": "</a " * 50_000,
    "unclosed comments": "<!--" * 50_000,
    "unclosed declarations": "<!x " * 50_000,
    "quoted attributes": '<a x="' * 30_000,
    "many links in a paragraph": "[a](https://x.cn/b) " * 40_000,
    "many emphases": "*a* " * 100_000,
    "many footnote references": "a[^1] " * 20_000 + "\n\n[^1]: x",
    "many footnotes": "".join(f"a[^{i}]\n\n[^{i}]: b\n\n" for i in range(5_000)),
    "headings without blank lines": "# a\n" * 50_000,
    "setext without blank lines": "a\n-\n" * 30_000,
    "rules without blank lines": "***\n" * 50_000,
    "blank-line blocks": "a\n\n" * 100_000,
    "nested quotes": ">" * 100_000,
    "nested lists": "\n".join("  " * (i % 200) + "- x" for i in range(20_000)),
    "nested divs": "<div>" * 100_000,
    "nested spans": "<span>" * 100_000,
    "table rows": "| a | b |\n|---|---|\n" + "| *a* | [b](https://x.cn) |\n" * 40_000,
    "line breaks": "a  \n" * 100_000,
    # Rows are padded to the header's cells: 12 KB made 40 MB of HTML in 22 s (Python-Markdown).
    "wide table": "|" + "a|" * 2_000 + "\n|" + "-|" * 2_000 + "\n" + "x\n" * 2_000,
    "wide table in a quote": "> |" + "a|" * 20_000 + "\n> |" + "-|" * 20_000 + "\n" + "> x\n" * 20_000,
}


@pytest.mark.parametrize("engine", engines.ENGINES)
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markdown_takes_bounded_time(tmp_path, name, engine):
    body = PATHOLOGICAL[name]
    started = time.perf_counter()
    result = render(body, tmp_path / "policies" / "x.md", tmp_path, 5, Options(engine=engine))
    elapsed = time.perf_counter() - started
    assert elapsed < 8, f"{name}: {elapsed:.1f} s"
    assert all(d.line >= 5 for d in result.diagnostics)


def test_bounds_allow_large_real_documents(tmp_path):
    """A body the size of the 民法典 (110,000 characters, 1,260 articles) converts, with lists and tables."""
    article = "第{n}条 民事主体从事民事活动，应当遵循诚信原则，秉持诚实，恪守承诺。**重点**见[附件](https://x.cn/{n})。\n\n"
    body = "".join(article.format(n=n) for n in range(1, 1300))
    body += "".join(f"- 第{n}项\n" for n in range(2000)) + "\n\n| 序号 | 名称 |\n|---|---|\n"
    body += "".join(f"| {n} | [名称{n}](https://x.cn/{n}) |\n" for n in range(3000))
    assert bounds.check(body) is None
    started = time.perf_counter()
    result = render(body, tmp_path / "x.md", tmp_path, 1)
    assert not result.diagnostics and time.perf_counter() - started < 10


# --------------------------------------------------------------------------- property-based


YAML_ALPHABET = st.sampled_from(list(":-[]{}&*!|>'\"%@`#,?\n\t ") + list("标题发布机构正文文本日期") +
                                list("abcXYZ0123456789") + ["：", "\u3000", "\ufeff", "\u202e", "\x85", "\u2028"])
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
POLICY_KEYS = [f.key for f in POLICY_SCHEMA.fields] + ["title", "未知字段", "附件"]
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats() | ANY_TEXT
    | st.sampled_from(["2023-04-03", "2023-02-30", "现行有效", "规范性文件", "files/x.pdf", "../../etc/passwd",
                       "https://x.cn/", "javascript:alert(1)", "测试市文化和旅游局", "0792-8221234"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT | st.sampled_from(POLICY_KEYS),
                                                                     children, max_size=4),
    max_leaves=12,
)
MARKDOWN = st.lists(st.sampled_from(list("#*_[]()<>!`\\-+>|:=~^&;/\"' \n\t.0123456789abcxyz") +
                                    ["正文", "<div>", "</div>", "<script>", "[^1]", "](", "](files/x.pdf)", "\ue000",
                                     "    ", "\n\n", "<!--", "-->", "javascript:", "{{ ", " }}", "\u202e",
                                     "身份证110101199003077766", "13807921234", "<img src=x onerror=alert(1)>"]),
                    max_size=200).map("".join)


def scratch_site() -> Path:
    root = Path(tempfile.mkdtemp(prefix="hostile-"))
    content = minimal_site(root, good=policy())
    (content / "policies" / "files").mkdir()
    (content / "policies" / "files" / "x.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return content


def check_file(content: Path, text: str | bytes) -> Report:
    path = content / "policies" / "fuzz.md"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    report = load(content)
    assert_located(report, "fuzz.md")
    return report


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(front=st.text(YAML_ALPHABET, max_size=300), body=MARKDOWN)
def test_random_yamlish_front_matter_and_markdown_never_crash(front, body):
    content = scratch_site()
    try:
        check_file(content, "---\n" + front + "\n---\n" + body)
    finally:
        shutil.rmtree(content.parent, ignore_errors=True)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(fields=st.dictionaries(st.sampled_from(POLICY_KEYS), VALUES, max_size=12), body=MARKDOWN)
def test_random_field_values_of_wrong_types_never_crash(fields, body):
    content = scratch_site()
    try:
        meta = {**{k: v for k, v in yaml.safe_load(policy().split("---")[1]).items()}, **fields}
        try:
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        except yaml.YAMLError:
            return
        check_file(content, "---\n" + front + "---\n" + body)
    finally:
        shutil.rmtree(content.parent, ignore_errors=True)


YAML_KEYS = sorted({k for schema in (INSTITUTION_SCHEMA, ANNUAL_REPORT_SCHEMA, *PAGE_SCHEMAS.values())
                    for f in schema.fields for k in (f.key, *f.aliases)})
YAML_VALUES = st.recursive(
    VALUES | st.sampled_from(list(PAGE_SCHEMAS) + ["图书馆", "浔阳区", "2023", "[0, 0, 0]", "0792-8221234（值班）"]),
    lambda children: st.lists(children, max_size=7) | st.dictionaries(st.sampled_from(YAML_KEYS) | ANY_TEXT,
                                                                     children, max_size=6),
    max_leaves=20,
)
YAML_FILES = ("pages/p.yaml", "institutions/fuzz.yaml", "annual-reports/2023.yaml")


def yaml_site() -> Path:
    content = scratch_site()
    (content / "site.yaml").write_text(SITE_YAML + "  - slug: ye\n    name: 页面\n    page: pages/p.yaml\n",
                                       encoding="utf-8")
    for rel in YAML_FILES:
        (content / rel).parent.mkdir(exist_ok=True)
    return content


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(YAML_ALPHABET, max_size=300), fields=st.dictionaries(st.sampled_from(YAML_KEYS), YAML_VALUES,
                                                                        max_size=10))
def test_random_yaml_pages_institutions_and_reports_never_crash(text, fields):
    content = yaml_site()
    try:
        try:
            structured = yaml.safe_dump(fields, allow_unicode=True)
        except yaml.YAMLError:
            structured = ""
        for source in (text, structured):
            for rel in YAML_FILES:
                (content / rel).write_text(source, encoding="utf-8")
            report = load(content)
            for rel in YAML_FILES:
                assert_located(report, Path(rel).name)
    finally:
        shutil.rmtree(content.parent, ignore_errors=True)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=400), text=ANY_TEXT)
def test_random_bytes_and_unicode_never_crash(data, text):
    content = scratch_site()
    try:
        check_file(content, data)
        check_file(content, "---\n标题: " + json.dumps(text, ensure_ascii=False) + "\n---\n" + text)
        check_file(content, text)
    finally:
        shutil.rmtree(content.parent, ignore_errors=True)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(front=st.text(YAML_ALPHABET, max_size=200), body=MARKDOWN)
def test_a_failed_build_leaves_the_previous_output_untouched(front, body):
    content = scratch_site()
    output = content.parent / "output"
    try:
        build(opts(content, output))
        before = tree_digest(output)
        (content / "policies" / "fuzz.md").write_text("---\n" + front + "\n---\n" + body + "\n\n身份证110101199003077766",
                                                      encoding="utf-8")
        with pytest.raises(ContentError) as e:
            build(opts(content, output))
        assert_located(e.value.report, "fuzz.md")
        assert tree_digest(output) == before
    finally:
        shutil.rmtree(content.parent, ignore_errors=True)


# --------------------------------------------------------------------------- through the command line


def cli(content: Path, output: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(content), "--output",
                           str(output), "--theme", str(THEME), "--no-cache", "--lang", "en", *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=content.parent)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["deep-yaml", "gbk", "billion-laughs", "nested-html", "unclosed-style"])
def test_cli_reports_hostile_files_without_traceback_and_keeps_the_output(tmp_path, name):
    content = minimal_site(tmp_path, good=policy())
    output = tmp_path / "output"
    first = cli(content, output)
    assert first.returncode == 0, first.stderr
    before = tree_digest(output)
    data = BROKEN[name]
    if name == "deep-yaml":
        data = "---\n标题: " + "[" * 100_000 + "]" * 100_000 + "\n---\n正文。\n"  # crashed LibYAML's composer
    (content / "policies" / "bad.md").write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = cli(content, output)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert re.search(r"bad\.md:\d+: error: ", result.stderr), result.stderr
    assert tree_digest(output) == before


# --------------------------------------------------------------------------- the sanitiser itself


def sanitise(body: str, tmp_path: Path, hosts=()) -> tuple[str, list]:
    result = render(body, tmp_path / "policies" / "x.md", tmp_path, 1, Options(iframe_hosts=tuple(hosts)))
    return result.html, result.diagnostics


@pytest.mark.parametrize("block", [b for b in MARKDOWN_PAYLOADS.split("\n\n")[1:] if b.strip()])
def test_every_markdown_payload_is_neutralised(tmp_path, block):
    html, diagnostics = sanitise(block, tmp_path)
    assert html_offenders("body", html) == []
    assert all(d.line >= 1 for d in diagnostics)
    if any(word in block for word in ("onclick", "onerror", "<script", "javascript:", "<iframe", "<form", "<svg")) \
            and "`" not in block and not block.startswith(("    ", "<style")) and "<!--" not in block and "&lt;" not in block:
        assert any(d.code == "html" for d in diagnostics), "the editor is told what was removed"


def test_iframes_need_an_allowed_https_host_a_title_and_get_a_sandbox(tmp_path):
    html, diagnostics = sanitise('<iframe src="https://v.qq.com/x?vid=1" title="解读视频" sandbox="allow-top-navigation" '
                                 'allow="camera" onload="alert(1)" width="640" height="360"></iframe>', tmp_path,
                                 ["v.qq.com"])
    frame = BeautifulSoup(html, "html.parser").iframe
    assert frame is not None and frame["src"] == "https://v.qq.com/x?vid=1" and frame["title"] == "解读视频"
    assert " ".join(frame["sandbox"]) == "allow-scripts allow-same-origin allow-presentation"
    assert "allow" not in frame.attrs and "onload" not in frame.attrs
    assert frame["referrerpolicy"] == "strict-origin-when-cross-origin"
    again, _ = sanitise('<iframe width="640" src="https://v.qq.com/x?vid=1" height="360" title="解读视频"></iframe>',
                        tmp_path, ["v.qq.com"])
    assert again == html  # attributes in a fixed order: the same content gives the same bytes
    _, diagnostics = sanitise('<iframe src="https://v.qq.com/x"></iframe>', tmp_path, ["v.qq.com"])
    assert [d.level.name for d in diagnostics] == ["ERROR"] and "title" in diagnostics[0].message
    for src, hosts in (("http://v.qq.com/x", ["v.qq.com"]), ("https://evil.example/x", ["v.qq.com"]),
                       ("https://v.qq.com.evil.example/x", ["v.qq.com"]), ("https://v.qq.com@evil.example/",
                                                                           ["v.qq.com"]),
                       ("javascript:alert(1)", ["v.qq.com"]), ("https://v.qq.com/x", [])):
        html, diagnostics = sanitise(f'<iframe src="{src}" title="t"></iframe>', tmp_path, hosts)
        assert "<iframe" not in html and diagnostics, src
    html, _ = sanitise('<iframe src="https://player.bilibili.com/x" title="t"></iframe>', tmp_path, ["*.bilibili.com"])
    assert "<iframe" in html
    html, _ = sanitise('<iframe srcdoc="<script>alert(1)</script>" title="t"></iframe>', tmp_path, ["v.qq.com"])
    assert "<iframe" not in html and "srcdoc" not in html


def test_only_document_image_and_media_files_can_be_linked(tmp_path):
    files = tmp_path / "policies" / "files"
    files.mkdir(parents=True)
    for name in ("a.pdf", "a.html", "a.svg", "a.js", "a.xml", "a.png", ".env", "_draft.pdf"):
        (files / name).write_bytes(b"x")
    ok, _ = sanitise("[a](files/a.pdf) ![b](files/a.png)", tmp_path)
    assert ok.count("\ue000") == 2
    for target in ("files/a.html", "files/a.svg", "files/a.js", "files/a.xml", "files/.env", "files/_draft.pdf"):
        html, diagnostics = sanitise(f"[a]({target})", tmp_path)
        assert "\ue000" not in html and [d.level.name for d in diagnostics] == ["ERROR"], target
    html, diagnostics = sanitise("![b](files/a.pdf)", tmp_path)
    assert "\ue000" not in html and diagnostics
