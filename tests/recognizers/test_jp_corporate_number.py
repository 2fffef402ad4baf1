"""JpCorporateNumberRecognizer: leading check digit decides; JAN codes are not corporate numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import corporate_number_check_digit
from recognizers.jp.jp_corporate_number import JpCorporateNumberRecognizer
from tests.recognizers import support

RECOGNIZER = JpCorporateNumberRecognizer()
ENTITY = "JP_CORPORATE_NUMBER"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    ("7000012050002", "7000012050002"),  # 国税庁
    ("8000020132055", "8000020132055"),  # 青梅市
    ("1180301018771", "1180301018771"),
    ("７００００１２０５０００２", "７００００１２０５０００２"),  # full width
    ("法人番号は7000012050002です", "7000012050002"),
    ("登録番号：T7000012050002", "7000012050002"),  # invoice registration number
    ("T7-0000-1205-0002", "7-0000-1205-0002"),
    ("7000012050003", None),  # check digit broken
    ("0000012050002", None),  # check digit is never 0
    ("4901234567009", None),  # a JAN code whose corporate check digit fails
    ("27000012050002", None),  # inside a 14-digit run
    ("700001205000", None),  # 12 digits
    # Also passes the corporate check digit, but labelled as a barcode: dropped.
    ("4568437672789", "4568437672789"),  # unlabelled: kept (an EAN-13 too)
    ("EAN: 4568437672789", None),
    ("JANコード：4549129735111", None),
    ("商品4568437672789の在庫", None),
    ("_fbp=fb.1.1712533624139.1024634180", None),  # a millisecond timestamp inside a cookie
    ("1712533624139", "1712533624139"),
    ("適格請求書発行事業者登録番号：T4739601836805", "4739601836805"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_table(text: str, expected: str | None) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, 1.0)]
        assert prefilter_passes(text)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_valid_number_is_found(base12: str) -> None:
    number = f"{corporate_number_check_digit(base12)}{base12}"
    assert found(f"法人番号{number}") == [(number, 1.0)]
