
import pytest

from recognizers.sensitive.political import PoliticalRecognizer
from tests.recognizers import support

REC = PoliticalRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("支持政党：立憲民主党", ["支持政党", "立憲民主党"]),
        ("自民党員", ["自民党"]),
        ("抗議デモに参加した", ["抗議デモ"]),
        ("署名活動と請願", ["署名活動", "請願"]),
        ("registered Democrat", ["Democrat"]),
    ],
)
def test_political_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "デモ機の貸出",
        "デモンストレーション",
        "左翼手として出場",
        "党首討論の視聴率",
        "party supplies",
    ],
)
def test_political_decoys(text: str) -> None:
    assert spans(text) == []
