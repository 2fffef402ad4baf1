"""JP_ADDRESS: a Japanese street address — (prefecture) + municipality (市/区/町/村/郡) + block numbers
(1丁目2番3号, 一丁目, 1-2-3). A prefecture or a city named alone is not an address (see
:mod:`recognizers.jp.jp_prefecture`), and neither is a place name inside a product name
(北海道産ミルク): block numbers are required.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.jp.jp_prefecture import PREFECTURE_ALTERNATION

_NUM = r"(?:[0-9]{1,4}|[一二三四五六七八九十〇百]{1,4})"
# Municipality: a few kanji/katakana ending in 市区町村郡, but not words such as 市場, 区分, 町長.
_MUNICIPALITY = r"(?:[\p{Han}\p{Katakana}ヶケノの々ー]{1,8}?[市区町村郡](?![場長民議役営分間別画域切]))"
_MUNICIPALITIES = rf"(?:{_MUNICIPALITY}\s?){{1,3}}"
# Town name between the municipality and the block numbers (丸の内, 北1条西, 山下町, おもろまち,
# つつじが丘). Hiragana may not start it with a particle (横浜市の…, 大阪市で…), which would make
# a sentence about a city look like an address.
_HIRAGANA_TOWN_START = r"(?![のでにはがをへとやもかより]|から|まで|内)"
_TOWN = rf"(?:{_HIRAGANA_TOWN_START}\p{{Hiragana}}{{2,8}})?[\p{{Han}}\p{{Katakana}}ヶケノの々ー・0-9条]{{0,12}}?"
_BLOCK_WORDS = rf"{_NUM}\s?(?:丁目|番地|番|号)(?:\s?[-の]?\s?{_NUM}\s?(?:丁目|番地|番|号)?){{0,3}}"
_BLOCK_HYPHEN3 = r"[0-9]{1,4}-[0-9]{1,4}-[0-9]{1,4}(?:-[0-9]{1,4})?"
_BLOCK_HYPHEN2 = r"[0-9]{1,4}-[0-9]{1,4}"
_END = r"(?![0-9]|-[0-9])"

ADDRESS_PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "address_with_prefecture",
        rf"(?:{PREFECTURE_ALTERNATION})\s?{_MUNICIPALITIES}{_TOWN}\s?"
        rf"(?:{_BLOCK_WORDS}|{_BLOCK_HYPHEN3}|{_BLOCK_HYPHEN2}){_END}",
        0.85,
    ),
    # 湯本256: the block number written bare, trusted only after a prefecture and at a phrase end.
    Pattern(
        "address_with_prefecture_bare_number",
        rf"(?:{PREFECTURE_ALTERNATION})\s?{_MUNICIPALITIES}{_TOWN}\s?[0-9]{{1,4}}(?=\s|$|[、。,)）])",
        0.7,
    ),
    # Without a prefecture, 1-2 alone is too weak (a part number); 丁目/番地/号 or 1-2-3 is required.
    Pattern(
        "address_municipality",
        rf"{_MUNICIPALITIES}{_TOWN}\s?(?:{_BLOCK_WORDS}|{_BLOCK_HYPHEN3}){_END}",
        0.6,
    ),
)

ADDRESS_CONTEXT: tuple[str, ...] = (
    "住所", "所在地", "現住所", "在住", "居住", "住まい", "〒", "郵便番号", "マンション", "号室", "address",
)

# Superset: every match has a municipality suffix followed (later) by a block-number character.
ADDRESS_PREFILTER = r"[市区町村郡].*[0-9一二三四五六七八九十〇百]"


class JpAddressRecognizer(JapanesePatternRecognizer):
    """Japanese addresses down to the block number."""

    ENTITY: ClassVar[str] = "JP_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = ADDRESS_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = ADDRESS_CONTEXT
    PREFILTER: ClassVar[str | None] = ADDRESS_PREFILTER
