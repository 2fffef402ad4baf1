"""DOMICILE: the place of a family register (本籍 / 本籍地), finer than a prefecture.

The policy treats 本籍 as social-status information "except the prefecture", so a 本籍 that
names only a prefecture (本籍：東京都) is left to the prefecture recognizer.
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

# A place: kanji, digits and block separators; kana only as part of a municipality name
# (さいたま市, つくば市), so that a following particle (です, の) ends the match.
_PLACE = r"(?:[\u3400-\u9FFF々〆ヶヵケ0-9\-]|[ぁ-んァ-ヶー]+(?=[市町村区郡]))+"
_LABEL = r"(?:本籍地|本籍|原籍)"
_PREFECTURE_ONLY = re.compile(r"(?:北海道|東京都|京都府|大阪府|[\u4E00-\u9FFF]{2,3}県)")


class DomicileRecognizer(JapanesePatternRecognizer):
    """A place written after 本籍/本籍地 (the span is the place, not the label)."""

    ENTITY: ClassVar[EntityId] = "DOMICILE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("domicile_labelled", rf"(?<={_LABEL}\s{{0,3}}(?:[:は=]|の所在地は)?\s{{0,3}}){_PLACE}", 0.75),
    )
    # The label itself is part of every match, so only other family-register words add evidence.
    CONTEXT: ClassVar[tuple[str, ...]] = ("戸籍", "筆頭者", "除籍")
    PREFILTER: ClassVar[str | None] = r"本籍|原籍"

    def validate_result(self, pattern_text: str) -> bool | None:
        # A lone prefecture is excluded by the policy; a lone number or "地" is no place.
        if _PREFECTURE_ONLY.fullmatch(pattern_text):
            return False
        if not re.search(r"[\u3400-\u9FFF]{2}|[ぁ-んァ-ヶ]", pattern_text):
            return False
        return None
