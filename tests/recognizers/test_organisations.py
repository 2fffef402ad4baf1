"""is_organisation_name / organisation_around: legal forms, public bodies and trade names are not people."""

from __future__ import annotations

import pytest

from recognizers.organisations import is_organisation_name, organisation_around


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # legal forms (会社法, 特例有限会社, 法人 by act) before or after the trade name, and abbreviated
        ("〇〇運輸合同会社", True),
        ("株式会社山田", True),
        ("山田株式会社", True),
        ("㈲コトブキ商会", True),
        ("(株)田中", True),
        ("（有）鈴木", True),
        ("田中(同)", True),
        ("一般社団法人日本データ協会", True),
        ("公益財団法人ふるさと財団", True),
        ("医療法人社団さくら会", True),
        ("社会福祉法人みどり福祉会", True),
        ("NPO法人ひまわり", True),
        ("国立大学法人東京大学", True),
        ("日本生命保険相互会社", True),
        # the legal forms as banks abbreviate them in half-width kana (全銀協)
        ("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", True),
        ("ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ", True),
        ("ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳｼﾃﾝ", True),
        ("ﾄﾞ)ｻｸﾗｳﾝﾕ", True),
        ("ｲ)ｻｸﾗｶｲ", True),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", False),  # a person as a bank writes one
        ("ﾀﾅｶ ｶﾅ", False),
        # government bodies (国家行政組織法 別表第一, 内閣府設置法) and local government
        ("財務省", True),
        ("文部科学省", True),
        ("デジタル庁", True),
        ("個人情報保護委員会", True),
        ("内閣府", True),
        ("横浜市役所", True),
        ("箱根町役場", True),
        ("東京都", True),
        # banks, schools, hospitals, trade names
        ("三菱UFJ銀行", True),
        ("城南信用金庫", True),
        ("東京大学", True),
        ("山田病院", True),
        ("山田電機", True),
        ("丸亀製麺", True),
        ("月桂冠酒造", True),
        ("東京電力", True),
        ("鈴木建設", True),
        ("佐藤商事", True),
        # Latin-script legal forms and bodies
        ("Microsoft Corporation", True),
        ("Acme Inc.", True),
        ("ACME INC", True),
        ("Toyota Motor Co., Ltd.", True),
        ("Yamada K.K.", True),
        ("Mizuho Bank", True),
        ("University of Tokyo", True),
        ("Ministry of Finance", True),
        ("John Smith", False),
        ("Coco Chanel", False),  # Co only as a whole word
        ("Corey Taylor", False),
        ("Taro Yamada", False),
        # people, job titles, departments, places, products: not organisations by these rules
        ("山田太郎", False),
        ("山田", False),
        ("阿部", False),  # ends in 部
        ("伊集院", False),  # ends in 院
        ("中村", False),  # ends in 村
        ("高市", False),  # ends in 市
        ("氷室", False),  # ends in 室
        ("部長", False),
        ("主任", False),
        ("経理部高橋主任", False),
        ("アレクサンドラ・ペトロヴァ", False),
        ("アイスコーヒー", False),
        ("横浜", False),
        ("", False),
        ("   ", False),
    ],
)
def test_is_organisation_name(text: str, expected: bool) -> None:
    assert is_organisation_name(text) is expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("〇〇運輸合同会社", "〇〇運輸", True),  # the legal form is glued after the span
        ("財務省", "財務", True),
        ("㈲コトブキ商会", "コトブキ", True),  # abbreviation just before
        ("株式会社 山田", "山田", True),
        ("山田 株式会社", "山田", True),
        ("トヨタ自動車株式会社", "トヨタ", True),
        ("鈴木建設株式会社", "鈴木建設", True),
        ("経理部高橋主任", "高橋", False),
        ("株式会社山田の田中です", "田中", False),  # a person of a company is still a person
        ("財務省の田中です", "田中", False),
        ("氏名山田太郎住所東京都港区芝公園", "山田太郎", False),  # an address running on is not the name
        ("山田太郎様", "山田太郎", False),
        ("Microsoft Corporation", "Microsoft", True),
        ("Acme, Inc.", "Acme", True),
        ("Smith Bank of Tokyo", "Smith", True),
        ("John Smith from Acme Inc.", "John Smith", False),
        ("John Smith Jr.", "John Smith", False),
        ("ﾔﾏﾀﾞ ﾀﾛｳ ｶ)ABC", "ﾔﾏﾀﾞ ﾀﾛｳ", False),  # ｶ) starts the next name
        ("ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ", "ﾔﾏﾀﾞｼﾖｳｼﾞ", True),
        ("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", "ﾔﾏﾀﾞｼﾖｳｼﾞ", True),
    ],
)
def test_organisation_around(text: str, name: str, expected: bool) -> None:
    start = text.index(name)
    assert organisation_around(text, start, start + len(name)) is expected


def test_long_input_is_linear() -> None:
    import time

    text = "株" * 20000 + "山田" + "会" * 20000
    start = time.perf_counter()
    is_organisation_name(text)
    organisation_around(text, 20000, 20002)
    assert time.perf_counter() - start < 0.5
