"""CjkCreditCardRecognizer: brand range + length + Luhn; separators and full width accepted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import luhn_check_digit
from recognizers.generic.credit_card import CjkCreditCardRecognizer, card_brand_matches
from recognizers.jp.jp_my_number import JpMyNumberRecognizer
from tests.recognizers import support

RECOGNIZER = CjkCreditCardRecognizer()
ENTITY = "CREDIT_CARD"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    ("4111111111111111", "4111111111111111"),  # Visa
    ("4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("4111-1111-1111-1111", "4111-1111-1111-1111"),
    ("5555555555554444", "5555555555554444"),  # Mastercard
    ("2221000000000009", "2221000000000009"),  # Mastercard 2-series
    ("3782 822463 10005", "3782 822463 10005"),  # Amex 4-6-5
    ("30569309025904", "30569309025904"),  # Diners 14
    ("3530111333300000", "3530111333300000"),  # JCB
    ("3566002020360505", "3566002020360505"),  # JCB
    ("６０１１１１１１１１１１１１１７", "６０１１１１１１１１１１１１１７"),  # Discover, full width
    ("カード番号は３５６６ー００２０ー２０３６ー０５０５です", "３５６６ー００２０ー２０３６ー０５０５"),
    ("JCBカード3530111333300000で決済", "3530111333300000"),
    ("4111111111111112", None),  # Luhn broken
    ("3530111333300001", None),
    ("1234567812345670", None),  # Luhn passes but no brand starts with 1
    ("3500111333300003", None),  # 3500 is below the JCB range
    ("411111111111111", None),  # Visa with 15 digits
    ("4111 1111 1111 1111 2222", None),  # 20 digits
    ("94111111111111111", None),  # inside a longer run
    # 13 digits (obsolete 13-digit Visa; every JAN code starts with 4) only beside card context.
    ("4222222222222", None),
    ("4542637540516", None),
    ("カード4222222222222", "4222222222222"),
    ("商品4589022053233の在庫", None),
    # A label naming another kind of number.
    ("JANコード 4111111111111111", None),
    ("注文番号：4111111111111111", None),
    ("ギフトカード管理番号 4111-1111-1111-1111", None),
    ("クレジットカード番号 4111-1111-1111-1111", "4111-1111-1111-1111"),
    # single spaces and hyphens, full width
    ("4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("3782-822463-10005", "3782-822463-10005"),  # Amex 4-6-5 with hyphens
    ("3056 930902 5904", "3056 930902 5904"),  # Diners 4-6-4
    ("５５５５　５５５５　５５５５　４４４４", "５５５５　５５５５　５５５５　４４４４"),
    # a card followed by its expiry (the run reads as one longer number)
    ("4111 1111 1111 1111 12 28", "4111 1111 1111 1111"),
    ("4111 1111 1111 1111 12/28", "4111 1111 1111 1111"),
    ("4111111111111111 0528", "4111111111111111"),  # expiry MMYY after a compact number
    ("3782 822463 10005 0528 123", "3782 822463 10005"),
    ("4111 1111 1111 1111 0528", None),  # a fifth group of four continues the number (20 digits)
    ("4111 1111 1111 1111 12 28 1234 5678", None),  # more than a short tail
    # runs that do not split into cards
    ("4111 1111 1111 1112 12 28", None),  # Luhn broken
    ("1234 5678 9012 3456 7890", None),  # no brand prefix
    ("1 234 567 890 123 456", None),  # an amount
    ("2026 11 25 4111", None),  # a date and a number
    ("注文番号 4111 1111 1111 1111 12", None),  # labelled as an order number
]


def test_cards_separated_by_single_spaces_are_found_apart() -> None:
    assert found("4111111111111111 5555555555554444") == [("4111111111111111", 1.0), ("5555555555554444", 1.0)]
    assert found("4111 1111 1111 1111 5555 5555 5555 4444") == [
        ("4111 1111 1111 1111", 1.0),
        ("5555 5555 5555 4444", 1.0),
    ]
    assert found("3782 822463 10005 4111 1111 1111 1111") == [("3782 822463 10005", 1.0), ("4111 1111 1111 1111", 1.0)]
    assert prefilter_passes("4111111111111111 5555555555554444")
    # one of the two fails Luhn: the run does not split into cards, so neither is taken
    assert found("4111111111111111 5555555555554445") == []


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_table(text: str, expected: str | None) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, 1.0)]
        assert prefilter_passes(text)


@pytest.mark.parametrize("text", ["4111111111111111", "4111 1111 1111 1111", "3530-1113-3330-0000"])
def test_card_numbers_are_not_my_numbers(text: str) -> None:
    assert JpMyNumberRecognizer().analyze(text, ["JP_MY_NUMBER"], None) == []


@given(st.integers(3528, 3589), st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_every_luhn_valid_jcb_is_found(prefix: int, body: str) -> None:
    payload = f"{prefix}{body}"
    number = payload + str(luhn_check_digit(payload))
    assert card_brand_matches(number)
    grouped = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    assert found(f"カード{grouped}") == [(grouped, 1.0)]
    broken = payload + str((luhn_check_digit(payload) + 1) % 10)
    assert found(broken) == []
