"""JP_MY_NUMBER: the 12-digit individual number (個人番号), decided by its mod-11 check digit."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer, digits_only
from recognizers.checksums import is_valid_my_number
from recognizers.entities import EntityId
from recognizers.labels import NumberKind, label_names_other_kind

# A 12-digit run that is not part of a longer digit sequence, also not one continued by
# separators (so "4111 1111 1111 1111" or a 13-digit JAN code never yields a My Number), nor
# digits joined by '.' to other digits (timestamps in cookies, decimals, version strings).
_COMPACT = r"(?<![0-9])(?<![0-9][-.])[0-9]{12}(?![0-9])(?![-.][0-9])"
# 4-4-4 with one consistent separator (hyphen or space).
_GROUPED = r"(?<![0-9])(?<![0-9][-. ])[0-9]{4}([- ])[0-9]{4}\1[0-9]{4}(?![0-9])(?![-. ][0-9])"

# Labels under which a 12-digit number may be a My Number (none at all counts too).
ACCEPTED_LABELS = frozenset({NumberKind.MY_NUMBER})


class JpMyNumberRecognizer(JapanesePatternRecognizer):
    """個人番号. The pattern score is never used on its own: the check digit keeps or drops."""

    ENTITY: ClassVar[EntityId] = "JP_MY_NUMBER"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("my_number_compact", _COMPACT, 0.5),
        Pattern("my_number_grouped", _GROUPED, 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "個人番号",
        "マイナンバー",
        "通知カード",
        "個人番号カード",
        "my number",
        "mynumber",
        "individual number",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}"

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_only(pattern_text)
        # All-same-digit strings (000000000000 passes mod 11) are placeholders, not numbers.
        if len(set(digits)) == 1:
            return False
        return is_valid_my_number(digits)

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        # 1 licence or UPC-A code in ~10 passes mod 11 too: a label naming another number decides.
        kept = [r for r in results if not label_names_other_kind(text, r.start, r.end, ACCEPTED_LABELS)]
        return super()._boost_by_context(text, kept)
