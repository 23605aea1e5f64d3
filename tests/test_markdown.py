"""The Markdown dialects (site.yaml ``markdown.engine``) and raw HTML that would swallow text.

Both engines must give a reader the same page: bold next to Chinese punctuation, heading ids, tables,
footnotes, link rewriting with located errors. Text an editor wrote never disappears without a word:
raw HTML never closed is a located error, and what the sanitiser removes is reported with its line
and the amount of text.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SITE_YAML, THEME, line_of, policy
from generator import BuildOptions, build
from generator.errors import Level
from generator.readers import engines, layout, sanitise
from generator.readers.markdown import Options, html_to_text, render
from generator.readers.source import CONTROL_RE

sys.path.insert(0, str(Path(__file__).parent))
from visible_text import differences  # noqa: E402

ENGINES = engines.ENGINES
PYTHON_MARKDOWN = "\nmarkdown: {engine: python-markdown}\n"


def use_engine(site, engine: str) -> None:
    site.write("site.yaml", SITE_YAML + (PYTHON_MARKDOWN if engine == engines.PYTHON_MARKDOWN else ""))


def convert(body: str, engine: str, tmp_path: Path, hosts=()):
    return render(body, tmp_path / "policies" / "x.md", tmp_path, 1, Options(tuple(hosts), engine))


# --------------------------------------------------------------------------- the dialects


@pytest.mark.parametrize("engine", ENGINES)
def test_bold_next_to_chinese_punctuation(site, engine):
    # CommonMark's flanking rules alone leave both unbolded; the demo writes this in four files.
    use_engine(site, engine)
    site.policy("p", body="1. **决策公开。**对涉及群众切身利益的重要改革方案，应当公开征求意见。\n\n"
                          "根据**《条例》**第十条的规定，*《办法》*同时废止。")
    site.build_ok()
    body = site.page("zcwj/p/").select_one(".doc-body")
    assert [b.get_text() for b in body.find_all("strong")] == ["决策公开。", "《条例》"]
    assert [i.get_text() for i in body.find_all("em")] == ["《办法》"]
    assert "**" not in body.get_text() and "*" not in body.get_text()


BODY = """# 总则

第一条 为了规范管理，制定本办法。见[第二章](#第二章-管理)和[《其他办法》](other.md#第一条)，另附注释[^1]。

## 第二章 管理

| 事项 | 时限 |
|---|---:|
| 备案 | 5个工作日 |

## 第二章 管理

附件：[申报表](files/sbb.csv)

[^1]: 注释内容。
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_headings_tables_footnotes_and_links_under_both_engines(site, engine):
    use_engine(site, engine)
    site.policy("p", body=BODY)
    site.policy("other", body="# 第一条\n\n正文。", 标题="其他办法")
    site.write("policies/files/sbb.csv", "a,b\n1,2\n")
    site.build_ok()
    body = site.page("zcwj/p/").select_one(".doc-body")
    # Headings start at <h2> and keep the ids Python-Markdown's toc extension gives (links rely on them).
    assert [(h.name, h["id"]) for h in body.find_all(re.compile("^h[1-6]$"))] == [
        ("h2", "总则"), ("h3", "第二章-管理"), ("h3", "第二章-管理_1")]
    assert [th.get("scope") for th in body.select("th")] == ["col", "col"]
    assert body.select_one(".table-wrap")["aria-label"] == "第二章 管理"
    hrefs = [a["href"] for a in body.find_all("a")]
    assert "../other/#%E7%AC%AC%E4%B8%80%E6%9D%A1" in hrefs  # the linked page's heading, percent-encoded once
    hrefs = [unquote(h) for h in hrefs]  # CommonMark percent-encodes addresses, Python-Markdown does not
    assert "#第二章-管理" in hrefs
    assert any(h.endswith("policies/files/sbb.csv") for h in hrefs)
    # Footnotes link both ways, and every link inside the page has its target.
    ids = {el["id"] for el in body.find_all(id=True)}
    inner = [h[1:] for h in hrefs if h.startswith("#")]
    assert any(h.startswith("fn:") for h in inner) and any(h.startswith("fnref:") for h in inner)
    assert all(h in ids for h in inner), (inner, ids)
    note = body.find(id="fn:1")
    assert "注释内容。" in note.get_text() and note.find("a")["title"] == "返回注释 1 的引用处"


@pytest.mark.parametrize("engine", ENGINES)
def test_link_errors_are_located_under_both_engines(site, engine):
    use_engine(site, engine)
    text = policy("第一段。\n\n第二段见[《办法》](missing.md)。\n\n![图](C:\\图片\\a.png)")
    site.write("policies/p.md", text)
    result = site.build()
    assert result.returncode == 1
    assert f"p.md:{line_of(text, 'missing.md')}: error: link target 'missing.md' does not exist" in result.stderr
    local = repr("C:\\图片\\a.png")
    assert f"p.md:{line_of(text, 'C:')}: error: link {local} points to a file on a computer" in result.stderr


def test_an_unknown_engine_is_a_located_error(site):
    text = SITE_YAML + "\nmarkdown:\n  engine: markdown-it\n"
    site.write("site.yaml", text)
    site.policy("p")
    result = site.build()
    assert result.returncode == 1
    assert f"site.yaml:{line_of(text, 'markdown-it')}: error:" in result.stderr
    assert "commonmark" in result.stderr and "python-markdown" in result.stderr


def test_changing_the_engine_converts_every_body_again(site):
    # A list right after a paragraph line: CommonMark starts it, Python-Markdown keeps one paragraph.
    site.policy("p", body="申请材料如下：\n1. 申请表\n2. 营业执照")
    site.build_ok()
    assert len(site.page("zcwj/p/").select(".doc-body li")) == 2
    use_engine(site, engines.PYTHON_MARKDOWN)
    site.build_ok()  # with the cache of the first build
    assert site.page("zcwj/p/").select(".doc-body li") == []
    use_engine(site, engines.COMMONMARK)
    site.build_ok()
    assert len(site.page("zcwj/p/").select(".doc-body li")) == 2


def test_what_commonmark_reads_otherwise_than_python_markdown_is_pointed_out(tmp_path):
    """A footnote nothing refers to (CommonMark drops it), ``#标题`` (not a heading), a link address with a
    space (not a link): Python-Markdown shows them as meant, CommonMark warns at their line."""
    (tmp_path / "policies" / "files").mkdir(parents=True)
    (tmp_path / "policies" / "files" / "附件 1.pdf").write_bytes(b"%PDF")
    body = ("#总则\n\n正文见[附件](files/附件 1.pdf)。\n\n    #代码\n    [^代码]: 代码里的不是注释\n    [a](b c)\n\n"
            "#两会#\n\n[附件](<files/附件 1.pdf>)\n\n[^注]: 没有被引用的注释。")
    result = convert(body, engines.COMMONMARK, tmp_path)
    assert sorted((d.line, d.level, d.message) for d in result.diagnostics) == [
        (1, Level.WARNING, "'#总则' is not a heading"),
        (3, Level.WARNING, "'[附件](files/附件 1.pdf)' is not a link: its address has a space"),
        (13, Level.WARNING, "footnote [^注] is never referred to, so its text is not shown")]
    assert len(result.links) == 1  # the address in <…>
    shown = convert(body, engines.PYTHON_MARKDOWN, tmp_path)
    assert shown.diagnostics == [] and "没有被引用的注释" in shown.text and len(shown.links) == 2


@pytest.mark.slow
def test_the_demo_reads_the_same_under_both_engines(tmp_path):
    """Every page of the demo shows a reader the same text (list numbers included) under both engines."""
    outputs = {}
    for engine in ENGINES:
        content = tmp_path / f"content-{engine}"
        shutil.copytree(ROOT / "content", content)
        if engine == engines.PYTHON_MARKDOWN:
            with open(content / "site.yaml", "a", encoding="utf-8") as f:
                f.write(PYTHON_MARKDOWN)
        outputs[engine] = tmp_path / f"output-{engine}"
        result = build(BuildOptions(content_dir=content, output_dir=outputs[engine], theme_dir=THEME, strict=True,
                                    use_cache=False, jobs=1))
        assert not result.report.diagnostics
    assert differences(outputs[engines.PYTHON_MARKDOWN], outputs[engines.COMMONMARK]) == {}


# --------------------------------------------------------------------------- raw HTML that swallows text

#: Every element the converters or the sanitiser's HTML parser treat as raw: removed with its content,
#: read as text up to its end tag, or (CommonMark) raw HTML up to its end tag.
RAW = sorted(sanitise.WATCHED)
FOREIGN = {"svg", "math"}  # the parser leaves them at the next paragraph: only the text inside goes


def raw_html_bodies(name: str) -> dict[str, str]:
    return {
        "own line": f"第一段。\n\n<{name}>\n\n后文有很多重要的正文。\n\n结尾。",
        "in a paragraph": f"第一段。\n\n前面的话<{name} class=\"x\">后面的话。\n\n后文有很多重要的正文。\n\n结尾。",
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", RAW)
def test_raw_html_never_closed_is_a_located_error(tmp_path, engine, name):
    for form, body in raw_html_bodies(name).items():
        result = convert(body, engine, tmp_path)
        errors = [d for d in result.diagnostics if d.level is Level.ERROR]
        if name in FOREIGN and not errors:
            # The parser leaves <svg> and <math> at the next block: when no text went with it, a warning.
            assert all(t in result.text for t in ("后面的话" if "后面" in body else "", "后文有很多重要的正文", "结尾"))
            assert any(d.line == 3 and f"<{name}>" in d.message for d in result.diagnostics), form
            continue
        assert [(d.line, d.code) for d in errors] == [(3, "html")], (form, result.diagnostics)
        assert f"<{name}>" in errors[0].message and ("</" + name in errors[0].hint or name == "plaintext"), form


@pytest.mark.parametrize("engine", ENGINES)
def test_an_html_comment_never_closed_is_a_located_error(tmp_path, engine):
    result = convert("第一段。\n\n<!-- 草稿说明\n\n后文有很多重要的正文。", engine, tmp_path)
    if engine == engines.PYTHON_MARKDOWN:  # it shows "<!--" as text: nothing is hidden
        assert result.diagnostics == [] and "<!-- 草稿说明" in result.text and "后文有很多重要的正文" in result.text
    else:
        assert [(d.level, d.line) for d in result.diagnostics] == [(Level.ERROR, 3)]
        assert "never closed" in result.diagnostics[0].message and "-->" in result.diagnostics[0].hint
    assert convert("第一段。\n\n<!-- 草稿说明 -->\n\n后文。", engine, tmp_path).diagnostics == []


def test_an_unclosed_style_fails_the_build_at_its_line_and_keeps_the_output(site):
    """The reported case: one unclosed <style> line shrank a policy from 815 visible characters to 6."""
    site.policy("p", body="第一段。")
    site.build_ok()
    before = site.tree_digest()
    text = policy("各单位：\n\n<style>\n\n" + "政策正文的一句话。" * 90)
    site.write("policies/p.md", text)
    result = site.build()
    assert result.returncode == 1
    assert f"p.md:{line_of(text, '<style>')}: error: raw HTML <style> is never closed" in result.stderr
    assert "810 characters of text would disappear" in result.stderr and "</style>" in result.stderr
    assert site.tree_digest() == before


#: Elements the sanitiser removes with what is inside them (iframes have messages of their own).
REMOVED = sorted(sanitise.CLEAN_CONTENT - {"iframe", "embed"})


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", REMOVED)
def test_removed_raw_html_is_reported_with_its_line_and_the_text_it_held(tmp_path, engine, name):
    body = f"第一段。\n\n一句话<{name}>十个字的文字内容啊啊</{name}>。\n\n后文。"
    result = convert(body, engine, tmp_path)
    assert "十个字" not in result.text and "后文" in result.text
    mine = [d for d in result.diagnostics if f"<{name}>" in d.message]
    assert [(d.level, d.line, d.code) for d in mine] == [(Level.WARNING, 3, "html")]
    assert "with the 10 characters of text inside it" in mine[0].message


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("raw", ["<?php echo '八个字的文字内容'; ?>", "<![CDATA[八个字的文字内容]]>"])
def test_any_other_text_the_sanitiser_drops_is_counted(tmp_path, engine, raw):
    result = convert(f"第一段。\n\n{raw}\n\n后文。", engine, tmp_path)
    assert "八个字的文字内容" not in result.text
    lost = [d for d in result.diagnostics if "the HTML sanitiser removed" in d.message]
    assert len(lost) == 1 and lost[0].level is Level.WARNING
    assert int(re.search(r"removed ([\d,]+) characters", lost[0].message).group(1)) >= 8


@pytest.mark.parametrize("engine", ENGINES)
def test_a_reference_to_a_control_character_is_removed_with_a_located_warning(tmp_path, engine):
    """``&#1;`` decodes to U+0001, which HTML and the feed's XML forbid (a source file's own control
    characters are replaced when it is read); a reference in code is text, and stays."""
    result = convert("第一段。\n\n第二段&#1;文字&#127;。\n\n`&#1;`", engine, tmp_path)
    assert not CONTROL_RE.search(result.html) and "第二段文字。" in result.text and "&amp;#1;" in result.html
    warned = [d for d in result.diagnostics if d.code == "control-character"]
    assert [(d.line, d.level) for d in warned] == [(3, Level.WARNING)] and "U+0001" in warned[0].message
    assert not [d for d in convert("第一段&amp;#1;。", engine, tmp_path).diagnostics if d.code == "control-character"]


#: Chinese text and Markdown punctuation, without '<' (no raw HTML), ':' and '(' (no link targets or
#: definitions, which are invisible by design).
TEXT = st.text(st.sampled_from(list("政务公开条例第十决策") + list("。，；《》（）“”") + list("*_`#->|[]!\\~^&=.1 \n\t")),
               max_size=300)


@pytest.mark.property
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=TEXT, engine=st.sampled_from(ENGINES))
def test_text_without_raw_html_survives_conversion_and_sanitising(tmp_path_factory, body, engine):
    tmp_path = tmp_path_factory.getbasetemp()
    result = convert(body, engine, tmp_path)
    # Only hints such as "#标题 is not a heading", and references to control characters removed (&#1).
    assert [d for d in result.diagnostics if d.code not in ("markdown", "control-character")] == []
    # The sanitiser changed no text (line breaks between Chinese characters are dropped after it: test_layout.py).
    assert result.text == html_to_text(layout.join_lines(engines.convert(body, engine)))
    han = re.compile(r"[\u4e00-\u9fff]")
    assert han.findall(result.text) == han.findall(body)  # and the converter lost none


#: Heading text both dialects read alike (not code spans: CommonMark keeps a span of spaces, Python-Markdown not).
HEADING = st.lists(st.sampled_from(list("第一章总则条 　、，（）《》“”-&Ab12.") + ["**"]), min_size=1, max_size=12).map("".join)


@pytest.mark.property
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(headings=st.lists(st.tuples(st.integers(1, 4), HEADING), min_size=1, max_size=6))
def test_both_engines_give_headings_the_same_ids(headings):
    """Links to ``#第一条`` keep working whichever engine a site uses."""
    body = "\n\n".join(f"{'#' * level} {text}" for level, text in headings)
    ids = {engine: re.findall(r'<h([1-6]) id="([^"]*)"', engines.convert(body, engine)) for engine in ENGINES}
    assert ids[engines.COMMONMARK] == ids[engines.PYTHON_MARKDOWN]


# --------------------------------------------------------------------------- converted HTML kept without parsing

def nh3_clean(raw: str) -> str:
    return sanitise.clean(raw, (), lambda tag, attr, value: value)  # converted=False: always through nh3


_INLINE = st.lists(st.sampled_from([
    "中文", "第一条", "text", " ", "，", "。", "*", "**", "_", "`", '"', "'", "&", "&amp;", "&quot;", "&copy;", "&nbsp;",
    "&#39;", "&#x4e2d;", "&lt;", ">", "|", "\\", "#", "1.", "-", "!", "[", "]", "(", ")", "~", "\u3000", "\u00a0",
    "http://x.cn", "**强调**", "*斜体*", "`代码 \"引号\" & <b>`", "***混合***", "**外*内*外**", "a_b_c", "  \n",
    "\\\n"]), min_size=1, max_size=12).map("".join).filter(lambda s: s.strip())


@st.composite
def _block(draw, depth=0):
    kind = draw(st.sampled_from(["p", "h", "ul", "ol", "quote", "table", "code", "hr", "nested"]))
    text = draw(_INLINE).strip() or "x"
    if kind == "h":
        return "#" * draw(st.integers(1, 6)) + " " + text
    if kind in ("ul", "ol"):
        start = draw(st.integers(0, 12))
        items = draw(st.lists(_INLINE, min_size=1, max_size=4))
        marker = (lambda i: f"{start + i}.") if kind == "ol" else (lambda i: draw(st.sampled_from("-*+")))
        return "\n".join(f"{marker(i)} {item.strip() or 'x'}" for i, item in enumerate(items))
    if kind == "nested":
        levels = draw(st.integers(2, 12))
        return "\n".join("  " * i + f"- {text}" for i in range(levels))
    if kind == "quote" and depth < 3:
        return "\n".join("> " + line for line in draw(_block(depth + 1)).split("\n"))
    if kind == "table":
        cols = draw(st.integers(1, 4))
        align = [draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(cols)]
        rows = [[draw(_INLINE).replace("|", "").replace("\n", " ").strip() or "x" for _ in range(cols)]
                for _ in range(draw(st.integers(1, 3)))]
        return "\n".join("| " + " | ".join(r) + " |" for r in [rows[0], align, *rows[1:]])
    if kind == "code":
        info = draw(st.sampled_from(["", "python", "落款", "分行"]))
        return f"```{info}\n{text}\n  {text}\n```"
    if kind == "hr":
        return draw(st.sampled_from(["---", "***", "___"]))
    return text


@given(blocks=st.lists(_block(), min_size=1, max_size=8), quote_depth=st.integers(0, 40))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_converted_html_the_sanitiser_would_keep_is_kept_without_parsing_it(blocks, quote_depth):
    body = "\n\n".join(blocks) + "\n\n" + "> " * quote_depth + "深"
    raw = engines.convert(body, engines.COMMONMARK)
    kept = sanitise._as_cleaned(raw)
    assert kept is None or kept == nh3_clean(raw), raw


def test_an_ordinary_body_needs_no_parsing_and_reads_as_before(tmp_path):
    body = ("# 一、总体要求\n\n为了“规范”管理，制定本办法。**第一条** 适用于本市。  \n下一行\n\n"
            "| 项目 | 金额 |\n|:--|--:|\n| 甲 | 1.5 |\n\n3. 第三\n4. 第四\n\n> 引用\n\n```落款\n江州市人民政府\n```\n\n---\n")
    raw = engines.convert(body, engines.COMMONMARK)
    assert sanitise._as_cleaned(raw) == nh3_clean(raw)
    nbsp = engines.convert(body + "\na&nbsp;b", engines.COMMONMARK)
    assert sanitise._as_cleaned(nbsp) == nh3_clean(nbsp) and "a&nbsp;b" in nbsp.replace("\xa0", "&nbsp;")
    for unusual in ("[链接](x.pdf)", "![图](a.png)", "注[^1]\n\n[^1]: 脚注", "```python\nx\n```"):
        assert sanitise._as_cleaned(engines.convert(body + "\n" + unusual, engines.COMMONMARK)) is None, unusual
    assert "<table>" in convert(body, engines.COMMONMARK, tmp_path).html
