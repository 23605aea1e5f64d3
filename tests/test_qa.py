"""The policy Q&A library (政策问答库): the Q&A page, entry pages, policy pages, search, and bad input.

Each test builds a small site through the CLI and looks at what a reader sees (the HTML) or what an
editor sees (the located diagnostics).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from conftest import SITE_YAML, line_of, texts

QA_YAML = SITE_YAML.replace("listing:\n", "  qa_topics: [非遗保护, 公共文化]\nlisting:\n") + """\
  - slug: zmhd
    name: 政民互动
    children:
      - slug: zcwd
        name: 政策问答库
        list: {type: qa}
        empty_reason: 暂无问答。
  - slug: zcjd
    name: 政策解读
    list: {type: interpretation}
    empty_reason: 暂无解读。
messages:
  url: "https://liuyan.example.gov.cn/new?title={title}&from={url}&no={index_no}"
"""


def entry(question: str, answer: str = "答复正文。", **fields) -> str:
    meta = {"问题": question, "主题": "非遗保护", "答复机构": "测试市文化和旅游局非遗处", "日期": "2025-03-01", **fields}
    lines = [f"{k}: {v}" for k, v in meta.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + answer + "\n"


def interpretation(*qa: tuple[str, str]) -> str:
    """A text interpretation of the site's policy with these 简明问答."""
    items = "".join(f"  - {{问: {q}, 答: {a}}}\n" for q, a in qa)
    return ("---\n标题: 专项资金办法解读\n形式: 文字\n解读文件: [feiyi-banfa]\n发布日期: 2023-04-03\n"
            f"解读机构: 测试市文化和旅游局\n索引号: 000014349/2023-00107\n简明问答:\n{items}---\n\n解读正文。\n")


def qa_site(site, **yaml_changes):
    text = QA_YAML
    for old, new in yaml_changes.items():
        text = text.replace(old, new)
    site.write("site.yaml", text)
    site.policy("feiyi-banfa", 标题="测试市非遗保护专项资金管理办法", 索引号="000014349/2023-00007")
    return site


def test_the_qa_page_groups_entries_by_topic_in_vocabulary_order_newest_first(site):
    qa_site(site)
    site.write("qa/a.md", entry("传承人补助是多少？", "每人每年8000元。", 日期="2024-05-01", 相关政策="[feiyi-banfa]"))
    site.write("qa/b.md", entry("图书馆几点开门？", "周二至周日9点。", 主题="公共文化", 日期="2025-01-01"))
    site.write("qa/c.md", entry("非遗工坊能申请资金吗？", "可以。", 日期="2025-02-01"))
    site.build_ok()
    page = site.page("zmhd/zcwd/")
    assert "tpl-qa-library" in page.body["class"]
    groups = page.select("section.qa-group")
    assert [g.h2.get_text() for g in groups] == ["非遗保护", "公共文化"]  # the vocabulary's order, not A–Z
    assert texts(groups[0].select("article h3")) == ["非遗工坊能申请资金吗？", "传承人补助是多少？"]
    first = groups[0].select("article")[1]
    assert "每人每年8000元。" in first.get_text()
    assert first.select_one("h3 a")["href"] == "../../zcwd/a/"
    assert first.select_one(".doc-item-meta a")["href"] == "../../zcwj/feiyi-banfa/"
    nav = page.select(".qa-nav a")
    assert [a["href"] for a in nav] == ["#" + g["aria-labelledby"] for g in groups]


def test_an_entry_page_and_the_policy_page_link_each_other(site):
    qa_site(site)
    site.write("qa/a.md", entry("传承人补助是多少？", "每人每年**8000元**。", 相关政策="[000014349/2023-00007]"))
    site.build_ok()
    page = site.page("zcwd/a/")
    assert page.h1.get_text() == "传承人补助是多少？"
    assert page.select_one(".doc-body strong").get_text() == "8000元"
    assert page.select_one(".doc-meta a")["href"] == "../../zmhd/zcwd/#topic-1"  # its topic on the Q&A page
    assert page.select_one(".relations a")["href"] == "../../zcwj/feiyi-banfa/"  # found by 索引号
    policy = site.page("zcwj/feiyi-banfa/")
    consult = policy.select_one("section.policy-consult")
    assert consult.select_one(".qa-questions a")["href"] == "../../zcwd/a/"


def test_the_message_link_carries_the_policy_title_and_address_percent_encoded(site):
    qa_site(site)
    site.build_ok()
    link = site.page("zcwj/feiyi-banfa/").select_one(".message-board a")
    assert link.get_text() == "留言"
    href = urlsplit(link["href"])
    assert (href.scheme, href.netloc, href.path) == ("https", "liuyan.example.gov.cn", "/new")
    assert "%E6%B5%8B" in href.query and "/zcwj" not in href.query  # encoded, not pasted
    query = parse_qs(href.query)
    assert query == {"title": ["测试市非遗保护专项资金管理办法"], "from": ["https://wlj.example.gov.cn/zcwj/feiyi-banfa/"],
                     "no": ["000014349/2023-00007"]}
    assert "5个工作日内答复" in link.parent.get_text()


def test_without_a_message_service_policy_pages_have_no_message_link(site):
    site.policy("p")
    site.build_ok()
    assert site.page("zcwj/p/").select_one(".message-board") is None
    assert site.page("zcwj/p/").select_one(".policy-consult") is None


def test_the_qa_page_lists_the_interpretations_questions_linking_to_each(site):
    qa_site(site)
    site.write("qa/a.md", entry("传承人补助是多少？"))
    site.write("interpretations/jd.md", interpretation(("谁可以申报？", "市级代表性项目保护单位。"),
                                                       ("什么时候申报？", "每年4月。")))
    site.build_ok()
    section = site.page("zmhd/zcwd/").select_one("#qa-interpretations").parent
    links = section.select(".qa-questions a")
    assert texts(links) == ["谁可以申报？", "什么时候申报？"]
    assert [a["href"] for a in links] == ["../../zcjd/jd/#qa-1", "../../zcjd/jd/#qa-2"]
    interp = site.page("zcjd/jd/")
    assert interp.find(id="qa-2").get_text() == "问：什么时候申报？"


def test_entries_and_the_interpretations_qa_are_searchable(site):
    from generator.errors import Report
    from generator.loading import load_site
    from generator.search import build_index
    from search_query import IndexReader

    qa_site(site)
    site.write("qa/a.md", entry("传承人补助是多少？", "传习补助每人每年八千元整。"))
    site.write("interpretations/jd.md", interpretation(("谁可以申报？", "在本市登记的非遗工坊联合体。")))
    graph = load_site(site.content, Report())
    reader = IndexReader(build_index(graph))

    def found(query):
        return {reader.doc(h.doc)["u"] for h in reader.search(query, {})}

    assert found("八千元整") == {"zcwd/a/"}
    assert found("传承人补助") == {"zcwd/a/"}  # the question
    assert found("非遗工坊联合体") == {"zcjd/jd/"}  # an interpretation's 简明问答 answer


# --------------------------------------------------------------------------- bad input, located


def _error_at(result, path: str, line: int, *words: str) -> str:
    assert result.returncode == 1, result.stderr
    located = [l for l in result.stderr.splitlines() if f"{path}:{line}:" in l]
    assert located, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def test_an_unknown_policy_is_a_located_error_with_a_suggestion(site):
    qa_site(site)
    text = entry("问题？", 相关政策="[feiyi-banfaa]")
    site.write("qa/a.md", text)
    err = _error_at(site.build(), "qa/a.md", line_of(text, "相关政策"), "unknown policy document 'feiyi-banfaa'")
    assert "did you mean 'feiyi-banfa'?" in err


def test_a_reference_to_a_broken_policy_is_a_consequence_reported_after_its_cause(site):
    """Root causes first: the Q&A entry names a policy that has an error of its own; the entry's line says so
    once, after that error, instead of calling the policy unknown."""
    qa_site(site)
    site.write("policies/feiyi-banfa.md", (site.content / "policies" / "feiyi-banfa.md").read_text(encoding="utf-8")
               .replace("文种: ", "文种："))
    site.write("qa/a.md", entry("问题？", 相关政策="[feiyi-banfa]"))
    result = site.build()
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    cause = next(n for n, line in enumerate(lines) if "policies/feiyi-banfa.md:" in line)
    consequence = next(n for n, line in enumerate(lines) if "qa/a.md:" in line)
    assert cause < consequence and "has errors (reported above)" in lines[consequence], result.stderr
    assert "unknown policy document" not in result.stderr


def test_a_topic_outside_the_vocabulary_is_a_located_error(site):
    qa_site(site)
    text = entry("问题？", 主题="非遗")
    site.write("qa/a.md", text)
    err = _error_at(site.build(), "qa/a.md", line_of(text, "主题"), "'非遗' is not a Q&A topic")
    assert "did you mean '非遗保护'?" in err


def test_a_site_without_qa_topics_says_where_to_add_them(site):
    qa_site(site, **{"  qa_topics: [非遗保护, 公共文化]\n": ""})
    text = entry("问题？")
    site.write("qa/a.md", text)
    err = _error_at(site.build(), "qa/a.md", line_of(text, "主题"), "no vocabularies.qa_topics")
    assert "add `qa_topics: [...]` under `vocabularies:`" in err


def test_an_answer_in_the_front_matter_is_refused_with_where_it_goes(site):
    qa_site(site)
    text = "---\n问题: 问题？\n主题: 非遗保护\n答复机构: 非遗处\n日期: 2025-03-01\n答复: 写在这里了。\n---\n\n"
    site.write("qa/a.md", text)
    err = _error_at(site.build(), "qa/a.md", 6, "'答复' is not a front-matter field")
    assert "move the text after the closing '---'" in err
    assert "unknown field" not in err
    assert "qa/a.md:8: error: the entry has no answer" in err  # the body line, reported too


def test_a_repealed_policy_and_a_repeated_question_are_warnings(site):
    qa_site(site)
    site.policy("old", 标题="旧办法", 有效性="废止", 有效性变更日期="2024-01-01")
    text = entry("补助标准是多少？", 相关政策="[old]")
    site.write("qa/a.md", text)
    site.write("qa/b.md", entry("补助标准 是多少?"))
    result = site.build_ok()
    assert f"qa/a.md:{line_of(text, '相关政策')}: warning: 相关政策 old is 废止" in result.stderr
    assert "qa/b.md:2: warning: the question is also asked in" in result.stderr
    assert site.build("--strict").returncode == 1


def test_a_bad_message_link_pattern_is_a_located_error_in_site_yaml(site):
    qa_site(site, **{"&no={index_no}": "&no={index}"})
    result = site.build()
    assert result.returncode == 1
    assert f"site.yaml:{line_of(site.content.joinpath('site.yaml').read_text(), 'liuyan.example')}:" in result.stderr
    assert "unknown placeholder {index}" in result.stderr and "did you mean 'index_no'?" in result.stderr


def test_new_qa_numbers_files_by_year_and_builds_once_answered(site):
    from test_new import _keys

    from generator.documents.qa import QA_ENTRY_SCHEMA

    qa_site(site)
    for n in (1, 2):
        result = site.run("new", "qa", f"第{n}个问题？", "--content", str(site.content), "--today", "2025-06-03")
        assert result.returncode == 0, result.stderr
    path = site.content / "qa" / "2025-001.md"
    assert (site.content / "qa" / "2025-002.md").is_file()
    text = path.read_text(encoding="utf-8")
    assert {f.key for f in QA_ENTRY_SCHEMA.fields} <= _keys(text)
    assert '问题: "第1个问题？"' in text and "主题: 非遗保护" in text and "日期: 2025-06-03" in text
    failed = site.run("check", "--today", "2025-06-03")
    assert "qa/2025-001.md" in failed.stderr and "the entry has no answer" in failed.stderr
    for name in ("2025-001.md", "2025-002.md"):
        p = site.content / "qa" / name
        p.write_text(p.read_text(encoding="utf-8").replace(
            "<!-- 在此处撰写答复（Markdown 格式），并删除本行。不要写入咨询人的姓名、电话等个人信息。 -->", "答复。"), encoding="utf-8")
    site.build_ok("--today", "2025-06-03")
    assert site.page("zcwd/2025-001/").h1.get_text() == "第1个问题？"


def test_an_incremental_build_shows_an_edited_entry_on_its_policy_and_on_the_qa_page(site):
    qa_site(site)
    site.write("qa/a.md", entry("传承人补助是多少？", 相关政策="[feiyi-banfa]"))
    site.write("interpretations/jd.md", interpretation(("谁可以申报？", "保护单位。")))
    site.build_ok()
    site.write("qa/a.md", entry("传承人补助标准是多少？", 相关政策="[feiyi-banfa]"))
    jd = site.content / "interpretations" / "jd.md"
    jd.write_text(jd.read_text(encoding="utf-8").replace("谁可以申报？", "个人可以申报吗？"), encoding="utf-8")
    result = site.build_ok()
    assert int(re.search(r"(\d+) reused", result.stdout).group(1)) > 0, result.stdout  # the incremental path
    policy = site.page("zcwj/feiyi-banfa/")
    assert texts(policy.select(".policy-consult .qa-questions a")) == ["传承人补助标准是多少？"]
    library = site.page("zmhd/zcwd/")
    assert "传承人补助标准是多少？" in texts(library.select("article h3"))
    assert "个人可以申报吗？" in texts(library.select(".qa-questions a"))
