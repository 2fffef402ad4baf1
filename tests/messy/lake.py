"""Write the messy evaluation lake: realistic Japanese business tables from real-world value sources.

Separate from the sample lake (tests/datagen) on purpose: its own value sources (tests/messy/sources.py),
its own phrase templates (tests/messy/phrases.py), its own golden labels (tests/messy/golden.py), so
that tuning against one lake cannot quietly make the other pass.

CLI: ``python -m tests.messy.lake OUT_DIR [--seed N]`` writes the lake (about 9,300 rows in 16 tables:
CSV in UTF-8 and CP932, Parquet, nested JSONL) and prints the dataset names.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tests.messy import phrases as ph
from tests.messy import sources as src
from tests.messy.golden import GOLDEN

Row = dict[str, object]


@dataclass(frozen=True)
class Table:
    dataset: str  # path under the lake root, as the scanner reports it
    rows: list[Row]
    encoding: str = "utf-8"  # CSV only


def _cp932_ok(*values: str) -> bool:
    try:
        for v in values:
            v.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def _person(rng: random.Random, cp932: bool = False) -> src.Person:
    while True:
        p = src.person(rng)
        if not cp932 or _cp932_ok(p.kanji, p.katakana):
            return p


def _date(rng: random.Random, start: int, end: int) -> dt.date:
    first = dt.date(start, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(first, dt.date(end, 12, 31).toordinal()))


def _dob(rng: random.Random) -> str:
    d = _date(rng, 1945, 2006)
    return rng.choice([d.isoformat(), d.strftime("%Y/%m/%d"), d.strftime("%Y/%-m/%-d")])


def _ts(rng: random.Random) -> str:
    d = _date(rng, 2025, 2026)
    return f"{d.isoformat()} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


def _postal(code: str, rng: random.Random) -> str:
    return f"{code[:3]}-{code[3:]}" if rng.random() < 0.85 else code


_FREE_MAIL = ("gmail.com", "yahoo.co.jp", "icloud.com", "outlook.jp", "hotmail.co.jp")
_CARRIER_MAIL = ("docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp")


def _email(p: src.Person, rng: random.Random, carrier_share: float = 0.3) -> str:
    sur, giv = src.hepburn(p.surname_romaji), src.hepburn(p.given_romaji)
    if rng.random() < carrier_share:
        # Old carrier addresses, created before the carriers enforced RFC 5322: doubled or trailing dots.
        local = rng.choice([f"{giv}..{sur}", f"{giv}.", f"{sur}..{rng.randint(1, 99)}", f"{giv}.{sur}."])
        return f"{local}@{rng.choice(_CARRIER_MAIL)}"
    local = rng.choice([f"{giv}.{sur}", f"{sur}{giv[0]}", f"{giv}_{sur}{rng.randint(1, 999)}", f"{sur}.{giv}"])
    return f"{local}@{rng.choice(_FREE_MAIL)}"


def _phone(rng: random.Random, mobile_share: float = 0.8) -> str:
    if rng.random() < mobile_share:
        return src.format_phone(src.mobile_number(rng), rng)
    area, local = src.landline_number(rng)
    return src.format_phone(area + local, rng, area)


def _card(rng: random.Random) -> str:
    """As a legacy EC back-office exports a stored card: four groups of four, single spaces."""
    number = src.card_number(rng)
    return " ".join(number[i:i + 4] for i in range(0, 16, 4))


def _spaced_mobile(rng: random.Random) -> str:
    """A mobile number as a form that normalises input writes it: groups split by spaces, domestic or +81."""
    n = src.mobile_number(rng)
    return f"{n[:3]} {n[3:7]} {n[7:]}" if rng.random() < 0.6 else f"+81 {n[1:3]} {n[3:7]} {n[7:]}"


def _company(rng: random.Random) -> str:
    """A company name as Japanese firms are named: a surname or a place name, an industry word, a legal form."""
    place = re.split("[市区町村郡]", src.address(rng).city)[0]  # 横浜市鶴見区 → 横浜, 上川郡愛別町 → 上川
    stem = src.person(rng).surname if rng.random() < 0.5 or not place else place
    form = rng.choice(ph.LEGAL_FORMS)
    return form.format(x=stem + rng.choice(ph.INDUSTRY_WORDS))


def _sparse(rng: random.Random, share: float, make: Callable[[], object]) -> object:
    return make() if rng.random() < share else None


def _ensure(rows: list[Row], column: str, count: int, make: Callable[[], object], rng: random.Random) -> None:
    """At least ``count`` rows carry a value from ``make`` in ``column`` (prevalence never rounds to zero)."""
    have = sum(1 for r in rows if r.get(column) is not None and r[column] != "")
    for i in rng.sample(range(len(rows)), max(0, count - have)):
        rows[i][column] = make()


# --- tables ------------------------------------------------------------------------------------------


def members(rng: random.Random, n: int = 800) -> Table:
    rows: list[Row] = []
    for i in range(n):
        p, a = _person(rng), src.address(rng)
        block = src.block_number(rng) if rng.random() < 0.6 else ""
        rows.append({
            "会員ID": f"M{10000000 + i * 7 + rng.randint(0, 6):08d}",
            "氏名": p.surname + rng.choice(["", " ", "\u3000"]) + p.given,
            "氏名カナ": p.katakana if rng.random() < 0.7 else p.katakana.replace("\u3000", ""),
            "氏名ローマ字": src.romaji_variant(p, rng),
            "メールアドレス": _email(p, rng),
            "電話番号": _phone(rng),
            "郵便番号": _postal(a.postal_code, rng),
            "住所": a.text + block,
            "生年月日": _dob(rng),
            "性別": {"M": "1", "F": "2"}[p.sex] if rng.random() < 0.97 else rng.choice(["0", "9"]),
            "登録カード番号": _card(rng) if rng.random() < 0.55 else None,
            "会員ランク": rng.choice(["レギュラー", "シルバー", "ゴールド", "プラチナ"]),
            "累計購入額": rng.randint(0, 400) * 100 + rng.choice([0, 80]),
            "登録日": _date(rng, 2015, 2026).isoformat(),
        })
    return Table("ec/members.csv", rows)


def order_remarks(rng: random.Random, n: int = 2000) -> Table:
    carriers = ["ヤマト運輸", "佐川急便", "日本郵便", "西濃運輸", "福山通運"] + [_company(rng) for _ in range(3)]
    carriers = [c for c in carriers if _cp932_ok(c)]

    def name() -> str:
        p = _person(rng, cp932=True)
        return rng.choice([p.kanji, p.surname + " " + p.given, p.surname])

    def remark() -> str:
        roll = rng.random()
        if roll < 0.015:
            return rng.choice(ph.REMARKS_TEL).format(tel=_phone(rng))
        if roll < 0.03:
            return rng.choice(ph.REMARKS_NAME).format(name=name())
        if roll < 0.05:
            return rng.choice(ph.REMARKS_COMPANY).format(company=rng.choice(carriers))
        return rng.choice(ph.REMARKS_PLAIN)

    rows: list[Row] = [{
        "受注番号": f"{2025000000 + i}",
        "受注日時": _ts(rng),
        "商品コード": f"{rng.choice(['KT', 'HM', 'ZX'])}-{rng.randint(1000, 9999)}-{rng.choice(['BK', 'WH', 'NV'])}",
        "数量": rng.choice([1, 1, 1, 2, 2, 3, 5, 10]),
        "受注金額": rng.randint(5, 600) * 100 + rng.choice([0, 50, 80]),
        "配送業者": rng.choice(carriers),
        "備考": remark(),
    } for i in range(n)]
    return Table("sales/order_remarks.csv", rows, encoding="cp932")


def payroll(rng: random.Random, n: int = 400) -> Table:
    rows: list[Row] = []
    for i in range(n):
        p = _person(rng)
        roll = rng.random()
        rows.append({
            "社員番号": f"E{20000 + i:06d}",
            "氏名": p.kanji,
            "所属部署": rng.choice(ph.DEPARTMENTS),
            "個人番号": src.my_number(rng),
            "基本給": rng.randint(200, 600) * 1000,
            # Annual deduction amounts of the income-tax law: 27万 (障害者), 40万 (特別障害者), 75万 (同居特別障害者).
            "障害者控除": 0 if roll < 0.93 else rng.choice([270000, 270000, 400000, 750000]),
            "組合費": rng.choice([2500, 3000, 3500]) if rng.random() < 0.6 else 0,
            "休職事由": _sparse(rng, 0.04, lambda: rng.choice(ph.LEAVE_REASONS)),
            "支給区分": rng.choice(["1", "1", "1", "2"]),
        })
    _ensure(rows, "休職事由", 8, lambda: rng.choice(ph.LEAVE_REASONS), rng)
    return Table("hr/payroll.parquet", rows)


def expenses(rng: random.Random, n: int = 400) -> Table:
    def approver() -> str:
        p = _person(rng, cp932=True)
        return rng.choice(ph.DEPARTMENTS) + p.surname + rng.choice(ph.TITLES)

    approvers = [approver() for _ in range(25)]
    companies = [c for c in (_company(rng) for _ in range(60)) if _cp932_ok(c)]
    rows: list[Row] = []
    for i in range(n):
        p = _person(rng, cp932=True)
        rows.append({
            "申請番号": f"EX-{2026}{i:05d}",
            "申請者": p.surname + " " + p.given,
            "承認者": rng.choice(approvers),
            "勘定科目": rng.choice(ph.ACCOUNT_TITLES),
            "金額": rng.randint(3, 300) * 110,
            "摘要": rng.choice(ph.EXPENSE_SUMMARY).format(
                company=rng.choice(companies), ministry=rng.choice(ph.MINISTRIES), month=rng.randint(1, 12)
            ),
        })
    return Table("hr/expenses.csv", rows, encoding="cp932")


def onboarding(rng: random.Random, n: int = 300) -> Table:
    """Identity documents collected when staff join; foreign staff have a passport and residence card."""
    rows: list[Row] = []
    for i in range(n):
        foreign = rng.random() < 0.35
        american = foreign and rng.random() < 0.25
        licence = src.driver_license_number(rng) if rng.random() < 0.7 else None
        if licence and rng.random() < 0.5:
            licence = f"{licence[:4]} {licence[4:6]} {licence[6:]}"  # 4-2-6, as printed in some forms
        ssn = src.us_ssn(rng) if american else None
        if ssn:
            ssn = rng.choice([f"{ssn[:3]} {ssn[3:5]} {ssn[5:]}", f"{ssn[:3]}.{ssn[3:5]}.{ssn[5:]}", f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}"])
        relative = src.person(rng)
        rows.append({
            "社員番号": f"E{30000 + i:06d}",
            "旅券番号": src.passport_number(rng) if foreign or rng.random() < 0.2 else None,
            "在留カード番号": src.residence_card_number(rng) if foreign else None,
            "運転免許証番号": licence,
            "SSN": ssn,
            "ゆうちょ口座番号": src.yucho_account(rng)[1] if rng.random() < 0.4 else None,
            "配慮事項": _sparse(rng, 0.03, lambda: rng.choice(ph.ACCOMMODATION)),
            "緊急連絡先": f"{rng.choice(ph.EMERGENCY_RELATION)} {relative.surname}{relative.given} {_phone(rng, 0.6)}",
        })
    _ensure(rows, "配慮事項", 6, lambda: rng.choice(ph.ACCOMMODATION), rng)
    _ensure(rows, "SSN", 8, lambda: (lambda s: f"{s[:3]} {s[3:5]} {s[5:]}")(src.us_ssn(rng)), rng)
    return Table("hr/onboarding.parquet", rows)


def zengin_transfer(rng: random.Random, n: int = 500) -> Table:
    rows: list[Row] = []
    for _ in range(n):
        code, _, kana = rng.choice(src.BANKS)
        rows.append({
            "データ区分": "2",
            "銀行コード": code,
            "銀行名": kana,
            "支店コード": f"{rng.randint(1, 999):03d}",
            "預金種目": rng.choice(["1", "1", "1", "2"]),
            "口座番号": src.digits(rng, 7),
            "受取人名": src.zengin_kana(_person(rng, cp932=True)),
            "振込金額": rng.randint(1, 900) * 1000 + rng.choice([0, 500, 270]),
        })
    return Table("bank/zengin_transfer.csv", rows, encoding="cp932")


# JIS X 0410 grid squares and geohashes are computed from points near the centres of large cities.
_CITY_CENTRES = ((35.681, 139.767), (34.702, 135.495), (35.170, 136.881), (43.068, 141.350),
                 (33.590, 130.420), (38.260, 140.882), (34.397, 132.475))
_GEOHASH_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz"


def jis_mesh3(lat: float, lon: float) -> str:
    """The 8-digit third-level (about 1 km) standard grid square of JIS X 0410."""
    p = int(lat * 1.5)
    u = int(lon) - 100
    lat_rest = lat * 1.5 - p
    lon_rest = lon - int(lon)
    q, v = int(lat_rest * 8), int(lon_rest * 8)
    r, w = int((lat_rest * 8 - q) * 10), int((lon_rest * 8 - v) * 10)
    return f"{p:02d}{u:02d}{q}{v}{r}{w}"


def geohash(lat: float, lon: float, length: int) -> str:
    lat_lo, lat_hi, lon_lo, lon_hi = -90.0, 90.0, -180.0, 180.0
    bits, out, even, ch, count = 0, [], True, 0, 0
    while len(out) < length:
        if even:
            mid = (lon_lo + lon_hi) / 2
            bit = lon > mid
            lon_lo, lon_hi = (mid, lon_hi) if bit else (lon_lo, mid)
        else:
            mid = (lat_lo + lat_hi) / 2
            bit = lat > mid
            lat_lo, lat_hi = (mid, lat_hi) if bit else (lat_lo, mid)
        ch = (ch << 1) | int(bit)
        even, count = not even, count + 1
        if count == 5:
            out.append(_GEOHASH_ALPHABET[ch])
            ch, count = 0, 0
        bits += 1
    return "".join(out)


_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SH-53C) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
)


def app_events(rng: random.Random, n: int = 600) -> Table:
    members = [f"M{rng.randint(10000000, 19999999)}" for _ in range(150)]
    rows: list[Row] = []
    for _ in range(n):
        lat0, lon0 = rng.choice(_CITY_CENTRES)
        lat, lon = lat0 + rng.uniform(-0.08, 0.08), lon0 + rng.uniform(-0.1, 0.1)
        rows.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "ts": _ts(rng).replace(" ", "T") + "+09:00",
            "user": {"member_id": rng.choice(members)},
            "device": {
                "ad_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(),
                "ip": f"{rng.choice([126, 133, 153, 180, 202])}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                "ua": rng.choice(_UA),
            },
            "geo": {"mesh": jis_mesh3(lat, lon), "geohash": geohash(lat, lon, 7)},
            "page": {"url": f"https://shop.kotobuki-mart.jp/items/{rng.randint(1000, 9999)}?from={rng.choice(['top', 'search', 'mail'])}"},
            "app": {"version": rng.choice(["4.2.0", "4.2.1", "4.3.0"])},
        })
    return Table("app/events.jsonl", rows)


def _display_name(rng: random.Random) -> str:
    """Names as customers type them into forms: romaji, long katakana foreign names, English first names, kanji."""
    roll = rng.random()
    if roll < 0.3:
        return src.romaji_variant(src.person(rng), rng)
    if roll < 0.5:
        return src.foreign_full_katakana(rng)
    if roll < 0.65:
        return src.foreign_given(rng)[0]
    p = src.person(rng)
    return p.surname + " " + p.given


def inquiries(rng: random.Random, n: int = 400) -> Table:
    rows: list[Row] = []
    for i in range(n):
        p = src.person(rng)
        messages = [{"from": "customer", "text": rng.choice(ph.CHAT_CUSTOMER_PLAIN)},
                    {"from": "agent", "text": rng.choice(ph.CHAT_AGENT)}]
        if rng.random() < 0.12:
            messages.append({"from": "customer", "text": rng.choice(ph.CHAT_CUSTOMER_CONTACT).format(
                tel=_phone(rng), name=p.surname + rng.choice(["", " "]) + p.given, address=src.address(rng).text)})
        rows.append({
            "ticket": {"no": f"INQ-{260000 + i}", "opened": _ts(rng), "channel": rng.choice(["web", "app", "mail"])},
            "customer": {
                "name": _display_name(rng),
                "contact": {"tel": _phone(rng) if rng.random() < 0.7 else None, "mail": _email(p, rng)},
            },
            "messages": messages,
            "product": {"code": f"SKU{rng.randint(100000, 999999)}", "jan": src.jan_code(rng)},
        })
    return Table("support/inquiries.jsonl", rows)


def survey(rng: random.Random, n: int = 1200) -> Table:
    shares = ((ph.SURVEY_BELIEF, 0.02), (ph.SURVEY_LABOR, 0.02), (ph.SURVEY_POLITICAL, 0.015), (ph.SURVEY_HEALTH, 0.03))

    def answer() -> str:
        roll, acc = rng.random(), 0.0
        for pool, share in shares:
            acc += share
            if roll < acc:
                text = rng.choice(pool)
                return text if rng.random() < 0.5 else rng.choice(ph.SURVEY_PLAIN[:-2]) + "。" + text
        return rng.choice(ph.SURVEY_PLAIN)

    rows: list[Row] = [{
        "回答ID": f"R{i:06d}",
        "年代": rng.choice(ph.AGE_BANDS),
        "職業": rng.choice(ph.OCCUPATIONS),
        "居住都道府県": src.address(rng).prefecture,
        "満足度": rng.randint(1, 5),
        "自由回答": answer(),
    } for i in range(n)]
    for pool, _ in shares:  # 1-4 % each, and never fewer than 12 rows
        _ensure_pool(rows, pool, 12, rng)
    return Table("survey/open_answers.csv", rows, encoding="utf-8-sig")


def _ensure_pool(rows: list[Row], pool: Sequence[str], count: int, rng: random.Random) -> None:
    have = sum(1 for r in rows if any(t in str(r["自由回答"]) for t in pool))
    plain = [i for i, r in enumerate(rows) if r["自由回答"] in ph.SURVEY_PLAIN]
    for i in rng.sample(plain, max(0, count - have)):
        rows[i]["自由回答"] = rng.choice(pool)


def checkup(rng: random.Random, n: int = 500) -> Table:
    rows: list[Row] = [{
        "受診者番号": f"{rng.randint(1000000, 9999999)}",
        "受診日": _date(rng, 2026, 2026).isoformat(),
        "年齢": rng.randint(22, 66),
        "総合判定": rng.choice(ph.OVERALL_GRADES),
        "尿検査": _sparse(rng, 0.05, lambda: rng.choice(ph.URINE_FINDINGS)),
        "医師所見": _sparse(rng, 0.04, lambda: rng.choice(ph.DOCTOR_FINDINGS)),
        "事業所コード": rng.choice(["101", "102", "205"]),
    } for _ in range(n)]
    _ensure(rows, "尿検査", 10, lambda: rng.choice(ph.URINE_FINDINGS), rng)
    _ensure(rows, "医師所見", 10, lambda: rng.choice(ph.DOCTOR_FINDINGS), rng)
    return Table("health/checkup.parquet", rows)


def campaign(rng: random.Random, n: int = 600) -> Table:
    rows: list[Row] = []
    for i in range(n):
        p = src.person(rng)
        rows.append({
            "応募番号": f"CP{i + 1:05d}",
            "お名前": _display_name(rng),
            "メール": _email(p, rng, carrier_share=0.6),  # a mobile campaign: mostly carrier mail
            "携帯番号": _spaced_mobile(rng),
            "性別": p.sex if rng.random() < 0.95 else "",
            "当選": rng.choice(["0", "0", "0", "1"]),
            "流入元": rng.choice(["instagram", "x", "line", "web", "店頭POP"]),
        })
    return Table("campaign/entries.csv", rows)


def partners(rng: random.Random, n: int = 250) -> Table:
    def switchboard() -> str:
        roll = rng.random()
        if roll < 0.3:
            return f"0120-{rng.randint(100, 999)}-{rng.randint(100, 999)}"
        if roll < 0.45:
            return f"0570-{rng.randint(100, 999)}-{rng.randint(100, 999)}"
        area, local = src.landline_number(rng)
        return src.format_phone(area + local, rng, area)

    rows: list[Row] = []
    for _ in range(n):
        ministry = rng.random() < 0.08
        rows.append({
            "法人番号": src.corporate_number(rng),
            "取引先名": rng.choice(ph.MINISTRIES) if ministry else _company(rng),
            "代表電話": switchboard(),
            "業種": "官公庁" if ministry else rng.choice(ph.INDUSTRIES[:-1]),
            "取引開始日": _date(rng, 1995, 2026).isoformat(),
        })
    return Table("master/partners.parquet", rows)


def _region(prefecture: str) -> str:
    """The prefecture as product labels name it: 北海道, 東京, 京都, 青森 (the 都/府/県 suffix dropped)."""
    return prefecture if prefecture == "北海道" else prefecture[:-1]


def products(rng: random.Random, n: int = 300) -> Table:
    makers = [_company(rng) for _ in range(20)]
    rows: list[Row] = [{
        "商品コード": src.digits(rng, 12),
        "JANコード": src.jan_code(rng),
        "商品名": _region(src.address(rng).prefecture) + rng.choice(ph.PRODUCT_STEMS),
        "メーカー": rng.choice(makers),
        "標準単価": rng.randint(1, 60) * 100 - rng.choice([0, 2, 20]),
        "税率": rng.choice(["8", "8", "10"]),
    } for _ in range(n)]
    return Table("master/products.csv", rows)


def articles(rng: random.Random, n: int = 120) -> Table:
    rows: list[Row] = []
    for i in range(n):
        head, field, text = ph.ARTICLES[i % len(ph.ARTICLES)]
        _, _, other = rng.choice(ph.ARTICLES)
        rows.append({"項目名": head, "本文": text if rng.random() < 0.6 else text + other, "分類": field})
    return Table("kb/articles.parquet", rows)


def visitors(rng: random.Random, n: int = 900) -> Table:
    area = src.neighbourhood(rng, 30)
    rows: list[Row] = []
    for _ in range(n):
        p, a = src.person(rng), rng.choice(area)
        rows.append({
            "生年月日": _date(rng, 1950, 2005).isoformat(),
            "郵便番号": f"{a.postal_code[:3]}-{a.postal_code[3:]}",  # one export, one format
            "性別": {"M": "男", "F": "女"}[p.sex],
            "来店回数": min(int(rng.expovariate(0.4)) + 1, 30),
        })
    return Table("stats/visitors.csv", rows)


def _token(rng: random.Random, n: int, alphabet: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def env_dump(rng: random.Random, n: int = 160) -> Table:
    def secret() -> tuple[str, str]:
        kind = rng.randrange(5)
        if kind == 0:
            return "DB_PASSWORD", _token(rng, 16) + rng.choice("!#%&")
        if kind == 1:
            return "OPENAI_API_KEY", "sk-" + _token(rng, 48)
        if kind == 2:
            return "SLACK_BOT_TOKEN", f"xoxb-{src.digits(rng, 12)}-{src.digits(rng, 13)}-{_token(rng, 24)}"
        if kind == 3:
            return "AWS_SECRET_ACCESS_KEY", _token(rng, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")
        return "SMTP_PASSWORD", _token(rng, 12)

    def log_line() -> str:
        roll = rng.random()
        if roll < 0.04:
            key, value = secret()
            return rng.choice([f"DEBUG env {key}={value}", f"+ export {key}={value}"])
        if roll < 0.07:
            return f"DEBUG curl -H 'Authorization: Bearer {_token(rng, 36)}.{_token(rng, 20)}' https://api.internal/v1/sync"
        return rng.choice(ph.LOG_PLAIN).format(port=rng.choice([8080, 8443, 9000]))

    rows: list[Row] = []
    for _ in range(n):
        key, value = secret() if rng.random() < 0.35 else rng.choice(ph.SETTING_PLAIN)
        rows.append({
            "ホスト名": f"{rng.choice(['web', 'batch', 'api'])}-{rng.randint(1, 6):02d}",
            "設定キー": key, "設定値": value, "実行ログ": log_line(),
        })
    return Table("it/env_dump.csv", rows)


BUILDERS: tuple[Callable[[random.Random], Table], ...] = (
    members, order_remarks, payroll, expenses, onboarding, zengin_transfer, app_events, inquiries, survey, checkup,
    campaign, partners, products, articles, visitors, env_dump,
)


# --- writing -------------------------------------------------------------------------------------------


def _flat_columns(row: Row, prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, value in row.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.extend(_flat_columns(value, path))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.extend(f"{path}[].{k}" for k in value[0])
        else:
            out.append(path)
    return out


def write_table(root: Path, table: Table) -> None:
    path = root / table.dataset
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix == ".csv":
        columns = list(table.rows[0])
        with tmp.open("w", encoding=table.encoding, newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n" if table.encoding == "cp932" else "\n")
            writer.writerow(columns)
            for row in table.rows:
                writer.writerow(["" if row[c] is None else row[c] for c in columns])
    elif path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(table.rows), tmp)
    else:
        with tmp.open("w", encoding="utf-8") as handle:
            for row in table.rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def build(seed: int = 0) -> list[Table]:
    tables: list[Table] = []
    for builder in BUILDERS:
        table = builder(random.Random(f"{seed}:{builder.__name__}"))  # adding a table changes no other
        if set(_flat_columns(table.rows[0])) != set(GOLDEN[table.dataset]):
            raise AssertionError(f"{table.dataset}: columns differ from the golden labels")
        tables.append(table)
    return tables


def write_lake(root: Path, seed: int = 0) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    tables = build(seed)
    for table in tables:
        write_table(root, table)
    return [t.dataset for t in tables]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.messy.lake", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for name in write_lake(args.out, args.seed):
        print(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
