"""JpResidenceCardRecognizer: two letters, eight digits, two letters."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_residence_card import JpResidenceCardRecognizer
from tests.recognizers import support

RECOGNIZER = JpResidenceCardRecognizer()
ENTITY = "JP_RESIDENCE_CARD"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    ("AB12345678CD", "AB12345678CD", 0.5),
    ("ＡＢ１２３４５６７８ＣＤ", "ＡＢ１２３４５６７８ＣＤ", 0.5),  # full width
    ("在留カード番号はAB12345678CDです", "AB12345678CD", 0.85),  # embedded with context
    ("特別永住者証明書 ＸＹ９８７６５４３２ＺＷ", "ＸＹ９８７６５４３２ＺＷ", 0.85),
    ("ab12345678cd", None, 0.0),  # lower case
    ("AB1234567CD", None, 0.0),  # seven digits
    ("AB12345678CDE", None, 0.0),  # part of a longer code
    ("1AB12345678CD", None, 0.0),
    ("AB-12345678-CD", None, 0.0),
]


@pytest.mark.parametrize(("text", "expected", "score"), CASES)
def test_table(text: str, expected: str | None, score: float) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, score)]
        assert prefilter_passes(text)
