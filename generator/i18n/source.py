"""The package's source as the extractor reads it: modules with their scopes, and its functions.

:class:`Module` indexes one file once (assignments and returns by scope, loops over tables), so that
following a variable to its value costs a dictionary lookup, not a walk of the tree.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Template:
    """One text shown to a user: ``text`` in msgid form, where it is written."""

    text: str
    path: str
    line: int


def hole(expression: str) -> str:
    """A placeholder naming ``expression`` (its own braces become parentheses, so templates stay parseable)."""
    return "{" + expression.replace("{", "(").replace("}", ")") + "}"


def placeholder(node: ast.FormattedValue) -> str:
    text = ast.unparse(node.value)
    if node.conversion in (ord("r"), ord("s"), ord("a")):
        text += "!" + chr(node.conversion)
    if node.format_spec is not None:
        text += ":" + "".join(v.value if isinstance(v, ast.Constant) else "" for v in node.format_spec.values)
    return hole(text)


def escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class Module:
    def __init__(self, path: Path, root: Path):
        self.path = path
        self.rel = path.relative_to(root.parent).as_posix()
        self.tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        # By scope (a function, or None for the module): assignments by name, returns, tuple loops.
        self.assigned: dict[tuple[int, str], list[ast.AST]] = {}
        self.returns: dict[int, list[ast.AST]] = {}
        self.loops: dict[int, list[ast.For]] = {}
        for node in ast.walk(self.tree):
            scope = id(self.function_of(node))
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(t, ast.Name):
                        self.assigned.setdefault((scope, t.id), []).append(node.value)
            elif isinstance(node, ast.Return) and node.value is not None:
                self.returns.setdefault(scope, []).append(node.value)
            elif isinstance(node, ast.For) and isinstance(node.target, ast.Tuple) \
                    and isinstance(node.iter, (ast.Name, ast.Tuple, ast.List)):
                self.loops.setdefault(scope, []).append(node)

    def function_of(self, node: ast.AST) -> ast.AST | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None


@dataclass
class Callable:
    """A function, method or class of the package, with the positions of its text parameters."""

    name: str
    owner: str  # the class of a method, "" otherwise
    module: Module
    node: ast.AST
    params: list[str]  # positional parameters, ``self`` left out
    vararg: str = ""

    def positions(self, names: set[str]) -> dict[str, int]:
        """The positions of the parameters called ``names``."""
        return {p: i for i, p in enumerate(self.params) if p in names}


def calls(call: ast.Call, target: Callable) -> bool:
    """Whether ``call`` can be a call of ``target``: ``x.name()`` calls a method (or a class in a module),
    ``name()`` a function or a class."""
    is_class = target.name != getattr(target.node, "name", "") or isinstance(target.node, ast.ClassDef)
    if isinstance(call.func, ast.Attribute):
        # ``self.problem(...)`` may call a function kept as an attribute; ``Image.new(...)`` is not ours
        on_self = isinstance(call.func.value, ast.Name) and call.func.value.id == "self"
        return bool(target.owner) or is_class or on_self
    return not target.owner or is_class
