"""recognizers.era: the pure Japanese/Gregorian date parser."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.era import ERAS, DateParts, era_of, kanji_to_int, parse_date_parts, parse_japanese_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昭和60年1月1日", dt.date(1985, 1, 1)),
        ("昭和六十年一月一日", dt.date(1985, 1, 1)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("S60.1.1", dt.date(1985, 1, 1)),
        ("H1.1.8", dt.date(1989, 1, 8)),
        ("昭60.1.1", dt.date(1985, 1, 1)),
        ("㍼60.1.1", dt.date(1985, 1, 1)),
        ("㍻元年1月8日", dt.date(1989, 1, 8)),
        ("㋿元年5月1日", dt.date(2019, 5, 1)),
        ("R5/4/1", dt.date(2023, 4, 1)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("大正15年12月25日", dt.date(1926, 12, 25)),  # shared first day of 昭和
        ("昭和元年12月25日", dt.date(1926, 12, 25)),
        ("1985-12-24", dt.date(1985, 12, 24)),
        ("1985/12/24", dt.date(1985, 12, 24)),
        ("1985年12月24日", dt.date(1985, 12, 24)),
        ("１９８５年１２月２４日", dt.date(1985, 12, 24)),
        ("一九八五年十二月二十四日", dt.date(1985, 12, 24)),
        ("19851224", dt.date(1985, 12, 24)),
        ("2024年2月29日", dt.date(2024, 2, 29)),
    ],
)
def test_full_dates(text: str, expected: dt.date) -> None:
    assert parse_japanese_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",  # 平成 ended on 2019-04-30
        "H1.1.7",  # 平成 began on 1989-01-08
        "昭和64年1月8日",
        "昭和65年",
        "昭和元年12月24日",
        "令和元年4月30日",
        "2020年2月30日",
        "2023年2月29日",
        "1985-13-01",
        "0000-01-01",
        "19851332",
        "平成0年1月1日",
        "昭和",
        "",
        "山田太郎",
    ],
)
def test_rejected(text: str) -> None:
    assert parse_japanese_date(text) is None
    assert parse_date_parts(text) is None


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("令和5年", DateParts(2023)),
        ("平成元年", DateParts(1989)),
        ("平成31年4月", DateParts(2019, 4)),
        ("昭和64年", DateParts(1989)),
        ("1985年12月", DateParts(1985, 12)),
    ],
)
def test_partial_dates(text: str, parts: DateParts) -> None:
    assert parse_date_parts(text) == parts
    assert parse_japanese_date(text) is None


@pytest.mark.parametrize("text", ["平成31年5月", "令和元年4月"])
def test_partial_dates_outside_era(text: str) -> None:
    assert parse_date_parts(text) is None


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("十", 10), ("二十三", 23), ("三十一", 31), ("一九八五", 1985)])
def test_kanji_to_int(text: str, value: int) -> None:
    assert kanji_to_int(text) == value


KANJI_DIGITS = "〇一二三四五六七八九"


def to_kanji(n: int) -> str:
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + ("" if ones == 0 else KANJI_DIGITS[ones])


days = st.dates(min_value=dt.date(1868, 1, 25), max_value=dt.date(2100, 12, 31))


@given(days, st.sampled_from(["kanji", "letter", "abbr", "kanji_numerals", "gregorian", "slash", "compact"]))
def test_round_trip(day: dt.date, style: str) -> None:
    """Format a random date in its era (or the Gregorian calendar) and parse it back."""
    era = era_of(day)
    assert era is not None
    era_year = day.year - era.first.year + 1
    year_text = "元" if era_year == 1 and style in ("kanji", "kanji_numerals") else str(era_year)
    text = {
        "kanji": f"{era.name}{year_text}年{day.month}月{day.day}日",
        "letter": f"{era.letter}{era_year}.{day.month}.{day.day}",
        "abbr": f"{era.name[0]}{era_year:02d}.{day.month:02d}.{day.day:02d}",
        "kanji_numerals": f"{era.name}{'元' if era_year == 1 else to_kanji(era_year)}年"
        f"{to_kanji(day.month)}月{to_kanji(day.day)}日",
        "gregorian": f"{day.year}年{day.month}月{day.day}日",
        "slash": f"{day.year}/{day.month}/{day.day}",
        "compact": day.strftime("%Y%m%d"),
    }[style]
    if style == "kanji_numerals" and era_year > 99:
        return
    assert parse_japanese_date(text) == day


@given(days)
def test_era_span_is_enforced(day: dt.date) -> None:
    """A date written in an era that had not started or had already ended is rejected."""
    for era in ERAS:
        era_year = day.year - era.first.year + 1
        if not 1 <= era_year <= 99:
            continue
        inside = day >= era.first and (era.last is None or day <= era.last)
        parsed = parse_japanese_date(f"{era.name}{era_year}年{day.month}月{day.day}日")
        assert (parsed == day) if inside else (parsed is None)
