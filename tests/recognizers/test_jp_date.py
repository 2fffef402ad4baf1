"""JpDateRecognizer: Gregorian and era dates, validated."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_date import JpDateRecognizer
from tests.recognizers import support

REC = JpDateRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "span", "min_score"),
    [
        ("1985-12-24", "1985-12-24", 0.5),
        ("1985/12/24", "1985/12/24", 0.5),
        ("1985年12月24日", "1985年12月24日", 0.5),
        ("１９８５年１２月２４日", "１９８５年１２月２４日", 0.5),
        ("2026-11-25", "2026-11-25", 0.5),
        ("昭和60年1月1日", "昭和60年1月1日", 0.5),
        ("昭和六十年一月一日", "昭和六十年一月一日", 0.5),
        ("平成元年", "平成元年", 0.4),
        ("令和5年", "令和5年", 0.4),
        ("S60.1.1", "S60.1.1", 0.5),
        ("H1.1.8", "H1.1.8", 0.5),
        ("昭60.1.1", "昭60.1.1", 0.5),
        ("㍼60.1.1", "㍼60.1.1", 0.5),
        ("日付19851224", "19851224", 0.45),
        ("契約日は2024年4月1日です", "2024年4月1日", 0.5),
    ],
)
def test_date_found(text: str, span: str, min_score: float) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert results[0][1] >= min_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",
        "H1.1.7",
        "昭和65年",
        "2020年2月30日",
        "19851224",  # 8 bare digits without context
        "令和5年度",  # fiscal year
        "最大5年",
        "03-1234-5678",
        "123456789018",
        "1985-13-45",
    ],
)
def test_date_not_found(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", ["Ｓ６０ー１ー１", "１９８５ー１２ー２４", "平成元年"])
def test_prefilter_accepts_dash_variants(text: str) -> None:
    assert passes_prefilter(text)
    assert found(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Invoice date: December 18, 2020", "December 18, 2020"),
        ("18 Dec 2020", "18 Dec 2020"),
        ("Sept. 5, 2021", "Sept. 5, 2021"),
        ("3rd March 1985", "3rd March 1985"),
        ("12/18/2020", "12/18/2020"),
        ("18/12/2020", "18/12/2020"),
        ("請求日 ０５/０６/２０２１", "０５/０６/２０２１"),
    ],
)
def test_english_dates_found(text: str, span: str) -> None:
    assert [s for s, _ in found(text)] == [span]
    assert passes_prefilter(text)


@pytest.mark.parametrize("text", ["13/13/2020", "Mar 45, 2020", "February 30, 2020", "May 2020", "v1.2.2020", "12/18/1700"])
def test_impossible_or_partial_english_dates_not_found(text: str) -> None:
    assert found(text) == []
