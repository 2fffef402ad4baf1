"""JpPassportRecognizer: low score alone, context raises it, a valid MRZ makes it certain."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import mrz_check_digit
from recognizers.jp.jp_passport import JpPassportRecognizer
from tests.recognizers import support

RECOGNIZER = JpPassportRecognizer()
ENTITY = "JP_PASSPORT"
SPECIMEN_MRZ_LINE = "TR12345672JPN0001018M2501017<<<<<<<<<<<<<<08"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    ("TR1234567", "TR1234567", 0.4),  # bare shape: counts as a value, cannot tag a column alone
    ("ＴＲ１２３４５６７", "ＴＲ１２３４５６７", 0.4),  # full width
    ("旅券番号TR1234567", "TR1234567", 0.85),  # context, embedded without spaces
    ("パスポート番号はＭＺ９８７６５４３です", "ＭＺ９８７６５４３", 0.85),
    ("Passport No: TK0000001", "TK0000001", 0.85),
    (SPECIMEN_MRZ_LINE, "TR12345672JPN0001018M", 1.0),  # both MRZ check digits pass
    ("TR12345673JPN0001018M2501017", None, 0.0),  # number check digit broken
    ("TR12345672JPN0001019M2501017", None, 0.0),  # birth-date check digit broken
    ("tr1234567", None, 0.0),  # lower case is not a passport number
    ("ATR1234567", None, 0.0),  # three letters
    ("TR12345678", None, 0.0),  # eight digits
    ("TR123456", None, 0.0),  # six digits
    # the same shape under a label naming another code
    ("商品コード AB1234567", None, 0.0),
    ("注文番号：OR2026112", None, 0.0),
    ("会員番号 MB0012345", None, 0.0),
    ("1 234 567", None, 0.0),
    ("2026-01-25", None, 0.0),
]


def test_bare_number_counts_as_a_value_but_cannot_tag_a_column_alone() -> None:
    from pipeline.settings import ClassificationSettings, DetectionSettings  # the scanner's floors

    [(_, score)] = found("TK0000001")
    assert DetectionSettings().min_value_score <= score < ClassificationSettings().min_score
    assert score >= ClassificationSettings().name_min_score  # a passport header carries it


@pytest.mark.parametrize(("text", "expected", "score"), CASES)
def test_table(text: str, expected: str | None, score: float) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, score)]
        assert prefilter_passes(text)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2), st.integers(0, 9_999_999))
def test_generated_mrz_is_certain(letters: str, serial: int) -> None:
    number = f"{letters}{serial:07d}"
    birth = "850302"
    line = f"{number}{mrz_check_digit(number)}JPN{birth}{mrz_check_digit(birth)}F"
    assert found(line) == [(line, 1.0)]
