"""What went wrong in a YAML text, said where the editor can fix it: the hints of :mod:`yaml_loader`'s errors."""

from __future__ import annotations

import yaml


class Fail(Exception):
    """A mistake in a YAML text: its line, what is wrong and how to fix it."""

    def __init__(self, line: int, message: str, hint: str = ""):
        self.line, self.message, self.hint = line, message, hint


def hint(problem: str, source_line: str) -> str:
    """How to fix the syntax error PyYAML calls ``problem``, found on ``source_line``."""
    stripped = source_line.lstrip()
    item = stripped.startswith("-") and stripped[1:2] in ("", " ")
    if item and ("expected key" in problem or "expected <block end>" in problem):
        # A "：" in the item's value is text, not the mistake: the item is out of line.
        return "line this list item up with the items above it: every '- ' of one list starts in the same column"
    if "：" in source_line and not item and ":" not in source_line.split("：", 1)[0]:
        return "use an ASCII colon followed by a space ('key: value'), not a full-width colon '：'"
    if "\t" in source_line:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. 标题: \"关于……的通知: 附件\""
    if "found character '@'" in problem or "found character '`'" in problem:
        return "values starting with @ or ` must be quoted"
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "check the indentation: fields of one level must line up, and list items start with '- '"
    if "found undefined alias" in problem:
        return "an alias '*name' needs a matching anchor '&name' before it"
    return "check the YAML syntax near this line (indentation, quotes, colons)"


def unclosed(e: yaml.MarkedYAMLError, text: str) -> Fail | None:
    """A bracket or quote that is never closed, reported where it opens: PyYAML notices it only at the
    next thing that cannot be inside it, often lines later."""
    start, end = e.context_mark, e.problem_mark
    if start is None or end is None or end.index <= start.index:
        return None
    inside = text[start.index:end.index]
    if e.context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        if "sequence" in e.context:
            if "]" in inside:
                return None
            return Fail(start.line, "YAML syntax error: the '[' on this line is never closed",
                         "end the list with ']' on the same line, e.g. 标签: [惠企政策, 行业监管]; "
                         "a value that starts with '[' must be quoted")
        if "}" in inside:
            return None
        return Fail(start.line, "YAML syntax error: the '{' on this line is never closed",
                     "end it with '}' on the same line, e.g. {标题: 附件1, 文件: files/a.pdf}; "
                     "a value that starts with '{' must be quoted")
    if e.context == "while scanning a quoted scalar":
        return Fail(start.line, "YAML syntax error: the quotation mark on this line is never closed",
                     "end the value with the same quotation mark it starts with, on the same line")
    return None
