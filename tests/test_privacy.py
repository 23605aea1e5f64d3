"""Privacy screening: personal data in content is found with its file and line; lawful publication needs a
reviewed exception; dates, 文号, 索引号, codes, amounts and landlines are not findings."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT, line_of
from test_disclosure import dsite  # noqa: F401 (fixture)
from test_interpretations import isite  # noqa: F401 (fixture)
from generator import BuildOptions, check
from generator.errors import ContentError, Level, Report
from generator.loading import load_site
from generator import personal_data, privacy
from generator.privacy import BANK_CARD, EMAIL, ID_NUMBER, MOBILE

HOSTILE = Path(__file__).parent / "hostile"


def cases(name: str) -> list[str]:
    return [line for line in (HOSTILE / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def kinds(text: str) -> list[str]:
    return [f.kind for f in personal_data.find(text)]


# --------------------------------------------------------------------------- detectors


def make_id(prefix17: str) -> str:
    total = sum(int(d) * w for d, w in zip(prefix17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)))
    return prefix17 + "10X98765432"[total % 11]


def make_card(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return next(body + d for d in "0123456789" if personal_data.luhn(body + d))


@pytest.mark.parametrize("line", cases("privacy_positives.txt"))
def test_personal_data_is_found_in_the_shapes_editors_paste(line):
    kind, text = line.split("\t")
    assert kinds(text) == [kind], text


@pytest.mark.parametrize("text", cases("privacy_negatives.txt"))
def test_hard_negatives_are_not_findings(text):
    found = [f for f in personal_data.find(text) if not (f.kind == EMAIL and f.value.endswith(".gov.cn"))]
    assert found == [], text


def test_id_numbers_need_a_valid_check_digit_region_and_birth_date():
    good = make_id("11010119900307776")
    assert personal_data.is_id18(good) and personal_data.is_id18(good.lower())
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert not personal_data.is_id18(wrong_check)
    assert not personal_data.is_id18(make_id("99010119900307776"))  # no province 99
    assert not personal_data.is_id18(make_id("11010119900230776"))  # 30 February
    assert not personal_data.is_id18(make_id("11010128900307776"))  # born in 2890
    assert personal_data.is_id15("110101800307123") and not personal_data.is_id15("110101801307123")  # month 13
    found = personal_data.find(wrong_check)  # one digit mistyped: still a person's ID number, never a bank card
    assert [(f.kind, f.mistyped) for f in found] == [(ID_NUMBER, True)]
    assert "mistyped resident ID" in found[0].description


def test_generated_personal_data_is_always_found():
    """Recall on random valid numbers written the usual ways."""
    rng = random.Random(7)
    provinces = [11, 31, 36, 44, 65]
    missed = []
    for _ in range(400):
        birth = f"{rng.randint(1930, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        number = make_id(f"{rng.choice(provinces)}{rng.randint(1000, 9999)}{birth}{rng.randint(0, 999):03d}")
        mobile = rng.choice(["138", "139", "150", "158", "177", "186", "189", "199", "166"]) + f"{rng.randint(0, 99999999):08d}"
        card = make_card(rng, rng.choice(["6222", "6217", "6228", "4563", "5187", "62"]), rng.choice([16, 19]))
        for kind, text in [
            (ID_NUMBER, f"身份证号{number}。"),
            (ID_NUMBER, f"证件号 {number[:6]} {number[6:14]} {number[14:]}"),
            (MOBILE, f"手机{mobile}"),
            (MOBILE, f"手机 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"),
            (MOBILE, f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}"),
            (BANK_CARD, f"账号：{card}"),
            (BANK_CARD, "卡号 " + " ".join(card[i:i + 4] for i in range(0, len(card), 4))),
        ]:
            if kinds(text) != [kind]:
                missed.append(text)
    assert missed == [], missed[:20]


def test_false_positive_rate_on_generated_hard_negatives_is_zero():
    """Thousands of dates, 文号, 索引号, codes, amounts, landlines and ISBNs: no findings."""
    rng = random.Random(11)
    texts = []
    for _ in range(1500):
        y, m, d = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
        seq = rng.randint(1, 99999)
        area = rng.choice(["010", "021", "0792", "0791", "0755", "023"])
        isbn12 = f"978{rng.randint(0, 999999999):09d}"
        isbn = isbn12 + str((10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn12)) % 10) % 10)
        texts += [
            f"{y}-{m:02d}-{d:02d}", f"{y}{m:02d}{d:02d}", f"{y}年{m}月{d}日", f"{y}{m:02d}{d:02d}{rng.randint(0, 235959):06d}",
            f"江文旅发〔{y}〕{rng.randint(1, 300)}号", f"11360400MB1C23456X/{y}-{seq:05d}", f"000014349/{y}-{seq:05d}",
            f"{area}-{rng.randint(2000000, 8999999) if len(area) == 4 else rng.randint(20000000, 89999999)}",
            f"{rng.randint(1, 999)},{rng.randint(0, 999):03d},{rng.randint(0, 999):03d}.{rng.randint(0, 99):02d}元",
            f"ISBN {isbn}", f"ISBN {isbn[:3]}-{isbn[3]}-{isbn[4:8]}-{isbn[8:12]}-{isbn[12]}",
            f"赣公网安备{rng.randint(10**13, 10**14 - 1)}号", f"网站标识码{rng.randint(10**9, 10**10 - 1)}",
            f"邮编{rng.randint(100000, 999999)}", f"（{y}—{y + 4}年）", f"第{rng.randint(1, 500)}条",
            f"规范性文件登记号：JZCR-{y}-{seq:05d}", f"登记号：{rng.randint(10**17, 10**19 - 1)}",
            f"统一社会信用代码：{uscc(rng)}",
        ]
    found = [(t, f.kind) for t in texts for f in personal_data.find(t)]
    assert found == [], f"{len(found)} false positives in {len(texts)} texts: {found[:10]}"


def uscc(rng: random.Random) -> str:
    chars = personal_data._USCC_CHARS
    head = rng.choice("159") + rng.choice("123") + "360400" + "".join(rng.choice(chars) for _ in range(9))
    weights = personal_data._USCC_WEIGHTS
    total = sum(chars.index(c) * w for c, w in zip(head, weights))
    return head + chars[(31 - total % 31) % 31]


def test_findings_keep_their_lines_among_lines_that_are_skipped():
    """Only lines with 11 digits or an @ are looked at closely: the others still count for line numbers, and
    full-width digits and ＠ count as what they normalise to."""
    mobile, card = "１３８０７９２１２３４", make_card(random.Random(7), "622202", 16)
    text = "\n".join([
        "第一条 为了规范管理，制定本办法。", "", "2024年1月5日印发，共3页。", f"联系电话：{mobile}",
        "统计：1 2 3 4 5 6 7 8 9 10。", "邮箱：zhang.san＠mail.example.cn.com", f"卡号 {card[:4]} {card[4:8]} "
        f"{card[8:12]} {card[12:]}", "", "身份证号" + make_id("11010119900307776")])
    found = [(f.kind, f.line) for f in personal_data.find(text, first_line=10)]
    assert found == [(MOBILE, 13), (EMAIL, 15), (BANK_CARD, 16), (ID_NUMBER, 18)]


def _every_line(text: str, first_line: int = 1) -> list:
    """find() as it was before lines were skipped: every line with a digit or an @ normalised and searched."""
    found = []
    for number, raw in enumerate(text.split("\n"), first_line):
        if re.search("[0-9\uff10-\uff19@\uff20]", raw):
            line = personal_data._normalise(raw)
            for kind, value in personal_data._numbers(line):
                mistyped = kind == personal_data.MISTYPED_ID
                found.append(personal_data.Finding(ID_NUMBER if mistyped else kind, value, number, mistyped))
            if "@" in line:
                found.extend(personal_data.Finding(EMAIL, v, number) for v in personal_data._emails(line))
    return found


_PIECES = st.sampled_from(["1", "3", "8", "0", "9", "１", "３", "８", "-", " ", "\u2014", "\u3000", "\u200b", "\u202e",
                           "@", "＠", "a", "x.cn", "X", "号", "元", "第", "身份证", "\n", "13807921234", "6222021234567894",
                           "110101199003077766", "zhang@mail.cn", "2024-01-05", "，", "电话："])


@given(pieces=st.lists(_PIECES, max_size=40), first_line=st.integers(1, 4))
@settings(max_examples=400, deadline=None)
def test_skipping_lines_finds_exactly_what_searching_every_line_finds(pieces, first_line):
    text = "".join(pieces)
    assert personal_data.find(text, first_line) == _every_line(text, first_line)


def test_findings_are_masked_in_messages():
    report = Report()
    privacy.screen_document(Path("x.md"), "身份证号110101199003077766\n手机13807921234\n", None, report)
    text = "\n".join(d.format() for d in report.diagnostics)
    assert "110101199003077766" not in text and "13807921234" not in text
    assert "1101************66" in text and "138****1234" in text


def test_levels_ids_cards_and_mobiles_are_errors_e_mail_addresses_warnings():
    text = "a 110101199003077766\nb 4111111111111111\nc 13807921234\nd zhangsan@qq.com\n"
    found = {(d.line, d.level) for d in privacy.screen(text, "x.md")}
    assert found == {(1, Level.ERROR), (2, Level.ERROR), (3, Level.ERROR), (4, Level.WARNING)}


def test_government_and_example_addresses_are_not_personal():
    text = "wlj@jiangzhou.gov.cn admin@example.com x@agency.example zhangsan@qq.com"
    assert [d.message for d in privacy.screen(text, "x.md")] == ["possible an e-mail address (电子邮箱) z***@qq.com"]
    assert privacy.screen("info@wlj.example.cn", "x.md", public=["example.cn"]) == []


def test_screening_is_linear_on_hostile_lines():
    import time

    for line in ("1 " * 50_000, "1-" * 50_000 + "1", "@" * 100_000, "a@" * 50_000, "1" * 100_000,
                 "13807921234 " * 8_000, ("a" * 60 + "@") * 1600):
        started = time.perf_counter()
        personal_data.find(line)
        assert time.perf_counter() - started < 3, line[:20]


# --------------------------------------------------------------------------- in content


def write_site(site, files: dict[str, str]):
    for rel, text in files.items():
        site.write(rel, text)


def load(site) -> Report:
    report = Report()
    load_site(site.content, report)
    return report


def privacy_diagnostics(report: Report) -> list:
    return [d for d in report.diagnostics if d.code == "privacy"]


REVIEW = "隐私审查: {允许: [手机号], 审查人: 张三, 审查日期: 2025-01-10, 说明: 经本人书面同意公开}"


def test_every_content_type_is_screened_with_file_and_line(site):
    number = "110101199003077766"
    site.policy("a", body=f"正文。\n\n申请人身份证号{number}。", 摘要="联系人手机13807921234")
    site.write("interpretations/j.md", "---\n标题: 解读\n形式: 文字\n解读文件: [a]\n发布日期: 2023-04-03\n"
               "解读机构: 测试市文化和旅游局\n---\n\n联系邮箱 zhangsan@qq.com\n")
    report = load(site)
    found = {(Path(d.path).name, d.line, d.level) for d in privacy_diagnostics(report)}
    policy_text = (site.content / "policies/a.md").read_text(encoding="utf-8")
    assert ("a.md", line_of(policy_text, number), Level.ERROR) in found
    assert ("a.md", line_of(policy_text, "13807921234"), Level.ERROR) in found
    assert ("j.md", 9, Level.WARNING) in found


def test_pages_institutions_and_annual_reports_are_screened(tmp_path):
    """The demo site with personal data added to a page, an institution and the annual report."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    additions = {
        "pages/jgzn.md": "\n\n办公室联系人手机：13907921234\n",
        "institutions/jiangzhou-tushuguan.yaml": "\n# 馆长个人邮箱 lisi@163.com\n",
        "annual-reports/2023.yaml": "\n# 经办人身份证 110101199003077766\n",
    }
    for rel, extra in additions.items():
        with open(content / rel, "a", encoding="utf-8") as f:
            f.write(extra)
    report = Report()
    load_site(content, report)
    found = {(Path(d.path).as_posix().split("content/")[-1], d.line) for d in privacy_diagnostics(report)}
    for rel, extra in additions.items():
        text = (content / rel).read_text(encoding="utf-8")
        needle = re.search(r"[0-9a-z]+@[0-9a-z.]+|[0-9]{11,}", extra).group()
        assert (rel, line_of(text, needle)) in found, (rel, found)


def test_the_demo_content_has_no_findings():
    """False-positive measurement on the demo site: zero findings."""
    report = Report()
    load_site(ROOT / "content", report)
    assert privacy_diagnostics(report) == []


CONTACTS = """\
类型: 联系方式
更新日期: 2025-03-01
联系方式:
  - 名称: 值班室
    电话: [0792-8221234, 13807921234]
    邮箱: zhiban@qq.com
  - 名称: 投诉
    电话: 0792-8221235
    说明: 夜间请联系值班人员 13907921234，或 13807921234。
"""


def _declare(site_yaml: str, declared: bool) -> str:
    return site_yaml + ("privacy:\n  official_numbers: [138-0792-1234]\n" if declared else "")


@pytest.mark.parametrize("declared", [False, True])
def test_contact_fields_publish_e_mail_but_a_mobile_needs_declaring(site, declared):
    from conftest import SITE_YAML

    column = "columns:\n  - slug: lxfs\n    name: 联系方式\n    page: pages/contacts.yaml\n"
    site.write("site.yaml", _declare(SITE_YAML.replace("columns:\n", column), declared))
    site.write("pages/contacts.yaml", CONTACTS)
    site.policy("a")
    found = [(d.line, d.message) for d in privacy_diagnostics(load(site))]
    undeclared = [] if declared else [(5, "possible a mobile number (手机号码) 138****1234"),
                                      (9, "possible a mobile number (手机号码) 138****1234")]
    assert sorted(found) == sorted([(9, "possible a mobile number (手机号码) 139****1234"), *undeclared])


@pytest.mark.parametrize("declared", [False, True])
def test_a_mobile_in_an_institution_phone_field_needs_declaring(tmp_path, declared):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "institutions/jiangzhou-tushuguan.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  - 0792-8226602（少儿部）\n" in text
    text = text.replace("  - 0792-8226602（少儿部）\n", "  - 13807921234（馆长值班）\n")
    path.write_text(text, encoding="utf-8")
    (content / "site.yaml").write_text(_declare((content / "site.yaml").read_text(encoding="utf-8"), declared),
                                       encoding="utf-8")
    report = Report()
    load_site(content, report)
    expected = [] if declared else [(line_of(text, "13807921234"), Level.ERROR)]
    assert [(d.line, d.level) for d in privacy_diagnostics(report)] == expected


def test_a_reviewed_exception_allows_what_it_names(site):
    site.policy("a", body="联系人手机13807921234。", 隐私审查=REVIEW.split(": ", 1)[1])
    assert privacy_diagnostics(load(site)) == []


def test_an_exception_does_not_cover_other_kinds(site):
    site.policy("a", body="联系人手机13807921234，身份证110101199003077766。", 隐私审查=REVIEW.split(": ", 1)[1])
    found = privacy_diagnostics(load(site))
    assert [d.level for d in found] == [Level.ERROR] and "resident ID" in found[0].message


def test_an_exception_that_matches_nothing_is_a_warning(site):
    path = site.policy("a", body="正文。", 隐私审查=REVIEW.split(": ", 1)[1])
    found = privacy_diagnostics(load(site))
    assert [(d.level, d.line) for d in found] == [(Level.WARNING, line_of(path.read_text(encoding="utf-8"), "隐私审查"))]
    assert "contains none" in found[0].message


@pytest.mark.parametrize("exception, problem", [
    ("{允许: [手机号], 审查日期: 2025-01-10, 说明: 同意}", "审查人"),
    ("{允许: [手机号], 审查人: 张三, 说明: 同意}", "审查日期"),
    ("{允许: [手机号], 审查人: 张三, 审查日期: 2025-01-10}", "说明"),
    ("{允许: [住址], 审查人: 张三, 审查日期: 2025-01-10, 说明: 同意}", "住址"),
    ("{允许: [], 审查人: 张三, 审查日期: 2025-01-10, 说明: 同意}", "at least 1"),
    ("同意公开", "expected a privacy review"),
])
def test_an_incomplete_exception_is_a_located_error(site, exception, problem):
    path = site.policy("a", body="联系人手机13807921234。", 隐私审查=exception)
    report = load(site)
    errors = [d for d in report.errors if Path(d.path).name == "a.md"]
    assert errors and any(problem in d.message for d in errors), [d.message for d in errors]
    assert all(d.line >= line_of(path.read_text(encoding="utf-8"), "隐私审查") for d in errors)


def test_the_exception_accepts_english_names_and_aliases(site):
    site.policy("a", body="邮箱 zhangsan@qq.com", privacy_review="{allow: [email], reviewer: Zhang, date: 2025-01-10, "
                                                                 "reason: consent}")
    assert privacy_diagnostics(load(site)) == []


def test_text_attachments_are_screened_at_their_own_lines(site):
    site.write("policies/files/名单.csv", "姓名,身份证号\n张三,110101199003077766\n")
    site.write("policies/files/gbk.txt", "联系人 李四 13807921234\n".encode("gb18030"))
    site.policy("a", body="见[名单](files/名单.csv)和[说明](files/gbk.txt)。")
    found = {(Path(d.path).name, d.line, d.level) for d in privacy_diagnostics(load(site))}
    assert found == {("名单.csv", 2, Level.ERROR), ("gbk.txt", 1, Level.ERROR)}


def test_privacy_errors_fail_the_check_and_warnings_fail_it_under_strict(site):
    site.policy("a", body="联系人邮箱 zhangsan@qq.com。")
    result = check(BuildOptions(content_dir=site.content, use_cache=False, jobs=1))
    assert [d.code for d in result.report.warnings] == ["privacy"]
    with pytest.raises(ContentError):
        check(BuildOptions(content_dir=site.content, use_cache=False, jobs=1, strict=True))
    for leak in ("身份证号110101199003077766。", "联系人手机13807921234。"):
        site.policy("a", body=leak)
        with pytest.raises(ContentError) as e:
            check(BuildOptions(content_dir=site.content, use_cache=False, jobs=1))
        assert any(d.code == "privacy" for d in e.value.report.errors)


def test_a_plain_build_does_not_publish_a_mobile_number(site):
    site.policy("a", body="联系人：李四，手机 138-0792-1234。")
    result = site.build()
    assert result.returncode == 1 and "error: possible a mobile number (手机号码) 138****1234" in result.stderr
    assert not site.output.exists()


def test_an_official_number_declared_in_site_yaml_may_be_published_anywhere(site):
    from conftest import SITE_YAML

    site.write("site.yaml", SITE_YAML + "privacy:\n  official_numbers: [138-0792-1234]\n")
    site.policy("a", body="值班手机：13807921234。其他：13907921234。")
    found = [d.message for d in privacy_diagnostics(load(site))]
    assert found == ["possible a mobile number (手机号码) 139****1234"]


def test_a_mistyped_id_number_is_reported_as_an_id_not_a_card(site):
    """Every wrong check character of one ID number: each is a mistyped ID (error), none a 'bank card'."""
    good = make_id("36040219900307123")
    for check in "0123456789X":
        if check == good[-1]:
            continue
        site.policy("a", body=f"申请人身份证号：{good[:17]}{check}")
        found = privacy_diagnostics(load(site))
        assert [(d.level, d.message.split(" 3604")[0]) for d in found] == [
            (Level.ERROR, "probable mistyped resident ID number (居民身份证号码, wrong check character)")], check


def test_cli_check_prints_the_finding_with_file_and_line(site):
    path = site.policy("a", body="正文。\n\n身份证号110101199003077766。")
    result = site.run("check")
    assert result.returncode == 1
    line = line_of(path.read_text(encoding="utf-8"), "身份证号")
    assert f"a.md:{line}: error: possible a resident ID number" in result.stderr
    assert "110101199003077766" not in result.stderr + result.stdout


LEAK = "姓名,身份证号\n张三,110101199003077766\n"


@pytest.mark.parametrize("where", ["body", "出台背景", "简明问答", "文字版"])
def test_files_linked_from_every_markdown_part_of_an_interpretation_are_screened(isite, where):
    from test_interpretations import image, interpretation

    isite.write("interpretations/files/名单.csv", LEAK)
    link = "见[名单](files/名单.csv)。"
    text = {"body": interpretation(link), "出台背景": interpretation(出台背景=link),
            "简明问答": interpretation(简明问答=f"[{{问: 谁？, 答: '{link}'}}]"),
            "文字版": image(文字版=link)}[where]
    isite.write("interpretations/t.md", text)
    found = {(Path(d.path).name, d.line, d.level) for d in privacy_diagnostics(load(isite))}
    assert found == {("名单.csv", 2, Level.ERROR)}


@pytest.mark.parametrize("page", ["contacts", "application-form"])
def test_files_of_yaml_disclosure_pages_are_screened(dsite, page):
    from test_disclosure import CONTACTS

    if page == "contacts":  # a file linked from a Markdown field
        dsite.write("pages/files/名单.csv", LEAK)
        dsite.write("pages/contacts.yaml", CONTACTS.replace("    办公时间:", "    说明: 见[名单](files/名单.csv)。\n"
                                                                        "    办公时间:"))
        expected = ("名单.csv", 2, Level.ERROR)
    else:  # the 申请表 file field itself: a Word form with a filled-in example left in it
        from test_privacy_office import docx, paragraph

        dsite.write("pages/files/form.docx", docx([paragraph("填表示例：身份证号 110101199003077766")]))
        expected = ("form.docx", 0, Level.ERROR)
    assert expected in {(Path(d.path).name, d.line, d.level) for d in privacy_diagnostics(load(dsite))}


def test_a_text_attachment_too_long_to_screen_whole_says_so(site, monkeypatch):
    monkeypatch.setattr(privacy, "MAX_ATTACHMENT_BYTES", 100)
    site.write("policies/files/长名单.csv", "序号,备注\n" + "".join(f"{n},无\n" for n in range(40)) + LEAK)
    site.policy("a", body="见[名单](files/长名单.csv)。")
    found = [(Path(d.path).name, d.level, d.message) for d in privacy_diagnostics(load(site))]
    assert len(found) == 1 and found[0][1] == Level.WARNING and "only the first" in found[0][2], found


def test_site_yaml_is_screened_too(site):
    from conftest import SITE_YAML

    text = SITE_YAML.replace("            empty_reason: 暂无现行有效的规范性文件。",
                             "            empty_reason: 暂无现行有效的规范性文件，咨询请致电经办人 13907921234。")
    site.write("site.yaml", text)
    site.policy("a")
    found = [(Path(d.path).name, d.line, d.level) for d in privacy_diagnostics(load(site))]
    assert found == [("site.yaml", line_of(text, "13907921234"), Level.ERROR)]
