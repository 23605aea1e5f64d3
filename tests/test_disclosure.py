"""The rest of a 政府信息公开 column on built sites: standing pages, the annual report, the directory."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from conftest import SITE_YAML, line_of, texts
from test_annual_report import VALID as REPORT

EXTRA_VOCAB = """\
  institution_categories: [图书馆, 博物馆]
  districts: [东城区, 西城区]
"""

EXTRA_COLUMNS = """\
  - slug: gk
    name: 公开专栏
    children:
      - {slug: zn, name: 政府信息公开指南, page: pages/guide.yaml}
      - {slug: jgzn, name: 机构职能, page: pages/jgzn.md}
      - {slug: ldxx, name: 领导信息, page: pages/leaders.yaml}
      - {slug: nsjg, name: 内设机构, page: pages/departments.yaml}
      - {slug: lxfs, name: 联系方式, page: pages/contacts.yaml}
      - {slug: ysq, name: 依申请公开, page: pages/application.yaml}
      - {slug: nb, name: 政府信息公开年报, list: {type: annual_report}}
  - slug: ggqsydw
    name: 公共企事业单位信息公开
    list: {type: institution}
"""

GUIDE = """\
类型: 公开指南
标题: 测试市文化和旅游局政府信息公开指南
更新日期: 2025-01-10
工作机构:
  名称: 测试市文化和旅游局办公室
  办公地址: 测试市人民路1号
  办公时间: 工作日 9:00—17:00
  联系电话: 010-62345678
  传真: 010-62345679
  互联网联系方式: gk@example.gov.cn
正文: |
  # 一、主动公开
  本机关主动公开的信息在本网站发布。
"""

LEADERS = """\
类型: 领导信息
更新日期: 2025-01-10
领导:
  - 姓名: 张明
    职务: 局长
    分工: 主持全面工作。
    照片: media/zhang.png
    照片说明: 张明同志照片
  - 姓名: 李华
    职务: 副局长
    分工: 分管公共服务处。
"""

DEPARTMENTS = """\
类型: 内设机构
更新日期: 2025-01-10
机构:
  - 名称: 办公室
    职责: 负责机关日常运转。
    电话: 010-62345670
"""

CONTACTS = """\
类型: 联系方式
更新日期: 2025-01-10
联系方式:
  - 名称: 政策咨询
    电话: [010-62345671, 12345]
    办公时间: 工作日 9:00—17:00
"""

APPLICATION = """\
类型: 依申请公开
更新日期: 2025-01-10
申请渠道:
  - 方式: 当面申请
    说明: 到本局办公室填写申请表。
    地址: 测试市人民路1号
申请表: files/form.docx
无障碍服务: 申请人有视听障碍的，工作人员可代为填写申请。
"""

INSTITUTION = """\
名称: {name}
类别: {category}
资质或等级: 国家一级
业务范围: 借阅、展览
服务区域: 全市
地址: 测试市人民路{n}号
所在区县: {district}
办公时间: 周二至周日 9:00—17:00
联系电话: 010-6234{n:04d}
更新日期: 2025-01-10
"""


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.'
                   'org/wordprocessingml/2006/main"><w:body/></w:document>')
    return buffer.getvalue()


@pytest.fixture
def dsite(site):
    import media_factory

    yaml = SITE_YAML.replace("  tags:\n", EXTRA_VOCAB + "  tags:\n").replace(
        "  phone: 010-62345678\n", "  phone: 010-62345678\n  complaints_phone: 010-62345600\n") + EXTRA_COLUMNS
    site.write("site.yaml", yaml)
    site.policy("a", 文种="规范性文件")
    site.write("pages/guide.yaml", GUIDE)
    site.write("pages/jgzn.md", "---\n标题: 机构职能\n更新日期: 2025-01-10\n---\n\n## 主要职责\n\n1. 拟订文化政策。\n")
    site.write("pages/leaders.yaml", LEADERS)
    media_factory.png(site.content / "pages/media/zhang.png", size=(30, 40))
    site.write("pages/departments.yaml", DEPARTMENTS)
    site.write("pages/contacts.yaml", CONTACTS)
    site.write("pages/application.yaml", APPLICATION)
    site.write("pages/files/form.docx", docx())
    site.write("annual-reports/2023.yaml", REPORT)
    for n, (slug, name, category, district) in enumerate([
            ("lib-a", "东城图书馆", "图书馆", "东城区"), ("lib-b", "西城图书馆", "图书馆", "西城区"),
            ("mus-a", "东城博物馆", "博物馆", "东城区")], 1):
        site.write(f"institutions/{slug}.yaml", INSTITUTION.format(name=name, category=category, district=district, n=n))
    return site


def test_every_page_type_renders(dsite):
    dsite.build_ok()
    guide = dsite.page("gk/zn/")
    office = {div.dt.get_text(): div.dd.get_text(" ", strip=True) for div in guide.select(".office dl > div")}
    assert office["传真"] == "010-62345679" and office["互联网联系方式"] == "gk@example.gov.cn"
    assert guide.select_one('.office a[href^="tel:"]')["href"] == "tel:+86-10-62345678"
    assert dsite.page("gk/jgzn/").select_one(".doc-body h2").get_text() == "主要职责"
    leaders = dsite.page("gk/ldxx/")
    assert leaders.select_one(".leader img")["alt"] == "张明同志照片"
    assert texts(leaders.select(".leader h2")) == ["张明", "李华"]
    assert dsite.page("gk/nsjg/").select_one('a[href="tel:+86-10-62345670"]') is not None
    contacts = dsite.page("gk/lxfs/")
    assert [a["href"] for a in contacts.select("td a.tel")] == ["tel:+86-10-62345671", "tel:12345"]
    application = dsite.page("gk/ysq/")
    limits = application.select_one(".time-limits").get_text()
    assert "7个工作日" in limits and "20个工作日" in limits and "15个工作日" in limits
    assert "申请人的姓名或者名称、身份证明、联系方式" in application.get_text()
    form = application.select_one('a[download]')
    assert (dsite.output / "gk/ysq" / form["href"]).resolve() == (dsite.output / "pages/files/form.docx").resolve()
    assert "Word" in form.find_next("span").get_text()


@pytest.mark.parametrize("page,old,new,message", [
    ("guide.yaml", "  传真: 010-62345679\n", "", "missing required field '传真' in the disclosure office"),
    ("guide.yaml", "  互联网联系方式: gk@example.gov.cn\n", "", "missing required field '互联网联系方式'"),
    ("leaders.yaml", "    照片说明: 张明同志照片\n", "", "照片 needs 照片说明"),
    ("contacts.yaml", "[010-62345671, 12345]", "[62345671]", "has no area code"),
    ("application.yaml", "无障碍服务: 申请人有视听障碍的，工作人员可代为填写申请。\n", "", "missing required field '无障碍服务'"),
])
def test_page_errors_are_located(dsite, page, old, new, message):
    dsite.build_ok()
    before = dsite.tree_digest()
    text = (dsite.content / "pages" / page).read_text(encoding="utf-8")
    assert old in text
    dsite.write(f"pages/{page}", text.replace(old, new))
    result = dsite.build()
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert f"pages/{page}:" in result.stderr
    assert dsite.tree_digest() == before


def test_annual_report_page_tables_and_csv(dsite):
    dsite.build_ok()
    assert texts(dsite.page("gk/nb/").select(".doc-title")) == ["测试市文化和旅游局2023年政府信息公开工作年度报告"]
    page = dsite.page("nb/2023/")
    assert [h.get_text(strip=True) for h in page.select("main h2")][:6] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    tables = page.select("table")
    assert len(tables) == 6 and all(t.caption for t in tables)
    assert all(td.get("headers") for t in tables for td in t.select("tbody td.num"))
    rows = list(csv.reader(io.StringIO((dsite.output / "nb/2023/2023.csv").read_text(encoding="utf-8-sig"))))
    assert any(row[:1] == ["一、本年新收政府信息公开申请数量"] and row[-1] == "28" for row in rows), rows[:12]
    link = page.select_one('a[href$=".csv"]')
    assert link["href"] == "2023.csv"


def test_changed_cell_fails_the_build_naming_the_cell(dsite):
    dsite.build_ok()
    before = dsite.tree_digest()
    broken = REPORT.replace("本年新收: [21, 4, 0, 1, 2, 0, 28]", "本年新收: [21, 4, 0, 1, 2, 0, 29]")
    dsite.write("annual-reports/2023.yaml", broken)
    result = dsite.build()
    assert result.returncode == 1
    located = [line for line in result.stderr.splitlines()
               if f"annual-reports/2023.yaml:{line_of(broken, '本年新收')}:" in line]
    assert any("本年新收" in line and "总计" in line and "29" in line and "28" in line for line in located), \
        result.stderr
    assert dsite.tree_digest() == before


def test_directory_groups_links_and_data_files(dsite):
    dsite.build_ok()
    index = dsite.page("ggqsydw/")
    assert texts(index.select("section.directory-group > h2")) == ["图书馆", "博物馆"]
    assert index.select_one(".complaints a")["href"] == "tel:+86-10-62345600"
    names = texts(index.select("table.directory tbody th"))
    assert sorted(names) == ["东城博物馆", "东城图书馆", "西城图书馆"]
    assert all(a["href"].startswith("tel:") for a in index.select("table.directory td a[href^='tel:']"))
    rows = list(csv.DictReader(io.StringIO((dsite.output / "ggqsydw/minglu.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3
    for row in rows:
        for field in ("名称", "资质或等级", "业务范围", "服务区域", "地址", "办公时间", "联系电话"):
            assert row[field], (field, row)
    data = json.loads((dsite.output / "ggqsydw/minglu.json").read_text(encoding="utf-8"))
    assert data["count"] == 3 and len(data["institutions"]) == 3
    page = dsite.page("ggqsydw/lib-a/")
    assert page.h1.get_text() == "东城图书馆"
    assert page.select_one('a[href^="tel:"]')["href"] == "tel:+86-10-62340001"


def test_invalid_institution_phone_is_located(dsite):
    dsite.build_ok()
    text = INSTITUTION.format(name="北城图书馆", category="图书馆", district="东城区", n=4).replace(
        "010-62340004", "010-623")
    dsite.write("institutions/lib-c.yaml", text)
    result = dsite.build()
    assert result.returncode == 1
    assert f"institutions/lib-c.yaml:{line_of(text, '联系电话')}: error" in result.stderr


def test_disclosure_column_needs_its_four_national_parts(site):
    yaml = SITE_YAML.replace("      - slug: lzyj\n        name: 履职依据\n",
                             "      - slug: fdzdgknr\n        name: 法定主动公开内容\n        children:\n"
                             "      - slug: lzyj\n        name: 履职依据\n")
    # Re-indent the moved subtree under 法定主动公开内容.
    head, _, tail = yaml.partition("        children:\n      - slug: lzyj")
    tail = "      - slug: lzyj" + tail.split("  - slug: zcwj")[0]
    tail = "".join("    " + line + "\n" for line in tail.splitlines())
    yaml = head + "        children:\n" + tail + "  - slug: zcwj" + SITE_YAML.split("  - slug: zcwj")[1]
    site.write("site.yaml", yaml)
    site.policy("a")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert (f"site.yaml:{line_of(yaml, 'name: 政府信息公开') - 1}: warning: column 政府信息公开 lacks the national "
            "part(s) 政府信息公开指南、政府信息公开制度、政府信息公开年报") in result.stderr


@pytest.mark.parametrize("file,breakage,page,field", [
    ("pages/files/form.docx", "html_pretending", "application.yaml", "申请表"),
    ("pages/media/zhang.png", "broken_png", "leaders.yaml", "照片"),
])
def test_files_of_disclosure_pages_must_open(dsite, file, breakage, page, field):
    import media_factory

    getattr(media_factory, breakage)(dsite.content / file)
    result = dsite.build()
    assert result.returncode == 1
    text = (dsite.content / "pages" / page).read_text(encoding="utf-8")
    assert f"pages/{page}:{line_of(text, field + ':')}: error:" in result.stderr, result.stderr


def test_markdown_problems_in_page_fields_are_at_their_own_line(dsite):
    text = CONTACTS.replace("    办公时间:", "    说明: 见[缺失](files/nope.pdf)。\n    办公时间:")
    dsite.write("pages/contacts.yaml", text)
    result = dsite.build()
    assert result.returncode == 1
    assert f"pages/contacts.yaml:{line_of(text, 'nope.pdf')}: error: link target" in result.stderr, result.stderr
