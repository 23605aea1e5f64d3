"""Safe YAML loading that remembers where every key and item was written.

PyYAML's loaders lose line numbers, accept duplicate keys silently, turn
``2023-02-30`` into a traceback, and expand aliases without bound. This loader
composes the node graph with a SafeLoader and builds the Python values itself:

* mappings become :class:`Mapping` (a dict with ``line`` and ``lines[key]``),
  sequences :class:`Sequence` (a list with ``line`` and ``lines[index]``);
* dates stay strings, so the schema can report ``2023-02-30`` with its line;
* duplicate keys, merge keys, non-string keys, unknown tags, recursive or
  exploding aliases and too-deep nesting are located errors.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..errors import Report
from .yaml_mistakes import Fail, hint, unclosed

#: More values than this (counting every alias expansion) is an alias bomb or junk.
MAX_VALUES = 50_000
MAX_DEPTH = 50

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


class Mapping(dict):
    """A YAML mapping with the 1-based line of itself and of each key."""

    line: int = 0
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence with the 1-based line of itself and of each item."""

    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


# LibYAML's parser is several times faster than the pure-Python one; both give marked nodes.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """SafeLoader that leaves timestamps as strings (the schema parses dates)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Builder:
    def __init__(self, loader: _Loader, offset: int):
        self.loader = loader
        self.offset = offset
        self.count = 0
        self.active: set[int] = set()

    def line(self, node) -> int:
        return node.start_mark.line + self.offset

    def build(self, node, depth: int = 0):
        self.count += 1
        if self.count > MAX_VALUES:
            raise Fail(self.line(node), f"YAML expands to more than {MAX_VALUES} values",
                        "remove the anchors and aliases (&name / *name); write the values out")
        if depth > MAX_DEPTH:
            raise Fail(self.line(node), f"YAML is nested more than {MAX_DEPTH} levels deep",
                        "flatten the structure")
        if id(node) in self.active:
            raise Fail(self.line(node), "YAML alias refers to itself", "remove the recursive alias")
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self.sequence(node, depth)
            return self.mapping(node, depth)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: ScalarNode):
        if node.tag == _TIMESTAMP:  # only reachable with an explicit !!timestamp tag
            return node.value
        if node.tag not in _ALLOWED_TAGS:
            raise Fail(self.line(node), f"unsupported YAML tag {node.tag!r}",
                        "remove the '!' tag; write a plain value")
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, KeyError, IndexError, TypeError) as e:
            # PyYAML's constructors raise KeyError/IndexError for e.g. `!!bool foo` or an empty `!!int`.
            raise Fail(self.line(node), f"invalid YAML value {node.value!r}: {e}", "write a plain value")

    def sequence(self, node: SequenceNode, depth: int):
        if node.tag not in _ALLOWED_TAGS:
            raise Fail(self.line(node), f"unsupported YAML tag {node.tag!r}", "remove the '!' tag")
        out = Sequence(self.build(item, depth + 1) for item in node.value)
        out.line = self.line(node)
        out.lines = [self.line(item) for item in node.value]
        return out

    def mapping(self, node: MappingNode, depth: int):
        if node.tag not in _ALLOWED_TAGS:
            raise Fail(self.line(node), f"unsupported YAML tag {node.tag!r}", "remove the '!' tag")
        out = Mapping()
        out.line = self.line(node)
        out.lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise Fail(self.line(key_node), "YAML merge keys ('<<') are not supported",
                            "write the fields out in full")
            if not isinstance(key_node, ScalarNode):
                raise Fail(self.line(key_node), "a key must be a plain name, not a list or mapping",
                            "check the indentation and the '- ' and ':' markers")
            key = key_node.value if key_node.tag == "tag:yaml.org,2002:str" else self.scalar(key_node)
            if not isinstance(key, str):
                # YAML 1.1 reads `yes:`/`1:` as bool/int keys; keep the text the editor wrote.
                key = key_node.value
            key = key.strip()
            if key in out:
                raise Fail(self.line(key_node), f"duplicate key {key!r} (first on line {out.lines[key]})",
                            "keep one of the two; the second would silently replace the first")
            out[key] = self.build(value_node, depth + 1)
            out.lines[key] = self.line(key_node)
        return out


_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_START_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_END_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _check_shape(text: str, first_line: int) -> None:
    """Count values and nesting from the parser's events before any node is composed.

    LibYAML's composer recurses in C: ``[[[[…`` nested some 50,000 deep crashes
    the interpreter (a segmentation fault, not an exception); and composing a
    huge document builds every node before the builder below could refuse it.
    The event stream is flat, so walking it is bounded in stack and memory.
    """
    events = _Loader(text)
    try:
        count = depth = 0
        while True:
            event = events.get_event()
            if isinstance(event, _NODE_EVENTS):
                count += 1
                line = event.start_mark.line + first_line
                if count > MAX_VALUES:
                    raise Fail(line, f"YAML expands to more than {MAX_VALUES} values",
                                "remove the anchors and aliases (&name / *name); write the values out")
                if depth > MAX_DEPTH:
                    raise Fail(line, f"YAML is nested more than {MAX_DEPTH} levels deep", "flatten the structure")
                if isinstance(event, _START_EVENTS):
                    depth += 1
            elif isinstance(event, _END_EVENTS):
                depth -= 1
            elif isinstance(event, (yaml.DocumentEndEvent, yaml.StreamEndEvent)):
                return
    finally:
        events.dispose()


class _Unusual(Exception):
    """A document :func:`_plain` leaves to the careful path of :func:`load`."""


_STR = "tag:yaml.org,2002:str"


def _plain(text: str, first_line: int):
    """The value of an ordinary document, built in one pass over the parser's events; :class:`_Unusual` for
    anything else (an error of any kind, an anchor, an alias, a tag, a key that is not a plain name or is
    repeated, more than one document, beyond the limits).

    :func:`load` checks the shape in one parse and composes nodes in a second, to report every mistake where
    it is written; ordinary front matter has none, and this builds the same values in a third of the time.
    Without aliases, the values and nesting the builder would count are at most the events counted here.
    """
    loader = _Loader(text)
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    try:
        get = loader.get_event
        get()  # the stream's start
        if type(get()) is yaml.StreamEndEvent:  # nothing but comments and blank lines
            empty = Mapping()
            empty.line, empty.lines = first_line, {}
            return empty
        count = 0
        stack: list[list] = []  # open collections: [value, lines, key (None while a mapping's key is due), key line]
        top = None
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event or kind is mapping_start or kind is sequence_start:
                count += 1
                if count > MAX_VALUES or len(stack) > MAX_DEPTH or event.anchor is not None or event.tag is not None:
                    raise _Unusual
                line = event.start_mark.line + first_line
                key_due = top is not None and top[2] is None and type(top[0]) is Mapping
                if kind is scalar_event:
                    if key_due:
                        top[2], top[3] = _plain_key(loader, event, top[0]), line
                        continue
                    value = _plain_scalar(loader, event)
                else:
                    if key_due:
                        raise _Unusual  # a list or mapping as a key
                    value = Mapping() if kind is mapping_start else Sequence()
                    value.line = line
                    value.lines = {} if kind is mapping_start else []
                    top = [value, value.lines, None, 0]
                    stack.append(top)
                    continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = stack.pop()[0]
                line = value.line
                top = stack[-1] if stack else None
            elif kind is yaml.DocumentEndEvent and not stack:
                break
            else:
                raise _Unusual  # an alias
            if top is None:
                root = value
            elif type(top[0]) is Sequence:
                top[0].append(value)
                top[1].append(line)
            else:
                top[0][top[2]] = value
                top[1][top[2]] = top[3]
                top[2] = None
        if type(get()) is not yaml.StreamEndEvent:
            raise _Unusual
        return root
    except (yaml.YAMLError, ValueError, OverflowError, KeyError, IndexError, TypeError, RecursionError):
        raise _Unusual from None
    finally:
        loader.dispose()


#: First characters of the plain scalars an implicit resolver may type (every resolver of SafeLoader names them).
_TYPED_FIRST = frozenset(_Loader.yaml_implicit_resolvers) if None not in _Loader.yaml_implicit_resolvers else None


def _plain_scalar(loader: _Loader, event):
    value = event.value
    if not event.implicit[0] or (_TYPED_FIRST is not None and value and value[0] not in _TYPED_FIRST):
        return value  # quoted, or plain and starting like no typed value: what the resolver makes a string
    tag = loader.resolve(ScalarNode, value, event.implicit)
    if tag == _STR:
        return value
    if tag not in _ALLOWED_TAGS:
        raise _Unusual
    return loader.construct_object(ScalarNode(tag, value, event.start_mark, event.end_mark, event.style), deep=True)


def _plain_key(loader: _Loader, event, mapping: Mapping) -> str:
    """A key as :meth:`_Builder.mapping` reads it."""
    key = _plain_scalar(loader, event)
    key = (key if isinstance(key, str) else event.value).strip()
    if key in mapping:
        raise _Unusual
    return key


def load(text: str, path: Path, report: Report, first_line: int = 1):
    """Parse one YAML document; on error report it and return ``None``.

    ``first_line`` is the file line where ``text`` starts (front matter starts
    on line 2). An empty document loads as an empty :class:`Mapping`.
    """
    try:
        return _plain(text, first_line)
    except _Unusual:
        pass
    try:
        return _careful(text, first_line)
    except Fail as f:
        report.error(path, f.line, f.message, f.hint, code="yaml")
        return None


def _careful(text: str, first_line: int):
    """The value of any document, or :class:`Fail` for the first mistake in it (see the module doc)."""
    loader = _Loader(text)
    try:
        try:
            _check_shape(text, first_line)
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            opened = unclosed(e, text)
            if opened is not None:
                raise Fail(opened.line + first_line, opened.message, opened.hint) from None
            problem = e.problem or e.context or "invalid YAML"
            # For a key without ':' PyYAML marks the *next* line; the context mark is the culprit.
            mark = e.context_mark if "could not find expected ':'" in problem and e.context_mark else None
            mark = mark or e.problem_mark or e.context_mark
            index = mark.line if mark else 0
            lines = text.split("\n")
            source_line = lines[index] if index < len(lines) else ""
            if "expected a single document" in str(e):
                problem = "more than one YAML document ('---' inside the front matter?)"
            raise Fail(index + first_line, f"YAML syntax error: {problem}", hint(problem, source_line))
        except yaml.YAMLError as e:  # e.g. a ReaderError for control characters
            raise Fail(first_line, f"YAML error: {e}", "remove control characters from the file")
        except RecursionError:
            raise Fail(first_line, "YAML is nested too deeply to read", "flatten the structure")
        if node is None:
            empty = Mapping()
            empty.line, empty.lines = first_line, {}
            return empty
        return _Builder(loader, first_line).build(node)
    finally:
        loader.dispose()


def load_file(path: Path, report: Report):
    """Read, decode and parse a whole YAML file (site.yaml, data files)."""
    from .source import read_text

    source = read_text(path, report)
    if source is None:
        return None
    return load(source.text, path, report)


def text_line(source_lines: list[str], key_line: int) -> int:
    """File line where a text value starts: the key's line, or the first line of a ``|``/``>`` block
    (so that a Markdown problem inside a YAML text value is reported at its own line)."""
    text = source_lines[key_line - 1] if 0 < key_line <= len(source_lines) else ""
    _, _, rest = text.partition(":")
    if not rest.strip().startswith(("|", ">")):
        return key_line
    n = key_line + 1
    while n <= len(source_lines) and not source_lines[n - 1].strip():
        n += 1
    return n
