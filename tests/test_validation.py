"""One test per validation rule: exit code 1, `file:line: message`, and the previous output untouched.

Read in Chinese, the command line's default: every message is asserted in Chinese, with its code, and
every line the build prints must be Chinese (no English sentence left untranslated); one test reads the
same errors in English (``--lang en``).
"""

from __future__ import annotations

import re

import pytest

from conftest import SITE_YAML, line_of, policy
from generator import i18n

#: Two English words in a row: a sentence the catalogue (generator/i18n/zh_CN.po) has not translated.
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")
#: What a Chinese line may quote verbatim: “values”, `code`, paths and addresses.
VERBATIM = re.compile(r"“[^”]*”|`[^`]*`|'[^']*'|\S*[/\\.]\S*|\[[^\]]*\]")


@pytest.fixture
def site(site, monkeypatch):
    """The scratch site, its commands in Chinese; the diagnostics they print are kept, for their codes."""
    from generator import cli

    site.lang = "zh-CN"
    site.printed = []
    show = cli._print_report

    def keep(report, lang):
        site.printed.extend(report.sorted())
        show(report, lang)

    monkeypatch.setattr(cli, "_print_report", keep)
    return site


@pytest.fixture
def built(site):
    """A site that built once; tests break it and check the old output survives."""
    site.policy("good", 标题="正常文件", 文种="规范性文件")
    site.policy("other", 标题="另一文件", 发布日期="2023-04-05", 成文日期="2023-04-05")
    site.build_ok()
    site.before = site.tree_digest()
    site.printed.clear()
    return site


def assert_chinese(err: str) -> None:
    """Every line printed is Chinese: what is left after the verbatim parts has no English sentence."""
    for text in err.splitlines():
        rest = VERBATIM.sub("", text)
        assert not ENGLISH.search(rest), f"untranslated: {text}\n(add it to generator/i18n/zh_CN.po)"


def fails(site, *messages: str, file: str = "", line: int | None = None, code: str = "", exit_code: int = 1) -> str:
    """Build, expect failure with each message (Chinese text, or a whole English message, which must then be
    printed as the catalogue translates it) located at ``file:line`` (with the diagnostic ``code``); output
    must be untouched and everything printed Chinese."""
    result = site.build()
    assert result.returncode == exit_code, result.stdout + result.stderr
    err = result.stderr
    assert "Traceback" not in err
    # A whole message may be given in English, as the code writes it: it must be printed in Chinese.
    messages = tuple(i18n.translate(m, i18n.CHINESE) for m in messages)
    for message in messages:
        assert message in err, err
    if file:
        where = f"{file}:{line}:" if line is not None else f"{file}:"
        located = [l for l in err.splitlines() if where in l]
        assert located, f"no diagnostic at {where}\n{err}"
        assert all(m in "\n".join(located) for m in messages[:1]), err
    if code:
        assert any(d.code == code and d.path.endswith(file) and (line is None or d.line == line)
                   for d in site.printed), [(d.path, d.line, d.code) for d in site.printed]
    assert "提示：" in err
    assert "构建失败：" in err
    assert_chinese(result.stdout + err)
    if getattr(site, "before", None) is not None:
        assert site.tree_digest() == site.before, "a failed build changed output/"
    return err


def test_yaml_syntax_error_is_located(built):
    built.write("policies/bad.md", "---\n标题: 甲\n发布机构: [未闭合\n文种: 其他文件\n---\n正文\n")
    fails(built, "YAML 语法错误", file="policies/bad.md", line=3, code="yaml")


def test_full_width_colon_gets_a_specific_hint(built):
    built.write("policies/bad.md", policy().replace("文种: 其他文件", "文种：其他文件"))
    err = fails(built, "policies/bad.md", code="yaml")
    assert "不要用全角冒号“：”" in err


def test_missing_required_field(built):
    built.write("policies/bad.md", policy(发布机构=None))
    err = fails(built, "政策文件的字段区缺少必填字段“发布机构”", file="policies/bad.md", line=2, code="missing-field")
    assert "发布机构: 江州市文化和旅游局" in err  # the hint shows an example line


def test_unknown_field_suggests_the_right_name(built):
    built.write("policies/bad.md", policy(发文机关="测试市文化和旅游局"))
    err = fails(built, "政策文件的字段区中有未知字段“发文机关”", file="policies/bad.md", line=9, code="unknown-field")
    assert "提示：是否应为“发布机构”？" in err


def test_wrong_type(built):
    built.write("policies/bad.md", policy(标题=["一", "二"]))
    fails(built, "标题：应为文字（单行），实际是列表", file="policies/bad.md", line=2, code="bad-value")


def test_impossible_date(built):
    built.write("policies/bad.md", policy(成文日期="2023-02-30"))
    fails(built, "成文日期：“2023-02-30”不是真实存在的日期", file="policies/bad.md", line=6, code="bad-value")


def test_chinese_date_format_gets_the_fix(built):
    built.write("policies/bad.md", policy(发布日期="2023年4月3日"))
    err = fails(built, "日期“2023年4月3日”不是 YYYY-MM-DD 格式", file="policies/bad.md", line=7)
    assert "提示：写成 2023-04-03" in err


def test_dates_in_the_wrong_order(built):
    built.write("policies/bad.md", policy(成文日期="2023-05-01", 发布日期="2023-04-01"))
    fails(built, "发布日期 2023-04-01 早于成文日期 2023-05-01", file="policies/bad.md", line=7)


def test_unknown_reference(built):
    built.write("policies/bad.md", policy(替代=["no-such-doc"]))
    fails(built, "替代：未知的文件“no-such-doc”", file="policies/bad.md", line=9, code="unknown-reference")


def test_reference_by_index_number_resolves(built):
    built.policy("old", 标题="旧", 索引号="000014349/2019-00001", 发布日期="2019-01-02", 成文日期="2019-01-02",
                 有效性="废止", 有效性变更日期="2023-04-03")
    built.policy("new", 标题="新", 替代=['"000014349/2019-00001"'])
    built.build_ok()
    assert built.page("zcwj/old/").select_one(".notice a")["href"] == "../new/"


def test_reference_cycle(built):
    built.write("policies/a.md", policy(标题="甲", 修改=["b"], 有效性="已修改", 有效性变更日期="2023-04-03"))
    built.write("policies/b.md", policy(标题="乙", 修改=["a"], 有效性="已修改", 有效性变更日期="2023-04-03"))
    err = fails(built, "替代/修改形成了循环")
    assert re.search(r"policies/[ab]\.md:9: 错误：替代/修改形成了循环：[ab] → [ab] → [ab]", err)


def test_replacing_an_older_document_with_an_older_one_is_an_error(built):
    built.write("policies/a.md", policy(标题="甲", 发布日期="2020-01-02", 成文日期="2020-01-01", 替代=["b"]))
    built.write("policies/b.md", policy(标题="乙", 有效性="废止", 有效性变更日期="2023-04-03"))
    fails(built, "a（2020-01-02）不能替代 b，因为后者发布得更晚（2023-04-03）", file="policies/a.md")


def test_duplicate_index_number(built):
    built.write("policies/a.md", policy(标题="甲", 索引号="000014349/2023-00001"))
    built.write("policies/b.md", policy(标题="乙", 索引号="000014349/2023-00001"))
    err = fails(built, "索引号 000014349/2023-00001 已被 content/policies/a.md 使用",
                file="policies/b.md", line=9, code="duplicate-index")
    assert "/tmp/" not in err


def test_duplicate_yaml_key(built):
    built.write("policies/bad.md", policy() .replace("文种: 其他文件", "文种: 其他文件\n文种: 规范性文件"))
    fails(built, "重复的键“文种”（第一次出现在第 5 行）", file="policies/bad.md", line=6, code="yaml")


@pytest.mark.parametrize("field,value,message", [
    ("主题分类", "不存在的分类", "“不存在的分类”不是 site.yaml 中 vocabularies.topics 所列的主题分类"),
    ("发布机构", "测试文旅局", "“测试文旅局”不是 site.yaml 中 vocabularies.issuers 所列的发布机构"),
    ("文种", "通知", "“通知”不是 site.yaml 中 vocabularies.categories 所列的文种"),
])
def test_values_must_come_from_the_vocabularies(built, field, value, message):
    built.write("policies/bad.md", policy(**{field: value}))
    fails(built, message, file="policies/bad.md", code="bad-value")


def test_unknown_tag(built):
    built.write("policies/bad.md", policy(标签=["企业", "不在目录"]))
    err = fails(built, "“不在目录”不是 site.yaml 中 vocabularies.tags 所列的标签", file="policies/bad.md", line=9)
    assert "企业" not in err.split("不是 site.yaml 中 vocabularies.tags")[0].split("\n")[-1]


def test_validity_change_needs_a_date(built):
    built.write("policies/bad.md", policy(有效性="废止"))
    fails(built, "有效性为“废止”，但缺少有效性变更日期", file="policies/bad.md", line=8)


def test_replaced_document_must_not_stay_current(built):
    built.write("policies/old.md", policy(标题="旧", 发布日期="2019-01-02", 成文日期="2019-01-02"))
    built.write("policies/new.md", policy(标题="新", 替代=["old"]))
    err = fails(built, "有效性为“现行有效”，但本文件已被 new 替代", file="policies/old.md", line=8)
    assert "有效性: 废止" in err


def test_gbk_file_is_reported_not_crashed(built):
    built.write("policies/gbk.md", policy().encode("gbk"))
    err = fails(built, "文件不是有效的 UTF-8", file="policies/gbk.md", line=2, code="encoding")
    assert "提示：文件看起来是 GBK/GB18030 编码" in err


def test_bom_and_crlf_are_accepted(built):
    built.write("policies/crlf.md", b"\xef\xbb\xbf" + policy(标题="CRLF文件").replace("\n", "\r\n").encode())
    built.build_ok()
    assert built.page("zcwj/crlf/").h1.get_text() == "CRLF文件"


def test_missing_attachment(built):
    built.write("policies/bad.md", policy(附件=["files/nope.pdf"]))
    fails(built, "错误：文件“files/nope.pdf”不存在", file="policies/bad.md", line=9)


def test_attachment_outside_content_folder(built):
    (built.root / "secret.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    built.write("policies/bad.md", policy(附件=["../../secret.pdf"]))
    fails(built, "超出了内容文件夹", file="policies/bad.md", line=9)


def test_body_link_to_missing_file(built):
    text = policy(body="第一段。\n\n见[附件](files/none.pdf)。")
    built.write("policies/bad.md", text)
    fails(built, "链接目标“files/none.pdf”不存在", file="policies/bad.md", line=line_of(text, "none.pdf"), code="link")


def test_document_without_body_or_source_link(built):
    built.write("policies/bad.md", policy(body=""))
    fails(built, "文件既没有正文，也没有原文链接", file="policies/bad.md")


def test_all_errors_are_reported_at_once(built):
    built.write("policies/a.md", policy(标题="甲", 成文日期="2023-13-01"))
    built.write("policies/b.md", policy(标题="乙", 主题分类="错"))
    built.write("policies/c.md", policy(标题="丙", 替代=["missing"]))
    err = fails(built, "policies/a.md:6:", "policies/b.md:4:", "policies/c.md:9:")
    assert "构建失败：3 个错误，1 个警告；未写入任何文件" in err


def test_empty_column_without_reason(built):
    built.write("site.yaml", SITE_YAML.replace("            empty_reason: 暂无废止和失效的规范性文件。\n", ""))
    fails(built, "栏目“废止和失效规范性文件”没有列出任何内容", file="site.yaml",
          line=line_of(SITE_YAML, "slug: gfxwj-fz"))


@pytest.mark.parametrize("old,new,message,at", [
    ("  language: zh-CN\n", "  language: zh-CN\n  colour: red\n", "site.yaml 的 site 部分中有未知字段“colour”",
     "colour"),
    ("  icp: 京ICP备12345678号\n", "", "site.yaml 的 identity 部分缺少必填字段“icp”", "site_code"),
    ('site_code: "1100000001"', 'site_code: "12345"', "site_code：“12345”不是网站标识码", "site_code"),
    ("base_url: https://wlj.example.gov.cn/", "base_url: wlj.example.gov.cn",
     "base_url：“wlj.example.gov.cn”不是网址（http:, https:）", "base_url"),
    ("list: {validity: current}", "list: {validity: valid}", "validity：“valid”不是 current、repealed 或 all",
     "validity: valid"),
    ('pattern: "{organ_code}/{year}-{seq:05d}"', 'pattern: "{organ_code}/{year}"', "pattern：缺少 {seq} 占位符",
     "pattern"),
    ('pattern: "{organ_code}/{year}-{seq:05d}"', 'pattern: "{organ_code}/{year}/{year}-{seq:05d}"',
     "pattern：占位符 year 用了两次", "pattern"),
    ("columns:\n", 'urls:\n  policy: "zcwj/{id}/{yr}/"\ncolumns:\n', "policy：“zcwj/{id}/{yr}/”不是含 {id}",
     "policy: \"zcwj"),
    ("columns:\n", 'urls:\n  institution: "ggqsydw/{year}/{id}/"\ncolumns:\n', "并以“/”结尾的网址格式",
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
    assert "policies/w.md:9: 警告：文号“测文旅发[2023]3号”中年份的括号用错了" in ok.stderr and "〔2023〕" in ok.stderr
    assert_chinese(ok.stdout + ok.stderr)
    built.before = built.tree_digest()
    result = built.build("--strict")
    assert result.returncode == 1
    assert "构建失败：使用 --strict 时警告也算错误；0 个错误，2 个警告；未写入任何文件" in result.stderr
    assert built.tree_digest() == built.before


def test_usage_errors_exit_2(site, tmp_path):
    result = site.run("build", "--content", str(tmp_path / "nope"), raw=True)
    assert result.returncode == 2 and "错误：找不到内容文件夹：" in result.stderr
    assert site.run("frobnicate").returncode == 2
    assert site.run("build", "--per-page", "3", raw=True).returncode == 2


def test_refuses_to_replace_a_folder_it_did_not_make(site):
    site.policy("a")
    site.output.mkdir()
    (site.output / "precious.txt").write_text("keep me")
    result = site.build()
    assert result.returncode == 2 and "不是空文件夹，也不是本生成器生成的；不会替换它" in result.stderr
    assert_chinese(result.stderr)
    assert (site.output / "precious.txt").read_text() == "keep me"


def test_check_writes_nothing(site):
    site.policy("a")
    result = site.run("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "检查通过：1 个文件，0 个错误，0 个警告\n"
    assert not site.output.exists()
    site.policy("b", 主题分类="错")
    result = site.run("check")
    assert result.returncode == 1 and re.search(r"policies/b\.md:\d+: 错误：", result.stderr)
    assert "检查未通过：1 个错误，0 个警告；未写入任何文件" in result.stderr


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
    err = fails(built, "也", file=second, code="duplicate-id" if first.startswith("interp") else "duplicate-url")
    assert "两个来源写入同一个文件" not in err


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
    fails(built, "链接目标“files/nope.pdf”不存在", file="interpretations/jd.md", line=line_of(text, BAD_LINK))


# --------------------------------------------------------------------------- the same errors in English


def test_the_same_errors_in_english_with_lang_en(built):
    built.write("policies/bad.md", policy(发文机关="测试市文化和旅游局", 成文日期="2023-02-30"))
    result = built.build("--lang", "en")
    assert result.returncode == 1
    assert "policies/bad.md:6: error: 成文日期: '2023-02-30' is not a real calendar date\n" \
           "    hint: check the month and day" in result.stderr
    assert "policies/bad.md:9: error: unknown field '发文机关' in policy front matter\n" \
           "    hint: did you mean '发布机构'?" in result.stderr
    assert "build failed: 2 error(s), 1 warning(s); nothing was written" in result.stderr
    assert "错误" not in result.stderr and "提示" not in result.stderr
    assert {d.code for d in built.printed} >= {"unknown-field", "bad-value"}  # the same codes in both languages


# --------------------------------------------------------------------------- hints that fit the mistake


def test_a_misindented_list_item_whose_value_has_a_full_width_colon_gets_the_indentation_hint(built):
    text = policy(标签=None).replace("---\n\n", "标签:\n  - 惠企政策\n - 适用对象：企业\n---\n\n")
    built.write("policies/bad.md", text)
    err = fails(built, "YAML 语法错误", file="policies/bad.md", line=line_of(text, "适用对象：企业"), code="yaml")
    assert "提示：把这个列表项与上面的各项对齐" in err
    assert "全角冒号" not in err


def test_a_full_width_colon_after_a_key_still_gets_the_colon_hint(built):
    text = policy().replace("文种: 其他文件", "文种：其他文件")
    built.write("policies/bad.md", text)
    err = fails(built, file="policies/bad.md", line=line_of(text, "文种："), code="yaml")
    assert "提示：请用半角冒号加空格（'键: 值'），不要用全角冒号“：”" in err


def test_a_full_width_comma_in_a_tag_list_gets_the_ascii_comma_hint(built):
    built.write("site.yaml", SITE_YAML.replace("政策类型: [惠企政策]", "政策类型: [惠企政策, 行业监管]"))
    built.write("policies/bad.md", policy(标签=["惠企政策，行业监管"]))
    err = fails(built, "“惠企政策，行业监管”不是 site.yaml 中 vocabularies.tags 所列的标签", file="policies/bad.md",
                line=9, code="schema")
    assert "提示：列表各项之间请用半角逗号“,”分隔（不要用“，”）：[惠企政策, 行业监管]" in err
    assert "是否应为" not in err


def test_a_pause_mark_inside_one_value_is_not_taken_for_a_separator(built):
    # 文化、广电、新闻出版 is one topic: a 、 joins its words, so the hint stays "did you mean"
    built.write("policies/bad.md", policy(主题分类="文化、广电、新闻"))
    err = fails(built, "“文化、广电、新闻”不是", file="policies/bad.md", line=4)
    assert "是否应为“文化、广电、新闻出版”？" in err


@pytest.mark.parametrize("opened,closed,written", [
    ("[", "]", "发布机构: [测试市文化和旅游局"),
    ("{", "}", "附件: {标题: 附件1"),
    ("引号", "引号", '标题: "测试市文化和旅游局关于做好文化工作的通知'),
])
def test_an_unclosed_bracket_or_quote_is_reported_at_its_own_line(built, opened, closed, written):
    key = written.split(":")[0]
    lines = policy().splitlines()
    at = next(n for n, l in enumerate(lines) if l.startswith(key + ":")) if key in policy() else 5
    lines[at:at + 1] = [written] if key in policy() else [lines[at], written]
    text = "\n".join(lines) + "\n"
    built.write("policies/bad.md", text)
    err = fails(built, "YAML 语法错误：这一行的", file="policies/bad.md", line=line_of(text, written), code="yaml")
    assert "没有闭合" in err.splitlines()[0]


def test_a_list_that_spans_lines_and_closes_is_fine(built):
    built.write("policies/ok.md", policy().replace("---\n\n", "标签: [惠企政策,\n  企业]\n---\n\n"))
    built.build_ok()
    assert "惠企政策" in built.page("zcwj/ok/").get_text()


# --------------------------------------------------------------------------- root causes first


def test_a_broken_policy_is_reported_first_and_references_to_it_as_consequences(built):
    from test_interpretations import INTERP_COLUMNS, interpretation

    built.write("site.yaml", SITE_YAML + INTERP_COLUMNS)
    broken = policy(标题="被解读的办法", 索引号="000014349/2023-00007").replace("文种: 其他文件", "文种：其他文件")
    built.write("policies/banfa.md", broken)
    built.write("interpretations/jd.md", interpretation(解读文件="[banfa]"))
    built.write("interpretations/jd2.md", interpretation(标题="另一篇解读", 解读文件='["000014349/2023-00007"]'))
    built.policy("new", 标题="新办法", 替代=["banfa"], body="见[旧办法](banfa.md)。")
    err = fails(built, file="interpretations/jd.md", line=4, code="unknown-reference")
    lines = err.splitlines()
    cause = next(n for n, l in enumerate(lines) if l.startswith("content/policies/banfa.md:"))
    consequences = [n for n, l in enumerate(lines) if "有错误（见上文）" in l]
    assert len(consequences) == 4, err  # 解读文件 by id and by 索引号, 替代, the body's link
    assert cause < min(consequences)
    assert all(lines[n].endswith("指向 content/policies/banfa.md，该文件有错误（见上文），所以无法引用")
               for n in consequences), err
    assert {lines[n].split(": ")[0] for n in consequences} == {
        "content/interpretations/jd.md:4", "content/interpretations/jd2.md:4", "content/policies/new.md:9",
        f"content/policies/new.md:{line_of(policy(替代=['banfa'], body='见[旧办法](banfa.md)。'), '见[旧办法]')}"}
    assert "未知的政策文件" not in err and "未知的文件" not in err and "没有指向已发布的页面" not in err
    assert "构建失败：5 个错误（其中 4 个由其他文件的错误引起），" in err
    consequence = next(d for d in built.printed if d.path.endswith("jd.md") and d.line == 4)
    assert consequence.cause == "content/policies/banfa.md"


def test_a_reference_to_a_file_that_does_not_exist_is_still_unknown(built):
    built.write("policies/bad.md", policy(替代=["banfa"]))
    err = fails(built, "替代：未知的文件“banfa”", file="policies/bad.md", line=9, code="unknown-reference")
    assert "有错误（见上文）" not in err


def test_a_message_given_in_english_is_expected_in_chinese(built):
    built.write("policies/bad.md", policy(替代=["no-such-doc"]))
    err = fails(built, "替代: unknown document 'no-such-doc'", file="policies/bad.md", line=9)
    assert "替代：未知的文件“no-such-doc”" in err and "unknown document" not in err
