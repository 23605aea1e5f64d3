"""索引号: the identifier citizens and other agencies cite, so it never moves.

Every document of a type with a 索引号 field (policies, interpretations,
annual reports, and any type that has one) carries its number in its own
file; nothing here makes one up, because a number derived at build time would
change when an earlier-dated document is added. The site graph checks all of
them together:

* a missing 索引号 is an error whose hint is the number ``fill-index`` would
  write: the next free serial of the document's year, in date order;
* one number on two documents (of any types), or a withdrawn number in use
  again, is an error naming both files;
* a number that does not follow ``index_no.pattern``, or whose year (and
  month) is not that of the document's 发布日期 (or 成文日期, see
  ``index_no.year_from``), is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Hashable, Iterable

from ..config import IndexNoSpec, SiteConfig
from ..errors import Report, display_path
from ..documents.withdrawn import Withdrawal

FILL_COMMAND = "python -m generator fill-index"


def used_serials(numbers: Iterable[str], spec: IndexNoSpec) -> dict[int, set[int]]:
    """The serials taken in each period by the numbers that follow the pattern."""
    regex = spec.regex()
    used: dict[int, set[int]] = {}
    for number in numbers:
        m = regex.fullmatch(number)
        if m is not None:
            used.setdefault(int(m.groupdict().get("year") or 0), set()).add(int(m.group("seq")))
    return used


def assign(wanting: Iterable[tuple[Hashable, dt.date]], used: dict[int, set[int]],
           spec: IndexNoSpec) -> dict[Hashable, str]:
    """The next free numbers for documents without one, by (date, key): after the highest serial taken in
    the period, so a number once written is never taken again. ``used`` is updated."""
    out = {}
    yearly = "year" in spec.regex().groupindex  # else one numbering period for all time
    for key, date in sorted(wanting, key=lambda w: (w[1], str(w[0]))):
        seqs = used.setdefault(date.year if yearly else 0, set())
        seq = max(seqs, default=0) + 1
        seqs.add(seq)
        out[key] = spec.format(date.year, date.month, seq)
    return out


def fill_hint(config: SiteConfig, number: str, date_field: str, date: dt.date) -> str:
    return (f"add `索引号: {number}` (the next free number for its {date_field} {date}), or run "
            f"`{FILL_COMMAND} --content {display_path(config.content_dir)}` to write every missing one")


def _check_pattern(doc, spec: IndexNoSpec, regex: re.Pattern, report: Report) -> None:
    line = doc.lines["index_no"]
    field, date = spec.dated(doc)
    m = regex.fullmatch(doc.index_no)
    if m is None:
        report.warning(doc.source, line, f"索引号 {doc.index_no} does not follow the pattern {spec.pattern}",
                       f"e.g. {spec.format(date.year, date.month, 1)}", code="index-pattern")
        return
    parts = m.groupdict()
    wrong = [(name, int(parts[group]), want) for name, group, want in
             (("year", "year", date.year), ("month", "month", date.month)) if parts.get(group) is not None]
    for name, written, want in wrong:
        if written != want:
            report.warning(doc.source, line,
                           f"the {name} {written} in 索引号 {doc.index_no} is not the {name} of its {field} {date}",
                           f"a 索引号 is numbered in the {name} of the document's {field}: correct the {field}, or, "
                           "if this 索引号 was never published, the 索引号", code="index-date")
            return


def check_index_numbers(docs: list, withdrawn: list, config: SiteConfig, report: Report) -> None:
    """Every problem of the 索引号 of ``docs`` (documents of every type that has one) and ``withdrawn``."""
    owner: dict[str, object] = {}
    regex = config.index_no.regex()
    for entry in withdrawn:
        owner.setdefault(entry.index_no, entry)  # a repeated withdrawal is reported where it is read
    for doc in sorted((d for d in docs if d.index_no), key=lambda d: str(d.source)):
        other = owner.get(doc.index_no)
        line = doc.lines["index_no"]
        if isinstance(other, Withdrawal):
            report.error(doc.source, line, f"索引号 {doc.index_no} was withdrawn ({display_path(other.source)}:"
                         f"{other.line}) and cannot be used again",
                         "a withdrawn number is never reused: delete this 索引号 line and run "
                         f"`{FILL_COMMAND}`; if this is the withdrawn document itself, remove its withdrawal record",
                         code="withdrawn-index")
        elif other is not None:
            report.error(doc.source, line, f"索引号 {doc.index_no} is already used by {display_path(other.source)}",
                         "every document needs its own 索引号: if this one was never published, delete this line "
                         f"and run `{FILL_COMMAND}`", code="duplicate-index")
        else:
            owner[doc.index_no] = doc
            _check_pattern(doc, config.index_no, regex, report)
    missing = [d for d in docs if not d.index_no]
    if not missing:
        return
    used = used_serials(owner, config.index_no)
    dated = {str(d.source): config.index_no.dated(d) for d in missing}
    numbers = assign(((key, date) for key, (_, date) in dated.items()), used, config.index_no)
    for doc in missing:
        field, date = dated[str(doc.source)]
        report.error(doc.source, doc.lines["index_no"], "the document has no 索引号",
                     fill_hint(config, numbers[str(doc.source)], field, date), code="missing-index")
