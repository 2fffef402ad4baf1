"""JpDateOfBirthRecognizer: dates only when birth context is in the same text."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_date_of_birth import JpDateOfBirthRecognizer
from tests.recognizers import support

REC = JpDateOfBirthRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("生年月日:昭和60年1月1日", "昭和60年1月1日"),
        ("生年月日：Ｓ６０．１．１", "Ｓ６０．１．１"),
        ("平成元年生まれ", "平成元年"),
        ("誕生日は1990/4/1です", "1990/4/1"),
        ("DOB: 1985-12-24", "1985-12-24"),
        ("born 1985-12-24", "1985-12-24"),
        ("生年月日19851224", "19851224"),
    ],
)
def test_dob_found(text: str, span: str) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert results[0][1] >= 0.85


@pytest.mark.parametrize(
    "text",
    [
        "1985-12-24",  # a date, but no birth context
        "契約日は2024年4月1日です",
        "生年月日:平成31年5月1日",  # impossible era date
        "生年月日:2199年1月1日",  # in the future
        "生年月日:未登録",
    ],
)
def test_dob_not_found(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Date of birth: November 4, 1971", "November 4, 1971"),
        ("DOB 04/11/1971", "04/11/1971"),
        ("Born 3 Mar 1985", "3 Mar 1985"),
    ],
)
def test_english_birth_dates_found(text: str, span: str) -> None:
    assert [s for s, _ in found(text)] == [span]


def test_english_date_without_birth_word_is_not_a_birth_date() -> None:
    assert found("Invoice date: December 18, 2020") == []
