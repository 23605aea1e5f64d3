"""The inspection report: ``report.json`` for CI and ``index.html`` for the webmaster.

Both are written into the report folder (beside the output folder, never in
it: the report is not published). The JSON schema is stable and documented in
the README (*Self-inspection*); ``version`` changes when a field changes
meaning. The HTML page is self-contained (its style inline, no script, no
external asset), so it opens from the file system, prints, and can be mailed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..version import __version__
from .registry import SEVERITY_ORDER, Finding, Rule, counts

SCHEMA_NAME = "zwgk-inspection"
SCHEMA_VERSION = 1
JSON_NAME, HTML_NAME = "report.json", "index.html"
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "off": "关闭"}
_TEMPLATES = Path(__file__).resolve().parent.parent / "data"


@dataclass
class Inspection:
    """One inspection's result: what both report files show."""

    today: dt.date
    site_name: str
    content: str
    fail_on: str
    findings: list[Finding]
    rules: list[Rule]
    severities: dict[str, str]  # code → severity in force (site.yaml may change the default)
    applicable: dict[str, bool]
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    @property
    def failed(self) -> bool:
        levels = SEVERITY_ORDER[: SEVERITY_ORDER.index(self.fail_on) + 1]
        return any(f.severity in levels for f in self.findings)

    def rule(self, code: str) -> Rule:
        return next(r for r in self.rules if r.code == code)

    def groups(self) -> list[tuple[str, list[tuple[Rule, list[Finding]]]]]:
        """Findings by severity, then by rule, in registry order."""
        out = []
        for severity in SEVERITY_ORDER:
            of_level = [f for f in self.findings if f.severity == severity]
            by_rule = [(r, [f for f in of_level if f.rule == r.code]) for r in self.rules]
            out.append((severity, [(r, fs) for r, fs in by_rule if fs]))
        return out

    def by_rule(self) -> dict[str, dict[str, int]]:
        return {r.code: {s: sum(1 for f in self.findings if f.rule == r.code and f.severity == s)
                         for s in SEVERITY_ORDER} for r in self.rules}


def as_json(result: Inspection) -> dict:
    rules = {r.code: r for r in result.rules}
    return {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "generator": __version__,
        "today": result.today.isoformat(),
        "site": result.site_name,
        "content": result.content,
        "fail_on": result.fail_on,
        "passed": not result.failed,
        "summary": {**result.counts, "total": len(result.findings), "by_rule": result.by_rule()},
        "rules": [{"code": r.code, "title": r.title, "source": r.source, "checklist": list(r.checklist),
                   "severity": result.severities[r.code], "applicable": result.applicable[r.code]}
                  for r in result.rules],
        "notes": list(result.notes),
        "findings": [{"rule": f.rule, "severity": f.severity, "path": f.path, "line": f.line,
                      "message": f.message, "hint": f.hint, "title": rules[f.rule].title,
                      "source": rules[f.rule].source} for f in result.findings],
    }


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["severity"] = lambda s: SEVERITY_LABELS.get(s, s)
    return env


def write(result: Inspection, folder: Path) -> tuple[Path, Path]:
    """Write both files (each replaced in one step); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    page = _environment().get_template("inspection.html").render(r=result, labels=SEVERITY_LABELS,
                                                                    severities=SEVERITY_ORDER)
    paths = (folder / JSON_NAME, folder / HTML_NAME)
    texts = (json.dumps(as_json(result), ensure_ascii=False, indent=1) + "\n", page)
    for path, text in zip(paths, texts):
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return paths
