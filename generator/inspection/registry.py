"""The rule registry: every rule of the self-inspection with its code, title, source and severity.

A rule is declared once with :func:`rule`; its check reads the loaded site graph
(``ctx.site``; a rule about a content type reads ``ctx.site.library.get(name,
[])``, so a rule for a type another branch adds is one function) and yields
:class:`Finding` s. Checks the build already makes (``check``'s located
diagnostics) keep running there; a rule names their diagnostic codes in
``diagnostics`` and the inspection files them under it, with its source.
Every other diagnostic of the build is a finding too, under :data:`BUILD_RULE`.
:mod:`.engine` runs them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import display_path
from ..workdays import Calendar

ERROR, WARNING = "error", "warning"
SEVERITY_ORDER = (ERROR, WARNING)


@dataclass(frozen=True)
class Finding:
    """One problem, located: what the report and the JSON list."""

    rule: str  # code of its Rule
    severity: str  # error or warning
    path: str  # as shown to the user (relative to the working directory when inside it)
    line: int
    message: str
    hint: str = ""

    def sort_key(self) -> tuple:
        return (SEVERITY_ORDER.index(self.severity), self.rule, self.path, self.line, self.message)

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: [{self.rule}] {self.message}"
        return text + (f"\n    hint: {self.hint}" if self.hint else "")


@dataclass
class Context:
    """What a check sees: the site graph, the settings, the build date, the report folder (for state)."""

    site: object  # generator.structure.site.Site
    state_dir: Path | None = None
    confirm_media: bool = False
    notes: list[str] = field(default_factory=list)  # said once in the report (e.g. a media baseline recorded)

    @property
    def config(self):
        return self.site.config

    @property
    def settings(self):
        return self.site.config.inspection

    @property
    def today(self) -> dt.date:
        return self.site.today

    @property
    def calendar(self) -> Calendar:
        return Calendar(self.config.extra_holidays, self.config.extra_workdays)

    def finding(self, rule: str, path, line: int, message: str, hint: str = "") -> Finding:
        """A finding of ``rule`` at its default severity (the run applies site.yaml's severities)."""
        return Finding(rule, RULES[rule].severity, display_path(path), int(line or 0), message, hint)


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # in Chinese, as the report shows it
    source: str  # the rule it comes from, cited as gov-requirements.md cites it
    checklist: tuple[str, ...]  # items of the national checklist digest (../shared/gov-requirements.md)
    severity: str
    check: Callable[[Context], Iterable[Finding]] | None = None
    diagnostics: tuple[str, ...] = ()  # codes of `check` diagnostics filed under this rule
    types: tuple[str, ...] = ()  # content types the rule needs; without them it is not applicable
    summary: str = ""  # one line for the README


RULES: dict[str, Rule] = {}


def rule(code: str, title: str, source: str, checklist: tuple[str, ...] = (), severity: str = WARNING,
         diagnostics: tuple[str, ...] = (), types: tuple[str, ...] = (), summary: str = ""):
    """Declare a rule; used as a decorator on its check (or called without one for a diagnostics-only rule)."""
    def register(check=None):
        assert code not in RULES, f"rule {code} declared twice"
        RULES[code] = Rule(code, title, source, checklist, severity, check, diagnostics, types, summary)
        return check
    return register


#: Diagnostics of the build that no rule claims are findings of this rule.
BUILD_RULE = Rule("build", "内容校验（生成器）", "本生成器的内容校验：`python -m generator check` 报告的问题（README “Command line”）",
                  (), ERROR, summary="every other located error or warning of `check`, at its own level")


def applicable(r: Rule, site) -> bool:
    """Does the site have the content types the rule needs?"""
    return all(t in {ct.name for ct in site.config.types} for t in r.types)


def counts(findings: list[Finding]) -> dict[str, int]:
    return {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_ORDER}


def lines_of(path: Path) -> Iterator[tuple[int, str]]:
    """A text file's lines, numbered from 1 (empty for a file that cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return iter(())
    return enumerate(text.splitlines(), 1)
