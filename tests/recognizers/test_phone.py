"""CjkPhoneRecognizer: Japanese and international phone numbers; company numbers as JP_BUSINESS_PHONE."""

from __future__ import annotations

import pytest

from recognizers.generic.phone import CjkPhoneRecognizer
from tests.recognizers import support

REC = CjkPhoneRecognizer()


def found(text: str) -> list[tuple[str, str, float]]:
    return [(r.entity_type, text[r.start : r.end], r.score) for r in REC.analyze(text, REC.supported_entities)]


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "entity", "span", "min_score", "max_score"),
    [
        ("03-1234-5678", "PHONE_NUMBER", "03-1234-5678", 0.5, 0.7),
        ("090-1234-5678", "PHONE_NUMBER", "090-1234-5678", 0.5, 0.7),
        ("０９０ー１２３４ー５６７８", "PHONE_NUMBER", "０９０ー１２３４ー５６７８", 0.5, 0.7),
        ("03‐1234‐5678", "PHONE_NUMBER", "03‐1234‐5678", 0.5, 0.7),
        ("03(1234)5678", "PHONE_NUMBER", "03(1234)5678", 0.5, 0.7),
        ("(03)1234-5678", "PHONE_NUMBER", "(03)1234-5678", 0.5, 0.7),
        ("0312345678", "PHONE_NUMBER", "0312345678", 0.3, 0.5),
        ("09012345678", "PHONE_NUMBER", "09012345678", 0.3, 0.5),
        ("050-1234-5678", "PHONE_NUMBER", "050-1234-5678", 0.5, 0.7),
        ("060-1234-5678", "PHONE_NUMBER", "060-1234-5678", 0.5, 0.7),
        ("+81-3-1234-5678", "PHONE_NUMBER", "+81-3-1234-5678", 0.5, 0.7),
        ("+81 90 1234 5678", "PHONE_NUMBER", "+81 90 1234 5678", 0.5, 0.7),
        ("+44 20 7946 0958", "PHONE_NUMBER", "+44 20 7946 0958", 0.5, 0.7),
        ("(212) 555-0123", "PHONE_NUMBER", "(212) 555-0123", 0.3, 0.5),
        ("212-555-0123", "PHONE_NUMBER", "212-555-0123", 0.3, 0.5),
        ("電話は090-1234-5678です", "PHONE_NUMBER", "090-1234-5678", 0.9, 1.0),
        ("TEL:03-1234-5678(代表)", "JP_BUSINESS_PHONE", "03-1234-5678", 0.9, 1.0),  # a switchboard (代表) is a company's line
        ("携帯０８０１２３４５６７８まで", "PHONE_NUMBER", "０８０１２３４５６７８", 0.7, 0.8),
        # company numbers: toll-free and navi-dial
        ("0120-123-456", "JP_BUSINESS_PHONE", "0120-123-456", 0.5, 0.7),
        ("0800-123-4567", "JP_BUSINESS_PHONE", "0800-123-4567", 0.5, 0.7),
        ("0570-000-123", "JP_BUSINESS_PHONE", "0570-000-123", 0.5, 0.7),
        ("フリーダイヤル０１２０ー１２３ー４５６", "JP_BUSINESS_PHONE", "０１２０ー１２３ー４５６", 0.9, 1.0),
        # spaces, dots and mixed separators, grouped as the numbering plan groups the number
        ("090 1234 5678", "PHONE_NUMBER", "090 1234 5678", 0.5, 0.7),
        ("03 1234 5678", "PHONE_NUMBER", "03 1234 5678", 0.5, 0.7),
        ("0263 24 1682", "PHONE_NUMBER", "0263 24 1682", 0.5, 0.7),
        ("050 1234 5678", "PHONE_NUMBER", "050 1234 5678", 0.5, 0.7),
        ("090-1234 5678", "PHONE_NUMBER", "090-1234 5678", 0.5, 0.7),
        ("090 1234-5678", "PHONE_NUMBER", "090 1234-5678", 0.5, 0.7),
        ("03.1234.5678", "PHONE_NUMBER", "03.1234.5678", 0.5, 0.7),
        ("０９０　１２３４　５６７８", "PHONE_NUMBER", "０９０　１２３４　５６７８", 0.5, 0.7),
        ("０３ １２３４ ５６７８", "PHONE_NUMBER", "０３ １２３４ ５６７８", 0.5, 0.7),
        ("(03) 1234-5678", "PHONE_NUMBER", "(03) 1234-5678", 0.5, 0.7),
        ("(03) 1234 5678", "PHONE_NUMBER", "(03) 1234 5678", 0.5, 0.7),
        ("（０３）１２３４－５６７８", "PHONE_NUMBER", "（０３）１２３４－５６７８", 0.5, 0.7),
        ("+81 3 1234 5678", "PHONE_NUMBER", "+81 3 1234 5678", 0.5, 0.7),
        ("+81-90-1234-5678", "PHONE_NUMBER", "+81-90-1234-5678", 0.5, 0.7),
        ("＋８１　９０　１２３４　５６７８", "PHONE_NUMBER", "＋８１　９０　１２３４　５６７８", 0.5, 0.7),
        ("tel: 090 1234 5678", "PHONE_NUMBER", "090 1234 5678", 0.9, 1.0),
        ("連絡先は 080 9876 5432 です", "PHONE_NUMBER", "080 9876 5432", 0.9, 1.0),
        ("0120 123 456", "JP_BUSINESS_PHONE", "0120 123 456", 0.5, 0.7),
        ("tel.090.1234.5678", "PHONE_NUMBER", "090.1234.5678", 0.9, 1.0),
        ("090 - 1234 - 5678", "PHONE_NUMBER", "090 - 1234 - 5678", 0.5, 0.7),
        ("(03)-1234-5678", "PHONE_NUMBER", "(03)-1234-5678", 0.5, 0.7),
        ("(090) 1234 5678", "PHONE_NUMBER", "(090) 1234 5678", 0.5, 0.7),
        ("+81 (0)90 1234 5678", "PHONE_NUMBER", "+81 (0)90 1234 5678", 0.5, 0.7),
    ],
)
def test_phone_found(text: str, entity: str, span: str, min_score: float, max_score: float) -> None:
    results = found(text)
    assert len(results) == 1
    got_entity, got_span, score = results[0]
    assert (got_entity, got_span) == (entity, span)
    assert min_score <= score <= max_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-25",  # date
        "2026-01-25",
        "2026/01/05",
        "1985.12.24",
        "123456789018",  # My Number (12 digits)
        "4901234567894",  # JAN code (13 digits)
        "100-0001",  # postal code
        "〒100-0001",
        "¥1,234,567",  # price
        "0001234567",  # not a valid Japanese number
        "03-1234",  # too short
        "123-45-6789",  # SSN shape
        "注文番号20261125001",
        # spaced digit groups that are not phone numbers
        "1 234 567",  # amount with space as thousands separator
        "12 345 678 円",
        "2026 01 25",  # date
        "01 02 2026",  # date, day first
        "0312 34 5678",  # dials, but not grouped as the numbering plan groups it (03-1234-5678)
        "090 12 345 678",  # mobile digits in a grouping no one writes
        "2026 - 01 - 25",  # a date written with spaced hyphens
        "1 - 234 - 5678",
        "1 090 1234 5678",  # tail of a longer spaced run
        "090 1234 5678 9",  # head of a longer spaced run
        "4111 1111 1111 1111",  # card number
        "0000 0000 0000",  # placeholder
        "03.12.2026",  # date with dots
        "v0.12.345",  # version string
        "1.0312345678",  # the decimals of a number
        "ISBN 978 4 00 000000 0",
    ],
)
def test_phone_not_found(text: str) -> None:
    assert found(text) == []


def test_company_number_is_not_personal_phone() -> None:
    results = found("フリーダイヤル 0120-123-456 または 090-1234-5678")
    assert sorted(entity for entity, _, _ in results) == ["JP_BUSINESS_PHONE", "PHONE_NUMBER"]


def test_entity_filter_respected() -> None:
    assert REC.analyze("0120-123-456", ["PHONE_NUMBER"]) == []
    assert REC.supported_entities == ["PHONE_NUMBER", "JP_BUSINESS_PHONE"]


def test_prefilter_rejects_plain_text() -> None:
    assert not passes_prefilter("山田太郎")
    assert not passes_prefilter("価格 980円")


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("株式会社ひまわり食品 本社代表 03-6241-3154", "JP_BUSINESS_PHONE"),
        ("株式会社あおば不動産 大阪支店 TEL 0263-24-1682", "JP_BUSINESS_PHONE"),
        ("お問い合わせ窓口：０６ー１２３４ー５６７８", "JP_BUSINESS_PHONE"),
        ("FAX 03-1234-5678", "JP_BUSINESS_PHONE"),
        ("TEL 03-1234-5678(代表)", "JP_BUSINESS_PHONE"),
        ("本社代表 090-1234-5678", "PHONE_NUMBER"),  # a mobile is a person's
        ("株式会社X 担当 山田 携帯090-1234-5678", "PHONE_NUMBER"),
        ("勤務先 株式会社X 自宅 03-1234-5678", "PHONE_NUMBER"),  # a personal word wins
        ("自宅の電話番号は0312345678です", "PHONE_NUMBER"),
    ],
)
def test_company_line_words_make_a_fixed_line_a_business_phone(text: str, entity: str) -> None:
    assert [e for e, _, _ in found(text)] == [entity]
    assert passes_prefilter(text)
