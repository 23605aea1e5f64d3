"""``serve``: build, serve ``output/`` on 127.0.0.1, rebuild on changes, reload open tabs.

* The port is bound first: a busy port is a usage error before anything is built.
* The first build runs in the main thread (Ctrl-C interrupts it cleanly); the
  site already in ``output/`` is served meanwhile.
* What is watched and when a change becomes a build (or a preview of the saved
  document's page first) is :mod:`generator.commands.watching`.
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
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

from ..errors import ContentError, GeneratorError, Report, ThemeError, UsageError
from ..i18n import translate, translated
from ..live_state import BuildStatus, LiveState
from .build import BuildOptions, build
from .serve_args import DEFAULT_HOST, DEFAULT_PORT
from .watching import (MAX_DELAY_SECONDS, PREVIEW_QUIET_SECONDS, QUIET_SECONDS, STOP_GRACE_SECONDS,  # noqa: F401
                       BuildCancelled, IgnoreRules, Rebuilder, start_watching)



@dataclass
class ServeOptions:
    build: BuildOptions = field(default_factory=BuildOptions)
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    quiet: float = QUIET_SECONDS


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
    from ..livereload import open_server  # the HTTP side: not for the other commands, which share the parser

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


def options_from_args(args: argparse.Namespace, lang: str = "en") -> ServeOptions:
    """Serve options from the parsed command line; ``lang``: the language it speaks (``--lang``)."""
    build_options = BuildOptions(content_dir=args.content, output_dir=args.output, theme_dir=args.theme,
                                 strict=args.strict, jobs=args.jobs, use_cache=not args.no_cache, progress=True,
                                 today=args.today, lang=lang,
                                 allow_removal=args.allow_removal)
    return ServeOptions(build_options, host=args.host, port=args.port)
