"""Precision at 5 and recall of the site search on citizen-style queries, before and after.

    .venv/bin/python tests/search_quality.py                 # after (this checkout) and before (BASELINE)
    .venv/bin/python tests/search_quality.py --before REF    # another git revision as "before"
    .venv/bin/python tests/search_quality.py --list          # every query: rank of each relevant document

The queries and their judged answers are ``tests/search_queries.yaml`` (the
demo content). "After" ranks with this checkout's index and
tests/search_rank.py; "before" runs the generator of a git revision
(by default :data:`BASELINE`, the search as it was before synonyms, bracket
folding and relevance ranking) on the same content in a subprocess.

Measures, averaged over the queries:

* **P@5**: relevant documents among the first five results, divided by 5;
* **P@5 (capped)**: the same divided by min(5, number of relevant documents),
  so that a query with one right answer scores 1 when it is among the first five;
* **recall**: relevant documents found (anywhere in the results) / relevant documents;
* **results**: the mean number of results (recall alone would reward returning everything);
* **empty**: queries with no result at all.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "search_queries.yaml"
CONTENT = ROOT / "content"
#: The commit the relevance ranking was built on: main's search before it.
BASELINE = "2cd8063"

#: Run inside the "before" generator: the ranked URLs of every query, as JSON.
_RANK_WITH = """
import json, sys
from pathlib import Path
from generator import load_site
from generator.errors import Report
from generator.search import build_index
from search_query import IndexReader
graph = load_site(Path(sys.argv[1]), Report())
reader = IndexReader(build_index(graph))
queries = json.loads(sys.stdin.read())
print(json.dumps({q: [reader.doc(h.doc)["u"] for h in reader.search(q)] for q in queries}, ensure_ascii=False))
"""


def load_queries(path: Path = QUERIES) -> list[dict]:
    queries = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert all(isinstance(q["q"], str) for q in queries), "quote queries YAML reads as numbers"
    return queries


def measure(queries: list[dict], rank: Callable[[str], list[str]]) -> dict:
    """Per-query and mean P@5, capped P@5, recall and result counts."""
    rows = []
    for q in queries:
        found = rank(q["q"])
        relevant = set(q["relevant"])
        top = sum(u in relevant for u in found[:5])
        rows.append({"q": q["q"], "kind": q["kind"], "p5": top / 5, "p5c": top / min(5, len(relevant)),
                     "recall": len(relevant.intersection(found)) / len(relevant), "results": len(found),
                     "ranks": {u: (found.index(u) + 1 if u in found else None) for u in q["relevant"]}})
    n = len(rows)
    mean = {k: sum(r[k] for r in rows) / n for k in ("p5", "p5c", "recall", "results")}
    mean["empty"] = sum(r["results"] == 0 for r in rows)
    return {"mean": mean, "rows": rows}


def after_ranker(content: Path = CONTENT) -> Callable[[str], list[str]]:
    """This checkout's search on ``content``."""
    sys.path.insert(0, str(ROOT))
    from generator import load_site
    from generator.errors import Report
    from generator.search import build_index
    from search_query import IndexReader

    reader = IndexReader(build_index(load_site(content, Report())))
    return lambda q: [reader.doc(h.doc)["u"] for h in reader.search(q)]


def before_results(queries: list[dict], ref: str = BASELINE, content: Path = CONTENT) -> dict[str, list[str]]:
    """The ranked URLs of every query from the generator at git revision ``ref``."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "generator"], check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        proc = subprocess.run([sys.executable, "-c", _RANK_WITH, str(content)], cwd=tmp, check=True,
                              input=json.dumps([q["q"] for q in queries]), capture_output=True, text=True)
    return json.loads(proc.stdout)


def _table(name: str, result: dict) -> str:
    m = result["mean"]
    return (f"{name:<8} P@5 {m['p5']:.3f}   P@5 (capped) {m['p5c']:.3f}   recall {m['recall']:.3f}   "
            f"results {m['results']:.1f}   empty {m['empty']}")


def _by_kind(result: dict) -> list[str]:
    kinds: dict[str, list[dict]] = {}
    for row in result["rows"]:
        kinds.setdefault(row["kind"], []).append(row)
    return [f"  {kind:<6} ({len(rows):>3})  P@5 (capped) {sum(r['p5c'] for r in rows) / len(rows):.3f}   "
            f"recall {sum(r['recall'] for r in rows) / len(rows):.3f}" for kind, rows in kinds.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BASELINE, help=f"git revision for 'before' (default {BASELINE})")
    parser.add_argument("--list", action="store_true", help="print every query with the ranks of its answers")
    args = parser.parse_args(argv)
    queries = load_queries()
    after = measure(queries, after_ranker())
    before_urls = before_results(queries, args.before)
    before = measure(queries, lambda q: before_urls[q])
    answers = sum(len(q["relevant"]) for q in queries)
    print(f"{len(queries)} queries, {answers} judged answers (tests/search_queries.yaml)")
    print(_table("before", before))
    print("\n".join(_by_kind(before)))
    print(_table("after", after))
    print("\n".join(_by_kind(after)))
    if args.list:
        for b, a in zip(before["rows"], after["rows"]):
            print(f"{a['q']}\n    before {b['ranks']} of {b['results']}\n    after  {a['ranks']} of {a['results']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
