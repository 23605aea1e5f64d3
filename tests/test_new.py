"""`new` starts a file with every field (never a guess for one that files the document), and the file builds."""

from __future__ import annotations

import datetime as dt
import re

from conftest import line_of
from generator.documents.policy import POLICY_SCHEMA


def test_new_policy_has_every_field_and_the_next_index_number(site):
    year = dt.date.today().year  # `new` numbers within the current year
    site.policy("a", 索引号=f"000014349/{year}-00007", 发布日期=f"{year}-01-05", 成文日期=f"{year}-01-05")
    result = site.run("new", "policy", f"关于做好{year}年文旅工作的通知", "--content", str(site.content))
    assert result.returncode == 0, result.stderr
    created = site.content / "policies" / f"{year}-00008.md"
    assert created.exists(), result.stdout
    text = created.read_text(encoding="utf-8")
    keys = set(re.findall(r"^([^#\s][^:\n]*):", text, re.M))
    assert {f.key for f in POLICY_SCHEMA.fields} <= keys
    assert f"索引号: 000014349/{year}-00008" in text
    assert text.count("\n# ") >= len(POLICY_SCHEMA.fields) - 6  # fields are explained in comments
    # Until the editor chooses them, the vocabulary fields fail the build; then it builds once the body is written.
    assert site.build().returncode == 1
    for key, value in (("发布机构", "测试市文化和旅游局"), ("主题分类", "综合政务"), ("文种", "其他文件"), ("有效性", "现行有效")):
        text = text.replace(f"\n{key}:\n", f"\n{key}: {value}\n")
    created.write_text(text.replace("<!-- 在此处撰写正文（Markdown 格式），并删除本行。 -->", "正文。"), encoding="utf-8")
    site.build_ok()
    assert f"关于做好{year}年文旅工作的通知" in site.page(f"zcwj/{year}-00008/").h1.get_text()


def test_new_refuses_to_overwrite(site):
    first = site.run("new", "policy", "甲", "--content", str(site.content), "--slug", "jia")
    assert first.returncode == 0
    again = site.run("new", "policy", "乙", "--content", str(site.content), "--slug", "jia")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert "甲" in (site.content / "policies" / "jia.md").read_text(encoding="utf-8")


def test_new_rejects_an_unknown_type(site):
    assert site.run("new", "memo", "甲", "--content", str(site.content)).returncode == 2


def _keys(text: str) -> set[str]:
    return set(re.findall(r"^([^#\s-][^:\n]*):", text, re.M))


def test_new_interpretation_has_every_field_and_builds_once_filled(site):
    from generator.documents.interpretation import INTERPRETATION_SCHEMA

    site.policy("p", 标题="测试办法", 发布日期="2026-01-05", 成文日期="2026-01-05", 索引号="000014349/2026-00001")
    result = site.run("new", "interpretation", "《测试办法》解读", "--content", str(site.content), "--slug", "jd")
    assert result.returncode == 0, result.stderr
    path = site.content / "interpretations" / "jd.md"
    text = path.read_text(encoding="utf-8")
    assert {f.key for f in INTERPRETATION_SCHEMA.fields} <= _keys(text)
    failed = site.build()
    assert failed.returncode == 1 and "interpretations/jd.md:" in failed.stderr  # 解读文件 and the body are missing
    text = text.replace("解读文件: []", "解读文件: [p]").replace("\n形式:\n", "\n形式: 文字\n")
    text = text.replace(f"发布日期: {dt.date.today().isoformat()}", "发布日期: 2026-01-05")
    text = text.replace("<!-- 文字解读在此处撰写正文（Markdown 格式），并删除本行；其他形式可只写简短导语。 -->", "解读正文。")
    path.write_text(text, encoding="utf-8")
    site.build_ok()
    assert site.page("zcwj/p/").select_one("section.interpretations a")["href"] == "../../zcjd/jd/"


def test_new_institution_lists_every_field_and_names_what_is_missing(site):
    from generator.documents.institution import INSTITUTION_SCHEMA

    result = site.run("new", "institution", "测试图书馆", "--content", str(site.content), "--slug", "ceshi")
    assert result.returncode == 0, result.stderr
    text = (site.content / "institutions" / "ceshi.yaml").read_text(encoding="utf-8")
    assert {f.key for f in INSTITUTION_SCHEMA.fields} <= _keys(text)
    assert "名称: \"测试图书馆\"" in text
    check = site.run("check")
    assert check.returncode == 1
    for field in ("类别", "资质或等级", "业务范围", "服务区域", "地址", "所在区县", "办公时间", "联系电话"):
        assert f"field '{field}' is empty" in check.stderr, field
    assert site.run("new", "institution", "无名", "--content", str(site.content)).returncode == 2  # needs --slug


def test_new_counts_index_numbers_of_every_content_type(site):
    from test_annual_report import VALID as REPORT

    year = dt.date.today().year
    site.policy("a", 索引号=f"000014349/{year}-00003")
    report = re.sub(r"^(索引号|index_no):.*$", f"索引号: 000014349/{year}-00009", REPORT, count=1, flags=re.M)
    assert f"{year}-00009" in report
    site.write("annual-reports/2023.yaml", report)
    result = site.run("new", "policy", "又一个通知", "--content", str(site.content))
    assert result.returncode == 0, result.stderr
    assert (site.content / "policies" / f"{year}-00010.md").exists(), result.stdout


def test_a_file_where_the_folder_should_be_is_an_error_not_a_traceback(site):
    site.write("institutions", "not a folder")
    result = site.run("new", "institution", "测试图书馆", "--content", str(site.content), "--slug", "tsg")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.startswith("error: ") and "institutions" in result.stderr


def test_new_policy_leaves_the_vocabulary_fields_empty_and_the_build_names_each(site):
    assert site.run("new", "policy", "关于做好文旅工作的通知", "--content", str(site.content), "--slug", "tz").returncode == 0
    text = (site.content / "policies/tz.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    allowed = {"发布机构": ["测试市文化和旅游局", "测试市人民政府"], "主题分类": ["综合政务", "文化、广电、新闻出版", "商贸、海关、旅游"],
               "文种": ["法律", "规范性文件", "其他文件"], "有效性": ["现行有效", "已修改", "失效", "废止"]}
    for key, values in allowed.items():
        n = lines.index(f"{key}:")  # empty: no guess that would file the document in some column
        assert lines[n - 1].startswith(f"# *{key}") and all(v in lines[n - 1] for v in values), lines[n - 1]
    result = site.run("check")
    assert result.returncode == 1
    for key, values in allowed.items():
        line = lines.index(f"{key}:") + 1
        assert f"content/policies/tz.md:{line}: error: field '{key}' is empty" in result.stderr, result.stderr
        hint = result.stderr.split(f"tz.md:{line}: error: field '{key}' is empty\n")[1].splitlines()[0]
        assert all(v in hint for v in values), hint


def test_new_interpretation_leaves_its_form_empty(site):
    site.policy("p")
    assert site.run("new", "interpretation", "解读", "--content", str(site.content), "--slug", "jd").returncode == 0
    text = (site.content / "interpretations/jd.md").read_text(encoding="utf-8")
    assert "\n形式:\n" in text and all(form in text for form in ("文字", "图片", "视频", "音频", "动漫"))
    result = site.run("check")
    assert f"content/interpretations/jd.md:{line_of(text, '形式:')}: error: field '形式' is empty" in result.stderr
