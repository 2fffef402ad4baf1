"""JpDriverLicenseRecognizer: the unofficial check digit moves the score; context rescues a failure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import driver_license_check_digit, is_valid_driver_license
from recognizers.jp.jp_driver_license import PUBLIC_SAFETY_COMMISSION_CODES, JpDriverLicenseRecognizer
from tests.recognizers import support

RECOGNIZER = JpDriverLicenseRecognizer()
ENTITY = "JP_DRIVER_LICENSE"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


# (text, expected span or None, expected score)
CASES = [
    ("309012345620", "309012345620", 0.6),  # check digit passes, no context
    ("３０９０１２３４５６２０", "３０９０１２３４５６２０", 0.6),  # full width
    ("運転免許証番号309012345620", "309012345620", 0.95),  # passes + context
    ("免許証番号：第３０９０１２３４５６２０号", "３０９０１２３４５６２０", 0.95),
    ("免許証は第309012345630号です", "309012345630", 0.55),  # check digit fails, context keeps it
    ("公安委員会 309012345630", "309012345630", 0.55),
    ("309012345630", None, 0.0),  # check digit fails, no context: dropped
    ("009012345620", None, 0.0),  # no commission code 00
    ("159012345620", None, 0.0),  # 15 is not a commission code
    ("運転免許 889012345620", None, 0.0),  # 88 is not a commission code, even with context
    ("1309012345620", None, 0.0),  # inside a 13-digit run
    ("30901234562", None, 0.0),  # 11 digits
    # Also passes the licence check digit, but labelled as another number: dropped.
    ("816111429014", "816111429014", 0.6),  # unlabelled: kept
    ("本人確認のため個人番号(816111429014)の提示を受けた", None, 0.0),
    ("マイナンバー：816111429014", None, 0.0),
    ("JAN 816111429014", None, 0.0),
    ("本人確認書類は運転免許証（第496436675750号）で確認しました。", "496436675750", 0.95),
    ("第496436675750号", "496436675750", 0.6),
    # the 12 digits in groups: 4-2-6, 2-2-6-1-1, 2-10, hyphens or spaces, full width
    ("3012 34 567810", "3012 34 567810", 0.6),
    ("3012-34-567810", "3012-34-567810", 0.6),
    ("3012 3456 7810", None, 0.0),  # 4-4-4 is how My Numbers and order numbers are grouped
    ("免許証番号 3012 3456 7810", "3012 3456 7810", 0.95),  # ... so it needs licence context
    ("3012345678 1 0", "3012345678 1 0", 0.6),  # fields: check digit and reissue count apart
    ("30 12 345678 1 0", "30 12 345678 1 0", 0.6),
    ("44 1000000130", "44 1000000130", 0.6),
    ("３０１２　３４　５６７８１０", "３０１２　３４　５６７８１０", 0.6),
    ("運転免許証番号：4410-00-000130", "4410-00-000130", 0.95),
    ("免許証 第 9012 34 567840 号", "9012 34 567840", 0.95),
    ("免許番号 3012 34 567890", "3012 34 567890", 0.55),  # check digit fails, context keeps it
    ("3012 34 567890", None, 0.0),  # check digit fails, no context
    # grouped digits that are not a licence number
    ("4111 1111 1111 1111", None, 0.0),  # a card number: 16 digits
    ("1 234 567 890 123", None, 0.0),  # an amount (13 digits)
    ("3012 34 567810 5", None, 0.0),  # part of a longer spaced run
    ("9 3012 34 567810", None, 0.0),
    ("090-1234-5678", None, 0.0),  # a phone number: 11 digits
    ("2026-01-25 12:00", None, 0.0),  # a date
    ("注文番号 3012-34-567810", None, 0.0),  # labelled as an order number
    ("JAN 4410 0000 0130", None, 0.0),  # labelled as a product code
]


@pytest.mark.parametrize(("text", "expected", "score"), CASES)
def test_table(text: str, expected: str | None, score: float) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, score)]
        assert prefilter_passes(text)


@given(
    st.sampled_from(sorted(PUBLIC_SAFETY_COMMISSION_CODES)),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.integers(0, 9),
)
def test_valid_numbers_found_in_sentence(code: int, middle: str, reissue: int) -> None:
    first10 = f"{code}{middle}"
    number = f"{first10}{driver_license_check_digit(first10)}{reissue}"
    assert is_valid_driver_license(number)
    assert found(f"免許証の番号は{number}です") == [(number, 0.95)]
    assert found(number) == [(number, 0.6)]
