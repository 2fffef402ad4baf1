
import pytest

from recognizers.sensitive.race import RaceRecognizer
from tests.recognizers import support

REC = RaceRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("人種：アジア系", ["人種", "アジア系"]),
        ("被差別部落の出身", ["被差別部落"]),
        ("在日コリアン三世", ["在日コリアン"]),
        ("アイヌ民族の文化", ["アイヌ民族"]),
        ("Ethnicity: Hispanic", ["Ethnicity", "Hispanic"]),
    ],
)
def test_race_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "国籍：ベトナム",
        "日本国籍",
        "レース結果",
        "horse race results",
        "ドライバー",
    ],
)
def test_race_decoys(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日系ブラジル人のため通訳を手配した", ["日系ブラジル人"]),
        ("朝鮮籍", ["朝鮮籍"]),
        ("アイヌ民族", ["アイヌ民族"]),
        ("被差別部落出身", ["被差別部落"]),
    ],
)
def test_ethnic_origin_found(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


# Nationality alone is not 人種 under the APPI (nor is skin colour alone).
@pytest.mark.parametrize("text", ["ベトナム国籍", "国籍：フィリピン", "Nationality: Vietnamese", "中国籍", "日系企業に勤務"])
def test_nationality_alone_is_not_race(text: str) -> None:
    assert [r for r in REC.analyze(text, [REC.ENTITY], None) if r.score >= 0.4] == []
