"""A rebuild indexes only the batches of documents that changed, and still writes a clean build's bytes.

The index is cut into batches of documents (generator/search/batches.py); a rebuild
takes unchanged batches' lists from the build cache, splices the changed ones into
the previous output's lists (generator/search/splice.py) or, when documents were
added or removed, joins all batches again. Small batches, lists and shards here
(set by the tests) put a handful of documents through every one of those paths;
after every edit the files must equal those of a build from scratch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from pathlib import Path

import pytest

from conftest import Site, tree_digest
from generator import load_site
from generator.cache import Cache
from generator.errors import Report
from generator.output import Writer
from generator.search import batches, incremental, postings, shards
from generator.search.index import build_from_documents, site_columns, update
from generator.search.text import SearchDoc
from test_incremental import World, _build

WORDS = ["文化", "旅游", "美术馆", "管理办法", "通知", "江州市", "规范性文件", "的", "和", "关于", "开放", "發展",
         "ＡＢＣ", "〔2024〕", "1号", " ", "、", "𠀀"]


@pytest.fixture
def small(monkeypatch):
    """Batches of about two documents (stored in the cache a few at a time), short hot lists, small shards."""
    monkeypatch.setattr(batches, "SAVE_BYTES", 300)
    monkeypatch.setattr(postings, "BATCH_DOCS", 2)
    monkeypatch.setattr(postings, "MERGE", 3)
    monkeypatch.setattr(postings, "MAX_DOCS", 3)
    monkeypatch.setattr(shards, "HOT_LIST", 60)
    monkeypatch.setattr(shards, "SHARD_TARGET", 200)


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("incremental"))
    graph = load_site(site.content, Report())
    return site_columns(graph), graph.config


class Index:
    """An index kept up to date like a build keeps it: the cache, the previous output, its files' digests."""

    def __init__(self, root: Path, columns, config):
        self.root, self.columns, self.config = root, columns, config
        self.cache = Cache(root / "cache" / "build.sqlite")
        self.previous: Path | None = None
        self.assets: dict[str, str] = {}
        self.builds = 0

    def build(self, docs: list[SearchDoc]) -> incremental.IndexFiles:
        index = update(docs, self.columns, self.config, cache=self.cache, previous=self.previous,
                       old_assets=self.assets)
        self.builds += 1
        out = self.root / f"out-{self.builds}"
        writer = Writer(out)
        for rel in index.files:
            writer.claim(rel)
        index.write(writer, self.previous)
        expected = build_from_documents(docs, self.columns, self.config)
        assert _files(out) == expected, f"build {self.builds} differs from a build from scratch"
        self.previous, self.assets = out, index.digests
        return index


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _doc(rng: random.Random, n: int) -> SearchDoc:
    text = lambda k: "".join(rng.choice(WORDS) for _ in range(rng.randrange(k)))  # noqa: E731
    fields = [f"第{n}号{text(6)}", text(4), text(40)]
    return SearchDoc(f"d/{n}/", fields[0], dt.date(2024, 1, 1) - dt.timedelta(days=rng.randrange(60)), "policy",
                     fields, topic="综合政务", validity="现行有效", key_fields=[fields[1]] if fields[1] else [])


def _ordered(docs: list[SearchDoc]) -> list[SearchDoc]:
    return sorted(docs, key=lambda d: (-d.date.toordinal(), d.url))


def _retitle(doc: SearchDoc, title: str) -> SearchDoc:
    return dataclasses.replace(doc, title=title, fields=[title, *doc.fields[1:]])


def test_an_edit_indexes_one_batch_and_splices_only_its_changed_terms(tmp_path, small, empty_site):
    rng = random.Random(1)
    docs = _ordered([_doc(rng, n) for n in range(40)])
    index = Index(tmp_path, *empty_site)
    first = index.build(docs).stats
    assert first.indexed == first.batches > 10 and first.spliced == -1

    docs[17] = _retitle(docs[17], "全新的标题")
    again = index.build(docs)
    assert again.stats.indexed == 1  # one batch, out of all of them
    new_terms = {"全", "新", "全新", "新的", "的标", "标题"}  # (of the ones that were not there before)
    assert 0 < again.stats.spliced < 80 and again.stats.spliced >= len(new_terms)
    # The other documents' records and most lists were linked, not written.
    assert again.stats.written < len(again.files) / 3
    assert index.build(docs).stats.indexed == 0  # nothing changed: nothing indexed, nothing spliced
    assert index.build(docs).stats.spliced == 0


def test_random_edits_match_a_build_from_scratch(tmp_path, small, empty_site):
    """Titles, bodies, key fields, dates (documents move), additions, removals, empty and duplicate texts."""
    rng = random.Random(5)
    docs = _ordered([_doc(rng, n) for n in range(30)])
    index = Index(tmp_path, *empty_site)
    index.build(docs)
    count, paths = 30, set()
    for step in range(40):
        op = rng.choice(["title", "title", "body", "keys", "date", "add", "remove", "empty", "twin"])
        at = rng.randrange(len(docs))
        doc = docs[at]
        if op == "title":
            docs[at] = _retitle(doc, rng.choice(WORDS) + doc.title[:rng.randrange(8)])
        elif op == "body":
            docs[at] = dataclasses.replace(doc, fields=[*doc.fields[:2], doc.fields[2] + rng.choice(WORDS) * 30])
        elif op == "keys":
            docs[at] = dataclasses.replace(doc, key_fields=[] if doc.key_fields else [doc.fields[2][:5]])
        elif op == "date":
            docs[at] = dataclasses.replace(doc, date=doc.date - dt.timedelta(days=rng.randrange(1, 30)))
        elif op == "add":
            docs.append(_doc(rng, count))
            count += 1
        elif op == "remove" and len(docs) > 2:
            docs.pop(at)
        elif op == "empty":
            docs[at] = dataclasses.replace(doc, fields=[doc.title, "", ""], key_fields=[])
        elif op == "twin":  # the same texts as another document
            other = rng.choice(docs)
            docs[at] = dataclasses.replace(doc, fields=list(other.fields), key_fields=list(other.key_fields))
        docs = _ordered(docs)
        result = index.build(docs)  # compares with a build from scratch
        paths.add("spliced" if result.stats.spliced >= 0 else "joined")
    assert paths == {"spliced", "joined"}


def test_documents_added_or_removed_reindex_only_their_batches(tmp_path, small, empty_site):
    """An addition or removal moves every later document: the lists are joined again, but from the cached
    batches; only the batch that gained or lost a document is indexed."""
    rng = random.Random(2)
    docs = _ordered([_doc(rng, n) for n in range(40)])
    index = Index(tmp_path, *empty_site)
    index.build(docs)
    newest = dataclasses.replace(_doc(rng, 99), date=dt.date(2030, 1, 1))
    added = index.build([newest, *docs]).stats
    assert added.spliced == -1 and added.indexed <= 2
    removed = index.build([newest, *docs[:20], *docs[21:]]).stats
    assert removed.spliced == -1 and removed.indexed <= 2


def test_a_damaged_previous_output_or_cache_is_never_trusted(tmp_path, small, empty_site):
    rng = random.Random(3)
    docs = _ordered([_doc(rng, n) for n in range(30)])
    index = Index(tmp_path, *empty_site)
    index.build(docs)
    # A shard the next build would splice from is gone: it joins every list instead.
    for path in (index.previous / "search" / "i").iterdir():
        path.unlink()
    docs[5] = _retitle(docs[5], "又一个标题")
    assert index.build(docs).stats.spliced == -1
    # The cache's record of the last build is not the previous output's (a build failed after it): joined.
    index.build(docs[1:])
    index.assets = {}
    docs[7] = _retitle(docs[7], "再一个标题")
    assert index.build(docs[1:]).stats.spliced == -1
    # A file the build links is missing from the previous output: it is made again.
    docs[8] = _retitle(docs[8], "第三个标题")
    record = sorted((index.previous / "search" / "d").rglob("*.json"))[-1]
    record.unlink()
    index.build(docs[1:])
    # Rows of the cache that do not load are indexed again.
    index.cache.db.execute("UPDATE search_batches SET lists = x'00'")
    docs[9] = _retitle(docs[9], "第四个标题")
    stats = index.build(docs[1:]).stats
    assert stats.indexed == stats.batches


@pytest.fixture
def counted(monkeypatch, small):
    """How many batches the builds index."""
    calls = []
    real = incremental.batch_parts
    monkeypatch.setattr(incremental, "batch_parts", lambda *args: calls.append(1) or real(*args))
    return calls


def test_a_site_edit_indexes_one_batch_per_index(tmp_path, counted):
    """Through the command: a new title indexes one batch of the site's index and one of the 繁體 mirror's
    (its own index), and the output equals a clean build's."""
    world = World(tmp_path, 21)
    for _ in range(30):
        world.add_doc()
    world.flush()
    assert _build(world.content, world.theme, world.inc, jobs=1) == "ok"
    assert len(counted) > 20
    counted.clear()
    world.docs[world.plain()[10]]["标题"] = "改过的标题"
    world.flush()
    assert _build(world.content, world.theme, world.inc, jobs=1) == "ok"
    assert len(counted) == 2
    clean = tmp_path / "clean"
    assert _build(world.content, world.theme, clean, jobs=1, use_cache=False) == "ok"
    assert tree_digest(world.inc) == tree_digest(clean)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2))
def test_random_site_edits_with_small_batches_match_a_clean_build(tmp_path, seed, small):
    """tests/test_incremental.py's random edits (the mirror on), with batches of a few documents."""
    world = World(tmp_path, 100 + seed)
    for _ in range(12):
        world.add_doc()
    world.flush()
    assert _build(world.content, world.theme, world.inc, jobs=1) == "ok"
    for step in range(12):
        op = world.edit()
        inc = _build(world.content, world.theme, world.inc, jobs=1)
        clean_dir = tmp_path / f"clean-{step}"
        clean = _build(world.content, world.theme, clean_dir, jobs=1, use_cache=False)
        assert inc == clean, f"step {step} ({op})"
        if inc == "ok":
            assert tree_digest(world.inc) == tree_digest(clean_dir), f"step {step} ({op}) differs from a clean build"
            shutil.rmtree(clean_dir)


def test_an_edit_changing_many_terms_joins_every_list(tmp_path, small, empty_site, monkeypatch):
    rng = random.Random(4)
    docs = _ordered([_doc(rng, n) for n in range(20)])
    index = Index(tmp_path, *empty_site)
    index.build(docs)
    monkeypatch.setattr(incremental, "SPLICE_MOST", 3)
    docs[4] = _retitle(docs[4], "许多新的词语")
    stats = index.build(docs).stats
    assert stats.spliced == -1 and stats.indexed == 1


def test_files_given_to_a_sink_as_they_are_made_are_the_files_of_a_build_without_one(small, empty_site):
    """A build's sink gets the records and a full join's shard files one by one, as each is made (so that they
    are not all held at once); with what is left in the result they are exactly a build's files without it."""
    rng = random.Random(5)
    docs = _ordered([_doc(rng, n) for n in range(40)])
    columns, config = empty_site
    sunk: dict[str, bytes] = {}

    def sink(rel: str, data: bytes) -> None:
        assert rel not in sunk
        sunk[rel] = data

    index = update(docs, columns, config, sink=sink)
    held = update(docs, columns, config)
    assert any(rel.startswith("search/i/") for rel in sunk) and any(rel.startswith("search/d/") for rel in sunk)
    assert not sunk.keys() & index.files.keys()
    assert {**sunk, **index.files} == held.files == build_from_documents(docs, columns, config)
    assert index.digests == held.digests and index.stats.written == held.stats.written == len(held.files)
