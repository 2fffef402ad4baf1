
import pytest

from recognizers.jp.jp_gender import GenderRecognizer
from tests.recognizers import support

REC = GenderRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected", "low", "high"),
    [
        ("男性", "男性", 0.8, 1.0),
        ("女性", "女性", 0.8, 1.0),
        ("female", "female", 0.8, 1.0),
        ("Male", "Male", 0.8, 1.0),
        ("男", "男", 0.5, 0.7),
        ("女 ", "女", 0.5, 0.7),
        ("女子", "女子", 0.5, 0.7),
        (" F ", "F", 0.3, 0.4),  # also a size or a grade
        ("Ｍ", "Ｍ", 0.3, 0.4),
        ("性別：男", "男", 0.85, 1.0),
        ("性別は女性です", "女性", 0.85, 1.0),
        ("gender: M", "M", 0.85, 1.0),
        ("30代女性、会社員", "女性", 0.5, 1.0),
        ("a female patient", "female", 0.3, 0.5),
    ],
)
def test_gender_table(text: str, expected: str, low: float, high: float) -> None:
    [(span, score)] = found(text)
    assert span == expected
    assert low <= score <= high
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "女性用シャンプー",
        "女性誌",
        "女性ホルモン",
        "男性向けスキンケア",
        "女性活躍推進法",
        "彼女",
        "男の子",
        "女子会プラン",
        "Mサイズ",
        "M size",
        "MF",
        "FEMALEconnector",
        "その他",
    ],
)
def test_gender_decoys(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", ["性別: M", "性別: F", "性別：ｍ", "性別=F"])
def test_labelled_letters_pass_the_prefilter_and_are_found(text: str) -> None:
    assert prefilter_hits(text)
    assert [score for _, score in found(text)] and found(text)[0][1] >= 0.8
