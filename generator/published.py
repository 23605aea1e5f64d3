"""What the last build published, so that a document cannot vanish, renumber or move without a word.

Citizens and other agencies cite a document by its 索引号 and link to its URL.
After every successful build — once the new output is swapped in — the build
records, for each document that carries a 索引号, its number, URL, title and
file, in ``published.json`` in the cache folder beside the output
(``.output.cache/published.json`` for ``output/``). The next build compares the
site it is about to write with that record and reports, as errors:

* a document whose file is gone (a file that is still there but failed to read
  has its own errors, and is not reported again);
* a document whose 索引号 changed (or was deleted from its file);
* a document whose URL changed (a renamed file, a new ``urls:`` pattern).

A record in ``content/withdrawn.yaml`` for the old 索引号 says a removal or a
renumbering was meant; ``--allow-removal`` accepts every change of one build
(the build lists them). The record is not a cache: ``--no-cache`` still reads
and writes it; ``make clean`` removes it, and the next build, like the first,
has nothing to compare with.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Callable

from .cache import cache_path
from .errors import Report

FORMAT = 1
RECORD_NAME = "published.json"


@dataclass(frozen=True)
class Entry:
    index_no: str
    url: str
    title: str
    source: str  # content-relative POSIX path
    type: str


_FIELDS = [f.name for f in fields(Entry)]


def record_path(output_dir: Path) -> Path:
    return cache_path(output_dir).parent / RECORD_NAME


def _relative(site) -> Callable[[Path], str]:
    """Content-relative POSIX path of a document's source (string slicing: Path.relative_to is slow on 64,000)."""
    prefix = len(str(site.config.content_dir)) + 1
    return lambda source: str(source)[prefix:].replace(os.sep, "/")


def entries(site) -> list[Entry]:
    """Every document of the site that carries a 索引号, as the record keeps it."""
    rel = _relative(site)
    return sorted((Entry(d.index_no, d.url, d.title, rel(d.source), d.type_name) for d in site.indexed if d.index_no),
                  key=lambda e: (e.index_no, e.source))


def load(path: Path) -> list[Entry] | None:
    """The last build's record; ``None`` when there is none (or it cannot be read): nothing to compare."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("fields") != _FIELDS:
            return None
        return [Entry(*e) for e in data["documents"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save(path: Path, records: list[Entry]) -> None:
    """Write the record atomically (a build interrupted here leaves the previous record whole): one line
    per document, so that two records compare with ``diff``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = ",\n".join(json.dumps([e.index_no, e.url, e.title, e.source, e.type], ensure_ascii=False) for e in records)
    data = f'{{"format": {FORMAT}, "fields": {json.dumps(_FIELDS)}, "documents": [\n{rows}\n]}}'
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_ALLOW = "or build with --allow-removal if this is meant"


def _withdraw_hint(old: Entry, today: dt.date) -> str:
    from .documents.withdrawn import WITHDRAWN_FILE  # the document types are loaded only when a build needs them

    return (f"if it was withdrawn, record that in content/{WITHDRAWN_FILE}: `- {{索引号: {old.index_no}, "
            f"标题: {json.dumps(old.title, ensure_ascii=False)}, 撤销日期: {today.isoformat()}, 原因: …}}`; {_ALLOW}")


def compare(previous: list[Entry] | None, site, report: Report, allow: bool) -> list[str]:
    """Report every published document removed, renumbered or moved since ``previous``; with ``allow``,
    return them as accepted lines instead. Withdrawn numbers are accepted silently."""
    if not previous:
        return []
    root, rel = site.config.content_dir, _relative(site)
    docs = site.indexed
    by_index = {d.index_no: d for d in docs if d.index_no}
    by_source = {rel(d.source): d for d in docs}
    withdrawn = {w.index_no for w in site.withdrawn}
    accepted = []
    for old in previous:
        doc = by_index.get(old.index_no)
        if doc is not None:
            if doc.url == old.url:
                continue
            problem = (doc.source, doc.lines["index_no"],
                       f"its page moved from {old.url} to {doc.url} since the last build (索引号 {old.index_no}, "
                       f"was {old.source})",
                       f"links and bookmarks to the old address would break: rename the file back, {_ALLOW}")
        elif old.index_no in withdrawn:
            continue
        elif old.source in by_source:
            doc = by_source[old.source]
            now = f"changed to {doc.index_no}" if doc.index_no else "was deleted from the file"
            problem = (doc.source, doc.lines["index_no"],
                       f"its published 索引号 {old.index_no} {now} since the last build",
                       f"a published 索引号 never changes: restore `索引号: {old.index_no}`; " + _withdraw_hint(old, site.today))
        elif (root / old.source).exists():
            continue  # the file is there but did not read: its own errors say why
        else:
            problem = (root / old.source, 0,
                       f"a published document is gone: 索引号 {old.index_no} 《{old.title}》 ({old.url})",
                       "restore the file; " + _withdraw_hint(old, site.today))
        if allow:
            accepted.append(f"{old.source}: {problem[2]}")
        else:
            report.error(*problem, code="published-changed")
    return accepted
