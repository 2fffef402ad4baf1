"""JpAddressRecognizer: municipality + block numbers; a place name alone is not an address."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_address import JpAddressRecognizer
from tests.recognizers import support

REC = JpAddressRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "span", "min_score"),
    [
        ("東京都千代田区丸の内1-1-1", "東京都千代田区丸の内1-1-1", 0.8),
        ("東京都千代田区丸の内１－１－１", "東京都千代田区丸の内１－１－１", 0.8),
        ("東京都 千代田区 丸の内 1-1-1", "東京都 千代田区 丸の内 1-1-1", 0.8),
        ("東京都千代田区丸の内一丁目1番1号", "東京都千代田区丸の内一丁目1番1号", 0.8),
        ("大阪府大阪市北区梅田3丁目1番3号", "大阪府大阪市北区梅田3丁目1番3号", 0.8),
        ("北海道札幌市中央区北1条西2丁目", "北海道札幌市中央区北1条西2丁目", 0.8),
        ("神奈川県足柄下郡箱根町湯本256", "神奈川県足柄下郡箱根町湯本256", 0.6),
        ("横浜市中区山下町1番地", "横浜市中区山下町1番地", 0.5),
        ("住所は横浜市中区山下町1番地です", "横浜市中区山下町1番地", 0.9),
        ("渋谷区渋谷2-21-1 渋谷ヒカリエ", "渋谷区渋谷2-21-1", 0.5),
    ],
)
def test_address_found(text: str, span: str, min_score: float) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert results[0][1] >= min_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        "東京都千代田区",  # no block numbers
        "横浜市",
        "東京都",
        "北海道産ミルク",  # place names inside product names
        "京都宇治抹茶",
        "北海道産ミルク 1-2-3",
        "商品区分1-2",
        "市場3-4-5",
        "東京都千代田区の人口5万人",
        "03-1234-5678",
    ],
)
def test_address_not_found(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("沖縄県那覇市おもろまち4-1-1", "沖縄県那覇市おもろまち4-1-1"),
        ("那覇市おもろまち3丁目2番1号", "那覇市おもろまち3丁目2番1号"),
        ("住所：神奈川県横浜市青葉区つつじが丘12-3", "神奈川県横浜市青葉区つつじが丘12-3"),
    ],
)
def test_hiragana_town_names(text: str, span: str) -> None:
    assert [s for s, _ in found(text)] == [span]
    assert passes_prefilter(text)


@pytest.mark.parametrize("text", ["大阪市のお店で1番人気", "横浜市では3丁目から", "札幌市内から3番目"])
def test_particle_after_a_city_is_not_a_town(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "span", "min_score", "max_score"),
    [
        # no block number after an address label: prefecture + municipality (+ town)
        ("住所: 京都府京都市左京区下鴨半木町", "京都府京都市左京区下鴨半木町", 0.85, 0.95),
        ("住所：横浜市中区山下町", "横浜市中区山下町", 0.85, 0.95),
        ("住所: 東京都千代田区", "東京都千代田区", 0.85, 0.95),
        ("所在地 大阪府大阪市北区梅田", "大阪府大阪市北区梅田", 0.85, 0.95),
        ("Address: 東京都港区", "東京都港区", 0.85, 0.95),
        ("住所 北海道余市郡余市町", "北海道余市郡余市町", 0.85, 0.95),
        ("住所: 京都府京都市左京区下鴨半木町 (自宅)", "京都府京都市左京区下鴨半木町", 0.85, 0.95),
        # no block number, the whole value: down to the town
        ("京都府京都市左京区下鴨半木町", "京都府京都市左京区下鴨半木町", 0.55, 0.65),
        ("東京都千代田区丸の内", "東京都千代田区丸の内", 0.55, 0.65),
        ("東京都千代田区霞が関", "東京都千代田区霞が関", 0.55, 0.65),
        ("神奈川県横浜市青葉区つつじが丘", "神奈川県横浜市青葉区つつじが丘", 0.55, 0.65),
        ("神奈川県足柄下郡箱根町湯本", "神奈川県足柄下郡箱根町湯本", 0.55, 0.65),
        ("大阪府大阪市北区梅田", "大阪府大阪市北区梅田", 0.55, 0.65),
        ("横浜市中区山下町", "横浜市中区山下町", 0.5, 0.6),  # from the municipality
        ("弘前市南柳町", "弘前市南柳町", 0.45, 0.55),
        ("住所: 茨城県笠間市友部駅前", "茨城県笠間市友部駅前", 0.85, 0.95),  # a real town after a label
        # 丁目/番地 in kanji numerals, and buildings
        ("横浜市中区山下町一番地", "横浜市中区山下町一番地", 0.55, 0.65),
        ("東京都千代田区丸の内二丁目七番三号", "東京都千代田区丸の内二丁目七番三号", 0.8, 0.9),
        (
            "東京都港区六本木六丁目10番1号 六本木ヒルズ森タワー",
            "東京都港区六本木六丁目10番1号 六本木ヒルズ森タワー",
            0.8,
            0.9,
        ),
        ("東京都世田谷区桜新町1-2-3 メゾン桜 203号室", "東京都世田谷区桜新町1-2-3 メゾン桜 203号室", 0.8, 0.9),
        ("東京都世田谷区桜新町1-2-3 203号室", "東京都世田谷区桜新町1-2-3 203号室", 0.8, 0.9),
        # municipalities in hiragana after a prefecture; Kyoto's street-and-direction towns
        ("埼玉県さいたま市浦和区高砂三丁目15番1号", "埼玉県さいたま市浦和区高砂三丁目15番1号", 0.8, 0.9),
        ("茨城県つくば市千現1-2-1", "茨城県つくば市千現1-2-1", 0.8, 0.9),
        ("茨城県かすみがうら市五反田", "茨城県かすみがうら市五反田", 0.55, 0.65),
        ("静岡県裾野市千福が丘3-24-6", "静岡県裾野市千福が丘3-24-6", 0.8, 0.9),
        ("神奈川県藤沢市立石7-25-10", "神奈川県藤沢市立石7-25-10", 0.8, 0.9),  # 市立 here is 市 + 立石
        ("住所：福島県いわき市平梅本", "福島県いわき市平梅本", 0.85, 0.95),
        (
            "京都市中京区寺町通御池上る上本能寺前町488番地",
            "京都市中京区寺町通御池上る上本能寺前町488番地",
            0.55,
            0.65,
        ),
        (
            "住所：京都府京都市中京区寺町通御池上る上本能寺前町",
            "京都府京都市中京区寺町通御池上る上本能寺前町",
            0.85,
            0.95,
        ),
    ],
)
def test_address_without_block_number_and_buildings(text: str, span: str, min_score: float, max_score: float) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert min_score <= results[0][1] <= max_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        "東京都",  # a prefecture alone stays JP_PREFECTURE
        "京都府",
        "住所: 東京都",
        "千葉県市川市",  # prefecture + one municipality, no town, no label
        "京都市左京区",
        "横浜市中区",
        "神奈川県横浜市中区",  # a ward of a designated city is an area
        "北佐久郡軽井沢町市立松原小学校",  # a school's name
        "長野県北佐久郡軽井沢町立東部小学校",
        "東京都千代田区役所",
        "大阪府大阪市北区梅田病院",
        "横浜市内全域",
        "都道府県市区町村",  # the words for the kinds of unit
        "区市町村別人口",
        "東京都港区限定セール",  # events, shops, residences
        "大阪府大阪市北区梅田駅前店",
        "東京都品川区 品川駅前",
        "住所：東京都港区在住",
        "北海道札幌市限定",
        "那覇市おもろまち",  # one municipality and a town, without a label
        "さっき町で3番目",  # hiragana before 町 without a prefecture is a sentence
        "北海道から札幌市へ1番",  # a particle before kanji is not a hiragana municipality
        "大阪市が1番",
        "この商品は東京都千代田区丸の内で販売",
        "株式会社山田",
        "営業部長",
    ],
)
def test_place_names_without_an_address_shape_not_found(text: str) -> None:
    assert found(text) == []


def test_a_prefecture_alone_is_a_prefecture_not_an_address() -> None:
    from recognizers.jp.jp_prefecture import JpPrefectureRecognizer

    assert support.spans(JpPrefectureRecognizer(), "東京都") == ["東京都"]
    assert found("東京都") == []


PATTERNS_CHECKED_LINEAR = (
    "address_municipality",
    "address_after_label",
    "address_town_with_prefecture",
    "address_town_from_municipality",
    "address_town_in_city",
)


@pytest.mark.parametrize("name", PATTERNS_CHECKED_LINEAR)
@pytest.mark.parametrize(
    "text",
    ["住所:" + "東" * 5000, "横浜" * 3000 + "1丁目", "東京都" + "市" * 5000, "住所: " + "横浜市" * 2000 + "中区", "市" * 3000 + "丁目" * 500,
     "住所" * 3000, "京都府" + "町の" * 3000],
)
def test_new_and_reworked_patterns_are_linear(name: str, text: str) -> None:
    import time

    import regex as re

    from recognizers.jp.jp_address import ADDRESS_PATTERNS

    pattern = next(p for p in ADDRESS_PATTERNS if p.name == name)
    compiled = re.compile(pattern.regex, re.DOTALL | re.MULTILINE)
    start = time.perf_counter()
    list(compiled.finditer(text, timeout=5))
    assert time.perf_counter() - start < 0.5
