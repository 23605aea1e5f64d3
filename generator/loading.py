"""Load the content: site.yaml, then every file read (from the cache when unchanged), then the site graph.

Reading a file is a pure function of its bytes, the files it refers to, the
site configuration and the generator's code, so its result — the document and
its diagnostics — is cached under a hash of exactly those, and computed in
worker processes when there are many. Everything that needs the whole site
(references, index numbers, columns) happens afterwards, in
:func:`generator.structure.site.assemble`, on every build.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import cache as cache_module
from .cache import Cache, file_digest, recording_reads, text_digest
from .config import SiteConfig, load_config
from .errors import Report
from .parallel import ordered_map
from .readers.discover import discover
from .structure.annual_report import read_annual_report
from .structure.disclosure import named_pages, read_page
from .structure.institution import read_institution
from .structure.interpretation import read_interpretation
from .structure.policy import read_policy
from .structure.site import Site, assemble
from .structure.withdrawn import read_withdrawn

#: Content type → reader(path, config, report) returning the document or None (problems reported).
READERS: dict[str, Callable] = {
    "policy": read_policy,
    "interpretation": read_interpretation,
    "annual_report": read_annual_report,
    "institution": read_institution,
}


@dataclass(frozen=True)
class Task:
    """One file to read: its type, path, and (pages) the column name used as its default title."""

    type_name: str
    path: str
    extra: str = ""


@dataclass
class LoadStats:
    files: int = 0
    reused: int = 0


_config: SiteConfig | None = None  # set for forked workers


def _read(task: Task) -> tuple[bytes, dict[str, str]]:
    """Read one file; return the pickled (document, diagnostics) and the digests of the files it read."""
    assert _config is not None
    report = Report()
    path = Path(task.path)
    with recording_reads() as reads:
        if task.type_name == "page":
            doc = read_page(path, _config, report, task.extra)
        else:
            doc = READERS[task.type_name](path, _config, report)
    digests = {p: file_digest(Path(p)) for p in sorted(reads)}
    return pickle.dumps((doc, report.diagnostics), protocol=pickle.HIGHEST_PROTOCOL), digests


def _key(config: SiteConfig, task: Task, digest: str) -> str:
    # The working directory is in the key because diagnostics show paths relative to it.
    return text_digest(cache_module.code_digest(), config.digest, task.type_name, task.extra, digest, os.getcwd())


def _tasks(config: SiteConfig, report: Report) -> tuple[list[Task], dict[str, str]]:
    found = discover(config.content_dir, report)
    tasks = [Task(t, str(p)) for t in READERS for p in found.of(t)]
    named = named_pages(config, found.of("page"), report)
    tasks += [Task("page", str(config.content_dir / rel), title) for rel, title in named.items()]
    return tasks, {str(config.content_dir / rel): rel for rel in named}


def load_site(content_dir: Path, report: Report, cache: Cache | None = None, jobs: int = 1,
              progress: Callable[[int, int], None] | None = None, stats: LoadStats | None = None) -> Site | None:
    """Read and validate all content and build the site graph; ``None`` if site.yaml is unusable."""
    global _config
    config = load_config(content_dir, report)
    if config is None:
        return None
    tasks, page_paths = _tasks(config, report)
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
                all(file_digest(Path(p)) == d for p, d in entry[1].items()):
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

    documents: dict[str, list] = {t: [] for t in READERS}
    pages = {}
    for task in tasks:
        blob, reads = results[task]
        if blob is None:
            blob = cache.parsed_value(task.path)
        doc, diagnostics = pickle.loads(blob)
        report.extend(diagnostics)
        if doc is None:
            continue
        doc.source_digest = text_digest(keys[task], *sorted(f"{p}={d}" for p, d in reads.items()))
        if task.type_name == "page":
            pages[page_paths[task.path]] = doc
        else:
            documents[task.type_name].append(doc)
    return assemble(config, documents, pages, report, read_withdrawn(config, report))
