"""JpPostalCodeRecognizer."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_postal_code import JpPostalCodeRecognizer
from tests.recognizers import support

REC = JpPostalCodeRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "span", "min_score", "max_score"),
    [
        ("〒100-0001", "〒100-0001", 0.8, 0.9),
        ("〒1000001", "〒1000001", 0.8, 0.9),
        ("〶１００－０００１", "〶１００－０００１", 0.8, 0.9),
        ("100-0001", "100-0001", 0.3, 0.5),
        ("郵便番号1000001", "1000001", 0.5, 0.6),
        ("郵便番号：１００ー０００１", "１００ー０００１", 0.7, 0.8),
        ("住所〒150-0002 東京都渋谷区渋谷2-21-1", "〒150-0002", 0.9, 1.0),
        ("Nagano 389-9798, Japan", "389-9798", 0.3, 0.5),
        ("ZIP code 100-0001", "100-0001", 0.7, 0.8),
    ],
)
def test_postal_found(text: str, span: str, min_score: float, max_score: float) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert min_score <= results[0][1] <= max_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        "1000001",
        "03-1234-5678",
        "2026-11-25",
        "〒000-0000",
        "123456789018",
        "1234-567",
        # the last groups of a US phone number
        "Phone: (212) 402-6548",
        "(617)468-3024",
        "212 402-6548",
        # digit groups inside UUIDs and other codes
        "1C861588-0C43-4321-A873-3383D532C040",
        "A873-102-0001",
        "SKU102-0001",
        "102-0001-B",
    ],
)
def test_postal_not_found(text: str) -> None:
    assert found(text) == []
