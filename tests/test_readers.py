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


# --------------------------------------------------------------------------- the one-pass reader of ordinary YAML

import pytest  # noqa: E402
import yaml  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402


def same(a, b) -> bool:
    """Equal values of the same types, with the same lines at every level."""
    if type(a) is not type(b) or a != b:
        return False
    if isinstance(a, (yaml_loader.Mapping, yaml_loader.Sequence)):
        if a.line != b.line or a.lines != b.lines:
            return False
        return all(same(x, y) for x, y in zip(a.values() if isinstance(a, dict) else a,
                                             b.values() if isinstance(b, dict) else b))
    return True


ORDINARY = [
    "标题: 关于做好2024年春节期间工作的通知\n索引号: 11360400MB1C23456X/2024-00012\n成文日期: 2024-01-05\n"
    "标签: [企业, 个人]\n关键词:\n  - 春节\n  - '值班'\n附件:\n  - {标题: 附件1, 文件: files/a.pdf}\n"
    "  - 文件: files/b.docx\n    标题: \"附件 2\"\n",
    "",
    "# a comment only\n\n",
    "a:\nb: ~\nc: null\nd: ''\n",
    "1: one\nyes: true\nno: off\n~: nothing\n3.5: float\n0x1f: hex\n",
    "n: 12\nf: 1.5e3\ninf: .inf\nneg: -7\noct: 0o17\nb: yes\nbig: 123456789012345678901234567890\n",
    "text: |\n  第一行\n  第二行\nfolded: >\n  a\n  b\nkept: |+\n  x\n\n",
    "  spaced key  : v\n",
    "- a\n- [b, c]\n- {d: e}\n-\n  - f\n",
    "just a string",
    "---\na: 1\n...\n",
    "outer:\n  inner:\n    deep: [1, [2, [3, {x: y}]]]\n",
    "k: \"quoted: with colon\"\nj: 'single ''quote'''\n",
]
UNUSUAL = [
    "a: 1\na: 2\n", "<<: {a: 1}\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: !custom x\n", "=: 1\n",
    "[a]: 1\n", "? [a, b]\n: c\n", "a: 1\n---\nb: 2\n", "a: [1, 2\n", "a: b: c\n", "a: \"x\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)) + "  " * 60 + "- x\n",
    "[" * 60 + "]" * 60, "a: " + "[" * 30000 + "]" * 30000 + "\n", "\ta: 1\n", "a: \x07\n",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_yaml_is_read_in_one_pass_as_the_careful_reader_reads_it(text):
    assert same(yaml_loader._plain(text, 2), yaml_loader._careful(text, 2))


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_yaml_is_left_to_the_careful_reader(text):
    with pytest.raises(yaml_loader._Unusual):
        yaml_loader._plain(text, 2)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(max_size=12), st.sampled_from(["2024-01-05", "yes", "No", "~", "0x1f", "1_000", ".5",
                                                              "- x", "a: b", "#c", "标题", " 前后 "]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=6), st.integers(), st.booleans()),
                                                  inner, max_size=4)), max_leaves=12)


@given(value=_VALUES, flow=st.sampled_from([None, True, False]), first_line=st.integers(1, 5))
@settings(max_examples=300, deadline=None)
def test_the_one_pass_reader_agrees_with_the_careful_one(value, flow, first_line):
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    try:
        plain = yaml_loader._plain(text, first_line)
    except yaml_loader._Unusual:
        plain = None  # the careful reader then reads it (keys repeated after strip, …)
    try:
        careful = yaml_loader._careful(text, first_line)
    except yaml_loader.Fail:
        assert plain is None
        return
    assert plain is None or same(plain, careful)
