
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.jp.jp_age import AgeRecognizer
from tests.recognizers import support

REC = AgeRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45歳", ["45歳"]),
        ("４５才", ["４５才"]),
        ("満45歳", ["満45歳"]),
        ("0歳児", ["0歳"]),
        ("120歳", ["120歳"]),
        ("20代", ["20代"]),
        ("30代前半の女性", ["30代"]),
        ("三十代", ["三十代"]),
        ("二十歳の誕生日", ["二十歳"]),
        ("三十五歳の男性", ["三十五歳"]),
        ("年齢：45", ["45"]),
        ("Age: 34", ["34"]),
        ("a 34-year-old man", ["34-year-old"]),
        ("34 years old", ["34 years old"]),
        ("患者は72歳で入院した", ["72歳"]),
        # spacing between number, unit and label: up to three spaces (bounded, so linear)
        ("45 歳", ["45 歳"]),
        ("満 45 歳", ["満 45 歳"]),
        ("４５　才", ["４５　才"]),
        ("年齢 : 45", ["45"]),
        ("age = 34", ["34"]),
        ("20 代", ["20 代"]),
        ("34  years old", ["34  years old"]),
    ],
)
def test_age_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "45",  # a bare number: the column name decides
        "121歳",
        "1000歳",
        "10代目社長",
        "代金3000円",
        "1990年代",
        "歳出100億円",
        "万歳",
        "千歳烏山",
        "page 12",
        "vol.3歳",
        "2024-01-15, 2024-02-01",
        "Ver.2.5",
    ],
)
def test_age_decoys(text: str) -> None:
    assert spans(text) == []


def test_context_raises_score() -> None:
    [bare] = REC.analyze("45歳", [REC.ENTITY], None)
    [boosted] = REC.analyze("年齢45歳", [REC.ENTITY], None)
    assert bare.score < boosted.score


@given(st.integers(0, 120), st.sampled_from(["歳", "才"]))
def test_every_age_is_found_in_a_sentence(age: int, unit: str) -> None:
    text = f"申込者は{age}{unit}です"
    assert spans(text) == [f"{age}{unit}"]
    assert prefilter_hits(text)


@given(st.integers(121, 99999))
def test_out_of_range_is_not_an_age(age: int) -> None:
    assert spans(f"{age}歳") == []


def test_long_runs_of_spaces_are_not_an_age_and_cost_no_backtracking() -> None:
    # 4,000 spaces between a number and its unit or label used to backtrack until the time budget.
    for value in ("45" + " " * 4000 + "歳", "年齢" + " " * 4000 + "45", " " * 4000):
        assert spans(value) == []
    assert REC.regex_timeouts == 0
