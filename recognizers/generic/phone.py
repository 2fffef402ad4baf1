"""PHONE_NUMBER: Japanese fixed, mobile (090/080/070/060) and IP (050) numbers, with or without
hyphens or parentheses, ``+81`` forms, and international numbers (``+44 …``, US ``(212) 555-0123``).

Toll-free and navi-dial numbers (0120, 0800, 0570) belong to companies: they come out as
``JP_BUSINESS_PHONE`` so that a company's contact column is not taken for personal data. So does a
fixed line written with a company's switchboard words (本社代表, 大阪支店 TEL, お問い合わせ窓口, FAX)
unless a personal word (携帯, 自宅, 緊急連絡先) is there too; a mobile number stays personal.
Every candidate is checked with ``phonenumbers`` (region JP for domestic forms).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

import phonenumbers
from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId
from recognizers.normalize import normalize

PHONE_ENTITY: EntityId = "PHONE_NUMBER"
BUSINESS_PHONE_ENTITY: EntityId = "JP_BUSINESS_PHONE"

# Number types that a company, not a person, holds (0120/0800 toll-free, 0570 navi-dial).
BUSINESS_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.UAN,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
    }
)

# Near a fixed-line number, these say it is a company's line (本社代表 03-…, 03-…(代表)).
BUSINESS_LINE_WORDS: tuple[str, ...] = (
    "代表", "本社", "本店", "支店", "支社", "営業所", "事業所", "出張所", "工場", "店舗", "窓口", "受付",
    "お問い合わせ", "お問合せ", "問い合わせ", "問合せ", "カスタマーセンター", "サポートセンター",
    "コールセンター", "お客様相談", "相談室", "総務部", "営業部", "FAX", "ファックス", "ファクス",
    "株式会社", "(株)", "有限会社", "合同会社", "法人",
    "head office", "headquarters", "branch", "main line", "switchboard", "customer service", "support",
)
# ... and these that it is a person's own, whatever else the text says.
PERSONAL_LINE_WORDS: tuple[str, ...] = (
    "携帯", "ケータイ", "自宅", "個人", "緊急連絡", "本人", "保護者", "家族", "mobile", "cell", "home", "personal",
)
BUSINESS_WINDOW = 30
# Fixed-line types (a mobile or an unknown type stays personal).
_FIXED_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)

# Not preceded by a digit, '+', '-', '/' or a digit and '.' (so the tail of 2026-01-25, of +81-3-…
# or of 1.0312345678 never starts a match; tel.090… still does).
_JP_START = r"(?<![0-9+/-])(?<![0-9][.])"
_JP_END = r"(?![0-9]|[./-][0-9])"
# A space-separated number is not the middle of a longer run of spaced digit groups (1 234 567 890).
_NOT_SPACED_BEFORE = r"(?<![0-9] )"
_NOT_SPACED_AFTER = r"(?! [0-9])"
# Between groups: a hyphen, a space, a dot, or a hyphen with a space either side (web forms: 090 - 1234 - 5678).
_SEP = r"(?:[ .-]| - )"

PHONE_PATTERNS: tuple[Pattern, ...] = (
    # Hyphens (03-1234-5678), or spaces, dots or a mix (090 1234 5678, 03.1234.5678, 090-1234 5678;
    # full-width spaces fold to ' '). Spaced and dotted forms are kept only when the groups are the
    # numbering plan's own (see validate_result), since spaced digit groups are also amounts and codes.
    Pattern(
        "phone_jp_separated",
        rf"{_JP_START}{_NOT_SPACED_BEFORE}0[0-9]{{1,4}}{_SEP}[0-9]{{1,4}}{_SEP}[0-9]{{3,4}}{_JP_END}{_NOT_SPACED_AFTER}",
        0.6,
    ),
    Pattern(
        "phone_jp_paren",
        rf"{_JP_START}(?:\(0[0-9]{{1,4}}\)[\s-]?[0-9]{{1,4}}[- ]?[0-9]{{3,4}}|0[0-9]{{1,4}}\([0-9]{{1,4}}\)[0-9]{{3,4}})"
        rf"{_JP_END}{_NOT_SPACED_AFTER}",
        0.6,
    ),
    # 10 or 11 bare digits starting with 0: lower, since IDs share the shape.
    Pattern("phone_jp_plain", rf"{_JP_START}0[0-9]{{9,10}}{_JP_END}", 0.4),
    Pattern(
        "phone_international",
        r"(?<![0-9A-Za-z+])\+[1-9][0-9]{0,2}[ .-]?(?:\(0?[0-9]{1,4}\)[ .-]?)?[0-9]{1,4}(?:[ .-]?[0-9]{1,4}){1,4}"
        r"(?![0-9])",
        0.6,
    ),
    Pattern(
        "phone_us",
        r"(?<![0-9A-Za-z+./-])(?:\([2-9][0-9]{2}\)\s?|[2-9][0-9]{2}[-. ])[2-9][0-9]{2}[-. ][0-9]{4}"
        r"(?![0-9]|[./-][0-9])",
        0.4,
    ),
)

PHONE_CONTEXT: tuple[str, ...] = (
    "電話", "TEL", "携帯", "ケータイ", "連絡先", "FAX", "内線", "フリーダイヤル", "☎", "phone", "mobile", "cell",
)

# Superset of PHONE_PATTERNS, one alternative each, so that prices, dates and IDs skip the recognizer.
PHONE_PREFILTER = (
    r"0[0-9]{1,4}(?:[-. ]| - )[0-9]{1,4}(?:[-. ]| - )[0-9]{3,4}|[(]0[0-9]{1,4}[)]|0[0-9]{1,4}[(][0-9]{1,4}[)]|0[0-9]{9,10}"
    r"|[+][1-9]|[(][2-9][0-9]{2}[)]|[2-9][0-9]{2}[-. ][2-9][0-9]{2}[-. ][0-9]{4}"
)


def digit_groups(text: str) -> list[int]:
    """Lengths of the runs of digits in ``text`` (``090 1234 5678`` → [3, 4, 4])."""
    return [len(run) for run in re.findall(r"[0-9]+", text)]


def follows_numbering_plan(candidate: str, number: phonenumbers.PhoneNumber) -> bool:
    """True when ``candidate`` is grouped as the national format groups the number (03 1234 5678,
    0263 24 1682, 090 1234 5678), so that any run of spaced digits that happens to dial is not a phone."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return digit_groups(candidate) == digit_groups(national)


def _uses_loose_separators(candidate: str) -> bool:
    """Spaces or dots between digit groups (not the hyphenated or parenthesised forms alone)."""
    return bool(re.search(r"[0-9][ .]+[0-9]", candidate))


# validate_result and analyze parse the same match one after the other: the second is a cache hit. The
# numbers are only read (number_type, format_number), never changed.
@lru_cache(maxsize=256)
def _parse(candidate: str) -> phonenumbers.PhoneNumber | None:
    region = None if candidate.startswith("+") else ("JP" if candidate.lstrip("(").startswith("0") else "US")
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(word.lower() in lowered for word in words)


def is_company_line(text: str, start: int, end: int, number: phonenumbers.PhoneNumber) -> bool:
    """A fixed line that its surroundings in ``text`` name as a company's (本社代表, 支店 TEL)."""
    if phonenumbers.number_type(number) not in _FIXED_TYPES:
        return False
    around = text[max(0, start - BUSINESS_WINDOW) : start] + " " + text[end : end + 8]
    return _mentions(around, BUSINESS_LINE_WORDS) and not _mentions(text, PERSONAL_LINE_WORDS)


class CjkPhoneRecognizer(JapanesePatternRecognizer):
    """Phone numbers (PHONE_NUMBER) and company toll-free/navi-dial numbers (JP_BUSINESS_PHONE)."""

    ENTITY: ClassVar[EntityId] = PHONE_ENTITY
    PATTERNS: ClassVar[tuple[Pattern, ...]] = PHONE_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = PHONE_CONTEXT
    PREFILTER: ClassVar[str | None] = PHONE_PREFILTER

    def __init__(self, supported_language: str = "ja") -> None:
        super().__init__(supported_language=supported_language)
        self.supported_entities = [PHONE_ENTITY, BUSINESS_PHONE_ENTITY]

    def validate_result(self, pattern_text: str) -> bool | None:
        # No check digit: a number phonenumbers accepts keeps its pattern score, others are dropped.
        number = _parse(pattern_text)
        if number is None:
            return False
        if not pattern_text.startswith("+") and _uses_loose_separators(pattern_text):
            return None if follows_numbering_plan(pattern_text, number) else False
        return None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        kept = []
        for result in results:
            number = _parse(normalize(text[result.start : result.end]))
            if number is not None and (
                phonenumbers.number_type(number) in BUSINESS_TYPES
                or is_company_line(text, result.start, result.end, number)
            ):
                result.entity_type = BUSINESS_PHONE_ENTITY
            if result.entity_type in entities:
                kept.append(result)
        return kept
