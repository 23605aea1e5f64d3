"""``inspect``: load the site as ``check`` does, run the inspection rules, write the report beside the output.

The report folder (default ``inspection/`` beside the output folder) holds
``index.html``, ``report.json`` and the media state; it is never inside the
output (``build`` replaces that folder whole and publishes all of it) nor
inside the content or theme. Errors in the content do not stop the inspection:
they are findings like the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..parallel import default_jobs
from .build import BuildOptions, load

REPORT_FOLDER = "inspection"


@dataclass
class InspectOptions:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    report_dir: Path | None = None  # default: inspection/ beside the output folder
    fail_on: str = "error"
    today: dt.date | None = None
    jobs: int = field(default_factory=default_jobs)
    use_cache: bool = True
    confirm_media: bool = False
    progress: bool = False

    @property
    def folder(self) -> Path:
        return self.report_dir if self.report_dir is not None else self.output_dir.absolute().parent / REPORT_FOLDER


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_folder(options: InspectOptions) -> None:
    folder = options.folder.resolve()
    for name, other in (("output", options.output_dir), ("content", options.content_dir)):
        other = other.resolve()
        if _inside(folder, other) or _inside(other, folder):
            raise UsageError(f"the report folder {options.folder} overlaps the {name} folder {other}; "
                             "the report is never published: give --report a folder outside both")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"the report folder {options.folder} is a file; remove it or give another --report")


def inspect(options: InspectOptions):
    """Inspect the site; return the :class:`~generator.inspection.output.Inspection` and the report paths."""
    from ..inspection.links import load_state, next_state, write_state
    from ..inspection.output import Inspection, write
    from ..inspection.engine import all_rules, run, severity_of
    from ..inspection.registry import Context, applicable

    _check_folder(options)
    report, site, today = load(BuildOptions(content_dir=options.content_dir, jobs=options.jobs,
                                            use_cache=options.use_cache, progress=options.progress,
                                            today=options.today, output_dir=options.output_dir))
    folder = options.folder
    ctx = Context(site, folder, options.confirm_media) if site is not None else None
    state = load_state(folder) if ctx is not None else None
    findings = run(ctx, report.sorted())
    rules = all_rules()
    settings = site.config.inspection if site is not None else None
    result = Inspection(
        today=today, site_name=site.config.name if site is not None else str(options.content_dir),
        content=str(options.content_dir), fail_on=options.fail_on, findings=findings, rules=rules,
        severities={r.code: severity_of(r, settings) for r in rules},
        applicable={r.code: site is not None and applicable(r, site) for r in rules},
        notes=(ctx.notes if ctx is not None else ["site.yaml 有错误，未能载入网站：只列出了内容校验的问题。"]),
    )
    paths = write(result, folder)
    if ctx is not None:
        write_state(folder, next_state(ctx, state))
    return result, paths
