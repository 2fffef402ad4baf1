"""JP_BASIC_PENSION_NUMBER: the basic pension number (基礎年金番号), shown as 1234-567890 (or 1234 567890).

Ten digits, the first four an office code; no check digit is public. The 4-6 hyphenated form is
distinctive enough for a modest score. Ten bare digits are also landline numbers and order IDs,
so they count only when pension context stands nearby.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

# 4-6 with a hyphen or a space (1234-567890, 1234 567890), not part of a longer run of groups.
_HYPHENATED = r"(?<![0-9])(?<![0-9][- ])[0-9]{4}[- ][0-9]{6}(?![0-9])(?![- ][0-9])"
_BARE = r"(?<![0-9])(?<![0-9]-)[0-9]{10}(?![0-9])(?!-[0-9])"
_BARE_PATTERN_NAME = "pension_bare"


class JpBasicPensionNumberRecognizer(JapanesePatternRecognizer):
    """基礎年金番号: 4-6 form alone at a modest score; bare 10 digits only beside context."""

    ENTITY: ClassVar[EntityId] = "JP_BASIC_PENSION_NUMBER"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("pension_hyphenated", _HYPHENATED, 0.35),
        Pattern(_BARE_PATTERN_NAME, _BARE, 0.3),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "基礎年金番号",
        "年金番号",
        "年金手帳",
        "基礎年金",
        "ねんきん",
        "年金",
        "pension",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{4}[- ]?[0-9]{6}"

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept: list[RecognizerResult] = []
        for result in results:
            context = self.has_context(text, result.start, result.end)
            explanation = result.analysis_explanation
            is_bare = explanation is not None and explanation.pattern_name == _BARE_PATTERN_NAME
            if is_bare and not context:
                continue
            if context:
                result.score = min(1.0, result.score + self.CONTEXT_BOOST)
            kept.append(result)
        return kept
