"""Column-name lexicon: tokenizer, matching rules, lexicon validation."""

from __future__ import annotations

import copy
import importlib.resources
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from recognizers.column_names import (
    LEXICON_ENTITIES,
    ColumnNameHint,
    LexiconError,
    column_name_hints,
    hints_with_lexicon,
    load_lexicon,
    parse_lexicon,
    tokenize_column_name,
)

S, M, W = 0.9, 0.7, 0.5


def _hints(name: str) -> dict[str, float]:
    return {h.entity: h.strength for h in column_name_hints(name)}


# header → the complete set of hints (entity → strength). {} means "no hint at all".
CASES: list[tuple[str, dict[str, float]]] = [
    # --- PERSON, and the "name" qualifier rule
    ("name", {"PERSON": S}),
    ("full_name", {"PERSON": S}),
    ("first_name", {"PERSON": S}),
    ("FirstName", {"PERSON": S}),
    ("LAST-NAME", {"PERSON": S}),
    ("given.name", {"PERSON": S}),
    ("surname", {"PERSON": S}),
    ("customer_name", {"PERSON": S}),
    ("patient_name", {"PERSON": S}),
    ("displayName", {"PERSON": S}),
    ("name1", {"PERSON": S}),
    ("nickname", {"PERSON": M}),
    ("product_name", {"PRODUCT": S, "PERSON": W}),
    ("company_name", {"ORGANIZATION": S, "PERSON": W}),
    ("brand_name", {"ORGANIZATION": S, "PERSON": W}),
    ("host_name", {"PERSON": W}),
    ("file_name", {}),
    ("filename", {}),
    ("user_name", {"MEMBER_ID": S, "PERSON": W}),
    ("username", {"MEMBER_ID": S, "PERSON": W}),
    ("login_name", {"MEMBER_ID": S}),
    ("氏名", {"PERSON": S}),
    ("お名前", {"PERSON": S}),
    ("顧客氏名", {"PERSON": S}),
    ("契約者氏名", {"PERSON": S}),
    ("カナ氏名", {"PERSON": S}),
    ("氏名（カナ）", {"PERSON": S}),
    ("フリガナ", {"PERSON": S}),
    ("ﾌﾘｶﾞﾅ", {"PERSON": S}),
    ("姓", {"PERSON": S}),
    ("名", {"PERSON": S}),
    ("セイ", {"PERSON": S}),
    ("会員名", {"PERSON": S}),
    ("担当者名", {"PERSON": S}),
    ("宛名", {"PERSON": S}),
    ("口座名義", {"JP_BANK_ACCOUNT": S, "PERSON": S}),
    ("shimei", {"PERSON": S}),
    ("namae", {"PERSON": S}),
    ("furigana", {"PERSON": S}),
    # --- Japanese "名" compounds that are not people
    ("会社名", {"ORGANIZATION": S}),
    ("商品名", {"PRODUCT": S}),
    ("店舗名", {"ORGANIZATION": S}),
    ("法人名", {"ORGANIZATION": S}),
    # --- address and postal code
    ("住所", {"JP_ADDRESS": S}),
    ("現住所", {"JP_ADDRESS": S}),
    ("jusho", {"JP_ADDRESS": S}),
    ("address", {"JP_ADDRESS": S, "STREET_ADDRESS": S}),
    ("addr", {"JP_ADDRESS": S, "STREET_ADDRESS": S}),
    ("street_address", {"STREET_ADDRESS": S}),
    ("所在地", {"JP_ADDRESS": M}),
    ("会社住所", {"JP_ADDRESS": S, "ORGANIZATION": S}),
    ("〒", {"JP_POSTAL_CODE": S}),
    ("郵便番号", {"JP_POSTAL_CODE": S}),
    ("zip", {"JP_POSTAL_CODE": S}),
    ("postal_code", {"JP_POSTAL_CODE": S}),
    ("yubin_bango", {"JP_POSTAL_CODE": S}),
    ("yubin", {"JP_POSTAL_CODE": M}),
    # --- phone
    ("電話番号", {"PHONE_NUMBER": S}),
    ("TEL", {"PHONE_NUMBER": S}),
    ("ＴＥＬ", {"PHONE_NUMBER": S}),
    ("携帯番号", {"PHONE_NUMBER": S}),
    ("携帯", {"PHONE_NUMBER": M}),
    ("denwa", {"PHONE_NUMBER": S}),
    ("denwaBango", {"PHONE_NUMBER": S}),
    ("keitai", {"PHONE_NUMBER": S}),
    ("phone", {"PHONE_NUMBER": S}),
    ("mobile", {"PHONE_NUMBER": M}),
    ("is_mobile", {"PHONE_NUMBER": W}),
    ("fax", {"PHONE_NUMBER": M}),
    ("連絡先", {"PHONE_NUMBER": M}),
    ("会社電話番号", {"PHONE_NUMBER": S, "ORGANIZATION": S}),
    ("店舗電話番号", {"PHONE_NUMBER": S, "ORGANIZATION": S}),
    ("メーカー問い合わせ先", {"ORGANIZATION": S, "PHONE_NUMBER": W}),
    # --- e-mail
    ("メールアドレス", {"EMAIL_ADDRESS": S}),
    ("メール", {"EMAIL_ADDRESS": M}),
    ("Eメール", {"EMAIL_ADDRESS": S}),
    ("email", {"EMAIL_ADDRESS": S}),
    ("e-mail", {"EMAIL_ADDRESS": S}),
    ("mail", {"EMAIL_ADDRESS": M}),
    ("emailAddress", {"EMAIL_ADDRESS": S}),
    ("EMailAddress", {"EMAIL_ADDRESS": S}),
    ("連絡先メールアドレス", {"EMAIL_ADDRESS": S}),
    ("携帯メールアドレス", {"EMAIL_ADDRESS": S}),
    ("メールマガジン配信", {}),
    ("email_opt_in", {}),
    # --- date of birth, school
    ("生年月日", {"DATE_OF_BIRTH": S}),
    ("誕生日", {"DATE_OF_BIRTH": S}),
    ("seinengappi", {"DATE_OF_BIRTH": S}),
    ("dob", {"DATE_OF_BIRTH": S}),
    ("birth_date", {"DATE_OF_BIRTH": S}),
    ("birthday", {"DATE_OF_BIRTH": S}),
    ("学校名", {"SCHOOL_NAME": S}),
    ("出身校", {"SCHOOL_NAME": S}),
    ("school", {"SCHOOL_NAME": S}),
    # --- identifier codes
    ("マイナンバー", {"JP_MY_NUMBER": S}),
    ("個人番号", {"JP_MY_NUMBER": S}),
    ("my_number", {"JP_MY_NUMBER": S}),
    ("法人番号", {"JP_CORPORATE_NUMBER": S}),
    ("corporate_number", {"JP_CORPORATE_NUMBER": S}),
    ("旅券番号", {"JP_PASSPORT": S}),
    ("passport", {"JP_PASSPORT": S}),
    ("免許証番号", {"JP_DRIVER_LICENSE": S}),
    ("driver_license", {"JP_DRIVER_LICENSE": S}),
    ("license", {"JP_DRIVER_LICENSE": M}),
    ("license_key", {}),
    ("在留カード番号", {"JP_RESIDENCE_CARD": S}),
    ("基礎年金番号", {"JP_BASIC_PENSION_NUMBER": S}),
    ("保険者番号", {"JP_HEALTH_INSURANCE": S}),
    ("被保険者番号", {"JP_HEALTH_INSURANCE": S}),
    ("ssn", {"US_SSN": S}),
    # --- credentials
    ("会員番号", {"MEMBER_ID": S}),
    ("kaiin_bango", {"MEMBER_ID": S}),
    ("member_id", {"MEMBER_ID": S}),
    ("customer_id", {"MEMBER_ID": M}),
    ("login_id", {"MEMBER_ID": S}),
    ("user_id", {"MEMBER_ID": M}),
    ("ユーザーID", {"MEMBER_ID": S}),
    ("顧客ID", {"MEMBER_ID": S}),
    ("ポイントカード番号", {"MEMBER_ID": S}),
    ("id", {"MEMBER_ID": W}),
    ("ID", {"MEMBER_ID": W}),
    ("cid", {"MEMBER_ID": W}),
    ("order_id", {}),
    ("store_id", {"ORGANIZATION": S}),
    ("acid_level", {}),
    ("パスワード", {"PASSWORD": S}),
    ("暗証番号", {"PASSWORD": S}),
    ("pasuwado", {"PASSWORD": S}),
    ("password", {"PASSWORD": S}),
    ("passwd", {"PASSWORD": S}),
    ("pwd", {"PASSWORD": S}),
    ("pass_hash", {"PASSWORD": S}),
    ("pass_fail", {}),
    # --- financial
    ("カード番号", {"CREDIT_CARD": S}),
    ("card_number", {"CREDIT_CARD": S}),
    ("cc_number", {"CREDIT_CARD": S}),
    ("credit_card", {"CREDIT_CARD": S}),
    ("point_card", {}),
    ("口座番号", {"JP_BANK_ACCOUNT": S}),
    ("account_number", {"JP_BANK_ACCOUNT": S}),
    ("iban", {"JP_BANK_ACCOUNT": S}),
    # --- attributes; "age" only as a whole token
    ("年齢", {"AGE": S}),
    ("nenrei", {"AGE": S}),
    ("age", {"AGE": S}),
    ("age_group", {"AGE": S}),
    ("customer_age", {"AGE": S}),
    ("account_age", {"MEMBER_ID": M, "AGE": W}),
    ("page_views", {"MEASURE": M}),
    ("usage", {}),
    ("average", {"MEASURE": S}),
    ("性別", {"GENDER": S}),
    ("seibetsu", {"GENDER": S}),
    ("gender", {"GENDER": S}),
    ("sex", {"GENDER": S}),
    ("職業", {"OCCUPATION": S}),
    ("勤務先", {"OCCUPATION": S}),
    ("shokugyo", {"OCCUPATION": S}),
    ("occupation", {"OCCUPATION": S}),
    ("job", {"OCCUPATION": S}),
    ("job_title", {"OCCUPATION": S}),
    ("job_id", {}),
    ("title", {"OCCUPATION": W}),
    ("都道府県", {"JP_PREFECTURE": S}),
    ("pref", {"JP_PREFECTURE": S}),
    ("prefecture", {"JP_PREFECTURE": S}),
    # --- device
    ("IPアドレス", {"IP_ADDRESS": S}),
    ("ip", {"IP_ADDRESS": S}),
    ("ip_addr", {"IP_ADDRESS": S}),
    ("client_ip", {"IP_ADDRESS": S}),
    ("ipv4_addr", {"IP_ADDRESS": S}),
    ("mac", {"MAC_ADDRESS": S}),
    ("MACアドレス", {"MAC_ADDRESS": S}),
    ("user_agent", {"USER_AGENT": S}),
    ("HTTPUserAgent", {"USER_AGENT": S}),
    ("ua", {"USER_AGENT": M}),
    ("device_id", {"DEVICE_ID": S}),
    ("idfa", {"DEVICE_ID": S}),
    ("aaid", {"DEVICE_ID": S}),
    ("adid", {"DEVICE_ID": S}),
    ("端末ID", {"DEVICE_ID": S}),
    ("広告ID", {"DEVICE_ID": S}),
    ("cookie", {"COOKIE_ID": S}),
    ("cookie_id", {"COOKIE_ID": S}),
    ("クッキー", {"COOKIE_ID": S}),
    # --- location and behaviour
    ("lat", {"GEO_COORDINATE": S}),
    ("latitude", {"GEO_COORDINATE": S}),
    ("lon", {"GEO_COORDINATE": S}),
    ("lng", {"GEO_COORDINATE": S}),
    ("longitude", {"GEO_COORDINATE": S}),
    ("緯度", {"GEO_COORDINATE": S}),
    ("url", {"URL": S}),
    ("referer", {"URL": S}),
    ("page_path", {"URL": S}),
    # --- special care
    ("宗教", {"RELIGION": S}),
    ("religion", {"RELIGION": S}),
    ("人種", {"RACE": S}),
    ("本籍", {"DOMICILE": S}),
    ("障害者手帳", {"DISABILITY": S}),
    ("システム障害", {}),
    ("前科", {"CRIMINAL_RECORD": S}),
    ("労働組合", {"LABOR_UNION": S}),
    ("協同組合名", {}),
    ("union", {"LABOR_UNION": M}),
    ("labor_union", {"LABOR_UNION": S}),
    ("party", {"POLITICAL": W}),
    ("third_party", {}),
    ("political_party", {"POLITICAL": S}),
    ("支持政党", {"POLITICAL": S}),
    ("病歴", {"MEDICAL": S}),
    ("diagnosis", {"MEDICAL": S}),
    ("disease", {"MEDICAL": S}),
    ("medication", {"MEDICAL": S}),
    ("性的指向", {"SEX_LIFE": S}),
    # --- headers that name a special-care fact recorded as an amount or a flag (deductions, check-ups)
    ("障害者控除", {"DISABILITY": S}),
    ("特別障害者", {"DISABILITY": S}),
    ("組合費", {"LABOR_UNION": S}),
    ("労働組合費", {"LABOR_UNION": S}),
    ("union_dues", {"LABOR_UNION": S}),
    ("医療費控除", {"MEDICAL": S}),
    ("医療費控除額", {"MEDICAL": S}),
    ("医療費", {"MEDICAL": M}),
    ("通院フラグ", {"MEDICAL": S}),
    ("収縮期血圧", {"MEDICAL": S}),
    ("γ-GTP", {"MEDICAL": S}),
    ("HbA1c", {"MEDICAL": S}),
    ("hba1c_pct", {"MEDICAL": S}),
    ("LDLコレステロール", {"MEDICAL": S}),
    ("尿潜血", {"MEDICAL": S}),
    ("blood_pressure", {"MEDICAL": S}),
    ("pressure", {}),
    ("政党等寄附金特別控除", {"POLITICAL": S}),
    # --- location codes
    ("メッシュコード", {"GEO_COORDINATE": S}),
    ("地域メッシュコード", {"GEO_COORDINATE": S}),
    ("mesh_code", {"GEO_COORDINATE": S}),
    ("geohash", {"GEO_COORDINATE": S}),
    ("mesh", {}),
    # --- identifiers whose values are bare numbers
    ("ゆうちょ口座番号", {"JP_BANK_ACCOUNT": S}),
    ("passport_no", {"JP_PASSPORT": S}),
    # --- non-personal hints
    ("JANコード", {"JAN_CODE": S}),
    ("jan_code", {"JAN_CODE": S}),
    ("ean", {"JAN_CODE": S}),
    ("barcode", {"JAN_CODE": S}),
    ("品番", {"PRODUCT": S}),
    ("sku", {"PRODUCT": S}),
    ("item", {"PRODUCT": S}),
    ("取引先", {"ORGANIZATION": S}),
    ("メーカー", {"ORGANIZATION": S}),
    ("vendor", {"ORGANIZATION": S}),
    ("supplier", {"ORGANIZATION": S}),
    # an organisation's own switchboard and head office; industry describes a company
    ("代表電話", {"ORGANIZATION": S}),
    ("代表電話番号", {"ORGANIZATION": S}),
    ("本社電話番号", {"ORGANIZATION": S, "PHONE_NUMBER": S}),
    ("業種", {"ORGANIZATION": S}),
    ("industry", {"ORGANIZATION": S}),
    # examinee, patient and member numbers identify a person
    ("受診者番号", {"MEMBER_ID": S}),
    ("患者ID", {"MEMBER_ID": S}),
    ("カルテ番号", {"MEMBER_ID": S}),
    ("patient_no", {"MEMBER_ID": S}),
    # a check-up's overall grade
    ("総合判定", {"MEDICAL": M}),
    ("判定区分", {"MEDICAL": M}),
    ("健診結果", {"MEDICAL": S}),
    ("price", {"MEASURE": S}),
    ("価格", {"MEASURE": S}),
    ("金額", {"MEASURE": S}),
    ("amount", {"MEASURE": S}),
    ("qty", {"MEASURE": S}),
    ("件数", {"MEASURE": S}),
    # --- nothing to say
    ("番号", {}),
    ("No", {}),
    ("備考", {}),
    ("memo", {}),
    ("created_at", {}),
    ("", {}),
    ("___", {}),
]


def test_the_table_is_large_and_has_no_duplicates() -> None:
    headers = [h for h, _ in CASES]
    assert len(headers) >= 120
    assert len(set(headers)) == len(headers)


@pytest.mark.parametrize(("header", "expected"), CASES, ids=[h or "<empty>" for h, _ in CASES])
def test_hints_table(header: str, expected: dict[str, float]) -> None:
    assert _hints(header) == expected


@pytest.mark.parametrize(
    ("header", "tokens"),
    [
        ("customer_name", ("customer", "name")),
        ("customer-name", ("customer", "name")),
        ("Customer Name", ("customer", "name")),
        ("customer.name", ("customer", "name")),
        ("customerName", ("customer", "name")),
        ("IPAddress", ("ip", "address")),
        ("userID", ("user", "id")),
        ("address2", ("address", "2")),
        ("ipv4", ("ipv", "4")),
        ("items[0].price", ("items", "0", "price")),
        ("ＴＥＬ", ("tel",)),
        ("ﾌﾘｶﾞﾅ", ("フリガナ",)),
        ("顧客氏名（漢字）", ("顧客氏名", "漢字")),
        ("IPアドレス", ("ip", "アドレス")),
        ("電話番号_1", ("電話番号", "1")),
        ("国籍・地域", ("国籍", "地域")),
        ("〒", ("〒",)),
        ("", ()),
    ],
)
def test_tokenize(header: str, tokens: tuple[str, ...]) -> None:
    assert tokenize_column_name(header) == tokens


def test_hints_are_strongest_first_one_per_entity_with_the_matched_word() -> None:
    hints = column_name_hints("product_name")
    assert hints == (
        ColumnNameHint("PRODUCT", S, "product"),
        ColumnNameHint("PERSON", W, "name"),
    )
    many = column_name_hints("口座名義_会社電話番号_name")
    strengths = [h.strength for h in many]
    assert strengths == sorted(strengths, reverse=True)
    assert len({h.entity for h in many}) == len(many)


def test_longest_match_reports_the_longer_word() -> None:
    (hint,) = column_name_hints("被保険者番号")
    assert hint == ColumnNameHint("JP_HEALTH_INSURANCE", S, "被保険者番号")
    (hint,) = column_name_hints("ポイントカード番号")
    assert hint == ColumnNameHint("MEMBER_ID", S, "ポイントカード番号")


def test_every_entity_has_a_strong_word() -> None:
    lexicon = load_lexicon()
    strong = {w.entity for w in lexicon.words if w.strength == S}
    assert strong == set(LEXICON_ENTITIES)


def _ascii_single_token_words() -> list[str]:
    return sorted(
        {
            w.tokens[0].text
            for w in load_lexicon().words
            if len(w.tokens) == 1 and w.tokens[0].is_ascii and w.tokens[0].text.isalpha()
        }
    )


def test_ascii_words_never_match_inside_a_longer_token() -> None:
    for word in _ascii_single_token_words():
        for header in (f"x{word}", f"{word}x", f"q{word}q"):
            assert all(h.word != word for h in column_name_hints(header)), (word, header)


@settings(max_examples=60, deadline=None)
@given(
    word=st.sampled_from(_ascii_single_token_words()),
    sep=st.sampled_from(["_", "-", ".", " ", "__", "[", "/"]),
    upper=st.booleans(),
)
def test_separators_and_case_do_not_change_hints(word: str, sep: str, upper: bool) -> None:
    header = f"{word}{sep}zzz"
    if upper:
        header = header.upper()
    assert _hints(header) == _hints(f"{word}_zzz")


@settings(max_examples=60, deadline=None)
@given(header=st.text(max_size=30))
def test_any_text_gives_well_formed_hints(header: str) -> None:
    hints = column_name_hints(header)
    assert len({h.entity for h in hints}) == len(hints)
    assert all(h.entity in LEXICON_ENTITIES and h.strength in (S, M, W) for h in hints)


@pytest.mark.parametrize(
    ("half", "full"),
    [
        ("TEL", "ＴＥＬ"),
        ("email", "ｅｍａｉｌ"),
        ("フリガナ", "ﾌﾘｶﾞﾅ"),
        ("ipアドレス", "ＩＰｱﾄﾞﾚｽ"),
        ("〒", "〶"),
    ],
)
def test_full_and_half_width_headers_are_one(half: str, full: str) -> None:
    assert column_name_hints(half) == column_name_hints(full)
    assert column_name_hints(half)


# ------------------------------------------------------------------ lexicon validation


def _raw() -> dict[str, Any]:
    text = importlib.resources.files("recognizers").joinpath("data/column_names.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _mutated(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_DELETE = object()


def test_packaged_lexicon_parses() -> None:
    lexicon = parse_lexicon(_raw())
    assert len(lexicon.words) > 500
    assert hints_with_lexicon("氏名", lexicon) == (ColumnNameHint("PERSON", S, "氏名"),)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("version",), 2, "version"),
        (("strengths", "strong"), 1.5, "strength"),
        (("strengths", "weak"), "low", "strength"),
        (("strengths", "medium"), 0.95, "decrease"),
        (("entities", "NOT_AN_ENTITY"), {"strong": ["x"]}, "unknown entity"),
        (("entities", "PERSON"), _DELETE, "missing"),
        (("entities", "PERSON", "strong"), "氏名", "list"),
        (("entities", "PERSON", "strong"), ["氏名", 3], "non-string"),
        (("entities", "PERSON", "strong"), ["氏名", ""], "non-string or empty"),
        (("entities", "PERSON", "strong"), ["氏名", "first_name", "firstName"], "twice"),
        (("entities", "PERSON", "strong"), ["---"], "no letters"),
        (("entities", "PERSON", "colour"), ["x"], "unknown keys"),
        (("entities", "PERSON", "whole"), ["存在しない"], "not listed"),
        (("entities", "PERSON", "whole"), ["name"], "non-ASCII"),
        (("entities", "PERSON", "generic"), ["氏名"], "ASCII"),
        (("entities", "SEX_LIFE"), {"exclude": ["x"]}, "no words"),
        (("extra",), 1, "unknown top-level"),
    ],
)
def test_bad_lexicon_fails_loudly(path: tuple[str, ...], value: Any, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        parse_lexicon(_mutated(path, value))


@pytest.mark.parametrize("document", [None, [], "text", {"version": 1}])
def test_non_mapping_or_empty_documents_fail(document: Any) -> None:
    with pytest.raises(LexiconError):
        parse_lexicon(document)
