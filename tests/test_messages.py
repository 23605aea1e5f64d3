"""Published citizen messages (网民留言选登): the list and the pages, the working days an answer took, the
reply time limit, and what a published message must never carry (the writer's personal data)."""

from __future__ import annotations

import pytest

from conftest import SITE_YAML, line_of, texts

MESSAGES_YAML = SITE_YAML + """\
  - slug: wmly
    name: 网民留言选登
    list: {type: message}
"""

FIELDS = {
    "留言标题": "建议延长图书馆开放时间",
    "留言摘要": "网民建议周末延长开放到晚上九点。",
    "留言日期": "2025-03-02",
    "受理日期": "2025-03-03",
    "答复日期": "2025-03-06",
    "答复部门": "测试市文化和旅游局公共服务处",
}


def message(answer: str = "感谢您的建议，自下月起周末开放到21:00。", **fields) -> str:
    meta = {**FIELDS, **fields}
    lines = [f"{k}: {v}" for k, v in meta.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + answer + "\n"


@pytest.fixture
def msite(site):
    site.write("site.yaml", MESSAGES_YAML)
    site.policy("p")
    return site


def build_at(site, today: str = "2025-06-30", *extra: str):
    return site.build("--today", today, *extra)


def located(result, path: str, line: int, *words: str, level: str = "error") -> str:
    err = result.stderr
    assert "Traceback" not in err
    lines = [l for l in err.splitlines() if f"{path}:{line}: {level}:" in l]
    assert lines, err
    for word in words:
        assert word in err, err
    return err


def test_the_list_shows_dates_office_and_days_taken_newest_answer_first(msite):
    msite.write("messages/a.md", message())
    msite.write("messages/b.md", message(留言标题="咨询非遗补助", 留言日期="2025-04-01", 受理日期="2025-04-01",
                                         答复日期="2025-04-01"))
    assert build_at(msite).returncode == 0
    page = msite.page("wmly/")
    items = page.select(".doc-list .message-item")
    assert texts(i.select_one(".doc-title") for i in items) == ["咨询非遗补助", "建议延长图书馆开放时间"]
    meta = " ".join(texts(items[1].select(".doc-item-meta span")))
    assert "受理日期： 2025-03-03" in meta and "答复日期： 2025-03-06" in meta
    assert "答复部门：测试市文化和旅游局公共服务处" in meta and "办理用时：3个工作日" in meta
    assert "办理用时：当日答复" in items[0].get_text()
    assert items[1].select_one(".message-excerpt").get_text() == "网民建议周末延长开放到晚上九点。"


def test_a_message_page_has_every_listed_field_and_the_answer(msite):
    msite.write("messages/a.md", message())
    assert build_at(msite).returncode == 0
    page = msite.page("wmly/a/")
    assert page.h1.get_text() == "建议延长图书馆开放时间"
    rows = {dt.get_text(): dd.get_text(" ", strip=True) for dt, dd in
            zip(page.select(".doc-meta dt"), page.select(".doc-meta dd"))}
    assert rows == {"留言日期": "2025-03-02", "受理日期": "2025-03-03", "答复日期": "2025-03-06",
                    "办理用时": "3个工作日", "答复部门": "测试市文化和旅游局公共服务处"}
    assert texts(page.select("main h2")) == ["留言摘要", "答复内容"]
    assert "自下月起周末开放到21:00" in page.select_one(".message-reply").get_text()


def test_working_days_skip_the_spring_festival_and_follow_site_calendar_corrections(msite):
    # 2025-01-24 (Fri) → 2025-02-07 (Fri): 26 Jan is a 调休 working Sunday, 28 Jan–4 Feb are holidays.
    msite.write("messages/a.md", message(留言日期="2025-01-23", 受理日期="2025-01-24", 答复日期="2025-02-07"))
    result = build_at(msite, "2025-06-30", "--strict")
    assert result.returncode == 0, result.stderr  # 5 working days: within the default limit
    assert msite.page("wmly/a/").find("dt", string="办理用时").find_next("dd").get_text() == "5个工作日"
    msite.write("site.yaml", MESSAGES_YAML + "calendar:\n  workdays: [2025-02-03]\n")
    result = build_at(msite)
    assert result.returncode == 0
    assert "answered 6 working days after 受理日期" in result.stderr


def test_a_late_answer_is_a_located_warning_and_the_limit_comes_from_site_yaml(msite):
    text = message(受理日期="2025-03-03", 答复日期="2025-03-11")  # 6 working days
    msite.write("messages/a.md", text)
    result = build_at(msite)
    assert result.returncode == 0
    err = located(result, "messages/a.md", line_of(text, "答复日期"), "answered 6 working days after 受理日期",
                  "the time limit is 5", level="warning")
    assert "messages.reply_limit" in err
    assert build_at(msite, "2025-06-30", "--strict").returncode == 1
    msite.write("site.yaml", MESSAGES_YAML + "messages:\n  reply_limit: 10\n")
    result = build_at(msite, "2025-06-30", "--strict")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key", ["姓名", "留言人", "联系电话", "手机号", "身份证号", "Email"])
def test_a_field_for_the_writers_personal_data_is_refused_with_the_reason(msite, key):
    text = message(**{key: "某某"})
    msite.write("messages/a.md", text)
    result = build_at(msite)
    assert result.returncode == 1
    err = located(result, "messages/a.md", line_of(text, key + ":"), f"{key!r} would publish the writer's personal data",
                  "条例 第十五条")
    assert "unknown field" not in err
    assert f"remove the `{key}:` line" in err


def test_a_personal_id_number_in_a_message_is_a_located_error_with_a_hint(msite):
    text = message(留言摘要="网民（身份证号360402199001011236）反映图书馆周末闭馆太早。")
    msite.write("messages/a.md", text)
    result = build_at(msite)
    assert result.returncode == 1
    err = located(result, "messages/a.md", line_of(text, "留言摘要"), "possible a resident ID number", "3604")
    assert "360402199001011236" not in err  # masked in the log
    assert "hint: remove it: a published message never identifies its writer" in err


def test_a_mobile_number_in_the_answer_is_an_error_here_not_a_warning(msite):
    text = message(answer="已电话联系您（13807921234）并当面说明。")
    msite.write("messages/a.md", text)
    result = build_at(msite)
    assert result.returncode == 1
    located(result, "messages/a.md", line_of(text, "已电话联系"), "possible a mobile number")


def test_a_privacy_exception_is_refused_and_does_not_hide_the_finding(msite):
    text = message(留言摘要="证件号360402199001011236。") + ""
    text = text.replace("---\n\n", "隐私审查: {允许: [身份证号], 审查人: 张三, 审查日期: 2025-03-01, 说明: 同意}\n---\n\n", 1)
    msite.write("messages/a.md", text)
    result = build_at(msite)
    assert result.returncode == 1
    located(result, "messages/a.md", line_of(text, "隐私审查"), "a published message takes no 隐私审查 exception")
    located(result, "messages/a.md", line_of(text, "留言摘要"), "possible a resident ID number")


def test_dates_out_of_order_and_dates_after_the_build_date_are_located_errors(msite):
    text = message(留言日期="2025-03-05", 受理日期="2025-03-03")
    msite.write("messages/a.md", text)
    located(build_at(msite), "messages/a.md", line_of(text, "受理日期"), "受理日期 2025-03-03 is before 留言日期 2025-03-05")
    text = message()
    msite.write("messages/a.md", text)
    result = build_at(msite, "2025-03-05")
    located(result, "messages/a.md", line_of(text, "答复日期"), "答复日期 2025-03-06 is after the build date 2025-03-05",
            "--today")
    assert build_at(msite, "2025-03-06").returncode == 0


def test_the_answer_belongs_below_the_front_matter(msite):
    text = message(answer="", 答复内容="写在了这里。")
    msite.write("messages/a.md", text)
    result = build_at(msite)
    err = located(result, "messages/a.md", line_of(text, "答复内容"), "'答复内容' is not a front-matter field")
    assert "the message has no answer" in err


def test_new_message_writes_every_field_and_builds_once_answered(msite):
    from test_new import _keys

    from generator.documents.message import MESSAGE_SCHEMA

    result = msite.run("new", "message", "关于景区停车的建议", "--content", str(msite.content), "--today", "2025-06-03")
    assert result.returncode == 0, result.stderr
    path = msite.content / "messages" / "2025-001.md"
    text = path.read_text(encoding="utf-8")
    assert {f.key for f in MESSAGE_SCHEMA.fields} <= _keys(text)
    assert "姓名" not in _keys(text)
    check = msite.run("check", "--today", "2025-06-03")
    assert check.returncode == 1 and "field '留言摘要' is empty" in check.stderr
    assert "the message has no answer" in check.stderr
    text = text.replace("留言摘要:\n", "留言摘要: 建议增加停车位。\n")
    text = text.replace("<!-- 在此处撰写答复内容（Markdown 格式），并删除本行。 -->", "已协调增加停车位。")
    path.write_text(text, encoding="utf-8")
    assert build_at(msite, "2025-06-03").returncode == 0
    assert msite.page("wmly/2025-001/").h1.get_text() == "关于景区停车的建议"
