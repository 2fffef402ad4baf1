"""JpBasicPensionNumberRecognizer: 4-6 form alone; ten bare digits only with pension context."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_basic_pension_number import JpBasicPensionNumberRecognizer
from tests.recognizers import support

RECOGNIZER = JpBasicPensionNumberRecognizer()
ENTITY = "JP_BASIC_PENSION_NUMBER"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    ("1234-567890", "1234-567890", 0.35),
    ("１２３４－５６７８９０", "１２３４－５６７８９０", 0.35),  # full width
    ("１２３４ー５６７８９０", "１２３４ー５６７８９０", 0.35),  # long-vowel mark as dash
    ("基礎年金番号は1234-567890です", "1234-567890", 0.7),
    ("基礎年金番号：１２３４５６７８９０", "１２３４５６７８９０", 0.65),  # bare with context
    ("年金手帳 1234567890", "1234567890", 0.65),
    ("1234567890", None, 0.0),  # bare without context
    ("電話0312345678", None, 0.0),  # a landline, no pension context
    ("12345-567890", None, 0.0),
    ("1234-5678901", None, 0.0),
    ("03-1234-567890", None, 0.0),  # inside a longer hyphenated number
    ("2024-01-01", None, 0.0),
    # a space instead of the hyphen
    ("1234 567890", "1234 567890", 0.35),
    ("１２３４　５６７８９０", "１２３４　５６７８９０", 0.35),
    ("基礎年金番号 1234 567890", "1234 567890", 0.7),
    ("1 234 567 890", None, 0.0),  # an amount
    ("03 1234 567890", None, 0.0),  # inside a longer run
    ("1234 567890 12", None, 0.0),
]


@pytest.mark.parametrize(("text", "expected", "score"), CASES)
def test_table(text: str, expected: str | None, score: float) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, score)]
        assert prefilter_passes(text)
