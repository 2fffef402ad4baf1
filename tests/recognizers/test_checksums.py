"""Check-digit functions: public examples, and hypothesis properties of each algorithm."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import (
    corporate_number_check_digit,
    driver_license_check_digit,
    gs1_check_digit,
    is_valid_corporate_number,
    is_valid_driver_license,
    is_valid_gs1,
    is_valid_luhn,
    is_valid_mrz_field,
    is_valid_my_number,
    luhn_check_digit,
    mrz_check_digit,
    my_number_check_digit,
)


def digit_strings(length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=length, max_size=length)


def replace_digit(value: str, index: int, new_digit: int) -> str:
    return value[:index] + str(new_digit) + value[index + 1 :]


# --- public examples (japan.md §1) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (is_valid_my_number, "123456789018", True),
        (is_valid_my_number, "621498320257", True),
        (is_valid_my_number, "123456789012", False),
        (is_valid_my_number, "12345678901", False),  # 11 digits
        (is_valid_my_number, "12345678901８", False),  # full-width: callers normalise first
        (is_valid_corporate_number, "7000012050002", True),  # 国税庁
        (is_valid_corporate_number, "8000020132055", True),  # 青梅市
        (is_valid_corporate_number, "1180301018771", True),  # Toyota
        (is_valid_corporate_number, "7000012050003", False),
        (is_valid_corporate_number, "0000012050002", False),
        (is_valid_driver_license, "309012345620", True),
        (is_valid_driver_license, "309012345630", False),
        (is_valid_luhn, "01040013", True),  # 協会けんぽ宮城 保険者番号
        (is_valid_luhn, "33120015", True),
        (is_valid_luhn, "3530111333300000", True),  # JCB test number
        (is_valid_luhn, "3566002020360505", True),
        (is_valid_luhn, "4111111111111112", False),
        (is_valid_luhn, "7", False),
        (is_valid_gs1, "4901234567894", True),  # JAN-13
        (is_valid_gs1, "49123456", True),  # JAN-8
        (is_valid_gs1, "036000291452", True),  # UPC-A
        (is_valid_gs1, "4901234567895", False),
        (is_valid_gs1, "490123456789", False),  # 12 digits, wrong check digit
        (is_valid_mrz_field, "TR12345672", True),  # specimen passport MRZ
        (is_valid_mrz_field, "0001018", True),
        (is_valid_mrz_field, "TR12345673", False),
        (is_valid_mrz_field, "tr12345672", False),
    ],
)
def test_known_values(function: object, value: str, expected: bool) -> None:
    assert callable(function)
    assert function(value) is expected


def test_licence_explanatory_example() -> None:
    assert driver_license_check_digit("4598033587") == 2


@pytest.mark.parametrize(
    "function",
    [my_number_check_digit, corporate_number_check_digit, driver_license_check_digit, luhn_check_digit],
)
def test_bad_input_raises_without_echoing_it(function: object) -> None:
    assert callable(function)
    secret = "12345abc901"
    with pytest.raises(ValueError) as excinfo:
        function(secret)
    assert secret not in str(excinfo.value)


# --- properties ---------------------------------------------------------------------------------


@given(digit_strings(11))
def test_my_number_appended_check_digit_validates(first11: str) -> None:
    assert is_valid_my_number(first11 + str(my_number_check_digit(first11)))


@given(digit_strings(11), st.integers(0, 10), st.integers(0, 9))
def test_my_number_single_substitution_caught_unless_remainders_collide(
    first11: str, index: int, new_digit: int
) -> None:
    # Weights 2-7 are coprime with 11, so a substitution always changes the remainder; it is
    # missed only when it moves between remainders 0 and 1, which share check digit 0.
    mutated = replace_digit(first11, index, new_digit)
    if mutated == first11:
        return
    check = my_number_check_digit(first11)
    if is_valid_my_number(mutated + str(check)):
        assert check == 0


@given(digit_strings(11), st.integers(0, 9))
def test_my_number_wrong_check_digit_fails(first11: str, wrong: int) -> None:
    if wrong != my_number_check_digit(first11):
        assert not is_valid_my_number(first11 + str(wrong))


@given(digit_strings(12))
def test_corporate_number_prepended_check_digit_validates(base12: str) -> None:
    check = corporate_number_check_digit(base12)
    assert 1 <= check <= 9
    assert is_valid_corporate_number(str(check) + base12)


@given(digit_strings(12), st.integers(0, 11), st.integers(0, 9))
def test_corporate_number_substitution_caught_except_zero_nine(
    base12: str, index: int, new_digit: int
) -> None:
    old_digit = int(base12[index])
    if new_digit == old_digit:
        return
    number = str(corporate_number_check_digit(base12)) + replace_digit(base12, index, new_digit)
    # Weights 1 and 2 mod 9: only a 0<->9 swap (difference 9) leaves the sum unchanged.
    assert is_valid_corporate_number(number) == ({old_digit, new_digit} == {0, 9})


@given(digit_strings(10), st.integers(0, 9))
def test_driver_license_check_digit_is_the_eleventh_digit(first10: str, reissue: int) -> None:
    check = driver_license_check_digit(first10)
    assert is_valid_driver_license(first10 + str(check) + str(reissue))
    assert not is_valid_driver_license(first10 + str((check + 1) % 10) + str(reissue))


@given(st.text(alphabet="0123456789", min_size=1, max_size=18), st.data())
def test_luhn_catches_every_single_substitution(payload: str, data: st.DataObject) -> None:
    number = payload + str(luhn_check_digit(payload))
    assert is_valid_luhn(number)
    index = data.draw(st.integers(0, len(number) - 1))
    new_digit = data.draw(st.integers(0, 9).filter(lambda d: d != int(number[index])))
    assert not is_valid_luhn(replace_digit(number, index, new_digit))


@given(st.sampled_from([7, 11, 12, 13]), st.data())
def test_gs1_catches_every_single_substitution(payload_length: int, data: st.DataObject) -> None:
    payload = data.draw(digit_strings(payload_length))
    number = payload + str(gs1_check_digit(payload))
    assert is_valid_gs1(number)
    index = data.draw(st.integers(0, len(number) - 1))
    new_digit = data.draw(st.integers(0, 9).filter(lambda d: d != int(number[index])))
    assert not is_valid_gs1(replace_digit(number, index, new_digit))


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<", min_size=1, max_size=14))
def test_mrz_appended_check_digit_validates(field: str) -> None:
    assert is_valid_mrz_field(field + str(mrz_check_digit(field)))
    assert not is_valid_mrz_field(field + str((mrz_check_digit(field) + 1) % 10))


@given(st.text(max_size=20))
def test_validators_never_raise(value: str) -> None:
    for validator in (
        is_valid_my_number,
        is_valid_corporate_number,
        is_valid_driver_license,
        is_valid_luhn,
        is_valid_gs1,
        is_valid_mrz_field,
    ):
        assert validator(value) in (True, False)
