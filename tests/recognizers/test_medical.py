
import pytest

from recognizers.sensitive.medical import MedicalRecognizer
from tests.recognizers import support

REC = MedicalRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("糖尿病", ["糖尿病"]),
        ("父は2型糖尿病で通院中", ["2型糖尿病", "通院中"]),
        ("乳がんの手術", ["乳がん", "手術"]),
        ("HbA1c 6.5%", ["HbA1c 6.5%"]),
        ("ＨｂＡ１ｃ値", ["ＨｂＡ１ｃ"]),
        ("うつ病で休職", ["うつ病"]),
        ("血圧140/90", ["血圧140/90"]),
        ("HIV陽性", ["HIV", "陽性"]),
        ("diagnosed with Type 2 diabetes", ["diagnosed", "diabetes"]),
        ("ガンの治療", ["ガン"]),
    ],
)
def test_medical_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "がんばります",
        "頑張ってください",
        "ガンダムのプラモデル",
        "hearing aids",
        "外来種の駆除",
        "山田病院 東京都千代田区",
        "1,980円",
    ],
)
def test_medical_decoys(text: str) -> None:
    assert spans(text) == []
