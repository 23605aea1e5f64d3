"""``serve``: build, serve ``output/`` on 127.0.0.1, rebuild on changes, reload open tabs.

* The port is bound first: a busy port is a usage error before anything is built.
* The first build runs in the main thread (Ctrl-C interrupts it cleanly); the
  site already in ``output/`` is served meanwhile.
* watchdog watches the content folder (``site.yaml`` included) and the theme.
  Output, the build's temporary folders and editors' swap files are ignored.
  A burst of edits is debounced into one build once the files have been quiet
  for :data:`QUIET_SECONDS`.
* Rebuilds run in one build thread, always with the same :class:`BuildOptions`
  (so an incremental build can reuse its cache). A change that arrives during a
  build triggers one more build after it.
* A failed build is printed like ``build`` prints it, and shown in the browser
  as an overlay on the last good output, which stays on disk and is served.
* Ctrl-C (SIGINT) or SIGTERM stop the watcher, the build thread and the server,
  join every thread and free the port; the exit code is 0.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..errors import ContentError, GeneratorError, Report, ThemeError, UsageError
from ..i18n import translate, translated
from ..livereload import BuildStatus, LiveState, open_server
from .build import BuildOptions, build

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: A build starts once no file changed for this long (editors save in bursts).
QUIET_SECONDS = 0.3
#: The saved documents' own pages are previewed once no file changed for this long.
PREVIEW_QUIET_SECONDS = 0.05
#: ...but never later than this after the first change of a burst.
MAX_DELAY_SECONDS = 2.0
#: On Ctrl-C, how long a running build may take to finish before it is interrupted.
STOP_GRACE_SECONDS = 2.0


@dataclass
class ServeOptions:
    build: BuildOptions = field(default_factory=BuildOptions)
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    quiet: float = QUIET_SECONDS


# --------------------------------------------------------------------------- what to ignore

#: Folders whose changes never affect the site.
IGNORED_DIRS = {".git", ".hg", ".svn", "__pycache__", ".idea", ".vscode", ".cache"}
#: Editor swap, backup, lock and atomic-save temporary files: vim (.swp, 4913, ~), emacs (.#x, #x#),
#: kate, JetBrains, gedit, and `.name.XXXX.tmp` files that are renamed over the real one.
_SWAP_SUFFIXES = (".swp", ".swo", ".swx", ".swn", "~", ".tmp", ".kate-swp", "___jb_tmp___", "___jb_old___",
                  ".crdownload", ".part")
_SWAP_PREFIXES = (".#", ".goutputstream-", ".~lock.")
_JUNK_NAMES = {"4913", ".DS_Store", "Thumbs.db", "desktop.ini"}


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
        if name in _JUNK_NAMES or name.endswith(_SWAP_SUFFIXES) or name.startswith(_SWAP_PREFIXES):
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


# --------------------------------------------------------------------------- one build


def _relative(path: str) -> str:
    try:
        rel = os.path.relpath(path)
        return path if rel.startswith("..") else rel
    except ValueError:
        return path


class SiteBuilder:
    """Runs ``build`` with fixed options, prints the outcome like ``build`` does, publishes it."""

    def __init__(self, options: BuildOptions, state: LiveState, out=None, err=None,
                 build_fn: Callable[[BuildOptions], object] = build):
        self.options = options
        self.state = state
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.build_fn = build_fn
        self.previewer = None  # generator.render.preview.Preview over the last good build's site
        self._built = None  # the result of the build in progress, once it succeeded

    def preview(self, changed: set[str]) -> None:
        """Serve the saved documents' own pages at once, rendered over the last good site graph; the build
        that follows replaces them. Anything the preview cannot render is left to that build, silently."""
        if self.previewer is None:
            return
        started = time.perf_counter()
        since = time.monotonic()
        previewer = self.previewer
        try:
            pages = previewer.pages(changed)
        except Exception:  # the build will say what is wrong, located, or show the traceback of a bug
            return
        if pages and self.state.preview(pages, since):
            count, seconds = len(pages), time.perf_counter() - started
            self._say(f"previewed {count} page(s) in {seconds:.2f} s; building the rest…")

    def _keep_site(self, result) -> None:
        """Hold the built site graph for previews (after an unchanged build, load it from the cache)."""
        from ..render.preview import Preview
        from .build import load

        site = getattr(result, "site", None)
        if site is None and self.previewer is None and getattr(result, "unchanged", False):
            _, site, _ = load(self.options)
        if site is not None:
            self.previewer = Preview(site, self.options.theme_dir)
            self.previewer.warm()

    def _print(self, *lines: str, error: bool = False) -> None:
        """Print lines already in the build's language (formatted diagnostics, a traceback)."""
        stream = self.err if error else self.out
        for line in lines:
            print(line, file=stream, flush=True)

    def _say(self, *lines: str, error: bool = False) -> None:
        """Print lines written in English, translated into the build's language."""
        self._print(*(translate(line, self.options.lang) for line in lines), error=error)

    def _status(self, ok: bool, summary: str, diagnostics=(), **kwargs) -> BuildStatus:
        lang = self.options.lang
        return BuildStatus(ok, translate(summary, lang), tuple(translated(d, lang) for d in diagnostics),
                           lang=lang, **kwargs)

    def __call__(self, changed: set[str] | None = None, first: bool = False) -> BuildStatus:
        """Build once. On the ``first`` build a usage error (say, an output folder this generator
        did not make) is raised, so ``serve`` exits with code 2; later it is only shown."""
        if changed:
            names = sorted(_relative(p) for p in changed)
            shown = ", ".join(names[:3])
            self._say(f"changed: {shown} and {len(names) - 3} more; rebuilding…" if len(names) > 3
                      else f"changed: {shown}; rebuilding…")
        self.state.set_building(True)
        started = time.perf_counter()
        self._built = None
        try:
            status = self._build(started, first)
        except BaseException:
            self.state.set_building(False)
            raise
        self.state.publish(status)
        if self._built is not None:
            try:
                self._keep_site(self._built)
            except Exception:  # previews are a convenience: without them serve still rebuilds
                self.previewer = None
        return status

    def _build(self, started: float, first: bool) -> BuildStatus:
        try:
            result = self.build_fn(self.options)
        except UsageError:
            if first:
                raise
            return self._failure_from_message(started)
        except ContentError as e:
            diagnostics = e.report.sorted()
            self._print(*(d.format(self.options.lang) for d in diagnostics), error=True)
            summary = f"build failed: warnings are errors under --strict; {_summary(e.report)}" \
                if e.strict and not e.report.errors else f"build failed: {_summary(e.report)}"
            self._say(f"{summary}; still serving the last good build", error=True)
            return self._status(False, summary, diagnostics, seconds=time.perf_counter() - started)
        except ThemeError as e:
            self._print(e.diagnostic.format(self.options.lang), error=True)
            self._say("build failed: theme error; still serving the last good build", error=True)
            return self._status(False, "build failed: theme error", (e.diagnostic,),
                                seconds=time.perf_counter() - started)
        except GeneratorError:
            return self._failure_from_message(started)
        except Exception as e:  # a bug in the generator: keep serving, show the traceback
            text = traceback.format_exc()
            self._print(text.rstrip(), error=True)
            self._say("build crashed (a bug in the generator); still serving the last good build", error=True)
            return self._status(False, f"build crashed: {type(e).__name__}", detail=text,
                                seconds=time.perf_counter() - started)
        report = result.report
        self._print(*(d.format(self.options.lang) for d in report.sorted()), error=True)
        seconds = time.perf_counter() - started
        done = f"{result.written} pages written, {result.reused} reused"
        self._say(f"built {done} in {seconds:.2f} s; {_summary(report)}")
        self._built = result
        return self._status(True, f"built {done}", seconds=seconds)

    def _failure_from_message(self, started: float) -> BuildStatus:
        e = sys.exc_info()[1]
        self._say(f"error: {e}", "build failed; still serving the last good build", error=True)
        return self._status(False, "build failed", detail=translate(str(e), self.options.lang),
                            seconds=time.perf_counter() - started)


def _summary(report: Report) -> str:
    return report.summary()


# --------------------------------------------------------------------------- the command


def _check_folders(options: BuildOptions) -> None:
    if not options.content_dir.is_dir():
        raise UsageError(f"content folder not found: {options.content_dir}")
    if not (options.theme_dir / "templates").is_dir():
        raise UsageError(f"theme not found: {options.theme_dir} has no templates/ folder")


class _Stop(BaseException):
    """SIGINT or SIGTERM in the main thread."""


def serve(options: ServeOptions) -> int:
    """Run the development server until Ctrl-C or SIGTERM; return 0. Usage problems raise UsageError."""
    bopts = options.build
    _check_folders(bopts)
    state = LiveState()
    server = open_server(options.host, options.port, bopts.output_dir.absolute(), state)
    server_thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                     name="zwgk-http")
    builder = SiteBuilder(bopts, state)
    rebuilder = Rebuilder(builder, quiet=options.quiet, preview_fn=builder.preview)
    rules = IgnoreRules(bopts.output_dir, watched=(bopts.content_dir, bopts.theme_dir))
    observer = None

    main_pid = os.getpid()

    def on_signal(signum, frame):
        if os.getpid() != main_pid:
            # A build worker forked from this process inherited the handler. Ctrl-C reaches the
            # whole process group: the workers leave it to this process, which stops the build;
            # SIGTERM is how a pool stops its workers: die as if no handler were installed.
            if signum == signal.SIGTERM:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
            return
        raise _Stop()

    def say(text: str, error: bool = False) -> None:
        print(translate(text, bopts.lang), file=sys.stderr if error else sys.stdout, flush=True)

    stopped = False
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server_thread.start()
        say(f"serving {bopts.output_dir} at {server.url} (Ctrl-C to stop)")
        if options.host not in ("127.0.0.1", "localhost", "::1"):
            say(f"warning: --host {options.host} may make the site and its drafts visible to other machines",
                error=True)
        watched = [bopts.content_dir, bopts.theme_dir]
        observer = start_watching(watched, rules, rebuilder.changed)
        say(f"watching {watched[0]} and {watched[1]}")
        builder(first=True)
        rebuilder.start()
        while True:
            time.sleep(3600)
    except _Stop:
        stopped = True
    finally:
        # A second Ctrl-C while stopping quits at once.
        signal.signal(signal.SIGINT, lambda s, f: os._exit(130))
        signal.signal(signal.SIGTERM, lambda s, f: os._exit(143))
        if stopped:
            say("stopping…", error=True)
        state.stop()
        if observer is not None:
            observer.stop()
        joined = rebuilder.stop()
        if server_thread.is_alive():
            server.shutdown()
            server_thread.join(5.0)
        server.server_close()  # closes the socket and joins the request threads
        if observer is not None:
            observer.join(5.0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if not joined:
            say("warning: the running build did not stop; exiting anyway", error=True)
    say("stopped; the port is free", error=True)
    return 0


# --------------------------------------------------------------------------- command line


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options ``serve`` adds to --content/--output/--theme/--strict."""
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N",
                   help=f"port to listen on (default: {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--host", default=DEFAULT_HOST, metavar="ADDR",
                   help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)")


def options_from_args(args: argparse.Namespace, lang: str = "en") -> ServeOptions:
    """Serve options from the parsed command line; ``lang``: the language it speaks (``--lang``)."""
    build_options = BuildOptions(content_dir=args.content, output_dir=args.output, theme_dir=args.theme,
                                 strict=args.strict, jobs=args.jobs, use_cache=not args.no_cache, progress=True,
                                 today=args.today, lang=lang,
                                 allow_removal=args.allow_removal)
    return ServeOptions(build_options, host=args.host, port=args.port)
