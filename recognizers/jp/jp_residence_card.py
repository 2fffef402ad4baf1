"""JP_RESIDENCE_CARD: the residence card number (在留カード番号), e.g. AB12345678CD.

No check digit is public (validity is checked online at the Immigration Services Agency), but
two letters + eight digits + two letters is a rare shape in ordinary data.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import NOT_ALNUM_AFTER, NOT_ALNUM_BEFORE, JapanesePatternRecognizer
from recognizers.entities import EntityId

_NUMBER = NOT_ALNUM_BEFORE + r"[A-Z]{2}[0-9]{8}[A-Z]{2}" + NOT_ALNUM_AFTER


class JpResidenceCardRecognizer(JapanesePatternRecognizer):
    """在留カード番号 / 特別永住者証明書番号 (same layout)."""

    ENTITY: ClassVar[EntityId] = "JP_RESIDENCE_CARD"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("residence_card", _NUMBER, 0.5),)
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "在留カード",
        "在留資格",
        "在留期間",
        "特別永住者",
        "永住者証明書",
        "residence card",
        "zairyu",
    )
    PREFILTER: ClassVar[str | None] = r"[A-Z]{2}[0-9]{8}[A-Z]{2}"
