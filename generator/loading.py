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
from .parallel import ordered_map
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
    results: dict[Task, tuple[bytes | None, dict[str, str]]] = {}
    keys: dict[Task, str] = {}
    todo: list[Task] = []
    for task in tasks:
        keys[task] = _key(config, task, file_digest(Path(task.path)))
        entry = known.get(task.path)
        if entry is not None and entry[0] == keys[task] and \
                all(_dependency_digest(p, config) == d for p, d in entry[1].items()):
            results[task] = (None, entry[1])  # fetched from the cache when used, one at a time
            stats.reused += 1
        else:
            todo.append(task)
    if progress:
        progress(stats.reused, len(tasks))
    _config = config
    try:
        fresh = ordered_map(_read, todo, jobs, (lambda n: progress(n, len(tasks))) if progress else None)
    finally:
        _config = None
    results.update(zip(todo, fresh))
    if cache is not None:
        cache.store_parsed([(t.path, keys[t], reads, blob) for t, (blob, reads) in zip(todo, fresh)])
        cache.forget_parsed_except({t.path for t in tasks})

    documents: dict[str, list] = {t.name: [] for t in config.types}
    for task in tasks:
        blob, reads = results[task]
        if blob is None:
            blob = cache.parsed_value(task.path)
        doc, diagnostics = pickle.loads(blob)
        report.extend(diagnostics)
        if doc is None:
            report.mark_broken(task.type_name, task.path, names(Path(task.path), config.content_dir))
            continue
        doc.source_digest = text_digest(keys[task], *sorted(f"{p}={d}" for p, d in reads.items()))
        documents[task.type_name].append(doc)
    return assemble(config, documents, report, read_withdrawn(config, report))
