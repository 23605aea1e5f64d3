"""``build`` and ``check``: load → validate → site graph → render → write atomically.

Both use the build cache beside the output folder (unless told not to): files
whose bytes and dependencies are unchanged are not read again, pages whose
fingerprints are unchanged are not rendered again. A failed build never
touches the output folder, nor the cache's record of what it holds.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from typing import TYPE_CHECKING

from ..cache import Cache, cache_path, one_digest_per_file, record_digests
from ..errors import ContentError, OutputError, Report, UsageError
from ..parallel import default_jobs, held_graph
from ..snapshot import Snapshot, inputs_digest, output_digest

if TYPE_CHECKING:
    from ..loading import LoadStats
    from ..structure.site import Site

# The pipeline (Markdown, Jinja, NumPy…) is imported when a build needs it, not for the
# no-change fast path, which must cost only the proof that nothing changed.

OUTPUT_MARKER = ".generator-output"


@dataclass
class BuildOptions:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    theme_dir: Path = Path("themes/default")
    strict: bool = False
    jobs: int = field(default_factory=default_jobs)
    use_cache: bool = True
    #: Show a progress bar on stderr when it is a terminal and the build takes more than a second.
    progress: bool = False
    #: The build date (``--today``): deadlines and states are computed for it. None: the local date.
    today: dt.date | None = None
    #: Accept published documents removed, renumbered or moved since the last build (see generator.published).
    allow_removal: bool = False
    #: The language of the progress bar (``--lang``); the report itself is translated where it is shown.
    lang: str = "en"


@dataclass
class BuildResult:
    report: Report
    pages: int = 0  # pages written or reused
    written: int = 0
    reused: int = 0
    files: int = 0
    read: int = 0  # content files read (not from the cache)
    seconds: float = 0.0
    unchanged: bool = False  # nothing the build reads changed: the output was left as it was
    accepted: list[str] = field(default_factory=list)  # published documents gone or moved, under --allow-removal
    site: Site | None = field(default=None, repr=False)


def _check_folders(options: BuildOptions, writing: bool) -> None:
    content = options.content_dir.resolve()
    if not content.is_dir():
        raise UsageError(f"content folder not found: {options.content_dir}")
    if options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not writing:
        return
    if not (options.theme_dir / "templates").is_dir():
        raise UsageError(f"theme not found: {options.theme_dir} has no templates/ folder")
    _check_output(options.output_dir)
    output = options.output_dir.resolve()
    theme = options.theme_dir.resolve()
    for name, folder in (("content", content), ("theme", theme)):
        if output == folder or output in folder.parents or folder in output.parents:
            raise UsageError(f"the output folder {options.output_dir} overlaps the {name} folder {folder}")
    if output.exists() and output.is_dir() and any(output.iterdir()) and not (output / OUTPUT_MARKER).exists():
        raise UsageError(f"{options.output_dir} is not empty and was not made by this generator; "
                         "refusing to replace it (choose another --output or empty it)")


def _check_output(output: Path) -> None:
    """Refuse an --output the swap could not replace before any content is read, not after the build."""
    from ..output import own_link

    shown = output
    output = output.absolute()
    if output.is_symlink() and not own_link(output):
        raise UsageError(f"--output {shown} is a symbolic link (to {os.readlink(output)}); "
                         "give the folder itself, the build replaces the path it is given")
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {shown} is a file, not a folder; remove it or choose another --output")
    parent = next((p for p in output.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UsageError(f"--output {shown} cannot be made: {parent} is a file")
    if parent is not None and not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"--output {shown} cannot be written: no permission to write in {parent}")


@contextmanager
def _progress_bar(enabled: bool, description: str, lang: str = "en"):
    """A tqdm bar that shows only in a terminal and only after a second (quiet in CI and on small sites)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    from ..i18n import translate

    bar = tqdm(total=0, desc=translate(description, lang), unit=translate("file", lang), delay=1.0, file=sys.stderr, leave=False,
               dynamic_ncols=True)
    try:
        def update(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
            bar.update(done)
        yield update
    finally:
        bar.close()


def _load(options: BuildOptions, cache: Cache | None) -> tuple[Report, Site | None, LoadStats]:
    from ..loading import LoadStats, load_site

    report = Report()
    stats = LoadStats()
    with _progress_bar(options.progress, "reading", options.lang) as progress:
        site = load_site(options.content_dir, report, cache=cache, jobs=options.jobs, progress=progress,
                         stats=stats, today=options.today)
    return report, site, stats


def _open_cache(options: BuildOptions) -> Cache | None:
    if not options.use_cache:
        return None
    return Cache(cache_path(options.output_dir))  # (which trusts the file digests it recorded)


def _close_cache(cache: Cache | None) -> None:
    if cache is not None:
        record_digests(cache)
        cache.close()


def _dated(options: BuildOptions) -> BuildOptions:
    """The options with the build date fixed for this build: read once, so a build across midnight is one day."""
    return options if options.today is not None else replace(options, today=dt.date.today())


def check(options: BuildOptions) -> BuildResult:
    """Validate everything a build would, write nothing (the parse cache may be filled)."""
    started = time.perf_counter()
    report, site, stats = _validated(_dated(options))
    if site is None or report.failed(options.strict):
        raise ContentError(report, options.strict)
    return BuildResult(report, read=stats.files - stats.reused, seconds=time.perf_counter() - started, site=site)


def load(options: BuildOptions) -> tuple[Report, Site | None, dt.date]:
    """Load and validate as ``check`` does, without failing on errors: for ``inspect``, which reports them,
    and ``serve``, which keeps the site graph. Returns the diagnostics, the site graph (None when site.yaml
    is unusable) and the build date."""
    options = _dated(options)
    report, site, _ = _validated(options)
    return report, site, options.today


def _validated(options: BuildOptions) -> tuple[Report, Site | None, LoadStats]:
    """Everything ``check`` and ``load`` share: the folders checked, then the content read (cache permitting)."""
    _check_folders(options, writing=False)
    with one_digest_per_file():
        cache = _open_cache(options)
        try:
            return _load(options, cache)
        finally:
            _close_cache(cache)


def build(options: BuildOptions) -> BuildResult:
    """Build the site into ``options.output_dir``; on any error the old output stays as it was."""
    from ..output import lock, remove_leftovers

    _check_folders(options, writing=True)
    with one_digest_per_file(), lock(options.output_dir):
        remove_leftovers(options.output_dir)  # of builds that were killed
        return _build(_dated(options))


def _build(options: BuildOptions) -> BuildResult:
    from ..published import record_path

    started = time.perf_counter()
    cache = _open_cache(options)
    record = record_path(options.output_dir)
    try:
        inputs = last = None
        output_intact = False
        if cache is not None and cache.enabled:
            inputs = inputs_digest(options.content_dir, options.theme_dir, options.today)
            last = Snapshot.loads(cache.snapshot())
            output_intact = last is not None and last.output == output_digest(options.output_dir)
        if output_intact and last.inputs == inputs:
            if last.report.failed(options.strict):  # warnings recorded by a lenient build fail a strict one
                raise ContentError(last.report, options.strict)
            return BuildResult(last.report, pages=last.pages, reused=last.pages, files=last.files,
                               seconds=time.perf_counter() - started, unchanged=True)
        with held_graph() as read:
            report, site, load_stats = _load(options, cache)
            read()  # the graph lives until the build ends: collections need not walk it
            return _write(options, cache, record, report, site, load_stats, inputs, output_intact, started)
    except OutputError:
        if cache is not None:
            cache.forget_outputs()
        raise
    finally:
        _close_cache(cache)


def _write(options: BuildOptions, cache: Cache | None, record: Path, report: Report, site: Site | None,
           load_stats: LoadStats, inputs: str | None, output_intact: bool, started: float) -> BuildResult:
    """Render the loaded site into a new output folder and swap it in; record what it published."""
    from .. import published
    from ..output import AtomicOutput, Writer
    from ..render.renderer import render_site

    accepted = []
    if site is not None:
        accepted = published.compare(published.load(record), site, report, options.allow_removal)
    if site is None or report.failed(options.strict):
        raise ContentError(report, options.strict)
    # Unchanged pages are reused from the previous output only when it is exactly as this
    # generator left it: a page edited by hand there must not be linked into the new output.
    previous = options.output_dir if output_intact and (options.output_dir / OUTPUT_MARKER).is_file() \
        else None
    with AtomicOutput(options.output_dir) as root:
        writer = Writer(root)
        writer.claim(OUTPUT_MARKER, origin="generator")
        with _progress_bar(options.progress, "writing", options.lang) as progress:
            stats = render_site(site, options.theme_dir, writer, cache=cache, previous=previous,
                                jobs=options.jobs, progress=progress)
        writer.put(OUTPUT_MARKER, "This folder is generated; `make build` replaces it.\n")
    try:  # only now is it what the public can see
        published.save(record, published.entries(site))
    except OSError as e:
        report.warning(record, 0, f"cannot record what this build published: {e.strerror}",
                       "the next build cannot tell whether a published document was removed or moved",
                       code="published-record")
    if cache is not None:
        cache.replace_outputs(stats.pages, stats.assets)
        if inputs:
            pages = stats.written + stats.reused
            cache.store_snapshot(Snapshot(inputs, output_digest(options.output_dir), report, pages,
                                          len(writer.written)).dumps())
    return BuildResult(report, pages=stats.written + stats.reused, written=stats.written, reused=stats.reused,
                       files=len(writer.written), read=load_stats.files - load_stats.reused,
                       seconds=time.perf_counter() - started, site=site, accepted=accepted)
