
import pytest

from recognizers.sensitive.disability import DisabilityRecognizer
from tests.recognizers import support

REC = DisabilityRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身体障害者手帳1級", ["身体障害者手帳1級"]),
        ("療育手帳あり", ["療育手帳"]),
        ("車椅子を使用", ["車椅子"]),
        ("精神障害者保健福祉手帳2級を所持", ["精神障害者保健福祉手帳2級"]),
        ("要介護度3", ["要介護度3"]),
        ("uses a wheelchair", ["wheelchair"]),
    ],
)
def test_disability_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "システム障害が発生しました",
        "通信障害のお知らせ",
        "障害物競走",
        "feature disabled",
        "手帳型ケース",
    ],
)
def test_disability_decoys(text: str) -> None:
    assert spans(text) == []
