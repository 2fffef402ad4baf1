
import pytest

from recognizers.sensitive.sex_life import SexLifeRecognizer
from tests.recognizers import support

REC = SexLifeRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("性的指向", ["性的指向"]),
        ("LGBTQ+の当事者", ["LGBTQ+"]),
        ("同性パートナーと同居", ["同性パートナー"]),
        ("性感染症の検査", ["性感染症"]),
        ("sexual orientation: gay", ["sexual orientation", "gay"]),
    ],
)
def test_sex_life_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "ゲイン調整",
        "ゲート前集合",
        "パートナーシップ契約",
        "性能評価",
        "Marvin Gaye",
    ],
)
def test_sex_life_decoys(text: str) -> None:
    assert spans(text) == []
