"""The long-document corpus: policy bodies of 5,000 to 100,000 Chinese characters.

    python tests/benchmark/synth_long.py 1000 /dev/shm/x/content [--seed 6]

The same site as synth.py (front matter, relations, interpretations,
institutions), only the policy bodies are long, as real regulations, plans and
lists of powers are. Lengths are skewed: most bodies have 5,000 to 20,000
characters, about one in eight 20,000 to 50,000 and about one in thirty
50,000 to 98,000 (:data:`BUCKETS`; log-uniform inside each bucket, so short
ones dominate there too). Characters are Chinese characters without markup,
as in synth.py.

* laws, regulations, rules and 规范性文件: 第一章 … / 第一节 … / 第一条 …, articles
  with 款 (further paragraphs) and 项 (（一）…；), numbered lists, a table now and
  then, 附则 with the date of effect, and 附件 tables at the end;
* plans (规划): 章 and 节 with numbered paragraphs instead of articles;
* the rest (notices, budgets, lists of powers, …): 一、/（一）/1. headings,
  paragraphs, numbered lists and several tables.
"""

from __future__ import annotations

import math
import random
import sys

import synth
from synth import (ACTORS, AGENCY, CHAPTERS, LEAD_INS, LEGAL, OBJECTS, ORGS, SUBJECTS, VERBS, Doc, Writer,
                   _cjk, _cn)

#: (share of documents, fewest characters, most characters) of the body lengths.
BUCKETS = ((0.85, 5_000, 20_000), (0.12, 20_000, 50_000), (0.03, 50_000, 98_000))
#: Chapters of a long regulation after 总则 (附则 always comes last).
LONG_CHAPTERS = [c for c in CHAPTERS if c not in ("总则", "附则")] + [
    "规划与建设", "保护与利用", "安全管理", "数字化建设", "人才队伍建设", "考核评价", "社会参与", "区域协作"]
SECTIONS = ["一般规定", "申请与受理", "审查与决定", "日常管理", "服务标准", "信息公开", "应急处置", "评估与退出",
            "档案与统计", "奖励与扶持"]
PLAN_CHAPTERS = ["发展基础", "面临形势", "总体要求", "主要任务", "重点工程", "保障措施", "组织实施"]
POWERS_HEADER = ["| 序号 | 事项名称 | 事项类型 | 设定依据 | 责任事项 | 追责情形 |", "|---:|---|---|---|---|---|"]
ANNEXES = ["权责事项清单", "行政权力运行一览表", "责任事项分解表", "追责情形对照表"]
POWER_TYPES = ["行政许可", "行政处罚", "行政检查", "行政确认", "行政奖励", "其他行政权力", "公共服务"]


def long_target(rng: random.Random) -> int:
    """A body length drawn from :data:`BUCKETS`."""
    _, low, high = rng.choices(BUCKETS, [b[0] for b in BUCKETS])[0]
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


class LongWriter(Writer):
    """Writes the bodies of the long corpus; the rest of the site is synth.py's."""

    KIND = "long"

    def policy_body(self, doc: Doc) -> str:
        target = long_target(self.r)
        subject = SUBJECTS[doc.subject]
        links = list(doc.links)
        if doc.category in LEGAL:
            body = self.long_regulation(subject, target, links, articles=True)
        elif doc.category == "规划":
            body = self.long_regulation(subject, target, links, articles=False)
        else:
            body = self.long_notice(subject, target, links)
        self.sizes.append(_cjk(body))
        return body

    # ----------------------------------------------------------------- pieces

    def items(self, low: int = 3, high: int = 7) -> list[str]:
        """项 of an article: （一）…； … （n）…。 as separate paragraphs."""
        r = self.r
        count = r.randint(low, high)
        return [f"（{_cn(k)}）{r.choice(VERBS)}{r.choice(OBJECTS)}，{r.choice(ACTORS)}应当{r.choice(VERBS)}"
                f"{r.choice(OBJECTS)}{'。' if k == count else '；'}" for k in range(1, count + 1)]

    def powers_table(self, subject: str, rows: int) -> str:
        """A 权责清单-like table of ``rows`` rows."""
        r = self.r
        lines = list(POWERS_HEADER)
        for n in range(1, rows + 1):
            lines.append(f"| {n} | {subject}{r.choice(OBJECTS)}{r.choice(['审批', '检查', '备案', '认定', '处罚'])} | "
                         f"{r.choice(POWER_TYPES)} | {r.choice(synth.LAWS)}第{_cn(r.randint(5, 80))}条 | "
                         f"{self.sentence(subject).rstrip('。')} | {r.choice(['未按规定履行职责的', '滥用职权的', '玩忽职守的'])} |")
        return "\n".join(lines)

    def _extras(self, subject: str, links: list[Doc], out: list[str], note: str) -> int:
        """Now and then a link, a numbered list or a table after a paragraph; the characters added."""
        r, size = self.r, 0
        if links and r.random() < 0.3:
            other = links.pop()
            out[-1] += note.format(f"[《{other.title}》]({other.id}.md)")
        roll = r.random()
        if roll < 0.06:
            out.append(self.numbered(subject, (3, 6)))
        elif roll < 0.09:
            out.append(self.table(subject))
        else:
            return 0
        return _cjk(out[-1])

    # ----------------------------------------------------------------- bodies

    def long_regulation(self, subject: str, target: int, links: list[Doc], articles: bool) -> str:
        """章 / 节 / 条 (or, for a plan, 章 / 节 / numbered paragraphs), 附则 and 附件 tables."""
        r = self.r
        out: list[str] = []
        annex = [self.powers_table(subject, r.randint(8, 30)) for _ in range(1 + target // 25_000)]
        size = sum(map(_cjk, annex))  # the annex is counted first
        chapters = max(3, round(target / 4000))
        names = PLAN_CHAPTERS if not articles else ["总则"] + LONG_CHAPTERS
        share = max(1, (target - size) // chapters)
        article = written = 0
        for index in range(chapters):
            if size >= target:
                break
            written += 1
            name = names[index] if index < len(names) else f"{r.choice(VERBS)}{r.choice(OBJECTS)}"
            out.append(f"## 第{_cn(written)}章 {name}")
            sections = math.ceil(share / 1600) if share > 2400 else 0
            titles = r.sample(SECTIONS, min(sections, len(SECTIONS)))
            for section in range(max(sections, 1)):
                if size >= target:
                    break
                if sections:
                    title = titles[section] if section < len(titles) else f"{r.choice(VERBS)}{r.choice(OBJECTS)}"
                    out.append(f"### 第{_cn(section + 1)}节 {title}")
                budget, point = size + share // max(sections, 1), 0
                while size < min(budget, target):
                    article, point = article + 1, point + 1  # articles run through; a plan's points per 节
                    text = self.paragraph(subject, (1, 3))
                    if articles and article == 1:
                        text = f"为了{r.choice(VERBS)}{subject}，根据{r.choice(synth.LAWS)}，结合本市实际，制定本办法。"
                    out.append(f"第{_cn(article)}条 {text}" if articles else f"{_cn(point)}、{text}")
                    size += _cjk(out[-1])
                    if articles and r.random() < 0.25:
                        items = self.items()
                        out += items
                        size += sum(map(_cjk, items))
                    if articles and r.random() < 0.15:
                        out.append(self.paragraph(subject, (1, 2)))  # a second 款
                        size += _cjk(out[-1])
                    size += self._extras(subject, links, out, "本办法未规定的，按照{}执行。")
        if articles:
            out.append(f"## 第{_cn(written + 1)}章 附则")
            out.append(f"第{_cn(article + 1)}条 本办法由{AGENCY}负责解释。")
            out.append(f"第{_cn(article + 2)}条 本办法自{r.randint(2006, 2025)}年{r.randint(1, 12)}月"
                       f"{r.randint(1, 28)}日起施行。")
        for number, table in enumerate(annex, 1):
            out += [f"## 附件{number}　{subject}{ANNEXES[(number - 1) % len(ANNEXES)]}", table]
        return "\n\n".join(out)

    def long_notice(self, subject: str, target: int, links: list[Doc]) -> str:
        """一、/（一）/1. headings with paragraphs, numbered lists and a table every few parts."""
        r = self.r
        out = [f"{r.choice(ORGS)}，{r.choice(ORGS)}：", self.paragraph(subject, (2, 3))]
        size = sum(map(_cjk, out))
        part = 0
        while size < target:
            part += 1
            out.append(f"## {_cn(part)}、{r.choice(LEAD_INS)}")
            for sub in range(1, r.randint(2, 5) + 1):
                out.append(f"### （{_cn(sub)}）{r.choice(VERBS)}{r.choice(OBJECTS)}")
                size += _cjk(out[-1])
                for point in range(1, r.randint(1, 4) + 1):
                    out.append(f"{point}. **{r.choice(VERBS)}{r.choice(OBJECTS)}。** {self.paragraph(subject)}")
                    size += _cjk(out[-1])
                size += self._extras(subject, links, out, "具体要求见{}。")
                if size >= target:
                    break
            if part % 3 == 1:
                out.append(self.table(subject))
                size += _cjk(out[-1])
        out.append(f"{AGENCY}\n{r.randint(2006, 2025)}年{r.randint(1, 12)}月{r.randint(1, 28)}日")
        return "\n\n".join(out)


if __name__ == "__main__":
    sys.exit(synth.main(writer_class=LongWriter))
