
import pytest

from recognizers.sensitive.domicile import DomicileRecognizer
from tests.recognizers import support

REC = DomicileRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本籍：東京都千代田区千代田１番", "東京都千代田区千代田１番"),
        ("本籍は埼玉県さいたま市浦和区です", "埼玉県さいたま市浦和区"),
        ("本籍 京都府京都市左京区", "京都府京都市左京区"),
        ("本籍地:大阪府大阪市北区梅田1-2", "大阪府大阪市北区梅田1-2"),
        ("筆頭者 山田太郎、本籍 北海道札幌市中央区", "北海道札幌市中央区"),
    ],
)
def test_domicile_table(text: str, expected: str) -> None:
    [(span, score)] = found(text)
    assert span == expected
    assert 0.6 <= score <= 1.0
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "本籍：東京都",  # a prefecture alone is excluded by the policy
        "本籍地は大阪府です",
        "本籍:北海道",
        "本籍地を記載してください",
        "住所：東京都千代田区千代田1番",  # an address is not a domicile
        "出身地：京都市",
    ],
)
def test_domicile_decoys(text: str) -> None:
    assert found(text) == []
