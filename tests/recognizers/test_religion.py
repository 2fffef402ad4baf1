
import pytest

from recognizers.normalize import prefilter_accepts
from recognizers.sensitive.religion import ReligionRecognizer

REC = ReligionRecognizer()


def spans(text: str) -> list[str]:
    return [text[r.start : r.end] for r in REC.analyze(text, [REC.ENTITY], None)]


def prefilter_hits(text: str) -> bool:
    assert REC.PREFILTER is not None
    return prefilter_accepts(REC.PREFILTER, text)


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
