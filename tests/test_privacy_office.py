"""Privacy screening of Office attachments: personal data in a Word, Excel or PowerPoint file that a
document publishes is reported with the file and the place in it (paragraph, sheet and cell, slide).

The files are built here, part by part, the way Office writes them (shared strings, runs that split
a number, numbers stored as numbers, phonetic guides), so each shape the reader must handle is shown.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from generator.errors import Level, Report
from generator.privacy import ID_NUMBER, mask
from generator.loading import load_site
from generator.readers.office import MAX_TOTAL_BYTES, OfficeError, office_text

ID = "110101199003077766"  # valid check digit
MOBILE = "13807921234"

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'


def ooxml(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


def paragraph(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r><w:t>{r}</w:t></w:r>" for r in runs) + "</w:p>"


def docx(body: list[str], **parts: str) -> bytes:
    document = f'<?xml version="1.0"?><w:document {W}><w:body>{"".join(body)}</w:body></w:document>'
    return ooxml({"word/document.xml": document, **{f"word/{k}.xml": v for k, v in parts.items()}})


def xlsx(sheets: dict[str, str], strings: list[str]) -> bytes:
    workbook = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(sheets, 1))
    rels = "".join(f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" Type="worksheet"/>'
                   for n in range(1, len(sheets) + 1))
    parts = {
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {S} {R}><sheets>{workbook}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                                      f'org/package/2006/relationships">{rels}</Relationships>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst {S}>' + "".join(strings) + "</sst>",
    }
    for n, rows in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = f'<?xml version="1.0"?><worksheet {S}><sheetData>{rows}</sheetData></worksheet>'
    return ooxml(parts)


def si(text: str) -> str:
    return f"<si><t>{text}</t></si>"


def pptx(*slides: list[str]) -> bytes:
    parts = {}
    for n, texts in enumerate(slides, 1):
        body = "".join(f"<a:p><a:r><a:t>{t}</a:t></a:r></a:p>" for t in texts)
        parts[f"ppt/slides/slide{n}.xml"] = (f'<?xml version="1.0"?><p:sld {P} {A}><p:cSld><p:spTree><p:sp>'
                                             f"<p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>")
    return ooxml(parts)


def screen(site, name: str, data: bytes, **fields) -> list[tuple[str, str, Level]]:
    """Attach the file to a policy, load the site: (file, message, level) of each privacy finding."""
    site.write(f"policies/files/{name}", data)
    site.policy("a", body=f"见[附件](files/{name})。", **fields)
    report = Report()
    load_site(site.content, report)
    return [(Path(d.path).name, d.message, d.level) for d in report.diagnostics if d.code == "privacy"]


def test_spreadsheet_cells_are_screened_with_sheet_and_cell(site):
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c>'
            '<c r="C3"><v>1.3807921234E10</v></c><c r="D3" t="inlineStr"><is><t>备注</t></is></c></row>')
    data = xlsx({"公示名单": rows}, [si("姓名"), si("身份证号"), si("张三"), si(ID)])
    found = screen(site, "名单.xlsx", data)
    masked = mask(ID_NUMBER, ID)
    assert ("名单.xlsx", f"possible a resident ID number (居民身份证号码) {masked} (sheet 公示名单, cell B3)",
            Level.ERROR) in found
    assert any("mobile" in m and "cell C3" in m and level == Level.ERROR for _, m, level in found), found
    assert len(found) == 2
    assert all(ID not in m and MOBILE not in m for _, m, _ in found)


def test_word_paragraphs_headers_and_split_runs(site):
    # Word splits text into runs wherever formatting or editing history changes: the number is joined again.
    body = [paragraph("关于公示的通知"), paragraph("申请人张三，身份证号", ID[:5], ID[5:11], ID[11:], "。")]
    footer = f'<?xml version="1.0"?><w:ftr {W}>{paragraph("联系人邮箱 zhangsan@qq.com")}</w:ftr>'
    found = screen(site, "通知.docx", docx(body, footer1=footer))
    assert {(m.split("(")[-1].rstrip(")"), level) for _, m, level in found} == {
        ("paragraph 2", Level.ERROR), ("footer1.xml, paragraph 1", Level.WARNING)}


def test_presentation_slides(site):
    found = screen(site, "培训.pptx", pptx(["培训安排"], ["报名联系 138-0792-1234"]))
    assert [(m.endswith("(slide 2)"), level) for _, m, level in found] == [(True, Level.ERROR)]


def test_a_reviewed_exception_covers_the_attachment(site):
    body = [paragraph("联系人手机 ", MOBILE)]
    review = "{允许: [手机号], 审查人: 张三, 审查日期: 2025-01-10, 说明: 经本人书面同意公开}"
    assert screen(site, "联系.docx", docx(body), 隐私审查=review) == []


def test_clean_office_files_have_no_findings(site):
    body = [paragraph("江文旅发〔2024〕12号"), paragraph("索引号 11360400MB1C23456X/2024-00012"),
            paragraph("咨询电话 0792-8221234，2024年3月1日起施行，预算 1,234,567.89 元")]
    assert screen(site, "clean.docx", docx(body)) == []


def test_an_unreadable_office_file_is_a_warning_not_silence(site):
    data = ooxml({"word/other.xml": "<x/>"})  # a ZIP, but no document part
    found = screen(site, "broken.docx", data)
    assert len(found) == 1 and found[0][2] == Level.WARNING and "could not read the text" in found[0][1]


def test_entity_expansion_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f'<sst {S}><si><t>&b;</t></si></sst>')
    data = ooxml({"xl/sharedStrings.xml": bomb, "xl/worksheets/sheet1.xml": f"<worksheet {S}/>"})
    with pytest.raises(OfficeError, match="DTD"):
        list(office_text(_tmp_file(data, "bomb.xlsx")))


def test_uncompressed_size_is_bounded(monkeypatch, tmp_path):
    import generator.readers.office as office
    monkeypatch.setattr(office, "MAX_TOTAL_BYTES", 100_000)
    body = [paragraph("正文" * 1000)] * 100  # compresses to almost nothing
    path = tmp_path / "big.docx"
    path.write_bytes(docx(body))
    with pytest.raises(OfficeError, match="uncompressed"):
        list(office_text(path))
    assert MAX_TOTAL_BYTES > 100_000


def test_reader_details(tmp_path):
    # phonetic guides are not text; numbers as Excel shows them; sheets without a workbook part
    strings = ["<si><r><t>王</t></r><rPh sb=\"0\" eb=\"1\"><t>wang</t></rPh></si>"]
    rows = '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>3.5</v></c><c r="C2" t="b"><v>1</v></c></row>'
    data = ooxml({"xl/sharedStrings.xml": f"<sst {S}>{strings[0]}</sst>",
                  "xl/worksheets/sheet1.xml": f"<worksheet {S}><sheetData>{rows}</sheetData></worksheet>"})
    assert list(office_text(_tmp_file(data, "x.xlsx", tmp_path))) == [
        ("sheet sheet1, cell A2", "王"), ("sheet sheet1, cell B2", "3.5")]
    with pytest.raises(OfficeError):
        list(office_text(_tmp_file(b"not a zip", "y.docx", tmp_path)))


def _tmp_file(data: bytes, name: str, folder: Path | None = None) -> Path:
    import tempfile
    folder = folder or Path(tempfile.mkdtemp())
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("damage", ["deflate", "encoding"])
def test_damaged_office_files_are_a_warning_not_a_crash(site, damage):
    if damage == "deflate":  # garbage inside the compressed document part: zlib fails, not zipfile
        body = [paragraph(f"第{n}段，内容各不相同 {n * 7919}") for n in range(200)]
        data = bytearray(docx(body))
        start = data.index(b"word/document.xml") + len("word/document.xml") + 20
        data[start:start + 40] = b"\xff" * 40
        data = bytes(data)
    else:  # an XML declaration naming an encoding Python does not know
        data = ooxml({"word/document.xml": '<?xml version="1.0" encoding="x-no-such"?><w:document/>'})
    found = screen(site, "坏.docx", data)
    assert len(found) == 1 and found[0][2] == Level.WARNING and "could not read the text" in found[0][1], found


ODF = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def odf(content: str, styles: str = "") -> bytes:
    parts = {"mimetype": "application/vnd.oasis.opendocument.text",
             "content.xml": f'<?xml version="1.0"?><office:document-content {ODF}><office:body>{content}'
                            "</office:body></office:document-content>"}
    if styles:
        parts["styles.xml"] = f'<?xml version="1.0"?><office:document-styles {ODF}>{styles}</office:document-styles>'
    return ooxml(parts)


@pytest.mark.parametrize("name", ["通知.odt", "名单.ods"])
def test_opendocument_files_are_screened(site, name):
    """WPS and LibreOffice save OpenDocument: spans, stored numbers and page footers are read too."""
    content = (f'<office:text><text:p>申请人<text:span>身份证号</text:span>{ID[:9]}<text:span>{ID[9:]}</text:span>'
               '</text:p><table:table><table:table-row><table:table-cell office:value-type="float" '
               f'office:value="{MOBILE}"><text:p>1.38E+10</text:p></table:table-cell></table:table-row>'
               "</table:table></office:text>")
    footer = "<office:master-styles><text:p>联系人邮箱 zhangsan@qq.com</text:p></office:master-styles>"
    found = screen(site, name, odf(content, footer))
    places = sorted((m.rsplit("(", 1)[-1].rstrip(")"), level) for _, m, level in found)
    assert places == [("content.xml, cell value", Level.ERROR), ("content.xml, paragraph 1", Level.ERROR),
                      ("styles.xml, paragraph 1", Level.WARNING)], found
