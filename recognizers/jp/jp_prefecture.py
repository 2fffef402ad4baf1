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

# (name with suffix, romaji); the 47 prefectures in JIS X 0401 order.
PREFECTURES: tuple[tuple[str, str], ...] = (
    ("北海道", "Hokkaido"), ("青森県", "Aomori"), ("岩手県", "Iwate"), ("宮城県", "Miyagi"),
    ("秋田県", "Akita"), ("山形県", "Yamagata"), ("福島県", "Fukushima"), ("茨城県", "Ibaraki"),
    ("栃木県", "Tochigi"), ("群馬県", "Gunma"), ("埼玉県", "Saitama"), ("千葉県", "Chiba"),
    ("東京都", "Tokyo"), ("神奈川県", "Kanagawa"), ("新潟県", "Niigata"), ("富山県", "Toyama"),
    ("石川県", "Ishikawa"), ("福井県", "Fukui"), ("山梨県", "Yamanashi"), ("長野県", "Nagano"),
    ("岐阜県", "Gifu"), ("静岡県", "Shizuoka"), ("愛知県", "Aichi"), ("三重県", "Mie"),
    ("滋賀県", "Shiga"), ("京都府", "Kyoto"), ("大阪府", "Osaka"), ("兵庫県", "Hyogo"),
    ("奈良県", "Nara"), ("和歌山県", "Wakayama"), ("鳥取県", "Tottori"), ("島根県", "Shimane"),
    ("岡山県", "Okayama"), ("広島県", "Hiroshima"), ("山口県", "Yamaguchi"), ("徳島県", "Tokushima"),
    ("香川県", "Kagawa"), ("愛媛県", "Ehime"), ("高知県", "Kochi"), ("福岡県", "Fukuoka"),
    ("佐賀県", "Saga"), ("長崎県", "Nagasaki"), ("熊本県", "Kumamoto"), ("大分県", "Oita"),
    ("宮崎県", "Miyazaki"), ("鹿児島県", "Kagoshima"), ("沖縄県", "Okinawa"),
)

PREFECTURE_NAMES: tuple[str, ...] = tuple(name for name, _ in PREFECTURES)
# 北海道 keeps its 道: "北海" alone is not the prefecture.
PREFECTURE_STEMS: tuple[str, ...] = tuple(n if n == "北海道" else n[:-1] for n in PREFECTURE_NAMES)

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
