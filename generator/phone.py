"""Chinese public telephone numbers: parsed, checked, normalised and linked.

A directory of public institutions, the site's contact block and every
complaints line publish telephone numbers, and a number with a digit missing
sends a caller to a stranger or to nobody. So a number is not checked with a
loose character pattern: it is parsed into its parts and each part is held to
the shape real Chinese numbers have:

* landlines: area code (010, 020–029, or 0 + three digits) and a local number
  of 8 digits (7 or 8 for four-digit area codes) that starts with 2–9, with an
  optional extension written ``转8001``, ``分机8001`` or ``-8001``;
* mobiles: 11 digits starting 13–19;
* 400/800 numbers: 10 digits;
* the five-digit public service numbers 12xxx (12345 government hotline, 12318
  culture-market hotline, 12301 tourism hotline …) and 95xxx.

Editors paste numbers from Word and WPS, so full-width digits and brackets
(``０７９２－８２２１２３４``) and the many dashes (— – －) are normalised
first. What is left is one canonical form, whatever the editor typed: the same
number is displayed, linked and exported the same way on every page and in
every data file.

A short label may follow the number in brackets: ``0792-8221234（售票）``.

:func:`parse_phone` is the plain function; :class:`PhoneNumber` and
:class:`PhoneNumbers` are the schema field types built on it, for any schema
(institutions, the site's contact details, contact pages).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .readers.yaml_loader import Sequence
from .schema import FieldType, Invalid, ListOf, Scope, type_name

#: Kinds of number, with the word used in messages.
LANDLINE, MOBILE, SERVICE, HOTLINE = "landline", "mobile", "service", "hotline"

#: Every dash an editor's word processor produces; all mean the ASCII hyphen here.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\ufe58\ufe63\uff0d"
_DASH_TABLE = {ord(c): "-" for c in _DASHES}
#: Separators between several numbers written in one line.
_LIST_SEPARATORS = "、，,；;"
#: Longer input than this is not one telephone number (and would make slow messages).
_MAX_LENGTH = 60

_LABEL_RE = re.compile(r"(?P<number>.*?)\s*[(（](?P<label>[^()（）]*)[)）]")
_EXTENSION_RE = re.compile(r"(?P<main>.*?)\s*(?:转|分机|ext\.?|x)\s*(?P<ext>[0-9]*)", re.I)
_INTERNATIONAL_RE = re.compile(r"(?:\+|00)\s*(?P<rest>.*)")
_EXTENSION_LABEL_RE = re.compile(r"(?:转|分机|ext\.?|x)\s*[0-9]+", re.I)


@dataclass(frozen=True)
class Phone:
    """One checked telephone number.

    ``number`` holds the digits as dialled from inside mainland China
    (``07928221234``, ``13807921234``, ``4001234567``, ``12345``); everything a
    page or a data file shows is derived from it, so two spellings of one
    number are equal.
    """

    kind: str  # LANDLINE, MOBILE, SERVICE or HOTLINE
    number: str
    area_code: str = ""  # landlines only, with its leading 0
    extension: str = ""
    label: str = ""  # e.g. 售票, 投诉, 总服务台

    @property
    def local(self) -> str:
        """The number without its area code (landlines), or the whole number."""
        return self.number[len(self.area_code):]

    @property
    def number_display(self) -> str:
        """The number in its usual written form, without the label.

        Groups are separated by hyphens (``0792-8221234``, ``138-0792-1234``,
        ``400-123-4567``): easier to read aloud and to check, and a spreadsheet
        opening the CSV keeps the text instead of turning a mobile number into
        1.38E+10.
        """
        n = self.number
        if self.kind == LANDLINE:
            text = f"{self.area_code}-{self.local}"
        elif self.kind == MOBILE:
            text = f"{n[:3]}-{n[3:7]}-{n[7:]}"
        elif self.kind == SERVICE:
            text = f"{n[:3]}-{n[3:6]}-{n[6:]}"
        else:
            text = n
        return text + (f"转{self.extension}" if self.extension else "")

    @property
    def display(self) -> str:
        """What pages show: the number and, in brackets, its label."""
        return self.number_display + (f"（{self.label}）" if self.label else "")

    @property
    def e164(self) -> str:
        """The international form (``+867928221234``), or ``""`` for numbers only dialable in China."""
        if self.kind == LANDLINE:
            return "+86" + self.number[1:]
        if self.kind == MOBILE:
            return "+86" + self.number
        return ""

    @property
    def uri(self) -> str:
        """The ``tel:`` link (RFC 3966).

        Landlines and mobiles use the global form, ``tel:+86-792-8221234``: it
        is the only form RFC 3966 allows without a ``phone-context``, and it
        dials correctly from any phone, including a visitor's foreign SIM card,
        which matters on a tourism site. 400/800 and five-digit service numbers
        cannot be reached from abroad, so they are linked as dialled inside
        China (``tel:12345``), the form every phone dialler accepts.
        An extension is the standard ``;ext=`` parameter.
        """
        if self.kind == LANDLINE:
            uri = f"tel:+86-{self.area_code[1:]}-{self.local}"
        elif self.kind == MOBILE:
            uri = f"tel:+86-{self.number[:3]}-{self.number[3:7]}-{self.number[7:]}"
        else:
            uri = f"tel:{self.number}"
        return uri + (f";ext={self.extension}" if self.extension else "")

    def __str__(self) -> str:
        return self.display


# --------------------------------------------------------------------------- parsing


def normalise_text(text: str) -> str:
    """Full-width digits, letters and brackets to ASCII (NFKC), every dash to '-', spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_DASH_TABLE)
    return " ".join(text.split())


def _split_label(text: str) -> tuple[str, str]:
    """``0792-8221234（售票）`` → number text and label; ``(0792)8221234`` has no label.

    Runs before normalisation so that the label keeps the editor's Chinese punctuation.
    """
    m = _LABEL_RE.fullmatch(text)
    if m and m.group("number") and re.search(r"[^0-9\s+\-－]", m.group("label")):
        number, label = m.group("number").strip(), m.group("label").strip()
        if _EXTENSION_LABEL_RE.fullmatch(label):  # 0792-8221234（转8001）: an extension, not a label
            return f"{number} {label}", ""
        return number, label
    return text, ""


def _split_extension(text: str, written: str) -> tuple[str, str]:
    m = _EXTENSION_RE.fullmatch(text)
    if not m:
        return text, ""
    ext = m.group("ext")
    if not ext:
        raise Invalid(f"{written!r} has no digits after 转/分机", "write the extension digits, e.g. 0792-8221234转8001")
    if len(ext) > 6:
        raise Invalid(f"extension {ext} of {written!r} has {len(ext)} digits, more than 6",
                      "check the extension; write it as 0792-8221234转8001")
    return m.group("main"), ext


def _area_code(digits: str, written: str) -> str:
    if digits.startswith(("010", "02")):
        return digits[:3]
    if re.match(r"0[3-9]", digits):
        return digits[:4]
    raise Invalid(f"{written!r} does not start with an area code",
                  "Chinese area codes are 010, 020–029, or 0 and three digits such as 0792")


def _missing_area_hint(digits: str, area_code: str) -> str:
    if area_code:
        return f"add the area code (区号) in front: {area_code}-{digits}"
    return f"add the area code (区号) in front, e.g. 0xxx-{digits}"


def _classify(digits: str, written: str, area_code_hint: str, written_area: str) -> Phone:
    """The number for ``digits`` (only digits, national form), or :class:`Invalid`."""
    n = len(digits)
    if digits.startswith("0"):
        area = _area_code(digits, written)
        if written_area and written_area != area:
            raise Invalid(f"{written_area!r} in {written!r} is not an area code",
                          f"Chinese area codes are 010, 020–029, or 0 and three digits; did you mean {area}?")
        local = digits[len(area):]
        lengths = (8,) if len(area) == 3 else (7, 8)
        if not local:
            raise Invalid(f"{written!r} is only an area code", f"write the whole number, e.g. {area}-8221234")
        if len(local) not in lengths:
            allowed = " or ".join(map(str, lengths))
            raise Invalid(f"the local number {local} in {written!r} has {len(local)} digits",
                          f"a local number after area code {area} has {allowed} digits; "
                          "check for a missing or extra digit")
        if local[0] in "01":
            raise Invalid(f"the local number {local} in {written!r} starts with {local[0]}",
                          "a local number starts with 2–9; check the area code and the digits")
        return Phone(LANDLINE, digits, area)
    if digits.startswith("1"):
        if n == 11:
            if digits[1] in "3456789":
                return Phone(MOBILE, digits)
            raise Invalid(f"{written!r} is not a mobile number", "mobile numbers start with 13–19 and have 11 digits")
        if n == 5 and digits.startswith("12"):
            return Phone(HOTLINE, digits)
        raise Invalid(f"{written!r} has {n} digits",
                      "a mobile number has 11 digits (13…–19…); a public hotline such as 12345 has 5")
    if digits.startswith(("400", "800")):
        if n == 10:
            return Phone(SERVICE, digits)
        raise Invalid(f"{written!r} has {n} digits", f"a {digits[:3]} number has 10 digits, e.g. {digits[:3]}-123-4567")
    if n == 5 and digits.startswith("95"):
        return Phone(HOTLINE, digits)
    if n in (7, 8):
        raise Invalid(f"{written!r} has no area code", _missing_area_hint(digits, area_code_hint))
    raise Invalid(f"{written!r} has {n} digits, which no Chinese telephone number has",
                  "write a landline with its area code (0792-8221234), an 11-digit mobile number, "
                  "a 400/800 number or a hotline such as 12345")


def parse_phone(text: str, *, area_code: str = "") -> Phone:
    """Parse and check one number; raise :class:`~generator.schema.Invalid` with a hint if it is not one.

    ``area_code`` only improves the hint for a local number written without
    its area code; such a number is never completed silently, because the
    published number must be the one the editor wrote and checked.
    """
    written = " ".join(str(text).split())
    if not written:
        raise Invalid("the telephone number is empty", "write a number such as 0792-8221234")
    if len(written) > _MAX_LENGTH:
        raise Invalid(f"{written[:20]!r}… is too long for a telephone number", "write one number per entry")
    text, label = _split_label(written)
    text = normalise_text(text)
    if any(sep in text for sep in _LIST_SEPARATORS):
        raise Invalid(f"{written!r} holds more than one number",
                      "write each number as its own list item: [0792-8221234, 0792-8221235]")
    main, extension = _split_extension(text, written)
    international = False
    m = _INTERNATIONAL_RE.fullmatch(main.strip())
    if m:
        if not m.group("rest").startswith("86"):
            raise Invalid(f"{written!r} is not a number in mainland China",
                          "only numbers with +86 (or none) can be checked and linked")
        main, international = m.group("rest")[2:], True
        main = re.sub(r"^\s*-?\s*\(0\)", "", main)  # +86 (0)792 … : the trunk 0 in brackets
    groups = [g for g in re.split(r"[\s\-()]+", main) if g]
    bad = "".join(sorted({c for g in groups for c in g if c not in "0123456789"}))
    if bad or not groups:
        hint = ("put a label in brackets after the number: 0792-8221234（售票）" if re.search(r"[^\x00-\x7f]", bad)
                else "write digits, with '-' or spaces between the groups")
        raise Invalid(f"{written!r} is not a telephone number" + (f" (it contains {bad!r})" if bad else ""), hint)
    # 0792-8221234-8001: a third group after a complete landline is an extension.
    if not extension and len(groups) == 3 and groups[0].startswith("0") and len(groups[2]) <= 6:
        try:
            _classify(groups[0] + groups[1], written, area_code, groups[0])
            groups, extension = groups[:2], groups[2]
        except Invalid:
            pass
    digits = "".join(groups)
    if international and not digits.startswith(("0", "1", "400", "800")):
        digits = "0" + digits  # +86 792 8221234 → 0792 8221234
    written_area = groups[0] if len(groups) > 1 and groups[0].startswith("0") and not international else ""
    phone = _classify(digits, written, area_code, written_area)
    if international and phone.kind not in (LANDLINE, MOBILE):
        raise Invalid(f"{written!r} cannot be dialled from abroad", f"write it without +86: {phone.number_display}")
    if extension and phone.kind != LANDLINE:
        raise Invalid(f"{written!r} has an extension, but only landlines have extensions",
                      "remove the extension, or check the number")
    return Phone(phone.kind, phone.number, phone.area_code, extension, label)


def split_phones(text: str) -> list[str]:
    """Several numbers in one line (``0792-8221234、0792-8221235``) → one string each.

    Separators inside a bracketed label (``（售票，咨询）``) do not split.
    """
    out, current, depth = [], [], 0
    for c in text:
        if c in "(（":
            depth += 1
        elif c in ")）":
            depth = max(0, depth - 1)
        if c in _LIST_SEPARATORS and depth == 0:
            out.append("".join(current).strip())
            current = []
        else:
            current.append(c)
    out.append("".join(current).strip())
    return [p for p in out if p]


# --------------------------------------------------------------------------- schema types


def _yaml_number_readings(value: int) -> list[str]:
    """The texts an editor may have meant by a number YAML read as an integer.

    YAML reads ``13807921234`` as an integer, ``+8613807921234`` as one
    without its '+', and ``02155661234`` (only digits 0–7 after a leading 0)
    as an *octal* integer; the original text is gone, so each reading is tried.
    """
    readings = [str(value)]
    if value > 0:
        readings.append("0" + format(value, "o"))
        if str(value).startswith("86"):
            readings.append("+" + str(value))
    return readings


class PhoneNumber(FieldType):
    """One telephone number; converts to a :class:`Phone`.

    Reads ``scope.env["area_code"]`` (optional) to suggest the area code of a
    local number written without one.
    """

    label = "a telephone number"

    def convert(self, value: Any, scope: Scope, line: int) -> Phone:
        area_code = str(scope.env.get("area_code") or "")
        if isinstance(value, int) and not isinstance(value, bool):
            parsed, first_error = [], None
            for reading in _yaml_number_readings(value):
                try:
                    parsed.append(parse_phone(reading, area_code=area_code))
                except Invalid as e:
                    first_error = first_error or e
            if len(set(parsed)) == 1:
                return parsed[0]
            if parsed:
                raise Invalid(f"the number {value} can be read in more than one way",
                              "put the telephone number in quotes, e.g. \"021-55661234\"")
            raise Invalid(first_error.message, (first_error.hint + "; " if first_error.hint else "")
                          + "put the number in quotes if YAML changed it (leading 0 or +)")
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {type_name(value)}",
                          "write the number as text, e.g. 0792-8221234")
        return parse_phone(value, area_code=area_code)


class PhoneNumbers(FieldType):
    """One or more telephone numbers; converts to a non-empty list of :class:`Phone`.

    Accepts a YAML list, a single number, or several numbers in one line
    separated by 、，,；; (how they are written in Chinese documents). Each
    number is checked on its own and reported at its own line.
    """

    label = "a telephone number, or a list of them"

    def convert(self, value: Any, scope: Scope, line: int) -> list[Phone]:
        if isinstance(value, str):
            parts = split_phones(value)
            if len(parts) > 1:
                value = Sequence(parts)
                value.line, value.lines = line, [line] * len(parts)
        return ListOf(PhoneNumber(), min_items=1).convert(value, scope, line)
