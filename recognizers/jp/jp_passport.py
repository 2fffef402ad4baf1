"""JP_PASSPORT: the passport number (旅券番号), two letters and seven digits (TR1234567).

The printed number has no check digit and the shape is shared by many product and order codes,
so a bare match scores low: just enough to count as a value of its column (the scanner keeps values
from 0.4), too little to tag a column on its own. A header that names passports (旅券番号,
passport_no) or context in the text decides. In a machine-readable zone (MRZ, line 2) the
number is followed by its ICAO check digit, nationality, birth date and its check digit; when
both check digits pass the match is certain.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import NOT_ALNUM_AFTER, NOT_ALNUM_BEFORE, JapanesePatternRecognizer
from recognizers.checksums import is_valid_mrz_field
from recognizers.entities import EntityId
from recognizers.labels import NumberKind, label_names_other_kind

_NUMBER = NOT_ALNUM_BEFORE + r"[A-Z]{2}[0-9]{7}" + NOT_ALNUM_AFTER
# MRZ line 2 start: number(9) CD nationality(3) birth YYMMDD CD sex.
_MRZ = r"(?<![0-9A-Z<])[A-Z]{2}[0-9]{7}[0-9][A-Z<]{3}[0-9]{6}[0-9][MFX<]"


# Passport labels, or none; 商品コード / 注文番号 / 会員番号 name other codes of the same shape.
ACCEPTED_LABELS = frozenset({NumberKind.PASSPORT})

# At the scanner's value floor (0.4) and under the column floor (0.5): a column of bare numbers is
# tagged only when its header names passports.
SCORE_BARE = 0.4


class JpPassportRecognizer(JapanesePatternRecognizer):
    """旅券番号: low score alone; context (旅券, パスポート) or a valid MRZ makes it strong."""

    ENTITY: ClassVar[EntityId] = "JP_PASSPORT"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("passport_number", _NUMBER, SCORE_BARE),
        Pattern("passport_mrz", _MRZ, 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "旅券",
        "パスポート",
        "passport",
    )
    # The shape collides with ordinary codes: context must carry most of the weight.
    CONTEXT_BOOST: ClassVar[float] = 0.45
    PREFILTER: ClassVar[str | None] = r"[A-Z]{2}[0-9]{7}"

    def validate_result(self, pattern_text: str) -> bool | None:
        if len(pattern_text) == 9:
            return None
        number_field = pattern_text[:10]
        birth_field = pattern_text[13:20]
        return is_valid_mrz_field(number_field) and is_valid_mrz_field(birth_field)

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept = [r for r in results if not label_names_other_kind(text, r.start, r.end, ACCEPTED_LABELS)]
        return super()._boost_by_context(text, kept)
