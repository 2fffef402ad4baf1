"""US_SSN: US Social Security number, AAA-GG-SSSS (also with spaces or dots).

No check digit exists; the SSA never issues area 000, 666 or 900-999, group 00 or serial 0000,
and it voided the two numbers that were printed in advertising (078-05-1120, 219-09-9999).
Nine bare digits are too common to count without context.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer, digits_only
from recognizers.entities import EntityId
from recognizers.labels import NumberKind, label_names_other_kind

_START = r"(?<![0-9])(?<![0-9][-. ])"
_END = r"(?![0-9])(?![-. ][0-9])"
_HYPHENATED = _START + r"[0-9]{3}-[0-9]{2}-[0-9]{4}" + _END
# The same 3-2-4 layout with spaces or dots, one separator throughout (123 45 6789, 123.45.6789).
# No thousands grouping, date or phone layout has a two-digit middle group.
_SPACED = _START + r"(?<![A-Za-z])[0-9]{3}(?P<sep>[ .])[0-9]{2}(?P=sep)[0-9]{4}" + _END
_BARE = _START + r"[0-9]{9}" + _END
_BARE_PATTERN_NAME = "ssn_bare"

# SSN labels, or none; 部品番号 / 品番 / 注文番号 / phone labels name other AAA-GG-SSSS numbers.
ACCEPTED_LABELS = frozenset({NumberKind.US_SSN})

VOIDED_NUMBERS = frozenset({"078051120", "219099999"})


def is_issuable_ssn(digits: str) -> bool:
    """True when nine digits fall inside the ranges the SSA can issue."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9":
        return False
    if group == "00" or serial == "0000":
        return False
    return digits not in VOIDED_NUMBERS


class CjkUsSsnRecognizer(JapanesePatternRecognizer):
    """SSN in AAA-GG-SSSS, AAA GG SSSS or AAA.GG.SSSS; nine bare digits only beside SSN context."""

    ENTITY: ClassVar[EntityId] = "US_SSN"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("ssn_hyphenated", _HYPHENATED, 0.5),
        Pattern("ssn_spaced", _SPACED, 0.5),
        Pattern(_BARE_PATTERN_NAME, _BARE, 0.3),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "ssn",
        "social security",
        "社会保障番号",
        "ソーシャルセキュリティ",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{3}[-. ]?[0-9]{2}[-. ]?[0-9]{4}"

    def validate_result(self, pattern_text: str) -> bool | None:
        # No check digit: an issuable number keeps its pattern score, anything else is dropped.
        return None if is_issuable_ssn(digits_only(pattern_text)) else False

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept: list[RecognizerResult] = []
        for result in results:
            if label_names_other_kind(text, result.start, result.end, ACCEPTED_LABELS):
                continue
            context = self.has_context(text, result.start, result.end)
            explanation = result.analysis_explanation
            if explanation is not None and explanation.pattern_name == _BARE_PATTERN_NAME and not context:
                continue
            if context:
                result.score = min(1.0, result.score + self.CONTEXT_BOOST)
            kept.append(result)
        return kept
