"""JP_ADDRESS: a Japanese address, built as the 住居表示 / 地番 system and Japan Post write one:
prefecture (the 47 of JIS X 0401) + municipality units (市, 区 — also the wards of designated cities —,
郡, 町, 村; 地方自治法 第1条の3, 第252条の20) + town (大字/町名, 丸の内, 北1条西) + block numbers
(1丁目2番3号, 二丁目七番, 1-2-3), then optionally a building and room.

Block numbers are what makes text an address in general; without them (京都府京都市左京区下鴨半木町):
- after an address label in the same text (住所: …), a municipality is enough;
- as a whole value, a prefecture + municipality + town, or three municipality-or-town units starting at a
  municipality (横浜市中区山下町), is an address down to the town.
A prefecture or a city named alone is not an address (see :mod:`recognizers.jp.jp_prefecture`), and
neither is a place name inside a product name (北海道産ミルク).
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId
from recognizers.jp.jp_prefecture import PREFECTURE_ALTERNATION
from recognizers.organisations import ORGANISATION_ENDINGS, TRADE_NAME_ENDINGS

_NUM = r"(?:[0-9]{1,4}|[一二三四五六七八九十〇百]{1,4})"
# Municipality: a few kanji/katakana ending in 市区町村郡, but not words such as 市場, 区分, 町長.
_MUNICIPALITY = r"(?:[\p{Han}\p{Katakana}ヶケノの々ー]{1,8}?[市区町村郡](?![場長民議役営分間別画域切]))"
_MUNICIPALITIES = rf"(?:{_MUNICIPALITY}\s?){{1,3}}"
# After a prefecture, a municipality may also be written in hiragana (さいたま市, つくば市, いわき市,
# ときがわ町, 南あわじ市, かすみがうら市); not a particle before kanji (北海道から札幌市); alone,
# hiragana before 市/町 is too often a sentence.
_KANA_MUNICIPALITY = (
    r"(?:\p{Han}{0,3}(?!(?:の|で|に|は|が|を|へ|と|や|も|か|より|から|まで)\p{Han})\p{Hiragana}{2,6}\p{Han}{0,3}[市町村]"
    r"(?![場長民議役営分間別画域切立]))"
)
_MUNICIPALITIES_AFTER_PREFECTURE = rf"(?:(?:{_MUNICIPALITY}|{_KANA_MUNICIPALITY})\s?){{1,3}}"
# Town name between the municipality and the block numbers (丸の内, 北1条西, 山下町, おもろまち,
# つつじが丘). Hiragana may not start it with a particle (横浜市の…, 大阪市で…), which would make
# a sentence about a city look like an address.
_HIRAGANA_TOWN_START = r"(?![のでにはがをへとやもかより]|から|まで|内)"
# Kyoto writes a street and a direction into the town (寺町通御池上る上本能寺前町): 上る, 下る, 入る.
_TOWN = (
    rf"(?:{_HIRAGANA_TOWN_START}\p{{Hiragana}}{{2,8}})?(?:[上下入]る|\p{{Han}}が(?=\p{{Han}})|[\p{{Han}}\p{{Katakana}}ヶケノの々ー・0-9条]){{0,16}}?"
)
# After the first block word, a kanji numeral needs its own block word (1号 六本木ヒルズ is not 1号六).
_BLOCK_WORDS = (
    rf"{_NUM}\s?(?:丁目|番地|番|号)(?:\s?[-の]?\s?(?:{_NUM}\s?(?:丁目|番地|番|号)|[0-9]{{1,4}})){{0,3}}"
)
_BLOCK_HYPHEN3 = r"[0-9]{1,4}-[0-9]{1,4}-[0-9]{1,4}(?:-[0-9]{1,4})?"
_BLOCK_HYPHEN2 = r"[0-9]{1,4}-[0-9]{1,4}"
_END = r"(?![0-9]|-[0-9])"
# A building and room after the block numbers (六本木ヒルズ森タワー 12階, メゾン青葉 203号室): it only
# extends an address already found. The endings are the common kinds of building name (ビル, マンション,
# ハイツ, コーポ, 荘…); a bare room number (203号室) counts too.
_BUILDING_ENDINGS = (
    "ビルディング|ビル|マンション|ハイツ|コーポ|アパート|レジデンス|ヒルズ|タワー|プラザ|テラス|ハウス|メゾン"
    "|パレス|コート|ヴィラ|荘|館|寮|棟|団地|住宅"
)
_ROOM = r"[0-9]{1,4}(?:号室|号|階|F)"
_BUILDING_CHARS = r"[\p{Han}\p{Katakana}ー・A-Za-z0-9]"
_BUILDING = (
    rf"(?:\s?(?:{_BUILDING_CHARS}{{0,16}}(?:{_BUILDING_ENDINGS}){_BUILDING_CHARS}{{0,8}}(?:\s?[A-Z0-9]{{1,3}}棟)?"
    rf"(?:\s?{_ROOM})?|{_ROOM}))?"
)
# Not a town: what a product, shop, event or sentence puts after a place name (札幌市限定, 港区在住,
# 梅田駅前店, 市内全域), at the start of the would-be town or at its end.
_NOT_A_TOWN_WORDS = r"限定|産|製|発|主催|在住|出身|周辺|近郊|全域|以外|以内|方面|地域|地区|役所|役場|議会"
# A school, hospital, office or company after a place is that body's name (軽井沢町立松原小学校).
_ORGANISATION_END = "|".join(sorted(ORGANISATION_ENDINGS + TRADE_NAME_ENDINGS, key=len, reverse=True))
# A town ending in 市, 区 or 郡 is another unit: 横浜市中区 is a city and a ward, not a town.
_NOT_A_TOWN_END = (
    rf"(?<!{_NOT_A_TOWN_WORDS}|店|駅|駅前|本社|支社|工場|会場|営業所|事務所|[市区郡]|{_ORGANISATION_END})"
)
# The generic words for the kinds of units are not an address (都道府県市区町村, 区市町村別).
_NOT_UNIT_WORDS = r"(?!\S{0,12}(?:都道府県|市区町村|区市町村|市町村|区町村))"
# A town without block numbers (下鴨半木町, 丸の内, おもろまち): kanji/katakana, or hiragana not starting
# with a particle (つつじが丘); の and が only inside (丸の内, 霞が関; not 千代田区の人口), and no digits.
# Katakana only as in place names (霞ヶ関, 竜ケ崎): a katakana word after a city is a shop or an event.
_TOWN_NO_BLOCK = (
    rf"(?!{_NOT_A_TOWN_WORDS}|内)"
    rf"(?:{_HIRAGANA_TOWN_START}\p{{Hiragana}}{{2,8}}\p{{Han}}{{0,4}}|(?:[上下入]る|[\p{{Han}}ヶケノ々]){{1,16}}(?:[のが]\p{{Han}}{{1,4}})?)"
    # Hokkaido's grid towns end in a numbered 条 (旭川市末広4条, 札幌市中央区北1条西).
    r"(?:[0-9一二三四五六七八九十]{1,2}条[東西南北]?)?"
)
# Words that label what follows as an address (the same labels forms and exports use).
_ADDRESS_LABEL = (
    r"(?:住所|現住所|所在地|居所|住居|送付先|お届け先|届け先|配送先|発送先|請求先|連絡先住所|勤務先住所|(?i:address))"
)
_PHRASE_END = r"(?=\s*\Z|\s|[、。,，)）」』/／])"

ADDRESS_PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "address_with_prefecture",
        rf"(?:{PREFECTURE_ALTERNATION})\s?{_MUNICIPALITIES_AFTER_PREFECTURE}{_TOWN}\s?"
        rf"(?:{_BLOCK_WORDS}|{_BLOCK_HYPHEN3}|{_BLOCK_HYPHEN2}){_BUILDING}{_END}",
        0.85,
    ),
    # 湯本256: the block number written bare, trusted only after a prefecture and at a phrase end.
    Pattern(
        "address_with_prefecture_bare_number",
        rf"(?:{PREFECTURE_ALTERNATION})\s?{_MUNICIPALITIES_AFTER_PREFECTURE}{_TOWN}\s?[0-9]{{1,4}}(?=\s|$|[、。,)）])",
        0.7,
    ),
    # Without a prefecture, 1-2 alone is too weak (a part number); 丁目/番地/号 or 1-2-3 is required.
    # The lookaheads only make failing fast: a municipality starts here, and a numeral follows.
    Pattern(
        "address_municipality",
        rf"(?=[\p{{Han}}\p{{Katakana}}ヶケノの々ー]{{1,8}}?[市区町村郡])(?=[^\n]{{2,64}}?[0-9一二三四五六七八九十〇百])"
        rf"{_MUNICIPALITIES}{_TOWN}\s?(?:{_BLOCK_WORDS}|{_BLOCK_HYPHEN3}){_BUILDING}{_END}",
        0.6,
    ),
    # No block number, after an address label: (prefecture +) municipality (+ town) is the address given.
    Pattern(
        "address_after_label",
        rf"{_ADDRESS_LABEL}[^\S\n]{{0,2}}[:：]?[^\S\n]{{0,2}}\K"
        rf"{_NOT_UNIT_WORDS}(?:(?:{PREFECTURE_ALTERNATION})\s?{_MUNICIPALITIES_AFTER_PREFECTURE}|{_MUNICIPALITIES})"
        rf"(?:{_TOWN_NO_BLOCK}(?<![市区郡]))?{_PHRASE_END}",
        0.55,
    ),
    # No block number, the whole value: prefecture + municipality + town (a ward alone, 横浜市中区, is an area).
    Pattern(
        "address_town_with_prefecture",
        rf"\A\s*\K{_NOT_UNIT_WORDS}(?:{PREFECTURE_ALTERNATION})\s?{_MUNICIPALITIES_AFTER_PREFECTURE}{_TOWN_NO_BLOCK}{_NOT_A_TOWN_END}(?=\s*\Z)",
        0.6,
    ),
    # No block number and no prefecture, the whole value: three units from a municipality (横浜市中区山下町),
    # or a city or county and a 町/村 in it (弘前市南柳町, 足柄下郡箱根町).
    Pattern(
        "address_town_from_municipality",
        rf"\A\s*\K{_NOT_UNIT_WORDS}{_MUNICIPALITY}\s?{_MUNICIPALITY}\s?(?:{_MUNICIPALITY}|{_TOWN_NO_BLOCK})"
        rf"{_NOT_A_TOWN_END}(?=\s*\Z)",
        0.55,
    ),
    Pattern(
        "address_town_in_city",
        rf"\A\s*\K{_NOT_UNIT_WORDS}[\p{{Han}}ヶケノの々]{{1,6}}?[市郡]\s?(?![市区町村郡])[\p{{Han}}ヶケノ々]{{1,6}}[町村]{_NOT_A_TOWN_END}(?=\s*\Z)",
        0.5,
    ),
)

ADDRESS_CONTEXT: tuple[str, ...] = (
    "住所", "所在地", "現住所", "在住", "居住", "住まい", "〒", "郵便番号", "マンション", "号室", "address",
)

# Superset: every match has a municipality suffix followed (later) by a block-number character, or
# an address label before a unit suffix, or the whole value is words with a unit suffix (RE2 syntax).
ADDRESS_PREFILTER = (
    r"[市区町村郡].*[0-9一二三四五六七八九十〇百]"
    r"|(?:住所|所在地|居所|住居|送付先|届け先|配送先|発送先|請求先|(?i:address)).*[市区町村郡]"
    r"|\A\s*[\p{Han}\p{Hiragana}\p{Katakana}ー\s]*[市区町村郡][\p{Han}\p{Hiragana}\p{Katakana}ー\s]*\z"
)


class JpAddressRecognizer(JapanesePatternRecognizer):
    """Japanese addresses down to the block number."""

    ENTITY: ClassVar[EntityId] = "JP_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = ADDRESS_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = ADDRESS_CONTEXT
    PREFILTER: ClassVar[str | None] = ADDRESS_PREFILTER
