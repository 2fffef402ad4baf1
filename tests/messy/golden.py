"""Golden labels for the messy lake written by ``tests.messy.lake``.

``GOLDEN[dataset][column]`` is a :class:`Label`: the policy category ids a correct scan reports for the
column (empty: nothing personal), the *kind* of value it holds (the failure class it exercises, used to
list what is missed), whether it is a decoy (business data that looks personal), and, for the
re-identification table, whether the column should be reported as a quasi-identifier.

Why the debatable labels are what they are:

- A postal code alone names an area shared by many households → ``attribute``; a date of birth is in
  the policy's list → ``personal``; a sex code (1/2/9 per JIS X 0303, or M/F) → ``attribute``.
- IDs that key one person (会員ID, 社員番号, 受診者番号, user.member_id) → ``credential``; IDs that key a
  record (受注番号, 申請番号, 応募番号, 回答ID, ticket.no) → empty.
- Bank and branch codes name an institution, not a person → empty; the account number is ``financial``.
- 障害者控除 (a deduction amount that exists only for a disabled taxpayer or dependant) →
  ``sensitive.social_status``; 組合費 (union dues deducted from pay) → ``sensitive.labor``; 休職事由,
  check-up grades and findings → ``sensitive.health``, however sparse.
- Survey 自由回答: a few writers disclose their own religious practice, union activity, political
  participation and health → all four sensitive categories; the survey holds no names.
- An approver written as department + surname + title, a support message body that sometimes gives a
  name or a call-back number, remarks with 1.5 % phones and 1.5 % names → ``personal``.
- Settings values and log lines that contain plaintext passwords, API keys and bearer tokens →
  ``credential``.
- Company names (many of them built on surnames, as Japanese firms often are), ministries, corporate
  numbers, JAN codes, product codes, company switchboard/free-dial numbers, amounts, encyclopedic text
  about religions and diseases, constant code columns → empty, and marked as decoys.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORY_IDS: tuple[str, ...] = (
    "personal",
    "identifier_code",
    "credential",
    "financial",
    "attribute",
    "device",
    "location",
    "behavioral",
    "sensitive.belief",
    "sensitive.social_status",
    "sensitive.labor",
    "sensitive.political",
    "sensitive.health",
)


@dataclass(frozen=True)
class Label:
    categories: frozenset[str]
    kind: str
    decoy: bool = False
    quasi_identifier: bool | None = None  # None: not scored
    dense: bool = False  # every non-null value is the item: the best entity's ratio should be near 1


def _d(kind: str, *categories: str) -> Label:
    return Label(frozenset(categories), kind, False, None, True)


def _l(kind: str, *categories: str, qi: bool | None = None) -> Label:
    return Label(frozenset(categories), kind, False, qi)


def _decoy(kind: str) -> Label:
    return Label(frozenset(), kind, True)


def _none(kind: str) -> Label:
    return Label(frozenset(), kind)


P, A, C = "personal", "attribute", "credential"

GOLDEN: dict[str, dict[str, Label]] = {
    "ec/members.csv": {
        "会員ID": _d("member id", C),
        "氏名": _d("kanji name", P),
        "氏名カナ": _d("katakana reading", P),
        "氏名ローマ字": _d("romaji name, any order/case", P),
        "メールアドレス": _d("e-mail incl. carrier addresses with '..'", P),
        "電話番号": _d("phone with spaces/hyphens/+81", P),
        "郵便番号": _l("postal code", A),
        "住所": _d("address, often without block number", P),
        "生年月日": _d("date of birth", P),
        "性別": _l("header-only: sex code 1/2/9 (JIS X 0303)", A),
        "登録カード番号": _d("card number in 4 groups split by single spaces, 55% filled", "financial"),
        "会員ランク": _none("business code"),
        "累計購入額": _decoy("amount"),
        "登録日": _none("date"),
    },
    "sales/order_remarks.csv": {
        "受注番号": _none("record id"),
        "受注日時": _none("timestamp"),
        "商品コード": _decoy("product code"),
        "数量": _none("count"),
        "受注金額": _decoy("amount"),
        "配送業者": _decoy("company names"),
        "備考": _l("low prevalence: remarks with 1.5% phones and 1.5% names", P),
    },
    "hr/payroll.parquet": {
        "社員番号": _d("employee id", C),
        "氏名": _d("kanji name", P),
        "所属部署": _none("department"),
        "個人番号": _d("My Number", "identifier_code"),
        "基本給": _none("amount"),
        "障害者控除": _l("header-only: disability deduction amount", "sensitive.social_status"),
        "組合費": _l("header-only: union dues amount", "sensitive.labor"),
        "休職事由": _l("sparse: leave reasons (病気療養…)", "sensitive.health"),
        "支給区分": _decoy("few numbers repeated every row"),
    },
    "hr/expenses.csv": {
        "申請番号": _none("record id"),
        "申請者": _d("kanji name with space", P),
        "承認者": _d("name glued to department/title", P),
        "勘定科目": _none("account title"),
        "金額": _decoy("amount"),
        "摘要": _decoy("business text naming companies and ministries"),
    },
    "hr/onboarding.parquet": {
        "社員番号": _d("employee id", C),
        "旅券番号": _d("passport numbers alone in a column", "identifier_code"),
        "在留カード番号": _d("residence card numbers", "identifier_code"),
        "運転免許証番号": _d("licence numbers, half grouped 4-2-6", "identifier_code"),
        "SSN": _d("sparse US SSNs with spaces/dots/hyphens", "identifier_code"),
        "ゆうちょ口座番号": _d("header-only: 8-digit ゆうちょ numbers", "financial"),
        "配慮事項": _l("sparse: disability certificates and grades", "sensitive.social_status"),
        "緊急連絡先": _d("relation + name + phone in one field", P),
    },
    "bank/zengin_transfer.csv": {
        "データ区分": _decoy("few numbers repeated every row"),
        "銀行コード": _none("bank code"),
        "銀行名": _decoy("bank names in half-width kana"),
        "支店コード": _none("branch code"),
        "預金種目": _none("account type code"),
        "口座番号": _d("header-only: 7-digit account number", "financial"),
        "受取人名": _d("half-width katakana holder name", P),
        "振込金額": _decoy("amount"),
    },
    "app/events.jsonl": {
        "id": _none("event id"),
        "ts": _none("timestamp"),
        "user.member_id": _d("member id", C),
        "device.ad_id": _d("advertising id", "device"),
        "device.ip": _d("IP address", "device"),
        "device.ua": _d("user agent", "device"),
        "geo.mesh": _d("header-only: JIS X 0410 mesh code", "location"),
        "geo.geohash": _d("header-only: geohash", "location"),
        "page.url": _d("accessed URL", "behavioral"),
        "app.version": _decoy("few values repeated every row"),
    },
    "support/inquiries.jsonl": {
        "ticket.no": _none("record id"),
        "ticket.opened": _none("timestamp"),
        "ticket.channel": _none("business code"),
        "customer.name": _d("romaji / long katakana foreign / English first names", P),
        "customer.contact.tel": _d("phone with spaces/hyphens/+81", P),
        "customer.contact.mail": _d("e-mail incl. carrier addresses with '..'", P),
        "messages[].from": _none("business code"),
        "messages[].text": _l("chat text with names, call-back numbers, addresses without block", P),
        "product.code": _decoy("product code"),
        "product.jan": _decoy("JAN code"),
    },
    "survey/open_answers.csv": {
        "回答ID": _none("record id"),
        "年代": _l("age band", A),
        "職業": _l("occupation", A),
        "居住都道府県": _l("prefecture", A),
        "満足度": _none("rating"),
        "自由回答": _l(
            "low prevalence: self-disclosed religion/union/politics/health in everyday words",
            "sensitive.belief", "sensitive.labor", "sensitive.political", "sensitive.health",
        ),
    },
    "health/checkup.parquet": {
        "受診者番号": _d("examinee id", C),
        "受診日": _none("date"),
        "年齢": _l("age", A),
        "総合判定": _l("check-up grade A–E", "sensitive.health"),
        "尿検査": _l("sparse: urine findings (尿潜血（+）)", "sensitive.health"),
        "医師所見": _l("sparse: clinical findings (γ-GTP高値)", "sensitive.health"),
        "事業所コード": _decoy("few numbers repeated every row"),
    },
    "campaign/entries.csv": {
        "応募番号": _none("record id"),
        "お名前": _d("romaji / long katakana foreign / English first names", P),
        "メール": _d("e-mail, 60% carrier addresses, many with '..' or '.@'", P),
        "携帯番号": _d("mobile numbers split by spaces only (090 1234 5678, +81 90 …)", P),
        "性別": _l("header-only: sex code M/F", A),
        "当選": _none("flag"),
        "流入元": _none("business code"),
    },
    "master/partners.parquet": {
        "法人番号": _decoy("corporate number"),
        "取引先名": _decoy("company and ministry names"),
        "代表電話": _decoy("company phone lines"),
        "業種": _none("industry"),
        "取引開始日": _none("date"),
    },
    "master/products.csv": {
        "商品コード": _decoy("product code (12 digits)"),
        "JANコード": _decoy("JAN code"),
        "商品名": _decoy("product names with place names"),
        "メーカー": _decoy("company names"),
        "標準単価": _decoy("amount"),
        "税率": _decoy("few numbers repeated every row"),
    },
    "kb/articles.parquet": {
        "項目名": _decoy("encyclopedic headwords (religions, diseases)"),
        "本文": _decoy("encyclopedic text about religions and diseases"),
        "分類": _none("business code"),
    },
    "stats/visitors.csv": {
        "生年月日": _l("QI: date of birth in a table without names", P, qi=True),
        "郵便番号": _l("QI: postal code", A, qi=True),
        "性別": _l("QI: sex", A, qi=True),
        "来店回数": _none("count"),
    },
    "it/env_dump.csv": {
        "ホスト名": _none("host name"),
        "設定キー": _none("setting name"),
        "設定値": _l("plaintext secrets (DB_PASSWORD, sk-…, bearer)", C),
        "実行ログ": _l("log lines with plaintext secrets", C),
    },
}

# Datasets whose quasi-identifier verdict is scored: True = a high-risk QI set must be reported.
HIGH_RISK_QI: dict[str, bool] = {
    "stats/visitors.csv": True,
    "master/products.csv": False,
    "kb/articles.parquet": False,
}
