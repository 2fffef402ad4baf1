"""JP_POSTAL_CODE: ``〒100-0001``, ``〒1000001``, ``100-0001``; seven bare digits only next to 〒/郵便番号.

``〶`` (U+3036) folds to ``〒`` under NFKC, which the base class applies before matching.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

BARE_PATTERN_NAME = "postal_bare"

# Not inside a longer code: no letter, digit, '-', '.' or '/' just before, and none of those
# continuing it (UUID and hex keys such as 1C861588-0C43-4321-…, dates, decimals).
_CODE_START = r"(?<![0-9A-Za-z./-])"
_CODE_END = r"(?![0-9A-Za-z])(?![./-][0-9A-Za-z])"
# ...and not the last groups of a phone number: "(212) 402-6548", "212 402-6548".
_NOT_AFTER_DIGIT_GROUP = r"(?<![0-9]\)[ ]?)(?<![0-9][ ])"

POSTAL_PATTERNS: tuple[Pattern, ...] = (
    Pattern("postal_mark", r"〒\s?[0-9]{3}-?[0-9]{4}" + _CODE_END, 0.85),
    Pattern("postal_hyphen", _CODE_START + _NOT_AFTER_DIGIT_GROUP + r"[0-9]{3}-[0-9]{4}" + _CODE_END, 0.4),
    # Seven bare digits are any number at all: kept only when a context word is near.
    Pattern(BARE_PATTERN_NAME, _CODE_START + _NOT_AFTER_DIGIT_GROUP + r"[0-9]{7}" + _CODE_END, 0.2),
)

POSTAL_CONTEXT: tuple[str, ...] = ("郵便番号", "〒", "郵便", "住所", "zip", "postal", "postcode")

# Any one separator between the groups (spaces, 〒-style marks and dashes all pass).
POSTAL_PREFILTER = r"[0-9]{3}[^0-9]?[0-9]{4}"


class JpPostalCodeRecognizer(JapanesePatternRecognizer):
    """Japanese postal codes (3+4 digits); the first three digits are never 000."""

    ENTITY: ClassVar[EntityId] = "JP_POSTAL_CODE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = POSTAL_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = POSTAL_CONTEXT
    CONTEXT_REQUIRED_PATTERNS: ClassVar[frozenset[str]] = frozenset({BARE_PATTERN_NAME})
    PREFILTER: ClassVar[str | None] = POSTAL_PREFILTER

    def invalidate_result(self, pattern_text: str) -> bool | None:
        digits = "".join(ch for ch in pattern_text if ch.isascii() and ch.isdigit())
        return digits[:3] == "000"
