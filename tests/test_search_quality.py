"""Search quality on citizen-style queries, and the browser's engine ranking exactly as the reference.

``tests/search_queries.yaml``: at least 100 queries over the demo content with judged answers;
precision at 5 and recall must stay above the thresholds (``python tests/search_quality.py``
prints them, before and after). search-index.js and search-rank.js, run under Node on the demo's
index and on an index with hot (external) posting lists, must return the same hits, scores and
highlights as tests/search_rank.py for every query, filter and verification strategy.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, THEME, Site
from generator import load_site
from generator.errors import Report
import search_rank as rank
from generator.search import build_index
from generator.search.index import build_from_documents, site_columns
from search_query import IndexReader
from search_quality import CONTENT, load_queries, measure
from test_search import synthetic

NODE_HARNESS = ROOT / "tests" / "search_node.js"


@pytest.fixture(scope="module")
def demo_files() -> dict[str, bytes]:
    report = Report()
    graph = load_site(CONTENT, report)
    assert graph is not None and not report.failed(False)
    return build_index(graph)


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return load_queries()


def test_the_queries_are_judged_against_real_documents(demo_files, queries):
    reader = IndexReader(demo_files)
    known = {reader.doc(n)["u"] for n in range(reader.count)}
    assert len(queries) >= 100
    assert len({q["q"] for q in queries}) == len(queries), "a query is listed twice"
    for q in queries:
        assert q["relevant"] and set(q["relevant"]) <= known, q["q"]


def test_precision_at_5_and_recall(demo_files, queries):
    reader = IndexReader(demo_files)
    result = measure(queries, lambda q: [reader.doc(h.doc)["u"] for h in reader.search(q)])
    mean = result["mean"]
    # Measured 0.382 / 0.969 / 0.992 with 8.8 results on average (before: 0.190 / 0.477 / 0.490); on the
    # grown demo (Q&A library, messages, drafts, 2024-2026 documents; their answers judged in too)
    # 0.368 / 0.948 / 0.992 with 11.4 results.
    assert mean["p5"] >= 0.35, mean
    assert mean["p5c"] >= 0.93, mean
    assert mean["recall"] >= 0.97, mean
    assert mean["results"] <= 16 and mean["empty"] == 0, mean  # recall not bought by returning everything
    for row in result["rows"]:
        if row["kind"] in ("文号", "索引号"):  # a 文号 or 索引号, in any brackets: its document first
            assert list(row["ranks"].values()) == [1], row


def _write(files: dict[str, bytes], folder: Path) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def _node(folder: Path, queries: list[str], filters: dict, limit: int) -> list[dict]:
    proc = subprocess.run([shutil.which("node"), str(NODE_HARNESS), str(folder), str(THEME / "static")],
                          input=json.dumps({"queries": queries, "filters": filters, "verifyLimit": limit}),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _python(files: dict[str, bytes], queries: list[str], filters: dict, limit: int) -> list[dict]:
    reader = IndexReader(files, limit)
    out = []
    for q in queries:
        result = rank.search(reader, q, filters)
        out.append({"hits": [[h.doc, h.score, h.terms] for h in result.hits], "complete": result.complete,
                    "marks": result.marks})
    return out


@pytest.fixture(scope="module")
def node():
    if shutil.which("node") is None:
        pytest.skip("node not found (make test installs nodejs for the browser tests)")


@pytest.mark.parametrize("limit", [0, 20, 10**6])
@pytest.mark.parametrize("filters", [{}, {"kind": "政策文件"}, {"year": "2024"}])
def test_search_js_ranks_as_python_on_the_demo(node, demo_files, queries, filters, limit, tmp_path):
    """Every query of the set (and a few with several words): the same hits, scores, order and marks."""
    _write(demo_files, tmp_path)
    texts = [q["q"] for q in queries] + ["文旅局 年报 2023", "美术馆 承载量", "", "没有这样的文字"]
    assert _node(tmp_path, texts, filters, limit) == _python(demo_files, texts, filters, limit)


def test_search_js_ranks_as_python_with_hot_lists(node, tmp_path):
    """Hot (external) posting lists: positions, record verification and matches in part agree too."""
    (tmp_path / "hot").mkdir()
    site = Site(tmp_path / "hot")
    graph = load_site(site.content, Report())
    docs = synthetic(300, 7)
    files = build_from_documents(docs, site_columns(graph), graph.config)
    assert any(path.startswith("search/t/") for path in files)
    _write(files, tmp_path / "out")
    texts = [docs[n].fields[1][k:k + size] for n, k, size in ((3, 10, 2), (50, 7, 4), (90, 100, 6), (7, 3, 9))]
    texts += [texts[0] + " " + texts[1], "的是在了"]
    for limit in (0, 20, 10**6):
        assert _node(tmp_path / "out", texts, {}, limit) == _python(files, texts, {}, limit), limit
