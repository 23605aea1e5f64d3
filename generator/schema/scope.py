"""Where schema validation reports: the scope of one file, and the errors fields raise."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import Report


class Invalid(Exception):
    """A value does not fit its field; ``line`` overrides the field's line."""

    def __init__(self, message: str, hint: str = "", line: int | None = None):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


class AlreadyReported(Exception):
    """A nested value failed and its diagnostics are already in the report."""


@dataclass
class Scope:
    """Where a value is being validated: file, report and build-wide context."""

    path: Path
    report: Report
    env: dict = field(default_factory=dict)

    def error(self, line: int, message: str, hint: str = "", code: str = "schema") -> None:
        self.report.error(self.path, line, message, hint, code)

    def warning(self, line: int, message: str, hint: str = "", code: str = "schema") -> None:
        self.report.warning(self.path, line, message, hint, code)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.5)
    return f"did you mean {match[0]!r}?" if match else ""


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (empty value)"
    return type(value).__name__


# --------------------------------------------------------------------------- types
