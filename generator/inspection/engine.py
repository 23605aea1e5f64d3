"""The run: the build's diagnostics and every applicable rule's findings, at the severities in force."""

from __future__ import annotations

from dataclasses import replace

from ..errors import Diagnostic, Level, display_path
from ..schema import did_you_mean
from . import columns, directory, links, participation, reports, timeliness, wording  # noqa: F401  (they register their rules)
from .registry import BUILD_RULE, RULES, Context, Finding, Rule, applicable


def all_rules() -> list[Rule]:
    """Every rule in declaration order, the build's own last."""
    return [*RULES.values(), BUILD_RULE]


def by_diagnostic() -> dict[str, Rule]:
    """The rule each claimed diagnostic code of ``check`` is filed under."""
    return {code: r for r in RULES.values() for code in r.diagnostics}


def from_diagnostic(d: Diagnostic, claimed: dict[str, Rule]) -> Finding:
    r = claimed.get(d.code, BUILD_RULE)
    return Finding(r.code, str(d.level), d.path, d.line, d.message, d.hint)


def severity_of(r: Rule, settings) -> str:
    """The severity in force: site.yaml ``inspection.severity``, else the rule's default."""
    configured = settings.severity.get(r.code) if settings is not None else None
    return configured[0] if configured else r.severity


def run(ctx: Context | None, diagnostics: list[Diagnostic]) -> list[Finding]:
    """Every finding: the build's diagnostics (filed under their rules, at their own level unless site.yaml
    sets the rule's severity; an error of the build stays an error) and each applicable rule's checks at the
    rule's severity (site.yaml ``inspection.severity``; ``off`` drops them)."""
    rules = all_rules()
    claimed = by_diagnostic()
    settings = ctx.settings if ctx is not None else None
    out: list[Finding] = []
    for d in diagnostics:
        f = from_diagnostic(d, claimed)
        configured = settings.severity.get(f.rule) if settings is not None else None
        if d.level is Level.ERROR or not configured:
            out.append(f)
        elif configured[0] != "off":
            out.append(replace(f, severity=configured[0]))
    if ctx is not None:
        out += _unknown_codes(ctx)
        for r in rules:
            if r.check is None or not applicable(r, ctx.site):
                continue
            wanted = severity_of(r, settings)
            if wanted != "off":
                out += [replace(f, severity=wanted) for f in r.check(ctx)]
    return sorted(set(out), key=Finding.sort_key)




def _unknown_codes(ctx: Context) -> list[Finding]:
    """A severity for a rule that does not exist would silently do nothing: name it."""
    return [Finding(BUILD_RULE.code, "error", display_path(ctx.config.path), line,
                    f"inspection.severity: unknown rule {code!r}",
                    did_you_mean(code, RULES) or "the rules are listed in README.md, section Self-inspection")
            for code, (_, line) in ctx.settings.severity.items() if code not in RULES]
