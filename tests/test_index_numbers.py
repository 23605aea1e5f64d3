"""索引号 never move: written in every file, unique across types, filled in place, guarded between builds."""

from __future__ import annotations

import codecs

import pytest

from conftest import SITE_YAML, line_of, policy
from generator.published import load as load_record
from test_annual_report import VALID as REPORT
from test_interpretations import interpretation

ORGAN = "000014349"


def test_a_missing_index_number_is_an_error_whose_hint_is_the_next_free_number(site):
    site.policy("a", 索引号=f"{ORGAN}/2023-00007")
    late = site.policy("late", 索引号=None, 发布日期="2023-06-01", 成文日期="2023-06-01")
    early = site.policy("early", 索引号=None, 发布日期="2023-02-01", 成文日期="2023-02-01")
    site.write("interpretations/jd.md", interpretation(解读文件="[a]", 索引号=None))
    site.write("annual-reports/2023.yaml", REPORT.replace(f"索引号: {ORGAN}/2024-00002\n", ""))
    result = site.run("check")
    assert result.returncode == 1
    err = result.stderr
    # Every one is located where the 索引号 belongs; numbers follow the date order, after the highest one taken.
    for path, number in (("policies/early.md", "2023-00008"), ("interpretations/jd.md", "2023-00009"),
                         ("policies/late.md", "2023-00010"), ("annual-reports/2023.yaml", "2024-00001")):
        assert f"content/{path}:" in err and "error: the document has no 索引号" in err
        block = err[err.index(f"content/{path}:"):]
        hint = block[:block.index("\n", block.index("hint:"))]
        assert f"add `索引号: {ORGAN}/{number}`" in hint, hint
        assert "python -m generator fill-index --content content`" in hint  # relative to where it runs
    assert f"content/policies/early.md:{line_of(early.read_text(encoding='utf-8'), '标题')}:" in err


def test_an_empty_index_line_is_located_at_its_line(site):
    text = policy(索引号="   # 待编号")
    site.write("policies/a.md", text)
    result = site.run("check")
    assert f"content/policies/a.md:{line_of(text, '索引号')}: error: the document has no 索引号" in result.stderr


def _fill(site, *extra):
    result = site.run("fill-index", "--content", str(site.content), *extra)
    assert "Traceback" not in result.stderr, result.stderr
    return result


CASES = {
    # name: (file, original bytes, the line the number goes on)
    "plain": ("policies/plain.md", policy(索引号=None), "after 标题"),
    "comments": ("policies/comments.md",
                 policy(索引号=None).replace("---\n", "---\n# 顶部注释\n", 1).replace("发布机构", "# 说明\n发布机构"),
                 "after 标题"),
    "empty-line": ("policies/empty.md", policy(索引号="  # 由 fill-index 填写"), "in place"),
    "empty-quoted": ("policies/quoted.md", policy(索引号='""'), "in place"),
    "crlf": ("policies/crlf.md", policy(索引号=None).replace("\n", "\r\n"), "after 标题"),
    "bom": ("policies/bom.md", "\ufeff" + policy(索引号=None), "after 标题"),
    "utf16": ("policies/utf16.md", policy(索引号=None), "after 标题"),
    "indented": ("policies/indented.md", "---\n" + "".join("  " + line for line in
                 policy(索引号=None).split("---\n")[1].splitlines(keepends=True)) + "---\n\n正文。\n", "after 标题"),
    "block-title": ("policies/block.md", policy(索引号=None, 标题=">\n  关于做好\n  文化工作的通知"), "before 发布机构"),
    "interpretation": ("interpretations/jd.md", interpretation(索引号=None, 解读文件="[p]"), "after 标题"),
    "report": ("annual-reports/2023.yaml", REPORT.replace(f"索引号: {ORGAN}/2024-00002\n", ""), "after 标题"),
}


def _encode(name: str, text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le") if name == "utf16" else text.encode("utf-8")


def _decode(name: str, data: bytes) -> str:
    return data[2:].decode("utf-16-le") if name == "utf16" else data.decode("utf-8")


def test_fill_index_writes_only_the_missing_lines_and_keeps_every_other_byte(site):
    site.policy("p", 索引号=f"{ORGAN}/2023-00003")
    site.policy("has", 索引号=f"{ORGAN}/2023-00005", 发布日期="2023-01-02", 成文日期="2023-01-02")
    untouched = {p: p.read_bytes() for p in site.content.rglob("*") if p.is_file()}
    for name, (rel, text, _) in CASES.items():
        site.write(rel, _encode(name, text))
    dry = _fill(site, "--dry-run")
    assert dry.returncode == 0 and f"would write {len(CASES)} 索引号" in dry.stdout
    assert all(_encode(n, t) == (site.content / r).read_bytes() for n, (r, t, _) in CASES.items())
    result = _fill(site)
    assert result.returncode == 0 and f"wrote {len(CASES)} 索引号" in result.stdout, result.stdout + result.stderr
    numbers = set()
    for name, (rel, text, where) in CASES.items():
        data = (site.content / rel).read_bytes()
        assert data.startswith(codecs.BOM_UTF8) == (name == "bom") and data.startswith(codecs.BOM_UTF16_LE) == (name == "utf16")
        after = _decode(name, data)
        old, new = text.splitlines(keepends=True), after.splitlines(keepends=True)
        changed = [line for line in new if "索引号:" in line and ORGAN in line]
        assert len(changed) == 1, (name, after)
        numbers.add(changed[0].split(ORGAN)[1].strip())
        at = new.index(changed[0])
        if where == "in place":
            assert len(new) == len(old) and new[:at] + new[at + 1:] == old[:at] + old[at + 1:], name
            assert changed[0].rstrip("\r\n").endswith(old[at].split(":", 1)[1].rstrip("\r\n").lstrip(' "')), name
        else:
            assert new[:at] + new[at + 1:] == old, name  # one line added, the rest byte for byte
            previous = new[at - 1] if where == "after 标题" else new[at + 1]
            assert ("标题" in previous) if where == "after 标题" else previous.startswith("发布机构"), (name, previous)
        assert changed[0].endswith("\r\n" if name == "crlf" else "\n"), name
    assert len(numbers) == len(CASES)  # all different
    assert {p: p.read_bytes() for p in untouched} == untouched  # files with a number are not rewritten
    assert _fill(site).stdout.strip() == "every document that can be read has its 索引号"
    check = site.run("check")
    assert "索引号" not in check.stderr, check.stderr


def test_fill_index_numbers_in_date_order_after_every_number_written(site):
    site.policy("a", 索引号=f"{ORGAN}/2023-00004")
    site.write("withdrawn.yaml", f"- {{索引号: {ORGAN}/2023-00009, 标题: 旧通知, 撤销日期: 2024-01-02, 原因: 已停止执行。}}\n")
    site.policy("late", 索引号=None, 发布日期="2023-09-01", 成文日期="2023-09-01")
    site.policy("early", 索引号=None, 发布日期="2023-03-01", 成文日期="2023-03-01")
    site.policy("other-year", 索引号=None, 发布日期="2022-03-01", 成文日期="2022-03-01")
    _fill(site)
    assert f"索引号: {ORGAN}/2023-00010" in (site.content / "policies/early.md").read_text(encoding="utf-8")
    assert f"索引号: {ORGAN}/2023-00011" in (site.content / "policies/late.md").read_text(encoding="utf-8")
    assert f"索引号: {ORGAN}/2022-00001" in (site.content / "policies/other-year.md").read_text(encoding="utf-8")


def test_fill_index_leaves_a_file_it_cannot_read_and_says_so(site):
    site.write("policies/bad.md", policy(索引号=None, 发布日期="2023-02-30"))
    site.write("policies/yaml.md", "---\n标题: [未闭合\n---\n正文。\n")
    before = {p: p.read_bytes() for p in (site.content / "policies").iterdir()}
    result = _fill(site)
    assert result.returncode == 1
    assert "policies/bad.md:" in result.stderr and "cannot number this document: 发布日期" in result.stderr
    assert "policies/yaml.md:" in result.stderr
    assert {p: p.read_bytes() for p in before} == before


def test_one_number_on_a_policy_and_an_interpretation_is_an_error_naming_both(site):
    site.policy("p", 索引号=f"{ORGAN}/2023-00001")
    text = interpretation(解读文件="[p]", 索引号=f"{ORGAN}/2023-00001")
    site.write("interpretations/jd.md", text)
    result = site.run("check", "--strict")
    assert result.returncode == 1
    assert (f"content/policies/p.md:{line_of(policy(索引号=f'{ORGAN}/2023-00001'), '索引号')}: error: 索引号 "
            f"{ORGAN}/2023-00001 is already used by content/interpretations/jd.md") in result.stderr, result.stderr


@pytest.mark.parametrize("year_from,index_year,warned", [
    ("发布日期", 2023, False), ("发布日期", 2022, True), ("成文日期", 2022, False), ("成文日期", 2023, True)])
def test_the_year_of_an_index_number_is_that_of_its_date(site, year_from, index_year, warned):
    site.write("site.yaml", SITE_YAML.replace("index_no:\n", f"index_no:\n  year_from: {year_from}\n", 1))
    text = policy(索引号=f"{ORGAN}/{index_year}-00001", 成文日期="2022-12-28", 发布日期="2023-01-04")
    site.write("policies/a.md", text)
    result = site.run("check", "--strict")
    message = (f"content/policies/a.md:{line_of(text, '索引号')}: warning: the year {index_year} in 索引号 "
               f"{ORGAN}/{index_year}-00001 is not the year of its {year_from}")
    assert (message in result.stderr) == warned, result.stderr
    assert result.returncode == (1 if warned else 0)


def test_new_numbers_after_withdrawn_numbers(site):
    import datetime as dt

    year = dt.date.today().year
    site.policy("a", 索引号=f"{ORGAN}/{year}-00002")
    site.write("withdrawn.yaml", f"- 索引号: {ORGAN}/{year}-00006\n  标题: 旧通知\n  撤销日期: {year}-01-02\n  原因: 已停止执行。\n")
    assert site.run("new", "policy", "新通知", "--content", str(site.content), "--slug", "n").returncode == 0
    assert f"索引号: {ORGAN}/{year}-00007" in (site.content / "policies/n.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- between builds


@pytest.fixture
def published(site):
    site.policy("keep", 标题="保留的文件", 索引号=f"{ORGAN}/2023-00001")
    site.policy("gone", 标题="将被删除的文件", 索引号=f"{ORGAN}/2023-00002")
    site.policy("renum", 标题="将被改号的文件", 索引号=f"{ORGAN}/2023-00003")
    site.policy("moved", 标题="将被改名的文件", 索引号=f"{ORGAN}/2023-00004")
    site.build_ok()
    return site


def _change_everything(site):
    (site.content / "policies/gone.md").unlink()
    site.policy("renum", 标题="将被改号的文件", 索引号=f"{ORGAN}/2023-00013")
    (site.content / "policies/moved.md").rename(site.content / "policies/moved-2.md")


def test_a_removed_renumbered_or_moved_published_document_fails_the_next_build(published):
    site = published
    before = site.tree_digest()
    _change_everything(site)
    result = site.build()
    assert result.returncode == 1
    err = result.stderr
    assert (f"content/policies/gone.md: error: a published document is gone: 索引号 {ORGAN}/2023-00002 "
            "《将被删除的文件》 (zcwj/gone/)") in err
    assert f"- {{索引号: {ORGAN}/2023-00002, 标题: \"将被删除的文件\", 撤销日期:" in err  # the record to add
    renum = (site.content / "policies/renum.md").read_text(encoding="utf-8")
    assert (f"content/policies/renum.md:{line_of(renum, '索引号')}: error: its published 索引号 {ORGAN}/2023-00003 "
            f"changed to {ORGAN}/2023-00013 since the last build") in err
    assert f"restore `索引号: {ORGAN}/2023-00003`" in err
    assert "content/policies/moved-2.md:" in err and "its page moved from zcwj/moved/ to zcwj/moved-2/" in err
    assert site.tree_digest() == before  # nothing was written
    # The record survives a build that does not use the cache.
    assert site.build("--no-cache").returncode == 1


def test_allow_removal_accepts_the_changes_once(published):
    site = published
    _change_everything(site)
    result = site.build_ok("--allow-removal")
    assert result.stdout.count("accepted with --allow-removal:") == 3, result.stdout
    assert "policies/gone.md: a published document is gone" in result.stdout
    site.build_ok()  # the record now holds what this build published
    record = load_record(site.root / ".output.cache" / "published.json")
    assert {e.index_no: e.url for e in record} == {
        f"{ORGAN}/2023-00001": "zcwj/keep/", f"{ORGAN}/2023-00013": "zcwj/renum/", f"{ORGAN}/2023-00004": "zcwj/moved-2/"}


WITHDRAWN = f"""\
# 撤销记录
- 索引号: {ORGAN}/2023-00002
  标题: 将被删除的文件
  撤销日期: 2024-03-01
  原因: 所涉事项已办结，经局务会研究撤销。
- 索引号: {ORGAN}/2023-00003
  标题: 将被改号的文件
  文号: 测文旅发〔2023〕3号
  撤销日期: 2024-03-02
  原因: 索引号编排错误，已更正为 {ORGAN}/2023-00013。
"""


def test_a_withdrawal_record_accepts_a_removal_and_is_shown_on_the_site(published):
    site = published
    (site.content / "policies/gone.md").unlink()
    site.policy("renum", 标题="将被改号的文件", 索引号=f"{ORGAN}/2023-00013")
    site.write("withdrawn.yaml", WITHDRAWN)
    result = site.build_ok("--strict")
    assert "accepted" not in result.stdout
    page = site.page("chexiao/")
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in page.select("tbody tr")]
    assert rows == [["将被改号的文件", f"{ORGAN}/2023-00003", "测文旅发〔2023〕3号", "2024-03-02",
                     f"索引号编排错误，已更正为 {ORGAN}/2023-00013。"],
                    ["将被删除的文件", f"{ORGAN}/2023-00002", "无", "2024-03-01", "所涉事项已办结，经局务会研究撤销。"]]
    assert page.select_one("table caption").get_text() == "已撤销文件"
    assert site.page("sitemap/").find("a", string="已撤销文件")["href"] == "../chexiao/"
    assert "chexiao/" in (site.output / "sitemap.xml").read_text(encoding="utf-8")


def test_a_withdrawn_number_cannot_be_used_again(site):
    site.write("withdrawn.yaml", WITHDRAWN)
    text = policy(索引号=f"{ORGAN}/2023-00002")
    site.write("policies/a.md", text)
    result = site.run("check")
    assert result.returncode == 1
    assert (f"content/policies/a.md:{line_of(text, '索引号')}: error: 索引号 {ORGAN}/2023-00002 was withdrawn "
            f"(content/withdrawn.yaml:2) and cannot be used again") in result.stderr, result.stderr


@pytest.mark.parametrize("text,message,line", [
    ("- 索引号: X/1\n  标题: 甲\n  撤销日期: 2024-02-30\n  原因: 乙\n", "撤销日期: '2024-02-30' is not a real calendar date", 3),
    ("- 索引号: X/1\n  标题: 甲\n  撤销日期: 2024-02-01\n", "missing required field '原因'", 1),
    ("- 索引号: X/1\n  标题: 甲\n  撤销日期: 2024-02-01\n  原因: 乙\n- 索引号: X/1\n  标题: 甲\n  撤销日期: 2024-02-01\n  原因: 乙\n",
     "索引号 X/1 is already withdrawn on line 1", 5),
    ("索引号: X/1\n", "withdrawn.yaml must be a list of withdrawals", 1),
])
def test_a_bad_withdrawal_record_is_a_located_error(site, text, message, line):
    site.policy("a")
    site.write("withdrawn.yaml", text)
    result = site.run("check")
    assert result.returncode == 1 and f"content/withdrawn.yaml:{line}: error: {message}" in result.stderr, result.stderr
