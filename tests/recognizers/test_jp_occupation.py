
import pytest

from recognizers.jp.jp_occupation import OccupationRecognizer
from recognizers.vocabulary import VocabularyEntry, load_vocabulary
from tests.recognizers import support

REC = OccupationRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected", "low"),
    [
        ("会社員", ["会社員"], 0.65),
        ("看護師", ["看護師"], 0.65),
        ("職業：公務員", ["公務員"], 0.65),
        ("私は自営業をしています", ["自営業"], 0.4),
        ("パート", ["パート"], 0.65),
        ("ＳＯＦＴＷＡＲＥ ＥＮＧＩＮＥＥＲ", ["ＳＯＦＴＷＡＲＥ ＥＮＧＩＮＥＥＲ"], 0.65),
        ("Occupation: nurse", ["nurse"], 0.6),
        ("年金生活者、70代", ["年金生活者"], 0.4),
    ],
)
def test_occupation_table(text: str, expected: list[str], low: float) -> None:
    results = found(text)
    assert [span for span, _ in results] == expected
    assert all(score >= low for _, score in results)
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "パートナー企業",
        "営業時間 10:00-18:00",
        "エンジニアリング部",
        "engineering",
        "nursery",
        "学園祭",
        "FW-2024-01",
    ],
)
def test_occupation_decoys(text: str) -> None:
    assert found(text) == []


def test_weak_entries_score_lower_in_text() -> None:
    [(_, weak)] = found("ヘルパー関数を書く")
    [(_, strong)] = found("母は看護師です")
    assert weak < strong


@pytest.mark.parametrize("entry", load_vocabulary("occupation.txt"), ids=lambda e: e.word)
def test_every_entry_is_found_alone(entry: VocabularyEntry) -> None:
    word = entry.word
    assert [span for span, _ in found(word)] == [word]
    assert prefilter_hits(word)


@pytest.mark.parametrize("text", ["介護職員", "Sales Manager", "Occupation: Sales Manager", "Manager"])
def test_care_staff_and_english_titles_found(text: str) -> None:
    assert [s for s, score in found(text) if score >= 0.4]
    assert prefilter_hits(text)


@pytest.mark.parametrize("text", ["学生服 150A", "学生割引あり"])
def test_student_goods_are_not_occupations(text: str) -> None:
    assert found(text) == []
