"""The array-based index builder writes exactly the bytes of the straightforward one.

``search_reference_builder`` is the old builder, kept as the oracle. Every test
here compares whole indexes (every file, byte for byte) on inputs chosen to hit
the edge cases of the vectorised code: documents split over many batches, terms
whose lists span batches, varints of every width, characters that normalise to
nothing or to several characters, astral code points, empty fields and titles
longer than the title zone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import search_reference_builder as reference
from conftest import Site
from generator import load_site
from generator.errors import Report
from generator.search import build_index, index
from generator.search import pieces as pieces_module
from generator.search import postings as postings_module
from generator.search.index import TITLE_ZONE, build_from_documents, site_columns
from generator.search.pieces import gather, take_pieces
from generator.search.postings import varints
from generator.search.text import SearchDoc, documents

import numpy as np

DEMO = Path(__file__).resolve().parents[1] / "content"

#: Characters the normaliser treats specially, mixed with ordinary ones.
ALPHABET = ("的是在了和有文化旅游局美術館辦法規範"  # frequent, and Traditional forms that fold
            "ＡＢＣａｂｃ１２３"  # full width → ASCII
            "①㈱㍿ﬁ"  # one character → several
            " \u3000\t\u200b\ufeff"  # dropped
            "𠀀𠀁𪚥"  # astral
            "AbZ09-")


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("postings"))
    graph = load_site(site.content, Report())
    return site_columns(graph), graph.config


def assert_same_index(docs, columns, config):
    expected = reference.build_from_documents(docs, columns, config)
    actual = build_from_documents(docs, columns, config)
    assert sorted(actual) == sorted(expected)
    different = [path for path in expected if actual[path] != expected[path]]
    assert not different, f"{len(different)} files differ, e.g. {different[:3]}"


def doc(n: int, title: str, *fields: str, keys: tuple[int, ...] = ()) -> SearchDoc:
    """A document; ``keys``: which of ``fields`` are key fields (文号, 索引号 …)."""
    return SearchDoc(f"d/{n}/", title, dt.date(2024, 1, 1) - dt.timedelta(days=n), "policy", [title, *fields],
                     topic="综合政务", validity="现行有效", key_fields=[fields[k] for k in keys if k < len(fields)])


def test_demo_site_index_is_identical():
    graph = load_site(DEMO, Report())
    assert graph is not None
    expected = reference.build_from_documents(documents(graph), site_columns(graph), graph.config)
    assert build_index(graph) == expected


#: Names whose characters go to the lowest zone, made of ALPHABET's characters: overlapping ("文化" and
#: "化旅游"), one inside another ("旅游局" in "文化旅游局"), and a Traditional one that folds.
NAMES = ["文化旅游局", "旅游局", "化旅游", "美術館", "的是"]


@pytest.mark.property
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(st.text(alphabet=ALPHABET, max_size=60), min_size=1, max_size=4),
                      min_size=1, max_size=25),
       keys=st.lists(st.sets(st.integers(0, 2)), min_size=25, max_size=25),
       batch=st.sampled_from([1, 7, 40, 1 << 20]), merge=st.sampled_from([1, 2, 16]))
def test_random_documents_any_batch_size(texts, keys, batch, merge, empty_site, monkeypatch):
    """Random texts, random key fields, names that occur often: the same bytes, batches of any size, joined
    directly or merged a few at a time first."""
    monkeypatch.setattr(postings_module, "BATCH_CHARS", batch)
    monkeypatch.setattr(postings_module, "MERGE", merge)
    monkeypatch.setattr(pieces_module, "TAKE_BYTES", 16)
    columns, config = empty_site
    config = dataclasses.replace(config, issuers=NAMES)
    docs = [doc(n, fields[0], *fields[1:], keys=tuple(sorted(keys[n]))) for n, fields in enumerate(texts)]
    assert_same_index(docs, columns, config)


def test_long_titles_large_gaps_and_hot_lists(empty_site, monkeypatch):
    """Titles past the title zone, positions and gaps needing 2–3 byte varints, lists long enough to
    be external, a term in the first and the last document only."""
    monkeypatch.setattr(postings_module, "BATCH_CHARS", 5000)
    rng = random.Random(3)
    docs = [doc(0, "起止" + "长" * (TITLE_ZONE + 50), "正文", "文" * (TITLE_ZONE - 5), "键" * 3, keys=(1, 2))]
    for n in range(1, 900):
        body = "".join(rng.choice("的是在了和有规范文件") for _ in range(rng.randint(0, 400)))
        docs.append(doc(n, f"第{n}号", "" if n % 5 else "　", body, "起止" if n == 899 else ""))
    docs.append(doc(900, "长" * TITLE_ZONE, "x" * 20000 + "尾巴"))
    files = build_from_documents(docs, *empty_site)
    assert any(path.startswith("search/t/") for path in files)  # the case is really exercised
    assert_same_index(docs, *empty_site)


def test_documents_with_no_searchable_text(empty_site):
    assert_same_index([doc(0, "", ""), doc(1, "\u200b", " "), doc(2, "标题")], *empty_site)
    assert_same_index([doc(0, "", "")], *empty_site)


@pytest.mark.parametrize("value", [0, 1, 127, 128, 255, 16383, 16384, 2**21 - 1, 2**21, 2**28, 2**32 - 1,
                                   2**32, 2**35 + 5, 2**63 - 1])
def test_varints_match_the_reference_encoding(value):
    expected = bytearray()
    reference.varint(expected, value)
    encoded, width = varints(np.array([3, value, 0], dtype=np.uint64))
    assert bytes(encoded) == b"\x03" + bytes(expected) + b"\x00"
    assert width.tolist() == [1, len(expected), 1]


def test_take_pieces_in_small_steps(monkeypatch):
    monkeypatch.setattr(pieces_module, "TAKE_BYTES", 3)
    stream = np.arange(100, dtype=np.uint8)
    offsets, lengths = np.array([90, 0, 50, 7, 7]), np.array([5, 0, 11, 1, 2])
    expected = b"".join(bytes(stream[o:o + n]) for o, n in zip(offsets, lengths))
    assert bytes(take_pieces(stream, offsets, lengths)) == expected
    assert take_pieces(stream, np.array([], int), np.array([], int)).size == 0


def test_gather_copies_pieces_of_several_streams_in_small_steps(monkeypatch):
    monkeypatch.setattr(pieces_module, "TAKE_BYTES", 3)
    streams = [np.arange(100, dtype=np.uint8), np.arange(100, 140, dtype=np.uint8), np.zeros(0, np.uint8)]
    source, offsets, lengths = np.array([1, 0, 1, 0, 0]), np.array([30, 0, 0, 7, 95]), np.array([5, 0, 11, 1, 5])
    expected = b"".join(bytes(streams[s][o:o + n]) for s, o, n in zip(source, offsets, lengths))
    out = np.full(len(expected) + 4, 255, np.uint8)
    gather(streams, source, offsets, lengths, out, 2)
    assert bytes(out) == b"\xff\xff" + expected + b"\xff\xff"


@pytest.mark.parametrize("bits", [1, 9, 16, 17, 25, 33, 43])
def test_radix_order_is_the_stable_sort_order(bits):
    """Occurrences are put in order by radix sorts of 16-bit digits: the result must be a stable sort's at
    every key width (a batch with more than 2**16 distinct characters has keys of over 33 bits)."""
    rng = np.random.default_rng(bits)
    keys = rng.integers(0, 2 ** bits, 5000, dtype=np.int64)
    keys[::7] = keys[3]  # many equal keys: their order must stay the input order
    assert postings_module._stable_order(keys, bits).tolist() == np.argsort(keys, kind="stable").tolist()
    assert postings_module._stable_order(np.zeros(0, np.int64), bits).size == 0


def test_index_module_keeps_the_reference_hash():
    """search.js and the reader locate a term's shard with this hash; it must not drift."""
    for term in ("美", "美术", "𠀀", "ab", "的是"):
        assert index.fnv1a(term) == reference.fnv1a(term)
