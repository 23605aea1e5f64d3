"""Interpretations and their policies, linked both ways (三同步), with the timing rule."""

from __future__ import annotations

from ...config import CURRENT_STATES, SiteConfig
from ...errors import Report
from ...workdays import Calendar
from ..base import DocIndex
from .model import FORMS, Interpretation

#: 解读材料 within this many working days of the policy (国办发〔2016〕19号).
INTERPRETATION_DEADLINE = 3


def _check_timing(interp: Interpretation, calendar: Calendar, report: Report) -> None:
    """三同步: an interpretation comes with the newest document it interprets (an amendment and the
    办法 it amends are interpreted together when the amendment is published)."""
    newest = max(interp.policies, key=lambda p: p.published)
    if interp.published < newest.published:
        report.warning(interp.source, interp.lines["published"],
                       f"published {interp.published}, before the policy {newest.id} ({newest.published})",
                       "an interpretation is published with or after its policy; check both dates",
                       code="interpretation-timing")
        return
    late = calendar.working_days_after(newest.published, interp.published)
    if late > INTERPRETATION_DEADLINE:
        report.warning(interp.source, interp.lines["published"],
                       f"published {late} working days after {newest.id} ({newest.published} → "
                       f"{interp.published}); the rule is at most {INTERPRETATION_DEADLINE}",
                       "publish interpretations with their policy (三同步)", code="interpretation-timing")


def link_interpretations(library: dict[str, list], config: SiteConfig, report: Report) -> None:
    """Resolve each interpretation's policies; group interpretations per policy by form; timing checks."""
    policies = library.get("policy", [])
    index = DocIndex(policies)
    calendar = Calendar(config.extra_holidays, config.extra_workdays)
    grouped: dict[str, dict[str, list[Interpretation]]] = {}
    for interp in library["interpretation"]:
        for ref in interp.refs:
            policy = index.resolve(interp.source, ref, "解读文件", f"解读文件: unknown policy document {ref.value!r}",
                                   "refer to the policy by its file name (without .md) or its 索引号", report)
            if policy is None:
                continue
            if policy in interp.policies:
                continue
            interp.policies.append(policy)
            grouped.setdefault(policy.id, {}).setdefault(interp.form, []).append(interp)
        if interp.policies:
            _check_timing(interp, calendar, report)
    for policy_id, forms in grouped.items():
        policy = index.by_id[policy_id]
        policy.interpretations = [(form, sorted(forms[form], key=lambda i: i.sort_key, reverse=True))
                                  for form in FORMS if form in forms]
        policy.interpretation_forms = [form for form, _ in policy.interpretations]
    for policy in policies:
        if policy.category == "规范性文件" and policy.validity in CURRENT_STATES \
                and not policy.interpretations and policy.issuer in config.own_issuers:
            report.warning(policy.source, policy.lines["category"], "a current 规范性文件 without an interpretation",
                           "publish a 政策解读 with it (content/interpretations/, `解读文件: [" + policy.id + "]`)",
                           code="no-interpretation")
