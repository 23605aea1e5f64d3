"""The site graph: every document, column, relation and taxonomy, built once.

Built after all content is read and before anything is rendered, so that
cross-links, the home column of each document, listings and site-wide checks
(unique 索引号, references, cycles, empty columns) see the whole site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import CURRENT_STATES, REPEALED_STATES, SiteConfig
from ..errors import Report, display_path
from ..schema import did_you_mean
from ..workdays import Calendar
from .columns import Column, build_columns, fill_columns, walk_all
from .annual_report import AnnualReport, check_against_library, check_years
from .disclosure import DisclosurePage
from .institution import Institution, check_institutions, directory_order
from .interpretation import FORMS, Interpretation, thumbnail_of
from .policy import Policy
from .index_numbers import check_index_numbers
from .relations import Notice, link_policies, unique_ids
from .taxonomy import TermPage, grouped, term_pages
from .withdrawn import Withdrawal

#: 解读材料 within this many working days of the policy (国办发〔2016〕19号).
INTERPRETATION_DEADLINE = 3


@dataclass
class Site:
    config: SiteConfig
    policies: list[Policy]
    interpretations: list[Interpretation]
    reports: list[AnnualReport]
    institutions: list[Institution]
    columns: list[Column]
    home_column: dict[tuple[str, str], Column]  # (type, id) → column
    tags: list[TermPage]
    topics: list[TermPage]
    notices: dict[str, Notice]
    url_of_source: dict[str, str]  # content-relative path → URL
    interpretations_of: dict[str, list[tuple[str, list[Interpretation]]]] = field(default_factory=dict)
    withdrawn: list[Withdrawal] = field(default_factory=list)  # content/withdrawn.yaml, newest first

    @property
    def contact_url(self) -> str | None:
        """The column showing the 联系方式 page (the footer links it), if there is one."""
        return next((c.url for c in walk_all(self.columns) if c.page is not None and c.page.kind == "联系方式"), None)

    @property
    def structure(self) -> str:
        """What every page's frame may show beyond site.yaml: which kind of page each column shows."""
        return "|".join(f"{c.url}={c.page.kind if c.page is not None else ''}" for c in walk_all(self.columns))

    @property
    def pages(self) -> list[DisclosurePage]:
        return [c.page for c in walk_all(self.columns) if c.page is not None]

    @property
    def all_columns(self) -> list[Column]:
        return list(walk_all(self.columns))

    @property
    def tag_groups(self) -> list[tuple[str, list[TermPage]]]:
        return grouped(self.tags)

    @property
    def indexed(self) -> list:
        """Every document of a type that carries a 索引号: they share one numbering."""
        return [d for d in (*self.policies, *self.interpretations, *self.reports, *self.institutions)
                if hasattr(d, "index_no")]

    @property
    def current_policies(self) -> list[Policy]:
        return [p for p in self.policies if p.validity in CURRENT_STATES]

    @property
    def repealed_policies(self) -> list[Policy]:
        return [p for p in self.policies if p.validity in REPEALED_STATES]

    def home_of(self, item) -> Column | None:
        return self.home_column.get((item.type_name, item.id))

    def tag_page(self, name: str) -> TermPage | None:
        return next((t for t in self.tags if t.term.name == name), None)

    def topic_page(self, name: str) -> TermPage | None:
        return next((t for t in self.topics if t.term.name == name), None)

    def interpretation_forms(self, policy: Policy) -> list[str]:
        """The forms of interpretation a policy has, in the fixed form order (for list labels)."""
        return policy.interpretation_forms


def _rel(path: Path, config: SiteConfig) -> str:
    # Content paths come from the content walk (content_dir / relative path): no need to resolve links.
    return path.relative_to(config.content_dir).as_posix()


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


def _link_interpretations(site: Site, report: Report) -> None:
    """Resolve each interpretation's policies; group interpretations per policy by form; timing checks."""
    by_id = {p.id: p for p in site.policies}
    by_index = {p.index_no: p for p in site.policies if p.index_no}
    calendar = Calendar(site.config.extra_holidays, site.config.extra_workdays)
    grouped_by_policy: dict[str, dict[str, list[Interpretation]]] = {}
    for interp in site.interpretations:
        for ref in interp.refs:
            policy = by_id.get(ref.value) or by_index.get(ref.value)
            if policy is None:
                report.error(interp.source, ref.line, f"解读文件: unknown policy document {ref.value!r}",
                             did_you_mean(ref.value, by_id) or "refer to the policy by its file name (without .md) "
                             "or its 索引号", code="unknown-reference")
                continue
            if policy in interp.policies:
                continue
            interp.policies.append(policy)
            grouped_by_policy.setdefault(policy.id, {}).setdefault(interp.form, []).append(interp)
        if interp.policies:
            _check_timing(interp, calendar, report)
    by_id_policy = {p.id: p for p in site.policies}
    for policy_id, forms in grouped_by_policy.items():
        site.interpretations_of[policy_id] = [
            (form, sorted(forms[form], key=lambda i: i.sort_key, reverse=True)) for form in FORMS if form in forms
        ]
        by_id_policy[policy_id].interpretation_forms = [form for form, _ in site.interpretations_of[policy_id]]
    for policy in site.policies:
        if policy.category == "规范性文件" and policy.validity in CURRENT_STATES \
                and policy.id not in site.interpretations_of and policy.issuer in site.config.own_issuers:
            report.warning(policy.source, policy.lines["category"], "a current 规范性文件 without an interpretation",
                           "publish a 政策解读 with it (content/interpretations/, `解读文件: [" + policy.id + "]`)",
                           code="no-interpretation")


def assemble(config: SiteConfig, documents: dict[str, list], pages: dict[str, DisclosurePage],
             report: Report, withdrawn: list[Withdrawal] | None = None) -> Site:
    """Build the graph from every document read (by type) and add every site-wide problem to ``report``."""
    policies, notices = link_policies(documents.get("policy", []), report)
    interpretations = sorted(unique_ids(documents.get("interpretation", []), report), key=lambda i: i.sort_key,
                             reverse=True)
    reports = sorted(unique_ids(documents.get("annual_report", []), report), key=lambda r: r.sort_key,
                     reverse=True)
    institutions = directory_order(unique_ids(documents.get("institution", []), report))
    check_institutions(institutions, report)
    owner: dict[str, object] = {}
    for doc in (*policies, *interpretations, *reports, *institutions):
        doc.url = config.urls[doc.type_name].format(id=doc.id, year=getattr(doc, "year", ""))
        other = owner.setdefault(doc.url, doc)
        if other is not doc:  # two URL patterns of site.yaml `urls:` meet
            report.error(doc.source, 1, f"its page {doc.url} is also the page of {display_path(other.source)}",
                         "rename one of the files, or give the two types different `urls:` in site.yaml",
                         code="duplicate-url")
    for interp in interpretations:
        if interp.image is not None:
            interp.thumbnail = thumbnail_of(interp.image, interp.url)
    for rep in reports:
        check_against_library(rep, policies, config.agency.sponsor, report)
    check_years(reports, report)
    columns = build_columns(config.columns)
    for column in walk_all(columns):
        if column.spec.page in pages:
            column.page = pages[column.spec.page]
            column.page.url = column.url
    site = Site(
        config=config, policies=policies, interpretations=interpretations, reports=reports,
        institutions=institutions, columns=columns, home_column={},
        tags=term_pages(config.tags, "tag", "tags", policies, "tags"),
        topics=term_pages(config.topics, "topic", "topics", policies, "topic"),
        notices=notices, withdrawn=withdrawn or [],
        url_of_source={_rel(d.source, config): d.url
                       for d in (*policies, *interpretations, *reports, *pages.values())},
    )
    check_index_numbers(site.indexed, site.withdrawn, config, report)
    _link_interpretations(site, report)
    site.home_column = fill_columns(
        columns, {"policy": policies, "interpretation": interpretations, "annual_report": reports,
                  "institution": institutions}, config, report)
    for doc in (*policies, *interpretations, *reports, *pages.values()):
        for body in doc.bodies():
            for ref in body.links:
                if ref.kind == "page" and ref.target not in site.url_of_source:
                    report.error(doc.source, ref.line, f"link to {ref.target} does not lead to a published page",
                                 "link to a document's .md file, or to an attachment", code="link")
    return site
