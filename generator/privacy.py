"""Privacy screening: personal data found in content, reported before it is published.

A disclosure site publishes what editors commit, and the 条例 (第十五条) forbids
publishing personal privacy without the person's consent or an overriding
public interest. Editors paste from case files, application forms and
spreadsheets, so every content file (front matter and body, of every content
type) and every published attachment in a text or Office format (CSV, TXT,
DOCX, XLSX, PPTX; see :mod:`generator.readers.office`) is screened for
the personal data :mod:`generator.personal_data` finds: resident ID numbers
and bank card numbers are **errors**, mobile numbers (except the agency's
official ones) and e-mail addresses warnings; addresses at government domains
(``*.gov.cn``), the site's own domain and the reserved example domains are not
personal.

Each finding is a diagnostic with the file and line, and the number masked so
that the build log does not repeat it. Publishing such data needs an explicit,
reviewed exception in the document's own front matter::

    隐私审查:
      允许: [手机号]
      审查人: 张三
      审查日期: 2025-01-10
      说明: 经本人书面同意公开联系电话

An exception names the kinds it allows and who reviewed it when; one that
allows a kind the document does not contain is a warning (exceptions must not
outlive what they were granted for). Telephone and e-mail fields of the
directory and of contact pages publish public service numbers by design, so
their values are not findings (anywhere in that file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from .errors import Diagnostic, Level, Report, display_path
from .personal_data import BANK_CARD, EMAIL, ID_NUMBER, KINDS, MOBILE, Finding, find, mask, public_email
from .phone import PhoneNumber, PhoneNumbers
from .readers.office import OFFICE_SUFFIXES, OfficeError, office_text
from .schema import Date, Field, FieldType, Invalid, ListOf, Located, Record, Schema, Text, type_name

#: How each kind may be written in an exception's 允许 list.
KIND_NAMES = {
    ID_NUMBER: (ID_NUMBER, "身份证", "身份证号码", "居民身份证号码", "id_number"),
    BANK_CARD: (BANK_CARD, "银行卡", "银行卡号码", "bank_card"),
    MOBILE: (MOBILE, "手机", "手机号码", "mobile"),
    EMAIL: (EMAIL, "电子邮箱", "电子邮件", "邮件地址", "email"),
}
_KIND_OF = {name.lower(): kind for kind, names in KIND_NAMES.items() for name in names}
LEVELS = {ID_NUMBER: Level.ERROR, BANK_CARD: Level.ERROR, MOBILE: Level.ERROR, EMAIL: Level.WARNING}
CODE = "privacy"
#: Attachments screened as text, and all the attachments screened (PDF, OFD and WPS are not).
TEXT_ATTACHMENTS = (".csv", ".txt", ".vtt", ".rtf")
SCREENED_ATTACHMENTS = (*TEXT_ATTACHMENTS, *OFFICE_SUFFIXES)
MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024

# --------------------------------------------------------------------------- the exception field


class _Kind(FieldType):
    label = "a kind of personal data: " + ", ".join(KINDS)

    def convert(self, value, scope, line):
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {type_name(value)}")
        kind = _KIND_OF.get(value.strip().lower())
        if kind is None:
            raise Invalid(f"{value.strip()!r} is not a kind of personal data the screening knows",
                          "write one of: " + ", ".join(KINDS))
        return kind


REVIEW_SCHEMA = Schema("a privacy review (隐私审查)", [
    Field("允许", "allow", ListOf(_Kind(), min_items=1), required=True, aliases=("allow",),
          doc="The kinds of personal data this document may publish: " + ", ".join(KINDS) + ".",
          example="[手机号]"),
    Field("审查人", "reviewer", Text(max_length=50), required=True, aliases=("reviewer",),
          synonyms=("审核人", "审批人"), doc="Who reviewed and approved publishing it.", example="张三"),
    Field("审查日期", "date", Date(), required=True, aliases=("date",), synonyms=("审核日期",),
          doc="Day of the review.", example="2025-01-10"),
    Field("说明", "reason", Text(multiline=True), required=True, aliases=("reason",), synonyms=("理由",),
          doc="Why publishing it is lawful (consent, legal basis).", example="经本人书面同意公开联系电话"),
])

#: The ``privacy:`` section of site.yaml.
PRIVACY_SCHEMA = Schema("privacy", [
    Field("official_numbers", "official_numbers", ListOf(PhoneNumber()), default=list,
          doc="Mobile numbers that are the agency's official contact numbers (值班手机, 咨询手机): content may "
              "publish them anywhere. Any other mobile number is an error unless the document's 隐私审查 allows it.",
          example="[138-0792-1234]"),
])

#: Add this field to a content schema to let its documents carry a reviewed exception.
REVIEW_FIELD = Field(
    "隐私审查", "privacy_review", Record(REVIEW_SCHEMA, "a privacy review"), aliases=("privacy_review",),
    synonyms=("隐私", "保密审查", "个人信息审查"),
    doc="A reviewed exception for personal data the document must publish: `允许` (" + ", ".join(KINDS)
        + "), `审查人`, `审查日期`, `说明`.",
    example="{允许: [手机号], 审查人: 张三, 审查日期: 2025-01-10, 说明: 经本人同意}",
)
REVIEW_KEYS = (REVIEW_FIELD.key, *REVIEW_FIELD.aliases)


# --------------------------------------------------------------------------- screening


def public_domains(config) -> tuple[str, ...]:
    """E-mail domains that are the agency's own: its site's host and its contact address's domain."""
    out = []
    host = urlsplit(getattr(config, "base_url", "") or "").hostname or ""
    if host:
        out.append(host[4:] if host.startswith("www.") else host)
    agency = getattr(config, "agency", None)
    email = getattr(agency, "email", "") or ""
    if "@" in email:
        out.append(email.rsplit("@", 1)[1].lower())
    return tuple(out)


def official_numbers(config) -> tuple[str, ...]:
    """Mobile numbers the agency publishes as its own: site.yaml's contact phones and
    ``privacy.official_numbers`` (a 值班手机), as the digits the screening finds."""
    agency = getattr(config, "agency", None)
    phones = [getattr(agency, "phone", None), getattr(agency, "complaints_phone", None),
              *getattr(config, "official_numbers", ())]
    return tuple(sorted({p.number for p in phones if getattr(p, "kind", "") == "mobile"}))


def _hint(kind: str) -> str:
    official = ("; an official contact mobile (值班手机) is declared once in site.yaml: "
                "`privacy: {official_numbers: [138-0792-1234]}`") if kind == MOBILE else ""
    return ("personal data must not be published without consent (条例 第十五条): remove or mask it "
            f"(e.g. {mask(kind, _EXAMPLES[kind])}); if publishing it is lawful, add a reviewed exception to the "
            f"front matter: `隐私审查: {{允许: [{kind}], 审查人: 姓名, 审查日期: YYYY-MM-DD, 说明: 理由}}`" + official)


_EXAMPLES = {ID_NUMBER: "360402199001011234", BANK_CARD: "6222021234567890", MOBILE: "13807921234",
             EMAIL: "zhangsan@example.com"}


def screen(text: str, path, first_line: int = 1, allowed: Iterable[str] = (), *,
           exempt: Iterable[tuple[str, str]] = (), public: Iterable[str] = (),
           used: set | None = None) -> list[Diagnostic]:
    """Diagnostics for the personal data in ``text`` (found at ``path`` from ``first_line``).

    ``allowed`` kinds are covered by a reviewed exception and not reported
    (those actually found are added to ``used``); ``exempt`` holds ``(kind,
    value)`` pairs published by design (a contact page's telephone field);
    ``public`` lists the agency's own e-mail domains.
    """
    findings = find(text, first_line)
    # display_path resolves the path: worth it only for a file with something to report (few are).
    return _diagnostics(findings, display_path(path), allowed, exempt, public, used) if findings else []


def _diagnostics(findings: Iterable[Finding], shown: str, allowed, exempt, public, used: set | None,
                 place: str = "") -> list[Diagnostic]:
    """The findings an exception does not cover, as diagnostics (``place``: where in a file without lines)."""
    allowed, exempt, public = set(allowed), set(exempt), tuple(public)
    out = []
    for f in findings:
        if (f.kind, f.value) in exempt or (f.kind == EMAIL and public_email(f.value, public)):
            continue
        if f.kind in allowed:
            if used is not None:
                used.add(f.kind)
            continue
        where = f" ({place})" if place else ""
        out.append(Diagnostic(LEVELS[f.kind], shown, 0 if place else f.line, f.description + where,
                              _hint(f.kind), CODE))
    return out


@dataclass(frozen=True)
class Review:
    """The kinds a document's 隐私审查 allows, and the line it is written on."""

    allowed: frozenset
    line: int


def review_of(meta) -> Review:
    """Read the exception leniently from raw front matter (the schema reports a malformed one)."""
    if not isinstance(meta, dict):
        return Review(frozenset(), 0)
    for key in REVIEW_KEYS:
        value = meta.get(key)
        if value is None:
            continue
        line = meta.line_of(key) if hasattr(meta, "line_of") else 0
        if not isinstance(value, dict):
            return Review(frozenset(), line)
        kinds = value.get("允许", value.get("allow"))
        kinds = kinds if isinstance(kinds, list) else [kinds]
        allowed = {_KIND_OF.get(str(k).strip().lower()) for k in kinds if isinstance(k, str)}
        complete = all(value.get(a) is not None or value.get(b) is not None
                       for a, b in (("审查人", "reviewer"), ("审查日期", "date"), ("说明", "reason")))
        return Review(frozenset(allowed - {None}) if complete else frozenset(), line)
    return Review(frozenset(), 0)


def _contact_values(value, schema: Schema | None, out: set) -> None:
    """(kind, value) of what telephone and e-mail fields publish by design, walking with the schema."""
    if schema is None or not isinstance(value, dict):
        return
    for f in schema.fields:
        for key in (f.key, *f.aliases):
            if key not in value:
                continue
            raw = value[key]
            t = f.type
            if isinstance(t, (PhoneNumber, PhoneNumbers)) or f.attr in ("email", "online"):
                for item in raw if isinstance(raw, list) else [raw]:
                    if isinstance(item, (str, int)):  # a mobile is public only when site.yaml declares it
                        out.update((x.kind, x.value) for x in find(str(item)) if x.kind == EMAIL)
            elif isinstance(t, Record):
                _contact_values(raw, t.schema, out)
            elif isinstance(t, ListOf) and isinstance(t.item, Record) and isinstance(raw, list):
                for item in raw:
                    _contact_values(item, t.item.schema, out)


def screen_document(path: Path, text: str, meta, report: Report, *, schema: Schema | None = None,
                    first_line: int = 1, public: Iterable[str] = (), official: Iterable[str] = (),
                    attachments: Iterable[Path] = ()) -> Review:
    """Screen a whole content file and its published text attachments; report to ``report``.

    ``text`` is the file's decoded text (front matter and body), ``meta`` its
    parsed front matter or YAML mapping (for the exception and, with
    ``schema``, the contact fields whose e-mail addresses are public by
    design); ``official`` holds the mobile numbers site.yaml declares
    (:func:`official_numbers`).
    """
    review = review_of(meta)
    exempt: set = {(MOBILE, number) for number in official}
    _contact_values(meta, schema, exempt)
    used: set = set()
    report.extend(screen(text, path, first_line, review.allowed, exempt=exempt, public=public, used=used))
    for attachment in attachments:
        report.extend(screen_file(attachment, review.allowed, exempt=exempt, public=public, used=used))
    for kind in KINDS:
        if kind in review.allowed and kind not in used:
            report.warning(path, review.line, f"隐私审查 allows {kind} but the document contains none",
                           f"remove {kind} from 允许: an exception covers only what the document publishes",
                           code=CODE)
    return review


def screen_file(path: Path, allowed: Iterable[str] = (), *, exempt: Iterable[tuple[str, str]] = (),
                public: Iterable[str] = (), used: set | None = None) -> list[Diagnostic]:
    """Screen a published attachment: text (CSV, TXT; UTF-8 or GB18030, as spreadsheets save them) or
    Office (DOCX, XLSX, PPTX, every piece of text with its place: paragraph, sheet and cell, slide)."""
    suffix = Path(path).suffix.lower()
    if suffix in OFFICE_SUFFIXES:
        return _screen_office(Path(path), allowed, exempt, public, used)
    if suffix not in TEXT_ATTACHMENTS:
        return []
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_ATTACHMENT_BYTES + 1)
    except OSError:
        return []  # the attachment check reports unreadable files
    out = []
    if len(data) > MAX_ATTACHMENT_BYTES:  # screen whole lines up to the limit, and say so
        data = data[:data.rfind(b"\n", 0, MAX_ATTACHMENT_BYTES) + 1 or MAX_ATTACHMENT_BYTES]
        out.append(Diagnostic(Level.WARNING, display_path(path), 0,
                              f"only the first {MAX_ATTACHMENT_BYTES // 2**20} MiB of this file were screened for "
                              "personal data", "check the rest by hand, or split the file", CODE))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return out + screen(text, path, 1, allowed, exempt=exempt, public=public, used=used)


def _screen_office(path: Path, allowed, exempt, public, used: set | None) -> list[Diagnostic]:
    shown = display_path(path)
    out: list[Diagnostic] = []
    try:
        for place, text in office_text(path):
            out += _diagnostics(find(text.replace("\r", "\n")), shown, allowed, exempt, public, used, place)
    except OfficeError as e:
        out.append(Diagnostic(Level.WARNING, shown, 0, f"could not read the text of this file to screen it for "
                              f"personal data: {e}", "open it in Office or WPS, check it by hand, and save it "
                              "again as .docx/.xlsx/.pptx (or publish a PDF made from it)", CODE))
    return out


def _located_files(value, out: list[str] | None = None) -> list[str]:
    """Content-relative paths of every file a validated document names (attachments, media, forms)."""
    out = [] if out is None else out
    if isinstance(value, Located):
        out.append(value.value)
    elif isinstance(value, dict):
        for v in value.values():
            _located_files(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _located_files(v, out)
    return out


def screen_content(path: Path, text: str, meta, config, report: Report, *, schema: Schema | None = None,
                   values=None, bodies: Iterable = ()) -> Review:
    """The one call a content reader makes: screen the file and the text files it publishes.

    ``values`` are the validated fields (``None`` when validation failed: the
    file itself is still screened), ``bodies`` the rendered Markdown parts
    whose links to files publish them. Diagnostics go to ``report``.
    """
    content_dir = Path(config.content_dir)
    published = set(_located_files(values))
    for body in bodies:
        published.update(link.target for link in getattr(body, "links", ()) if link.kind == "asset")
    files = [content_dir / rel for rel in sorted(published) if Path(rel).suffix.lower() in SCREENED_ATTACHMENTS]
    return screen_document(path, text, meta, report, schema=schema, public=public_domains(config),
                           official=official_numbers(config), attachments=files)
