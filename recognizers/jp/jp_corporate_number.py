"""JP_CORPORATE_NUMBER: the 13-digit corporate number (法人番号), check digit first.

Not personal data: it is recognised so that a column of corporate numbers is labelled as such
instead of being taken for personal identifiers. The invoice registration number (登録番号) is
"T" + the corporate number, so a leading T is allowed; it is also written T1-2345-6789-0123.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer, digits_only
from recognizers.checksums import is_valid_corporate_number
from recognizers.entities import EntityId
from recognizers.labels import NumberKind, label_names_other_kind

# Digits joined by '-' or '.' to more digits are part of something longer (the 13-digit
# millisecond timestamp in _fbp=fb.1.1712533624139.…, decimals, version strings).
_START = r"(?<![0-9])(?<![0-9][-.])"
_END = r"(?![0-9])(?![-.][0-9])"
_COMPACT = _START + r"[1-9][0-9]{12}" + _END
_GROUPED = _START + r"[1-9]-[0-9]{4}-[0-9]{4}-[0-9]{4}" + _END

# 法人番号 / 登録番号 / T-prefix labels, or none; a JAN or EAN label names a barcode.
ACCEPTED_LABELS = frozenset({NumberKind.CORPORATE_NUMBER})


class JpCorporateNumberRecognizer(JapanesePatternRecognizer):
    """法人番号 / 適格請求書発行事業者登録番号: the check digit keeps or drops each match."""

    ENTITY: ClassVar[EntityId] = "JP_CORPORATE_NUMBER"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("corporate_number", _COMPACT, 0.5),
        Pattern("corporate_number_grouped", _GROUPED, 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "法人番号",
        "登録番号",
        "適格請求書",
        "インボイス",
        "会社法人等番号",
        "corporate number",
        "invoice",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{4}-?[0-9]{4}-?[0-9]{4}"

    def validate_result(self, pattern_text: str) -> bool | None:
        return is_valid_corporate_number(digits_only(pattern_text))

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        # 1 EAN-13 in 9 passes this check digit too: a label naming another number decides.
        kept = [r for r in results if not label_names_other_kind(text, r.start, r.end, ACCEPTED_LABELS)]
        return super()._boost_by_context(text, kept)
