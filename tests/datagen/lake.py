"""A small, seeded, realistic data lake of Japanese and English business data for testing piiscan.

``generate_lake(out_dir, seed, rows)`` writes the same bytes for the same arguments (one
``random.Random`` per table, seeded with a string, so tables do not shift when another changes).
Every person is fictional and built from the hand-written lists in ``tests.datagen.vocab``.
Identifiers are valid where real ones would be (My Number, card Luhn, corporate number, JAN,
licence and insurer check digits), so the recognizers' check digits are really exercised; the
12-digit ``product_code`` columns deliberately FAIL the My Number check digit (decoys).

CLI: ``python -m tests.datagen.lake OUT_DIR [--seed N] [--rows N]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tests.datagen import vocab

# A fixed "today" keeps ages, registration dates and log timestamps reproducible.
TODAY = date(2026, 11, 25)
QI_ROWS_MIN = 2000
K_ANONYMITY = 5

Columns = dict[str, list[Any]]


# ---------------------------------------------------------------- check digits (pure functions)


def mynumber_check_digit(first11: str) -> int:
    """My Number (個人番号) check digit over the first 11 digits (総務省令 第5条)."""
    total = sum(int(first11[-n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def corporate_check_digit(base12: str) -> int:
    """Corporate number (法人番号) leading check digit over the 12-digit base (財務省令 第2条)."""
    return 9 - sum(int(base12[-n]) * (1 if n % 2 else 2) for n in range(1, 13)) % 9


def license_check_digit(first10: str) -> int:
    """Driver's licence check digit (the widely published, unofficial rule)."""
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    return (11 - sum(int(d) * w for d, w in zip(first10, weights, strict=True)) % 11) % 10


def luhn_valid(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def luhn_check_digit(payload: str) -> int:
    """The digit that makes ``payload + digit`` pass Luhn."""
    return next(d for d in range(10) if luhn_valid(f"{payload}{d}"))


def gs1_check_digit(first12: str) -> int:
    """JAN-13 / EAN-13 check digit (weights 1,3 from the left)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


# ---------------------------------------------------------------- small value builders


_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
_ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
)


def full_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def to_era(day: date) -> str:
    """``date(1985, 12, 24)`` → ``昭和60年12月24日`` (元年 for the first year)."""
    for start, name in _ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    raise ValueError("date before the 大正 era")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _pick_indices(rng: random.Random, rows: int, share: float, minimum: int = 0) -> set[int]:
    count = min(rows, max(minimum, round(rows * share)))
    return set(rng.sample(range(rows), count))


def my_number(rng: random.Random) -> str:
    first11 = str(rng.randint(1, 9)) + _digits(rng, 10)
    return f"{first11}{mynumber_check_digit(first11)}"


def decoy_product_code(rng: random.Random) -> str:
    """12 digits shaped like a My Number whose check digit is wrong on purpose."""
    first11 = str(rng.randint(1, 9)) + _digits(rng, 10)
    wrong = (mynumber_check_digit(first11) + rng.randint(1, 9)) % 10
    return f"{first11}{wrong}"


def card_number(rng: random.Random) -> str:
    if rng.random() < 0.5:
        payload = "4" + _digits(rng, 14)  # Visa
    else:
        payload = str(rng.randint(3528, 3589)) + _digits(rng, 11)  # JCB
    number = f"{payload}{luhn_check_digit(payload)}"
    style = rng.random()
    groups = [number[i : i + 4] for i in range(0, 16, 4)]
    if style < 0.5:
        return number
    if style < 0.8:
        return " ".join(groups)
    return "-".join(groups)


def jan_code(company_prefix: str, item: int) -> str:
    first12 = f"{company_prefix}{item:05d}"[:12]
    return f"{first12}{gs1_check_digit(first12)}"


def corporate_number(rng: random.Random) -> str:
    # 会社法人等番号: 登記所コード (4) + 種別 (2, 01 = 株式会社) + serial (6)
    base12 = rng.choice(("0104", "0110", "0111", "1200", "1300", "3200", "4000", "5000")) + "01" + _digits(rng, 6)
    return f"{corporate_check_digit(base12)}{base12}"


def driver_license(rng: random.Random) -> str:
    commission = rng.choice(("10", "20", "30", "45", "46", "50", "54", "60", "62", "63", "70", "80", "90", "91"))
    first10 = commission + f"{rng.randint(0, 99):02d}" + _digits(rng, 6)
    reissue = rng.choice((0, 0, 0, 0, 1, 2))
    return f"{first10}{license_check_digit(first10)}{reissue}"


def insurer_number(rng: random.Random) -> str:
    payload = rng.choice(("01", "06", "31", "32", "33", "34", "39")) + f"{rng.randint(1, 47):02d}" + _digits(rng, 3)
    return f"{payload}{luhn_check_digit(payload)}"


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# ---------------------------------------------------------------- people


@dataclass(frozen=True)
class Person:
    surname: str
    surname_kana: str
    given: str
    given_kana: str
    gender: str  # "M" / "F"
    birth: date
    home: vocab.Municipality

    @property
    def age(self) -> int:
        return TODAY.year - self.birth.year - ((TODAY.month, TODAY.day) < (self.birth.month, self.birth.day))

    @property
    def romaji_surname(self) -> str:
        return vocab.romaji(self.surname_kana)

    @property
    def romaji_given(self) -> str:
        return vocab.romaji(self.given_kana)


def make_person(rng: random.Random, min_age: int = 18, max_age: int = 85) -> Person:
    surname, surname_kana = rng.choice(vocab.SURNAMES)
    given, given_kana, gender = rng.choice(vocab.GIVEN_NAMES)
    age_days = rng.randint(min_age * 365 + 1, max_age * 365 + 300)
    return Person(
        surname=surname,
        surname_kana=surname_kana,
        given=given,
        given_kana=given_kana,
        gender=gender,
        birth=TODAY - timedelta(days=age_days),
        home=rng.choice(vocab.MUNICIPALITIES),
    )


def full_name(rng: random.Random, p: Person) -> str:
    separator = rng.choices((" ", "\u3000", ""), weights=(7, 2, 1))[0]
    return f"{p.surname}{separator}{p.given}"


def kana_name(p: Person) -> str:
    return f"{p.surname_kana} {p.given_kana}"


def postal_code(rng: random.Random, m: vocab.Municipality, hyphen: bool = True) -> str:
    rest = f"{rng.randint(0, 99) * 100 + rng.choice((0, 1, 2, 3, 4, 11, 12, 21, 22, 31, 41, 51, 61, 71)):04d}"
    return f"{m.postal_prefix}-{rest}" if hyphen else f"{m.postal_prefix}{rest}"


def address(rng: random.Random, m: vocab.Municipality) -> str:
    town = rng.choice(m.towns)
    chome, ban, go = rng.randint(1, 5), rng.randint(1, 30), rng.randint(1, 20)
    if rng.random() < 0.5:
        block = f"{chome}丁目{ban}番{go}号"
    elif rng.random() < 0.5:
        block = f"{chome}丁目{ban}-{go}"
    else:
        block = f"{chome}-{ban}-{go}"
    if rng.random() < 0.25:
        block = full_width(block)
    text = f"{m.prefecture}{m.city}{town}{block}"
    if rng.random() < 0.35:
        room = f"{rng.randint(1, 12)}{rng.randint(1, 9):02d}号室"
        text += f"{rng.choice((' ', '　', ''))}{rng.choice(vocab.BUILDING_NAMES)}{room}"
    return text


def _phone_groups(rng: random.Random, m: vocab.Municipality, mobile_share: float) -> tuple[str, str, str]:
    if rng.random() < mobile_share:
        return rng.choice(("090", "080", "070")), f"{rng.randint(1000, 9999)}", _digits(rng, 4)
    exchange_len = 6 - len(m.area_code)  # 03-XXXX, 045-XXX, 0466-XX: ten digits in all
    exchange = str(rng.randint(2, 9)) + _digits(rng, exchange_len - 1)
    return m.area_code, exchange, _digits(rng, 4)


def jp_phone(rng: random.Random, m: vocab.Municipality, mobile_share: float = 0.6) -> str:
    a, b, c = _phone_groups(rng, m, mobile_share)
    style = rng.random()
    if style < 0.5:
        return f"{a}-{b}-{c}"
    if style < 0.65:
        return f"{a}{b}{c}"
    if style < 0.75:
        return f"{a}({b}){c}"
    if style < 0.87:
        return full_width(f"{a}-{b}-{c}").replace("－", rng.choice(("－", "ー")))
    if style < 0.93:
        return f"+81-{a[1:]}-{b}-{c}"
    return f"{a} {b} {c}"


_EMAIL_DOMAINS = ("example.com", "example.co.jp", "example.ne.jp", "example.jp", "mail.example.org", "example.net")


def email(rng: random.Random, p: Person) -> str:
    s, g = p.romaji_surname, p.romaji_given
    style = rng.randrange(5)
    if style == 0:
        local = f"{g}.{s}"
    elif style == 1:
        local = f"{s}{g[0]}{p.birth.year % 100:02d}"
    elif style == 2:
        local = f"{g}_{s}{rng.randint(1, 99)}"
    elif style == 3:
        local = f"{s}.{g}"
    else:
        local = f"{g[:3]}{s}{p.birth.month:02d}{p.birth.day:02d}"
    return f"{local}@{rng.choice(_EMAIL_DOMAINS)}"


def birth_date(rng: random.Random, p: Person) -> str:
    d = p.birth
    style = rng.random()
    if style < 0.4:
        return d.isoformat()
    if style < 0.7:
        return to_era(d)
    if style < 0.85:
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    return f"{d.year}年{d.month}月{d.day}日"


def gender_label(rng: random.Random, p: Person) -> str:
    if rng.random() < 0.85:
        return "男性" if p.gender == "M" else "女性"
    return "男" if p.gender == "M" else "女"


def age_band(age: int) -> str:
    return "20代以下" if age < 30 else "70代以上" if age >= 70 else f"{age // 10 * 10}代"


def _recent_day(rng: random.Random, days_back: int) -> date:
    return TODAY - timedelta(days=rng.randint(1, days_back))


def _timestamp(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day) + timedelta(seconds=rng.randint(0, 86399))


# ---------------------------------------------------------------- tables


def _customers(rng: random.Random, rows: int) -> Columns:
    cols: Columns = {k: [] for k in (
        "顧客ID", "氏名", "フリガナ", "郵便番号", "住所", "電話番号", "メールアドレス",
        "生年月日", "性別", "会員番号", "登録日", "ポイント残高",
    )}
    for i in range(rows):
        p = make_person(rng)
        cols["顧客ID"].append(f"C{i + 1:06d}")
        cols["氏名"].append(full_name(rng, p))
        cols["フリガナ"].append(kana_name(p))
        cols["郵便番号"].append(postal_code(rng, p.home))
        cols["住所"].append(address(rng, p.home))
        cols["電話番号"].append(jp_phone(rng, p.home))
        cols["メールアドレス"].append(email(rng, p))
        cols["生年月日"].append(birth_date(rng, p))
        cols["性別"].append(gender_label(rng, p))
        cols["会員番号"].append(f"M{rng.randint(10_000_000, 99_999_999)}")
        cols["登録日"].append(_recent_day(rng, 900).isoformat())
        cols["ポイント残高"].append(rng.choice((0, 0, rng.randint(1, 500), rng.randint(500, 30000))))
    return cols


def _employees(rng: random.Random, rows: int) -> Columns:
    cols: Columns = {k: [] for k in (
        "社員番号", "氏名", "マイナンバー", "基礎年金番号", "年齢", "役職", "部署", "健康診断結果", "労働組合", "入社日",
    )}
    for i in range(rows):
        p = make_person(rng, 22, 64)
        hired = TODAY - timedelta(days=rng.randint(30, max(31, (p.age - 22) * 365)))
        cols["社員番号"].append(f"E{i + 10001:05d}")
        cols["氏名"].append(full_name(rng, p))
        cols["マイナンバー"].append(my_number(rng))
        cols["基礎年金番号"].append(f"{rng.randint(1000, 9999)}-{_digits(rng, 6)}")
        cols["年齢"].append(p.age)
        # Titles rise with age, so a 25-year-old 部長 does not make the data look fake.
        cols["役職"].append(rng.choice(vocab.JOB_TITLES[: 3 + (p.age - 22) // 4]))
        cols["部署"].append(rng.choice(vocab.DEPARTMENTS))
        cols["健康診断結果"].append(rng.choice(vocab.HEALTH_CHECK_RESULTS))
        cols["労働組合"].append(rng.choice(vocab.LABOR_UNION_VALUES))
        cols["入社日"].append(hired.isoformat())
    return cols


_MAKER_PREFIXES = ("4901234", "4902102", "4903301", "4904512", "4905833", "4909411", "4512345", "4549871",
                   "4571122", "4580001", "4560103", "4527777")


def _orders(rng: random.Random, rows: int) -> Columns:
    cols: Columns = {k: [] for k in (
        "order_id", "member_id", "product_code", "jan_code", "unit_price", "quantity", "card_number", "ordered_at",
    )}
    for i in range(rows):
        cols["order_id"].append(f"ORD-2026-{i + 1:06d}")
        cols["member_id"].append(f"M{rng.randint(10_000_000, 99_999_999)}")
        cols["product_code"].append(decoy_product_code(rng))
        cols["jan_code"].append(jan_code(rng.choice(_MAKER_PREFIXES), rng.randint(1, 400)))
        cols["unit_price"].append(rng.choice((198, 298, 398, 480, 980, 1280, 1980, 2980, 4980)))
        cols["quantity"].append(rng.choices((1, 2, 3, 4, 5, 10), weights=(50, 20, 10, 5, 5, 2))[0])
        cols["card_number"].append(card_number(rng))
        cols["ordered_at"].append(_timestamp(rng, _recent_day(rng, 120)).isoformat(sep=" "))
    return cols


_JP_ISP_FIRST_OCTETS = (27, 49, 60, 61, 106, 111, 114, 118, 119, 124, 126, 133, 153, 180, 182, 210, 219, 220, 221)
_MAC_OUIS = ("00:1a:2b", "3c:22:fb", "a4:83:e7", "f0:18:98", "00:25:9c", "b8:27:eb", "dc:a6:32", "70:3a:cb")


def ip_address(rng: random.Random, v6_share: float = 0.12) -> str:
    if rng.random() < v6_share:
        head = rng.choice(("2400:4050", "240b:10", "2409:10", "2001:268"))
        groups = [f"{rng.getrandbits(16):x}" for _ in range(6)]
        if rng.random() < 0.4:
            return f"{head}:{groups[0]}:{groups[1]}::{groups[5]}"
        return f"{head}:{':'.join(groups)}"
    return ".".join(str(o) for o in (rng.choice(_JP_ISP_FIRST_OCTETS), rng.randint(0, 255),
                                       rng.randint(0, 255), rng.randint(1, 254)))


def _weblog_rows(rng: random.Random, day: date, rows: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for _ in range(rows):
        ua = rng.choice(vocab.USER_AGENTS)
        if "iPhone" in ua or "iPad" in ua:
            # iOS without tracking consent reports an all-zero IDFA.
            device: str | None = (
                "00000000-0000-0000-0000-000000000000" if rng.random() < 0.1 else _uuid(rng).upper()
            )
        elif "Android" in ua:
            device = _uuid(rng)
        else:
            device = None
        path = rng.choice(vocab.URL_PATHS).format(
            code=jan_code(rng.choice(_MAKER_PREFIXES), rng.randint(1, 400)),
            query=rng.choice(vocab.SEARCH_QUERIES),
            page=rng.randint(1, 9),
        )
        city = rng.choice(vocab.MUNICIPALITIES)
        status = 200 if rng.random() < 0.9 else 404
        ts = _timestamp(rng, day)
        out.append({
            "ts": ts.isoformat() + "+09:00",
            "client_ip": ip_address(rng),
            "user_agent": ua,
            "url": f"https://shop.example.co.jp{path}",
            "cookie_id": f"GA1.2.{rng.randint(100_000_000, 2_099_999_999)}.{rng.randint(1_640_000_000, 1_790_000_000)}",
            "device_id": device,
            "latitude": round(city.lat + rng.gauss(0, 0.03), 6),
            "longitude": round(city.lon + rng.gauss(0, 0.03), 6),
            "status": status,
            "bytes": rng.randint(2_000, 250_000) if status == 200 else rng.randint(300, 1_200),
        })
    out.sort(key=lambda r: str(r["ts"]))
    return out


def _export_c(rng: random.Random, rows: int) -> Columns:
    cols: Columns = {f"c{i}": [] for i in range(1, 10)}
    for _ in range(rows):
        p = make_person(rng)
        number = my_number(rng)
        cols["c1"].append(full_name(rng, p))
        cols["c2"].append(email(rng, p))
        cols["c3"].append(jp_phone(rng, p.home))
        cols["c4"].append(number if rng.random() < 0.8 else f"{number[:4]}-{number[4:8]}-{number[8:]}")
        cols["c5"].append(card_number(rng))
        cols["c6"].append(decoy_product_code(rng))
        cols["c7"].append(rng.choice((108, 216, 540, 1080, 3240, 5400, 10800)))
        cols["c8"].append(rng.randint(0, 250))
        cols["c9"].append(rng.choice((10, 20, 20, 30, 90)))
    return cols


@dataclass(frozen=True)
class Maker:
    name: str
    corporate_number: str
    jan_prefix: str
    contact: str


def _makers(rng: random.Random) -> list[Maker]:
    makers = []
    for i, name in enumerate(vocab.MAKERS):
        if i % 3 == 2:  # a head-office fixed line instead of a toll-free number
            area = rng.choice(("03", "06", "052"))
            exchange = rng.randint(2000, 9999) if len(area) == 2 else rng.randint(200, 999)
            contact = f"{area}-{exchange}-{_digits(rng, 4)}"
        else:
            contact = f"0120-{rng.randint(100, 999)}-{_digits(rng, 3)}"
        makers.append(Maker(name, corporate_number(rng), _MAKER_PREFIXES[i], contact))
    return makers


def _products(rng: random.Random, rows: int) -> Columns:
    makers = _makers(rng)
    cols: Columns = {k: [] for k in ("商品名", "JANコード", "メーカー法人番号", "メーカー問い合わせ先", "価格", "在庫数")}
    for i in range(rows):
        maker = makers[i % len(makers)] if i < len(makers) else rng.choice(makers)
        cols["商品名"].append(rng.choice(vocab.PRODUCTS) + rng.choice(vocab.PRODUCT_SIZES))
        cols["JANコード"].append(jan_code(maker.jan_prefix, i + 1))
        cols["メーカー法人番号"].append(maker.corporate_number)
        cols["メーカー問い合わせ先"].append(maker.contact)
        cols["価格"].append(rng.choice((128, 198, 258, 398, 498, 680, 980, 1280, 2480)))
        cols["在庫数"].append(rng.randint(0, 1200))
    return cols


def _survey_rows(rng: random.Random, rows: int) -> list[dict[str, Any]]:
    health = _pick_indices(rng, rows, 0.15, minimum=3)
    religion = _pick_indices(rng, rows, 0.05, minimum=3) - health
    out: list[dict[str, Any]] = []
    for i in range(rows):
        p = make_person(rng)
        if i in health:
            comment = rng.choice(vocab.SURVEY_HEALTH)
        elif i in religion:
            comment = rng.choice(vocab.SURVEY_RELIGION)
        else:
            comment = rng.choice(vocab.SURVEY_NEUTRAL)
        out.append({
            "response_id": f"R{i + 1:06d}",
            "年代": age_band(p.age),
            "性別": rng.choice(("男性", "女性", "女性", "男性", "回答しない")),
            "都道府県": p.home.prefecture,
            "自由記述": comment,
            "satisfaction": rng.choices((1, 2, 3, 4, 5), weights=(5, 10, 30, 35, 20))[0],
        })
    return out


def _ticket_body(rng: random.Random, p: Person) -> str:
    name = p.surname if rng.random() < 0.7 else f"{p.surname}{p.given}"
    phone = jp_phone(rng, p.home, mobile_share=0.7).replace(" ", "-")  # staff type numbers without spaces
    mail = email(rng, p)
    templates: Sequence[str] = (
        f"{name}様より{phone}へ折り返し希望。",
        f"{name}様から返品の依頼。連絡先は{mail}とのこと。",
        f"{name}様より配送状況の問い合わせ。{phone}まで連絡してほしいとのこと。",
        f"お客様（{name}様）から請求金額の問い合わせ。{mail}宛に回答済み。",
        f"{name}様からお電話あり。午後に{phone}へ再度連絡する。",
        f"{mail}より問い合わせ。{name}様の注文内容を確認中。",
    )
    return rng.choice(templates)


def _tickets(rng: random.Random, rows: int) -> Columns:
    personal = _pick_indices(rng, rows, 0.4, minimum=1)
    cols: Columns = {k: [] for k in ("ticket_id", "件名", "本文", "status", "created_at")}
    for i in range(rows):
        cols["ticket_id"].append(f"T-{i + 1:06d}")
        cols["件名"].append(rng.choice(vocab.TICKET_SUBJECTS))
        cols["本文"].append(_ticket_body(rng, make_person(rng)) if i in personal else rng.choice(vocab.TICKET_NEUTRAL))
        cols["status"].append(rng.choice(vocab.TICKET_STATUSES))
        cols["created_at"].append(_timestamp(rng, _recent_day(rng, 60)).isoformat(sep=" "))
    return cols


def us_ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _contacts(rng: random.Random, rows: int) -> Columns:
    cols: Columns = {k: [] for k in (
        "full_name", "email", "phone", "street_address", "ssn", "company", "signup_date",
    )}
    for _ in range(rows):
        first, last = rng.choice(vocab.EN_FIRST_NAMES), rng.choice(vocab.EN_LAST_NAMES)
        city, state, zip_prefix, area = rng.choice(vocab.EN_CITIES)
        line = f"555-{rng.randint(100, 199):04d}"
        phone = rng.choice((f"({area}) {line}", f"+1 {area}-{line}", f"{area}-{line}",
                            f"{area}.{line.replace('-', '.')}", f"+1 ({area}) {line}"))
        street = f"{rng.randint(1, 9999)} {rng.choice(vocab.EN_STREETS)}"
        if rng.random() < 0.2:
            street += f" Apt {rng.randint(1, 30)}{rng.choice('ABCD')}"
        ssn = us_ssn(rng)
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randint(1, 99)}")).lower()
        cols["full_name"].append(f"{first} {last}")
        cols["email"].append(f"{local.replace(chr(39), '')}@{rng.choice(('example.com', 'example.org', 'example.net'))}")
        cols["phone"].append(phone)
        cols["street_address"].append(f"{street}, {city}, {state} {zip_prefix}{rng.randint(1, 99):02d}")
        cols["ssn"].append(ssn if rng.random() < 0.85 else ssn.replace("-", ""))
        cols["company"].append(rng.choice(vocab.EN_COMPANIES))
        cols["signup_date"].append(_recent_day(rng, 700).isoformat())
    return cols


_BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _users(rng: random.Random, rows: int) -> Columns:
    cols: Columns = {k: [] for k in ("login_id", "password_hash", "email", "last_login_ip", "mac_address", "created_at")}
    for _ in range(rows):
        p = make_person(rng)
        s, g = p.romaji_surname, p.romaji_given
        login = rng.choice((f"{s}{g[0]}{rng.randint(1, 99)}", f"{g}.{s[:3]}", f"user{rng.randint(100000, 999999)}"))
        mac = rng.choice(_MAC_OUIS) + "".join(f":{rng.randint(0, 255):02x}" for _ in range(3))
        if rng.random() < 0.3:
            mac = mac.upper().replace(":", "-")
        cols["login_id"].append(login)
        cols["password_hash"].append("$2b$12$" + "".join(rng.choice(_BCRYPT_ALPHABET) for _ in range(53)))
        cols["email"].append(email(rng, p))
        cols["last_login_ip"].append(ip_address(rng, v6_share=0.2))
        cols["mac_address"].append(mac)
        cols["created_at"].append(_timestamp(rng, _recent_day(rng, 1500)).isoformat() + "Z")
    return cols


# The partner serves four prefectures only; that keeps the generalised table's classes large.
_QI_MUNICIPALITIES = tuple(m for m in vocab.MUNICIPALITIES if m.prefecture in ("東京都", "神奈川県", "大阪府", "愛知県"))


def _purchase_band(amount: int) -> str:
    return "1万円未満" if amount < 10_000 else "1万円以上5万円未満" if amount < 50_000 else "5万円以上"


def _qi_exports(rng: random.Random, rows: int) -> tuple[Columns, Columns]:
    """The raw export (exact values) and the same people generalised, with classes below k suppressed."""
    n = max(QI_ROWS_MIN, rows)
    raw: Columns = {k: [] for k in ("年齢", "郵便番号", "職業", "性別", "購入金額")}
    prefectures: list[str] = []
    for _ in range(n):
        p = make_person(rng, 18, 90)
        m = rng.choice(_QI_MUNICIPALITIES)
        raw["年齢"].append(p.age)
        raw["郵便番号"].append(postal_code(rng, m, hyphen=False))
        raw["職業"].append(rng.choice(vocab.OCCUPATIONS))
        raw["性別"].append("男性" if p.gender == "M" else "女性")
        raw["購入金額"].append(int(rng.lognormvariate(9.3, 0.9)))
        prefectures.append(m.prefecture)
    keys = [
        (age_band(age), pref, sex, _purchase_band(amount))
        for age, pref, sex, amount in zip(raw["年齢"], prefectures, raw["性別"], raw["購入金額"], strict=True)
    ]
    sizes = Counter(keys)
    general: Columns = {k: [] for k in ("年代", "都道府県", "性別", "購入金額帯")}
    for key in keys:
        if sizes[key] >= K_ANONYMITY:  # suppress the rare combinations, as a real release would
            for column, value in zip(general, key, strict=True):
                general[column].append(value)
    return raw, general


def _identity_docs(rng: random.Random, rows: int) -> Columns:
    cols: Columns = {k: [] for k in ("旅券番号", "運転免許証番号", "在留カード番号", "保険者番号", "備考")}
    notes = ("", "", "", "本人確認済み", "更新手続き中", "再発行", "写しを保管", "有効期限切れのため再提出依頼")
    for _ in range(rows):
        cols["旅券番号"].append(rng.choice(("TR", "TK", "TZ", "MU", "MZ", "TS", "RH")) + _digits(rng, 7))
        cols["運転免許証番号"].append(driver_license(rng))
        cols["在留カード番号"].append(_letters(rng, 2) + _digits(rng, 8) + _letters(rng, 2))
        cols["保険者番号"].append(insurer_number(rng))
        cols["備考"].append(rng.choice(notes))
    return cols


def _daily_kpi(rng: random.Random, rows: int) -> Columns:
    cols: Columns = {k: [] for k in ("date", "pageviews", "sessions", "conversion_rate", "revenue")}
    start = date(2026, 1, 1)
    for i in range(rows):
        pageviews = rng.randint(8_000, 60_000)
        sessions = int(pageviews / rng.uniform(2.5, 4.5))
        rate = round(rng.uniform(0.008, 0.035), 4)
        cols["date"].append((start + timedelta(days=i)).isoformat())
        cols["pageviews"].append(pageviews)
        cols["sessions"].append(sessions)
        cols["conversion_rate"].append(rate)
        cols["revenue"].append(int(sessions * rate * rng.uniform(2500, 6000)))
    return cols


# ---------------------------------------------------------------- writers


def _write_parquet(path: Path, cols: Columns) -> None:
    pq.write_table(pa.table(cols), path, compression="snappy")


def _write_csv(path: Path, cols: Columns, encoding: str = "utf-8", line_end: str = "\n") -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(list(cols))
    writer.writerows(zip(*cols.values(), strict=True))
    # Strict encoding: a character cp932 cannot hold is a generator bug, not something to hide.
    path.write_bytes(buffer.getvalue().encode(encoding))


def _write_jsonl(path: Path, records: Sequence[dict[str, Any]]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    path.write_bytes(text.encode("utf-8"))


def dataset_name(path: Path, root: Path) -> str:
    """How the scanner names a file's dataset: a hive-partitioned file by the folder above ``key=value``."""
    parts = path.relative_to(root).parts
    for i, part in enumerate(parts):
        if "=" in part:
            return "/".join(parts[:i])
    return "/".join(parts)


def generate_lake(out_dir: Path, seed: int = 7, rows: int = 300) -> list[Path]:
    """Write the lake under ``out_dir`` and return the files written, sorted."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    out_dir = Path(out_dir)

    def rng(name: str) -> random.Random:
        return random.Random(f"piiscan-lake/{seed}/{name}")

    raw, general = _qi_exports(rng("partner/qi"), rows)
    half = max(1, rows // 2)
    writers: dict[str, Callable[[Path], None]] = {
        "crm/customers.parquet": lambda p: _write_parquet(p, _customers(rng("crm"), rows)),
        "hr/employees.csv": lambda p: _write_csv(p, _employees(rng("hr"), rows), "cp932", "\r\n"),
        "sales/orders.csv": lambda p: _write_csv(p, _orders(rng("sales"), rows)),
        "weblogs/dt=2026-11-01/part-0.jsonl": lambda p: _write_jsonl(
            p, _weblog_rows(rng("weblogs/1"), date(2026, 11, 1), half)),
        "weblogs/dt=2026-11-02/part-0.jsonl": lambda p: _write_jsonl(
            p, _weblog_rows(rng("weblogs/2"), date(2026, 11, 2), half)),
        "partner/export_c.parquet": lambda p: _write_parquet(p, _export_c(rng("partner/c"), rows)),
        "catalog/products.csv": lambda p: _write_csv(p, _products(rng("catalog"), rows)),
        "survey/responses.jsonl": lambda p: _write_jsonl(p, _survey_rows(rng("survey"), rows)),
        "support/tickets.csv": lambda p: _write_csv(p, _tickets(rng("support"), rows), "utf-8-sig"),
        "en/contacts.csv": lambda p: _write_csv(p, _contacts(rng("en"), rows)),
        "accounts/users.parquet": lambda p: _write_parquet(p, _users(rng("accounts"), rows)),
        "partner/raw_export.parquet": lambda p: _write_parquet(p, raw),
        "partner/generalised_export.parquet": lambda p: _write_parquet(p, general),
        "ids/identity_docs.csv": lambda p: _write_csv(p, _identity_docs(rng("ids"), rows), "cp932", "\r\n"),
        "metrics/daily_kpi.csv": lambda p: _write_csv(p, _daily_kpi(rng("metrics"), rows)),
    }
    written: list[Path] = []
    for relative, write in writers.items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
        written.append(path)
    return sorted(written)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.datagen.lake",
        description="Write a small seeded sample data lake (fictional Japanese/English business data).",
    )
    parser.add_argument("out_dir", type=Path, help="folder to write the lake into (created if missing)")
    parser.add_argument("--seed", type=int, default=7, help="random seed; the same seed gives identical files")
    parser.add_argument("--rows", type=int, default=300, help="rows per table (the QI export has at least 2000)")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    files = generate_lake(args.out_dir, seed=args.seed, rows=args.rows)
    print(f"wrote {len(files)} files under {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
