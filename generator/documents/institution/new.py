"""The file ``python -m generator new institution`` writes: every field present and explained in Chinese.

Fields that choose a column start empty, with their allowed values in the comment: a pre-filled value left
as it is would file the document in the wrong column without a word; empty, the build names each one.
"""

from __future__ import annotations

import datetime as dt

from ...config import SiteConfig
from ..base import choices as _choices


def new_text(config: SiteConfig, title: str, index_no: str, today: dt.date) -> str:
    name_yaml = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    categories = _choices(config.institution_categories)
    districts = _choices(config.districts)
    return f"""# 公共企事业单位信息。带 * 的字段必须填写；留空的必填字段在构建时会报错并指出行号。
# *名称：单位全称。
名称: {name_yaml}
# *类别：取自 site.yaml vocabularies.institution_categories：{categories}。
类别:
# *资质或等级：如 国家一级图书馆、国家AAAA级旅游景区；未定级填 未定级。
资质或等级:
# *业务范围：主要服务项目。
业务范围:
# *服务区域：如 全市、某某区各街道。
服务区域:
# *地址：详细地址。
地址:
# *所在区县：取自 site.yaml vocabularies.districts：{districts}。
所在区县:
# *办公时间：开放或办公时间，可分多行写（用 | 开头）。
办公时间:
# *联系电话：带区号，如 {config.agency.phone.display}；多个号码写成列表，可在括号中注明用途，如 0792-8226601（总服务台）。
联系电话:
# *更新日期：本条信息核对更新的日期。
更新日期: {today.isoformat()}
# 网址：单位网站（可留空）。
网址:
# 投诉电话：单位自设的投诉电话（可留空；留空时页面显示主管部门的投诉电话）。
投诉电话:
# 主管部门：可留空。
主管部门: {config.agency.sponsor}
# 简介：300字以内（Markdown 格式，可留空）。
简介:
# 隐私审查：确需公开个人信息时，经保密审查后填写；否则留空。
隐私审查:
"""
