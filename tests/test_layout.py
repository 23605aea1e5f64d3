"""Chinese text as it is written (generator/readers/layout.py): a line break between two Chinese characters is
never a visible space, the 落款 and 分行 blocks keep their lines, and so do interpretations' 文字版 and 文字实录.

What a reader sees is measured with tests/visible_text.py, which collapses white space as a browser does
(Chromium shows a line break between two Chinese characters as a space; that is what this prevents).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import Level
from generator.readers import engines, layout
from generator.readers.markdown import Options, render

sys.path.insert(0, str(Path(__file__).parent))
from visible_text import visible_text  # noqa: E402

ENGINES = engines.ENGINES
PYTHON_MARKDOWN = "\nmarkdown: {engine: python-markdown}\n"
WIDE_RE = re.compile(f"[{layout.WIDE}{layout.AMBIGUOUS_CHINESE}]")


def use_engine(site, engine: str) -> None:
    if engine == engines.PYTHON_MARKDOWN:
        with open(site.content / "site.yaml", "a", encoding="utf-8") as f:
            f.write(PYTHON_MARKDOWN)


def convert(body: str, engine: str, tmp_path: Path, hard_breaks: bool = False):
    return render(body, tmp_path / "policies" / "x.md", tmp_path, 1, Options((), engine), hard_breaks)


def is_wide(char: str) -> bool:
    """CSS Text 3's test: East Asian Width F, W or H, not Hangul."""
    name = unicodedata.name(char, "")
    return unicodedata.east_asian_width(char) in "FWH" and "HANGUL" not in name and "KOREAN" not in name


def test_the_wide_ranges_are_the_wide_characters_of_chinese_text():
    """Every assigned character in the ranges is wide; every wide character of the CJK blocks (ideographs,
    CJK and full-width punctuation, kana, bopomofo) is in them."""
    for code in range(0x40000):
        char = chr(code)
        if unicodedata.category(char) in ("Cn", "Cs", "Co"):
            continue
        if WIDE_RE.match(char) and char not in layout.AMBIGUOUS_CHINESE:
            assert is_wide(char), f"U+{code:04X} {unicodedata.name(char, '')}"
        in_cjk_blocks = 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFFEF or code >= 0x20000
        if in_cjk_blocks and is_wide(char) and not 0x4DC0 <= code <= 0x4DFF:  # (Yijing hexagrams: symbols)
            assert WIDE_RE.match(char), f"U+{code:04X} {unicodedata.name(char, '')}"
    for char in "“”‘’…—·":
        assert WIDE_RE.match(char)


# --------------------------------------------------------------------------- line breaks inside a paragraph

HAN = st.text(st.sampled_from(list("政务公开条例第十决策办法规定") + list("。，；《》（）“”…—")), min_size=1, max_size=6)
LATIN = st.text(st.sampled_from(list("abcxyzPDF")), min_size=1, max_size=6)
WORD = st.one_of(HAN, LATIN, HAN.map(lambda t: f"**{t}**"), HAN.map(lambda t: f"*{t}*"))


def expected_text(words: list[str], separators: list[str]) -> str:
    """What a reader should see: a line break between two wide characters vanishes, any other is a space."""
    plain = [w.strip("*") for w in words]
    out = plain[0]
    for sep, word in zip(separators, plain[1:]):
        if sep == "\n" and WIDE_RE.match(out[-1]) and WIDE_RE.match(word[0]):
            out += word
        else:
            out += " " + word
    return out


@pytest.mark.property
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(words=st.lists(WORD, min_size=2, max_size=12), data=st.data(), engine=st.sampled_from(ENGINES))
def test_a_line_break_between_chinese_characters_is_never_a_visible_space(tmp_path_factory, words, data, engine):
    separators = data.draw(st.lists(st.sampled_from([" ", "\n"]), min_size=len(words) - 1, max_size=len(words) - 1))
    body = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:]))
    result = convert(body, engine, tmp_path_factory.getbasetemp())
    assert visible_text(result.html) == [expected_text(words, separators)], result.html
    assert result.text == expected_text(words, separators)  # summaries and search read the same


@pytest.mark.parametrize("engine", ENGINES)
def test_code_keeps_its_line_breaks(tmp_path, engine):
    body = "正文第一行\n第二行。\n\n    代码第一行\n    代码第二行\n\n`代码\n行内`\n"
    html = convert(body, engine, tmp_path).html
    assert "<p>正文第一行第二行。</p>" in html
    assert "代码第一行\n代码第二行" in html
    lines = visible_text(html)
    assert lines[:3] == ["正文第一行第二行。", "代码第一行", "代码第二行"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_built_policy_reads_as_one_line_of_chinese(site, engine):
    use_engine(site, engine)
    site.policy("p", body="第一条　为了规范本市美术馆的\n**设立和运营**\n，制定本办法。\n"
                          "It applies\nto all PDF\n文件和 Word\n文件。")
    site.build_ok()
    body = site.page("zcwj/p/").select_one(".doc-body")
    assert visible_text(str(body)) == ["第一条　为了规范本市美术馆的设立和运营，制定本办法。 It applies to all PDF 文件和 Word 文件。"]
    assert site.page("zcwj/p/").find("meta", attrs={"name": "description"})["content"].startswith(
        "第一条 为了规范本市美术馆的设立和运营，制定本办法。")


# --------------------------------------------------------------------------- 落款 and 分行 blocks

SIGNED = """\
局属各单位：

现将《工作要点》印发给你们，请认真贯彻落实。

```落款
测试市文化和旅游局
2024年5月10日
```

```分行
　　地址：测试市人民路1号
邮编：100000

电话：010-62345678
```
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_the_signing_block_keeps_its_lines_right_aligned(site, engine):
    use_engine(site, engine)
    site.policy("p", body=SIGNED)
    site.build_ok()
    body = site.page("zcwj/p/").select_one(".doc-body")
    signature = body.select("p.signature")
    assert len(signature) == 1 and [s.strip() for s in signature[0].strings] == ["测试市文化和旅游局", "2024年5月10日"]
    assert len(signature[0].find_all("br")) == 1 and body.find("pre") is None and body.find("code") is None
    lines = body.select("p.lines")
    assert [[s.strip("\n ") for s in p.strings] for p in lines] == [["　　地址：测试市人民路1号", "邮编：100000"],
                                                                ["电话：010-62345678"]]
    assert visible_text(str(body))[-5:] == ["测试市文化和旅游局", "2024年5月10日", "地址：测试市人民路1号",
                                            "邮编：100000", "电话：010-62345678"]
    css = (site.output / "static" / "site.css").read_text(encoding="utf-8")
    rule = re.search(r"\.doc-body p\.signature \{([^}]*)\}", css).group(1)
    assert "text-align: right" in rule and "text-indent: 0" in rule


def test_the_signing_block_inside_a_list_item(tmp_path):
    html = convert("1. 第一项\n\n   ```落款\n   测试市人民政府\n   2022年5月30日\n   ```\n", engines.COMMONMARK, tmp_path).html
    assert '<p class="signature">测试市人民政府<br>\n2022年5月30日</p>' in html


@pytest.mark.parametrize("engine", ENGINES)
def test_markup_in_a_line_block_is_shown_as_written(tmp_path, engine):
    result = convert("```分行\n**不加粗** <b>标签</b>\n[链接](x.md)\n```\n", engine, tmp_path)
    assert result.diagnostics == [] and result.links == []
    assert visible_text(result.html) == ["**不加粗** <b>标签</b>", "[链接](x.md)"]


def test_raw_html_shaped_like_a_block_is_not_taken_for_one(tmp_path):
    html = convert('<pre><code class="language-落款">甲<b>乙</b>\n丙</code></pre>\n', engines.COMMONMARK, tmp_path).html
    assert "signature" not in html and "<pre>" in html


@pytest.mark.parametrize("engine", ENGINES)
def test_an_unclosed_block_is_reported_at_its_line(tmp_path, engine):
    result = convert("正文。\n\n```落款\n测试市人民政府\n2022年5月30日\n\n后面的正文。\n", engine, tmp_path)
    assert [(d.line, d.level, d.code) for d in result.diagnostics] == [(3, Level.WARNING, "markdown")]
    assert "```落款" in result.diagnostics[0].message
    assert "测试市人民政府" in result.text and "后面的正文" in result.text  # nothing is lost


@pytest.mark.parametrize("engine", ENGINES)
def test_other_fences_stay_code(tmp_path, engine):
    html = convert("```落款了\n甲\n```\n\n```python\nx = 1\n```\n", engine, tmp_path).html
    assert "signature" not in html and "class=" not in html


# --------------------------------------------------------------------------- 文字版 and 文字实录

INTERPRETATION = """\
---
标题: 一图读懂测试办法
索引号: 000014349/2023-00900
形式: 图片
解读文件: [p]
发布日期: 2023-04-05
解读机构: 测试市文化和旅游局
图片: media/yitu.png
替代文本: 一图读懂测试办法的三项要点。
文字版: |
  一图读懂
  《测试办法》
  要点一：免费开放

  要点二：延长时间
---
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_the_text_version_of_an_infographic_keeps_its_lines(site, engine):
    import media_factory

    use_engine(site, engine)
    site.policy("p")
    (site.content / "interpretations" / "media").mkdir(parents=True)
    media_factory.png(site.content / "interpretations" / "media" / "yitu.png", size=(300, 600))
    site.write("interpretations/yitu.md", INTERPRETATION)
    site.build_ok()
    section = site.page("zcjd/yitu/").select_one(".text-alternative .doc-body")
    assert visible_text(str(section)) == ["一图读懂", "《测试办法》", "要点一：免费开放", "要点二：延长时间"]
    assert len(section.find_all("br")) == 2
