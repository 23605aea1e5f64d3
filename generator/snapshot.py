"""The no-change fast path: when nothing a build reads has changed, the output is already right.

``make build`` run twice, or ``serve`` woken by an editor saving a file it did
not change, should cost what it takes to *prove* nothing changed, not what it
takes to re-derive the site. After every successful build the cache records a
snapshot: the digest of every input (each content and theme file's bytes, the
generator's code and data, the working folder and the folder names, the
build date, which deadlines and screening depend on) and the digest of the output folder as it was
written (each file's path, size, inode and modification time: a file edited,
deleted or added by hand in the output is noticed), with the build's report.
A build whose inputs and output digests both match the snapshot replays the
report and writes nothing; anything else takes the normal, incremental path.

This module imports nothing heavy, so the fast path does not pay for loading
Markdown, Jinja or NumPy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import stat
from dataclasses import dataclass
from pathlib import Path

from .cache import code_digest, file_digest
from .errors import Report

FORMAT = 1


@dataclass
class Snapshot:
    """What a successful build read and wrote, and what it said."""

    inputs: str
    output: str
    report: Report
    pages: int
    files: int

    def dumps(self) -> bytes:
        return pickle.dumps((FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(data: bytes | None) -> Snapshot | None:
        try:
            version, snapshot = pickle.loads(data) if data else (None, None)
        except Exception:  # a damaged or foreign record is no record
            return None
        return snapshot if version == FORMAT and isinstance(snapshot, Snapshot) else None


def _walk(folder: Path, entry_digest) -> str:
    """Digest of a folder tree: every entry's relative path, kind and ``entry_digest``, in sorted order."""
    h = hashlib.blake2b(digest_size=16)
    stack = [("", str(folder))]
    while stack:
        rel, path = stack.pop()
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as e:
            h.update(f"unreadable:{rel}:{e.errno}\0".encode())
            continue
        children = []
        for entry in entries:
            name = f"{rel}/{entry.name}" if rel else entry.name
            try:
                # A folder is known as one from the listing itself (no stat: half the system calls of an
                # output folder, where every page is a folder of its own).
                info = None if entry.is_dir(follow_symlinks=False) else entry.stat(follow_symlinks=False)
            except OSError:
                h.update(f"gone:{name}\0".encode())
                continue
            if info is None:
                h.update(f"dir:{name}\0".encode())
                children.append((name, entry.path))
            else:
                h.update(f"{name}\0{entry_digest(entry.path, info)}\0".encode("utf-8", "surrogatepass"))
        stack.extend(reversed(children))
    return h.hexdigest()


def _content_entry(path: str, info: os.stat_result) -> str:
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"link:{target}:{file_digest(path)}"
    return file_digest(path, info)


def _output_entry(path: str, info: os.stat_result) -> str:
    return f"{stat.S_IFMT(info.st_mode)}:{info.st_size}:{info.st_ino}:{info.st_mtime_ns}"


def inputs_digest(content_dir: Path, theme_dir: Path, today: dt.date) -> str:
    """Digest of everything a build's output and report depend on (``today``: the build date)."""
    h = hashlib.blake2b(digest_size=16)
    for part in (code_digest(), today.isoformat(), os.getcwd(), str(content_dir), str(theme_dir),
                 _walk(content_dir, _content_entry), _walk(theme_dir, _content_entry)):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def output_digest(output_dir: Path) -> str:
    """Digest of the output folder as it is on disk now (metadata only: it was just written by us)."""
    return _walk(output_dir, _output_entry) if output_dir.is_dir() else "missing"
