"""Load the content: site.yaml, then every file read (from the cache when unchanged), then the site graph.

Reading a file is a pure function of its bytes, the files it refers to, the
site configuration and the generator's code, so its result — the document and
its diagnostics — is cached under a hash of exactly those, and computed in
worker processes when there are many. Everything that needs the whole site
(references, index numbers, columns) happens afterwards, in
:func:`generator.structure.site.assemble`, on every build.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from . import cache as cache_module
from .cache import BUILD_DATE, Cache, file_digest, recording_reads, text_digest
from .config import SiteConfig, load_config
from .documents import TYPES
from .errors import Report
from .parallel import ordered_imap
from .readers.discover import discover
from .readers.unreadable import names
from .structure.site import Site, assemble
from .documents.withdrawn import read_withdrawn


@dataclass(frozen=True)
class Task:
    """One file to read: its content type and path."""

    type_name: str
    path: str


@dataclass
class LoadStats:
    files: int = 0
    reused: int = 0


_config: SiteConfig | None = None  # set for forked workers


def _dependency_digest(dependency: str, config: SiteConfig) -> str:
    """The current digest of something a file's reading depended on: a file, or the build date."""
    return config.today.isoformat() if dependency == BUILD_DATE else file_digest(Path(dependency))


def _read(task: Task) -> tuple[bytes, dict[str, str]]:
    """Read one file; return the pickled (document, diagnostics) and the digests of the files it read."""
    assert _config is not None
    report = Report()
    path = Path(task.path)
    read = next(t.read for t in _config.types if t.name == task.type_name)
    with recording_reads(_config.today) as reads:
        doc = read(path, _config, report)
    digests = {p: _dependency_digest(p, _config) for p in sorted(reads)}
    return pickle.dumps((doc, report.diagnostics), protocol=pickle.HIGHEST_PROTOCOL), digests


def _key(config: SiteConfig, task: Task, digest: str) -> str:
    # The working directory is in the key because diagnostics show paths relative to it.
    return text_digest(cache_module.code_digest(), config.digest, task.type_name, digest, os.getcwd())


def _tasks(config: SiteConfig, report: Report) -> list[Task]:
    found = discover(config.content_dir, {t.folder: (t.name, t.suffixes) for t in config.types}, report)
    tasks = []
    for t in config.types:
        paths = found.of(t.name)
        if t.select is not None:
            paths = t.select(config, paths, report)
        tasks += [Task(t.name, str(p)) for p in paths]
    return tasks


class _Storing:
    """Fresh results on their way into the cache, written a few megabytes at a time."""

    LIMIT = 1 << 23

    def __init__(self, cache: Cache | None, keys: dict[Task, str]):
        self.cache, self.keys, self.rows, self.size = cache, keys, [], 0

    def add(self, task: Task, blob: bytes, reads: dict[str, str]) -> None:
        if self.cache is None:
            return
        self.rows.append((task.path, self.keys[task], reads, blob))
        self.size += len(blob)
        if self.size >= self.LIMIT:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.cache.store_parsed(self.rows)
        self.rows, self.size = [], 0


def _add(config: SiteConfig, report: Report, documents: dict[str, list], task: Task, blob: bytes, key: str,
         reads: dict[str, str]) -> None:
    """One file's reading into the documents (or the broken files) and its diagnostics into the report."""
    doc, diagnostics = pickle.loads(blob)
    report.extend(diagnostics)
    if doc is None:
        report.mark_broken(task.type_name, task.path, names(Path(task.path), config.content_dir))
        return
    doc.source_digest = text_digest(key, *sorted(f"{p}={d}" for p, d in reads.items()))
    documents[task.type_name].append(doc)


def load_site(content_dir: Path, report: Report, cache: Cache | None = None, jobs: int = 1,
              progress: Callable[[int, int], None] | None = None, stats: LoadStats | None = None,
              today: dt.date | None = None) -> Site | None:
    """Read and validate all content and build the site graph; ``None`` if site.yaml is unusable.

    ``today`` is the build date (default: the local date).
    """
    global _config
    config = load_config(content_dir, report, TYPES, today)
    if config is None:
        return None
    tasks = _tasks(config, report)
    stats = stats if stats is not None else LoadStats()
    stats.files = len(tasks)
    known = cache.parsed() if cache is not None else {}
    unchanged: dict[Task, dict[str, str]] = {}  # → what its reading read
    keys: dict[Task, str] = {}
    todo: list[Task] = []
    for task in tasks:
        keys[task] = _key(config, task, file_digest(Path(task.path)))
        entry = known.get(task.path)
        if entry is not None and entry[0] == keys[task] and \
                all(_dependency_digest(p, config) == d for p, d in entry[1].items()):
            unchanged[task] = entry[1]
            stats.reused += 1
        else:
            todo.append(task)
    if progress:
        progress(stats.reused, len(tasks))
    documents: dict[str, list] = {t.name: [] for t in config.types}
    _config = config
    fresh = ordered_imap(_read, todo, jobs, (lambda n: progress(n, len(tasks))) if progress else None)
    try:
        # Each fresh result is unpickled (and its bytes dropped) as it arrives, while the workers read on,
        # and each unchanged one is fetched from the cache when its turn comes: the pickles of the whole
        # site are never held at once.
        storing = _Storing(cache, keys)
        for task in tasks:
            if task in unchanged:
                blob, reads = cache.parsed_value(task.path), unchanged[task]
            else:
                blob, reads = next(fresh)
                storing.add(task, blob, reads)
            _add(config, report, documents, task, blob, keys[task], reads)
        next(fresh, None)  # lets it finish: the workers are ended and the progress bar completed
        storing.flush()
    finally:
        fresh.close()
        _config = None
    if cache is not None:
        cache.forget_parsed_except({t.path for t in tasks})
    return assemble(config, documents, report, read_withdrawn(config, report))
