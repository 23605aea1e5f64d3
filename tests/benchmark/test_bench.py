"""The benchmark's own parts: long documents, the shared corpus store, serve latency, the whole run in small."""

from __future__ import annotations

import hashlib
import os
import random
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import store  # noqa: E402
import synth  # noqa: E402
import synth_long  # noqa: E402
from serve_bench import PREVIEW_QUIET_SECONDS  # noqa: E402
from conftest import ROOT, THEME  # noqa: E402

HERE = Path(__file__).resolve().parent


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _build(content: Path, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--strict", "--lang", "en", "--content", str(content),
         "--output", str(output), "--theme", str(THEME)], capture_output=True, text=True, timeout=300,
        cwd=output.parent, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_chinese_numerals_of_long_laws():
    assert [synth._cn(n) for n in (9, 10, 15, 40, 100, 105, 115, 230, 1000, 1015)] == [
        "九", "十", "十五", "四十", "一百", "一百零五", "一百一十五", "二百三十", "一千", "一千零一十五"]


def test_long_bodies_are_mostly_5_to_20_thousand_characters_and_a_few_far_longer():
    rng = random.Random(1)
    lengths = [synth_long.long_target(rng) for _ in range(3000)]
    assert 5000 <= min(lengths) and max(lengths) <= 98_000
    assert sum(n <= 20_000 for n in lengths) / len(lengths) > 0.8
    assert 20 <= sum(n > 50_000 for n in lengths) <= 200
    assert 8000 < statistics.median(lengths) < 13_000


@pytest.mark.slow  # builds a site of long documents
def test_a_long_document_site_builds_under_strict_with_chapters_sections_articles_tables_and_lists(tmp_path):
    stats = synth.synthesize(14, tmp_path / "content", seed=4, institutions=3, writer_class=synth_long.LongWriter)
    assert stats["kind"] == "long" and stats["body_chars"]["min"] >= 5000
    bodies = {p.stem: p.read_text(encoding="utf-8").split("\n---\n", 1)[1]
              for p in (tmp_path / "content" / "policies").glob("*.md")}
    for body in bodies.values():
        assert 5000 <= len(re.findall(r"[\u3400-\u9fff]", body)) <= 100_000
        assert "|---" in body and re.search(r"(?m)^1\. ", body)
    law = next(stem for stem, body in bodies.items() if "### 第二节" in body and re.search(r"(?m)^第十条 ", body))
    assert re.search(r"(?m)^（一）", bodies[law]) and "## 附件1" in bodies[law] and "章 附则" in bodies[law]
    result = _build(tmp_path / "content", tmp_path / "output")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.replace("0 warning(s)", "")
    page = (tmp_path / "output" / "zcwj" / law / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h2[^>]*>第一章 总则</h2>", page) and re.search(r"<h3[^>]*>第一节 ", page)
    assert "<table" in page and "第十条" in page


def _shared(root: str) -> str:
    return str(store.corpus(Path(root), store.CorpusSpec(12, seed=2, institutions=3)))


def test_two_benches_share_one_corpus_and_edits_never_reach_it(tmp_path, capfd):
    with ProcessPoolExecutor(2) as pool:
        first, second = pool.map(_shared, [str(tmp_path)] * 2)
    assert first == second
    assert capfd.readouterr().err.count("synthesizing") == 1  # the second bench waited and reused it
    shared = Path(first)
    before = _digest(shared)
    runs = store.RunFolder(tmp_path)
    site = runs.site("n12", shared)
    victim = next((site / "content" / "policies").glob("*.md"))
    assert victim.stat().st_ino == (shared / "policies" / victim.name).stat().st_ino  # a hard link, no copy
    store.replace_text(victim, "---\n标题: 改\n---\n", site)
    assert victim.read_text(encoding="utf-8") == "---\n标题: 改\n---\n"
    assert _digest(shared) == before
    assert not (shared / "policies" / victim.name).stat().st_mode & 0o222  # read-only: a write in place fails
    runs.remove()
    assert not runs.path.exists() and _digest(shared) == before


def test_a_dead_benchs_idle_run_folder_is_removed_and_a_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale, live = tmp_path / "runs" / f"20260101-000000-{dead.pid}", tmp_path / "runs" / f"20260101-000000-{os.getpid()}"
    for folder in (stale, live):
        (folder / "n10").mkdir(parents=True)
        old = time.time() - store.STALE_SECONDS - 10
        os.utime(folder / "n10", (old, old))
        os.utime(folder, (old, old))
    store.RunFolder(tmp_path).remove()
    assert not stale.exists() and live.exists()


@pytest.mark.slow  # several builds and a real serve
def test_a_small_bench_measures_serve_latency_and_long_documents_and_leaves_the_corpora_intact(tmp_path):
    """`make bench BENCH_ARGS=--quick` in small: every part runs and the report states every target."""
    out = tmp_path / "results.md"
    result = subprocess.run(
        [sys.executable, str(HERE / "run.py"), "--sizes", "30", "--long", "4", "--runs", "1", "--serve-edits", "2",
         "--no-disk", "--institutions", "4", "--root", str(tmp_path), "--out", str(out)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "| cold build (search included) / floor | N = 4,000 | ≤ 0.43× | not measured | n/a |" in text
    assert re.search(r"\| one-file edit, build / floor \| N = 4 long \| ≤ 0\.030× \| \d+\.\d+× \| (yes|\*\*no\*\*) \|",
                     text)
    serve = re.findall(r"(?m)^\| (30|4 long) \| tmpfs \| 2 \| [\d.]+ \| ([\d.]+) \(([\d.]+)–[\d.]+\) \|.*\| yes \|$",
                       text)
    assert [row[0] for row in serve] == ["30", "4 long"]
    # No page can be served before serve's quiet wait has passed: a latency below it measured nothing.
    assert all(float(row[2]) >= PREVIEW_QUIET_SECONDS for row in serve)
    assert "STALE" not in text and "Not reached:" in text
    assert not any((tmp_path / "runs").iterdir())
    for name, writer in (("v%s-s6-n30-i4", synth.Writer), ("v%s-s6-n4-long-i4", synth_long.LongWriter)):
        fresh = tmp_path / "fresh" / name
        synth.synthesize(30 if writer is synth.Writer else 4, fresh, 6, 4, writer)
        assert _digest(tmp_path / "corpora" / (name % synth.VERSION) / "content") == _digest(fresh)
