"""Read and parse WebVTT caption files the way browsers do, reporting every problem with its line.

Separate because captions are text with a grammar of their own; their
problems carry line numbers inside the caption file, unlike binary media.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass

from .files import _contents, _shown, _unreadable
from .results import Problem
from .sniffing import _SRT_START, sniff
from .typecheck import check_type


@dataclass(frozen=True)
class Cue:
    """One WebVTT cue; times in milliseconds, ``line`` is the line of its timing."""

    start: int
    end: int
    text: str
    identifier: str = ""
    settings: str = ""
    line: int = 0

    @property
    def plain(self) -> str:
        """The cue text without tags (<v 主持人>, <i> …) and entities, for transcripts."""
        return html.unescape(re.sub(r"<[^>]*>", "", self.text))


def format_timestamp(ms: int) -> str:
    """``hh:mm:ss.ttt``, the form WebVTT files are written in."""
    hours, rest = divmod(int(ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


_TIME_HINT = "write times as hh:mm:ss.ttt or mm:ss.ttt, e.g. 00:01:02.500 (a dot, then exactly three digits)"
_FULLWIDTH = re.compile(r"[：．，－—＞→]")
_TIMING_LIKE = re.compile(r"\d\s*[:：]\s*\d\d\s*[:：．.,，]")
_SETTING_VALUES = {
    "vertical": re.compile(r"rl|lr"),
    "line": re.compile(r"(auto|-?\d+(\.\d+)?|\d+(\.\d+)?%)(,(start|center|end))?"),
    "position": re.compile(r"(auto|\d+(\.\d+)?%)(,(line-left|center|line-right))?"),
    "size": re.compile(r"\d+(\.\d+)?%"),
    "align": re.compile(r"start|center|end|left|right"),
    "region": re.compile(r"[^\s]+"),
}


class _BadTime(Exception):
    def __init__(self, message: str, hint: str = _TIME_HINT):
        super().__init__(message)
        self.message, self.hint = message, hint


def _timestamp(s: str, pos: int) -> tuple[int, int]:
    """Parse a WebVTT timestamp at ``pos`` (W3C WebVTT, "collect a WebVTT timestamp")."""
    def digits(at: int) -> tuple[str, int]:
        end = at
        while end < len(s) and "0" <= s[end] <= "9":
            end += 1
        return s[at:end], end

    token = re.match(r"\S*", s[pos:]).group(0).split("-->")[0]
    first, pos = digits(pos)
    if not first:
        raise _BadTime(f"expected a time, found {token or 'nothing'!r}")
    hours_first = len(first) != 2 or int(first) > 59
    if pos >= len(s) or s[pos] != ":":
        raise _BadTime(f"{token!r} is not a time")
    second, pos = digits(pos + 1)
    if len(second) != 2:
        raise _BadTime(f"{token!r} is not a time: minutes and seconds have two digits")
    if hours_first or (pos < len(s) and s[pos] == ":"):
        if pos >= len(s) or s[pos] != ":":
            raise _BadTime(f"{token!r} is not a time")
        third, pos = digits(pos + 1)
        if len(third) != 2:
            raise _BadTime(f"{token!r} is not a time: minutes and seconds have two digits")
        h, m, sec = int(first), int(second), int(third)
    else:
        h, m, sec = 0, int(first), int(second)
    if pos < len(s) and s[pos] == ",":
        raise _BadTime(f"{token!r} has a comma before the milliseconds; WebVTT needs a dot",
                       "write 00:00:01.000, not 00:00:01,000 (the comma is SRT's notation)")
    if pos >= len(s) or s[pos] != ".":
        raise _BadTime(f"{token!r} has no milliseconds", _TIME_HINT)
    millis, pos = digits(pos + 1)
    if len(millis) != 3:
        raise _BadTime(f"{token!r} does not have exactly three digits of milliseconds")
    if m > 59 or sec > 59:
        raise _BadTime(f"{token!r} has minutes or seconds above 59")
    return ((h * 60 + m) * 60 + sec) * 1000 + int(millis), pos


def _parse_timing(line: str) -> tuple[int, int, str, list[str]]:
    """start, end, settings and warnings about settings; raises :class:`_BadTime`."""
    pos = len(line) - len(line.lstrip(" \t"))
    try:
        start, pos = _timestamp(line, pos)
    except _BadTime as e:
        raise _BadTime(f"bad start time: {e.message}", e.hint) from None
    rest = line[pos:]
    stripped = rest.lstrip(" \t")
    if not stripped.startswith("-->"):
        raise _BadTime(f"expected ' --> ' after the start time, found {stripped[:12]!r}",
                       "write the timing as `00:00:01.000 --> 00:00:03.500`")
    pos += len(rest) - len(stripped) + 3
    pos += len(line[pos:]) - len(line[pos:].lstrip(" \t"))
    try:
        end, pos = _timestamp(line, pos)
    except _BadTime as e:
        raise _BadTime(f"bad end time: {e.message}", e.hint) from None
    settings = line[pos:]
    if settings and settings[0] not in " \t":
        raise _BadTime(f"unexpected {settings[:12]!r} right after the end time",
                       "separate cue settings from the end time with a space")
    notes = []
    for token in settings.split():
        key, colon, value = token.partition(":")
        pattern = _SETTING_VALUES.get(key)
        if not colon or pattern is None or not value or not pattern.fullmatch(value):
            notes.append(token)
    return start, end, settings.strip(), notes


def _is_block_keyword(line: str, word: str) -> bool:
    return line == word or line.startswith((word + " ", word + "\t"))


def parse_webvtt(text: str) -> tuple[list[Cue], list[Problem]]:
    """Parse WebVTT text into cues, reporting every problem with its line.

    Follows the block structure of the W3C WebVTT parser, so a file is read
    the way browsers read it: what a browser silently drops (a block without a
    timing line, a cue swallowed by the header) is reported here instead.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser(text.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if parser.signature():
        parser.blocks()
    if not any(cue.text.strip() for cue in parser.cues) and not any(p.level == "error" for p in parser.problems):
        parser.problem(1, "the file has no captions",
                       "add cues: a timing line such as `00:00:00.000 --> 00:00:02.500`, then the caption text")
    return parser.cues, parser.problems


class _Parser:
    """One file's lines, read block by block as the W3C parser does; every problem kept with its line."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.i = 0  # the next line to read (0-based)
        self.problems: list[Problem] = []
        self.cues: list[Cue] = []
        self.seen_cue = False
        self.last_start: tuple[int, int] | None = None  # (start, line)
        self.identifiers: dict[str, int] = {}

    def problem(self, line: int, message: str, hint: str = "", level: str = "error") -> None:
        self.problems.append(Problem(message, hint, line, level))

    def signature(self) -> bool:
        """Read the WEBVTT line and the header after it; False when there is nothing more to read (SRT)."""
        lines, n = self.lines, len(self.lines)
        first = lines[0]
        self.i = 1
        if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
            if _SRT_START.match("\n".join(lines[:2])):
                self.problem(1, "this is an SRT subtitle file, not WebVTT: the first line must be WEBVTT",
                             "convert it: add a first line `WEBVTT` and a blank line, and write times with a dot "
                             "(00:00:01.000) instead of a comma")
                return False
            self.problem(1, f"the first line must be WEBVTT, found {first[:30]!r}" if first.strip()
                         else "the first line must be WEBVTT, found an empty line",
                         "start the file with a line reading exactly WEBVTT, then a blank line")
            if "-->" in first or (n > 1 and "-->" in lines[1]):
                self.i = 0  # cues without a header: read them anyway to report what else is wrong
        # The header: lines after the signature up to the first blank line.
        while 0 < self.i < n and lines[self.i] != "":
            if "-->" in lines[self.i]:
                self.problem(self.i + 1, "this cue is part of the file header, so players ignore it",
                             "put a blank line between the WEBVTT line and the first cue")
            self.i += 1
        return True

    def blocks(self) -> None:
        lines, n = self.lines, len(self.lines)
        while True:
            while self.i < n and lines[self.i] == "":
                self.i += 1
            if self.i >= n:
                return
            block_start = self.i
            timing, identifier, buffer = self._collect()
            if timing is None:
                self._untimed(block_start, buffer)
            else:
                self._cue(timing, identifier, buffer)

    def _collect(self) -> tuple[int | None, str, list[tuple[int, str]]]:
        """One block (W3C WebVTT "collect a WebVTT block"): its timing line's index, identifier and text lines."""
        lines, n = self.lines, len(self.lines)
        count, previous = 0, self.i
        buffer: list[tuple[int, str]] = []
        timing: int | None = None
        identifier = ""
        while self.i < n:
            line = lines[self.i]
            self.i += 1
            count += 1
            if "-->" in line:
                if timing is None and (count == 1 or count == 2):
                    timing = self.i - 1
                    identifier = buffer[0][1] if buffer else ""
                    buffer = []
                    previous = self.i
                    continue
                self.i = previous  # a new cue begins here: the blank line before it is missing
                self.problem(self.i + 1, "a cue starts here without a blank line before it",
                             "separate cues with a blank line; without it the line above becomes caption text")
                break
            if line == "":
                break
            buffer.append((self.i, line))
            previous = self.i
        return timing, identifier, buffer

    def _untimed(self, block_start: int, buffer: list[tuple[int, str]]) -> None:
        """A block without a timing line: a comment, a style or region block, or a cue whose timing is wrong."""
        head = self.lines[block_start]
        if _is_block_keyword(head, "NOTE"):
            return
        if _is_block_keyword(head, "STYLE") or _is_block_keyword(head, "REGION"):
            if self.seen_cue:
                self.problem(block_start + 1, f"a {head.split()[0]} block after the first cue is ignored",
                             "move it above the first cue", level="warning")
            return
        timing_like = next((number for number, text_line in buffer[:2] if _TIMING_LIKE.search(text_line)), None)
        if timing_like is not None and _FULLWIDTH.search(self.lines[timing_like - 1]):
            self.problem(timing_like, "the cue timing is written with full-width characters (：，－＞)",
                         "switch the input method to half-width and write `00:00:01.000 --> 00:00:03.500`")
        elif timing_like is not None:
            self.problem(timing_like, "this looks like a cue timing, but it has no '-->' between the times",
                         "write the timing as `00:00:01.000 --> 00:00:03.500` (two hyphens and >)")
        else:
            self.problem(block_start + 1, "this block is not a cue: it has no timing line",
                         "write `00:00:01.000 --> 00:00:03.500` on the line before the caption text, "
                         "or start a comment with NOTE")

    def _cue(self, timing: int, identifier: str, buffer: list[tuple[int, str]]) -> None:
        problem = self.problem
        line_no = timing + 1
        try:
            start, end, settings, bad_settings = _parse_timing(self.lines[timing])
        except _BadTime as e:
            if _FULLWIDTH.search(self.lines[timing]):
                problem(line_no, "the cue timing is written with full-width characters (：，．)",
                        "switch the input method to half-width and write `00:00:01.000 --> 00:00:03.500`")
            else:
                problem(line_no, e.message, e.hint)
            return
        self.seen_cue = True
        for token in bad_settings:
            problem(line_no, f"cue setting {token!r} is not valid; players ignore it",
                    "valid settings: vertical:rl|lr, line:N or N%, position:N%, size:N%, "
                    "align:start|center|end|left|right, region:ID", level="warning")
        if end <= start:
            problem(line_no, f"the cue ends at {format_timestamp(end)}, not after it starts "
                             f"({format_timestamp(start)})",
                    "the end time must be later than the start time")
        if self.last_start is not None and start < self.last_start[0]:
            problem(line_no, f"the cue starts at {format_timestamp(start)}, before the previous cue "
                             f"({format_timestamp(self.last_start[0])} on line {self.last_start[1]})",
                    "cues must be in time order: move this cue up, or correct its time")
        self.last_start = (start, line_no)
        if identifier:
            if identifier in self.identifiers:
                problem(line_no - 1, f"cue identifier {identifier!r} is used twice (also on line "
                                     f"{self.identifiers[identifier]})", "give each cue its own identifier",
                        level="warning")
            self.identifiers.setdefault(identifier, line_no - 1)
        cue_text = "\n".join(text_line for _, text_line in buffer)
        if not cue_text.strip():
            problem(line_no, "the cue has no text", "write the caption on the line after the timing",
                    level="warning")
        self.cues.append(Cue(start, end, cue_text, identifier, settings, line_no))


def read_webvtt(path, name: str | None = None) -> tuple[list[Cue], list[Problem]]:
    """Read, type-check, decode (UTF-8, as WebVTT requires) and parse a caption file."""
    shown = _shown(path, name)
    try:
        with _contents(path) as data:
            data = bytes(data)
    except OSError as e:
        return [], [_unreadable(shown, e)]
    problem = check_type(path, data, name)
    if problem is not None and not (data and sniff(data) in ("text", "text-gb18030", "srt")):
        return [], [problem]
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        hint = "WebVTT files must be UTF-8; re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
        try:
            data.decode("gb18030")
            hint = "the file looks GBK/GB18030-encoded; " + hint
        except UnicodeDecodeError:
            pass
        return [], [Problem(f"{shown} is not valid UTF-8 (byte 0x{data[e.start]:02x})", hint, line)]
    return parse_webvtt(text)
