"""Find every text the generator shows a user, like ``xgettext`` does, by reading its source.

The English strings stay where they are written (the msgids); this walks the
AST of ``generator/`` and collects each string or f-string that flows into a
message or hint, as a template: literal text with ``{expression}`` where the
f-string interpolates (literal braces doubled, as in ``str.format``).

What counts as shown to a user, without naming each call site:

* an argument given for a parameter named ``message``, ``hint``, ``summary``,
  ``label`` or ``pattern_label`` of any function, method or class (dataclass
  fields too), and ``what`` (a field's name in a message), of any function, method or class
  defined in ``generator/`` — ``report.error``, ``scope.warning``,
  ``Diagnostic``, ``Invalid``, ``ThemeError`` …, and the defaults of those
  parameters;
* the first argument of the exceptions derived from ``GeneratorError``
  (``UsageError``, ``OutputError`` …) and of ``argparse.ArgumentTypeError``;
* the arguments of ``print`` and ``_print`` in the command modules and the
  first argument of ``translate``/``say`` anywhere, ``desc=`` and ``unit=`` of
  a progress bar;
* what functions named ``description``, ``message`` or ``hint`` return, the
  ``label`` attributes of field types and the names of schemas (fragments that
  messages interpolate), and what a package function returns when an f-string
  interpolates its call (``{type_name(value)}``).

An argument that is a variable is followed to its assignments in the function,
a parameter to the arguments of the function's callers, a call to one of the
package's functions to its ``return`` statements. ``python -m generator.i18n.extract``
lists the templates the catalogue lacks and, with ``--add``, appends them to it
with an empty translation for a translator to fill in.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from .source import Callable, Module, Template, calls, escape, hole, placeholder

PACKAGE = Path(__file__).resolve().parent.parent

#: Parameters (and dataclass fields) whose argument is text a user reads.
SINK_PARAMS = {"message", "hint", "summary", "label", "pattern_label", "what"}
#: Functions whose return value is text a user reads.
SINK_FUNCTIONS = {"description", "message", "hint"}
#: Calls whose arguments are all printed (in the command modules).
PRINTERS = {"print", "_print"}
PRINTING_MODULES = ("cli.py", "commands/")
#: Calls that translate their first argument: what it is given is a message.
TRANSLATORS = {"translate", "say", "_say"}
#: Keyword arguments of a progress bar that are shown.
SHOWN_KEYWORDS = {"desc", "unit"}
#: Exceptions from outside the package whose first argument is shown.
EXTERNAL_MESSAGES = {"ArgumentTypeError"}
MAX_DEPTH = 6
#: Package functions whose result is not a text of its own (``Diagnostic.format`` joins translated parts).
NOT_TEXT = {"format", "sorted"}


class Extractor:
    def __init__(self, root: Path = PACKAGE):
        self.modules = [Module(p, root) for p in sorted(root.rglob("*.py"))]
        self.by_path = {m.path: m for m in self.modules}
        self.callables: dict[str, list[Callable]] = {}
        self.generator_errors = {"GeneratorError"}
        self.found: dict[tuple, Template] = {}
        self._resolving: set[tuple] = set()
        self._returning = 0
        self._followed: set[tuple] = set()
        self.calls: dict[str, list[tuple[Module, ast.Call]]] = {}
        for m in self.modules:
            for node in ast.walk(m.tree):
                if isinstance(node, ast.Call):
                    self.calls.setdefault(self._call_name(node), []).append((m, node))
        self._index()

    # ------------------------------------------------------------------ index

    def _index(self) -> None:
        bases: dict[str, set[str]] = {}
        for m in self.modules:
            for node in ast.walk(m.tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    owner = m.parents.get(node)
                    args = node.args
                    params = [a.arg for a in (*args.posonlyargs, *args.args)]
                    if isinstance(owner, ast.ClassDef) and params and params[0] in ("self", "cls"):
                        params = params[1:]
                    params += [a.arg for a in args.kwonlyargs]
                    name = node.name
                    cls = owner.name if isinstance(owner, ast.ClassDef) else ""
                    if name == "__init__" and cls:
                        name = cls
                    self.callables.setdefault(name, []).append(
                        Callable(name, cls, m, node, params, args.vararg.arg if args.vararg else ""))
                elif isinstance(node, ast.ClassDef):
                    bases[node.name] = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
                    fields = [s.target.id for s in node.body
                              if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
                    has_init = any(isinstance(s, ast.FunctionDef) and s.name == "__init__" for s in node.body)
                    if fields and not has_init and any(f in SINK_PARAMS for f in fields):
                        self.callables.setdefault(node.name, []).append(Callable(node.name, "", m, node, fields))
        self.bases = bases
        changed = True
        while changed:
            changed = False
            for cls, parents in bases.items():
                if cls not in self.generator_errors and parents & self.generator_errors:
                    self.generator_errors.add(cls)
                    changed = True

    # ------------------------------------------------------------------ resolution

    def _add(self, module: Module, node: ast.AST, text: str) -> None:
        from .catalogue import literal

        written = literal(text)
        # Text someone wrote in English has Latin letters (Chinese text needs no translation);
        # "{key}: {message}" joins texts that are translated on their own.
        if any(c.isascii() and c.isalpha() for c in written) or ": " in written:
            self.found.setdefault((text, module.rel, node.lineno), Template(text, module.rel, node.lineno))

    def strings(self, node: ast.AST, module: Module, depth: int = 0) -> list[str]:
        """The templates ``node`` can evaluate to (an unknown part becomes a placeholder)."""
        if depth > MAX_DEPTH:
            return [hole(ast.unparse(node))]
        if isinstance(node, ast.Constant):
            return [escape(node.value)] if isinstance(node.value, str) else [hole(repr(node.value))]
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    parts.append(escape(v.value))
                else:
                    parts.append(placeholder(v))
                    if v.conversion != ord("r"):
                        self._fragments(v.value, module, depth)
            return ["".join(parts)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.strings(node.left, module, depth + 1)
            right = self.strings(node.right, module, depth + 1)
            return [a + b for a in left for b in right][:50]
        if isinstance(node, ast.IfExp):
            return self.strings(node.body, module, depth + 1) + self.strings(node.orelse, module, depth + 1)
        if isinstance(node, ast.BoolOp):
            return [s for v in node.values for s in self.strings(v, module, depth + 1)]
        if isinstance(node, ast.Name):
            return self._name(node, module, depth)
        if isinstance(node, ast.Subscript):
            found = self._table(node, module, depth)
            if found:
                return found
        if isinstance(node, ast.Call) and self._call_name(node) in TRANSLATORS and node.args:
            return self.strings(node.args[0], module, depth + 1)
        if isinstance(node, ast.Call) and self._call_name(node) == "get" and isinstance(node.func, ast.Attribute):
            found = self._table(ast.Subscript(node.func.value, ast.Constant(0)), module, depth)  # _WHY.get(k, "")
            if found:
                return found + [hole(ast.unparse(node))]
        if isinstance(node, ast.Call):
            found = self._returns(node, module, depth)
            if found:
                return found
        return [hole(ast.unparse(node))]

    def _name(self, node: ast.Name, module: Module, depth: int) -> list[str]:
        func = module.function_of(node)
        key = (id(func), node.id)
        if key in self._resolving:  # `hint = "…; " + hint`: the inner one is the earlier value
            return [hole(node.id)]
        self._resolving.add(key)
        try:
            return self._assigned(node, module, func, depth)
        finally:
            self._resolving.discard(key)

    def _assigned(self, node: ast.Name, module: Module, func, depth: int) -> list[str]:
        if func is not None:
            values = module.assigned.get((id(func), node.id), []) + self._loop_item(node, module, func)
            if values:
                return [s for v in values for s in self.strings(v, module, depth + 1)]
            if node.id in {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)}:
                if not self._returning:
                    self._callers(func, node.id, depth + 1)
                return [hole(node.id)]
        owner, value = self._global(node.id, module)
        return self.strings(value, owner, depth + 1) if value is not None else [hole(node.id)]

    def _global(self, name: str, module: Module) -> tuple[Module, ast.AST | None]:
        """The module-level value of ``name`` in ``module``, following ``from .kinds import name``."""
        values = module.assigned.get((id(None), name))
        if values:
            return module, values[0]
        for node in module.tree.body:
            if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
                original = next(a.name for a in node.names if (a.asname or a.name) == name)
                source = self._imported(module, node)
                if source is not None and source is not module:
                    return self._global(original, source)
        return module, None

    def _imported(self, module: Module, node: ast.ImportFrom) -> Module | None:
        base = module.path.parent
        for _ in range(max(node.level - 1, 0)):
            base = base.parent
        if node.level == 0:
            return None
        target = base.joinpath(*(node.module or "").split(".")) if node.module else base
        for candidate in (target.with_suffix(".py"), target / "__init__.py"):
            found = self.by_path.get(candidate)
            if found is not None:
                return found
        return None

    def _callers(self, func: ast.AST, param: str, depth: int) -> None:
        """A text parameter: what the function's callers pass for it is text too."""
        if (id(func), param) in self._followed:
            return
        self._followed.add((id(func), param))
        for target in self.callables.get(func.name, []):
            if target.node is func:
                self._calls_to(target, {param: target.params.index(param)} if param in target.params else {},
                               vararg=param == target.vararg, depth=depth)

    def _returns(self, call: ast.Call, module: Module, depth: int) -> list[str]:
        name = self._call_name(call)
        out: list[str] = []
        if name in NOT_TEXT:
            return out
        self._returning += 1  # what a function returns of its parameters is not text its callers wrote
        try:
            for target in self.callables.get(name, []):
                if calls(call, target) and isinstance(target.node, ast.FunctionDef) \
                        and target.name == target.node.name:
                    for value in target.module.returns.get(id(target.node), []):
                        out += [s for s in self.strings(value, target.module, depth + 1) if s]
        finally:
            self._returning -= 1
        return out

    def _module_value(self, name: str, module: Module) -> ast.AST | None:
        return self._global(name, module)[1]

    def _table(self, node: ast.Subscript, module: Module, depth: int) -> list[str]:
        """``_WHY[name]``: every text of the table ``_WHY`` (the function's, or the module's)."""
        table = None
        if isinstance(node.value, ast.Name):
            local = module.assigned.get((id(module.function_of(node.value)), node.value.id)) \
                if node.value in module.parents else None
            table = local[0] if local else self._module_value(node.value.id, module)
        if not isinstance(table, ast.Dict):
            return []
        return [s for v in table.values if v is not None for s in self.strings(v, module, depth + 1)]

    def _loop_item(self, node: ast.Name, module: Module, func) -> list[ast.AST]:
        """``for pattern, what, why in _REMOVED``: the ``what`` of each tuple of ``_REMOVED`` (the module's, or
        written in the loop)."""
        found = []
        for loop in module.loops.get(id(func), []):
            names = [t.id if isinstance(t, ast.Name) else "" for t in loop.target.elts]
            rows = self._module_value(loop.iter.id, module) if isinstance(loop.iter, ast.Name) else loop.iter
            if node.id in names and isinstance(rows, (ast.Tuple, ast.List)):
                index = names.index(node.id)
                found += [row.elts[index] for row in rows.elts
                          if isinstance(row, ast.Tuple) and len(row.elts) == len(names)]
        return found

    def _fragments(self, node: ast.AST, module: Module, depth: int) -> None:
        """Text interpolated into a message is text too: what ``{type_name(value)}`` returns, the words
        of ``{'a video' if video else 'an audio'}``, the values of ``{_DESCRIPTION[kind]}``."""
        if isinstance(node, ast.Call) and self._call_name(node) == "get" and isinstance(node.func, ast.Attribute):
            texts = self._table(ast.Subscript(node.func.value, ast.Constant(0)), module, depth)  # _WHY.get(key, "")
        elif isinstance(node, ast.Call) and self._call_name(node) in self.callables:
            texts = self._returns(node, module, depth)
        elif isinstance(node, (ast.IfExp, ast.BoolOp)):
            texts = self.strings(node, module, depth + 1)
        elif isinstance(node, ast.Subscript):  # a table's words ("a mobile number"), not its names ("AAC")
            texts = [t for t in self._table(node, module, depth) if " " in t]
        elif isinstance(node, ast.Name):
            texts = self._name(node, module, depth + 1)
        else:
            texts = []
        for text in texts:
            self._add(module, node, text)

    @staticmethod
    def _call_name(call: ast.Call) -> str:
        f = call.func
        return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""

    # ------------------------------------------------------------------ sinks

    def _emit(self, node: ast.AST, module: Module, depth: int = 0) -> None:
        if isinstance(node, ast.Starred):
            node = node.value
        for text in self.strings(node, module, depth):
            self._add(module, node, text)

    def _candidates(self, call: ast.Call) -> list[Callable]:
        name = self._call_name(call)
        found = [c for c in self.callables.get(name, []) if (c.positions(SINK_PARAMS) or c.vararg) and calls(call, c)]
        if len(found) > 1 and isinstance(call.func, ast.Attribute):
            receiver = ast.unparse(call.func.value).lower()
            owned = [c for c in found if c.owner and c.owner.lower() in receiver]
            found = owned or found
        return found

    def _calls_to(self, target: Callable, positions: dict[str, int], vararg: bool, depth: int) -> None:
        namesakes = self.callables.get(target.name, [])
        for m, call in self.calls.get(target.name, []):
            if calls(call, target) and (len(namesakes) == 1 or target in self._candidates(call)):
                self._sink_args(call, m, positions, depth, vararg_from=len(target.params) if vararg else None)

    def _sink_args(self, call: ast.Call, module: Module, positions: dict[str, int], depth: int = 0,
                   vararg_from: int | None = None) -> None:
        for name, index in positions.items():
            if index < len(call.args):
                self._emit(call.args[index], module, depth)
            for kw in call.keywords:
                if kw.arg == name:
                    self._emit(kw.value, module, depth)
        if vararg_from is not None:
            for arg in call.args[vararg_from:]:
                self._emit(arg, module, depth)

    def run(self) -> list[Template]:
        for m in self.modules:
            printing = any(p in m.rel for p in PRINTING_MODULES)
            for node in ast.walk(m.tree):
                if isinstance(node, ast.Call):
                    self._call(node, m, printing)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self._definition(node, m)
                elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    labelled = any((isinstance(t, ast.Attribute) and t.attr == "label")
                                   or (isinstance(t, ast.Name) and t.id == "label"
                                       and isinstance(m.parents.get(node), ast.ClassDef)) for t in targets)
                    if labelled and node.value is not None:
                        self._emit(node.value, m)
        return sorted(self.found.values(), key=lambda t: (t.path, t.line, t.text))

    def _super_init(self, call: ast.Call, m: Module) -> list[Callable]:
        """``super().__init__(choices, f"{what} from …")`` in a class: the base classes' constructors."""
        f = call.func
        if not (isinstance(f, ast.Attribute) and f.attr == "__init__" and isinstance(f.value, ast.Call)
                and self._call_name(f.value) == "super"):
            return []
        node: ast.AST = call
        while node in m.parents and not isinstance(node, ast.ClassDef):
            node = m.parents[node]
        bases = self.bases.get(getattr(node, "name", ""), set())
        return [c for base in sorted(bases) for c in self.callables.get(base, []) if c.owner == base]

    def _call(self, call: ast.Call, m: Module, printing: bool) -> None:
        name = self._call_name(call)
        for target in self._candidates(call) or self._super_init(call, m):
            self._sink_args(call, m, target.positions(SINK_PARAMS))
        if (name in self.generator_errors or name in EXTERNAL_MESSAGES) and call.args:
            self._emit(call.args[0], m)
        if name == "Schema" and call.args:
            self._emit(call.args[0], m)
        if printing and name in PRINTERS:
            for arg in call.args:
                self._emit(arg, m)
        if name in TRANSLATORS and call.args:
            self._emit(call.args[0], m)
        for kw in call.keywords:
            if kw.arg in SHOWN_KEYWORDS:
                self._emit(kw.value, m)

    def _definition(self, func: ast.FunctionDef, m: Module) -> None:
        args = func.args
        positional = [*args.posonlyargs, *args.args]
        for arg, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
            if arg.arg in SINK_PARAMS:
                self._emit(default, m)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is not None and arg.arg in SINK_PARAMS:
                self._emit(default, m)
        if func.name in SINK_FUNCTIONS:
            for value in m.returns.get(id(func), []):
                self._emit(value, m)


def templates(root: Path = PACKAGE) -> list[Template]:
    """Every text of the package a user can be shown, in msgid form."""
    return Extractor(root).run()


def main(argv: list[str] | None = None) -> int:
    from .catalogue import CATALOGUE_PATH, Catalogue, normalize

    argv = sys.argv[1:] if argv is None else argv
    catalogue = Catalogue.load(CATALOGUE_PATH)
    missing: dict[str, list[Template]] = {}
    for t in templates():
        if normalize(t.text) not in catalogue.keys:
            missing.setdefault(t.text, []).append(t)
    for text, where in missing.items():
        print(f"{where[0].path}:{where[0].line}: {text}")
    if "--add" in argv and missing:
        with CATALOGUE_PATH.open("a", encoding="utf-8") as f:
            for text, where in missing.items():
                refs = " ".join(f"{w.path}:{w.line}" for w in where[:3])
                f.write(f"\n#: {refs}\n#, python-brace-format\nmsgid {_po_quote(text)}\nmsgstr \"\"\n")
        print(f"added {len(missing)} entries with an empty msgstr to {CATALOGUE_PATH}")
    return 1 if missing else 0


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


if __name__ == "__main__":
    sys.exit(main())
