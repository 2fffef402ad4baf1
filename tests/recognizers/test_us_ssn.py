"""CjkUsSsnRecognizer: SSA-issuable ranges only; nine bare digits need context."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.generic.us_ssn import CjkUsSsnRecognizer, is_issuable_ssn
from tests.recognizers import support

RECOGNIZER = CjkUsSsnRecognizer()
ENTITY = "US_SSN"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    ("123-45-6789", "123-45-6789", 0.5),
    ("１２３－４５－６７８９", "１２３－４５－６７８９", 0.5),  # full width
    ("社会保障番号は１２３ー４５ー６７８９です", "１２３ー４５ー６７８９", 0.85),
    ("SSN: 123456789", "123456789", 0.65),  # bare with context
    ("ssn 123 45 6789", "123 45 6789", 0.85),
    # spaces or dots, one separator throughout
    ("123 45 6789", "123 45 6789", 0.5),
    ("123.45.6789", "123.45.6789", 0.5),
    ("SSN: 123.45.6789", "123.45.6789", 0.85),
    ("１２３　４５　６７８９", "１２３　４５　６７８９", 0.5),
    ("１２３．４５．６７８９", "１２３．４５．６７８９", 0.5),
    ("123.45 6789", None, 0.0),  # mixed separators
    ("123 45-6789", None, 0.0),
    ("1 234 567", None, 0.0),  # an amount
    ("1.234.567", None, 0.0),
    ("123 456 7890", None, 0.0),  # a US phone layout
    ("2026.01.25", None, 0.0),  # a date
    ("192.168.1.10", None, 0.0),  # an IP address
    ("1.123.45.6789", None, 0.0),  # inside a longer dotted number
    ("v123.45.6789", None, 0.0),  # a version string
    ("665-01-0001", "665-01-0001", 0.5),
    ("123456789", None, 0.0),  # bare without context
    ("000-12-3456", None, 0.0),  # area 000
    ("666-12-3456", None, 0.0),  # area 666
    ("912-34-5678", None, 0.0),  # area 9xx
    ("123-00-4567", None, 0.0),  # group 00
    ("123-45-0000", None, 0.0),  # serial 0000
    ("078-05-1120", None, 0.0),  # voided (Woolworth wallet card)
    ("1123-45-6789", None, 0.0),  # inside a longer number
    ("123-45-6789-1", None, 0.0),
    ("03-1234-5678", None, 0.0),  # a Japanese phone number
    # SSN-shaped part, item and order numbers: the label names another number.
    ("部品番号 712-33-9793", None, 0.0),
    ("品番：123-45-6789", None, 0.0),
    ("型番123-45-6789", None, 0.0),
    ("注文番号 123-45-6789", None, 0.0),
    ("Order No. 588-94-1270", None, 0.0),
    ("part no 588-94-1270", None, 0.0),
    ("SSN: 712-33-9793", "712-33-9793", 0.85),
    ("部品番号 430-63-5058、SSN 712-33-9793", "712-33-9793", 0.85),  # each value its own label
]


@pytest.mark.parametrize(("text", "expected", "score"), CASES)
def test_table(text: str, expected: str | None, score: float) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, score)]
        assert prefilter_passes(text)


@given(st.integers(0, 999), st.integers(0, 99), st.integers(0, 9999))
def test_found_exactly_for_issuable_ranges(area: int, group: int, serial: int) -> None:
    text = f"{area:03d}-{group:02d}-{serial:04d}"
    issuable = area not in (0, 666) and area < 900 and group != 0 and serial != 0
    issuable = issuable and text.replace("-", "") not in {"078051120", "219099999"}
    assert is_issuable_ssn(text.replace("-", "")) is issuable
    assert bool(found(text)) is issuable
