
import pytest

from recognizers.generic.member_id import MemberIdRecognizer
from tests.recognizers import support

REC = MemberIdRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected", "low", "high"),
    [
        ("M00012345", "M00012345", 0.1, 0.3),
        ("MEM-2024-00123", "MEM-2024-00123", 0.1, 0.3),
        ("CU-0012345", "CU-0012345", 0.1, 0.3),
        ("ＭＥＭ－２０２４－００１２３", "ＭＥＭ－２０２４－００１２３", 0.1, 0.3),
        ("会員番号：１２３４５６７８", "１２３４５６７８", 0.5, 1.0),
        ("会員番号 M00012345", "M00012345", 0.5, 1.0),
        ("member_id=AB12345", "AB12345", 0.5, 1.0),
        ("ログインIDはtaro_yamadaです", "taro_yamada", 0.5, 1.0),
        ("お客様番号は9876543です", "9876543", 0.5, 1.0),
    ],
)
def test_member_id_table(text: str, expected: str, low: float, high: float) -> None:
    [(span, score)] = found(text)
    assert span == expected
    assert low <= score <= high
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    ["2024-01-15", "v1.2.3", "ABC", "12345678", "価格1980円", "M123", "abc12345", "会員登録はこちら"],
)
def test_member_id_decoys(text: str) -> None:
    assert found(text) == []


def test_product_code_shape_stays_low() -> None:
    # Shapes cannot tell a SKU from a member number; only a low score keeps this honest.
    [(_, score)] = found("SKU-12345")
    assert score <= 0.3
