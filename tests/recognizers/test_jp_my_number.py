"""JpMyNumberRecognizer: the check digit decides; separators and full width are accepted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import is_valid_my_number, my_number_check_digit
from recognizers.jp.jp_my_number import JpMyNumberRecognizer
from tests.recognizers import support

RECOGNIZER = JpMyNumberRecognizer()
ENTITY = "JP_MY_NUMBER"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


# (text, expected matched span or None)
CASES = [
    ("123456789018", "123456789018"),
    ("621498320257", "621498320257"),
    ("1234-5678-9018", "1234-5678-9018"),
    ("1234 5678 9018", "1234 5678 9018"),
    ("１２３４５６７８９０１８", "１２３４５６７８９０１８"),  # full width
    ("１２３４－５６７８－９０１８", "１２３４－５６７８－９０１８"),  # full-width hyphen
    ("1234ー5678ー9018", "1234ー5678ー9018"),  # long-vowel mark used as a dash
    ("マイナンバーは123456789018です", "123456789018"),  # embedded, no spaces
    ("個人番号：１２３４５６７８９０１８（本人）", "１２３４５６７８９０１８"),
    ("123456789012", None),  # check digit broken
    ("1234-5678-9012", None),
    ("000000000000", None),  # passes mod 11 but is a placeholder
    ("1234-5678 9018", None),  # mixed separators
    ("12345678901", None),  # 11 digits
    ("1123456789018", None),  # inside a 13-digit run
    ("1234567890180", None),
    ("12-1234-5678-9018", None),  # inside a longer hyphenated number
    ("036000291452", None),  # UPC-A product code: My Number check digit fails
    ("4111111111111111", None),  # credit card
    ("4111 1111 1111 1111", None),
    ("3530-1113-3330-0000", None),
    ("ABC", None),
    # Numbers that also pass the My Number check digit but whose label names another number.
    ("617672859210", "617672859210"),  # unlabelled: kept
    ("運転免許証番号：617672859210", None),  # a licence (passes the licence check digit too)
    ("免許証番号　５４９１４７３８２１３０", None),
    ("Driver's license No. 201818041310", None),
    ("第301601405490号", None),  # 第…号: a certificate serial, never a My Number
    ("UPC 084166959020", None),  # a UPC-A barcode
    ("JANコード：084166959020", None),
    ("会員番号 617672859210", None),
    ("_ts=1.617672859210", None),  # digits joined by '.' to other digits
    ("個人番号カード 617672859210", "617672859210"),  # the longest label wins over カード
    ("免許証番号 309012345620、個人番号 617672859210", "617672859210"),  # the nearest label counts
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_table(text: str, expected: str | None) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, 1.0)]
        assert prefilter_passes(text)


def test_two_numbers_in_one_text() -> None:
    text = "本人123456789018、配偶者621498320257"
    assert [span for span, _ in found(text)] == ["123456789018", "621498320257"]


def test_prefilter_rejects_short_values() -> None:
    assert not prefilter_passes("山田太郎 123")


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.sampled_from(["", "-", " "]))
def test_any_valid_number_is_found_in_a_sentence(first11: str, separator: str) -> None:
    number = first11 + str(my_number_check_digit(first11))
    if len(set(number)) == 1:
        return
    shown = separator.join((number[:4], number[4:8], number[8:]))
    assert found(f"番号は{shown}です") == [(shown, 1.0)]


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_found_exactly_when_check_digit_passes(number: str) -> None:
    expected = is_valid_my_number(number) and len(set(number)) > 1
    assert bool(found(number)) is expected
