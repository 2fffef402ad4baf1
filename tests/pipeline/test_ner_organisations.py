"""GiNZA's PERSON on companies and ministries is dropped; people, also beside a company, are kept."""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from pipeline.engine import drop_organisation_persons, ner_batch


def _person(text: str, span: str, entity: str = "PERSON") -> RecognizerResult:
    start = text.index(span)
    return RecognizerResult(entity_type=entity, start=start, end=start + len(span), score=0.7)


@pytest.mark.parametrize(
    ("text", "span", "kept"),
    [
        ("財務省", "財務省", False),
        ("㈲コトブキ商会", "コトブキ商会", False),
        ("〇〇運輸合同会社", "〇〇運輸", False),
        ("鈴木建設株式会社", "鈴木建設", False),
        ("株式会社山田", "山田", False),
        ("三菱UFJ銀行", "三菱UFJ", False),
        ("渋谷区役所", "渋谷区", False),
        ("山田太郎", "山田太郎", True),
        ("田中様", "田中様", True),
        ("高橋主任", "高橋", True),
        ("㈲コトブキ商会の佐藤様", "佐藤様", True),
        ("財務省の田中です", "田中", True),
        # log severity words (RFC 5424, log4j) at the head of a log line are no names
        ("DEBUG Authorization header accepted", "DEBUG Authorization", False),
        ("2024-05-01 WARN Retrying upload", "WARN Retrying", False),
        ("[ERROR] Smith failed", "[ERROR] Smith", False),
        ("Taro Yamada called", "Taro Yamada", True),
        ("Information desk: Mary Brown", "Mary Brown", True),
        # identifiers' characters
        ("token xoxb-123 sent", "xoxb-", False),
        ("login user_42 ok", "user_42", False),
        ("Jean-Luc Picard", "Jean-Luc Picard", True),
        # places on a route
        ("全日空 伊丹→羽田", "羽田", False),
        ("新幹線 東京⇔新大阪", "東京", False),
        ("羽田 様 ご来社", "羽田", True),
    ],
)
def test_drop_organisation_persons(text: str, span: str, kept: bool) -> None:
    result = _person(text, span)
    assert (drop_organisation_persons(text, [result]) == [result]) is kept


def test_other_entities_pass_unchanged() -> None:
    result = _person("東京大学", "東京大学", entity="SCHOOL_NAME")
    assert drop_organisation_persons("東京大学", [result]) == [result]


def test_ginza_person_on_organisations_is_dropped() -> None:
    """Through the real GiNZA model: business names leave no PERSON, people keep theirs."""
    organisations = ["財務省", "㈲コトブキ商会", "鈴木建設株式会社", "〇〇運輸合同会社", "消費者庁から通知"]
    people = ["山田太郎", "㈲コトブキ商会の佐藤様"]
    results = ner_batch(organisations + people)
    for text, found in zip(organisations, results[: len(organisations)], strict=True):
        assert [text[r.start : r.end] for r in found if r.entity_type == "PERSON"] == [], text
    assert [r.entity_type for r in results[-2]] == ["PERSON"]
    assert all("コトブキ" not in people[1][r.start : r.end] for r in results[-1] if r.entity_type == "PERSON")
    assert any(r.entity_type == "PERSON" for r in results[-1])
