"""EanBarcodeRecognizer: GS1 check digit; JAN prefixes score highest; collisions with ID numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import gs1_check_digit, is_valid_corporate_number
from recognizers.generic.ean_barcode import EanBarcodeRecognizer
from recognizers.jp.jp_corporate_number import JpCorporateNumberRecognizer
from recognizers.jp.jp_my_number import JpMyNumberRecognizer
from tests.recognizers import support

RECOGNIZER = EanBarcodeRecognizer()
ENTITY = "JAN_CODE"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    ("4901234567894", "4901234567894", 1.0),  # JAN-13, prefix 49
    ("4512345678906", "4512345678906", 1.0),  # JAN-13, prefix 45
    ("４９０１２３４５６７８９４", "４９０１２３４５６７８９４", 1.0),  # full width
    ("JANコード4901234567894の商品", "4901234567894", 1.0),
    ("5012345678900", "5012345678900", 0.7),  # EAN-13 from another country
    ("49123456", "49123456", 0.6),  # JAN-8
    ("12345670", "12345670", 0.3),  # EAN-8 without JAN prefix
    ("036000291452", "036000291452", 0.5),  # UPC-A
    ("商品コード036000291452", "036000291452", 0.85),
    ("4901234567895", None, 0.0),  # check digit broken
    ("49123457", None, 0.0),
    ("14901234567894", None, 0.0),  # inside a 14-digit run
    ("490123456789", None, 0.0),  # 12 digits, GS1 check fails
    # Pass GS1 too, but labelled as another number: dropped.
    ("969556409456", "969556409456", 0.5),  # unlabelled: kept
    ("マイナンバーは969556409456です。", None, 0.0),
    ("第468317078790号", None, 0.0),  # 第…号: a licence serial
    ("運転免許証番号：468317078790", None, 0.0),
    ("登録番号 T3749202816909", None, 0.0),  # invoice registration number = corporate number
    ("T3749202816909", None, 0.0),
    ("3749202816909", "3749202816909", 0.7),
    ("北斗電子株式会社（法人番号3989302939577）", None, 0.0),
    ("JAN8桁：49123456", "49123456", 0.95),
    ("品番 4901234567894", "4901234567894", 1.0),
]


@pytest.mark.parametrize(("text", "expected", "score"), CASES)
def test_table(text: str, expected: str | None, score: float) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, score)]
        assert prefilter_passes(text)


@given(st.sampled_from(["45", "49"]), st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_every_valid_jan13_scores_one(prefix: str, body: str) -> None:
    payload = prefix + body
    code = payload + str(gs1_check_digit(payload))
    assert found(code) == [(code, 1.0)]


# --- collisions with identifier recognizers ---------------------------------------------------


def test_jan_code_is_not_a_corporate_number_when_its_corporate_check_fails() -> None:
    code = "4901234567009"
    assert not is_valid_corporate_number(code)
    assert found(code) == [(code, 1.0)]
    assert JpCorporateNumberRecognizer().analyze(code, ["JP_CORPORATE_NUMBER"], None) == []


def test_code_passing_both_checks_is_returned_as_both() -> None:
    # ~1 in 9 JAN codes also pass the corporate-number check; both entities come back and the
    # column classifier decides (prevalence, column name).
    code = "4901234567030"
    corporate = JpCorporateNumberRecognizer().analyze(code, ["JP_CORPORATE_NUMBER"], None)
    assert found(code) == [(code, 1.0)]
    assert [(r.entity_type, r.score) for r in corporate] == [("JP_CORPORATE_NUMBER", 1.0)]


def test_jan13_is_not_a_my_number() -> None:
    assert JpMyNumberRecognizer().analyze("4901234567894", ["JP_MY_NUMBER"], None) == []


def test_upc_a_with_bad_my_number_check_digit_is_only_a_barcode() -> None:
    code = "036000291452"
    assert found(code) == [(code, 0.5)]
    assert JpMyNumberRecognizer().analyze(code, ["JP_MY_NUMBER"], None) == []
