"""Site search: a static index built with every build, searched in the browser by search.js.

Public API (for the renderer):

* :func:`build_index` ``(site) -> dict[str, bytes]`` — every index file, by output path under ``search/``;
* :func:`search_context` ``(site) -> dict`` — the context of ``search.html`` (the filters and their options);
* :data:`SEARCH_URL` — where the search page and its index live.

Why our own index and not Pagefind: Chinese readers expect a query to find
every page that contains it; Pagefind (1.5.2, extended) segments Chinese into
words and matches word prefixes, so substrings inside or across its words are
missed. Measured by ``tests/search_recall.py`` on the demo (600 queries of 2–4
characters, same documents and text for both): Pagefind recall 76–85%,
precision 43–63%, about 70% of queries answered completely; this index 100%
recall by construction. A bigram index with positions finds every substring.

On top of that, search-rank.js finds what citizens type (synonyms and short
names, 文号 in any brackets, matches in part) and ranks by relevance; measured
on the citizen-style queries of ``tests/search_queries.yaml`` by
``tests/search_quality.py``. The tests hold the Python copies of the
browser's reader and ranking (``tests/search_query.py``, ``tests/search_rank.py``)
and check that both agree on every query.

Other modules: :mod:`.text` (normalisation shared with search-index.js, document
text from the site graph, by each content type's declared search fields),
:mod:`.index` (the file format), :mod:`.postings` (building the posting lists of
a batch of documents, joining batches), :mod:`.batches` (which documents form a
batch; batches in the build cache), :mod:`.shards` (where each list goes),
:mod:`.records` (result records, filter table, manifest), :mod:`.incremental`
(a rebuild: only changed batches indexed, only changed lists made, by
:mod:`.splice`, only changed files written), :mod:`.synonyms` (the synonym table
and the names that weigh little).
"""

from __future__ import annotations

from ..config import VALIDITY_STATES
from .index import build_index
from .text import documents, kinds as type_labels

__all__ = ["SEARCH_URL", "build_index", "search_context"]

SEARCH_URL = "search/"


def search_context(site) -> dict:
    """What search.html needs: ``filters`` — a list of ``{name, label, options: [(value, label)]}``.

    Only values some document has are offered. Option values are what the page's
    URL carries (``?topic=综合政务&year=2024``); column options are indented by
    depth with U+3000 so the tree shows in a plain ``<select>``.
    """
    docs = documents(site, texts=False)
    used_columns = {u for d in docs for u in d.columns}
    columns = []
    for column in site.all_columns:
        if any(c.url in used_columns for c in column.walk()):
            columns.append((column.url, "\u3000" * column.depth + column.name))
    topics = {d.topic for d in docs}
    issuers = {d.issuer for d in docs}
    validity = {d.validity for d in docs}
    kinds = {d.kind for d in docs}
    years = sorted({d.year for d in docs}, reverse=True)
    extra_issuers = sorted(i for i in issuers if i and i not in site.config.issuers)
    filters = [
        {"name": "column", "label": "栏目", "options": columns},
        {"name": "topic", "label": "主题分类",
         "options": [(t.name, t.name) for t in site.config.topics if t.name in topics]},
        {"name": "issuer", "label": "发布机构",
         "options": [(i, i) for i in [*site.config.issuers, *extra_issuers] if i in issuers]},
        {"name": "year", "label": "发布年份", "options": [(str(y), f"{y}年") for y in years]},
        {"name": "validity", "label": "有效性", "options": [(v, v) for v in VALIDITY_STATES if v in validity]},
        {"name": "kind", "label": "类型",
         "options": [(v, v) for k, v in type_labels(site.config.types).items() if k in kinds]},
    ]
    return {"filters": [f for f in filters if f["options"]], "search_index": SEARCH_URL}
