"""The message catalogue: English templates (msgids) and their translations, read from a .po file.

A msgid is the English text as the source writes it, an f-string without its
``f``: literal text, ``{expression}`` where a value is interpolated, literal
braces doubled. Translating a finished message means finding the template it
was made from: each msgid is compiled into an anchored regular expression
(a placeholder matches any text), tried from the most specific (most literal
characters) to the least; the values the placeholders matched are put into the
msgstr, which names them as the msgid does (``{key!r}``) or by position
(``{0}``), in the order Chinese needs.

A value that is itself a message or a fragment of the catalogue (a type name
such as "a list", a label such as "a date (YYYY-MM-DD)", a nested message) is
translated too; a value written with ``!r`` (a name, a value from the content,
shown in “quotes”) or whose placeholder names a path (``{options.output_dir}``,
``{shown}``) never is. A message that matches no template stays as it is.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).with_name("zh_CN.po")

#: ``{{``, ``}}``, or a placeholder (its expression has no braces: the extractor writes them as parentheses).
_PART = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def split(template: str) -> list[str | tuple[str]]:
    """The template's parts: literal strings, and 1-tuples holding a placeholder's text."""
    parts: list[str | tuple[str]] = []
    pos = 0
    for m in _PART.finditer(template):
        if m.start() > pos:
            parts.append(template[pos:m.start()])
        parts.append(m.group(0)[0] if m.group(1) is None else (m.group(1),))
        pos = m.end()
    if pos < len(template):
        parts.append(template[pos:])
    merged: list[str | tuple[str]] = []
    for p in parts:  # join adjacent literals (a doubled brace splits them)
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    return merged


def literal(template: str) -> str:
    """The text a template writes itself, without its placeholders."""
    return "".join(p for p in split(template) if isinstance(p, str))


def normalize(template: str) -> str:
    """The template with every placeholder written ``{}``: how call sites and entries are matched."""
    return "".join(p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else "{}" for p in split(template))


class CatalogueError(ValueError):
    """The .po file is malformed or an msgstr names a placeholder its msgid lacks."""


@dataclass
class Entry:
    msgid: str
    msgstr: str
    line: int  # in the .po file
    names: list[str]  # the msgid's placeholders, in order
    output: list  # the msgstr's parts: literal strings and indexes into ``names``
    pattern: re.Pattern
    weight: int  # literal characters: a more specific template is tried first
    words: bool  # the msgid writes words of its own (not only "{key}: {message}")
    prefix: str  # the literal text it starts with ("" when it starts with a placeholder)

    def quoted(self, index: int) -> bool:
        return self.names[index].endswith("!r")

    def literal_value(self, index: int) -> bool:
        """A value shown as it is: written with ``!r``, or a path, URL or address (a folder named ``site``
        or ``content`` is not the word the catalogue translates)."""
        name = self.names[index]
        return name.endswith("!r") or not _LITERAL_NAMES.isdisjoint(re.findall(r"[a-z]+", name.lower()))


#: Placeholders whose names say they hold a path, an address or a name from the file system.
_LITERAL_NAMES = frozenset({"dir", "path", "shown", "source", "folder", "file", "filename", "url", "output", "dest",
                            "target", "parent", "tmp", "templates", "rel", "host", "port", "src", "root"})


#: What ``{value!r}`` writes: a quoted string, or a number, ``None``, a tuple… without spaces.
_REPR = r"""('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|[^\s'"]*)"""


def _compile(msgid: str, msgstr: str, line: int) -> Entry:
    parts = split(msgid)
    names = [p[0] for p in parts if isinstance(p, tuple)]
    regex = []
    for i, p in enumerate(parts):
        if isinstance(p, str):
            regex.append(re.escape(p))
        elif p[0].endswith("!r"):
            regex.append(_REPR)
        else:
            regex.append("(.*)" if i == len(parts) - 1 else "(.*?)")
    output = []
    for p in split(msgstr):
        if isinstance(p, str):
            output.append(p)
        elif p[0] in names:
            output.append(names.index(p[0]))
        elif p[0].isdigit() and int(p[0]) < len(names):
            output.append(int(p[0]))
        else:
            raise CatalogueError(f"line {line}: msgstr names {{{p[0]}}}, which its msgid {msgid!r} does not have")
    written = literal(msgid)
    return Entry(msgid, msgstr, line, names, output, re.compile("".join(regex), re.S), len(written),
                 any(c.isalpha() for c in written), parts[0] if parts and isinstance(parts[0], str) else "")


def _unquote(text: str, line: int) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        value = None
    if not isinstance(value, str):
        raise CatalogueError(f"line {line}: expected a quoted string, got {text}")
    return value


def parse_po(text: str) -> list[tuple[str, str, int, set[str]]]:
    """(msgid, msgstr, line, flags) of every entry of a .po file (the header left out)."""
    entries = []
    current: dict = {}
    field = ""

    def flush():
        if "msgid" in current and current["msgid"]:
            entries.append((current["msgid"], current.get("msgstr", ""), current["line"], current.get("flags", set())))
        current.clear()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            field = ""
        elif line.startswith("#,"):
            current.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith(('msgid "', 'msgstr "', 'msgctxt "')):
            field, _, rest = line.partition(" ")
            if field == "msgid" and "msgid" in current:
                flush()
            current.setdefault("line", number)
            current[field] = _unquote(rest, number)
        elif line.startswith('"') and field:
            current[field] += _unquote(line, number)
        else:
            raise CatalogueError(f"line {number}: cannot read {raw!r}")
    flush()
    return entries


class Catalogue:
    """The compiled entries of one language."""

    def __init__(self, entries: list[Entry], untranslated: list[str]):
        self.entries = sorted(entries, key=lambda e: -e.weight)
        self.keys = {normalize(e.msgid) for e in entries}
        self.untranslated = untranslated  # msgids present with an empty msgstr (or fuzzy)
        self._by_first: dict[str, list[Entry]] = {}

    @classmethod
    def load(cls, path: Path = CATALOGUE_PATH) -> Catalogue:
        entries, untranslated = [], []
        for msgid, msgstr, line, flags in parse_po(path.read_text(encoding="utf-8")):
            if not msgstr or "fuzzy" in flags:
                untranslated.append(msgid)
                continue
            entries.append(_compile(msgid, msgstr, line))
        return cls(entries, untranslated)

    def _candidates(self, text: str) -> list[Entry]:
        """The entries that can match ``text``: those that start with its first character or a placeholder."""
        first = text[:1]
        found = self._by_first.get(first)
        if found is None:
            found = self._by_first[first] = [e for e in self.entries if not e.prefix or e.prefix[0] == first]
        return found

    def match(self, text: str) -> tuple[Entry, tuple[str, ...]] | None:
        """The entry ``text`` was made from and the values of its placeholders."""
        for entry in self._candidates(text):
            m = entry.pattern.fullmatch(text)
            if m:
                return entry, m.groups()
        return None

    def translate(self, text: str) -> str | None:
        """``text`` in the catalogue's language, or ``None`` when no entry matches it.

        When several entries match (``error: {e}`` and ``error: {strerror}: {filename}`` both match
        ``error: content folder not found: site``), the most specific one whose values all translate
        wins, else the most specific one.
        """
        return self._translate(text)[0]

    @lru_cache(maxsize=8192)
    def _translate(self, text: str) -> tuple[str | None, bool]:
        """The translation and whether it left no English words untranslated."""
        first = None
        for entry in self._candidates(text):
            m = entry.pattern.fullmatch(text)
            if not m:
                continue
            values, complete, translated_any = self._values(entry, m.groups())
            if not entry.words and not translated_any:
                continue  # "{key}: {message}" helps only when the message is translated
            result = _join(entry.output, values)
            if complete:
                return result, True
            first = first or result
        return first, False

    def _values(self, entry: Entry, groups: tuple[str, ...]) -> tuple[list[str], bool, bool]:
        """The values as the msgstr shows them; whether none is English left untranslated; whether any
        was translated."""
        values, complete, translated_any = [], True, False
        for i, value in enumerate(groups):
            if entry.literal_value(i):
                values.append(_quote(value) if entry.quoted(i) else value)
                continue
            inner, inner_complete = self._translate(value) if value else (None, True)
            if inner is None:
                complete = complete and not _ENGLISH.search(value)
                values.append(value)
            else:
                translated_any = True
                complete = complete and inner_complete
                values.append(inner)
        return values, complete, translated_any


#: Two English words in a row: text a catalogue entry should have translated.
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")


def _join(parts: list, values: list[str]) -> str:
    """The msgstr with its values; a space written next to a “quoted” value goes where Chinese text
    meets the quotes (字段“发文机关”, not 字段 “发文机关”)."""
    out = []
    for i, p in enumerate(parts):
        if isinstance(p, str) and p:
            # Chinese next to a Latin word or number gets a space (不是 site.yaml), as editors' guides write it.
            if i > 0 and not isinstance(parts[i - 1], str) and _latin_end(values[parts[i - 1]]) and _cjk(p[0]):
                p = " " + p
            if i + 1 < len(parts) and not isinstance(parts[i + 1], str) and _latin_start(values[parts[i + 1]]) \
                    and _cjk(p[-1]):
                p = p + " "
            if i > 0 and not isinstance(parts[i - 1], str) and values[parts[i - 1]].endswith("”") \
                    and p.startswith(" ") and p[1:2] and not p[1].isascii():
                p = p[1:]
            if i + 1 < len(parts) and not isinstance(parts[i + 1], str) and values[parts[i + 1]].startswith("“") \
                    and p.endswith(" ") and p[-2:-1] and not p[-2].isascii():
                p = p[:-1]
            out.append(p)
        else:
            out.append(values[p])
    return "".join(out)


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _latin_start(value: str) -> bool:
    return bool(value) and value[0].isascii() and value[0].isalnum()


def _latin_end(value: str) -> bool:
    return bool(value) and value[-1].isascii() and value[-1].isalnum()


def _quote(value: str) -> str:
    """A Python repr of a string, as Chinese text quotes it: 'x' → “x”."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"" and value[0] not in value[1:-1]:
        return f"“{value[1:-1]}”"
    return value
