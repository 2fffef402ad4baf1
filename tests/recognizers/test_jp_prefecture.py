"""JpPrefectureRecognizer: prefecture as a residential area, never inside a product name."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_prefecture import PREFECTURES, JpPrefectureRecognizer
from tests.recognizers import support

REC = JpPrefectureRecognizer()


def found(text: str) -> list[str]:
    return [text[r.start : r.end] for r in REC.analyze(text, ["JP_PREFECTURE"])]


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("東京都", "東京都"),
        ("東京", "東京"),
        ("大阪府", "大阪府"),
        ("北海道", "北海道"),
        ("沖縄県", "沖縄県"),
        ("京都", "京都"),
        (" 神奈川 ", "神奈川"),
        ("Tokyo", "Tokyo"),
        ("OSAKA", "OSAKA"),
        ("ＴＯＫＹＯ", "ＴＯＫＹＯ"),
        ("osaka-fu", "osaka-fu"),
        ("東京都在住です", "東京都"),
        ("住所は北海道札幌市です", "北海道"),
        ("東京都千代田区丸の内1-1-1", "東京都"),
        ("兵庫県、", "兵庫県"),
    ],
)
def test_prefecture_found(text: str, span: str) -> None:
    assert found(text) == [span]
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    ["北海道産ミルク", "京都宇治抹茶", "沖縄風ソーキそば", "大阪名物たこ焼き", "北海道限定", "北海道産牛乳の市場",
     "東京ばな奈", "北海", "Tokyo Tower", "山田太郎"],
)
def test_prefecture_not_found(text: str) -> None:
    assert found(text) == []


def test_all_47_prefectures_as_values() -> None:
    assert len(PREFECTURES) == 47
    for name, romaji in PREFECTURES:
        assert found(name) == [name]
        assert found(romaji) == [romaji]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("出身地は香川県です", "香川県"),
        ("出身は北海道で", "北海道"),
        ("出身地：大阪府", "大阪府"),
        ("大阪府生まれ", "大阪府"),
        ("沖縄県育ちです", "沖縄県"),
    ],
)
def test_prefecture_after_or_before_a_residence_word(text: str, span: str) -> None:
    assert found(text) == [span]
    assert passes_prefilter(text)


@pytest.mark.parametrize("text", ["出身地は香川県産の小麦", "香川県です"])
def test_prefecture_with_residence_word_but_product_or_no_residence(text: str) -> None:
    assert found(text) == []
