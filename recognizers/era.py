"""Pure parser for Japanese and Gregorian dates: era names (昭和60年1月1日, H1.1.8, ㍼60.1.1), 元年,
kanji numerals, and 1985-12-24 / 1985/12/24 / 1985年12月24日 / 19851224.

Era boundaries follow the notes (japan.md §1): the first day of 大正 and 昭和 belongs to both the old
and the new era; 昭和 and 平成 do not overlap (昭和64年1月7日 is the last day of 昭和).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

import regex as re


@dataclass(frozen=True)
class Era:
    """One Japanese era: its name, letter, first and last Gregorian day (``last`` None while current)."""

    name: str
    letter: str
    first: dt.date
    last: dt.date | None


ERAS: tuple[Era, ...] = (
    Era("明治", "M", dt.date(1868, 1, 25), dt.date(1912, 7, 30)),
    Era("大正", "T", dt.date(1912, 7, 30), dt.date(1926, 12, 25)),
    Era("昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("令和", "R", dt.date(2019, 5, 1), None),
)

_ERA_BY_KEY: dict[str, Era] = {}
for _era in ERAS:
    _ERA_BY_KEY[_era.name] = _era
    _ERA_BY_KEY[_era.name[0]] = _era
    _ERA_BY_KEY[_era.letter] = _era
    _ERA_BY_KEY[_era.letter.lower()] = _era

# Gregorian years accepted as dates at all (a 4-digit number outside this is not a date).
MIN_YEAR = 1868
MAX_YEAR = 2199

KANJI_DIGITS = "〇一二三四五六七八九"
KANJI_NUMERAL_CHARS = KANJI_DIGITS + "十"
_NUM = rf"(?:[0-9]{{1,4}}|[{KANJI_NUMERAL_CHARS}]{{1,4}})"

_ERA_NAME = "|".join(e.name for e in ERAS)
_ERA_ABBR = "".join(e.name[0] for e in ERAS)
_ERA_LETTER = "".join(e.letter for e in ERAS)

_ERA_KANJI_RE = re.compile(
    rf"(?P<era>{_ERA_NAME})\s*(?P<y>元|{_NUM})\s*年"
    rf"(?:\s*(?P<m>{_NUM})\s*月(?:\s*(?P<d>{_NUM})\s*日)?)?"
)
_ERA_SHORT_RE = re.compile(
    rf"(?P<era>{_ERA_NAME}|[{_ERA_LETTER}{_ERA_LETTER.lower()}{_ERA_ABBR}])\.?\s?(?P<y>[0-9]{{1,2}}|元)"
    r"(?P<sep>[./-])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
)
_GREGORIAN_SEP_RE = re.compile(r"(?P<y>[0-9]{4})(?P<sep>[./-])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})")
_GREGORIAN_KANJI_RE = re.compile(
    rf"(?P<y>[0-9]{{4}}|[{KANJI_DIGITS}]{{4}})\s*年(?:\s*(?P<m>{_NUM})\s*月(?:\s*(?P<d>{_NUM})\s*日)?)?"
)
_GREGORIAN_COMPACT_RE = re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})")

# English month names and their usual abbreviations (Sept. included), for dates in English records.
ENGLISH_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_ENGLISH_MDY_RE = re.compile(rf"(?P<mon>{ENGLISH_MONTH})\.?\s*(?P<d>[0-9]{{1,2}}){_ORDINAL},?\s*(?P<y>[0-9]{{4}})")
_ENGLISH_DMY_RE = re.compile(rf"(?P<d>[0-9]{{1,2}}){_ORDINAL}\s*(?P<mon>{ENGLISH_MONTH})\.?,?\s*(?P<y>[0-9]{{4}})")
# 12/18/2020 (US) or 18/12/2020 (most other countries); either reading that is a real day is taken.
_NUMERIC_DMY_OR_MDY_RE = re.compile(r"(?P<a>[0-9]{1,2})(?P<sep>[./])(?P<b>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})")
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class DateParts:
    """A possibly partial date: ``month``/``day`` are None when the text leaves them out."""

    year: int
    month: int | None = None
    day: int | None = None

    def to_date(self) -> dt.date | None:
        """The full date, or None when the month or day is missing."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)


def kanji_to_int(text: str) -> int | None:
    """A number written in ASCII digits, digit-by-digit kanji (一九八五) or with 十 (二十三)."""
    if text.isascii():
        return int(text) if text.isdigit() else None
    if "十" in text:
        tens_text, _, ones_text = text.partition("十")
        if "十" in ones_text or len(tens_text) > 1 or len(ones_text) > 1:
            return None
        tens = 1 if not tens_text else KANJI_DIGITS.find(tens_text)
        ones = 0 if not ones_text else KANJI_DIGITS.find(ones_text)
        if tens <= 0 or ones < 0:
            return None
        return tens * 10 + ones
    value = 0
    for ch in text:
        digit = KANJI_DIGITS.find(ch)
        if digit < 0:
            return None
        value = value * 10 + digit
    return value


def _valid_parts(year: int, month: int | None, day: int | None) -> DateParts | None:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        if month is None:
            return None
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    return DateParts(year, month, day)


def era_parts(era: Era, era_year: int, month: int | None, day: int | None) -> DateParts | None:
    """Convert an era date to Gregorian parts, rejecting dates outside the era's span."""
    if era_year < 1:
        return None
    year = era.first.year + era_year - 1
    parts = _valid_parts(year, month, day)
    if parts is None:
        return None
    # The earliest and latest day the (partial) date can stand for must overlap the era.
    lo = dt.date(year, month or 1, day or 1)
    if month is None:
        hi = dt.date(year, 12, 31)
    elif day is None:
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        hi = next_month - dt.timedelta(days=1)
    else:
        hi = lo
    if hi < era.first or (era.last is not None and lo > era.last):
        return None
    return parts


def _num(text: str | None) -> int | None:
    return None if text is None else kanji_to_int(text)


def parse_date_parts(text: str) -> DateParts | None:
    """Parse ``text`` (the whole string, surrounding blanks ignored) as a possibly partial date."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    for era_re in (_ERA_KANJI_RE, _ERA_SHORT_RE):
        match = era_re.fullmatch(value)
        if match:
            era = _ERA_BY_KEY[match["era"]]
            year_text = match["y"]
            era_year = 1 if year_text == "元" else kanji_to_int(year_text)
            if era_year is None:
                return None
            month, day = _num(match["m"]), _num(match["d"])
            if (match["m"] is not None and month is None) or (match["d"] is not None and day is None):
                return None
            return era_parts(era, era_year, month, day)
    for greg_re in (_GREGORIAN_SEP_RE, _GREGORIAN_KANJI_RE, _GREGORIAN_COMPACT_RE):
        match = greg_re.fullmatch(value)
        if match:
            year = kanji_to_int(match["y"])
            month, day = _num(match.groupdict().get("m")), _num(match.groupdict().get("d"))
            if year is None or not MIN_YEAR <= year <= MAX_YEAR:
                return None
            if greg_re is _GREGORIAN_KANJI_RE and match["m"] is not None and month is None:
                return None
            return _valid_parts(year, month, day)
    return parse_english_date(value)


def parse_english_date(value: str) -> DateParts | None:
    """``December 18, 2020``, ``18 Dec 2020``, ``12/18/2020`` or ``18/12/2020`` (the whole string)."""
    for english_re in (_ENGLISH_MDY_RE, _ENGLISH_DMY_RE):
        match = english_re.fullmatch(value)
        if match:
            month = _MONTH_PREFIXES.index(match["mon"][:3].lower()) + 1
            year = int(match["y"])
            if not MIN_YEAR <= year <= MAX_YEAR:
                return None
            return _valid_parts(year, month, int(match["d"]))
    match = _NUMERIC_DMY_OR_MDY_RE.fullmatch(value)
    if match is None:
        return None
    year, first, second = int(match["y"]), int(match["a"]), int(match["b"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return _valid_parts(year, first, second) or _valid_parts(year, second, first)


def parse_japanese_date(text: str) -> dt.date | None:
    """The full date written in ``text``, or None when it is not a complete, real date."""
    parts = parse_date_parts(text)
    return None if parts is None else parts.to_date()


def era_of(day: dt.date) -> Era | None:
    """The latest era that ``day`` belongs to (the new one on a shared first day)."""
    for era in reversed(ERAS):
        if day >= era.first and (era.last is None or day <= era.last):
            return era
    return None
