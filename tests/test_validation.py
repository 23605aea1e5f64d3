"""One test per validation rule: exit code 1, `file:line: message`, and the previous output untouched."""

from __future__ import annotations

import re

import pytest

from conftest import SITE_YAML, line_of, policy


@pytest.fixture
def built(site):
    """A site that built once; tests break it and check the old output survives."""
    site.policy("good", 标题="正常文件", 文种="规范性文件")
    site.policy("other", 标题="另一文件", 发布日期="2023-04-05", 成文日期="2023-04-05")
    site.build_ok()
    site.before = site.tree_digest()
    return site


def fails(site, *messages: str, file: str = "", line: int | None = None, code: int = 1) -> str:
    """Build, expect failure with each message located at ``file:line``; output must be untouched."""
    result = site.build()
    assert result.returncode == code, result.stdout + result.stderr
    err = result.stderr
    assert "Traceback" not in err
    for message in messages:
        assert message in err, err
    if file:
        where = f"{file}:{line}:" if line is not None else f"{file}:"
        located = [l for l in err.splitlines() if where in l]
        assert located, f"no diagnostic at {where}\n{err}"
        assert all(m in "\n".join(located) for m in messages[:1]), err
    assert "hint:" in err
    if getattr(site, "before", None) is not None:
        assert site.tree_digest() == site.before, "a failed build changed output/"
    return err


def test_yaml_syntax_error_is_located(built):
    built.write("policies/bad.md", "---\n标题: 甲\n发布机构: [未闭合\n文种: 其他文件\n---\n正文\n")
    fails(built, "YAML syntax error", file="policies/bad.md")


def test_full_width_colon_gets_a_specific_hint(built):
    built.write("policies/bad.md", policy().replace("文种: 其他文件", "文种：其他文件"))
    err = fails(built, "policies/bad.md")
    assert "full-width colon" in err


def test_missing_required_field(built):
    built.write("policies/bad.md", policy(发布机构=None))
    err = fails(built, "missing required field '发布机构'", file="policies/bad.md", line=2)
    assert "发布机构: 江州市文化和旅游局" in err  # the hint shows an example line


def test_unknown_field_suggests_the_right_name(built):
    built.write("policies/bad.md", policy(发文机关="测试市文化和旅游局"))
    err = fails(built, "unknown field '发文机关'", file="policies/bad.md", line=9)
    assert "did you mean '发布机构'" in err


def test_wrong_type(built):
    built.write("policies/bad.md", policy(标题=["一", "二"]))
    fails(built, "标题: expected text", file="policies/bad.md", line=2)


def test_impossible_date(built):
    built.write("policies/bad.md", policy(成文日期="2023-02-30"))
    fails(built, "'2023-02-30' is not a real calendar date", file="policies/bad.md", line=6)


def test_chinese_date_format_gets_the_fix(built):
    built.write("policies/bad.md", policy(发布日期="2023年4月3日"))
    err = fails(built, "not in the form YYYY-MM-DD", file="policies/bad.md", line=7)
    assert "2023-04-03" in err


def test_dates_in_the_wrong_order(built):
    built.write("policies/bad.md", policy(成文日期="2023-05-01", 发布日期="2023-04-01"))
    fails(built, "发布日期 2023-04-01 is before 成文日期 2023-05-01", file="policies/bad.md", line=7)


def test_unknown_reference(built):
    built.write("policies/bad.md", policy(替代=["no-such-doc"]))
    fails(built, "替代: unknown document 'no-such-doc'", file="policies/bad.md", line=9)


def test_reference_by_index_number_resolves(built):
    built.policy("old", 标题="旧", 索引号="000014349/2019-00001", 发布日期="2019-01-02", 成文日期="2019-01-02",
                 有效性="废止", 有效性变更日期="2023-04-03")
    built.policy("new", 标题="新", 替代=['"000014349/2019-00001"'])
    built.build_ok()
    assert built.page("zcwj/old/").select_one(".notice a")["href"] == "../new/"


def test_reference_cycle(built):
    built.write("policies/a.md", policy(标题="甲", 修改=["b"], 有效性="已修改", 有效性变更日期="2023-04-03"))
    built.write("policies/b.md", policy(标题="乙", 修改=["a"], 有效性="已修改", 有效性变更日期="2023-04-03"))
    err = fails(built, "replacement/amendment cycle")
    assert re.search(r"policies/[ab]\.md:9: error: replacement/amendment cycle", err)


def test_replacing_an_older_document_with_an_older_one_is_an_error(built):
    built.write("policies/a.md", policy(标题="甲", 发布日期="2020-01-02", 成文日期="2020-01-01", 替代=["b"]))
    built.write("policies/b.md", policy(标题="乙", 有效性="废止", 有效性变更日期="2023-04-03"))
    fails(built, "which was published later", file="policies/a.md")


def test_duplicate_index_number(built):
    built.write("policies/a.md", policy(标题="甲", 索引号="000014349/2023-00001"))
    built.write("policies/b.md", policy(标题="乙", 索引号="000014349/2023-00001"))
    err = fails(built, "索引号 000014349/2023-00001 is already used by content/policies/a.md",
                file="policies/b.md", line=9)
    assert "/tmp/" not in err


def test_duplicate_yaml_key(built):
    built.write("policies/bad.md", policy() .replace("文种: 其他文件", "文种: 其他文件\n文种: 规范性文件"))
    fails(built, "duplicate key '文种' (first on line 5)", file="policies/bad.md", line=6)


@pytest.mark.parametrize("field,value,message", [
    ("主题分类", "不存在的分类", "is not a 主题分类"),
    ("发布机构", "测试文旅局", "is not an issuer"),
    ("文种", "通知", "is not a 文种"),
])
def test_values_must_come_from_the_vocabularies(built, field, value, message):
    built.write("policies/bad.md", policy(**{field: value}))
    fails(built, message, file="policies/bad.md")


def test_unknown_tag(built):
    built.write("policies/bad.md", policy(标签=["企业", "不在目录"]))
    err = fails(built, "'不在目录' is not a tag", file="policies/bad.md", line=9)
    assert "企业" not in err.split("is not a tag")[0].split("\n")[-1]


def test_validity_change_needs_a_date(built):
    built.write("policies/bad.md", policy(有效性="废止"))
    fails(built, "有效性 is 废止 but 有效性变更日期 is missing", file="policies/bad.md", line=8)


def test_replaced_document_must_not_stay_current(built):
    built.write("policies/old.md", policy(标题="旧", 发布日期="2019-01-02", 成文日期="2019-01-02"))
    built.write("policies/new.md", policy(标题="新", 替代=["old"]))
    err = fails(built, "有效性 is 现行有效 but the document is replaced by new", file="policies/old.md", line=8)
    assert "有效性: 废止" in err


def test_gbk_file_is_reported_not_crashed(built):
    built.write("policies/gbk.md", policy().encode("gbk"))
    err = fails(built, "not valid UTF-8", file="policies/gbk.md", line=2)
    assert "GBK" in err


def test_bom_and_crlf_are_accepted(built):
    built.write("policies/crlf.md", b"\xef\xbb\xbf" + policy(标题="CRLF文件").replace("\n", "\r\n").encode())
    built.build_ok()
    assert built.page("zcwj/crlf/").h1.get_text() == "CRLF文件"


def test_missing_attachment(built):
    built.write("policies/bad.md", policy(附件=["files/nope.pdf"]))
    fails(built, "file 'files/nope.pdf' does not exist", file="policies/bad.md", line=9)


def test_attachment_outside_content_folder(built):
    (built.root / "secret.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    built.write("policies/bad.md", policy(附件=["../../secret.pdf"]))
    fails(built, "leaves the content folder", file="policies/bad.md", line=9)


def test_body_link_to_missing_file(built):
    text = policy(body="第一段。\n\n见[附件](files/none.pdf)。")
    built.write("policies/bad.md", text)
    fails(built, "link target 'files/none.pdf' does not exist", file="policies/bad.md", line=line_of(text, "none.pdf"))


def test_document_without_body_or_source_link(built):
    built.write("policies/bad.md", policy(body=""))
    fails(built, "no body and no 原文链接", file="policies/bad.md")


def test_all_errors_are_reported_at_once(built):
    built.write("policies/a.md", policy(标题="甲", 成文日期="2023-13-01"))
    built.write("policies/b.md", policy(标题="乙", 主题分类="错"))
    built.write("policies/c.md", policy(标题="丙", 替代=["missing"]))
    err = fails(built, "policies/a.md:6:", "policies/b.md:4:", "policies/c.md:9:")
    assert "3 error(s)" in err


def test_empty_column_without_reason(built):
    built.write("site.yaml", SITE_YAML.replace("            empty_reason: 暂无废止和失效的规范性文件。\n", ""))
    fails(built, "column '废止和失效规范性文件' lists nothing", file="site.yaml",
          line=line_of(SITE_YAML, "slug: gfxwj-fz"))


@pytest.mark.parametrize("old,new,message,at", [
    ("  language: zh-CN\n", "  language: zh-CN\n  colour: red\n", "unknown field 'colour' in site", "colour"),
    ("  icp: 京ICP备12345678号\n", "", "missing required field 'icp' in identity", "site_code"),
    ('site_code: "1100000001"', 'site_code: "12345"', "is not a 网站标识码", "site_code"),
    ("base_url: https://wlj.example.gov.cn/", "base_url: wlj.example.gov.cn", "is not a URL", "base_url"),
    ("list: {validity: current}", "list: {validity: valid}", "'valid' is not current, repealed or all",
     "validity: valid"),
    ('pattern: "{organ_code}/{year}-{seq:05d}"', 'pattern: "{organ_code}/{year}"', "has no {seq}", "pattern"),
    ('pattern: "{organ_code}/{year}-{seq:05d}"', 'pattern: "{organ_code}/{year}/{year}-{seq:05d}"',
     "placeholder(s) year used twice", "pattern"),
    ("columns:\n", 'urls:\n  policy: "zcwj/{id}/{yr}/"\ncolumns:\n', "is not a URL pattern", "policy: \"zcwj"),
    ("columns:\n", 'urls:\n  institution: "ggqsydw/{year}/{id}/"\ncolumns:\n', "is not a URL pattern",
     "institution: \"ggqsydw"),
])
def test_site_yaml_errors_are_located(built, old, new, message, at):
    assert old in SITE_YAML
    broken = SITE_YAML.replace(old, new, 1)
    built.write("site.yaml", broken)
    fails(built, message, file="site.yaml", line=line_of(broken, at))


def test_strict_turns_warnings_into_errors(built):
    built.write("policies/w.md", policy(文号="测文旅发[2023]3号"))
    ok = built.build()
    assert ok.returncode == 0
    assert "policies/w.md:" in ok.stderr and "warning" in ok.stderr and "〔2023〕" in ok.stderr
    built.before = built.tree_digest()
    result = built.build("--strict")
    assert result.returncode == 1
    assert "warnings are errors under --strict" in result.stderr
    assert built.tree_digest() == built.before


def test_usage_errors_exit_2(site, tmp_path):
    result = site.run("build", "--content", str(tmp_path / "nope"), raw=True)
    assert result.returncode == 2 and "content folder not found" in result.stderr
    assert site.run("frobnicate").returncode == 2
    assert site.run("build", "--per-page", "3", raw=True).returncode == 2


def test_refuses_to_replace_a_folder_it_did_not_make(site):
    site.policy("a")
    site.output.mkdir()
    (site.output / "precious.txt").write_text("keep me")
    result = site.build()
    assert result.returncode == 2 and "refusing to replace" in result.stderr
    assert (site.output / "precious.txt").read_text() == "keep me"


def test_check_writes_nothing(site):
    site.policy("a")
    result = site.run("check")
    assert result.returncode == 0, result.stderr
    assert not site.output.exists()
    site.policy("b", 主题分类="错")
    result = site.run("check")
    assert result.returncode == 1 and re.search(r"policies/b\.md:\d+: error", result.stderr)


def test_url_patterns_may_place_the_year_anywhere(built):
    built.write("site.yaml", SITE_YAML.replace("columns:\n", 'urls:\n  policy: "zcwj/{year}/{id}/"\ncolumns:\n', 1))
    built.policy("dated", 发布日期="2023-04-03")
    built.build_ok("--allow-removal")  # every page moved: the build reports that unless told it is meant
    assert (built.output / "zcwj" / "2023" / "dated" / "index.html").is_file()


@pytest.mark.parametrize("first,second", [
    ("interpretations/jd.md", "interpretations/sub/jd.md"),  # same id, two folders
    ("policies/same.md", "interpretations/same.md"),  # two types, one URL pattern
])
def test_two_documents_on_one_page_are_located_errors(built, first, second):
    from test_interpretations import interpretation

    urls = 'urls:\n  interpretation: "zcwj/{id}/"\ncolumns:\n' if first.startswith("policies") else "columns:\n"
    built.write("site.yaml", SITE_YAML.replace("columns:\n", urls, 1))
    for rel in (first, second):
        built.write(rel, policy(标题="同名") if rel.startswith("policies") else interpretation(解读文件="[p1]"))
    built.policy("p1", 标题="被解读的文件")
    err = fails(built, "also", file=second)
    assert "two sources write the same file" not in err


BAD_LINK = "见[缺失的文件](files/nope.pdf)。"


@pytest.mark.parametrize("case", ["section inline", "section block", "qa answer", "qa answer block"])
def test_markdown_problems_in_interpretation_fields_are_at_their_own_line(built, case):
    built.policy("p1", 标题="被解读的文件")
    head = "---\n标题: 解读\n形式: 文字\n解读文件: [p1]\n发布日期: 2023-04-03\n解读机构: 测试市文化和旅游局\n"
    extra = {
        "section inline": f"出台背景: {BAD_LINK}\n",
        "section block": f"出台背景: |\n\n  第一段。\n  {BAD_LINK}\n",
        "qa answer": f"简明问答:\n  - 问: 谁？\n    答: {BAD_LINK}\n",
        "qa answer block": f"简明问答:\n  - 问: 谁？\n    答: |\n      {BAD_LINK}\n",
    }[case]
    text = head + extra + "---\n\n正文。\n"
    built.write("interpretations/jd.md", text)
    fails(built, "does not exist", file="interpretations/jd.md", line=line_of(text, BAD_LINK))
