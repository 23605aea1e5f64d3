"""The content-type registry: every type's declaration is complete, and the code follows the pipeline.

* What the site graph sets on a document must be declared in ``ContentType.derived``: the page
  fingerprints hash exactly those attributes, so an undeclared one would let an incremental build
  serve a stale page. The test compares each document as its reader returns it with the same
  document after the graph was built.
* The import graph of ``generator/`` has no cycles and no arrow from an earlier stage into a later one.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from conftest import ROOT
from generator.documents import TYPES
from generator.errors import Report
from generator.loading import load_site

DEMO = ROOT / "content"
#: Set by loading (the digest of the file and what it read), not by the graph: covered by the digest itself.
LOADING_SET = {"source_digest"}


def _changed(fresh, built) -> set[str]:
    """Attributes whose value differs between a freshly read document and the one in the site graph."""
    out = set()
    for name, value in vars(built).items():
        if name in LOADING_SET:
            continue
        if name not in vars(fresh):
            out.add(name)
            continue
        old = getattr(fresh, name)
        if type(old) is not type(value) or _shape(old) != _shape(value):
            out.add(name)
    return out


def _shape(value):
    """A comparable form: documents by (type, id), containers by their items, other values as they are."""
    if hasattr(value, "type_name") and hasattr(value, "source"):
        return ("doc", value.type_name, value.id)
    if isinstance(value, (list, tuple)):
        return tuple(_shape(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _shape(v)) for k, v in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_shape(getattr(value, f.name)) for f in dataclasses.fields(value)))
    return value


def undeclared(types=TYPES) -> dict[str, set[str]]:
    """Per type: attributes the graph set on the demo's documents that the type does not declare."""
    report = Report()
    site = load_site(DEMO, report, today=dt.date(2026, 12, 7))
    assert site is not None and not report.errors, [d.format() for d in report.errors]
    out: dict[str, set[str]] = {}
    for t in types:
        for built in site.library[t.name]:
            fresh = t.read(built.source, site.config, Report())
            missing = _changed(fresh, built) - set(t.derived)
            if missing:
                out.setdefault(t.name, set()).update(missing)
    return out


def test_every_fact_the_graph_derives_is_declared_for_the_fingerprints():
    assert undeclared() == {}


def test_a_type_that_forgets_a_derived_fact_is_caught():
    """The check above can fail: drop one declared fact of the policy type and it is reported."""
    policy = next(t for t in TYPES if t.name == "policy")
    forgetful = dataclasses.replace(policy, derived=tuple(a for a in policy.derived if a != "notice"))
    assert undeclared((forgetful,)) == {"policy": {"notice"}}


def test_every_type_declares_what_each_stage_needs():
    names = [t.name for t in TYPES]
    assert len(set(names)) == len(names)
    assert len({t.folder for t in TYPES}) == len(TYPES)
    for t in TYPES:
        assert "url" in t.derived, t.name
        assert t.schemas, t.name
        if t.url is not None:
            assert t.page is not None, f"{t.name} has URLs but no page"
        # The document protocol: what the graph, the plan and search rely on.
        for attr in ("type_name", "bodies"):
            assert hasattr(t.model, attr), (t.name, attr)
        assert t.model.type_name == t.name


# --------------------------------------------------------------------------- the import graph

#: Stages of the pipeline, earliest first. A module may import its own stage and earlier ones only.
STAGES = ["readers", "documents", "structure", "search", "render", "commands"]
PACKAGE = ROOT / "generator"


def _imports(path: Path) -> set[str]:
    """Modules of ``generator`` that ``path`` imports at module level or in functions (absolute names)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("generator"):
                # `from X import a` imports the module X.a when there is one, else a name of X.
                names = [f"{target}.{a.name}" for a in node.names]
                modules = [n for n in names if _is_module(n)]
                out.update(modules)
                if len(modules) < len(names):
                    out.add(target)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("generator"))
    return out


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    files = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
             for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def _stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def test_no_import_goes_from_an_earlier_stage_into_a_later_one():
    backwards = []
    for module, targets in _graph().items():
        here = _stage(module)
        for target in targets:
            there = _stage(target)
            if here is not None and there is not None and there > here:
                backwards.append(f"{module} -> {target}")
    assert backwards == []


def test_no_import_cycles():
    graph = _graph()
    seen: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node)
    assert cycles == []


@pytest.mark.parametrize("today", ["2025-02-01", "2027-06-30"])
def test_the_build_date_reaches_the_site(today):
    site = load_site(DEMO, Report(), today=dt.date.fromisoformat(today))
    assert site.today == site.config.today == dt.date.fromisoformat(today)
