"""The benchmark corpus stays valid: a small synthesized site builds under --strict, the same every time."""

from __future__ import annotations

import pytest

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from conftest import ROOT, THEME  # noqa: E402

pytestmark = pytest.mark.slow  # real servers and processes / a synthesized site of hundreds of pages


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_a_synthesized_site_builds_without_warnings(tmp_path):
    stats = synth.synthesize(90, tmp_path / "content", seed=3, institutions=20)
    assert stats["interpretations"] == 30
    assert stats["repealed"] + stats["amended"] > 0
    content, output = tmp_path / "content", tmp_path / "output"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--strict", "--content", str(content), "--output", str(output),
         "--theme", str(THEME)], capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    assert len(list(output.rglob("*.html"))) > 90 + 30 + 20
    policy = next((content / "policies").glob("*.md")).read_text(encoding="utf-8")
    body = policy.split("\n---\n", 1)[1]
    assert 1500 <= len(re.findall(r"[\u3400-\u9fff]", body)) <= 3300
    assert "\n## " in body and "|---" in body and re.search(r"(?m)^1\. ", body)


def test_the_corpus_is_deterministic(tmp_path):
    synth.synthesize(40, tmp_path / "a", seed=9, institutions=5)
    synth.synthesize(40, tmp_path / "b", seed=9, institutions=5)
    synth.synthesize(40, tmp_path / "c", seed=10, institutions=5)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
