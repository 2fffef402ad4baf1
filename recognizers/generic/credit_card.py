"""CREDIT_CARD: payment card numbers, 13-19 digits, Luhn-checked, from a known brand range.

Separators (space or hyphen) may split the number into groups of 4-6 digits (4-4-4-4, Amex
4-6-5, Diners 4-6-4). The number must start with a brand's issuer prefix and have one of that
brand's lengths: 1 random 16-digit string in 10 passes Luhn, and tracking or order numbers of
card length are common.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer, digits_only
from recognizers.checksums import is_valid_luhn
from recognizers.labels import NumberKind, label_names_other_kind

_START = r"(?<![0-9])(?<![0-9][-. ])"
_END = r"(?![0-9])(?![-. ][0-9])"
_COMPACT = _START + r"[0-9]{13,19}" + _END
_GROUPED = _START + r"[0-9]{4,6}(?:[- ][0-9]{3,7}){1,4}" + _END

# (first prefix, last prefix, allowed lengths); prefixes compared on the same number of digits.
_BRAND_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset({13, 16, 19})),  # Visa
    ("51", "55", frozenset({16})),  # Mastercard
    ("2221", "2720", frozenset({16})),  # Mastercard 2-series
    ("34", "34", frozenset({15})),  # American Express
    ("37", "37", frozenset({15})),  # American Express
    ("3528", "3589", frozenset({16, 17, 18, 19})),  # JCB
    ("300", "305", frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ("36", "36", frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ("38", "39", frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ("6011", "6011", frozenset({16, 17, 18, 19})),  # Discover
    ("644", "649", frozenset({16, 17, 18, 19})),  # Discover
    ("65", "65", frozenset({16, 17, 18, 19})),  # Discover
    ("62", "62", frozenset({16, 17, 18, 19})),  # UnionPay
)


# Card labels, or none; a JAN, order or part-number label names another number.
ACCEPTED_LABELS = frozenset({NumberKind.PAYMENT_CARD})
# Visa stopped issuing 13-digit cards long ago, while every JAN code (45/49…) starts with 4 and
# 1 in 10 passes Luhn: 13 digits count as a card only beside card context.
LENGTHS_NEEDING_CONTEXT = frozenset({13})


def card_brand_matches(number: str) -> bool:
    """True when ``number`` starts with a known brand's issuer prefix and has one of its lengths."""
    for low, high, lengths in _BRAND_RANGES:
        prefix = number[: len(low)]
        if low <= prefix <= high and len(number) in lengths:
            return True
    return False


class CjkCreditCardRecognizer(JapanesePatternRecognizer):
    """カード番号: brand range + Luhn decide (a pass scores 1.0, anything else is dropped)."""

    ENTITY: ClassVar[str] = "CREDIT_CARD"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("card_compact", _COMPACT, 0.5),
        Pattern("card_grouped", _GROUPED, 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "カード",
        "クレジット",
        "有効期限",
        "セキュリティコード",
        "VISA",
        "JCB",
        "Mastercard",
        "AMEX",
        "credit card",
        "card number",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{4}[- ]?[0-9]{3}"

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_only(pattern_text)
        if not 13 <= len(digits) <= 19 or not card_brand_matches(digits):
            return False
        return is_valid_luhn(digits)

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept: list[RecognizerResult] = []
        for result in results:
            if label_names_other_kind(text, result.start, result.end, ACCEPTED_LABELS):
                continue
            length = len(digits_only(text[result.start : result.end]))
            if length in LENGTHS_NEEDING_CONTEXT and not self.has_context(text, result.start, result.end):
                continue
            kept.append(result)
        return super()._boost_by_context(text, kept)
