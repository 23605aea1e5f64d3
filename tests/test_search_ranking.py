"""Site search ranking: where a term occurs and how rare it is, the agency's name, synonyms (built-in and
from site.yaml), 文号 forms and matches in part — through the reference reader, on small built sites.
search-rank.js ranks as this reader does: tests/test_search_quality.py compares them."""

from __future__ import annotations

import json

import pytest

from conftest import SITE_YAML, line_of
from generator import load_site
from generator.errors import Report
import search_rank as rank
from generator.search import build_index
from search_query import IndexReader
from generator.search.synonyms import agency_short_names


def reader_of(site) -> IndexReader:
    report = Report()
    graph = load_site(site.content, report)
    assert graph is not None and not report.failed(False), [str(d) for d in report.errors]
    return IndexReader(build_index(graph))


def urls(reader: IndexReader, query: str) -> list[str]:
    return [reader.doc(h.doc)["u"] for h in reader.search(query)]


def put(site, slug: str, title: str, date: str, body: str = "正文。", **fields) -> None:
    """A policy with this title, published (and signed) on ``date``."""
    site.policy(slug, body, 标题=title, 发布日期=date, 成文日期=date, **fields)


def with_search(yaml: str) -> str:
    return SITE_YAML.replace("columns:\n", yaml + "columns:\n", 1)


def test_title_then_key_field_then_body_newest_first_on_a_tie(site):
    put(site, "body", "测试市美术馆开放办法", "2024-06-01", "本办法鼓励公共美育活动。")
    put(site, "keyword", "测试市博物馆开放办法", "2023-06-01", 关键词="[公共美育]")
    put(site, "title-old", "测试市公共美育工作规定", "2019-06-01")
    put(site, "title-new", "测试市公共美育三年计划", "2022-06-01")
    put(site, "doc-no", "测试市文化馆开放办法", "2025-01-01", 文号="测文旅规〔2022〕7号")
    reader = reader_of(site)
    assert urls(reader, "公共美育") == ["zcwj/title-new/", "zcwj/title-old/", "zcwj/keyword/", "zcwj/body/"]
    # A 文号 match comes before a body match, whatever the dates.
    put(site, "cites", "测试市文化馆服务指南", "2025-06-01", "依据测文旅规〔2022〕7号制定。")
    assert urls(reader_of(site), "测文旅规[2022]7号") == ["zcwj/doc-no/", "zcwj/cites/"]


def test_a_term_in_almost_every_document_weighs_little(site):
    for n in range(8):
        put(site, f"notice-{n}", f"测试市文化馆第{n}批开放通知", f"2024-01-{n + 10}", f"第{n}号通知正文。")
    put(site, "rare-in-title", "测试市研学基地名单", "2020-01-01", "本通知附研学基地名单。")
    put(site, "rare-in-body", "测试市文化馆第九批开放通知", "2024-03-01", "附件为研学基地名单。")
    reader = reader_of(site)
    # 通知 is in every title, 研学 in two documents: the document with 研学 in its title comes first,
    # although 通知 is only in its body and it is the oldest.
    assert urls(reader, "通知 研学")[:2] == ["zcwj/rare-in-title/", "zcwj/rare-in-body/"]
    score = {reader.doc(h.doc)["u"]: h.score for h in reader.search("通知 研学")}
    assert score["zcwj/rare-in-title/"] > 2 * score["zcwj/rare-in-body/"]


def test_a_word_inside_the_agencys_name_weighs_least(site):
    """旅游 in every 测试市文化和旅游局 says nothing about a document; in 旅游景区 it does."""
    for n in range(5):
        put(site, f"agency-{n}", f"测试市文化和旅游局关于第{n}批文化馆的通知", f"2025-01-0{n + 1}")
    put(site, "scenic", "测试市旅游景区管理规定", "2018-01-01")
    put(site, "scenic-body", "测试市文化市场管理规定", "2017-01-01", "加强旅游市场管理。")
    found = urls(reader_of(site), "旅游")
    assert found[:2] == ["zcwj/scenic/", "zcwj/scenic-body/"] and len(found) == 7


def test_built_in_synonyms_and_the_agencys_short_name(site):
    put(site, "report", "测试市文化和旅游局2023年政府信息公开工作年度报告", "2024-01-20")
    put(site, "heritage", "测试市非物质文化遗产保护办法", "2023-01-20", "非物质文化遗产保护。")
    put(site, "other", "测试市人民政府关于年度工作的通知", "2024-03-01", 发布机构="测试市人民政府")
    reader = reader_of(site)
    assert urls(reader, "年报") == ["zcwj/report/"]
    assert urls(reader, "非遗") == ["zcwj/heritage/"]
    assert urls(reader, "文旅局年报") == ["zcwj/report/"]  # pieces: 文旅局 → 文化和旅游局, 年报 → 年度报告
    assert urls(reader, "市文旅局 年报") == ["zcwj/report/"]
    # Every page of the site is the agency's, also one that does not name it.
    assert urls(reader, "市文旅局 年度工作")[0] == "zcwj/other/"
    result = rank.search(reader, "年报")
    assert "年度报告" in result.marks  # the page highlights what was found


@pytest.mark.parametrize("name, short", [
    ("江州市文化和旅游局", {"文旅局": ("文化和旅游局",)}),
    ("江州市濂溪区文化和旅游局", {"文旅局": ("文化和旅游局",)}),
    ("某某市市场监督管理局", {"市场监管局": ("市场监督管理局",)}),
    ("湖口县卫生健康委员会", {"卫健委": ("卫生健康委员会",)}),
    ("某某市商务和粮食局", {"商粮局": ("商务和粮食局",)}),  # X和Y局, not in the table
    ("国务院", {}),
])
def test_short_names_derived_from_the_agency(name, short):
    assert agency_short_names(name) == short


def test_site_yaml_synonyms_add_and_replace(site):
    site.write("site.yaml", with_search("search:\n  synonyms:\n    美育: [美术教育, 艺术教育]\n    年报: 年度总结\n"))
    put(site, "art", "测试市美术馆管理办法", "2024-01-20", "开展美术教育。")
    put(site, "summary", "测试市文化馆年度总结", "2024-02-20")
    put(site, "report", "测试市文化馆年度报告", "2024-03-20")
    reader = reader_of(site)
    assert urls(reader, "美育") == ["zcwj/art/"]
    assert urls(reader, "年报") == ["zcwj/summary/"]  # site.yaml's entry replaces the built-in one
    assert urls(reader, "文旅局 美育") == ["zcwj/art/"]  # the other defaults stay


def test_default_synonyms_can_be_switched_off(site):
    site.write("site.yaml", with_search("search:\n  default_synonyms: false\n"))
    put(site, "report", "测试市文化馆年度报告", "2024-03-20")
    reader = reader_of(site)
    assert urls(reader, "年报") == [] and urls(reader, "年度报告") == ["zcwj/report/"]
    assert json.loads(reader.files["search/manifest.json"])["synonyms"] == {}


@pytest.mark.parametrize("yaml, message, at", [
    ("search:\n  synonyms: [年报, 年度报告]\n", "expected a mapping of a word to the words it also finds", "synonyms:"),
    ("search:\n  synonyms:\n    文旅 局: 文化和旅游局\n", "'文旅 局' contains a space", "文旅 局"),
    ("search:\n  synonyms:\n    年报: [年报, 年度报告]\n", "'年报' lists itself", "年报:"),
    ("search:\n  synonyms:\n    年报:\n", "list needs at least 1 item", "年报:"),
    ("search:\n  synonym: {年报: 年度报告}\n", "unknown field 'synonym' in search", "synonym:"),
])
def test_synonym_table_mistakes_are_located(site, yaml, message, at):
    text = with_search(yaml)
    site.write("site.yaml", text)
    result = site.run("check")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr
    assert f"site.yaml:{line_of(text, at)}" in result.stderr, result.stderr


def test_match_in_part(site):
    put(site, "plan", "测试市“十四五”文化和旅游发展规划", "2021-01-20")
    put(site, "unrelated", "测试市文化馆开放办法", "2024-01-20", "规划正文。")
    put(site, "phrase", "测试市图书馆开放办法", "2022-01-20", "落实十四五规划。")
    reader = reader_of(site)
    # The title that has its pairs (half the score of the phrase in a title) before the phrase in a body
    # (a quarter of it); not a document with one pair.
    assert urls(reader, "十四五规划") == ["zcwj/plan/", "zcwj/phrase/"]
    assert urls(reader, "五规划") == ["zcwj/phrase/"]  # three characters: exact only
    assert urls(reader, "双随机一公开") == []
    put(site, "marks", "测试市检查办法", "2024-05-20", "实行“双随机、一公开”监管。")
    assert urls(reader_of(site), "双随机一公开") == ["zcwj/marks/"]  # 、 and quotation marks are dropped


def test_changing_the_synonyms_rebuilds_the_index(site):
    put(site, "art", "测试市美术馆管理办法", "2024-01-20", "开展美术教育。")
    site.build_ok()
    manifest = site.output / "search" / "manifest.json"
    assert "美育" not in json.loads(manifest.read_text(encoding="utf-8"))["synonyms"]
    site.write("site.yaml", with_search("search:\n  synonyms: {美育: 美术教育}\n"))
    site.build_ok()
    assert json.loads(manifest.read_text(encoding="utf-8"))["synonyms"]["美育"] == ["美术教育"]
