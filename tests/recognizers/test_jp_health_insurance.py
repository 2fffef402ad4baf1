"""JpHealthInsuranceRecognizer: 保険者番号 (Luhn), 国保 6 digits, 記号・番号, 被保険者番号."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import luhn_check_digit
from recognizers.jp.jp_health_insurance import JpHealthInsuranceRecognizer
from tests.recognizers import support

RECOGNIZER = JpHealthInsuranceRecognizer()
ENTITY = "JP_HEALTH_INSURANCE"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    # 保険者番号, 8 digits
    ("01040013", "01040013", 0.6),  # 協会けんぽ宮城, Luhn passes
    ("33120015", "33120015", 0.6),
    ("０１０４００１３", "０１０４００１３", 0.6),  # full width
    ("保険者番号：01040013", "01040013", 0.95),
    ("保険証の保険者番号は０６１３０００９です", "０６１３０００９", 0.95),
    ("01040014", None, 0.0),  # Luhn broken
    ("20240101", None, 0.0),  # a date: 法別 20 is not an insurer
    ("01480013", None, 0.0),  # prefecture 48 does not exist
    ("101040013", None, 0.0),  # inside a 9-digit run
    # 国民健康保険, 6 digits: only with context
    ("国保の保険者番号は131011です", "131011", 0.65),
    ("国民健康保険 １３８０５７", "１３８０５７", 0.65),
    ("131011", None, 0.0),  # six bare digits
    ("国保 131012", None, 0.0),  # Luhn broken
    # 記号・番号 (+ 枝番)
    ("保険証 記号 1234 番号 56", "記号 1234 番号 56", 0.75),
    ("被保険者証の記号：ｱｲｳ 番号：123", "記号：ｱｲｳ 番号：123", 0.75),
    ("記号：ｱｲｳ 番号：123 枝番：01", "記号：ｱｲｳ 番号：123 枝番：01", 0.75),  # 枝番 is itself evidence
    ("保険証の記号・番号 1234・5678・01", "記号・番号 1234・5678・01", 0.75),
    ("記号 1234 番号 56", None, 0.0),  # no insurance context
    ("ゆうちょ 記号10530 番号12345671", None, 0.0),  # a bank account, not insurance
    # 被保険者番号 (後期高齢者, 介護保険)
    ("被保険者番号12345678", "12345678", 0.85),
    ("被保険者番号は1234567890です", "1234567890", 0.85),
    ("雇用保険被保険者番号12345678", None, 0.0),  # employment insurance, another entity
    # Digit groups inside UUIDs and hex keys (72070253 alone passes 法別 72 + Luhn).
    ("72070253", "72070253", 0.6),
    ("22443800-92E5-41CF-B01E-D72070253D59", None, 0.0),
    ("D72070253", None, 0.0),
    ("72070253-ABCD", None, 0.0),
    ("ID-72070253", None, 0.0),
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
    st.sampled_from(["01", "02", "06", "31", "32", "33", "34", "39", "63", "67", "72", "75"]),
    st.integers(1, 47),
    st.integers(0, 999),
)
def test_any_luhn_valid_insurer_number_is_found(law_code: str, prefecture: int, insurer: int) -> None:
    payload = f"{law_code}{prefecture:02d}{insurer:03d}"
    number = payload + str(luhn_check_digit(payload))
    assert found(f"保険者番号{number}") == [(number, 0.95)]
    broken = payload + str((luhn_check_digit(payload) + 1) % 10)
    assert found(f"保険者番号{broken}") == []
