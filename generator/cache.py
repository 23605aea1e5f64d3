"""The build cache: parsed documents and rendered pages, keyed by content hashes.

Incremental builds must never serve a stale page, so nothing here trusts
modification times. A parsed document is reused only when its file's bytes, every
file it read while parsing (attachments, media, linked files), site.yaml and the
generator's own code all hash as before. A page is reused only when the
fingerprint of everything its template was given is unchanged (see
:mod:`generator.render.fingerprint`). When in doubt, the caller rebuilds.

The cache is one SQLite file per output folder, beside it, so concurrent
builds of different sites do not share state and ``make clean`` removes it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
import os
import re
import stat
import sqlite3
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .version import __version__

SCHEMA_VERSION = "2"
#: Packages whose output is cached with the parsed documents.
CONVERTERS = ("comrak", "markdown", "nh3")


#: Files whose modification time is this close to the start of the build are hashed by their bytes every
#: time: a later edit within the file system's timestamp granularity could keep the same stat ("racily
#: clean", as git calls it).
RACY_NS = 2_000_000_000


@dataclass
class _Digests:
    """File digests of one build: each file hashed once, and not at all when its stat is what the last build
    recorded (the same size, modification and change times and inode: git's index does the same)."""

    started_ns: int
    memo: dict[str, str] = field(default_factory=dict)
    known: dict[str, tuple] = field(default_factory=dict)  # path → (size, mtime_ns, ctime_ns, ino, digest)
    stats: dict[str, tuple] = field(default_factory=dict)  # what this build can record for the next


_digests: contextvars.ContextVar[_Digests | None] = contextvars.ContextVar("generator_digests", default=None)


@contextmanager
def one_digest_per_file():
    """Within a build, hash each file once: the no-change check, the parse cache, the theme digest and
    the asset copies all ask for the same files (a large video would otherwise be read three times)."""
    token = _digests.set(_Digests(time.time_ns()))
    try:
        yield
    finally:
        _digests.reset(token)


def trust_recorded_digests(cache: Cache) -> None:
    """Within :func:`one_digest_per_file`, take the digests of files whose stat is unchanged from the cache."""
    state = _digests.get()
    if state is not None:
        state.known = cache.file_stats()


def record_digests(cache: Cache) -> None:
    """Store the digests of the files this build hashed or trusted, for the next build."""
    state = _digests.get()
    if state is not None and state.stats != state.known:  # (a no-change build leaves them as they were)
        cache.store_file_stats(state.stats)


def file_digest(path: Path | str, info: os.stat_result | None = None) -> str:
    """Hash of a file's bytes, or a marker for a file that is missing (so a deletion changes the key).
    ``info``: the file's ``lstat`` where the caller has it (a folder walk) and the file is no link."""
    state = _digests.get()
    if state is None:
        return _file_digest(path)
    key = os.fspath(path)
    digest = state.memo.get(key)
    if digest is None:
        digest = state.memo[key] = _stat_digest(key, state, info)
    return digest


def _stat_digest(key: str, state: _Digests, info: os.stat_result | None = None) -> str:
    try:
        info = info or os.stat(key)
    except OSError:
        return "missing"
    if not stat.S_ISREG(info.st_mode):
        return f"special:{stat.S_IFMT(info.st_mode)}"
    signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    known = state.known.get(key)
    if known is not None and tuple(known[:4]) == signature:
        state.stats[key] = known
        return known[4]
    digest = _bytes_digest(key)
    if digest != "missing" and max(info.st_mtime_ns, info.st_ctime_ns) < state.started_ns - RACY_NS:
        state.stats[key] = (*signature, digest)
    return digest


def _file_digest(path: Path) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "missing"
    if not stat.S_ISREG(mode):
        return f"special:{stat.S_IFMT(mode)}"  # never open a FIFO or device: it could block forever
    return _bytes_digest(path)


def _bytes_digest(path: str | Path) -> str:
    """Hash of a regular file's bytes (its stat already taken by the caller)."""
    h = hashlib.blake2b(digest_size=16)
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return "missing"
    return h.hexdigest()


def text_digest(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the generator's own sources and data and of its converters' versions: a new version invalidates
    every cache entry. A file stands for the digest of its bytes: within a build whose cache recorded them
    (:func:`trust_recorded_digests`), a file whose stat is unchanged is not read again."""
    root = Path(__file__).parent
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}/{SCHEMA_VERSION}".encode())
    # A new converter or sanitiser may turn the same text into other HTML. (Which converter a site uses is
    # in site.yaml, whose digest is in every key.)
    h.update(" ".join(f"{name} {installed_version(name)}" for name in CONVERTERS).encode())
    files = [os.path.join(folder, name) for folder, _, names in os.walk(root)
             for name in names if name.endswith((".py", ".yaml", ".js", ".tsv"))]
    for path in sorted(files):
        h.update(os.path.relpath(path, root).replace(os.sep, "/").encode())
        h.update(file_digest(path).encode())
    return h.hexdigest()


def installed_version(name: str) -> str:
    """The version of an installed distribution, from the name of its ``.dist-info`` folder, the first on
    ``sys.path`` (as the import system finds it): what ``importlib.metadata.version`` says, without importing
    importlib.metadata and email (about 15 ms, as much as all of a no-change build's checks)."""
    wanted = _dist_name(name)
    for entry in sys.path:
        try:
            found = os.listdir(entry or ".")
        except OSError:  # not a folder (a zip file), or gone
            continue
        for folder in found:
            if folder.endswith(".dist-info"):
                dist, _, version = folder[:-len(".dist-info")].partition("-")
                if _dist_name(dist) == wanted and version:
                    return version
    from importlib.metadata import version as metadata_version  # installed otherwise (an egg …)

    return metadata_version(name)


def _dist_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def tree_digest(folder: Path) -> str:
    """Hash of every file under ``folder`` (a theme): any template or asset change rebuilds every page."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(file_digest(path).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- dependencies read while parsing

_reads: contextvars.ContextVar[set | None] = contextvars.ContextVar("generator_reads", default=None)


#: What a reader records when its result depends on the build date (``--today``), not on a file.
BUILD_DATE = "<build date>"


def record_read(path: Path | str) -> None:
    """Called where content paths are resolved: the file being parsed depends on ``path``."""
    reads = _reads.get()
    if reads is not None:
        reads.add(os.fspath(path))


_reading_date: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("generator_date", default=None)


@contextmanager
def recording_reads(today: dt.date | None = None):
    """Record what the reading inside depends on; ``today`` is the build date readers see (:func:`build_date`)."""
    reads: set[str] = set()
    token = _reads.set(reads)
    date_token = _reading_date.set(today)
    try:
        yield reads
    finally:
        _reads.reset(token)
        _reading_date.reset(date_token)


def build_date() -> dt.date:
    """The build date, for a reader's rule that depends on it (an ID number's birth date is not in the
    future): recorded as a dependency, so the parsed file is read again on another day. Outside a build
    (a unit test calling a rule directly) it is the local date."""
    record_read(BUILD_DATE)
    return _reading_date.get() or dt.date.today()


# --------------------------------------------------------------------------- the store


class Cache:
    """Parsed documents and page fingerprints of one output folder."""

    def __init__(self, path: Path | None):
        self.path = path
        self.db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=OFF")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            version = self.db.execute("SELECT value FROM meta WHERE name='code'").fetchone()
            # The digests of files' bytes do not depend on the code: the generator's own files are among them.
            trust_recorded_digests(self)
            if version is None or version[0] != code_digest():
                self._reset()
                trust_recorded_digests(self)  # none are left
        except (sqlite3.Error, OSError):
            self.db = None  # a broken cache is no cache: the build is full, never wrong

    def _reset(self) -> None:
        assert self.db is not None
        self.db.executescript("""
            DROP TABLE IF EXISTS parsed; DROP TABLE IF EXISTS pages; DROP TABLE IF EXISTS assets;
            DROP TABLE IF EXISTS snapshot; DROP TABLE IF EXISTS files;
            CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ctime INTEGER, ino INTEGER,
                                digest TEXT);
            CREATE TABLE parsed (path TEXT PRIMARY KEY, key TEXT, reads TEXT, value BLOB);
            CREATE TABLE snapshot (id INTEGER PRIMARY KEY CHECK (id = 0), value BLOB);
            CREATE TABLE pages (url TEXT PRIMARY KEY, key TEXT, deps TEXT);
            CREATE TABLE assets (path TEXT PRIMARY KEY, digest TEXT);
            DROP TABLE IF EXISTS search_batches; DROP TABLE IF EXISTS search_state;
            CREATE TABLE search_batches (key TEXT PRIMARY KEY, terms BLOB, lists BLOB);
            CREATE TABLE search_state (folder TEXT PRIMARY KEY, value BLOB);
        """)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code_digest(),))

    @property
    def enabled(self) -> bool:
        return self.db is not None

    @property
    def templates_dir(self) -> Path | None:
        """Where the theme's compiled templates are kept between builds (Jinja checks each against its
        source): compiling them costs more than rendering the pages a one-file edit changes."""
        return self.path.parent / "templates" if self.enabled and self.path is not None else None

    # parsed documents -------------------------------------------------------

    def parsed(self) -> dict[str, tuple[str, dict]]:
        """Key and dependencies of every cached file; the (large) results are fetched one by one."""
        if self.db is None:
            return {}
        rows = self.db.execute("SELECT path, key, reads FROM parsed")
        return {path: (key, json.loads(reads)) for path, key, reads in rows}

    def parsed_value(self, path: str) -> bytes | None:
        if self.db is None:
            return None
        row = self.db.execute("SELECT value FROM parsed WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def store_parsed(self, entries: list[tuple[str, str, dict, bytes]]) -> None:
        """Entries of (path, key, {read path: digest}, pickled result)."""
        if self.db is None:
            return
        rows = [(path, key, json.dumps(reads, sort_keys=True), blob) for path, key, reads, blob in entries]
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)", rows)

    def forget_parsed_except(self, keep: set[str]) -> None:
        if self.db is None:
            return
        stale = [(p,) for (p,) in self.db.execute("SELECT path FROM parsed") if p not in keep]
        with self._transaction():
            self.db.executemany("DELETE FROM parsed WHERE path = ?", stale)

    # pages and assets ---------------------------------------------------------

    def pages(self) -> dict[str, tuple[str, list]]:
        if self.db is None:
            return {}
        return {url: (key, json.loads(deps)) for url, key, deps in self.db.execute("SELECT url, key, deps FROM pages")}

    def assets(self) -> dict[str, str]:
        if self.db is None:
            return {}
        return dict(self.db.execute("SELECT path, digest FROM assets"))

    def replace_outputs(self, pages: dict[str, tuple[str, list]], assets: dict[str, str]) -> None:
        """Record what the output folder now holds; called only after it was swapped in."""
        if self.db is None:
            return
        with self._transaction():
            self.db.execute("DELETE FROM pages")
            self.db.executemany("INSERT INTO pages VALUES (?, ?, ?)",
                                [(url, key, json.dumps(deps)) for url, (key, deps) in sorted(pages.items())])
            self.db.execute("DELETE FROM assets")
            self.db.executemany("INSERT INTO assets VALUES (?, ?)", sorted(assets.items()))

    def forget_outputs(self) -> None:
        """The output folder changed in a way the cache did not see (failed swap): trust none of it."""
        if self.db is not None:
            with self._transaction():
                self.db.execute("DELETE FROM pages")
                self.db.execute("DELETE FROM assets")
                self.db.execute("DELETE FROM snapshot")

    # file digests by stat (see file_digest) ------------------------------------

    def file_stats(self) -> dict[str, tuple]:
        if self.db is None:
            return {}
        try:
            rows = self.db.execute("SELECT path, size, mtime, ctime, ino, digest FROM files").fetchall()
        except sqlite3.OperationalError:  # a new cache: no table yet
            return {}
        return {row[0]: row[1:] for row in rows}

    def store_file_stats(self, stats: dict[str, tuple]) -> None:
        if self.db is None:
            return
        with self._transaction():
            self.db.execute("DELETE FROM files")
            self.db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
                                [(path, *entry) for path, entry in sorted(stats.items())])

    # the search index (see generator.search.incremental) ----------------------

    def search_batches(self, keys: list[str], lists: bool = True) -> dict[str, tuple[bytes, bytes | None]]:
        """Cached posting lists of batches of documents, by key: (terms, lists); lists None unless asked for."""
        if self.db is None or not keys:
            return {}
        column = "lists" if lists else "NULL"
        found: dict[str, tuple[bytes, bytes | None]] = {}
        unique = sorted(set(keys))
        for at in range(0, len(unique), 500):  # below SQLite's limit on parameters
            chunk = unique[at:at + 500]
            rows = self.db.execute(f"SELECT key, terms, {column} FROM search_batches WHERE key IN "
                                   f"({','.join('?' * len(chunk))})", chunk)
            found.update((key, (terms, value)) for key, terms, value in rows)
        return found

    def store_search_batches(self, rows: list[tuple[str, bytes, bytes]]) -> None:
        if self.db is None:
            return
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO search_batches VALUES (?, ?, ?)", rows)

    def keep_search_batches(self, keys: set[str], folders: set[str]) -> None:
        """Forget the batches and the index states that the last build did not use."""
        if self.db is None:
            return
        stale = [(k,) for (k,) in self.db.execute("SELECT key FROM search_batches") if k not in keys]
        states = [(f,) for (f,) in self.db.execute("SELECT folder FROM search_state") if f not in folders]
        with self._transaction():
            self.db.executemany("DELETE FROM search_batches WHERE key = ?", stale)
            self.db.executemany("DELETE FROM search_state WHERE folder = ?", states)

    def search_state(self, folder: str) -> bytes | None:
        if self.db is None:
            return None
        row = self.db.execute("SELECT value FROM search_state WHERE folder = ?", (folder,)).fetchone()
        return row[0] if row else None

    def store_search_state(self, folder: str, value: bytes) -> None:
        if self.db is None:
            return
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO search_state VALUES (?, ?)", (folder, value))

    # the last successful build (see generator.snapshot) -----------------------

    def snapshot(self) -> bytes | None:
        if self.db is None:
            return None
        row = self.db.execute("SELECT value FROM snapshot WHERE id = 0").fetchone()
        return row[0] if row else None

    def store_snapshot(self, value: bytes | None) -> None:
        if self.db is None:
            return
        with self._transaction():
            self.db.execute("DELETE FROM snapshot")
            if value is not None:
                self.db.execute("INSERT INTO snapshot VALUES (0, ?)", (value,))

    @contextmanager
    def _transaction(self):
        assert self.db is not None
        self.db.execute("BEGIN")
        try:
            yield
            self.db.execute("COMMIT")
        except sqlite3.Error:  # a full disk: the cache is dropped (the build is full, never wrong)
            self._give_up()
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _give_up(self) -> None:
        assert self.db is not None
        try:
            self.db.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        self.db.close()
        self.db = None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


def cache_path(output_dir: Path) -> Path:
    """``output/`` → ``.output.cache/build.sqlite`` beside it (git-ignored, removed by ``make clean``)."""
    output = output_dir.absolute()
    return output.parent / f".{output.name}.cache" / "build.sqlite"
