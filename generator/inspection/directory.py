"""Directory rules: entries confirmed within a year, telephone numbers of the site's own area.

The directory of public institutions (公共企事业单位信息公开, gov-requirements.md
H3, H4) carries an 更新日期 on every entry; an entry not confirmed for longer
than ``inspection.directory_max_age`` (1年) is a finding. Telephone numbers
are parsed by :mod:`generator.phone` when read; here each landline is also
held to the area it serves: its area code must be one of the site's
(``inspection.area_codes``, default the area code of ``agency.phone``), and
its local number must have as many digits as the agency's own number in that
area (an area code has one local-number length: a digit was dropped or doubled).
"""

from __future__ import annotations

import re

from ..phone import LANDLINE, normalise_text
from .registry import WARNING, Context, lines_of, rule

_H = "公共企事业单位信息公开目录：名称、地址、联系电话等须准确并注明更新日期（gov-requirements.md H3、H4）"


@rule("directory-stale", "名录信息超过一年未确认", _H + "；期限1年见 inspection.directory_max_age（issue 13）",
      ("H3", "H4"), WARNING, types=("institution",), summary="a directory entry whose 更新日期 is over a year old")
def stale_entries(ctx: Context):
    age = ctx.settings.directory_max_age
    for inst in ctx.site.library.get("institution", []):
        if age.after(inst.updated) < ctx.today:
            yield ctx.finding("directory-stale", inst.source, inst.lines["updated"],
                              f"“{inst.name}”的信息于{inst.updated}确认，已超过{age}未核实",
                              "向该单位核实地址、开放时间和电话后更新“更新日期”")


def _area_codes(ctx: Context) -> dict[str, int]:
    """Valid area codes → the local-number length the agency's own numbers there have (0: unknown)."""
    agency = ctx.config.agency
    own = [p for p in (agency.phone, agency.complaints_phone) if p is not None and p.kind == LANDLINE]
    codes = ctx.settings.area_codes or tuple(dict.fromkeys(p.area_code for p in own))
    return {code: next((len(p.local) for p in own if p.area_code == code), 0) for code in codes}


def _line_of(inst, attr: str, phone) -> int:
    """The line the number is written on (an item of a list of numbers), else its field's line."""
    first = inst.lines[attr]
    for number, text in lines_of(inst.source):
        if number >= first and phone.number in re.sub(r"\D", "", normalise_text(text)):
            return number
    return first


@rule("directory-phone-area", "电话号码与所在地区不符", _H + "；区号和本地号码位数见 generator/phone.py",
      ("H4",), WARNING, types=("institution",),
      summary="a directory landline with another area's code, or a local number of the wrong length")
def phone_areas(ctx: Context):
    areas = _area_codes(ctx)
    if not areas:
        return
    for inst in ctx.site.library.get("institution", []):
        numbers = [("phones", p) for p in inst.phones] + \
            ([("complaints_phone", inst.complaints_phone)] if inst.complaints_phone is not None else [])
        for attr, phone in numbers:
            if phone.kind != LANDLINE:
                continue
            line = _line_of(inst, attr, phone)
            if phone.area_code not in areas:
                yield ctx.finding("directory-phone-area", inst.source, line,
                                  f"“{inst.name}”的电话{phone.display}区号为{phone.area_code}，不是本地区号"
                                  f"（{'、'.join(areas)}）", "核对区号；确属外地号码，在 site.yaml "
                                  "`inspection: {area_codes: [...]}` 中列出该区号")
            elif areas[phone.area_code] and len(phone.local) != areas[phone.area_code]:
                yield ctx.finding("directory-phone-area", inst.source, line,
                                  f"“{inst.name}”的电话{phone.display}本地号码为{len(phone.local)}位，"
                                  f"区号{phone.area_code}的号码为{areas[phone.area_code]}位",
                                  "核对是否多写或漏写了一位数字")
