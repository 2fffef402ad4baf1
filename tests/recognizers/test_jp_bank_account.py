"""JpBankAccountRecognizer: bank+branch+種別+number, 種別+number, ゆうちょ, bare only with 口座."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_bank_account import JpBankAccountRecognizer
from tests.recognizers import support

RECOGNIZER = JpBankAccountRecognizer()
ENTITY = "JP_BANK_ACCOUNT"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(RECOGNIZER, text, digits=2)


def prefilter_passes(text: str) -> bool:
    return support.passes_prefilter(RECOGNIZER, text)


CASES = [
    # bank code + branch code + 種別 + number
    ("0001-123 普通 1234567", "0001-123 普通 1234567", 0.85),
    ("０００５－１２３ 当座 ７６５４３２１", "０００５－１２３ 当座 ７６５４３２１", 0.85),
    ("振込先：0009 123 普通預金 1234567", "0009 123 普通預金 1234567", 1.0),
    # 種別 + number
    ("普通 1234567", "1234567", 0.6),
    ("当座0123456", "0123456", 0.6),
    ("貯蓄預金：７６５４３２１", "７６５４３２１", 0.6),
    ("普通預金口座番号：１２３４５６７", "１２３４５６７", 0.95),
    ("普通 12345678", None, 0.0),  # eight digits is not a bank account number
    # Japan Post Bank
    ("10530-12345671", "10530-12345671", 0.5),
    ("１７３００ー１９９２７６５１", "１７３００ー１９９２７６５１", 0.5),
    ("ゆうちょ銀行 記号１０５３０ 番号１２３４５６７１", "記号１０５３０ 番号１２３４５６７１", 0.95),
    ("10530-12345670", None, 0.0),  # 番号 must end in 1
    ("20530-12345671", None, 0.0),  # 記号 must start with 1
    ("10531-12345671", None, 0.0),  # 記号 must end in 0
    ("10530 12345671", "10530 12345671", 0.5),  # 記号 and 番号 separated by a space
    ("１０５３０　１２３４５６７１", "１０５３０　１２３４５６７１", 0.5),
    ("記号番号：10530 12345671", "10530 12345671", 0.85),
    ("記号：10530　番号：12345671", "記号：10530　番号：12345671", 0.6),
    ("10530 1", None, 0.0),  # 番号 must be written in full after a space
    ("10530 12345670", None, 0.0),  # 番号 must end in 1
    ("1 10530 12345671", None, 0.0),  # part of a longer spaced run
    # the 8-digit 番号 alone where ゆうちょ is named
    ("ゆうちょ銀行 番号 12345671", "12345671", 0.65),
    ("ゆうちょ口座：９８７６５４３１", "９８７６５４３１", 0.65),
    ("ﾕｳﾁﾖ ｷﾞﾝｺｳ 12345671", "12345671", 0.65),
    ("ゆうちょ 12345678", None, 0.0),  # 番号 ends in 1
    ("12345671", None, 0.0),  # no ゆうちょ named
    ("注文番号12345671", None, 0.0),
    ("売上 12345671円", None, 0.0),  # an amount
    ("20261125", None, 0.0),  # a date
    ("ゆうちょ 123456781", None, 0.0),  # nine digits
    # bare seven digits
    ("口座番号は１２３４５６７です", "１２３４５６７", 0.65),
    ("1234567", None, 0.0),
    ("〒1000001", None, 0.0),  # a postal code
    ("注文番号1234567", None, 0.0),
    ("口座番号12345678", None, 0.0),  # eight digits
]


@pytest.mark.parametrize(("text", "expected", "score"), CASES)
def test_table(text: str, expected: str | None, score: float) -> None:
    results = found(text)
    if expected is None:
        assert results == []
    else:
        assert results == [(expected, score)]
        assert prefilter_passes(text)


def test_english_account_label_counts_for_bare_digits() -> None:
    assert found("Bank account number: 1234567") == [("1234567", 0.65)]
    assert found("account id 1234567") == []
