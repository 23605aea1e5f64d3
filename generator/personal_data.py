"""Personal data in text: resident ID numbers, bank card numbers, mobile numbers and e-mail addresses.

The detectors behind :mod:`generator.privacy`, which reports what they find. They look for:

* mainland resident ID numbers (居民身份证号码): 18 characters with a valid
  GB 11643 check character (``X`` or ``x``), a known province code and a real
  birth date; and the 15-digit numbers of the first generation with a real
  date;
* bank card numbers: 13–19 digits that pass the Luhn check, with an issuer
  prefix cards use, written together or in groups of four;
* mobile numbers: 11 digits 13x–19x, also written ``138-0792-1234``,
  ``138 0792 1234`` or with ``+86``;
* e-mail addresses.

They are built to keep false positives low: dates, 文号, 索引号,
统一社会信用代码, amounts, landlines, ISBNs and long registration numbers are
not findings; see ``tests/test_privacy.py`` for the hard negatives.
Finding is linear in the size of the text, and cheap for text without long
runs of digits: every number found has at least 11 digits, so only the lines
that have as many (or an ``@``) are looked at closely.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

from .cache import build_date

ID_NUMBER = "身份证号"
BANK_CARD = "银行卡号"
MOBILE = "手机号"
EMAIL = "邮箱"
KINDS = (ID_NUMBER, BANK_CARD, MOBILE, EMAIL)

_DESCRIPTION = {
    ID_NUMBER: "a resident ID number (居民身份证号码)",
    BANK_CARD: "a bank card number (银行卡号)",
    MOBILE: "a mobile number (手机号码)",
    EMAIL: "an e-mail address (电子邮箱)",
}

@dataclass(frozen=True)
class Finding:
    kind: str
    value: str  # normalised: digits (and X) only, or the lower-cased e-mail address
    line: int
    mistyped: bool = False  # an ID number whose check character is wrong

    @property
    def masked(self) -> str:
        return mask(self.kind, self.value)

    @property
    def description(self) -> str:
        if self.mistyped:
            return f"probable mistyped resident ID number (居民身份证号码, wrong check character) {self.masked}"
        return f"possible {_DESCRIPTION[self.kind]} {self.masked}"


def mask(kind: str, value: str) -> str:
    """The value with its middle hidden, so the build log does not republish it."""
    if kind == EMAIL:
        local, _, domain = value.partition("@")
        return (local[:1] + "***@" + domain) if local else value
    keep_start = {ID_NUMBER: 4, BANK_CARD: 4, MOBILE: 3}[kind]
    keep_end = {ID_NUMBER: 2, BANK_CARD: 4, MOBILE: 4}[kind]
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


# Full-width forms, dashes and spaces word processors produce, mapped one to one;
# invisible format characters (zero-width space, soft hyphen …) are dropped.
_TRANSLATE: dict[int, str | None] = {}
for _c in range(0xFF01, 0xFF5F):
    _TRANSLATE[_c] = chr(_c - 0xFEE0)
for _c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63":
    _TRANSLATE[ord(_c)] = "-"
for _c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000":
    _TRANSLATE[ord(_c)] = " "
for _c in "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff":
    _TRANSLATE[ord(_c)] = None


#: Other invisible format characters (bidi controls …) that can hide inside a number.
_FORMAT_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u206f\ufff9-\ufffb]")
#: A line is looked at closely only if it has 11 digits (the fewest any number found has) or an @, ASCII or
#: full-width (the only characters that normalise to digits or @): most lines of Chinese text have neither.
#: One scan of the line: up to ten digits, then an eleventh or an @. Matched on the text with a newline in
#: front, so that every match starts at the newline before its line.
_CANDIDATE_LINE_RE = re.compile("\n(?:[^0-9\uff10-\uff19@\uff20\n]*+[0-9\uff10-\uff19]){0,10}+"
                                "[^0-9\uff10-\uff19@\uff20\n]*+[0-9\uff10-\uff19@\uff20]")
#: The fewest digits of any number found (a mobile number's 11; cards have 13–19, ID numbers 15 or 18).
_MIN_DIGITS = 11


def _normalise(line: str) -> str:
    line = line.translate(_TRANSLATE)
    return line if line.isascii() else _FORMAT_RE.sub("", line)


#: Digit groups joined by single spaces or hyphens, and an ID's final X.
_TOKEN_RE = re.compile(r"[0-9]+(?:[ \-][0-9]+)*[Xx]?")

_PROVINCES = frozenset({11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50,
                        51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83})
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MOBILE_RE = re.compile(r"1(?:3[0-9]|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8[0-9]|9[0-35-9])[0-9]{8}")
#: Words that, just before a number, say it is a registration or code rather than a card.
_NOT_A_CARD = re.compile(
    r"(?:代码|编号|编码|注册号|登记号|登记证号|备案号|公网安备|索引号|文号|书号|ISBN|ISSN|条码|条形码|订单号|流水号|单号|批号|"
    r"合同号|许可证号|证书号|证号|准字|执照|税号|识别号|专利号|案号|账期|序号|No\.?)[\s:：#]*$", re.I)
#: ... unless it says the number is a person's (身份证号 ends in 证号, 银行卡号 in 号).
_PERSONAL_CONTEXT = re.compile(r"身份|证件|公民|居民|卡号|账号|帐号|银行|户名")
_USCC_CONTEXT = re.compile(r"(?:统一社会信用代码|社会信用代码|信用代码|组织机构代码|机构代码|纳税人识别号|税号|索引号)[\s:：]*$")
_YEARISH = re.compile(r"(?:19|20)[0-9]{2}")

_MOBILE_SHAPES = {(11,), (3, 4, 4), (3, 8), (7, 4), (4, 3, 4)}
_ID18_SHAPES = {(18,), (6, 8, 4), (6, 4, 4, 4)}
_ID15_SHAPES = {(15,), (6, 6, 3)}
_CARD_GROUPED = {(4, 4, 4, 4), (4, 4, 4, 4, 1), (4, 4, 4, 4, 2), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (6, 13),
                 (4, 4, 4, 1), (4, 4, 4, 2), (4, 4, 4, 3)}


def _valid_date(year: int, month: int, day: int, today: dt.date) -> bool:
    if not 1900 <= year <= today.year:
        return False
    try:
        return dt.date(year, month, day) <= today
    except ValueError:
        return False


def is_id18(value: str, today: dt.date | None = None) -> bool:
    """An 18-character resident ID number: province, birth date and GB 11643 check character."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789Xx":
        return False
    if int(value[:2]) not in _PROVINCES:
        return False
    if not _valid_date(int(value[6:10]), int(value[10:12]), int(value[12:14]), today or build_date()):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17].upper()


def is_mistyped_id18(value: str, today: dt.date | None = None) -> bool:
    """Province, region and birth date of an 18-character ID number, but a wrong check character: an ID
    number with a digit mistyped (a card number never has a birth date in its 7th–14th digits)."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789Xx":
        return False
    if int(value[:2]) not in _PROVINCES or value[2:6] == "0000":
        return False
    return _valid_date(int(value[6:10]), int(value[10:12]), int(value[12:14]), today or build_date())


def is_id15(value: str) -> bool:
    """A first-generation 15-digit ID number: province and a real birth date in 19xx."""
    if len(value) != 15 or not value.isdigit() or int(value[:2]) not in _PROVINCES:
        return False
    try:
        dt.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        return False
    return True


def is_uscc(value: str) -> bool:
    """A 统一社会信用代码 (GB 32100) with a valid check character."""
    value = value.upper()
    if len(value) != 18 or any(c not in _USCC_CHARS for c in value):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31] == value[17]


def luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def is_card(digits: str) -> bool:
    """A bank card number: 13–19 digits, an issuer prefix cards use, and the Luhn check."""
    n = len(digits)
    if not 13 <= n <= 19 or not digits.isdigit() or len(set(digits)) < 2:
        return False
    first = digits[0]
    if n == 13:
        ok = first == "4"  # an ISBN-13 starts with 978/979
    elif n == 14:
        ok = digits[:2] in ("30", "36", "38")
    elif n == 15:
        ok = digits[:2] in ("34", "37")
    elif n == 19 and first == "9":
        ok = True  # older domestic debit cards (95599…, 9558…)
    else:
        ok = first in "23456"
    if not ok or (n == 18 and is_uscc(digits)):
        return False
    return luhn(digits)


#: The kind of an ID number whose check character is wrong (reported as a mistyped ID, covered by 身份证号).
MISTYPED_ID = ID_NUMBER + "?"


def _classify(groups: list[str], before: str) -> tuple[str, str] | None:
    """The kind and normalised value of one run of digit groups, or None."""
    shape = tuple(len(g) for g in groups)
    value = "".join(groups)
    if shape in _ID18_SHAPES and not _uscc_context(value.upper(), before):
        if is_id18(value):
            return ID_NUMBER, value.upper()
        if is_mistyped_id18(value) and not _registration(before):
            return MISTYPED_ID, value.upper()
    if value[-1] in "Xx":  # only an ID number ends with X
        return None
    if shape in _ID15_SHAPES and is_id15(value) and not _registration(before):
        return ID_NUMBER, value
    for prefix in ("86", "0086"):  # +86 / 0086 in front of a mobile
        if groups[0] == prefix and tuple(len(g) for g in groups[1:]) in _MOBILE_SHAPES:
            rest = value[len(prefix):]
            if _MOBILE_RE.fullmatch(rest):
                return MOBILE, rest
    for prefix in ("86", "0086"):  # 8613807921234, 008613807921234
        if shape == (len(prefix) + 11,) and value.startswith(prefix) and _MOBILE_RE.fullmatch(value[len(prefix):]):
            return MOBILE, value[len(prefix):]
    if shape in _MOBILE_SHAPES and _MOBILE_RE.fullmatch(value):
        return MOBILE, value
    if (len(groups) == 1 or shape in _CARD_GROUPED) and is_card(value):
        if len(groups) > 1 and all(_YEARISH.fullmatch(g) for g in groups):
            return None  # "2019 2020 2021 2022" is a row of years
        if _registration(before):
            return None
        return BANK_CARD, value
    return None


def _registration(before: str) -> bool:
    """The text before a number labels it a registration number or code, not a person's number."""
    return bool(_NOT_A_CARD.search(before)) and not _PERSONAL_CONTEXT.search(before)


def _uscc_context(value: str, before: str) -> bool:
    """An 18-character code labelled as a 统一社会信用代码 that also is one, or the head of a 索引号."""
    return bool(_USCC_CONTEXT.search(before)) and is_uscc(value)


_MAX_GROUPS = 6
#: A unit right after a number makes it a quantity (an amount, a count), not a person's number.
_QUANTITY = re.compile(r"\s?(?:元|万|亿|千|百|人|次|个|件|册|份|名|项|户|家|座|所|台|辆|吨|米|平方|公里|亩|天|小时|号|条|篇|"
                       r"页|字|倍|%|％|kg|km)")
#: Every grouping of more than one group that can be personal data.
_SHAPES = frozenset({*_MOBILE_SHAPES, *_ID18_SHAPES, *_ID15_SHAPES, *_CARD_GROUPED,
                     *((2, *m) for m in _MOBILE_SHAPES), *((4, *m) for m in _MOBILE_SHAPES)})


def _numbers(line: str) -> Iterable[tuple[str, str]]:
    """(kind, value) of the personal numbers in one normalised line."""
    for m in _TOKEN_RE.finditer(line):
        start, end = m.span()
        if end - start < _MIN_DIGITS:
            continue  # too few digits for any of the shapes below (a date, an amount)
        text = m.group()
        prev = line[start - 1] if start else ""
        if prev and (prev.isascii() and (prev.isalnum() or prev == "_")
                     or prev == "." and start >= 2 and line[start - 2].isdigit()):
            continue  # part of a word, a hex string or a decimal: A123…, 0x1f…, 3.1415…
        nxt = line[end] if end < len(line) else ""
        if nxt and (nxt.isascii() and (nxt.isalnum() or nxt == "_")
                    or nxt == "." and line[end + 1:end + 2].isdigit()):
            continue
        if nxt == "/":
            continue  # the organ code at the head of a 索引号 (11360400…/2023-00012), a path
        groups = re.split(r"[ \-]", text)
        lengths = [len(g) for g in groups]
        before_token = line[max(0, start - 16):start]
        i = 0
        while i < len(groups):
            found = None
            if lengths[i] >= 2:  # every shape starts with a group of two digits or more
                for j in range(min(len(groups), i + _MAX_GROUPS), i, -1):
                    if j - i > 1 and tuple(lengths[i:j]) not in _SHAPES:
                        continue
                    if j - i == 1 and not 11 <= lengths[i] <= 19:
                        continue
                    before = (before_token + " ".join(groups[max(0, i - 4):i]))[-16:]
                    found = _classify(groups[i:j], before)
                    if found and found[0] in (MOBILE, BANK_CARD, MISTYPED_ID) and (
                            i == 0 and before.endswith("第") or j == len(groups) and _QUANTITY.match(line, end)):
                        found = None  # 总投资13500000000元, 第17387558810号: a quantity or an ordinal
                    if found:
                        i = j
                        break
            if found:
                yield found
            else:
                i += 1


_LOCAL_RE = re.compile(r"[A-Za-z0-9._%+\-]{1,64}\Z")
_DOMAIN_RE = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}([A-Za-z]{2,24})(?![A-Za-z0-9\-])")
#: Domains that are not a person's: government, and the ones reserved for examples (RFC 2606).
PUBLIC_EMAIL_DOMAINS = ("gov.cn", "example.com", "example.org", "example.net", "example.cn")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost")


def public_email(address: str, domains: Iterable[str] = ()) -> bool:
    """A government, reserved or the agency's own address: not a person's."""
    domain = address.rsplit("@", 1)[1]
    if domain.rsplit(".", 1)[-1] in _RESERVED_TLDS:
        return True
    return any(domain == d or domain.endswith("." + d) for d in (*PUBLIC_EMAIL_DOMAINS, *domains))


def _emails(line: str) -> Iterable[str]:
    at = line.find("@")
    while at != -1:
        m = _LOCAL_RE.search(line, max(0, at - 64), at)
        d = _DOMAIN_RE.match(line, at + 1)
        if m and d:
            local = m.group().lstrip(".")
            if local and not local.endswith("."):
                yield (local + "@" + d.group().rstrip(".")).lower()
        at = line.find("@", at + 1)


def find(text: str, first_line: int = 1) -> list[Finding]:
    """Every piece of personal data in ``text``; line numbers start at ``first_line``."""
    found = []
    padded = "\n" + text
    number, counted = first_line - 1, 0  # the line of padded[counted - 1]
    for m in _CANDIDATE_LINE_RE.finditer(padded):
        start = m.start() + 1  # the line's first character
        number += padded.count("\n", counted, start)
        counted = start
        end = padded.find("\n", start)
        line = _normalise(padded[start:end if end >= 0 else len(padded)])
        for kind, value in _numbers(line):
            mistyped = kind == MISTYPED_ID
            found.append(Finding(ID_NUMBER if mistyped else kind, value, number, mistyped))
        if "@" in line:
            found.extend(Finding(EMAIL, value, number) for value in _emails(line))
    return found
