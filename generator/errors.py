"""Diagnostics and the exception classes that carry them to the CLI.

Every problem a user can fix is a :class:`Diagnostic` with a file, a line, a
message and a hint. Checks never stop at the first problem: they add to the
build's :class:`Report`, and the build raises :class:`ContentError` once, at the
end of the phase, with every diagnostic in it. Anything else that escapes is a
bug in the generator and keeps its traceback.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path


class Level(enum.IntEnum):
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Diagnostic:
    """One located problem, printed as ``path:line: level: message``."""

    level: Level
    path: str
    line: int
    message: str
    hint: str = ""
    code: str = ""
    #: Set when the problem only follows from errors in another file (the file shown): it is listed after
    #: every problem of its own, so the cause is read first.
    cause: str = ""

    def sort_key(self) -> tuple:
        return (bool(self.cause), self.path, self.line, -self.level, self.code, self.message)

    def format(self, lang: str = "en") -> str:
        """``path:line: level: message`` and the hint on the next line, in ``lang`` (see :mod:`generator.i18n`)."""
        from .i18n import label, translated

        d = translated(self, lang)
        where = f"{d.path}:{d.line}" if d.line else d.path
        text = f"{where}: {label(str(d.level), lang)}{label('sep', lang)}{d.message}"
        if d.hint:
            text += f"\n    {label('hint', lang)}{d.hint}"
        return text


def display_path(path: str | os.PathLike) -> str:
    """The path as a user should see it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return os.path.relpath(p) if p.is_absolute() and Path.cwd() in p.parents else str(p)
    except ValueError:  # different drive on Windows
        return str(p)


@dataclass
class Report:
    """Every diagnostic of one build. Created per build, never global."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Files that could not be read, as (content type, a name other files refer to it by) → the file shown.
    broken: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, level: Level, path, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.diagnostics.append(
            Diagnostic(level, display_path(path), int(line or 0), message, hint, code)
        )

    def error(self, path, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.add(Level.ERROR, path, line, message, hint, code)

    def warning(self, path, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.add(Level.WARNING, path, line, message, hint, code)

    def extend(self, diagnostics) -> None:
        self.diagnostics.extend(diagnostics)

    def mark_broken(self, type_name: str, path, names) -> None:
        """``path``, a file of ``type_name``, had errors and was left out; other files may call it ``names``."""
        shown = display_path(path)
        for name in names:
            self.broken.setdefault((type_name, name), shown)

    def unresolved(self, path, line: int, message: str, hint: str, code: str, *, name: str, what: str,
                   types=("policy",)) -> None:
        """A reference to ``name`` that leads nowhere: an error, unless ``name`` is a file of one of ``types``
        that had errors of its own. Then it is a consequence, reported once, after its cause."""
        cause = next((self.broken[(t, name)] for t in types if (t, name) in self.broken), None)
        if cause is None:
            self.error(path, line, message, hint, code)
            return
        self.diagnostics.append(Diagnostic(
            Level.ERROR, display_path(path), int(line or 0),
            f"{what}: {name!r} is {cause}, which has errors (reported above)",
            f"fix {cause} first; this reference works once it reads without errors", code, cause=cause))

    @property
    def consequences(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.cause]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.WARNING]

    def summary(self) -> str:
        """How many errors and warnings, and how many of the errors only follow from others."""
        errors, warnings, consequences = len(self.errors), len(self.warnings), len(self.consequences)
        if consequences:
            return f"{errors} error(s) ({consequences} caused by errors in other files), {warnings} warning(s)"
        return f"{errors} error(s), {warnings} warning(s)"

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Sorted and without exact repeats, so output is stable and readable."""
        seen: set[Diagnostic] = set()
        unique = []
        for d in self.diagnostics:
            if d not in seen:
                seen.add(d)
                unique.append(d)
        return sorted(unique, key=Diagnostic.sort_key)


class GeneratorError(Exception):
    """Base class of every error meant for the user rather than a traceback."""

    exit_code = 1


class UsageError(GeneratorError):
    """Raised when the command line is wrong: a missing folder, a bad option value."""

    exit_code = 2


class ContentError(GeneratorError):
    """Raised when the content or site.yaml has errors; carries the whole report."""

    def __init__(self, report: Report, strict: bool = False):
        self.report = report
        self.strict = strict
        self._args = (report, strict)
        n_err = len(report.errors) + (len(report.warnings) if strict else 0)
        super().__init__(f"{n_err} error(s) in the content")

    def __reduce__(self):
        return (type(self), self._args)


class ThemeError(GeneratorError):
    """Raised when a theme template fails to load or render; names the template file and line."""

    def __init__(self, message: str, path: str = "", line: int = 0, hint: str = ""):
        self.diagnostic = Diagnostic(Level.ERROR, display_path(path) if path else "", line, message, hint)
        self._args = (message, path, line, hint)
        super().__init__(self.diagnostic.format())

    def __reduce__(self):
        # Raised in a worker process, it crosses back pickled: keep its parts, not its formatted text.
        return (type(self), self._args)


class OutputError(GeneratorError):
    """Raised when the output folder cannot be written or swapped in."""
