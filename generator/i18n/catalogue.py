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

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).with_name("zh_CN.po")
#: Messages inside messages inside messages: deeper than this is not a message any more.
MAX_NESTING = 6

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
    regex: str  # compiled when a text could match (hundreds of patterns cost more than reading the file)
    weight: int  # literal characters: a more specific template is tried first
    words: bool  # the msgid writes words of its own (not only "{key}: {message}")
    prefix: str  # the literal text it starts with ("" when it starts with a placeholder)
    literals: list[str]  # its literal parts, in order
    _pattern: re.Pattern | None = None

    def match(self, text: str) -> re.Match | None:
        """The match of the whole ``text``; literals checked first, the regular expression only then."""
        pos = 0
        for part in self.literals:
            pos = text.find(part, pos)
            if pos < 0:
                return None
            pos += len(part)
        if self._pattern is None:
            self._pattern = re.compile(self.regex, re.S)
        return self._pattern.fullmatch(text)

    def quoted(self, index: int) -> bool:
        return self.names[index].endswith("!r")

    def literal_value(self, index: int) -> bool:
        """A value shown as it is: written with ``!r``, or a path, URL or address (a folder named ``site``
        or ``content`` is not the word the catalogue translates)."""
        name = self.names[index]
        return name.endswith("!r") or not _LITERAL_NAMES.isdisjoint(re.findall(r"[a-z]+", name.lower()))


#: Placeholders whose names say they hold a path, an address, a name from the file system or a key an
#: editor wrote.
_LITERAL_NAMES = frozenset({"dir", "path", "shown", "source", "folder", "file", "filename", "url", "output", "dest",
                            "target", "parent", "tmp", "templates", "rel", "host", "port", "src", "root", "key"})


#: What ``{value!r}`` writes: a quoted string, or a number, ``None``, a tuple… without spaces.
_REPR = r"""('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|[^\s'"]*)"""


_REPR_VALUE = re.compile(_REPR)


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
    return Entry(msgid, msgstr, line, names, output, "".join(regex), len(written), any(c.isalpha() for c in written),
                 parts[0] if parts and isinstance(parts[0], str) else "", [p for p in parts if isinstance(p, str)])


def _first(msgid: str) -> str:
    """The first character of the text an msgid writes itself at its start, "" when it starts with a
    placeholder: the ``prefix[:1]`` of its compiled entry, without compiling it."""
    m = _PART.match(msgid)
    return "" if m is not None and m.group(1) is not None else (m.group(0)[0] if m is not None else msgid[:1])


def _unquote(text: str, line: int) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"' and "\\" not in text and '"' not in text[1:-1]:
        return text[1:-1]  # most strings: nothing escaped (literal_eval would compile each one)
    import ast  # only for strings with escapes: its import is a tenth of a no-change build's checks

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
    """The entries of one language, each compiled the first time a text could match it: a command prints a
    few messages, and compiling all 1,100 entries cost more than the rest of a no-change build's checks."""

    def __init__(self, raw: list[tuple[str, str, int]], untranslated: list[str]):
        self._raw = raw  # (msgid, msgstr, line) of the translated entries, in the file's order
        self._first = [_first(msgid) for msgid, _, _ in raw]
        self._compiled: dict[int, Entry] = {}
        self.untranslated = untranslated  # msgids present with an empty msgstr (or fuzzy)
        self._by_first: dict[str, list[Entry]] = {}

    @classmethod
    def load(cls, path: Path = CATALOGUE_PATH) -> Catalogue:
        raw, untranslated = [], []
        for msgid, msgstr, line, flags in parse_po(path.read_text(encoding="utf-8")):
            if not msgstr or "fuzzy" in flags:
                untranslated.append(msgid)
                continue
            raw.append((msgid, msgstr, line))
        return cls(raw, untranslated)

    def _entry(self, n: int) -> Entry:
        entry = self._compiled.get(n)
        if entry is None:
            entry = self._compiled[n] = _compile(*self._raw[n])
        return entry

    @property
    def entries(self) -> list[Entry]:
        """Every entry compiled (a malformed one raises :class:`CatalogueError`), the most specific first."""
        return sorted((self._entry(n) for n in range(len(self._raw))), key=lambda e: -e.weight)

    @property
    def keys(self) -> set[str]:
        """The msgids with every placeholder written ``{}`` (see :func:`normalize`)."""
        return {normalize(msgid) for msgid, _, _ in self._raw}

    def _candidates(self, text: str) -> list[Entry]:
        """The entries that can match ``text``: those that start with its first character or a placeholder,
        the most specific first (a stable sort: as they are in the file otherwise)."""
        first = text[:1]
        found = self._by_first.get(first)
        if found is None:
            found = self._by_first[first] = sorted(
                (self._entry(n) for n, c in enumerate(self._first) if not c or c == first), key=lambda e: -e.weight)
        return found

    def reading(self, text: str) -> Entry | None:
        """The entry :meth:`translate` reads ``text`` as (for tests of the catalogue)."""
        return self._translate(text)[2]

    def translate(self, text: str) -> str | None:
        """``text`` in the catalogue's language, or ``None`` when no entry matches it.

        When several entries match (``error: {e}`` and ``error: {strerror}: {filename}`` both match
        ``error: content folder not found: site``), the reading that leaves the fewest English words
        untranslated wins, then the most specific entry.
        """
        return self._translate(text)[0]

    @lru_cache(maxsize=8192)
    def _translate(self, text: str, depth: int = 0) -> tuple[str | None, int, Entry | None]:
        """The translation, how many English words it leaves (in values shown as they are), the entry."""
        best: tuple[str | None, int, Entry | None] = (None, len(_WORD.findall(text)), None)
        if depth > MAX_NESTING or not _LETTER.search(text):
            return best  # a text without letters (a number, a path of digits): no entry's words are in it
        for entry in self._candidates(text):
            m = entry.match(text)
            if not m:
                continue
            # "possible {kind} {masked}": where one value ends is known only by what translates
            for groups in _splits(entry, text) if len(entry.names) > 1 else (m.groups(),):
                pieces, left, translated_any = self._values(entry, groups, depth)
                if not entry.words and not translated_any:
                    continue  # "{key}: {message}" helps only when the message is translated
                if best[0] is None or left < best[1]:
                    best = (_join(entry.output, pieces), left, entry)
            if best[0] is not None and best[1] == 0:
                break
        return best

    def _values(self, entry: Entry, groups: tuple[str, ...], depth: int) -> tuple[list[tuple[str, bool]], int, bool]:
        """The values as the msgstr shows them (text, whether quoted); the English words left in them;
        whether any was translated."""
        values, left, translated_any = [], 0, False
        for i, value in enumerate(groups):
            if entry.quoted(i):
                values.append((_quote(value), True))
                continue
            inner, inner_left, _ = self._translate(value, depth + 1) if value and not entry.literal_value(i) \
                else (None, 0, None)
            if inner is None:
                left += len(_WORD.findall(value))
                values.append((value, False))
            else:
                translated_any = True
                left += inner_left
                values.append((inner, False))
        return values, left, translated_any


def _splits(entry: Entry, text: str, limit: int = 64) -> list[tuple[str, ...]]:
    """Every way (up to ``limit``) the placeholders of ``entry`` can divide ``text`` between them."""
    parts = split(entry.msgid)
    found: list[tuple[str, ...]] = []

    def walk(i: int, pos: int, values: tuple[str, ...]) -> None:
        if len(found) >= limit:
            return
        if i == len(parts):
            if pos == len(text):
                found.append(values)
            return
        part = parts[i]
        if isinstance(part, str):
            if text.startswith(part, pos):
                walk(i + 1, pos + len(part), values)
            return
        if i + 1 == len(parts):
            ends: list[int] | range = [len(text)]
        elif isinstance(parts[i + 1], str):
            ends, k = [], text.find(parts[i + 1], pos)
            while k >= 0:
                ends.append(k)
                k = text.find(parts[i + 1], k + 1)
        else:
            ends = range(pos, len(text) + 1)
        for end in ends:
            value = text[pos:end]
            if not part[0].endswith("!r") or _REPR_VALUE.fullmatch(value):
                walk(i + 1, end, values + (value,))

    walk(0, 0, ())
    return found


#: A letter of any script: an entry reads a text only where its own words, or a value it translates, are.
_LETTER = re.compile(r"[^\W\d_]")
#: An English word (or a Latin name) left in a translation: the fewer, the better the reading.
_WORD = re.compile(r"[A-Za-z]{2,}")


def _join(parts: list, values: list[tuple[str, bool]]) -> str:
    """The msgstr with its values, spaced as Chinese text is: a space between Chinese and a Latin word,
    number or HTML tag (不是 site.yaml, <meta> 已被删除), none between Chinese and “quotes” (字段“发文机关”)."""
    pieces = [(p, False) if isinstance(p, str) else values[p] for p in parts]
    pieces = [(text, quoted) for text, quoted in pieces if text]
    out = ""
    for i, (text, quoted) in enumerate(pieces):
        if i and out:
            before = out[-1]
            if quoted and text.startswith("“") and before == " " and len(out) > 1 and _cjk(out[-2]):
                out = out[:-1]
            elif pieces[i - 1][1] and out.endswith("”") and text.startswith(" ") and len(text) > 1 \
                    and _cjk(text[1]):
                text = text[1:]
            elif (_cjk(before) and (_latin(text[0]) or text[0] == "<")) \
                    or ((_latin(before) or before == ">") and _cjk(text[0])):  # an HTML tag spaced as a word
                text = " " + text
        out += text
    return out


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _quote(value: str) -> str:
    """A Python repr of a string, as Chinese text quotes it: 'x' → “x”."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"" and value[0] not in value[1:-1]:
        return f"“{value[1:-1]}”"
    return value
