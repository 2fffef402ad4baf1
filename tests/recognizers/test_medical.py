
import pytest

from recognizers.normalize import prefilter_accepts
from recognizers.sensitive.medical import MedicalRecognizer

REC = MedicalRecognizer()


def spans(text: str) -> list[str]:
    return [text[r.start : r.end] for r in REC.analyze(text, [REC.ENTITY], None)]


def prefilter_hits(text: str) -> bool:
    assert REC.PREFILTER is not None
    return prefilter_accepts(REC.PREFILTER, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("糖尿病", ["糖尿病"]),
        ("父は2型糖尿病で通院中", ["2型糖尿病", "通院"]),
        ("乳がんの手術", ["乳がん", "手術"]),
        ("HbA1c 6.5%", ["HbA1c"]),
        ("ＨｂＡ１ｃ値", ["ＨｂＡ１ｃ"]),
        ("うつ病で休職", ["うつ病"]),
        ("血圧140/90", ["血圧"]),
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
