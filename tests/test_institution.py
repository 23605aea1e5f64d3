"""The public-institution directory and the telephone numbers it publishes.

Institution files are read against a Scope whose env holds the vocabularies,
so these tests do not depend on how site.yaml spells them; one test goes
through ``read_institution`` with a SiteConfig from ``load_config``.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SITE_YAML, line_of
from generator.config import load_config
from generator.documents import TYPES
from generator.errors import Report
from generator.phone import (HOTLINE, LANDLINE, MOBILE, SERVICE, Phone, PhoneNumber, PhoneNumbers, parse_phone,
                             split_phones)
from generator.readers import yaml_loader
from generator.schema import Invalid, Scope
from generator.documents.institution import INSTITUTION_SCHEMA, load_institution, read_institution
from generator.documents.institution.model import check_institutions
from generator.render.exports import CSV_FIELDS, directory_csv, directory_json, group_institutions

CATEGORIES = ["图书馆", "博物馆", "文化馆", "美术馆", "A级旅游景区"]
# Deliberately not in code-point order, so the tests see vocabulary order, not sorting.
DISTRICTS = ["浔阳区", "濂溪区", "柴桑区", "庐山市"]
SEVEN = ["名称", "资质或等级", "业务范围", "服务区域", "地址", "办公时间", "联系电话"]

INSTITUTION = """\
名称: 江州市图书馆
类别: 图书馆
资质或等级: 国家一级图书馆
业务范围: 文献借阅、参考咨询、少儿阅读推广
服务区域: 江州市全市
地址: 江州市浔阳区长虹大道120号
所在区县: 浔阳区
办公时间: 周二至周日 9:00—17:00（周一闭馆，法定节假日除外）
联系电话:
  - 0792-8226601（总服务台）
  - ０７９２－８２２６６０２
更新日期: 2025-03-03
"""


def env(tmp_path: Path, **extra) -> dict:
    return {"institution_categories": CATEGORIES, "districts": DISTRICTS, "content_dir": tmp_path,
            "area_code": "0792", **extra}


def write(tmp_path: Path, text: str, name: str = "jiangzhou-tushuguan.yaml") -> Path:
    path = tmp_path / "institutions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str, name: str = "jiangzhou-tushuguan.yaml", **extra):
    path = write(tmp_path, text, name)
    report = Report()
    inst = load_institution(path, Scope(path, report, env(tmp_path, **extra)))
    return inst, report, path


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def errors(report: Report) -> list[tuple[int, str, str]]:
    return [(d.line, d.message, d.hint) for d in report.errors]


# --------------------------------------------------------------------------- phone numbers


@pytest.mark.parametrize("text, kind, display, uri", [
    ("0792-8221234", LANDLINE, "0792-8221234", "tel:+86-792-8221234"),
    ("07928221234", LANDLINE, "0792-8221234", "tel:+86-792-8221234"),
    ("(0792) 8221234", LANDLINE, "0792-8221234", "tel:+86-792-8221234"),
    ("010-88881234", LANDLINE, "010-88881234", "tel:+86-10-88881234"),
    ("021 5566 1234", LANDLINE, "021-55661234", "tel:+86-21-55661234"),
    ("0755-26881234", LANDLINE, "0755-26881234", "tel:+86-755-26881234"),
    ("0792-8221234转8001", LANDLINE, "0792-8221234转8001", "tel:+86-792-8221234;ext=8001"),
    ("0792-8221234-8001", LANDLINE, "0792-8221234转8001", "tel:+86-792-8221234;ext=8001"),
    ("0792-8221234 分机 12", LANDLINE, "0792-8221234转12", "tel:+86-792-8221234;ext=12"),
    ("0792-8221234（售票）", LANDLINE, "0792-8221234（售票）", "tel:+86-792-8221234"),
    ("0792-8221234（售票，咨询）", LANDLINE, "0792-8221234（售票，咨询）", "tel:+86-792-8221234"),
    ("0792-8221234（转8001）", LANDLINE, "0792-8221234转8001", "tel:+86-792-8221234;ext=8001"),
    ("13807921234", MOBILE, "138-0792-1234", "tel:+86-138-0792-1234"),
    ("138 0792 1234", MOBILE, "138-0792-1234", "tel:+86-138-0792-1234"),
    ("+86 138 0792 1234", MOBILE, "138-0792-1234", "tel:+86-138-0792-1234"),
    ("400-123-4567", SERVICE, "400-123-4567", "tel:4001234567"),
    ("8001234567", SERVICE, "800-123-4567", "tel:8001234567"),
    ("12345", HOTLINE, "12345", "tel:12345"),
    ("12318", HOTLINE, "12318", "tel:12318"),
    ("12301（全国旅游服务热线）", HOTLINE, "12301（全国旅游服务热线）", "tel:12301"),
    ("95598", HOTLINE, "95598", "tel:95598"),
])
def test_valid_numbers_are_displayed_and_linked_canonically(text, kind, display, uri):
    phone = parse_phone(text)
    assert (phone.kind, phone.display, phone.uri) == (kind, display, uri)


@pytest.mark.parametrize("text", [
    "０７９２－８２２１２３４",     # full-width digits and hyphen
    "0792—8221234",              # em dash
    "0792–8221234",              # en dash
    "（0792）8221234",            # full-width brackets
    "0792 822 1234",
    "+86-792-8221234",
    "+86 (0)792 8221234",
    "0086 792 8221234",
    " 0792-8221234 ",
])
def test_spellings_of_one_number_normalise_to_the_same_value(text):
    assert parse_phone(text) == parse_phone("0792-8221234")


@pytest.mark.parametrize("text, message, hint", [
    ("8221234", "has no area code", "0792-8221234"),
    ("82212345", "has no area code", "0792-82212345"),
    ("0792-821234", "has 6 digits", "7 or 8 digits"),
    ("0792-822123456", "has 9 digits", "7 or 8 digits"),
    ("010-8888123", "has 7 digits", "8 digits"),
    ("0792-0221234", "starts with 0", "starts with 2–9"),
    ("0123-4567890", "does not start with an area code", "010, 020–029"),
    ("07-928221234", "is not an area code", "did you mean 0792?"),
    ("1380792123", "has 10 digits", "11 digits"),
    ("11807921234", "is not a mobile number", "13–19"),
    ("400-123-456", "has 9 digits", "10 digits"),
    ("1234", "has 4 digits", ""),
    ("123456789012345", "has 15 digits", ""),
    ("0792-8221234、0792-8221235", "more than one number", "list item"),
    ("售票 0792-8221234", "is not a telephone number", "label in brackets after the number"),
    ("0792.8221234", "is not a telephone number", ""),
    ("+852 2123 4567", "not a number in mainland China", ""),
    ("+86 12345", "cannot be dialled from abroad", "12345"),
    ("13807921234转8", "only landlines have extensions", ""),
    ("0792-8221234转", "no digits after 转", ""),
    ("0792-8221234转1234567", "more than 6", ""),
    ("", "empty", ""),
])
def test_invalid_numbers_are_refused_with_a_hint(text, message, hint):
    with pytest.raises(Invalid) as e:
        parse_phone(text, area_code="0792")
    assert message in e.value.message
    assert hint in e.value.hint
    assert e.value.hint  # every refusal says what to do


def test_missing_area_code_hint_without_a_known_area_code():
    with pytest.raises(Invalid) as e:
        parse_phone("8221234")
    assert "区号" in e.value.hint and "0xxx-8221234" in e.value.hint


@given(st.text(max_size=40))
def test_any_text_is_a_phone_or_an_invalid_never_a_crash(text):
    try:
        phone = parse_phone(text)
    except Invalid as e:
        assert e.message
    else:
        assert isinstance(phone, Phone) and phone.uri.startswith("tel:")


@given(area=st.sampled_from(["0792", "0755", "0571", "010", "021"]),
       local=st.integers(2_000_000, 99_999_999),
       ext=st.one_of(st.just(""), st.from_regex(r"[0-9]{1,6}", fullmatch=True)))
def test_display_form_parses_back_to_the_same_number(area, local, ext):
    text = f"{area}{local}" + (f"转{ext}" if ext else "")
    try:
        phone = parse_phone(text)
    except Invalid:
        return  # 7-digit local number after a 3-digit area code: correctly refused
    assert parse_phone(phone.display) == phone
    assert phone.uri.startswith("tel:+86-") and phone.e164 == "+86" + phone.number[1:]


def field_value(yaml_text: str, field_type, tmp_path: Path, key: str = "电话"):
    report = Report()
    mapping = yaml_loader.load(yaml_text, tmp_path / "x.yaml", report)
    scope = Scope(tmp_path / "x.yaml", report, {"area_code": "0792"})
    return field_type.convert(mapping[key], scope, mapping.line_of(key)), report


def test_numbers_yaml_read_as_integers_are_recovered(tmp_path):
    # YAML reads an unquoted mobile as an int, and 021… (digits 0–7 only) as an octal int.
    assert field_value("电话: 13807921234", PhoneNumber(), tmp_path)[0].display == "138-0792-1234"
    assert field_value("电话: 02155661234", PhoneNumber(), tmp_path)[0].display == "021-55661234"
    assert field_value("电话: +8613807921234", PhoneNumber(), tmp_path)[0].display == "138-0792-1234"
    assert field_value("电话: 12345", PhoneNumber(), tmp_path)[0].display == "12345"
    with pytest.raises(Invalid) as e:
        field_value("电话: 8221234", PhoneNumber(), tmp_path)
    assert "0792-8221234" in e.value.hint


def test_several_numbers_in_one_line_are_split_outside_labels(tmp_path):
    assert split_phones("0792-8226601（售票，咨询）、0792-8226602") == ["0792-8226601（售票，咨询）", "0792-8226602"]
    phones, report = field_value("电话: 0792-8226601、0792-8226602；12345", PhoneNumbers(), tmp_path)
    assert [p.display for p in phones] == ["0792-8226601", "0792-8226602", "12345"]
    assert not report.diagnostics


# --------------------------------------------------------------------------- reading


def test_valid_institution_is_read_with_every_field(tmp_path):
    text = INSTITUTION + textwrap.dedent("""\
        网址: https://lib.jiangzhou.gov.cn/
        投诉电话: 0792-8226610
        主管部门: 江州市文化和旅游局
        简介: 市级综合性公共图书馆，**全年免费开放**。
        """)
    inst, report, path = load(tmp_path, text)
    assert not report.diagnostics, report.sorted()
    assert inst.id == "jiangzhou-tushuguan" and inst.source == path and inst.type_name == "institution"
    assert (inst.name, inst.category, inst.district) == ("江州市图书馆", "图书馆", "浔阳区")
    assert [p.display for p in inst.phones] == ["0792-8226601（总服务台）", "0792-8226602"]
    assert inst.complaints_phone.uri == "tel:+86-792-8226610"
    assert str(inst.updated) == "2025-03-03" and inst.website == "https://lib.jiangzhou.gov.cn/"
    assert "<strong>全年免费开放</strong>" in inst.description_html
    assert inst.description == "市级综合性公共图书馆，全年免费开放。"
    assert (inst.category_rank, inst.district_rank) == (0, 0)
    assert inst.lines["phones"] == line_of(text, "联系电话")
    assert inst.url == ""


def test_english_aliases_are_accepted(tmp_path):
    text = textwrap.dedent("""\
        name: 江州市博物馆
        category: 博物馆
        qualification: 国家二级博物馆
        scope: 文物收藏、陈列展览、社会教育
        service_area: 面向社会公众
        address: 江州市浔阳区湖滨路9号
        district: 濂溪区
        hours: 周二至周日 9:00—17:00
        phone: 0792-8227701
        updated: 2025-03-10
        """)
    inst, report, _ = load(tmp_path, text, "jiangzhou-bowuguan.yaml")
    assert not report.diagnostics and inst.district_rank == 1 and inst.category_rank == 1


def test_missing_fields_are_all_reported_at_the_mapping(tmp_path):
    text = replace(replace(INSTITUTION, "资质或等级: 国家一级图书馆\n", ""), "办公时间: 周二至周日 9:00—17:00（周一闭馆，法定节假日除外）\n", "")
    inst, report, _ = load(tmp_path, text)
    assert inst is None
    found = errors(report)
    assert (1, "missing required field '资质或等级' in institution",
            "add a line like `资质或等级: 国家一级图书馆`") in found
    assert any(m == "missing required field '办公时间' in institution" and line == 1 for line, m, _ in found)
    assert len(found) == 2


def test_empty_required_field_is_located(tmp_path):
    text = replace(INSTITUTION, "服务区域: 江州市全市", "服务区域:")
    inst, report, _ = load(tmp_path, text)
    assert inst is None
    assert errors(report)[0][:2] == (line_of(text, "服务区域"), "field '服务区域' is empty")


def test_invalid_phone_is_reported_at_its_own_line(tmp_path):
    text = replace(INSTITUTION, "  - ０７９２－８２２６６０２", "  - 8226602")
    inst, report, path = load(tmp_path, text)
    assert inst is None
    [(line, message, hint)] = errors(report)
    assert line == line_of(text, "- 8226602") and line != line_of(text, "联系电话")
    assert "has no area code" in message and "0792-8226602" in hint
    assert report.errors[0].path.endswith("jiangzhou-tushuguan.yaml")


def test_every_bad_phone_is_reported_at_once(tmp_path):
    text = replace(INSTITUTION, "  - 0792-8226601（总服务台）", "  - 0792-82266")
    text = replace(text, "  - ０７９２－８２２６６０２", "  - 1380792")
    text += "投诉电话: 0792-822661\n"
    inst, report, _ = load(tmp_path, text)
    assert inst is None
    lines = sorted(line for line, _, _ in errors(report))
    assert lines == [line_of(text, "0792-82266"), line_of(text, "1380792"), line_of(text, "投诉电话")]
    assert any(m.startswith("投诉电话: ") for _, m, _ in errors(report))


def test_no_phone_at_all_is_an_error(tmp_path):
    text = replace(INSTITUTION, "联系电话:\n  - 0792-8226601（总服务台）\n  - ０７９２－８２２６６０２\n", "联系电话: []\n")
    inst, report, _ = load(tmp_path, text)
    assert inst is None and "at least 1" in errors(report)[0][1]


@pytest.mark.parametrize("key, wrong, suggestion", [
    ("类别: 图书馆", "类别: 图书", "did you mean '图书馆'?"),
    ("所在区县: 浔阳区", "所在区县: 浔阳", "did you mean '浔阳区'?"),
])
def test_unknown_vocabulary_term_suggests_the_nearest(tmp_path, key, wrong, suggestion):
    text = replace(INSTITUTION, key, wrong)
    inst, report, _ = load(tmp_path, text)
    assert inst is None
    [(line, message, hint)] = errors(report)
    assert line == line_of(text, wrong) and hint == suggestion


def test_missing_vocabulary_says_where_to_add_it(tmp_path):
    path = write(tmp_path, INSTITUTION)
    report = Report()
    assert load_institution(path, Scope(path, report, {"content_dir": tmp_path, "districts": DISTRICTS})) is None
    [(line, message, hint)] = errors(report)
    assert line == line_of(INSTITUTION, "类别") and "vocabularies.institution_categories" in message
    assert "under `vocabularies:` in site.yaml" in hint


def test_unknown_field_suggests_the_canonical_key(tmp_path):
    text = replace(INSTITUTION, "办公时间:", "开放时间:")
    inst, report, _ = load(tmp_path, text)
    assert inst is None
    assert (line_of(text, "开放时间"), "unknown field '开放时间' in institution", "did you mean '办公时间'?") \
        in errors(report)


def test_bad_dates_and_urls_are_located(tmp_path):
    text = replace(INSTITUTION, "更新日期: 2025-03-03", "更新日期: 2025年3月3日") + "网址: lib.jiangzhou.gov.cn\n"
    inst, report, _ = load(tmp_path, text)
    assert inst is None
    found = {line: hint for line, _, hint in errors(report)}
    assert found[line_of(text, "更新日期")] == "write it as 2025-03-03"
    assert line_of(text, "网址") in found


@pytest.mark.parametrize("name", ["江州图书馆.yaml", "Tushuguan.yaml", "tu shu guan.yaml"])
def test_file_name_must_be_an_ascii_slug(tmp_path, name):
    inst, report, _ = load(tmp_path, INSTITUTION, name)
    assert inst is None and report.errors[0].code == "bad-id" and "rename the file" in report.errors[0].hint


@pytest.mark.parametrize("text, message, hint", [
    ("", "file is empty", "名称:"),
    ("- 名称: 江州市图书馆\n", "must be a mapping", "left margin"),
    ("名称: [江州市图书馆\n", "YAML syntax error", ""),
    ("名称：江州市图书馆\n", "must be a mapping", "not a full-width colon"),
])
def test_malformed_files_are_reported_not_raised(tmp_path, text, message, hint):
    inst, report, _ = load(tmp_path, text)
    assert inst is None and message in report.errors[0].message and hint in report.errors[0].hint


def test_description_may_not_link_into_the_content_folder(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "x.pdf").write_bytes(b"%PDF")
    text = INSTITUTION + "简介: 见[开放安排](../files/x.pdf)。\n"
    inst, report, _ = load(tmp_path, text)
    assert inst is None
    assert errors(report)[0][0] == line_of(text, "简介") and "web addresses" in errors(report)[0][2]


def test_long_description_is_a_warning(tmp_path):
    inst, report, _ = load(tmp_path, INSTITUTION + "简介: " + "介绍。" * 120 + "\n")
    assert inst is not None and not report.errors and report.warnings[0].code == "description-length"


def test_read_institution_uses_the_site_config(tmp_path, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    report = Report()
    config = load_config(content, report, TYPES)
    assert config is not None, report.sorted()
    vocabularies = config.vocabularies()
    monkeypatch.setattr(config, "vocabularies",
                        lambda: {**vocabularies, "institution_categories": CATEGORIES, "districts": DISTRICTS})
    path = content / "institutions" / "jiangzhou-tushuguan.yaml"
    path.parent.mkdir()
    path.write_text(INSTITUTION, encoding="utf-8")
    assert read_institution(path, config, report) is not None and not report.diagnostics
    # The site's own telephone (010-…) gives the area code of the hint.
    path.write_text(replace(INSTITUTION, "０７９２－８２２６６０２", "82266020"), encoding="utf-8")
    assert read_institution(path, config, report) is None
    assert "010-82266020" in report.errors[0].hint


def test_duplicate_institution_is_reported(tmp_path):
    a, _, _ = load(tmp_path, INSTITUTION, "a.yaml")
    b, _, _ = load(tmp_path, INSTITUTION, "b.yaml")
    report = Report()
    check_institutions([a, b], report)
    [error] = report.errors
    assert error.path.endswith("b.yaml") and error.line == line_of(INSTITUTION, "名称") and "a.yaml" in error.message


# --------------------------------------------------------------------------- the directory


def make(tmp_path: Path, slug: str, name: str, category: str, district: str, **fields):
    text = INSTITUTION
    for key, value in {"名称": name, "类别": category, "所在区县": district, **fields}.items():
        if f"\n{key}:" in "\n" + text:
            text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in text.split("\n"))
        else:
            text += f"{key}: {value}\n"
    inst, report, _ = load(tmp_path, text, f"{slug}.yaml")
    assert inst is not None, report.sorted()
    inst.url = f"gqsydw/{slug}/"
    return inst


@pytest.fixture
def directory(tmp_path):
    return [
        make(tmp_path, "jq", "长虹湖景区", "A级旅游景区", "濂溪区", 投诉电话="0792-8566610"),
        make(tmp_path, "ms-b", "柴桑区美术馆", "美术馆", "柴桑区"),
        make(tmp_path, "tsg-c", "柴桑区图书馆", "图书馆", "柴桑区"),
        make(tmp_path, "tsg-a", "江州市图书馆", "图书馆", "浔阳区", 网址="https://lib.jiangzhou.gov.cn/"),
        make(tmp_path, "tsg-b", "浔阳区少儿图书馆", "图书馆", "浔阳区"),
        make(tmp_path, "tsg-d", "濂溪区图书馆", "图书馆", "濂溪区", 业务范围="'- 借阅'"),
        make(tmp_path, "bwg", "江州市博物馆", "博物馆", "庐山市"),
    ]


def test_groups_follow_vocabulary_order_then_names(directory):
    groups = group_institutions(directory)
    assert [g.name for g in groups] == ["图书馆", "博物馆", "美术馆", "A级旅游景区"]
    libraries = groups[0]
    assert [d.name for d in libraries.districts] == ["浔阳区", "濂溪区", "柴桑区"]
    assert [i.name for i in libraries.districts[0].institutions] == sorted(["江州市图书馆", "浔阳区少儿图书馆"])
    assert libraries.count == 4 and [g.count for g in groups] == [4, 1, 1, 1]
    assert (libraries.anchor, libraries.districts[1].anchor) == ("lb-1", "lb-1-2")
    # Same result whatever order the files were read in.
    assert [i.id for g in group_institutions(directory[::-1]) for i in g.institutions] == \
        [i.id for g in groups for i in g.institutions]


def test_explicit_vocabulary_order_overrides_the_ranks(directory):
    groups = group_institutions(directory, categories=["美术馆", "图书馆"], districts=["柴桑区"])
    assert [g.name for g in groups][:2] == ["美术馆", "图书馆"]
    assert [d.name for d in groups[1].districts][0] == "柴桑区"


def test_csv_has_one_row_per_institution_with_every_field(directory):
    text = directory_csv(directory)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert len(rows) == len(directory)
    header = list(rows[0])
    for name in [*SEVEN, "类别", "所在区县", "更新日期", "网址"]:
        assert name in header
    assert header == [INSTITUTION_SCHEMA.field(attr).key for attr in CSV_FIELDS]
    for row in rows:
        assert all(row[name] for name in SEVEN), row
    library = next(r for r in rows if r["名称"] == "江州市图书馆")
    assert library["联系电话"] == "0792-8226601（总服务台）；0792-8226602"
    assert library["网址"] == "https://lib.jiangzhou.gov.cn/" and library["更新日期"] == "2025-03-03"
    assert [r["名称"] for r in rows][0] == group_institutions(directory)[0].institutions[0].name
    # A cell a spreadsheet would run as a formula is neutralised.
    assert next(r for r in rows if r["名称"] == "濂溪区图书馆")["业务范围"] == "'- 借阅"
    assert directory_csv(directory[::-1]) == text


def test_json_has_every_institution_and_field(directory):
    text = directory_json(directory, "江州市文化和旅游局", "https://wlj.jiangzhou.gov.cn/",
                          complaints_phone=parse_phone("0792-8225315"))
    data = json.loads(text)
    assert data["publisher"] == "江州市文化和旅游局" and data["count"] == len(data["institutions"]) == len(directory)
    assert data["updated"] == "2025-03-03"
    assert data["complaints_phone"] == {"number": "0792-8225315", "label": "", "tel": "tel:+86-792-8225315"}
    for record in data["institutions"]:
        for key in ("name", "qualification", "scope", "service_area", "address", "hours", "phones",
                    "category", "district", "updated", "url"):
            assert record[key], (key, record)
        assert set(record) == set(data["fields"])
    scenic = next(r for r in data["institutions"] if r["id"] == "jq")
    assert scenic["url"] == "https://wlj.jiangzhou.gov.cn/gqsydw/jq/"
    assert scenic["phones"][0] == {"number": "0792-8226601", "label": "总服务台", "tel": "tel:+86-792-8226601"}
    assert scenic["complaints_phone"]["tel"] == "tel:+86-792-8566610"
    assert data["fields"]["service_area"] == "服务区域"
    assert [r["id"] for r in data["institutions"]] == [i.id for g in group_institutions(directory)
                                                       for i in g.institutions]
    # Deterministic and site-relative without a base URL.
    assert directory_json(directory[::-1], "江州市文化和旅游局", "https://wlj.jiangzhou.gov.cn/",
                          complaints_phone=parse_phone("0792-8225315")) == text
    assert json.loads(directory_json(directory, "x"))["institutions"][0]["url"].startswith("gqsydw/")
