
import pytest

from recognizers.sensitive.labor_union import LaborUnionRecognizer
from tests.recognizers import support

REC = LaborUnionRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("労働組合に加入", ["労働組合"]),
        ("春闘で団体交渉", ["春闘", "団体交渉"]),
        ("ストライキに参加", ["ストライキ"]),
        ("組合員", ["組合員"]),
        ("member of a trade union", ["trade union"]),
    ],
)
def test_labor_union_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "リストを作成",
        "ストレスチェック",
        "ユニオンジャック柄",
        "union of two sets",
        "組み合わせ",
    ],
)
def test_labor_union_decoys(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    "text",
    ["組合役職：書記長", "She is a shop steward in the union.", "組合費を給与から控除", "昨年から地域ユニオンに加入した", "ユニオン加入"],
)
def test_union_roles_and_dues_found(text: str) -> None:
    assert [r for r in REC.analyze(text, [REC.ENTITY], None) if r.score >= 0.4]
    assert prefilter_hits(text)


@pytest.mark.parametrize("text", ["党の書記長が会見", "マンション管理組合費の値上げ", "事業協同組合費"])
def test_party_officers_and_association_fees_are_not_unions(text: str) -> None:
    assert [r for r in REC.analyze(text, [REC.ENTITY], None) if r.score >= 0.4] == []
