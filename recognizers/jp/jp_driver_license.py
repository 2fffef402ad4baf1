"""JP_DRIVER_LICENSE: the 12-digit driver's licence number (運転免許証番号).

Layout: 公安委員会 code (2) + year first licensed (2) + serial (6) + check digit (1) + reissue
count (1). The check digit rule is unofficial, so it only moves the score: a pass raises it, a
failure keeps the match only when licence context (免許 …) stands nearby. The digits may be
grouped by single spaces or hyphens (``3012 34 567890``, ``3012-3456-7890``).
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer, digits_only
from recognizers.checksums import is_valid_driver_license
from recognizers.entities import EntityId
from recognizers.labels import NumberKind, label_names_other_kind

# 公安委員会 codes that begin licence numbers: 北海道 10-14 (方面), 東北 20-25, 東京 30,
# 関東・中部 40-55, 近畿 60-65, 中国 70-74, 四国 80-83, 九州・沖縄 90-97.
PUBLIC_SAFETY_COMMISSION_CODES = frozenset(
    {
        *range(10, 15),
        *range(20, 26),
        30,
        *range(40, 56),
        *range(60, 66),
        *range(70, 75),
        *range(80, 84),
        *range(90, 98),
    }
)

SCORE_CHECK_DIGIT_PASSES = 0.6
SCORE_CHECK_DIGIT_FAILS = 0.2

_LICENSE = r"(?<![0-9])(?<![0-9][-.])[1-9][0-9]{11}(?![0-9])(?![-.][0-9])"
# The same 12 digits written in groups (4-2-6 as 公安委員会+年 / serial, 4-4-4, 2-2-6-1-1 as the
# fields, 2-10 …): a single space or hyphen may stand between any two digits. Each repetition
# consumes one digit, so the match is linear; a run of more than 12 digits is not matched at all.
_LICENSE_GROUPED = (
    r"(?<![0-9])(?<![0-9][-. ])[1-9](?:[- ]?[0-9]){11}(?![0-9])(?![-. ][0-9])"
)

_GROUPED_PATTERN_NAME = "driver_license_grouped"
# Where a separator may fall without licence context: between the fields (公安委員会 2 | 年 2 |
# serial 6 | check digit 1 | reissue 1) and in the 4-2-6 layout. Any other grouping (4-4-4 is how
# My Numbers and order numbers are written) needs licence context nearby.
FIELD_BOUNDARIES = frozenset({2, 4, 6, 10, 11})

# Licence numbers are labelled as licences or written 第…号; other labels name other numbers.
ACCEPTED_LABELS = frozenset({NumberKind.DRIVER_LICENSE, NumberKind.ORDINAL_SERIAL})


def group_boundaries(text: str) -> frozenset[int]:
    """Digit counts before each separator: ``3012 34 567810`` → {4, 6}."""
    boundaries: set[int] = set()
    count = 0
    for ch in text:
        if ch.isdigit():
            count += 1
        elif count:
            boundaries.add(count)
    return frozenset(boundaries)


def has_commission_code(number: str) -> bool:
    """True when the first two digits name a prefectural public safety commission."""
    return len(number) >= 2 and number[:2].isdigit() and int(number[:2]) in PUBLIC_SAFETY_COMMISSION_CODES


class JpDriverLicenseRecognizer(JapanesePatternRecognizer):
    """運転免許証番号: commission code required; check digit and context set the score."""

    ENTITY: ClassVar[EntityId] = "JP_DRIVER_LICENSE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("driver_license", _LICENSE, SCORE_CHECK_DIGIT_PASSES),
        Pattern(_GROUPED_PATTERN_NAME, _LICENSE_GROUPED, SCORE_CHECK_DIGIT_PASSES),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "免許",
        "運転免許",
        "免許証",
        "免許番号",
        "公安委員会",
        "driver's license",
        "driver license",
        "driving licence",
        "license no",
        "licence no",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9](?:[- ]?[0-9]){11}"

    def validate_result(self, pattern_text: str) -> bool | None:
        # None keeps the match for scoring below; only an impossible commission code drops it.
        return None if has_commission_code(digits_only(pattern_text)) else False

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept: list[RecognizerResult] = []
        for result in results:
            if label_names_other_kind(text, result.start, result.end, ACCEPTED_LABELS):
                continue
            cd_ok = is_valid_driver_license(digits_only(text[result.start : result.end]))
            context = self.has_context(text, result.start, result.end)
            if not cd_ok and not context:
                continue
            explanation = result.analysis_explanation
            grouped = explanation is not None and explanation.pattern_name == _GROUPED_PATTERN_NAME
            if grouped and not context and not group_boundaries(text[result.start : result.end]) <= FIELD_BOUNDARIES:
                continue
            score = SCORE_CHECK_DIGIT_PASSES if cd_ok else SCORE_CHECK_DIGIT_FAILS
            result.score = min(1.0, score + self.CONTEXT_BOOST) if context else score
            kept.append(result)
        return kept
