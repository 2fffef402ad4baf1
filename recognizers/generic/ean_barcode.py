"""JAN_CODE: retail barcodes (JAN / EAN-13, EAN-8, UPC-A) with a GS1 mod-10 check digit.

Not personal data: recognised so that product-code columns are labelled as such and not taken
for My Numbers (12 digits) or corporate numbers (13 digits). A JAN code carries the GS1 Japan
prefix 45 or 49; those get the top score. Other valid EAN-13 and UPC-A codes are barcodes too,
but 1 random string in 10 passes mod 10, so they score lower, and 8 digits lower still.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer, digits_only
from recognizers.checksums import is_valid_gs1
from recognizers.entities import EntityId
from recognizers.labels import NumberKind, label_names_other_kind

JAN_PREFIXES = ("45", "49")

_START = r"(?<![0-9])(?<![0-9][-.])"
_END = r"(?![0-9])(?![-.][0-9])"
_BARCODE = _START + r"(?:[0-9]{13}|[0-9]{12}|[0-9]{8})" + _END

# JAN / 商品コード / 品番 labels, or none. 法人番号, 登録番号 and T+13 digits (invoice registration)
# name corporate numbers; 個人番号 or 免許証 a personal number that happens to pass mod 10.
ACCEPTED_LABELS = frozenset({NumberKind.PRODUCT_CODE})


def barcode_score(digits: str) -> float:
    """Confidence that a GS1-valid digit string is a retail barcode, by length and prefix."""
    is_jan = digits.startswith(JAN_PREFIXES)
    if len(digits) == 13:
        return 1.0 if is_jan else 0.7
    if len(digits) == 8:
        return 0.6 if is_jan else 0.3
    return 0.5  # UPC-A (US/Canada; no JAN prefix)


class EanBarcodeRecognizer(JapanesePatternRecognizer):
    """JAN/EAN-13, EAN-8 and UPC-A; a failing check digit drops the match."""

    ENTITY: ClassVar[EntityId] = "JAN_CODE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("gs1_barcode", _BARCODE, 0.5),)
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "JAN",
        "EAN",
        "UPC",
        "GTIN",
        "バーコード",
        "商品コード",
        "商品番号",
        "品番",
        "barcode",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{8}"

    def validate_result(self, pattern_text: str) -> bool | None:
        # None on success: the score comes from barcode_score, not a flat 1.0.
        return None if is_valid_gs1(pattern_text) else False

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept = [r for r in results if not label_names_other_kind(text, r.start, r.end, ACCEPTED_LABELS)]
        for result in kept:
            result.score = barcode_score(digits_only(text[result.start : result.end]))
        return super()._boost_by_context(text, kept)
