"""StreetAddressRecognizer (English street addresses)."""

from __future__ import annotations

import pytest

from recognizers.generic.street_address import StreetAddressRecognizer
from tests.recognizers import support

REC = StreetAddressRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "span", "min_score"),
    [
        ("123 Main St", "123 Main St", 0.5),
        ("10 Downing Street", "10 Downing Street", 0.5),
        ("742 Evergreen Terrace", "742 Evergreen Terrace", 0.5),
        ("350 5th Ave, Suite 300", "350 5th Ave, Suite 300", 0.5),
        ("4500 Oak Avenue, Springfield, IL 62704", "4500 Oak Avenue, Springfield, IL 62704", 0.8),
        ("1600 Pennsylvania Avenue NW, Washington, DC 20500", "1600 Pennsylvania Avenue NW, Washington, DC 20500", 0.8),
        ("住所は123 Main Stです", "123 Main St", 0.85),
        ("１２３ Ｍａｉｎ Ｓｔ", "１２３ Ｍａｉｎ Ｓｔ", 0.5),
    ],
)
def test_street_found(text: str, span: str, min_score: float) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert results[0][1] >= min_score
    assert passes_prefilter(text)


@pytest.mark.parametrize("text", ["I have 3 Apples", "Order 12 Main items", "5 St", "Call 555 Drive Time", "東京都"])
def test_street_not_found(text: str) -> None:
    assert found(text) == []
