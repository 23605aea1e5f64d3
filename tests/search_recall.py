"""Substring recall and precision of Chinese site search: Pagefind (extended) against our bigram index.

    .venv/bin/python tests/search_recall.py output/ [--content content] [--queries 200] [--seed 5]
    .venv/bin/python tests/search_recall.py output/ --scale 64000      # index size and query cost at scale
    .venv/bin/python tests/search_recall.py --make-fold-table PATH/TSCharacters.txt

What "recall" means here: Chinese readers expect a query to find every page that
*contains it*. Queries are sampled deterministically (fixed seed) from runs of
Han characters in the indexed text, 2, 3 and 4 characters long; a query's
expected results are every document whose text contains it as a substring.
recall = found ∩ expected / expected, precision = found ∩ expected / found,
both summed over all queries of a length (micro average), plus the share of
queries answered completely.

Two corpora, so that neither engine is judged on text it never saw:

* ``pages``: the ``<main>`` text of each searchable page of the built site
  (``OUTPUT/<url>index.html``). Pagefind indexes those HTML pages
  (``root_selector: main``, ``force_language: zh-cn`` — its best case: one
  index for 简体 and 繁體 pages). Our index is built from the site graph, so
  it may differ where a page shows text from elsewhere (titles of related
  documents, labels); reported for comparison.
* ``records``: the text our index is built from (title, metadata, body …),
  given to Pagefind as custom records. The same documents and the same text
  for both engines: the cleanest comparison.

Ground truth is the literal text with whitespace removed (no 繁简 folding);
results our index finds only because of 繁简 folding are counted separately.

Both engines run in headless Chromium (Debian's /usr/bin/chromium through
Playwright): Pagefind's own ``pagefind.js`` and our ``search-index.js`` with
``search-rank.js``. Our index is also queried with the Python reference reader
(search_query), which must agree with them. ``--no-browser`` runs
only the Python reader. Since the ranking also returns matches in part and
synonyms (for citizens' queries: tests/search_quality.py), our precision
against the literal substring is below 100% for queries of 3–4 characters.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gzip
import http.server
import json
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.errors import Report  # noqa: E402
from generator.search.index import build_from_documents, build_index, fnv1a, site_columns  # noqa: E402
from search_query import IndexReader  # noqa: E402
from generator.search.text import IGNORED, SearchDoc, documents, normalize  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENGINE = ("search-index.js", "search-rank.js")  # our search without its page, in load order
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
LENGTHS = (2, 3, 4)
BLOCK = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
         "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
         "hr", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table",
         "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "button", "label", "select", "figure", "time"}


def squeeze(text: str) -> str:
    """Whitespace removed, each field on its own line (queries never span a line)."""
    return "\n".join("".join(c for c in line if c not in IGNORED) for line in text.split("\n"))


def main_text(html: str) -> str:
    """The text of <main>, blocks on separate lines, inline elements joined as the reader sees them."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup.body or soup
    for tag in main.find_all(["script", "style", "template", "noscript"]):
        tag.decompose()
    for tag in main.find_all(BLOCK):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return squeeze(main.get_text(""))


def record_text(doc: SearchDoc) -> str:
    return squeeze("\n".join(f.replace("\n", " ") for f in doc.fields))


def sample_queries(texts: dict[str, str], length: int, count: int, rng: random.Random) -> list[str]:
    """``count`` distinct Han-only substrings of ``length`` characters: a random document, then a random place."""
    starts = {}
    for url, text in texts.items():
        places = [(m.start() + i) for m in HAN.finditer(text) for i in range(len(m.group()) - length + 1)]
        if places:
            starts[url] = places
    urls = sorted(starts)
    out: list[str] = []
    seen: set[str] = set()
    for _ in range(count * 50):
        if len(out) >= count or not urls:
            break
        url = urls[rng.randrange(len(urls))]
        at = starts[url][rng.randrange(len(starts[url]))]
        query = texts[url][at:at + length]
        if query not in seen:
            seen.add(query)
            out.append(query)
    return out


def score(queries: list[str], expected: dict[str, set[str]], found: dict[str, list[str]],
          folded: dict[str, set[str]] | None = None) -> dict:
    """Micro recall/precision, complete-recall share, and extra results explained by 繁简 folding."""
    hit = exp = got = complete = folding = 0
    misses: list[tuple[str, list[str]]] = []
    for q in queries:
        e, f = expected[q], set(found.get(q, []))
        extra = f - e
        if folded is not None:
            explained = extra & folded[q]
            folding += len(explained)
            f = f - explained
        hit += len(e & f)
        exp += len(e)
        got += len(f)
        complete += e <= f
        if not e <= f and len(misses) < 5:
            misses.append((q, sorted(e - f)[:3]))
    return {"queries": len(queries), "expected": exp, "found": got, "correct": hit,
            "recall": hit / exp if exp else 1.0, "precision": hit / got if got else 1.0,
            "complete": complete / len(queries) if queries else 1.0, "folding_extra": folding,
            "examples_missed": misses}


# --------------------------------------------------------------------------- engines

def build_pagefind(bundle: Path, pages: dict[str, str] | None = None, records: dict[str, str] | None = None) -> None:
    """A Pagefind bundle in ``bundle`` from HTML pages (url → html) or text records (url → text)."""
    from pagefind.index import PagefindIndex

    async def run():
        config = {"root_selector": "main", "force_language": "zh-cn", "output_path": str(bundle)}
        async with PagefindIndex(config=config) as index:
            for url, html in sorted((pages or {}).items()):
                await index.add_html_file(content=html, url="/" + url)
            for url, text in sorted((records or {}).items()):
                await index.add_custom_record(url="/" + url, content=text, language="zh-cn", meta={"title": url})

    asyncio.run(run())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


BROWSER_JS = """async ([engine, base, queries]) => {
  const out = {};
  const t0 = performance.now();
  if (engine === 'ours') {
    const index = new window.ZwgkSearch.Index(base);
    await index.load();
    for (const q of queries) {
      const r = await index.search(q, {});
      out[q] = await Promise.all(r.hits.map(h => index.doc(h.doc).then(d => d.u)));
    }
  } else {
    const pf = await import(base + 'pagefind.js');
    await pf.init();
    for (const q of queries) {
      const s = await pf.search(q);
      const urls = [];
      for (const r of s.results) urls.push((await r.data()).url.replace(/^\\//, ''));
      out[q] = urls;
    }
  }
  return {results: out, ms: performance.now() - t0};
}"""


def run_browser(root: Path, jobs: list[tuple[str, str, list[str]]]) -> list[dict]:
    """Run (engine, base URL, queries) jobs in Chromium against ``root`` served on 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    (root / "h.html").write_text('<!doctype html><html lang="zh-CN"><title>h</title><p>h</p>', encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            out = []
            for engine, path, queries in jobs:
                page = browser.new_page()
                page.goto(base + "h.html")
                if engine == "ours":
                    for name in ENGINE:
                        page.add_script_tag(url=base + "ours/" + name)
                out.append(page.evaluate(BROWSER_JS, [engine, base + path, queries]))
                page.close()
            browser.close()
            return out
    finally:
        server.shutdown()


# --------------------------------------------------------------------------- the evaluation

def load(content: Path):
    from generator import load_site

    report = Report()
    site = load_site(content, report)
    if site is None or report.failed(False):
        sys.exit(f"cannot load {content}: {report.errors if hasattr(report, 'errors') else 'errors'}")
    return site


def evaluate(output: Path, content: Path, per_length: int, seed: int, browser: bool) -> dict:
    site = load(content)
    docs = documents(site)
    search_dir = output / "search"
    if (search_dir / "manifest.json").is_file():
        files = {"search/" + p.relative_to(search_dir).as_posix(): p.read_bytes()
                 for p in sorted(search_dir.rglob("*")) if p.is_file() and p.name != "index.html"}
        fresh = build_index(site)
        source = "OUTPUT/search/ (" + ("identical to" if files == fresh else "DIFFERENT from") + " a fresh build)"
    else:
        files = build_index(site)
        source = "built in memory from the site graph (OUTPUT/search/ is absent)"
    reader = IndexReader(files)
    url_of = [reader.doc(n)["u"] for n in range(reader.count)]

    pages = {}
    for doc in docs:
        path = output / (doc.url + "index.html" if doc.url.endswith("/") or not doc.url else doc.url)
        if path.is_file():
            pages[doc.url] = path.read_text(encoding="utf-8")
    page_text = {url: main_text(html) for url, html in pages.items()}
    rec_text = {d.url: record_text(d) for d in docs}
    fold_text = {d.url: "\n".join(normalize(f) for f in d.fields) for d in docs}

    rng = random.Random(seed)
    corpora = {"pages": page_text, "records": rec_text}
    queries = {name: {n: sample_queries(texts, n, per_length, rng) for n in LENGTHS} for name, texts in corpora.items()}
    expected = {name: {q: {u for u, t in corpora[name].items() if q in t} for qs in queries[name].values() for q in qs}
                for name in corpora}
    folded = {name: {q: {u for u, t in fold_text.items() if normalize(q) in t} for q in expected[name]}
              for name in corpora}

    results: dict[str, dict[str, dict[str, list[str]]]] = {}
    timing: dict[str, float] = {}
    all_q = {name: [q for n in LENGTHS for q in queries[name][n]] for name in corpora}
    started = time.perf_counter()
    results["ours (Python reader)"] = {
        name: {q: [url_of[h.doc] for h in reader.search(q)] for q in all_q[name]} for name in corpora}
    timing["ours (Python reader)"] = (time.perf_counter() - started) * 1000

    notes = [f"our index: {source}"]
    if browser:
        tmp = Path(tempfile.mkdtemp(prefix="search-recall-"))
        try:
            for rel, data in files.items():
                target = tmp / "ours" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            for name in ENGINE:
                js = output / "static" / name
                shutil.copyfile(js if js.is_file() else ROOT / "themes/default/static" / name, tmp / "ours" / name)
            build_pagefind(tmp / "pf-pages", pages=pages)
            build_pagefind(tmp / "pf-records", records={d.url: "\n".join(d.fields) for d in docs})
            second = Path(tempfile.mkdtemp(prefix="search-recall-again-"))
            build_pagefind(second / "pf-pages", pages=pages)
            differ = sorted(p.relative_to(second / "pf-pages").as_posix() for p in (second / "pf-pages").rglob("*")
                            if p.is_file() and (tmp / "pf-pages" / p.relative_to(second / "pf-pages")).read_bytes()
                            != p.read_bytes())
            same = "yes" if not differ else "NO, differing: " + ", ".join(differ)
            shutil.rmtree(second, ignore_errors=True)
            notes.append(f"Pagefind bundle byte-identical on a rebuild: {same}")
            pf_size = sum(p.stat().st_size for p in (tmp / "pf-pages").rglob("*") if p.is_file())
            notes.append(f"Pagefind bundle (pages): {pf_size:,} bytes incl. its JS/WASM")
            jobs = [("ours", "ours/search/", all_q["pages"]), ("ours", "ours/search/", all_q["records"]),
                    ("pagefind", "pf-pages/", all_q["pages"]),
                    ("pagefind", "pf-records/", all_q["records"])]
            out = run_browser(tmp, jobs)
            results["ours (search.js)"] = {"pages": out[0]["results"], "records": out[1]["results"]}
            results["Pagefind"] = {"pages": out[2]["results"], "records": out[3]["results"]}
            timing["ours (search.js)"] = out[0]["ms"] + out[1]["ms"]
            timing["Pagefind"] = out[2]["ms"] + out[3]["ms"]
            js_py = sum(sorted(results["ours (search.js)"][c][q]) != sorted(results["ours (Python reader)"][c][q])
                        for c in corpora for q in all_q[c])
            notes.append(f"search.js and the Python reader disagree on {js_py} queries")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # The pages' own text: what a page shows of the document itself, not labels ("发布日期") or the
    # titles of related documents it links to (our index leaves those out on purpose).
    own = {q: {u for u in urls if q in rec_text.get(u, "")} for q, urls in expected["pages"].items()}
    table = {}
    for engine, by_corpus in results.items():
        for name in corpora:
            for n in LENGTHS:
                qs = queries[name][n]
                fold = folded[name] if engine.startswith("ours") else None
                table[(engine, name, n)] = score(qs, expected[name], by_corpus[name], fold)
        for n in LENGTHS:
            s = score(queries["pages"][n], own, by_corpus["pages"], folded["pages"] if engine.startswith("ours") else None)
            s["precision"] = None  # recall only: a match in a label is not wrong for a page index
            table[(engine, "pages/own", n)] = s
    return {"table": table, "timing": timing, "notes": notes, "docs": len(docs), "pages": len(pages),
            "queries": {name: {n: len(queries[name][n]) for n in LENGTHS} for name in corpora}}


def print_report(result: dict) -> None:
    print(f"documents: {result['docs']} (HTML pages found: {result['pages']}); queries per corpus and length: "
          f"{result['queries']}")
    for note in result["notes"]:
        print("  " + note)
    print()
    print(f"{'engine':22} {'corpus':9} {'len':>3} {'queries':>7} {'expected':>8} {'found':>6} "
          f"{'recall':>7} {'precision':>9} {'complete':>8} {'繁简+':>5}")
    for (engine, name, n), s in result["table"].items():
        precision = "-" if s["precision"] is None else f"{s['precision']:.1%}"
        print(f"{engine:22} {name:9} {n:>3} {s['queries']:>7} {s['expected']:>8} {s['found']:>6} "
              f"{s['recall']:>7.1%} {precision:>9} {s['complete']:>8.1%} {s['folding_extra']:>5}")
    print()
    for engine, ms in result["timing"].items():
        print(f"time for all queries, {engine}: {ms:.0f} ms")
    print("\nexamples of missed documents (query: expected but not found):")
    for (engine, name, n), s in result["table"].items():
        if s["examples_missed"] and name != "pages":
            print(f"  {engine} {name} {n}: " + "; ".join(f"{q}: {', '.join(m)}" for q, m in s["examples_missed"][:3]))


# --------------------------------------------------------------------------- at scale

def synthetic_docs(site, count: int, chars: int, seed: int) -> list[SearchDoc]:
    """``count`` documents of ``chars`` characters: random spans (4–60 characters) of the site's own text,
    so words and their frequencies are those of real disclosure documents."""
    import datetime as dt

    source = "".join(f for d in documents(site) for f in d.fields)
    source = "".join(c for c in source if c not in IGNORED)
    rng = random.Random(seed)
    topics = [t.name for t in site.config.topics]
    out = []
    for n in range(count):
        parts, length = [], 0
        while length < chars:
            size = rng.randint(4, 60)
            at = rng.randrange(len(source) - size)
            parts.append(source[at:at + size])
            length += size
        body = "".join(parts)[:chars]
        title = body[:24]
        date = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5000))
        out.append(SearchDoc(f"zcwj/doc-{n}/", title, date, "policy", [title, body[24:]],
                             summary=body[24:124], issuer=site.config.issuers[0], topic=topics[n % len(topics)],
                             validity="现行有效", columns=[]))
    out.sort(key=lambda d: (-d.date.toordinal(), d.url))
    return out


def scale(content: Path, count: int, chars: int, seed: int) -> None:
    site = load(content)
    started = time.perf_counter()
    docs = synthetic_docs(site, count, chars, seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    files = build_from_documents(docs, site_columns(site), site.config)
    built = time.perf_counter() - started
    groups: Counter = Counter()
    numbers: Counter = Counter()
    gz: Counter = Counter()
    for path, data in files.items():
        kind = path.split("/")[1]
        groups[kind] += len(data)
        numbers[kind] += 1
    rng = random.Random(seed)
    for path in rng.sample(sorted(files), min(2000, len(files))):  # gzip estimated on a sample
        kind = path.split("/")[1]
        gz[kind, "raw"] += len(files[path])
        gz[kind, "gz"] += len(gzip.compress(files[path], 6))
    total = sum(groups.values())
    print(f"{count} synthetic documents of {chars} characters (random spans of the demo text): "
          f"generated in {generated:.0f} s, indexed in {built:.0f} s")
    print(f"total {total:,} bytes in {len(files):,} files = {total / count:,.0f} bytes per document")
    names = {"i": "term shards (i/)", "t": "hot term lists (t/)", "d": "result records with text (d/)",
             "docs.bin": "filter table (docs.bin)", "manifest.json": "manifest.json"}
    for kind, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        ratio = gz[kind, "gz"] / gz[kind, "raw"] if gz[kind, "raw"] else 1
        print(f"  {names.get(kind, kind):34} {size:>14,} bytes {numbers[kind]:>7,} files "
              f"{size / count:>9,.0f} B/doc  (gzip -6 ≈ {ratio:.0%})")
    shard_sizes = sorted(len(v) for k, v in files.items() if k.startswith("search/i/"))
    hot_sizes = sorted(len(v) for k, v in files.items() if k.startswith("search/t/"))
    print(f"  shards: {len(shard_sizes)}, median {shard_sizes[len(shard_sizes) // 2]:,} B, "
          f"max {shard_sizes[-1]:,} B; hot lists: {len(hot_sizes)}, max {hot_sizes[-1] if hot_sizes else 0:,} B")
    reader = _CountingReader(files)
    rng = random.Random(seed + 1)
    texts = [d.fields[1] for d in docs[:2000]]
    for n in LENGTHS:
        loads = []
        for _ in range(100):
            t = texts[rng.randrange(len(texts))]
            m = [x for x in HAN.finditer(t) if len(x.group()) >= n]
            if not m:
                continue
            run = m[rng.randrange(len(m))].group()
            at = rng.randrange(len(run) - n + 1)
            reader.search(run[at:at + n])
            loads.append(reader.loaded)
        loads.sort()
        print(f"  bytes fetched by a {n}-character query (first query, empty cache; 100 sampled): "
              f"median {loads[len(loads) // 2]:,}, 90th percentile {loads[len(loads) * 9 // 10]:,}, max {loads[-1]:,}")


class _CountingReader(IndexReader):
    """The reference reader, counting the bytes of the index files a query reads (as search.js fetches them)."""

    def __init__(self, files):
        super().__init__(files)
        self.fetched: set[str] = set()

    @property
    def loaded(self) -> int:
        return sum(len(self.files[p]) for p in self.fetched)

    def search(self, query, filters=None):
        self.fetched = set()
        self._shards.clear()  # a cold cache for every query
        self._postings.clear()
        return super().search(query, filters)

    def _shard(self, shard):
        self.fetched.add(f"search/i/{shard}.bin")
        return super()._shard(shard)

    def doc(self, doc_id):
        self.fetched.add(f"search/d/{doc_id // 256}/{doc_id}.json")
        return super().doc(doc_id)

    def posting(self, term, with_positions=False):
        shard = fnv1a(term) & (self.manifest["shards"] - 1)
        entry = self._shard(shard).get(term)
        if entry is not None and not self.is_inline(term):  # external
            n = sorted(self._shard(shard)).index(term)
            self.fetched.add(f"search/t/{shard}-{n}.bin")
            if with_positions and f"search/t/{shard}-{n}-p.bin" in self.files:
                self.fetched.add(f"search/t/{shard}-{n}-p.bin")
        return super().posting(term, with_positions)


# --------------------------------------------------------------------------- the fold table

def make_fold_table(ts_characters: Path, out: Path) -> None:
    """generator/search/t2s.tsv from OpenCC's TSCharacters.txt (see the file's header)."""
    import unicodedata

    pairs = {}
    for line in ts_characters.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        trad, candidates = line.split("\t")
        candidates = candidates.split()
        if len(trad) == 1 and trad not in candidates and len(candidates[0]) == 1:
            pairs[trad] = candidates[0]

    def fold(c):
        seen = set()
        while c in pairs and c not in seen:
            seen.add(c)
            c = pairs[c]
        return c

    table = {t: fold(t) for t in pairs if fold(t) != t and unicodedata.normalize("NFKC", t) == t}
    header = out.read_text(encoding="utf-8").splitlines()[:5] if out.is_file() else []
    lines = [h for h in header if h.startswith("#")] + [f"{t}\t{s}" for t, s in sorted(table.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(table)} pairs written to {out}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", type=Path, default=ROOT / "output", help="the built site")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--queries", type=int, default=200, help="queries per corpus and query length")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="only the Python reader of our index")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--scale", type=int, metavar="DOCS", help="measure index size for DOCS synthetic documents")
    parser.add_argument("--chars", type=int, default=2000, help="characters per synthetic document")
    parser.add_argument("--make-fold-table", type=Path, metavar="TSCharacters.txt")
    args = parser.parse_args(argv)
    if args.make_fold_table:
        make_fold_table(args.make_fold_table, ROOT / "generator/search/t2s.tsv")
        return 0
    if args.scale:
        scale(args.content, args.scale, args.chars, args.seed)
        return 0
    if not args.output.is_dir():
        parser.error(f"{args.output} is not a built site (run `make build`)")
    browser = not args.no_browser and Path(CHROMIUM).exists()
    if not browser and not args.no_browser:
        print(f"note: {CHROMIUM} not found; only the Python reader of our index is measured\n")
    result = evaluate(args.output, args.content, args.queries, args.seed, browser)
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps({"|".join(map(str, k)): v for k, v in result["table"].items()},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
