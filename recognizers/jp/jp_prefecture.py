"""JP_PREFECTURE (attribute: residential area): a prefecture named as a value (東京都, 大阪, Tokyo) or
in text where it starts an address or a residence (東京都在住, 北海道札幌市…).

A prefecture inside a product or shop name (北海道産ミルク, 京都宇治抹茶, 沖縄風) is not a residence, so
in running text only the full name with its suffix counts, and only before a municipality, a
residence word or the end of a phrase.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId
from recognizers.prefectures import PREFECTURE_NAMES as PREFECTURE_NAMES
from recognizers.prefectures import PREFECTURE_STEMS as PREFECTURE_STEMS
from recognizers.prefectures import PREFECTURES as PREFECTURES

PREFECTURE_ALTERNATION = "|".join(sorted(PREFECTURE_NAMES, key=len, reverse=True))
_STEM_ALTERNATION = "|".join(sorted(PREFECTURE_STEMS, key=len, reverse=True))
_ROMAJI_ALTERNATION = "|".join(r for _, r in PREFECTURES)

# What may follow a prefecture in running text for it to be a place of residence: a municipality
# (kanji/kana ending in 市区町村郡 within a few characters), a residence word, or the end of a phrase.
_FOLLOW = (
    r"(?!産|風|名物|名産|限定|発|製|土産|仕立|ブランド)"
    r"(?=\s*$|\s*[、。,.)）」』/／\s]|在住|出身|住み|住まい|生まれ|育ち|に住|へ転居|に転居|から転居|に引っ越|へ引っ越"
    r"|[\p{Han}\p{Katakana}ヶケの]{1,7}?[市区町村郡](?![場長民議役営]))"
)
# Before a prefecture, these make it the person's place of residence or origin (出身地は香川県です).
_RESIDENCE_BEFORE = r"(?:出身地|出身|出生地|現住所|住所|居住地|居住|在住|住まい|実家|本拠|生まれ)(?:は|が|も|:|\s)*"

PREFECTURE_PATTERNS: tuple[Pattern, ...] = (
    # The whole value is a prefecture, with or without its suffix (東京都 / 東京 / 東京都 在住).
    Pattern("prefecture_value", rf"(?<=\A\s*)(?:{PREFECTURE_ALTERNATION}|{_STEM_ALTERNATION})(?=\s*\Z)", 0.8),
    Pattern(
        "prefecture_romaji_value",
        rf"(?<=\A\s*)(?i:(?:{_ROMAJI_ALTERNATION})(?:[- ](?:to|fu|ken|prefecture))?)(?=\s*\Z)",
        0.7,
    ),
    Pattern("prefecture_in_text", rf"(?:{PREFECTURE_ALTERNATION}){_FOLLOW}", 0.6),
    # After a residence word any ending will do, except a product's (出身地は香川県です).
    Pattern(
        "prefecture_after_residence_word",
        rf"(?<={_RESIDENCE_BEFORE})(?:{PREFECTURE_ALTERNATION})(?!産|風|名物|名産|限定|発|製|土産|仕立|ブランド)",
        0.6,
    ),
)

PREFECTURE_CONTEXT: tuple[str, ...] = ("都道府県", "在住", "居住", "住所", "出身", "prefecture")

# Superset: every pattern contains a prefecture stem or a romaji name (RE2, case-insensitive group).
PREFECTURE_PREFILTER = rf"{_STEM_ALTERNATION}|(?i:{_ROMAJI_ALTERNATION})"


class JpPrefectureRecognizer(JapanesePatternRecognizer):
    """Prefecture names used as a residential area."""

    ENTITY: ClassVar[EntityId] = "JP_PREFECTURE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = PREFECTURE_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = PREFECTURE_CONTEXT
    PREFILTER: ClassVar[str | None] = PREFECTURE_PREFILTER
