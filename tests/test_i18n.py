"""The message catalogue: every message the code can show has its Chinese, read right, in the right language.

The English texts in the code are the msgids of ``generator/i18n/zh_CN.po``. These tests read the
source for every message (as xgettext does) and fail when one has no translation — so a message added on
another branch is found at merge, not shown in English to editors.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import run_cli
from generator import i18n
from generator.errors import Diagnostic, Level, Report
from generator.i18n.catalogue import CATALOGUE_PATH, Catalogue, _first, normalize, parse_po, split
from generator.i18n.extract import templates


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(CATALOGUE_PATH)


def test_every_message_of_the_code_has_a_chinese_translation(catalogue):
    missing = sorted({f"{t.path}:{t.line}: {t.text}" for t in templates() if normalize(t.text) not in catalogue.keys})
    assert not missing, (f"{len(missing)} message(s) without a translation; run "
                         "`python -m generator.i18n.extract --add` and translate them in generator/i18n/zh_CN.po:\n"
                         + "\n".join(missing))
    assert not catalogue.untranslated, f"entries with an empty (or fuzzy) msgstr: {catalogue.untranslated}"


def test_each_msgid_is_in_the_catalogue_once():
    keys = [normalize(msgid) for msgid, _, _, _ in parse_po(CATALOGUE_PATH.read_text(encoding="utf-8"))]
    assert len(keys) == len(set(keys)), sorted(k for k in set(keys) if keys.count(k) > 1)


def test_entries_are_offered_by_the_first_character_they_write_before_any_is_compiled(catalogue):
    """A text is tried only against the entries that can start with its first character; which those are is
    known from the msgid alone, so that a command compiles only the entries its messages could be."""
    fresh = Catalogue.load(CATALOGUE_PATH)
    assert not fresh._compiled
    assert [_first(e.msgid) for e in catalogue.entries] == [e.prefix[:1] for e in catalogue.entries]
    assert fresh.translate("content folder not found: site") is not None
    assert 0 < len(fresh._compiled) < len(catalogue.entries) / 2


def test_every_translation_shows_every_value_of_its_message(catalogue):
    lost = []
    for e in catalogue.entries:
        used = {p for p in e.output if not isinstance(p, str)}
        lost += [f"{e.msgid} → {e.msgstr}: {name}" for i, name in enumerate(e.names)
                 if i not in used and not any(e.names[j] == name for j in used)]
    assert not lost, "\n".join(lost)


def _sample(msgid: str) -> str:
    """The msgid with each placeholder filled by a distinct value no entry translates."""
    out, n = [], 0
    for p in split(msgid):
        if isinstance(p, str):
            out.append(p)
        else:
            out.append(f"'甲{n}'" if p[0].endswith("!r") else f"甲{n}")
            n += 1
    return "".join(out)


def test_no_message_is_read_as_another_one(catalogue):
    """Each message, made from its own template, is translated by its own entry (or one that says the same)."""
    wrong = []
    for e in catalogue.entries:
        if not e.words:
            continue  # "{key}: {message}" joins translated messages: see the next test
        text = _sample(e.msgid)
        chosen = catalogue.reading(text)
        if chosen is not e and (chosen is None or chosen.msgstr != e.msgstr):
            wrong.append(f"{text!r}: read as {chosen.msgid if chosen else None!r}, not {e.msgid!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("english,chinese", [
    ("unknown field '发文机关' in policy front matter", "政策文件的字段区中有未知字段“发文机关”"),
    ("did you mean '发布机构'?", "是否应为“发布机构”？"),
    # a message inside a message, a label and a type name inside that
    ("标题: expected text (one line), got a list", "标题：应为文字（单行），实际是列表"),
    ("build failed: 2 error(s), 1 warning(s); nothing was written", "构建失败：2 个错误，1 个警告；未写入任何文件"),
    # a path is shown as it is, even when it is a word the catalogue knows
    ("error: content folder not found: site", "错误：找不到内容文件夹：site"),
    ("error: No space left on device: /srv/output", "错误：磁盘空间不足：/srv/output"),
    # the key an editor wrote stays as written
    ("policy: 'zcwj/{id}/' is not a URL pattern with {id} (and {year}), ending in '/'",
     "policy：“zcwj/{id}/”不是含 {id}（可含 {year}）并以“/”结尾的网址格式"),
    # Chinese next to Latin words gets a space, next to “quotes” none
    ("'惠企政策，企业' is not a tag from vocabularies.tags", "“惠企政策，企业”不是 site.yaml 中 vocabularies.tags 所列的标签"),
    ("YAML syntax error: found character '\\t' that cannot start any token", "YAML 语法错误：出现了不能作为开头的 Tab 字符"),
    # an HTML tag is spaced as a Latin word
    ("raw HTML <base> or <meta> is removed", "原始 HTML <base> 或 <meta> 已被删除"),
    # a refused field's message is formatted with its key after the catalogue's template was written
    ("'答复内容' is not a front-matter field: the answer (答复内容) is the text below the front matter",
     "“答复内容”不能写成字段：答复内容应写在字段区下面，作为正文"),
    ("remove the `姓名:` line; the writer's details stay in the message system, and 留言摘要 and the answer name no one",
     "删除 `姓名:` 这一行；留言人的信息只保存在留言系统中，留言摘要和答复都不写任何人的姓名"),
    # a vocabulary's label inside a field's message: the field's key stays outside it
    ("主题: '公共文化' is not a Q&A topic from vocabularies.qa_topics",
     "主题：“公共文化”不是 site.yaml 中 vocabularies.qa_topics 所列的问答主题"),
    # a value quoted in the code (!r) is quoted in Chinese too
    ("正式文件: unknown policy document 'nope'", "正式文件：找不到政策文件“nope”"),
    ("inspection passed for 2027-03-01: 0 error(s), 1 warning(s); report: out/inspection/index.html and "
     "out/inspection/report.json",
     "自查通过（检查日期 2027-03-01）：0 个错误，1 个警告；报告：out/inspection/index.html 和 out/inspection/report.json"),
])
def test_messages_read_in_chinese(english, chinese):
    assert i18n.translate(english, i18n.CHINESE) == chinese
    assert i18n.translate(english, i18n.ENGLISH) == english


@pytest.mark.parametrize("text", ["", "a message nobody wrote", "{}", "{0} {x!r}", "甲" * 10_000, "x: " * 500,
                                  "'unclosed quote is not a date", "\"' is not a date"])
def test_a_message_without_an_entry_stays_as_it_is(text):
    assert i18n.translate(text, i18n.CHINESE) in (text, i18n.translate(text, i18n.CHINESE))
    assert isinstance(i18n.translate(text, i18n.CHINESE), str)
    if text in ("", "a message nobody wrote", "{}", "{0} {x!r}"):
        assert i18n.translate(text, i18n.CHINESE) == text


def test_a_diagnostic_is_formatted_in_either_language():
    d = Diagnostic(Level.ERROR, "content/policies/a.md", 9, "unknown field '发文机关' in policy front matter",
                   "did you mean '发布机构'?", "unknown-field")
    assert d.format() == ("content/policies/a.md:9: error: unknown field '发文机关' in policy front matter\n"
                          "    hint: did you mean '发布机构'?")
    assert d.format("zh-CN") == ("content/policies/a.md:9: 错误：政策文件的字段区中有未知字段“发文机关”\n"
                                 "    提示：是否应为“发布机构”？")
    assert i18n.translated(d, "zh-CN").code == "unknown-field"


# --------------------------------------------------------------------------- which language


@pytest.mark.parametrize("environ,lang", [
    ({}, "zh-CN"),
    ({"LANG": "C.UTF-8"}, "zh-CN"),
    ({"LANG": "POSIX"}, "zh-CN"),
    ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh-CN"),
])
def test_the_language_comes_from_the_locale(environ, lang):
    assert i18n.from_environment(environ) == lang


@pytest.mark.parametrize("written,lang", [("zh-CN", "zh-CN"), ("zh_CN", "zh-CN"), ("zh", "zh-CN"),
                                          ("en", "en"), ("en-US", "en"), ("fr", None)])
def test_lang_option_values(written, lang):
    assert i18n.language(written) == lang


def _bad_site(site):
    site.lang = None  # no --lang: the default decides
    site.policy("bad", 发文机关="x")


def test_the_command_line_speaks_chinese_by_default(site, monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    _bad_site(site)
    err = site.run("check").stderr
    assert "content/policies/bad.md:9: 错误：政策文件的字段区中有未知字段“发文机关”" in err
    assert "检查未通过：1 个错误，0 个警告；未写入任何文件" in err


def test_an_english_locale_speaks_english_and_lang_overrides_it(site, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    _bad_site(site)
    assert "check failed: 1 error(s), 0 warning(s); nothing was written" in site.run("check").stderr
    assert "检查未通过" in site.run("check", "--lang", "zh-CN").stderr


def test_an_unknown_language_is_a_usage_error(site):
    result = site.run("check", "--lang", "fr")
    assert result.returncode == 2 and "'fr' is not a language of the messages; use zh-CN or en" in result.stderr


def test_new_says_what_it_created_in_chinese(site):
    site.lang = "zh-CN"
    result = site.run("new", "policy", "关于测试的通知", "--content", str(site.content), "--today", "2026-12-07")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"已创建 \S+/policies/2026-\d+\.md\n", result.stdout), result.stdout
    usage = site.run("new", "nonsense", "标题", "--content", str(site.content))
    assert usage.returncode == 2 and "错误：未知的内容类型“nonsense”；可选：policy" in usage.stderr


def test_the_build_summary_is_chinese(site):
    site.lang = "zh-CN"
    site.policy("a")
    result = site.build_ok()
    assert re.fullmatch(r"已构建 \S+：写入 \d+ 个页面，沿用 0 个，读取 1 个文件，0 个警告，用时 [\d.]+ 秒\n",
                        result.stdout), result.stdout


# --------------------------------------------------------------------------- serve and its overlay


def test_serve_prints_and_overlays_a_failed_build_in_its_language(tmp_path):
    import io

    from generator.commands.build import BuildOptions
    from generator.commands.serve import SiteBuilder
    from generator.errors import ContentError
    from generator.live_state import LiveState
    from generator.livereload import overlay_html

    report = Report()
    report.error("content/policies/a.md", 9, "unknown field '发文机关' in policy front matter",
                 "did you mean '发布机构'?", "unknown-field")

    def failing(options):
        raise ContentError(report)

    out, err = io.StringIO(), io.StringIO()
    status = SiteBuilder(BuildOptions(lang="zh-CN"), LiveState(), out=out, err=err, build_fn=failing)()
    assert "content/policies/a.md:9: 错误：政策文件的字段区中有未知字段“发文机关”" in err.getvalue()
    assert "构建失败：1 个错误，0 个警告；仍在提供上一次成功构建的网站" in err.getvalue()
    assert status.summary == "构建失败：1 个错误，0 个警告"
    html = overlay_html(status)
    assert 'lang="zh-CN"' in html and "构建失败 · 构建失败：1 个错误" in html
    assert "政策文件的字段区中有未知字段“发文机关”" in html and "提示：是否应为“发布机构”？" in html
    assert '<span class="zwgk-level">错误</span>' in html
    english = overlay_html(SiteBuilder(BuildOptions(lang="en"), LiveState(), out=out, err=err, build_fn=failing)())
    assert 'lang="en"' in english and "hint: did you mean" in english and "Build failed" in english


# --------------------------------------------------------------------------- the extractor


NEW_MODULE = '''
from ..errors import Report, UsageError

_HINT = "a hint kept in a module constant"


class BadThing(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)


def check(report: Report, scope, path, value):
    report.error(path, 3, f"the 索引号 {value!r} breaks a new rule", "write it like 2026-00001", code="new-rule")
    scope.warning(4, "a warning " + value, hint=_HINT)
    problem = "one thing" if value else "another thing"
    report.warning(path, 5, f"{problem} is wrong", _why(value))
    raise UsageError(f"a usage error about {value}")


def _why(value):
    return "because it is" if value else ""


def deeper(value):
    raise BadThing(f"raised with {value}", "and its hint")
'''


def test_the_extractor_finds_the_messages_new_code_adds(tmp_path):
    package = tmp_path / "generator"
    (package / "documents").mkdir(parents=True)
    (package / "errors.py").write_text(textwrap.dedent('''
        class Report:
            def error(self, path, line, message, hint="", code=""): ...
            def warning(self, path, line, message, hint="", code=""): ...
        class Scope:
            def warning(self, line, message, hint="", code=""): ...
        class GeneratorError(Exception): ...
        class UsageError(GeneratorError): ...
    '''), encoding="utf-8")
    (package / "documents" / "newtype.py").write_text(NEW_MODULE, encoding="utf-8")
    found = {t.text for t in templates(package)}
    assert {"the 索引号 {value!r} breaks a new rule", "write it like 2026-00001", "a warning {value}",
            "a hint kept in a module constant", "one thing", "another thing", "{problem} is wrong", "because it is",
            "a usage error about {value}", "raised with {value}", "and its hint"} <= found, found


# --------------------------------------------------------------------------- the README's example


def test_the_readme_shows_what_the_build_prints(site):
    """The Chinese example of README.md "Command line" is the output of this site, line for line."""
    from conftest import ROOT, SITE_YAML, policy
    from test_interpretations import INTERP_COLUMNS, interpretation

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("in Chinese unless `--lang en` (see above):\n\n```\n", 1)[1].split("```", 1)[0]
    site.lang = "zh-CN"
    site.write("site.yaml", SITE_YAML + INTERP_COLUMNS)
    site.policy("bad", 发文机关="测试市文化和旅游局")
    site.write("policies/banfa.md", policy(标题="被解读的办法").replace("文种: 其他文件", "文种：其他文件"))
    site.policy("old", 标题="旧", 发布日期="2019-01-02", 成文日期="2019-01-02")
    site.policy("new", 标题="新", 替代=["old"])
    site.write("interpretations/jd.md", interpretation(解读文件="[banfa]"))
    result = site.build()
    assert result.returncode == 1
    assert result.stderr == block
    english = site.run("build", "--lang", "en").stderr
    shown = readme.split("The same with `--lang en`:\n\n```\n", 1)[1].split("```", 1)[0].splitlines()
    assert all(line in english.splitlines() for line in shown if line != "…"), english


def test_the_commands_print_nothing_untranslated():
    """A command prints text through ``i18n.translate`` (``say``): a literal printed as it is stays English."""
    import ast

    from conftest import ROOT

    raw = []
    for path in [ROOT / "generator" / "cli.py", *sorted((ROOT / "generator" / "commands").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print" and node.args \
                    and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)):
                raw.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not raw, f"printed without translation: {raw}"


def test_inspect_lays_out_and_says_its_findings_in_chinese(site):
    from conftest import SITE_YAML, line_of

    site.lang = "zh-CN"
    site.write("site.yaml", SITE_YAML + "inspection:\n  severity: {stale-colum: error}\n")
    site.policy("a")
    result = site.run("inspect", "--content", str(site.content), "--output", str(site.output),
                      "--report", str(site.root / "report"), "--today", "2026-12-07")
    line = line_of(SITE_YAML + "inspection:\n  severity: {stale-colum: error}\n", "severity:")
    assert f"site.yaml:{line}: 错误：[build] inspection.severity：未知的规则“stale-colum”\n" \
           "    提示：是否应为“stale-column”？\n" in result.stderr, result.stderr
    assert re.search(r"^自查未通过（检查日期 2026-12-07）：\d+ 个错误，\d+ 个警告；报告：\S+index.html 和 \S+report.json$",
                     result.stdout, re.M), result.stdout
    english = site.run("inspect", "--content", str(site.content), "--output", str(site.output),
                       "--report", str(site.root / "report"), "--today", "2026-12-07", "--lang", "en")
    assert f"site.yaml:{line}: error: [build] inspection.severity: unknown rule 'stale-colum'\n" \
           "    hint: did you mean 'stale-column'?\n" in english.stderr, english.stderr
    assert "inspection failed for 2026-12-07: " in english.stdout


def test_a_withdrawal_list_problem_points_to_the_editors_guide(site):
    site.lang = "zh-CN"
    site.policy("a")
    site.write("withdrawn.yaml", "索引号: x\n")
    err = site.run("check").stderr
    assert "withdrawn.yaml:1: 错误：withdrawn.yaml 必须是撤销记录的列表\n" \
           "    提示：每条记录以“- 索引号: …”开头（见 docs/编辑指南.md 的“撤销文件”一节）" in err, err
    from conftest import ROOT
    assert "### 撤销文件" in (ROOT / "docs" / "编辑指南.md").read_text(encoding="utf-8")
