
import pytest

from recognizers.sensitive.religion import ReligionRecognizer
from tests.recognizers import support

REC = ReligionRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("キリスト教", ["キリスト教"]),
        ("母は熱心な仏教徒です", ["仏教徒"]),
        ("宗教：創価学会", ["宗教", "創価学会"]),
        ("ｲｽﾗﾑ教徒", ["ｲｽﾗﾑ教徒"]),
        ("Religion: Catholic", ["Religion", "Catholic"]),
        ("He is a practising Muslim.", ["Muslim"]),
    ],
)
def test_religion_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "信号機の設置",
        "教会通りの店舗",
        "東京都千代田区",
        "1,980円",
        "islamicart2024.jpg",
    ],
)
def test_religion_decoys(text: str) -> None:
    assert spans(text) == []
