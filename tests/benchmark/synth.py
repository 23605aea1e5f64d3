"""Synthesize a realistic disclosure site of N policy documents for the benchmark.

    python tests/benchmark/synth.py 4000 /dev/shm/zwgk-bench/n4000/content [--seed 6]

Everything is generated from a seeded ``random.Random`` and the phrase lists
below (written for this benchmark; no external corpus), so a given (N, seed)
gives the same bytes on every machine. The site builds with no errors and no
warnings:

* policy documents of every 文种 in realistic proportions, bodies of 1,500 to
  3,000 Chinese characters with headings, numbered lists, bold lead-ins and
  tables, some with links to earlier documents and shared attachments;
* full front matter: 索引号 following the site's pattern, 文号 with 〔〕, 规范性文件
  登记号, 施行日期, 标签, 关键词, 摘要, 相关文件, 办事链接;
* repeal chains (暂行办法 → 办法 → 修订, each older version 废止 and replaced by
  the next), amendments (已修改 with the amending 决定), expired (失效) documents;
* interpretations, one per three documents: every current 规范性文件 of the
  agency has one (the build warns otherwise), mostly 文字 with the eight
  elements and Q&A, a few 图片 sharing one small PNG;
* a directory of 300 public institutions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import struct
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

#: Bump when the generated content changes, so cached corpora are regenerated.
VERSION = "3"  # 2: interpretations carry a 索引号; 3: the body hook of the long corpus (synth_long.py)
AGENCY = "江州市文化和旅游局"
ORGAN_CODE = "11360400MB1C23456X"
FIRST_YEAR, LAST_YEAR = 2006, 2025
INSTITUTIONS = 300

SITE_YAML = """\
# Benchmark site (synthesized by tests/benchmark/synth.py; all names and numbers are invented).
site:
  name: 江州市文化和旅游局
  language: zh-CN
  base_url: https://wlj.jiangzhou.gov.cn/
  description: 江州市文化和旅游局政府信息公开专栏（基准测试站点）。
agency:
  sponsor: 江州市文化和旅游局
  organizer: 江州市文化和旅游局办公室
  address: 江州市浔阳区长虹大道88号
  postcode: "332000"
  phone: 0792-8221234
  email: wlj@jiangzhou.gov.cn
  complaints_phone: 0792-8221200
identity:
  site_code: "3604000012"
  icp: 赣ICP备2021001234号-1
  police_record: 赣公网安备36040202000123号
  conac_id: 2B3D4E5F60718293A4B5C6D7E8F90A1B
urls:
  institution: "ggqsydw/{id}/"
index_no:
  organ_code: 11360400MB1C23456X
  pattern: "{organ_code}/{year}-{seq:05d}"
vocabularies:
  topics: [综合政务, 财政、金融、审计, 商贸、海关、旅游, 市场监管、安全生产监管, 科技、教育, 文化、广电、新闻出版, 公安、安全、司法, 其他]
  categories: [法律, 行政法规, 部门规章, 地方性法规, 地方政府规章, 规范性文件, 其他文件,
               工作制度, 规划, 预算, 决算, 权责清单, 行政执法公示, 建议提案办理]
  issuers: [江州市文化和旅游局, 江州市人民政府, 江州市人民政府办公室, 江州市文化市场综合行政执法支队,
            江州市人民代表大会常务委员会, 全国人民代表大会常务委员会, 国务院, 文化和旅游部]
  institution_categories: [图书馆, 博物馆, 文化馆, 美术馆, A级旅游景区]
  districts: [浔阳区, 濂溪区, 柴桑区, 庐山市, 湖口县, 都昌县, 彭泽县, 修水县, 武宁县, 永修县]
  tags:
    适用对象: [企业, 个人, 社会组织, 文化场馆]
    政策类型: [惠企政策, 惠民政策, 行业监管, 政务公开]
    业务领域: [公共文化, 文化遗产, 旅游发展, 文化市场, 演艺]
listing:
  per_page: 20
feed:
  entries: 20
columns:
  - slug: zfxxgk
    name: 政府信息公开
    children:
      - slug: zfxxgkzn
        name: 政府信息公开指南
        page: pages/guide.yaml
      - slug: zfxxgkzd
        name: 政府信息公开制度
        list: {category: [工作制度]}
        empty_reason: 暂无。
      - slug: fdzdgknr
        name: 法定主动公开内容
        children:
          - slug: lzyj
            name: 履职依据
            children:
              - {slug: fl, name: 法律, list: {category: [法律], validity: current}, empty_reason: 暂无。}
              - {slug: fl-fzsx, name: 废止和失效法律, list: {category: [法律], validity: repealed}, empty_reason: 暂无。}
              - {slug: xzfg, name: 行政法规, list: {category: [行政法规], validity: current}, empty_reason: 暂无。}
              - {slug: xzfg-fzsx, name: 废止和失效行政法规, list: {category: [行政法规], validity: repealed}, empty_reason: 暂无。}
              - {slug: bmgz, name: 部门规章, list: {category: [部门规章], validity: current}, empty_reason: 暂无。}
              - {slug: bmgz-fzsx, name: 废止和失效部门规章, list: {category: [部门规章], validity: repealed}, empty_reason: 暂无。}
              - {slug: dfxfg, name: 地方性法规, list: {category: [地方性法规], validity: current}, empty_reason: 暂无。}
              - {slug: dfxfg-fzsx, name: 废止和失效地方性法规, list: {category: [地方性法规], validity: repealed}, empty_reason: 暂无。}
              - {slug: dfzfgz, name: 地方政府规章, list: {category: [地方政府规章], validity: current}, empty_reason: 暂无。}
              - {slug: dfzfgz-fzsx, name: 废止和失效地方政府规章, list: {category: [地方政府规章], validity: repealed}, empty_reason: 暂无。}
              - {slug: gfxwj, name: 规范性文件, list: {category: [规范性文件], validity: current}, empty_reason: 暂无。}
              - {slug: gfxwj-fzsx, name: 废止和失效规范性文件, list: {category: [规范性文件], validity: repealed}, empty_reason: 暂无。}
          - {slug: ghxx, name: 规划信息, list: {category: [规划]}, empty_reason: 暂无。}
          - slug: czyjs
            name: 财政预决算
            children:
              - {slug: ys, name: 部门预算, list: {category: [预算]}, empty_reason: 暂无。}
              - {slug: js, name: 部门决算, list: {category: [决算]}, empty_reason: 暂无。}
          - {slug: qzqd, name: 权责清单, list: {category: [权责清单]}, empty_reason: 暂无。}
          - {slug: xzzfgs, name: 行政执法公示, list: {category: [行政执法公示]}, empty_reason: 暂无。}
          - {slug: jytabl, name: 建议提案办理结果, list: {category: [建议提案办理]}, empty_reason: 暂无。}
          - {slug: qt, name: 其他, list: {category: [其他文件]}, empty_reason: 暂无。}
      - slug: zfxxgknb
        name: 政府信息公开年报
        list: {type: annual_report}
        empty_reason: 年度报告另行发布。
  - slug: zcwj
    name: 政策文件
    children:
      - slug: xxyx
        name: 现行有效
        list: {category: [法律, 行政法规, 部门规章, 地方性法规, 地方政府规章, 规范性文件, 其他文件], validity: current}
        empty_reason: 暂无。
      - slug: sxfz
        name: 失效/废止
        list: {category: [法律, 行政法规, 部门规章, 地方性法规, 地方政府规章, 规范性文件, 其他文件], validity: repealed}
        empty_reason: 暂无。
  - slug: zcjd
    name: 政策解读
    list: {type: interpretation}
    children:
      - {slug: wzjd, name: 文字解读, list: {type: interpretation, form: [文字]}, empty_reason: 暂无。}
      - {slug: tpjd, name: 图片解读, list: {type: interpretation, form: [图片]}, empty_reason: 暂无。}
  - slug: ggqsydw
    name: 公共企事业单位信息公开
    list: {type: institution}
    empty_reason: 暂无。
"""

GUIDE_YAML = """\
类型: 公开指南
标题: 江州市文化和旅游局政府信息公开指南
更新日期: 2025-03-03
说明: 为便于公民、法人和其他组织获取本局政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。
工作机构:
  名称: 江州市文化和旅游局办公室
  办公地址: 江州市浔阳区长虹大道88号3楼
  邮编: "332000"
  办公时间: 工作日 上午8:30—12:00，下午14:30—17:30（法定节假日除外）
  联系电话: 0792-8221234
  传真: 0792-8221299
  互联网联系方式: wlj@jiangzhou.gov.cn
正文: |
  # 一、主动公开

  本局主动公开《中华人民共和国政府信息公开条例》第二十条、第二十一条规定的、与本机关职责相关的政府信息。

  # 二、依申请公开

  公民、法人或者其他组织可以向本局申请获取主动公开以外的政府信息。

  # 三、监督和救济

  认为本局政府信息公开工作中的具体行政行为侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。
"""

TAGS = ["企业", "个人", "社会组织", "文化场馆", "惠企政策", "惠民政策", "行业监管", "政务公开",
        "公共文化", "文化遗产", "旅游发展", "文化市场", "演艺"]
TOPICS = {"综合政务": 3, "财政、金融、审计": 1, "商贸、海关、旅游": 3, "市场监管、安全生产监管": 2, "科技、教育": 1,
          "文化、广电、新闻出版": 5, "公安、安全、司法": 1, "其他": 1}
#: 文种 → (weight, issuers with weights, 文号 prefix)
CATEGORIES = {
    "规范性文件": (22, {AGENCY: 8, "江州市人民政府办公室": 2}, "江文旅规"),
    "其他文件": (38, {AGENCY: 9, "江州市文化市场综合行政执法支队": 1}, "江文旅发"),
    "地方政府规章": (3, {"江州市人民政府": 1}, "江州市人民政府令第"),
    "地方性法规": (2, {"江州市人民代表大会常务委员会": 1}, ""),
    "法律": (2, {"全国人民代表大会常务委员会": 1}, ""),
    "行政法规": (3, {"国务院": 1}, ""),
    "部门规章": (5, {"文化和旅游部": 1}, "文化和旅游部令第"),
    "工作制度": (4, {AGENCY: 1}, "江文旅办发"),
    "规划": (2, {AGENCY: 1}, "江文旅发"),
    "预算": (2, {AGENCY: 1}, ""),
    "决算": (2, {AGENCY: 1}, ""),
    "权责清单": (2, {AGENCY: 1}, ""),
    "行政执法公示": (7, {"江州市文化市场综合行政执法支队": 1}, ""),
    "建议提案办理": (6, {AGENCY: 1}, "江文旅提字"),
}
REVISABLE = {"规范性文件", "其他文件", "地方政府规章", "地方性法规", "工作制度"}
#: 文种 written as 章 and 条 (the others as a notice: 一、（一）…).
LEGAL = {"规范性文件", "地方政府规章", "地方性法规", "法律", "行政法规", "部门规章", "工作制度"}

# --------------------------------------------------------------------------- phrase banks

SUBJECTS = [
    "公共文化服务体系建设", "非物质文化遗产保护传承", "A级旅游景区管理", "文化市场综合执法", "营业性演出管理",
    "公共图书馆服务", "乡村旅游发展", "文物安全管理", "智慧旅游建设", "旅游安全生产", "文旅消费促进",
    "研学旅行基地建设", "美术馆运营管理", "博物馆免费开放", "文化馆总分馆制", "旅行社经营服务",
    "星级饭店评定", "娱乐场所管理", "网络表演经营活动", "历史文化街区保护", "红色旅游资源开发",
    "全域旅游示范区创建", "群众文化活动", "文艺精品创作扶持", "古籍保护", "旅游民宿管理",
    "夜间文旅消费集聚区建设", "公共文化设施免费开放", "文化志愿服务", "旅游投诉处理", "导游人员管理",
    "文化产业园区认定", "旅游度假区建设", "戏曲传承发展", "非遗工坊建设", "数字文化资源共享",
    "农家书屋提质增效", "体育旅游融合发展", "长江文化保护传承", "庐山文化旅游品牌建设",
]
SUBJECT_SLUGS = [
    "ggwh", "fyzbh", "ajjq", "whsc", "yyxyc", "tsg", "xclv", "wwaq", "zhly", "lvaq", "wlxf", "yxlx", "msg",
    "bwg", "whg", "lxs", "xjfd", "ylcs", "wlby", "lswhjq", "hsly", "qyly", "qzwh", "wyjp", "gjbh", "lvms",
    "yjxf", "ggss", "whzy", "lvts", "dyry", "whcy", "lvdjq", "xqcc", "fygf", "szwh", "njsw", "tyly", "cjwh",
    "lswh",
]
DOC_FORMS = ["管理办法", "实施办法", "暂行办法", "实施细则", "工作规程", "若干措施", "实施方案", "管理规定"]
ORGS = ["各县（市、区）文化和旅游主管部门", "局属各单位", "机关各处室", "市文化市场综合行政执法支队",
        "各A级旅游景区", "各公共文化服务机构", "各旅行社", "各星级饭店", "市图书馆", "市文化馆", "市博物馆",
        "各乡镇（街道）综合文化站", "有关行业协会", "各演出经营主体"]
ACTORS = ["市文化和旅游局", "各级文化和旅游主管部门", "县级以上文化和旅游主管部门", "经营单位", "保护单位",
          "公共文化服务机构", "旅游经营者", "景区管理机构", "主办单位", "承办单位", "行业协会", "街道和乡镇"]
VERBS = ["加强", "完善", "健全", "规范", "落实", "推进", "优化", "提升", "强化", "统筹", "深化", "建立",
         "细化", "压实", "创新", "拓展", "巩固", "用好"]
OBJECTS = ["工作机制", "监督检查", "日常管理", "信息公开", "安全责任", "服务标准", "考核评价", "资金保障",
           "人才队伍建设", "数字化管理", "应急处置预案", "信用监管", "投诉受理渠道", "统计分析", "宣传推广",
           "行政审批流程", "事中事后监管", "绩效评价", "档案管理", "志愿服务", "协同联动", "风险评估"]
RESULTS = ["确保各项任务落到实处", "切实维护群众合法权益", "不断满足人民群众精神文化需求",
           "推动文化和旅游高质量发展", "营造安全有序的市场环境", "提高公共服务效能", "形成工作合力",
           "提升群众获得感和满意度", "促进行业健康有序发展", "做到应公开尽公开", "守住安全生产底线",
           "让更多群众共享发展成果"]
CONDITIONS = ["对涉及群众切身利益的事项", "发生突发事件时", "在节假日和旅游旺季", "对新设立的经营单位",
              "对检查中发现的问题", "在重大活动举办前", "对群众反映集中的问题", "在项目实施过程中",
              "对符合条件的申请", "对连续两年考核优秀的单位"]
TIMES = ["每年1月底前", "每季度", "每月", "自收到申请之日起20个工作日内", "在活动结束后10个工作日内",
         "每两年", "在规定期限内", "于每年12月31日前", "5个工作日内", "年度终了后"]
LAWS = ["《中华人民共和国公共文化服务保障法》", "《中华人民共和国非物质文化遗产法》", "《中华人民共和国旅游法》",
        "《中华人民共和国文物保护法》", "《中华人民共和国公共图书馆法》", "《营业性演出管理条例》",
        "《娱乐场所管理条例》", "《旅行社条例》", "《中华人民共和国政府信息公开条例》", "《博物馆条例》"]
LEAD_INS = ["明确职责分工", "加强统筹协调", "严格标准规范", "强化监督管理", "做好宣传引导", "加大资金支持",
            "注重人才培养", "推进数字赋能", "完善评价机制", "压实安全责任", "优化服务流程", "深化部门协作"]
CHAPTERS = ["总则", "职责分工", "设立与备案", "运营管理", "服务规范", "资金保障", "监督检查", "法律责任", "附则"]
SECTIONS_ORDINAL = "一二三四五六七八九十"
DISTRICTS = ["浔阳区", "濂溪区", "柴桑区", "庐山市", "湖口县", "都昌县", "彭泽县", "修水县", "武宁县", "永修县"]
INST_KINDS = {"图书馆": ("图书馆", "国家一级图书馆"), "博物馆": ("博物馆", "国家二级博物馆"),
              "文化馆": ("文化馆", "国家一级文化馆"), "美术馆": ("美术馆", "省级重点美术馆"),
              "A级旅游景区": ("景区", "国家4A级旅游景区")}
PLACE_NAMES = ["长虹", "白鹤岭", "湖滨", "桃溪", "濂溪", "甘棠", "琵琶亭", "浔阳", "匡庐", "鄱湖", "彭蠡",
               "龙宫洞", "石钟山", "锁江楼", "烟水亭", "东林", "秀峰", "云居山", "柘林湖", "九龙",
               "南山", "西海", "梅岭", "太平", "庐峰"]
QUESTIONS = ["哪些单位可以申请", "办理需要提交哪些材料", "办理时限是多少", "原文件还有效吗", "如何查询办理结果",
             "资金如何拨付", "对违规行为如何处理", "个人可以参与吗"]


@dataclass
class Doc:
    id: str
    title: str
    subject: int
    category: str
    issuer: str
    topic: str
    written: dt.date
    published: dt.date
    effective: dt.date | None
    index_no: str
    doc_no: str = ""
    registration_no: str = ""
    validity: str = "现行有效"
    validity_date: dt.date | None = None
    replaces: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    summary: str = ""
    service_url: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)
    links: list["Doc"] = field(default_factory=list)
    replaced: bool = False
    amended: bool = False


def _weighted(rng: random.Random, table: dict) -> str:
    keys = list(table)
    weights = [v[0] if isinstance(v, tuple) else v for v in table.values()]
    return rng.choices(keys, weights)[0]


def _q(value: str) -> str:
    """A YAML scalar: plain when safe, else a JSON string (valid YAML)."""
    if not value or value[0] in "[]{}*&!|>'\"%@`#,?:-" or ": " in value or " #" in value or value.strip() != value:
        return json.dumps(value, ensure_ascii=False)
    return value


def _list(values) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


class Writer:
    """Sentences, paragraphs and whole bodies from the phrase banks."""

    #: Recorded in _bench.json: which corpus this writer makes.
    KIND = "standard"

    def __init__(self, rng: random.Random):
        self.r = rng
        self.sizes: list[int] = []  # Chinese characters of each policy body, as counted while writing

    def policy_body(self, doc: Doc) -> str:
        """The Markdown body of one policy document: 1,500 to 3,000 Chinese characters."""
        target = self.r.randint(1500, 2700)
        subject = SUBJECTS[doc.subject]
        links = list(doc.links)
        if doc.category in LEGAL:
            body = self.regulation_body(subject, target, links)
        else:
            body = self.notice_body(subject, target, links)
        self.sizes.append(_cjk(body))
        return body

    def sentence(self, subject: str) -> str:
        r = self.r
        c = r.choice
        forms = [
            lambda: f"{c(ACTORS)}应当{c(VERBS)}{subject}{c(OBJECTS)}，{c(VERBS)}{c(OBJECTS)}，{c(RESULTS)}。",
            lambda: f"{c(CONDITIONS)}，{c(ACTORS)}应当{c(TIMES)}{c(VERBS)}{c(OBJECTS)}，并向社会公开。",
            lambda: f"围绕{subject}，{c(VERBS)}{c(OBJECTS)}和{c(OBJECTS)}，{c(RESULTS)}。",
            lambda: f"根据{c(LAWS)}等有关规定，结合本市实际，{c(VERBS)}{subject}{c(OBJECTS)}。",
            lambda: f"{c(ORGS)}要{c(VERBS)}{c(OBJECTS)}，{c(TIMES)}报送工作情况，{c(RESULTS)}。",
            lambda: f"{c(ACTORS)}{c(TIMES)}组织开展{subject}评估，评估结果作为{c(OBJECTS)}的重要依据。",
            lambda: f"对{c(['违反本办法规定的', '未按期整改的', '弄虚作假的', '造成不良社会影响的'])}，"
                    f"由{c(ACTORS)}责令限期改正；情节严重的，依法予以处理。",
            lambda: f"到{r.randint(2025, 2030)}年，全市{subject}{c(OBJECTS)}{c(['基本健全', '全面完善', '明显提升', '走在全省前列'])}，"
                    f"{c(RESULTS)}。",
        ]
        return c(forms)()

    def paragraph(self, subject: str, sentences: tuple[int, int] = (2, 4)) -> str:
        return "".join(self.sentence(subject) for _ in range(self.r.randint(*sentences)))

    def table(self, subject: str) -> str:
        r = self.r
        kind = r.randrange(3)
        if kind == 0:
            rows = ["| 序号 | 工作任务 | 具体举措 | 完成时限 | 责任单位 |", "|---|---|---|---|---|"]
            for n in range(1, r.randint(4, 8)):
                rows.append(f"| {n} | {r.choice(VERBS)}{r.choice(OBJECTS)} | {self.sentence(subject).rstrip('。')} | "
                            f"{r.choice(TIMES)} | {r.choice(ORGS)} |")
        elif kind == 1:
            rows = ["| 项目 | 预算数（万元） | 执行数（万元） | 执行率 |", "|---|---:|---:|---:|"]
            for _ in range(r.randint(4, 7)):
                budget = r.randint(20, 5000) + r.randint(0, 99) / 100
                spent = budget * r.uniform(0.7, 1.0)
                rows.append(f"| {r.choice(SUBJECTS)}专项 | {budget:,.2f} | {spent:,.2f} | {spent / budget:.1%} |")
        else:
            rows = ["| 事项名称 | 办理条件 | 申请材料 | 办理时限 |", "|---|---|---|---|"]
            for _ in range(r.randint(3, 6)):
                rows.append(f"| {r.choice(SUBJECTS)}{r.choice(['备案', '审批', '认定', '补助申请'])} | "
                            f"{r.choice(CONDITIONS).lstrip('对').rstrip('的')} | "
                            f"申请表、{r.choice(['营业执照', '场所证明', '资金预算', '实施方案'])} | "
                            f"{r.randint(5, 20)}个工作日 |")
        return "\n".join(rows)

    def numbered(self, subject: str, items: tuple[int, int] = (3, 6)) -> str:
        r = self.r
        return "\n".join(f"{n}. **{r.choice(LEAD_INS)}。** {self.paragraph(subject, (1, 2))}"
                         for n in range(1, r.randint(*items) + 1))

    def regulation_body(self, subject: str, target: int, links: list[Doc]) -> str:
        """第一章 总则 / 第一条 … with a list and a table appendix."""
        r = self.r
        parts = ["## 附表", self.table(subject)]  # the appendix comes last; counted first
        size = _cjk(parts[1])
        body: list[str] = []
        article = 0
        for index, chapter in enumerate(CHAPTERS):
            if size >= target and index < len(CHAPTERS) - 1:
                continue  # long enough: skip to 附则
            body.append(f"## 第{_cn(index + 1)}章 {chapter}")
            for _ in range(r.randint(2, 4)):
                article += 1
                text = self.paragraph(subject, (1, 3))
                if article == 1:
                    text = f"为了{r.choice(VERBS)}{subject}，根据{r.choice(LAWS)}，结合本市实际，制定本办法。"
                if links and r.random() < 0.3:
                    other = links.pop()
                    text += f"本办法未规定的，按照[《{other.title}》]({other.id}.md)执行。"
                body.append(f"第{_cn(article)}条 {text}")
                size += _cjk(text) + 3
                if size >= target:
                    break
            if index == 2:
                block = self.numbered(subject, (3, 5))
                body.append(block)
                size += _cjk(block)
        return "\n\n".join(body + parts)

    def notice_body(self, subject: str, target: int, links: list[Doc]) -> str:
        """一、总体要求 / （一）… with numbered lists and a task table."""
        r = self.r
        parts = [f"{r.choice(ORGS)}，{r.choice(ORGS)}：", self.paragraph(subject, (2, 3))]
        size = sum(map(_cjk, parts))
        section = 0
        while size < target:
            section += 1
            parts.append(f"## {SECTIONS_ORDINAL[(section - 1) % 10]}、{r.choice(LEAD_INS)}")
            for sub in range(r.randint(1, 3)):
                parts.append(f"### （{SECTIONS_ORDINAL[sub]}）{r.choice(VERBS)}{r.choice(OBJECTS)}")
                text = self.paragraph(subject)
                if links and r.random() < 0.3:
                    other = links.pop()
                    text += f"具体要求见[《{other.title}》]({other.id}.md)。"
                parts.append(text)
                size += _cjk(parts[-2]) + _cjk(text)
                if size >= target:
                    break
            if section % 2 == 0 and size < target:
                block = self.numbered(subject, (2, 4))
                parts.append(block)
                size += _cjk(block)
            if section == 1:
                block = self.table(subject)
                parts.append(block)
                size += _cjk(block)
        parts.append(f"{AGENCY}\n{r.randint(2006, 2025)}年{r.randint(1, 12)}月{r.randint(1, 28)}日")
        return "\n\n".join(parts)


_CJK = re.compile(r"[\u3400-\u9fff]")


def _cjk(text: str) -> int:
    """Chinese characters in ``text`` (what "a body of 2,000 characters" counts)."""
    return len(_CJK.findall(text))


def _cn(n: int) -> str:
    """1 → 一, 15 → 十五, 40 → 四十, 105 → 一百零五, 230 → 二百三十 (up to 9,999: articles of long laws)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 10_000:
        big, rest = (n // 100, n % 100) if n < 1000 else (n // 1000, n % 1000)
        unit, width = ("百", 10) if n < 1000 else ("千", 100)
        if not rest:
            return digits[big] + unit
        tail = _cn(rest) if rest >= 10 else digits[rest]
        if rest >= 10 and rest < 20:
            tail = "一" + tail  # 一百一十五, not 一百十五
        return digits[big] + unit + ("零" if rest < width else "") + tail
    return str(n)


def _png(width: int = 160, height: int = 120) -> bytes:
    """A small valid PNG (an RGB gradient), made without Pillow."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter type: none
        for x in range(width):
            raw += bytes((x * 255 // width, y * 255 // height, 160))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) \
        + chunk(b"IEND", b"")


def _date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365 if year % 4 else 366))


# --------------------------------------------------------------------------- the corpus


def plan_documents(n: int, rng: random.Random) -> list[Doc]:
    """The documents' metadata, sorted by publication, with relations that the build accepts."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    year_weights = [1 + (y - FIRST_YEAR) * 0.15 for y in years]  # more documents in recent years
    drafts = []
    for _ in range(n):
        year = rng.choices(years, year_weights)[0]
        written = _date(rng, year)
        if written > dt.date(LAST_YEAR, 12, 20):
            written = dt.date(LAST_YEAR, 12, 20)
        drafts.append(written)
    drafts.sort()
    seq_by_year: dict[int, int] = {}
    docno_by_year: dict[tuple[str, int], int] = {}
    docs: list[Doc] = []
    by_subject_current: dict[tuple[int, str], list[Doc]] = {}
    for written in drafts:
        category = _weighted(rng, CATEGORIES)
        _, issuers, prefix = CATEGORIES[category]
        issuer = rng.choices(list(issuers), list(issuers.values()))[0]
        published = written + dt.timedelta(days=rng.randint(0, 6))
        year = published.year
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        seq = seq_by_year[year]
        subject = rng.randrange(len(SUBJECTS))
        doc = Doc(
            id=f"{year}-{SUBJECT_SLUGS[subject]}-{seq:05d}", title="", subject=subject, category=category,
            issuer=issuer, topic=_weighted(rng, TOPICS), written=written, published=published,
            effective=published + dt.timedelta(days=rng.choice([0, 15, 30, 30, 60])) if rng.random() < 0.6 else None,
            index_no=f"{ORGAN_CODE}/{year}-{seq:05d}",
        )
        if prefix:
            key = (prefix, year)
            docno_by_year[key] = docno_by_year.get(key, 0) + 1
            number = docno_by_year[key]
            doc.doc_no = f"{prefix}{number}号" if prefix.endswith("第") else f"{prefix}〔{year}〕{number}号"
        if category == "规范性文件":
            doc.registration_no = f"JZCR-{year}-{seq:05d}"
        # Relations to earlier documents of the same subject and 文种.
        pool = by_subject_current.setdefault((subject, category), [])
        earlier = [d for d in pool if d.published <= published]  # a replacement is never older
        roll = rng.random()
        if category in REVISABLE and earlier and roll < 0.14:
            old = rng.choice(earlier)
            pool.remove(old)
            doc.replaces.append(old.id)
            old.validity, old.validity_date, old.replaced = "废止", doc.effective or doc.published, True
            form = "办法" if "暂行" in old.title else rng.choice(DOC_FORMS).replace("暂行", "")
            doc.title = _title(category, subject, form, year, rng, revised=True)
        elif category in REVISABLE and earlier and roll < 0.18:
            old = rng.choice(earlier)
            if not old.amended:
                doc.amends.append(old.id)
                old.validity, old.validity_date, old.amended = "已修改", doc.published, True
                doc.title = f"{_issuer_prefix(issuer)}关于修改《{old.title.split('《')[-1].split('》')[0]}》的决定" \
                    if "《" in old.title else f"{_issuer_prefix(issuer)}关于修改{old.title}的决定"
        if not doc.title:
            doc.title = _title(category, subject, rng.choice(DOC_FORMS), year, rng)
        if rng.random() < 0.12 and docs:
            earlier = rng.sample(docs[-200:], k=min(len(docs[-200:]), rng.randint(1, 2)))
            doc.related = [d.id for d in earlier]
            doc.links = [d for d in earlier]
        pool.append(doc)
        docs.append(doc)
    # Expired documents: old current ones that nobody replaced.
    for doc in docs:
        if doc.validity == "现行有效" and doc.published.year < 2016 and not doc.replaced and rng.random() < 0.08:
            doc.validity = "失效"
            doc.validity_date = min(dt.date(doc.published.year + rng.randint(3, 8), 12, 31), dt.date(LAST_YEAR, 12, 31))
    for doc in docs:
        doc.tags = rng.sample(TAGS, k=rng.randint(1, 3))
        doc.keywords = list(dict.fromkeys([SUBJECTS[doc.subject][:4], rng.choice(OBJECTS), rng.choice(LEAD_INS)[2:]]))
        if rng.random() < 0.7:
            doc.summary = (f"{rng.choice(VERBS)}{SUBJECTS[doc.subject]}{rng.choice(OBJECTS)}，"
                           f"{rng.choice(RESULTS)}。")[:100]
        if rng.random() < 0.05:
            doc.service_url = f"https://zwfw.jiangzhou.gov.cn/service/{SUBJECT_SLUGS[doc.subject]}-{rng.randint(1, 99)}"
        if rng.random() < 0.15:
            k = rng.randint(1, 2)
            doc.attachments = [(f"附件{i + 1}：{rng.choice(['申报表', '汇总表', '事项清单', '评分标准', '名单'])}",
                                f"files/{rng.choice(ATTACHMENTS)}") for i in range(k)]
    return docs


ATTACHMENTS = ["shenbaobiao.csv", "huizongbiao.csv", "shixiang-qingdan.csv", "pingfen-biaozhun.txt",
               "mingdan.csv", "tianbao-shuoming.txt", "lianxi-fangshi.txt", "jindu-biao.csv"]


def _issuer_prefix(issuer: str) -> str:
    return issuer


def _title(category: str, subject: int, form: str, year: int, rng: random.Random, revised: bool = False) -> str:
    name = SUBJECTS[subject]
    if category in ("法律",):
        return f"中华人民共和国{name[:4]}法（{year}年修正）" if revised else f"中华人民共和国{name[:4]}法"
    if category == "行政法规":
        return f"{name}条例"
    if category == "部门规章":
        return f"{name}管理规定（文化和旅游部令）"
    if category == "地方性法规":
        return f"江州市{name}条例"
    if category == "地方政府规章":
        return f"江州市{name}{form}"
    if category == "规范性文件":
        return f"江州市文化和旅游局关于印发《江州市{name}{form}》的通知"
    if category == "预算":
        return f"江州市文化和旅游局{year}年部门预算公开说明（{name}）"
    if category == "决算":
        return f"江州市文化和旅游局{year - 1}年度部门决算公开说明（{name}）"
    if category == "权责清单":
        return f"江州市文化和旅游局{name}权责清单（{year}年版）"
    if category == "行政执法公示":
        return f"江州市文化市场综合行政执法支队{year}年第{rng.randint(1, 4)}季度{name}执法检查结果公示"
    if category == "建议提案办理":
        return f"关于市政协{rng.randint(10, 14)}届{rng.randint(1, 5)}次会议第{rng.randint(1, 500)}号提案（{name}）的答复"
    if category == "规划":
        return f"江州市{name}“十{rng.choice(['二', '三', '四', '五'])}五”规划"
    if category == "工作制度":
        return f"江州市文化和旅游局{name}工作制度"
    return f"江州市文化和旅游局关于进一步做好{name}工作的通知（{year}）"


def policy_text(doc: Doc, writer: Writer, rng: random.Random) -> str:
    lines = ["---", f"标题: {_q(doc.title)}", f"索引号: {doc.index_no}", f"发布机构: {doc.issuer}"]
    if doc.doc_no:
        lines.append(f"文号: {doc.doc_no}")
    if doc.registration_no:
        lines.append(f"规范性文件登记号: {doc.registration_no}")
    lines += [f"主题分类: {doc.topic}", f"文种: {doc.category}", f"成文日期: {doc.written}",
              f"发布日期: {doc.published}"]
    if doc.effective:
        lines.append(f"施行日期: {doc.effective}")
    lines.append(f"有效性: {doc.validity}")
    if doc.validity_date:
        lines.append(f"有效性变更日期: {doc.validity_date}")
    if doc.replaces:
        lines.append(f"替代: {_list(doc.replaces)}")
    if doc.amends:
        lines.append(f"修改: {_list(doc.amends)}")
    if doc.related:
        lines.append(f"相关文件: {_list(doc.related)}")
    lines.append(f"标签: {_list(doc.tags)}")
    lines.append(f"关键词: {_list(doc.keywords)}")
    if doc.summary:
        lines.append(f"摘要: {_q(doc.summary)}")
    if doc.service_url:
        lines.append(f"办事链接: {doc.service_url}")
    if doc.attachments:
        lines.append("附件:")
        lines += [f"  - {{标题: {_q(title)}, 文件: {path}}}" for title, path in doc.attachments]
    lines.append("---")
    return "\n".join(lines) + "\n\n" + writer.policy_body(doc) + "\n"


def interpretation_text(iid: str, form: str, docs: list[Doc], writer: Writer, rng: random.Random,
                        index_no: str) -> str:
    newest = max(docs, key=lambda d: d.published)
    subject = SUBJECTS[newest.subject]
    core = newest.title.split("《")[-1].split("》")[0] if "《" in newest.title else newest.title
    title = f"一图读懂《{core}》" if form == "图片" else f"《{core}》政策解读"
    lines = ["---", f"标题: {_q(title)}", f"索引号: {index_no}", f"形式: {form}", f"解读文件: {_list([d.id for d in docs])}",
             f"发布日期: {newest.published}",
             f"解读机构: {AGENCY}{rng.choice(['政策法规处', '公共服务处', '产业发展处', '市场管理处', '非物质文化遗产处'])}",
             f"摘要: {_q(('解读' + core + '的主要内容和办理要求。')[:100])}", f"标签: {_list(rng.sample(TAGS, k=2))}"]
    if form == "图片":
        lines += ["图片: media/yitu.png", f"替代文本: {_q(('图解' + core + '的要点')[:150])}", "文字版: |"]
        text = writer.numbered(subject, (4, 6)) + "\n\n" + writer.paragraph(subject)
        lines += ["  " + line for line in text.splitlines()]
    for key in ("出台背景", "出台目的", "核心举措", "适用对象"):
        if rng.random() < 0.8:
            lines.append(f"{key}: |")
            lines.append("  " + writer.paragraph(subject, (2, 3)))
    if rng.random() < 0.5:
        lines.append("执行标准: |")
        lines += ["  " + line for line in writer.numbered(subject, (2, 4)).splitlines()]
    lines.append("简明问答:")
    for question in rng.sample(QUESTIONS, k=rng.randint(1, 3)):
        lines.append(f"  - 问: {question}？")
        lines.append(f"    答: {_q(writer.paragraph(subject, (1, 2)))}")
    lines.append("---")
    body = ""
    if form == "文字":
        parts = []
        size, target = 0, rng.randint(800, 1500)
        section = 0
        while size < target:
            section += 1
            parts.append(f"**{SECTIONS_ORDINAL[(section - 1) % 10]}、{rng.choice(LEAD_INS)}**")
            text = writer.paragraph(subject, (3, 5))
            parts.append(text)
            size += len(text)
        body = "\n\n".join(parts) + "\n"
    return "\n".join(lines) + "\n\n" + body


def institution_text(n: int, rng: random.Random, used: set) -> tuple[str, str]:
    category = rng.choice(list(INST_KINDS))
    suffix, qualification = INST_KINDS[category]
    while True:
        district = rng.choice(DISTRICTS)
        place = rng.choice(PLACE_NAMES)
        if category == "A级旅游景区":
            name = f"{place}{rng.choice(['风景区', '湿地公园', '古镇', '森林公园'])}"
        else:
            name = f"{district[:2]}{place}{suffix}"
        if (name, district) not in used:
            used.add((name, district))
            break
    phone = f"0792-{rng.randint(2, 8)}{rng.randint(100000, 999999)}"
    complaints = f"0792-{rng.randint(2, 8)}{rng.randint(100000, 999999)}"
    text = "\n".join([
        f"名称: {name}", f"类别: {category}", f"资质或等级: {qualification}",
        f"业务范围: {_q('、'.join(rng.sample(['文献借阅', '展览展示', '公益讲座', '群众文艺辅导', '非遗展示', '游览服务', '研学活动', '数字资源服务'], k=4)))}",
        f"服务区域: {district}", f"地址: {_q(f'江州市{district}{place}路{rng.randint(1, 300)}号')}",
        f"所在区县: {district}", "办公时间: |", "  周二至周日 9:00—17:00", "  周一闭馆；法定节假日开放安排另行公告",
        "联系电话:", f"  - {phone}", f"投诉电话: {complaints}", f"主管部门: {AGENCY}",
        f"更新日期: {dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(150))}",
        f"简介: {_q(Writer(rng).paragraph('公共文化服务', (1, 2))[:280])}",
    ])
    return f"inst-{n:04d}", text + "\n"


def synthesize(n: int, target: Path, seed: int = 6, institutions: int = INSTITUTIONS,
               writer_class: type[Writer] = Writer) -> dict:
    """Write the content folder for ``n`` documents into ``target`` (created; must not exist).

    ``writer_class`` writes the policy bodies (synth_long.LongWriter: 5,000 to 100,000 characters)."""
    kind = writer_class.KIND
    rng = random.Random(f"{seed}/{n}" if kind == "standard" else f"{seed}/{n}/{kind}")
    writer = writer_class(rng)
    target.mkdir(parents=True)
    (target / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (target / "pages").mkdir()
    (target / "pages" / "guide.yaml").write_text(GUIDE_YAML, encoding="utf-8")
    policies = target / "policies"
    (policies / "files").mkdir(parents=True)
    for i, name in enumerate(ATTACHMENTS):
        data = "序号,名称,数量\n" + "".join(f"{k},{SUBJECTS[(i + k) % len(SUBJECTS)]},{k * 3}\n" for k in range(1, 20))
        (policies / "files" / name).write_text(data, encoding="utf-8")
    docs = plan_documents(n, rng)
    chars = 0
    for doc in docs:
        text = policy_text(doc, writer, rng)
        chars += len(text)
        (policies / f"{doc.id}.md").write_text(text, encoding="utf-8")
    # Interpretations: every current 规范性文件 of the agency first (the build warns otherwise), then others.
    interps = target / "interpretations"
    (interps / "media").mkdir(parents=True)
    (interps / "media" / "yitu.png").write_bytes(_png())
    by_id = {d.id: d for d in docs}
    must = [d for d in docs if d.category == "规范性文件" and d.issuer == AGENCY and d.validity in ("现行有效", "已修改")]
    must_ids = {d.id for d in must}
    others = [d for d in docs if d.id not in must_ids]
    rng.shuffle(others)
    chosen = (must + others)[: max(len(must), n // 3)]
    forms = {"文字": 0, "图片": 0}
    last_seq: dict[int, int] = {}  # interpretations are numbered after the policies of their year
    for d in docs:
        last_seq[d.published.year] = max(last_seq.get(d.published.year, 0), int(d.index_no.rsplit("-", 1)[1]))
    for doc in chosen:
        interpreted = [doc] + [by_id[a] for a in doc.amends]  # an amendment is interpreted with what it amends
        form = "图片" if rng.random() < 0.08 else "文字"
        forms[form] += 1
        iid = f"{doc.id}-{'yitu' if form == '图片' else 'jd'}"
        year = max(d.published for d in interpreted).year
        last_seq[year] = last_seq.get(year, 0) + 1
        text = interpretation_text(iid, form, interpreted, writer, rng, f"{ORGAN_CODE}/{year}-{last_seq[year]:05d}")
        (interps / f"{iid}.md").write_text(text, encoding="utf-8")
    inst_dir = target / "institutions"
    inst_dir.mkdir()
    used: set = set()
    for k in range(institutions):
        iid, text = institution_text(k, rng, used)
        (inst_dir / f"{iid}.yaml").write_text(text, encoding="utf-8")
    stats = {
        "documents": n, "interpretations": len(chosen), "interpretation_forms": forms,
        "institutions": institutions, "repealed": sum(d.validity == "废止" for d in docs),
        "amended": sum(d.validity == "已修改" for d in docs), "expired": sum(d.validity == "失效" for d in docs),
        "policy_chars": chars, "seed": seed, "version": VERSION, "kind": kind,
        "body_chars": _spread(writer.sizes),
    }
    (target / "_bench.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
    return stats


def _spread(sizes: list[int]) -> dict:
    """Minimum, median and maximum body size, and how many bodies exceed 20,000 and 50,000 characters."""
    ordered = sorted(sizes) or [0]
    return {"min": ordered[0], "median": ordered[len(ordered) // 2], "max": ordered[-1],
            "over_20000": sum(s > 20_000 for s in ordered), "over_50000": sum(s > 50_000 for s in ordered)}


def main(argv: list[str] | None = None, writer_class: type[Writer] = Writer) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int, help="number of policy documents")
    p.add_argument("target", type=Path, help="content folder to create (must not exist)")
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--institutions", type=int, default=INSTITUTIONS)
    args = p.parse_args(argv)
    if args.target.exists():
        p.error(f"{args.target} exists; remove it first")
    started = time.perf_counter()
    stats = synthesize(args.n, args.target, args.seed, args.institutions, writer_class)
    print(json.dumps(stats, ensure_ascii=False), f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
