"""Where the benchmark keeps its sites: shared read-only corpora, and one folder per run.

    <root>/corpora/<name>/content        synthesized once, then shared by every bench on the machine
                                          (all worktrees); never written again
    <root>/runs/<date>-<pid>/<label>/     one run's site: content/ (hard links to the corpus), output/,
                                          and the build cache beside it

A run's content folder is a tree of hard links: creating it takes a second even
for 64,000 documents and costs no space. Edits go through :func:`replace_text`,
which writes a new file and renames it over the link, so the shared corpus file
is never written through. Corpus files are also made read-only, so that a write
in place fails (for users other than root). Two benches that need the same
corpus synthesize it once: the second waits on a lock file, and a corpus only
appears under its final name once complete (a rename).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import stat
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import synth
import synth_long

#: Appended to the synthesized site.yaml for --traditional: the 繁體 mirror on.
TRADITIONAL = "\ntraditional:\n  enabled: true\n"
#: A run folder whose process is gone and that has not changed for this long is removed by later runs.
STALE_SECONDS = 3600


@dataclass(frozen=True)
class CorpusSpec:
    n: int
    seed: int = 6
    long: bool = False
    traditional: bool = False
    institutions: int = synth.INSTITUTIONS

    @property
    def label(self) -> str:
        """Short name for tables and the run folder: n4000, n1000-long."""
        return f"n{self.n}" + ("-long" if self.long else "") + ("-traditional" if self.traditional else "")

    @property
    def kind(self) -> str:
        return "long" if self.long else "standard"

    @property
    def name(self) -> str:
        """The corpus's folder: everything that changes its bytes is in the name."""
        extra = "" if self.institutions == synth.INSTITUTIONS else f"-i{self.institutions}"
        return f"v{synth.VERSION}-s{self.seed}-{self.label}{extra}"


@contextmanager
def _locked(path: Path):
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _read_only(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def corpus(root: Path, spec: CorpusSpec, source: Path | None = None) -> Path:
    """The shared content folder of ``spec`` under ``root``: synthesized (or copied from ``source``,
    another root's corpus) unless already there."""
    store = root / "corpora"
    store.mkdir(parents=True, exist_ok=True)
    final = store / spec.name
    with _locked(store / f".{spec.name}.lock"):
        marker = final / "content" / "_bench.json"
        if marker.is_file() and (source is None or marker.read_bytes() == (source / "_bench.json").read_bytes()):
            return final / "content"
        shutil.rmtree(final, ignore_errors=True)
        partial = store / f".{spec.name}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        started = time.perf_counter()
        if source is not None:
            print(f"  copying {source} to {final} …", file=sys.stderr, flush=True)
            shutil.copytree(source, partial / "content")
        else:
            print(f"  synthesizing {spec.n:,} {spec.kind} documents into {final} …", file=sys.stderr, flush=True)
            writer = synth_long.LongWriter if spec.long else synth.Writer
            synth.synthesize(spec.n, partial / "content", spec.seed, spec.institutions, writer)
            if spec.traditional:
                with (partial / "content" / "site.yaml").open("a", encoding="utf-8") as f:
                    f.write(TRADITIONAL)
            _read_only(partial / "content")
        os.rename(partial, final)
        print(f"  … {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return final / "content"


def meta(content: Path) -> dict:
    return json.loads((content / "_bench.json").read_text(encoding="utf-8"))


def replace_text(path: Path, text: str, scratch: Path) -> None:
    """Save ``text`` as ``path`` the way an atomic editor save does: a new file in ``scratch`` (same file
    system, outside the watched content folder) renamed over it. A hard link is replaced, never written."""
    temporary = scratch / f".{path.name}.bench-{os.getpid()}"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunFolder:
    """``<root>/runs/<date>-<pid>/``: this run's sites, removed at the end unless kept."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / "runs" / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
        self.path.mkdir(parents=True)
        self._prune()

    def _prune(self) -> None:
        """Remove the folders of runs whose process is gone (killed benches) and that are idle."""
        for folder in (self.root / "runs").iterdir():
            pid = folder.name.rsplit("-", 1)[-1]
            if folder == self.path or not pid.isdigit() or _alive(int(pid)):
                continue
            touched = max([folder.stat().st_mtime] + [p.stat().st_mtime for p in folder.iterdir()])
            if time.time() - touched > STALE_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)

    def site(self, label: str, shared: Path) -> Path:
        """A fresh site folder with ``content/``: hard links to the shared corpus ``shared``."""
        site_dir = self.path / label
        shutil.rmtree(site_dir, ignore_errors=True)
        site_dir.mkdir()
        shutil.copytree(shared, site_dir / "content", copy_function=os.link)
        return site_dir

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
