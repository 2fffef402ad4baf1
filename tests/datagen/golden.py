"""Golden column labels for the sample lake written by ``tests.datagen.lake``.

``GOLDEN[dataset][column]`` is the set of policy category ids a correct scan reports for that column;
an empty set means "nothing personal here". Dataset names are what the scanner reports when the lake
root is the SOURCE: the path relative to the root, except the hive-partitioned ``weblogs`` folder,
which is one dataset (its partition key ``dt`` may appear as a column and is not personal).

Why the debatable labels are what they are:

- ``郵便番号`` alone (customers, raw export) → ``attribute``: a postal code names a residential area
  shared by hundreds of households, i.e. the policy's "residential area" attribute. The customers
  table is personal through 住所/氏名; the column itself is still only an area.
- ``顧客ID``, ``社員番号``, ``会員番号``, ``member_id``, ``login_id`` → ``credential``: each is an ID
  assigned to one person and used to look that person up or sign them in (the policy's
  "membership number, ID"). ``order_id``, ``ticket_id``, ``response_id`` key a *record*, not a
  person, so they are empty.
- ``password_hash`` → ``credential``: a hash is still the stored password for the policy
  (仮名加工 rules require deleting it).
- ``生年月日`` → ``personal`` (the policy lists date of birth); ``年齢``/``年代`` → ``attribute``.
- ``役職`` (job title) → ``attribute`` as occupation; ``部署`` (department) is an organisational unit
  shared by many employees, not one of the policy's attributes → empty.
- ``保険者番号`` → ``identifier_code``: the 8-digit number names the insurer, but it is one part of
  the 個人識別符号 (保険者番号 + 記号・番号), and a column of them beside other ID documents is
  flagged, as the recognizer's entity maps to identifier_code.
- ``健康診断結果`` → ``sensitive.health`` (健康診断等の結果 is 要配慮 by statute), even though about
  half the rows say 異常なし: the column is where health results live.
- ``労働組合`` → ``sensitive.labor``: values such as 加入/未加入 reveal union membership.
- survey ``自由記述`` → ``sensitive.health`` (~15% of rows mention illness/treatment/pregnancy) and
  ``sensitive.belief``: ~5% of rows (never fewer than 3) state the writer's religion (イスラム教徒,
  ヒンドゥー教を信仰…). A special-care item in a handful of records makes the column special-care;
  the survey holds no names, so not ``personal``.
- support ``本文`` → ``personal`` only: ~40% of bodies carry a customer name with 様, a phone number
  or an e-mail address inside sentences; nothing sensitive is ever written there.
- ``url`` → ``behavioral`` (accessed URLs); ``device_id`` (IDFA/AAID, some all-zero) → ``device``.
- ``都道府県`` → ``attribute`` (prefecture only; the policy exempts prefecture from 本籍 sensitivity).
- Company data — ``メーカー法人番号``, ``JANコード``/``jan_code``, ``product_code`` (12 digits that fail
  the My Number check digit), the makers' 0120/fixed contact numbers, ``商品名`` with place names
  (北海道産ミルク) — is not personal → empty, per the contract.
- ``購入金額``/``購入金額帯`` and prices/counts → empty: amounts alone are not purchase *history*.
- ``company`` in en/contacts → empty (an employer name, not the person); ``備考`` holds only
  procedural notes (本人確認済み, 再発行) → empty.
"""

from __future__ import annotations

PERSONAL = frozenset({"personal"})
IDENTIFIER_CODE = frozenset({"identifier_code"})
CREDENTIAL = frozenset({"credential"})
FINANCIAL = frozenset({"financial"})
ATTRIBUTE = frozenset({"attribute"})
DEVICE = frozenset({"device"})
LOCATION = frozenset({"location"})
BEHAVIORAL = frozenset({"behavioral"})
NONE: frozenset[str] = frozenset()

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

# Partition keys a scanner may surface as columns of a hive-partitioned dataset.
PARTITION_COLUMNS: dict[str, frozenset[str]] = {"weblogs": frozenset({"dt"})}

GOLDEN: dict[str, dict[str, frozenset[str]]] = {
    "crm/customers.parquet": {
        "顧客ID": CREDENTIAL,
        "氏名": PERSONAL,
        "フリガナ": PERSONAL,
        "郵便番号": ATTRIBUTE,
        "住所": PERSONAL,
        "電話番号": PERSONAL,
        "メールアドレス": PERSONAL,
        "生年月日": PERSONAL,
        "性別": ATTRIBUTE,
        "会員番号": CREDENTIAL,
        "登録日": NONE,
        "ポイント残高": NONE,
    },
    "hr/employees.csv": {
        "社員番号": CREDENTIAL,
        "氏名": PERSONAL,
        "マイナンバー": IDENTIFIER_CODE,
        "基礎年金番号": IDENTIFIER_CODE,
        "年齢": ATTRIBUTE,
        "役職": ATTRIBUTE,
        "部署": NONE,
        "健康診断結果": frozenset({"sensitive.health"}),
        "労働組合": frozenset({"sensitive.labor"}),
        "入社日": NONE,
    },
    "sales/orders.csv": {
        "order_id": NONE,
        "member_id": CREDENTIAL,
        "product_code": NONE,
        "jan_code": NONE,
        "unit_price": NONE,
        "quantity": NONE,
        "card_number": FINANCIAL,
        "ordered_at": NONE,
    },
    "weblogs": {
        "ts": NONE,
        "client_ip": DEVICE,
        "user_agent": DEVICE,
        "url": BEHAVIORAL,
        "cookie_id": DEVICE,
        "device_id": DEVICE,
        "latitude": LOCATION,
        "longitude": LOCATION,
        "status": NONE,
        "bytes": NONE,
        "dt": NONE,
    },
    "partner/export_c.parquet": {
        "c1": PERSONAL,
        "c2": PERSONAL,
        "c3": PERSONAL,
        "c4": IDENTIFIER_CODE,
        "c5": FINANCIAL,
        "c6": NONE,
        "c7": NONE,
        "c8": NONE,
        "c9": NONE,
    },
    "catalog/products.csv": {
        "商品名": NONE,
        "JANコード": NONE,
        "メーカー法人番号": NONE,
        "メーカー問い合わせ先": NONE,
        "価格": NONE,
        "在庫数": NONE,
    },
    "survey/responses.jsonl": {
        "response_id": NONE,
        "年代": ATTRIBUTE,
        "性別": ATTRIBUTE,
        "都道府県": ATTRIBUTE,
        "自由記述": frozenset({"sensitive.health", "sensitive.belief"}),
        "satisfaction": NONE,
    },
    "support/tickets.csv": {
        "ticket_id": NONE,
        "件名": NONE,
        "本文": PERSONAL,
        "status": NONE,
        "created_at": NONE,
    },
    "en/contacts.csv": {
        "full_name": PERSONAL,
        "email": PERSONAL,
        "phone": PERSONAL,
        "street_address": PERSONAL,
        "ssn": IDENTIFIER_CODE,
        "company": NONE,
        "signup_date": NONE,
    },
    "accounts/users.parquet": {
        "login_id": CREDENTIAL,
        "password_hash": CREDENTIAL,
        "email": PERSONAL,
        "last_login_ip": DEVICE,
        "mac_address": DEVICE,
        "created_at": NONE,
    },
    "partner/raw_export.parquet": {
        "年齢": ATTRIBUTE,
        "郵便番号": ATTRIBUTE,
        "職業": ATTRIBUTE,
        "性別": ATTRIBUTE,
        "購入金額": NONE,
    },
    "partner/generalised_export.parquet": {
        "年代": ATTRIBUTE,
        "都道府県": ATTRIBUTE,
        "性別": ATTRIBUTE,
        "購入金額帯": NONE,
    },
    "ids/identity_docs.csv": {
        "旅券番号": IDENTIFIER_CODE,
        "運転免許証番号": IDENTIFIER_CODE,
        "在留カード番号": IDENTIFIER_CODE,
        "保険者番号": IDENTIFIER_CODE,
        "備考": NONE,
    },
    "metrics/daily_kpi.csv": {
        "date": NONE,
        "pageviews": NONE,
        "sessions": NONE,
        "conversion_rate": NONE,
        "revenue": NONE,
    },
}

# Whether a correct scan reports a high-risk quasi-identifier set for the dataset: the raw export's
# exact age + 7-digit postal code + occupation + sex single people out; the generalised export was
# built with every (年代, 都道府県, 性別, 購入金額帯) class holding at least 5 people.
HIGH_RISK_QI: dict[str, bool] = {
    "partner/raw_export.parquet": True,
    "partner/generalised_export.parquet": False,
}
