"""What ``serve`` watches and when it builds: changed files, minus editors' noise, debounced into builds.

* watchdog watches the content folder (``site.yaml`` included) and the theme.
  Output, the build's temporary folders and editors' swap files are ignored.
* A burst of edits is debounced into one build once the files have been quiet
  for :data:`QUIET_SECONDS`; the saved documents' pages are previewed sooner,
  after :data:`PREVIEW_QUIET_SECONDS`, in a thread of their own.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

#: A build starts once no file changed for this long (editors save in bursts).
QUIET_SECONDS = 0.3
#: The saved documents' own pages are previewed once no file changed for this long.
PREVIEW_QUIET_SECONDS = 0.05
#: ...but never later than this after the first change of a burst.
MAX_DELAY_SECONDS = 2.0
#: On Ctrl-C, how long a running build may take to finish before it is interrupted.
STOP_GRACE_SECONDS = 2.0


# --------------------------------------------------------------------------- what to ignore

#: Folders whose changes never affect the site.
IGNORED_DIRS = {".git", ".hg", ".svn", "__pycache__", ".idea", ".vscode", ".cache"}
#: Editor swap, backup, lock and atomic-save temporary files: vim (.swp, 4913, ~), emacs (.#x, #x#),
#: kate, JetBrains, gedit, and `.name.XXXX.tmp` files that are renamed over the real one.
_SWAP_SUFFIXES = (".swp", ".swo", ".swx", ".swn", "~", ".tmp", ".kate-swp", "___jb_tmp___", "___jb_old___",
                  ".crdownload", ".part")
_SWAP_PREFIXES = (".#", ".goutputstream-", ".~lock.")
_JUNK_NAMES = {"4913", ".DS_Store", "Thumbs.db", "desktop.ini"}
#: `sed -i` writes the new text to `sedXXXXXX` beside the file, then renames it over the file.
_SED_TEMP = re.compile(r"sed[A-Za-z0-9]{6}")


class IgnoreRules:
    """Decides which changed paths cannot affect the site."""

    def __init__(self, output_dir: Path, extra_dirs: Iterable[Path] = (), watched: Iterable[Path] = ()):
        self.output = output_dir.resolve()
        # AtomicOutput writes `.output.tmp-XXXX` and parks the old site in `.output.old-XXXX`; the cache
        # is `.output.cache/`: all beside the output folder.
        self.build_prefix = f".{self.output.name}."
        self.dirs = [self.output, *(Path(d).resolve() for d in extra_dirs)]
        # Folder names are judged below these (longest first): a project inside ~/.cache/ is still watched.
        self.bases = sorted({self.output.parent, *(Path(w).resolve() for w in watched)},
                            key=lambda b: len(b.parts), reverse=True)

    def ignored(self, path: str | os.PathLike) -> bool:
        p = Path(os.path.abspath(path))
        name = p.name
        if name in _JUNK_NAMES or name.endswith(_SWAP_SUFFIXES) or name.startswith(_SWAP_PREFIXES) \
                or _SED_TEMP.fullmatch(name):
            return True
        if name.startswith("#") and name.endswith("#"):  # emacs auto-save
            return True
        base = next((b for b in self.bases if b in p.parents), None)
        for part in p.relative_to(base).parts if base is not None else (name,):
            if part in IGNORED_DIRS or part.startswith(self.build_prefix):
                return True
        return any(p == d or d in p.parents for d in self.dirs)


# --------------------------------------------------------------------------- debounced rebuilds


class BuildCancelled(BaseException):
    """Raised inside the build thread to abandon a build when ``serve`` stops."""


class Rebuilder:
    """One build thread fed by change notifications.

    :meth:`changed` may be called from any thread. The thread waits for the
    first change, then until no change arrived for ``quiet`` seconds (at most
    ``max_delay`` after the first), then calls ``build_fn`` with the set of
    changed paths. Changes during a build are collected for the next one.
    With a ``preview_fn``, a second thread calls it as soon as the changes have
    been quiet for ``preview_quiet`` seconds, with the paths changed since its last
    call, whether or not a build is running.
    """

    def __init__(self, build_fn: Callable[[set[str]], None], quiet: float = QUIET_SECONDS,
                 max_delay: float = MAX_DELAY_SECONDS, clock: Callable[[], float] = time.monotonic,
                 preview_fn: Callable[[set[str]], None] | None = None,
                 preview_quiet: float = PREVIEW_QUIET_SECONDS):
        self.build_fn = build_fn
        self.preview_fn = preview_fn
        self.preview_quiet = min(preview_quiet, quiet)
        self.preview_pending: set[str] = set()
        self.preview_last = 0.0
        self._preview_thread: threading.Thread | None = None
        self.quiet = quiet
        self.max_delay = max(max_delay, quiet)
        self.clock = clock
        self.pending: set[str] = set()
        self.first = self.last = 0.0
        self.busy = False
        self.stopping = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def changed(self, paths: Iterable[str]) -> None:
        with self._cond:
            now = self.clock()
            if not self.pending:
                self.first = now
            self.pending.update(str(p) for p in paths)
            self.last = now
            if self.preview_fn is not None:
                self.preview_pending.update(str(p) for p in paths)
                self.preview_last = now
            self._cond.notify_all()

    def start(self) -> None:
        # A daemon thread only so that a build stuck in C code cannot keep the process
        # alive for ever; stop() joins it in every normal case.
        self._thread = threading.Thread(target=self._run, name="zwgk-build", daemon=True)
        self._thread.start()
        if self.preview_fn is not None:
            self._preview_thread = threading.Thread(target=self._previews, name="zwgk-preview", daemon=True)
            self._preview_thread.start()

    def _settle(self, quiet: float, last: Callable[[], float]) -> bool:
        """Wait (holding the condition) until the changes were quiet for ``quiet`` s; False when stopping."""
        while not self.stopping:
            left = min(last() + quiet, self.first + self.max_delay) - self.clock()
            if left <= 0:
                break
            self._cond.wait(left)
        return not self.stopping

    def _next_batch(self) -> set[str] | None:
        with self._cond:
            while not self.pending and not self.stopping:
                self._cond.wait()
            if not self._settle(self.quiet, lambda: self.last):
                return None
            batch, self.pending = self.pending, set()
            self.busy = True
            return batch

    def _previews(self) -> None:
        """The preview thread: the saved documents' pages as soon as the saves are quiet, even while a build
        runs (its own, independent of the build thread)."""
        while True:
            with self._cond:
                while not self.preview_pending and not self.stopping:
                    self._cond.wait()
                if not self._settle(self.preview_quiet, lambda: self.preview_last):
                    return
                batch, self.preview_pending = self.preview_pending, set()
            try:
                self.preview_fn(batch)
            except Exception:  # a preview is a convenience: the build that follows reports any problem
                pass

    def _run(self) -> None:
        try:
            while (batch := self._next_batch()) is not None:
                try:
                    self.build_fn(batch)
                finally:
                    with self._cond:
                        self.busy = False
                        self._cond.notify_all()
        except BuildCancelled:
            pass

    def idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is pending or building (for tests); True if idle."""
        with self._cond:
            return self._cond.wait_for(lambda: not self.pending and not self.busy, timeout)

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> bool:
        """Stop the thread; a running build gets ``grace`` seconds, then is cancelled. True if joined."""
        with self._cond:
            self.stopping = True
            self._cond.notify_all()
        if self._preview_thread is not None:
            self._preview_thread.join(grace)
        thread = self._thread
        if thread is None:
            return True
        thread.join(grace)
        if thread.is_alive() and thread.ident is not None:
            # The build does not poll for cancellation: raise BuildCancelled inside it.
            # Its AtomicOutput then removes the half-written folder; output/ is untouched.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                                       ctypes.py_object(BuildCancelled))
            thread.join(5.0)
        return not thread.is_alive()


# --------------------------------------------------------------------------- watching


def start_watching(paths: list[Path], rules: IgnoreRules, on_change: Callable[[list[str]], None]):
    """Watch ``paths`` recursively; report created/modified/deleted/moved files not ignored."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    kinds = {"created", "modified", "deleted", "moved"}  # not opened/closed: the build reads every file

    class _Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type not in kinds or (event.is_directory and event.event_type == "modified"):
                return
            relevant = [p for p in map(os.fsdecode, (event.src_path, getattr(event, "dest_path", "") or ""))
                        if p and not rules.ignored(p)]
            if len(relevant) == 2:
                # An atomic save (`sed -i`, many editors) moves a temporary file over the real one:
                # name the file that now exists. The build rescans everything either way.
                relevant = relevant[1:]
            if relevant:
                on_change(relevant)

    observer = Observer()
    observer.name = "zwgk-watch"
    handler = _Handler()
    for path in paths:
        observer.schedule(handler, str(path), recursive=True)
    observer.start()
    return observer
