"""``build`` and ``check``: load → validate → site graph → render → write atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import load_config
from ..errors import ContentError, Report, UsageError
from ..output import AtomicOutput, Writer
from ..readers.discover import discover
from ..render.renderer import render_site
from ..structure.annual_report import read_annual_report
from ..structure.disclosure import read_pages
from ..structure.institution import read_institution
from ..structure.interpretation import read_interpretation
from ..structure.policy import read_policy
from ..structure.site import Site, assemble

OUTPUT_MARKER = ".generator-output"
#: Content type → reader(path, config, report) returning the document or None (problems reported).
READERS = {
    "policy": read_policy,
    "interpretation": read_interpretation,
    "annual_report": read_annual_report,
    "institution": read_institution,
}


@dataclass
class BuildOptions:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    theme_dir: Path = Path("themes/default")
    strict: bool = False


@dataclass
class BuildResult:
    report: Report
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    site: Site | None = field(default=None, repr=False)


def load_site(content_dir: Path, report: Report) -> Site | None:
    """Read and validate all content and build the site graph; ``None`` if site.yaml is unusable."""
    config = load_config(content_dir, report)
    if config is None:
        return None
    found = discover(content_dir, report)
    documents = {
        type_name: [doc for path in found.of(type_name) if (doc := reader(path, config, report)) is not None]
        for type_name, reader in READERS.items()
    }
    pages = read_pages(config, found.of("page"), report)
    return assemble(config, documents, pages, report)


def _check_folders(options: BuildOptions, writing: bool) -> None:
    content = options.content_dir.resolve()
    if not content.is_dir():
        raise UsageError(f"content folder not found: {options.content_dir}")
    if not writing:
        return
    if not (options.theme_dir / "templates").is_dir():
        raise UsageError(f"theme not found: {options.theme_dir} has no templates/ folder")
    output = options.output_dir.resolve()
    theme = options.theme_dir.resolve()
    for name, folder in (("content", content), ("theme", theme)):
        if output == folder or output in folder.parents or folder in output.parents:
            raise UsageError(f"the output folder {options.output_dir} overlaps the {name} folder {folder}")
    if output.exists() and output.is_dir() and any(output.iterdir()) and not (output / OUTPUT_MARKER).exists():
        raise UsageError(f"{options.output_dir} is not empty and was not made by this generator; "
                         "refusing to replace it (choose another --output or empty it)")


def check(options: BuildOptions) -> BuildResult:
    """Validate everything a build would, write nothing."""
    _check_folders(options, writing=False)
    started = time.perf_counter()
    report = Report()
    site = load_site(options.content_dir, report)
    if site is None or report.failed(options.strict):
        raise ContentError(report, options.strict)
    return BuildResult(report, seconds=time.perf_counter() - started, site=site)


def build(options: BuildOptions) -> BuildResult:
    """Build the site into ``options.output_dir``; on any error the old output stays as it was."""
    _check_folders(options, writing=True)
    result = check(options)
    started = time.perf_counter() - result.seconds
    with AtomicOutput(options.output_dir) as root:
        writer = Writer(root)
        result.pages = render_site(result.site, options.theme_dir, writer)
        writer.write(OUTPUT_MARKER, "This folder is generated; `make build` replaces it.\n", origin="generator")
        result.files = len(writer.written)
    result.seconds = time.perf_counter() - started
    return result
