"""DATE: Gregorian dates (1985-12-24, 1985/12/24, 1985年12月24日, 19851224 with context) and Japanese
era dates (昭和60年1月1日, 平成元年, 令和5年, S60.1.1, H1.1.8, 昭60.1.1, ㍼ ligatures).

Every candidate is checked by :func:`recognizers.era.parse_date_parts`: impossible days (2月30日) and
dates outside their era (平成31年5月1日, H1.1.7, 昭和65年) are dropped. DATE carries no policy category by
itself; :mod:`recognizers.jp.jp_date_of_birth` turns it into DATE_OF_BIRTH when birth context is present.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId
from recognizers.era import ENGLISH_MONTH, parse_date_parts

_NUM = r"(?:[0-9]{1,2}|[〇一二三四五六七八九十]{1,3})"
_ERA_NAME = r"(?:明治|大正|昭和|平成|令和)"
_YEAR = r"(?:18|19|20|21)[0-9]{2}"
# A number group that is neither preceded nor followed by more of a dotted/hyphenated number.
_START = r"(?<![0-9./-])"
_END = r"(?![0-9]|[./-][0-9])"

COMPACT_PATTERN_NAME = "date_compact"

DATE_PATTERNS: tuple[Pattern, ...] = (
    Pattern("date_gregorian_sep", rf"{_START}{_YEAR}([-/.])[0-9]{{1,2}}\1[0-9]{{1,2}}{_END}", 0.6),
    Pattern(
        "date_gregorian_kanji",
        rf"(?<![0-9])(?:{_YEAR}|[〇一二三四五六七八九]{{4}})\s*年\s*{_NUM}\s*月(?:\s*{_NUM}\s*日)?",
        0.6,
    ),
    # 令和5年度 is a fiscal year, not a date.
    Pattern(
        "date_era_kanji",
        rf"{_ERA_NAME}\s*(?:元|{_NUM})\s*年(?:\s*{_NUM}\s*月(?:\s*{_NUM}\s*日)?|(?![度間]))",
        0.5,
    ),
    Pattern(
        "date_era_short",
        rf"(?<![A-Za-z0-9])(?:[MTSHR]|{_ERA_NAME}|[明大昭平令])\.?\s?(?:[0-9]{{1,2}}|元)([./-])"
        rf"[0-9]{{1,2}}\1[0-9]{{1,2}}{_END}",
        0.55,
    ),
    Pattern(
        "date_english_month_day_year",
        rf"(?<![A-Za-z]){ENGLISH_MONTH}\.?\s*[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s*{_YEAR}{_END}",
        0.6,
    ),
    Pattern(
        "date_english_day_month_year",
        rf"(?<![0-9])[0-9]{{1,2}}(?:st|nd|rd|th)?\s*{ENGLISH_MONTH}\.?,?\s*{_YEAR}{_END}",
        0.6,
    ),
    # 12/18/2020 or 18/12/2020: month and day in either order, the year last.
    Pattern("date_numeric_year_last", rf"(?<![A-Za-z0-9./-])[0-9]{{1,2}}([/.])[0-9]{{1,2}}\1{_YEAR}{_END}", 0.5),
    # 8 bare digits collide with every numeric ID: kept only when a context word is near.
    Pattern(
        COMPACT_PATTERN_NAME,
        r"(?<![0-9])(?:18|19|20|21)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?![0-9])",
        0.15,
    ),
)

DATE_CONTEXT: tuple[str, ...] = (
    "日付", "年月日", "生年月日", "誕生日", "生まれ", "入社日", "登録日", "日時", "期日",
    "date", "dob", "birth", "birthday",
)

# Superset of every pattern: a separated or compact Gregorian year, 年, or an era name/letter before a digit.
DATE_PREFILTER = (
    r"(?:18|19|20|21)[0-9]{2}[-/.][0-9]|年|[MTSHR明大昭平令治正和成][.]?\s?[0-9元]|(?:18|19|20|21)[0-9]{6}"
    r"|[/.](?:18|19|20|21)[0-9]{2}"
    r"|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[A-Za-z]*[.]?\s*[0-9]"
    r"|[0-9](?:st|nd|rd|th)?\s*(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)


class JpDateRecognizer(JapanesePatternRecognizer):
    """Gregorian and era dates, validated as real calendar days within their era."""

    ENTITY: ClassVar[EntityId] = "DATE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = DATE_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = DATE_CONTEXT
    CONTEXT_REQUIRED_PATTERNS: ClassVar[frozenset[str]] = frozenset({COMPACT_PATTERN_NAME})
    PREFILTER: ClassVar[str | None] = DATE_PREFILTER

    def validate_result(self, pattern_text: str) -> bool | None:
        # A real date keeps its pattern score (a date has no check digit); an impossible one is dropped.
        return None if parse_date_parts(pattern_text) is not None else False
