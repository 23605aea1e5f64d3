"""A generated corpus for measuring the privacy screen: planted personal numbers and decoys.

Planted: resident ID numbers (valid 18-character ones, with ``X``, grouped, the
15-digit first generation, and 18-digit ones with a mistyped check character),
bank card numbers (16 and 19 digits, Luhn, grouped in fours), mobile numbers
(plain, dashed, spaced, with +86, full-width) and personal e-mail addresses,
each in a sentence or a table row the way editors write them.

Decoys: numbers a disclosure site publishes that are not personal: 文号,
索引号, dates and timestamps, hotlines (12345, 400/800, 95xxx), landlines,
registration numbers (统一社会信用代码, 规范性文件登记号, 公安机关备案号,
ICP, 网站标识码, long 登记号/订单号/流水号), amounts, ISBNs, postcodes and
government e-mail addresses.

``python tests/privacy_corpus.py`` prints precision and recall per kind;
``tests/test_privacy_recall.py`` holds the screen to thresholds on the same corpus.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import personal_data  # noqa: E402
from generator.personal_data import BANK_CARD, EMAIL, ID_NUMBER, MOBILE  # noqa: E402

SEED = 2025
MISTYPED = "身份证号 (mistyped)"
KINDS = (ID_NUMBER, MISTYPED, BANK_CARD, MOBILE, EMAIL)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_PROVINCES = (11, 12, 13, 21, 31, 32, 33, 35, 36, 37, 41, 42, 44, 45, 50, 51, 53, 61, 65)
_MOBILE_PREFIXES = ("130", "133", "135", "138", "139", "147", "150", "152", "158", "166", "177", "180", "186",
                    "189", "191", "199")
_CARD_PREFIXES = ("622202", "621700", "622848", "623668", "625965", "456351", "518710", "436742", "955880")
_AREAS = ("010", "021", "022", "023", "0791", "0792", "0755", "0571", "0351")
_NAMES = ("张三", "李四", "王小明", "赵丽", "刘洋", "陈静")


@dataclass(frozen=True)
class Sample:
    text: str
    expected: frozenset  # {(kind, normalised value)}; empty for a decoy
    label: str  # what was planted or which decoy


def _check_char(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def id_number(rng: random.Random) -> str:
    birth = f"{rng.randint(1935, 2012)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = f"{rng.choice(_PROVINCES)}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}{birth}{rng.randint(0, 999):03d}"
    return first17 + _check_char(first17)


def mistyped_id(rng: random.Random) -> str:
    good = id_number(rng)
    return good[:17] + rng.choice([c for c in "0123456789X" if c != good[17]])


def id15(rng: random.Random) -> str:
    return (f"{rng.choice(_PROVINCES)}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
            f"{rng.randint(40, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")


def card(rng: random.Random) -> str:
    prefix = rng.choice(_CARD_PREFIXES)
    # UnionPay debit cards (62…) have 16 or 19 digits, the older 9558… ones 19, Visa and Mastercard 16.
    length = 19 if prefix.startswith("95") or (prefix.startswith("62") and rng.random() < 0.6) else 16
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return next(body + d for d in "0123456789" if personal_data.luhn(body + d))


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in text)


def _grouped(number: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    out, i = [], 0
    for n in sizes:
        out.append(number[i:i + n])
        i += n
    if i < len(number):
        out.append(number[i:])
    return sep.join(out)


def _planted(rng: random.Random) -> Sample:
    name = rng.choice(_NAMES)
    kind = rng.choice(KINDS)
    if kind == ID_NUMBER:
        number = id15(rng) if rng.random() < 0.1 else id_number(rng)
        shown = rng.choice([number, number.lower(), _grouped(number, (6, 8)) if len(number) == 18 else number])
        text = rng.choice([f"申请人{name}，身份证号{shown}。", f"{name},{shown},江州市人民路1号", f"证件号码：{shown}",
                           f"经核查，{shown}的申请材料齐全。", f"{name}（{shown}）"])
        return Sample(text, frozenset({(ID_NUMBER, number.upper())}), "ID number")
    if kind == MISTYPED:
        number = mistyped_id(rng)
        text = rng.choice([f"申请人{name}，身份证号{number}。", f"{name},{number},已受理", f"公民身份号码 {number}"])
        return Sample(text, frozenset({(MISTYPED, number.upper())}), "mistyped ID number")
    if kind == BANK_CARD:
        number = card(rng)
        shown = rng.choice([number, _grouped(number, (4, 4, 4, 4))])
        text = rng.choice([f"补贴发放至{name}的银行卡{shown}。", f"开户行：江州农商银行，账号：{shown}", f"{name},{shown},2000.00",
                           f"卡号 {shown}"])
        return Sample(text, frozenset({(BANK_CARD, number)}), "bank card")
    if kind == MOBILE:
        number = mobile(rng)
        shown = rng.choice([number, _grouped(number, (3, 4), "-"), _grouped(number, (3, 4)), "+86 " + number,
                            "+86-" + _grouped(number, (3, 4), "-"), _fullwidth(number), "0086" + number])
        text = rng.choice([f"联系人：{name}，手机{shown}", f"{name},{shown}", f"如有疑问请联系{shown}（{name}）。",
                           f"报名电话：{shown}"])
        return Sample(text, frozenset({(MOBILE, number)}), "mobile")
    user = rng.choice(["zhangsan", "lisi.2019", "wang_xm", "13807921234", "zhaoli88"])
    domain = rng.choice(["qq.com", "163.com", "126.com", "gmail.com", "sina.com", "foxmail.com"])
    address = f"{user}@{domain}"
    expected = {(EMAIL, address)} | ({(MOBILE, user)} if user.isdigit() else set())  # a mobile as the user name
    return Sample(rng.choice([f"联系人邮箱：{address}", f"{name},{address}", f"请将材料发送至 {address}。"]),
                  frozenset(expected), "e-mail")


def _uscc(rng: random.Random) -> str:
    chars = personal_data._USCC_CHARS
    head = rng.choice("159") + rng.choice("123") + f"{rng.choice(_PROVINCES)}{rng.randint(0, 9999):04d}" + "".join(
        rng.choice(chars) for _ in range(9))
    total = sum(chars.index(c) * w for c, w in zip(head, personal_data._USCC_WEIGHTS))
    return head + chars[(31 - total % 31) % 31]


def _isbn(rng: random.Random) -> str:
    twelve = f"978{rng.randint(0, 999_999_999):09d}"
    return twelve + str((10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(twelve)) % 10) % 10)


def _decoy(rng: random.Random) -> Sample:
    y, m, d = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
    seq = rng.randint(1, 99_999)
    area = rng.choice(_AREAS)
    local = rng.randint(2_000_000, 8_999_999) if len(area) == 4 else rng.randint(20_000_000, 89_999_999)
    choices = {
        "文号": lambda: rng.choice([f"江文旅发〔{y}〕{rng.randint(1, 300)}号", f"赣府办字〔{y}〕{rng.randint(1, 99)}号"]),
        "索引号": lambda: rng.choice([f"索引号：000014349/{y}-{seq:05d}", f"{_uscc(rng)}/{y}-{seq:05d}"]),
        "date": lambda: rng.choice([f"{y}-{m:02d}-{d:02d}", f"{y}{m:02d}{d:02d}", f"{y}年{m}月{d}日",
                                    f"{y}{m:02d}{d:02d}{rng.randint(0, 235959):06d}", f"（{y}—{y + 4}年）"]),
        "hotline": lambda: rng.choice(["12345", "12315", "12318", "12301", "95598", f"400-{rng.randint(100, 999)}-"
                                       f"{rng.randint(1000, 9999)}", f"800{rng.randint(1_000_000, 9_999_999)}"]),
        "landline": lambda: rng.choice([f"{area}-{local}", f"（{area}）{local}", f"{area} {local}",
                                        f"{area}-{local}-{rng.randint(100, 9999)}", f"{area}{local}"]),
        "registration": lambda: rng.choice([
            f"统一社会信用代码：{_uscc(rng)}", f"规范性文件登记号：JZCR-{y}-{seq:05d}",
            f"赣公网安备{rng.randint(10**13, 10**14 - 1)}号", f"赣ICP备{rng.randint(10**7, 10**8 - 1)}号",
            f"网站标识码{rng.randint(10**9, 10**10 - 1)}", f"登记号：{rng.randint(10**17, 10**19 - 1)}",
            f"订单号：{rng.randint(10**15, 10**19 - 1)}", f"流水号{y}{m:02d}{d:02d}{rng.randint(10**9, 10**10 - 1)}",
            f"许可证号：{rng.randint(10**12, 10**17 - 1)}"]),
        "amount": lambda: rng.choice([f"{rng.randint(1, 999)},{rng.randint(0, 999):03d},{rng.randint(0, 999):03d}.00元",
                                      f"{rng.randint(10**6, 10**10)}.{rng.randint(0, 99):02d}元",
                                      f"总投资{rng.randint(10**10, 2 * 10**10 - 1)}元",  # 11 digits from 1: not a mobile
                                      f"累计访问量{rng.randint(13 * 10**9, 19 * 10**9)}人次"]),
        "table row": lambda: f"{seq},{y}-{m:02d}-{d:02d},{rng.randint(10**6, 10**9)},{area}-{local},{rng.randint(1, 999)}",
        "plain number": lambda: rng.choice([f"{y}{m:02d}{d:02d}{rng.randint(100, 999)}",  # date + serial, 11 digits
                                            f"{area}{local}", f"第{rng.randint(10**9, 10**11)}号"]),
        "ISBN": lambda: f"ISBN {_isbn(rng)}",
        "postcode": lambda: f"邮编{rng.randint(100000, 999999)}",
        "gov e-mail": lambda: rng.choice(["wlj@jiangzhou.gov.cn", "xxgk@jx.gov.cn", "banshi@example.gov.cn"]),
    }
    label = rng.choice(sorted(choices))
    return Sample(choices[label](), frozenset(), label)


def corpus(planted: int = 3000, decoys: int = 3000, seed: int = SEED) -> list[Sample]:
    rng = random.Random(seed)
    return [_planted(rng) for _ in range(planted)] + [_decoy(rng) for _ in range(decoys)]


def found(text: str) -> frozenset:
    """What the screen reports in ``text`` (government and example e-mail addresses are not reported)."""
    return frozenset((MISTYPED if f.mistyped else f.kind, f.value) for f in personal_data.find(text)
                     if not (f.kind == EMAIL and personal_data.public_email(f.value)))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def measure(samples: list[Sample]) -> tuple[dict[str, Score], Counter, list[tuple[Sample, frozenset]]]:
    """Scores per kind (and 'all'), false positives per decoy kind, and the samples the screen got wrong."""
    scores = {kind: Score() for kind in (*KINDS, "all")}
    decoy_hits: Counter = Counter()
    wrong = []
    for sample in samples:
        got = found(sample.text)
        for kind, _ in got & sample.expected:
            scores[kind].tp += 1
            scores["all"].tp += 1
        for kind, _ in got - sample.expected:
            scores[kind].fp += 1
            scores["all"].fp += 1
            if not sample.expected:
                decoy_hits[sample.label] += 1
        for kind, _ in sample.expected - got:
            scores[kind].fn += 1
            scores["all"].fn += 1
        if got != sample.expected:
            wrong.append((sample, got))
    return scores, decoy_hits, wrong


def main() -> None:
    samples = corpus()
    planted = sum(1 for s in samples if s.expected)
    scores, decoy_hits, wrong = measure(samples)
    print(f"{len(samples)} texts: {planted} planted numbers, {len(samples) - planted} decoys (seed {SEED})")
    print(f"{'kind':24} {'precision':>9} {'recall':>7} {'TP':>5} {'FP':>4} {'FN':>4}")
    for kind, s in scores.items():
        print(f"{kind:24} {s.precision:9.4f} {s.recall:7.4f} {s.tp:5} {s.fp:4} {s.fn:4}")
    print("decoys reported:", dict(decoy_hits) or "none")
    for sample, got in wrong[:10]:
        print(f"  wrong: {sample.label}: {sample.text!r} → {sorted(got)}")


if __name__ == "__main__":
    main()
