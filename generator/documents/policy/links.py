"""Relations between policy documents: replacement and amendment links, validity notices.

Editors write a relation on one side only (替代 on the new document or 被替代
on the old one); here both directions are derived, checked for cycles and for
consistency with each document's 有效性, and turned into the notice a repealed
or amended document carries.
"""

from __future__ import annotations

from ...config import REPEALED_STATES, SiteConfig
from ...errors import Report
from ...schema import Located
from .comparisons import link_comparisons
from ..base import DocIndex
from .model import Notice, Policy

_INVERSE = {"replaces": "replaced_by", "amends": "amended_by"}


def _resolve(policies: list[Policy], report: Report) -> None:
    index = DocIndex(policies)

    def lookup(source: Policy, ref: Located, field_key: str) -> Policy | None:
        target = index.resolve(source.source, ref, field_key, f"{field_key}: unknown document {ref.value!r}",
                               "refer to another document by its file name (without .md) or its 索引号", report)
        if target is None:
            return None
        if target is source:
            report.error(source.source, ref.line, f"{field_key}: the document refers to itself",
                         "remove the reference", code="self-reference")
            return None
        return target

    keys = {"replaces": "替代", "replaced_by": "被替代", "amends": "修改", "amended_by": "被修改", "related": "相关文件"}
    edges: dict[str, dict[tuple[int, int], tuple[Policy, Policy, Policy, Located]]] = {"replaces": {}, "amends": {}}
    related: dict[tuple[str, str], tuple[Policy, Policy]] = {}
    for p in policies:
        for attr, refs in p.refs.items():
            for ref in refs:
                target = lookup(p, ref, keys[attr])
                if target is None:
                    continue
                if attr in ("replaces", "amends"):
                    edges[attr].setdefault((id(p), id(target)), (p, target, p, ref))
                elif attr in ("replaced_by", "amended_by"):
                    kind = "replaces" if attr == "replaced_by" else "amends"
                    edges[kind].setdefault((id(target), id(p)), (target, p, p, ref))
                else:
                    pair = tuple(sorted((p, target), key=lambda d: d.id))
                    related.setdefault((pair[0].id, pair[1].id), pair)
    for kind, kind_edges in edges.items():
        for (newer, older, written_in, ref) in kind_edges.values():
            if newer.published < older.published:
                report.error(written_in.source, ref.line,
                             f"{newer.id} ({newer.published}) cannot {'replace' if kind == 'replaces' else 'amend'} "
                             f"{older.id}, which was published later ({older.published})",
                             "check the direction of 替代/修改 and the 发布日期 of both documents", code="date-order")
                continue
            getattr(newer, kind).append(older)
            getattr(older, _INVERSE[kind]).append(newer)
    for a, b in related.values():
        a.related.append(b)
        b.related.append(a)
    for p in policies:
        for attr in ("replaces", "replaced_by", "amends", "amended_by", "related"):
            getattr(p, attr).sort(key=lambda d: d.sort_key, reverse=True)
    _check_cycles(policies, edges, report)
    _check_states(policies, report)


def _check_cycles(policies, edges, report: Report) -> None:
    """A replacement/amendment chain that loops back makes no sense and would hang a reader."""
    graph: dict[int, list[tuple[Policy, Policy, Located]]] = {}
    for kind_edges in edges.values():
        for newer, older, written_in, ref in kind_edges.values():
            graph.setdefault(id(newer), []).append((older, written_in, ref))
    state: dict[int, int] = {}  # 1 = on the stack, 2 = done
    for start in policies:
        if state.get(id(start)):
            continue
        stack = [(start, iter(graph.get(id(start), [])))]
        state[id(start)] = 1
        path = [start]
        while stack:
            node, children = stack[-1]
            advanced = False
            for child, written_in, ref in children:
                if state.get(id(child)) == 1:
                    loop = path[path.index(child):] + [child]
                    report.error(written_in.source, ref.line,
                                 "replacement/amendment cycle: " + " → ".join(d.id for d in loop),
                                 "a document cannot (indirectly) replace or amend itself; remove one reference",
                                 code="reference-cycle")
                elif not state.get(id(child)):
                    state[id(child)] = 1
                    path.append(child)
                    stack.append((child, iter(graph.get(id(child), []))))
                    advanced = True
                    break
            if not advanced:
                state[id(node)] = 2
                stack.pop()
                path.pop()


def _check_states(policies: list[Policy], report: Report) -> None:
    for p in policies:
        if p.replaced_by and p.validity not in REPEALED_STATES:
            newer = p.replaced_by[0]
            report.error(p.source, p.lines["validity"],
                         f"有效性 is {p.validity} but the document is replaced by {newer.id}",
                         "set `有效性: 废止` (or 失效) and `有效性变更日期:` on this document", code="validity")
        if p.amended_by and p.validity == "现行有效":
            newer = p.amended_by[0]
            report.error(p.source, p.lines["validity"],
                         f"有效性 is 现行有效 but the document is amended by {newer.id}",
                         "set `有效性: 已修改` and `有效性变更日期:`", code="validity")
        if p.validity == "已修改" and not p.amended_by:
            report.warning(p.source, p.lines["validity"], "有效性 is 已修改 but no amending document is linked",
                           "add `被修改: [id]` here, or `修改: [this id]` on the amending document, "
                           "so readers can find the amendment", code="validity-link")


def _notice(p: Policy) -> Notice | None:
    if p.validity == "现行有效":
        return None
    links = []
    if p.replaced_by:
        links.append(("替代文件", p.replaced_by))
    if p.amended_by:
        links.append(("修改文件", p.amended_by))
    return Notice(p.validity, p.validity_date, links)


def link_policies(library: dict[str, list], config: SiteConfig, report: Report) -> None:
    """Number and link the policy documents (already unique and newest first); set each one's notice and
    its comparison pages."""
    policies = library["policy"]
    _resolve(policies, report)
    for p in policies:
        p.notice = _notice(p)
    link_comparisons(policies)
