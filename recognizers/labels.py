"""Which kind of number does the label just before a match name?

A 12- or 13-digit string passes several unrelated check digits about one time in ten (My Number,
licence, UPC-A; corporate number, EAN-13), and a UUID is as often an order key as a device id.
The digits cannot tell these apart, but the label written before them can: ``運転免許証番号：…``
is not a My Number, ``JANコード：…`` is not a corporate number, ``注文ID: <uuid>`` is not a
device id. Each recognizer names the label kinds it accepts; a match whose nearest label names
another kind is dropped (:func:`label_names_other_kind`). No label at all changes nothing.

"Nearest" means: the label that ends closest to the match within ``LABEL_WINDOW`` characters
before it, in the same sentence, with no other number (3+ digits) in between, because a label
governs the value written right after it, not every number later on the line. Two wrappers are
adjacent labels of their own: ``T`` + 13 digits is an invoice registration number (= corporate
number) and ``第…号`` is a certificate serial (licences are written so; My Numbers never are).

Functions take normalised text (NFKC, ASCII digits), as recognizers see it.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping

import regex as re


class NumberKind(enum.StrEnum):
    """What a label says the number after it is."""

    MY_NUMBER = "my_number"
    DRIVER_LICENSE = "driver_license"
    ORDINAL_SERIAL = "ordinal_serial"  # 第…号: certificate and registration serials
    CORPORATE_NUMBER = "corporate_number"
    PRODUCT_CODE = "product_code"
    PAYMENT_CARD = "payment_card"
    US_SSN = "us_ssn"
    REFERENCE = "reference"  # order, slip, request, transaction, trace numbers
    SESSION = "session"
    DEVICE = "device"
    MEMBER = "member"
    PHONE = "phone"
    POSTAL_CODE = "postal_code"
    BANK_ACCOUNT = "bank_account"
    HEALTH_INSURANCE = "health_insurance"
    PASSPORT = "passport"
    PENSION = "pension"
    RESIDENCE_CARD = "residence_card"


# Label words per kind. Japanese entries match anywhere; ASCII entries match as words
# (case-insensitive; a space stands for any run of space, '_' or '-'; camelCase "orderId" counts).
# When two labels end at the same place the longer wins (個人番号カード before カード).
LABEL_WORDS: Mapping[NumberKind, tuple[str, ...]] = {
    NumberKind.MY_NUMBER: (
        "個人番号",
        "マイナンバー",
        "個人番号カード",
        "マイナンバーカード",
        "通知カード",
        "my number",
        "mynumber",
        "individual number",
    ),
    NumberKind.DRIVER_LICENSE: (
        "運転免許証番号",
        "運転免許証",
        "運転免許",
        "免許証番号",
        "免許証",
        "免許番号",
        "免許",
        "driver's license",
        "drivers license",
        "driver license",
        "driving licence",
        "driving license",
        "license no",
        "licence no",
        "license number",
        "licence number",
    ),
    NumberKind.CORPORATE_NUMBER: (
        "法人番号",
        "会社法人等番号",
        "登録番号",
        "適格請求書",
        "インボイス",
        "事業者番号",
        "corporate number",
        "registration number",
        "invoice registration",
    ),
    NumberKind.PRODUCT_CODE: (
        "JAN",
        "JANコード",
        "EAN",
        "UPC",
        "GTIN",
        "ITF",
        "バーコード",
        "商品コード",
        "商品番号",
        "商品",
        "品番",
        "型番",
        "部品番号",
        "製品番号",
        "品目コード",
        "SKU",
        "barcode",
        "product code",
        "product no",
        "item code",
        "item no",
        "part number",
        "part no",
        "model number",
        "model no",
    ),
    NumberKind.PAYMENT_CARD: (
        "カード番号",
        "クレジットカード",
        "クレジット",
        "デビットカード",
        "カード",
        "card number",
        "card no",
        "credit card",
        "debit card",
        "VISA",
        "JCB",
        "Mastercard",
        "AMEX",
    ),
    NumberKind.US_SSN: ("SSN", "social security", "社会保障番号", "ソーシャルセキュリティ"),
    NumberKind.REFERENCE: (
        "注文番号",
        "注文",
        "受注",
        "発注",
        "伝票番号",
        "伝票",
        "問い合わせ番号",
        "追跡番号",
        "受付番号",
        "管理番号",
        "請求書番号",
        "予約番号",
        "契約番号",
        "申込番号",
        "整理番号",
        "取引",
        "決済番号",
        "領収書番号",
        "ギフトカード",
        "リクエスト",
        "トランザクション",
        "order",
        "invoice no",
        "invoice number",
        "tracking",
        "request",
        "transaction",
        "trace",
        "correlation",
        "span id",
        "message id",
        "event id",
        "job id",
        "reservation",
        "booking",
    ),
    NumberKind.SESSION: ("セッション", "クッキー", "session", "cookie"),
    NumberKind.DEVICE: (
        "IDFA",
        "IDFV",
        "AAID",
        "GAID",
        "ADID",
        "UDID",
        "広告ID",
        "広告識別子",
        "端末ID",
        "端末識別子",
        "デバイスID",
        "device",
        "advertising id",
        "ad id",
    ),
    NumberKind.MEMBER: (
        "会員番号",
        "会員ID",
        "会員登録番号",
        "顧客番号",
        "顧客ID",
        "お客様番号",
        "ユーザーID",
        "社員番号",
        "従業員番号",
        "学籍番号",
        "ポイントカード",
        "会員カード",
        "user id",
        "customer id",
        "member id",
        "member number",
        "employee id",
    ),
    NumberKind.PHONE: ("電話番号", "電話", "携帯", "TEL", "FAX", "phone", "mobile"),
    NumberKind.POSTAL_CODE: ("郵便番号", "〒", "zip", "postal code", "postcode"),
    NumberKind.BANK_ACCOUNT: ("口座番号", "口座", "キャッシュカード", "account number", "account no"),
    NumberKind.HEALTH_INSURANCE: (
        "保険者番号",
        "被保険者番号",
        "保険証",
        "被保険者証",
        "資格確認書",
        "insurer number",
    ),
    NumberKind.PASSPORT: ("旅券番号", "旅券", "パスポート", "passport"),
    NumberKind.PENSION: ("基礎年金番号", "年金番号", "年金手帳"),
    NumberKind.RESIDENCE_CARD: ("在留カード", "特別永住者証明書"),
}

LABEL_WINDOW = 24
# A label does not reach across a sentence or line end.
_SENTENCE_BREAK = re.compile(r"[。！？!?\n\r]")
# ...nor across another number: it names the value right after it.
_OTHER_NUMBER = re.compile(r"[0-9]{3,}")
# Invoice registration number: T directly before the digits, not the end of a word (…ST12…).
_INVOICE_T = re.compile(r"(?<![A-Za-z])T[ ]?\Z")
_DAI_BEFORE = re.compile(r"第[ ]?\Z")
_GO_AFTER = re.compile(r"\A[ ]?号")


def _entry_regex(word: str) -> str:
    if word.isascii():
        body = r"[\s_\-]*".join(re.escape(part) for part in word.split(" "))
        body = body.replace("'", "['’]?")
        return rf"(?<![A-Za-z])(?i:{body})(?![a-z])"
    return str(re.escape(word))


_ENTRIES: tuple[tuple[str, NumberKind], ...] = tuple(
    sorted(((w, k) for k, words in LABEL_WORDS.items() for w in words), key=lambda e: len(e[0]), reverse=True)
)
# Group name → kind; one named group per entry, longest entries first whatever their kind.
_KIND_BY_GROUP: dict[str, NumberKind] = {f"g{i}": kind for i, (_, kind) in enumerate(_ENTRIES)}


@functools.cache
def _label_regex() -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<g{i}>{_entry_regex(word)})" for i, (word, _) in enumerate(_ENTRIES)))


def nearest_label(text: str, start: int, end: int | None = None) -> NumberKind | None:
    """The kind named by the label nearest before ``text[start:end]``, or None when there is none."""
    before = text[max(0, start - LABEL_WINDOW) : start]
    if _INVOICE_T.search(before):
        return NumberKind.CORPORATE_NUMBER
    if end is not None and _DAI_BEFORE.search(before) and _GO_AFTER.search(text[end : end + 2]):
        return NumberKind.ORDINAL_SERIAL
    cut = 0
    for pattern in (_SENTENCE_BREAK, _OTHER_NUMBER):
        for found in pattern.finditer(before):
            cut = max(cut, found.end())
    window = before[cut:]
    best: tuple[int, int, NumberKind] | None = None
    for found in _label_regex().finditer(window, overlapped=True):
        group = found.lastgroup
        if group is None:
            continue
        key = (found.end(), found.end() - found.start(), _KIND_BY_GROUP[group])
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best is not None else None


def label_names_other_kind(text: str, start: int, end: int, accepted: Iterable[NumberKind]) -> bool:
    """True when the nearest label before the match names a kind the recognizer does not accept."""
    kind = nearest_label(text, start, end)
    return kind is not None and kind not in frozenset(accepted)
