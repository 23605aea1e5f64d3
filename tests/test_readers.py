"""Reading bytes and YAML: encodings, located values, hostile YAML."""

from __future__ import annotations

from pathlib import Path

from generator.errors import Report
from generator.readers import yaml_loader
from generator.readers.source import decode

P = Path("x.md")


def load(text: str):
    report = Report()
    return yaml_loader.load(text, P, report, first_line=2), report


def test_lines_of_keys_and_items():
    data, report = load("标题: 甲\n标签:\n  - 企业\n  - 个人\n")
    assert not report.diagnostics
    assert data.line_of("标题") == 2 and data.line_of("标签") == 3
    assert data["标签"].line_of(1) == 5


def test_dates_stay_text_so_the_schema_can_locate_them():
    data, _ = load("成文日期: 2023-02-30\n")
    assert data["成文日期"] == "2023-02-30"


def test_duplicate_keys_are_errors():
    data, report = load("a: 1\nb: 2\na: 3\n")
    assert data is None
    assert report.errors[0].line == 4 and "duplicate key 'a'" in report.errors[0].message


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))
    data, report = load(bomb)
    assert data is None and "more than" in report.errors[0].message


def test_recursive_alias_and_deep_nesting_are_refused():
    _, report = load("a: &a [*a]\n")
    assert report.errors
    _, report = load("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert report.errors and "nested" in report.errors[0].message


def test_unsafe_tags_are_refused():
    data, report = load("a: !!python/object/apply:os.system ['true']\n")
    assert data is None and "unsupported YAML tag" in report.errors[0].message


def test_encodings():
    report = Report()
    assert decode(P, "\ufeff标题".encode("utf-8"), report).text == "标题"
    assert decode(P, "标题\r\n正文\r".encode("utf-8"), report).text == "标题\n正文\n"
    assert decode(P, "标题".encode("utf-16"), report).text == "标题"
    assert not report.diagnostics
    assert decode(P, "第一行\n第二行".encode("gbk"), report) is None
    assert report.errors[0].line == 1 and "GBK" in report.errors[0].hint
    report = Report()
    assert decode(P, b"abc\x00def", report) is None and "binary" in report.errors[0].message
