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
