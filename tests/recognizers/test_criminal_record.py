
import pytest

from recognizers.sensitive.criminal_record import CriminalRecordRecognizer
from tests.recognizers import support

REC = CriminalRecordRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("前科あり", ["前科"]),
        ("逮捕歴：なし", ["逮捕歴"]),
        ("窃盗罪で起訴され懲役1年、執行猶予3年", ["窃盗罪", "起訴", "懲役", "執行猶予"]),
        ("不起訴処分", ["不起訴"]),
        ("criminal record: none", ["criminal record"]),
    ],
)
def test_criminal_record_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "出所を明記してください",
        "延滞罰金",
        "前歯の治療",
        "犯人役の俳優",
        "probation period of 3 months",
    ],
)
def test_criminal_record_decoys(text: str) -> None:
    assert spans(text) == []


def test_prior_conviction_found() -> None:
    assert spans("He has a prior conviction for fraud.") == ["prior conviction"]


def test_arrest_technique_training_is_not_a_record() -> None:
    assert spans("逮捕術の訓練") == []
