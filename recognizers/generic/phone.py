"""PHONE_NUMBER: Japanese fixed, mobile (090/080/070/060) and IP (050) numbers, with or without
hyphens or parentheses, ``+81`` forms, and international numbers (``+44 …``, US ``(212) 555-0123``).

Toll-free and navi-dial numbers (0120, 0800, 0570) belong to companies: they come out as
``JP_BUSINESS_PHONE`` so that a company's contact column is not taken for personal data.
Every candidate is checked with ``phonenumbers`` (region JP for domestic forms).
"""

from __future__ import annotations

from typing import ClassVar

import phonenumbers
from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers.base import JapanesePatternRecognizer
from recognizers.normalize import normalize

PHONE_ENTITY = "PHONE_NUMBER"
BUSINESS_PHONE_ENTITY = "JP_BUSINESS_PHONE"

# Number types that a company, not a person, holds (0120/0800 toll-free, 0570 navi-dial).
BUSINESS_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.UAN,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
    }
)

# Not preceded by a digit, '+', '-', '.', '/' (so the tail of 2026-01-25 or of +81-3-… never starts a match).
_JP_START = r"(?<![0-9+./-])"
_JP_END = r"(?![0-9]|[./-][0-9])"

PHONE_PATTERNS: tuple[Pattern, ...] = (
    Pattern("phone_jp_hyphen", rf"{_JP_START}0[0-9]{{1,4}}-[0-9]{{1,4}}-[0-9]{{3,4}}{_JP_END}", 0.6),
    Pattern(
        "phone_jp_paren",
        rf"{_JP_START}(?:\(0[0-9]{{1,4}}\)\s?[0-9]{{1,4}}-?[0-9]{{3,4}}|0[0-9]{{1,4}}\([0-9]{{1,4}}\)[0-9]{{3,4}})"
        rf"{_JP_END}",
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
    r"0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}|[(]0[0-9]{1,4}[)]|0[0-9]{1,4}[(][0-9]{1,4}[)]|0[0-9]{9,10}"
    r"|[+][1-9]|[(][2-9][0-9]{2}[)]|[2-9][0-9]{2}[-. ][2-9][0-9]{2}[-. ][0-9]{4}"
)


def _parse(candidate: str) -> phonenumbers.PhoneNumber | None:
    region = None if candidate.startswith("+") else ("JP" if candidate.lstrip("(").startswith("0") else "US")
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


class PhoneRecognizer(JapanesePatternRecognizer):
    """Phone numbers (PHONE_NUMBER) and company toll-free/navi-dial numbers (JP_BUSINESS_PHONE)."""

    ENTITY: ClassVar[str] = PHONE_ENTITY
    PATTERNS: ClassVar[tuple[Pattern, ...]] = PHONE_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = PHONE_CONTEXT
    PREFILTER: ClassVar[str | None] = PHONE_PREFILTER

    def __init__(self, supported_language: str = "ja") -> None:
        super().__init__(supported_language=supported_language)
        self.supported_entities = [PHONE_ENTITY, BUSINESS_PHONE_ENTITY]

    def validate_result(self, pattern_text: str) -> bool | None:
        # No check digit: a number phonenumbers accepts keeps its pattern score, others are dropped.
        return None if _parse(pattern_text) is not None else False

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
            if number is not None and phonenumbers.number_type(number) in BUSINESS_TYPES:
                result.entity_type = BUSINESS_PHONE_ENTITY
            if result.entity_type in entities:
                kept.append(result)
        return kept
