"""PersonNameRecognizer: Sudachi 人名 lexicon, romaji via the same lexicon, English via US Census lists."""

from __future__ import annotations

import time

import pytest

from recognizers.jp.jp_person_name import PersonNameRecognizer, romaji_name_kinds, romaji_to_katakana_variants
from tests.recognizers import support

REC = PersonNameRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "span", "min_score", "max_score"),
    [
        ("山田太郎", "山田太郎", 0.8, 0.9),
        ("山田 太郎", "山田 太郎", 0.8, 0.9),
        ("山田　太郎", "山田　太郎", 0.8, 0.9),
        ("ヤマダ タロウ", "ヤマダ タロウ", 0.8, 0.9),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ", 0.8, 0.9),
        ("やまだ たろう", "やまだ たろう", 0.8, 0.9),
        ("佐藤陽翔", "佐藤陽翔", 0.8, 0.9),
        ("伊藤 凛", "伊藤 凛", 0.6, 0.7),
        ("山田太郎様", "山田太郎", 0.95, 1.0),
        ("佐藤花子さんの住所", "佐藤花子", 0.95, 1.0),
        ("氏名：山田　太郎", "山田　太郎", 0.9, 1.0),
        ("山田", "山田", 0.4, 0.5),  # one token scores lower than a pair
        ("鈴木様", "鈴木", 0.75, 0.9),
        ("Taro Yamada", "Taro Yamada", 0.75, 0.85),
        ("YAMADA Taro", "YAMADA Taro", 0.75, 0.85),
        ("Yuko Sato", "Yuko Sato", 0.75, 0.85),
        ("John Smith", "John Smith", 0.65, 0.75),
        ("SMITH, John", "SMITH, John", 0.65, 0.75),
        ("John A. Smith", "John A. Smith", 0.65, 0.75),
        ("Mr. Brown", "Brown", 0.6, 0.8),
        ("担当はJohn Smithです", "John Smith", 0.65, 0.75),
    ],
)
def test_person_found(text: str, span: str, min_score: float, max_score: float) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert min_score <= results[0][1] <= max_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        "株式会社山田",  # company names
        "株式会社 山田",
        "(株)田中",
        "山田商店",
        "田中工務店",
        "本田技研工業",
        "ヤマダ電機",
        "トヨタ自動車",
        "山田町",  # place names
        "東京都千代田区",
        "北海道産ミルク",  # product names
        "京都宇治抹茶",
        "りんご",
        "Main Street",
        "Grace Church",
        "Smith Inc",
        "Apple Store",
        "Tokyo Tower",
        "green apple",
        "2026-11-25",
        "",
    ],
)
def test_person_not_found(text: str) -> None:
    assert found(text) == []


def test_pair_scores_above_single() -> None:
    assert found("山田 太郎")[0][1] > found("山田")[0][1]


def test_prefilter_rejects_numbers() -> None:
    assert not passes_prefilter("03-1234-5678")
    assert not passes_prefilter("12345")


def test_romaji_conversion_restores_long_vowels() -> None:
    assert "タロウ" in romaji_to_katakana_variants("Taro")
    assert "ショウタ" in romaji_to_katakana_variants("shota")
    assert romaji_to_katakana_variants("xyz") == []
    assert "姓" in romaji_name_kinds("yamada")
    assert "名" in romaji_name_kinds("taro")


def test_short_values_are_fast() -> None:
    values = ["山田太郎", "株式会社山田商事", "北海道産ミルク", "John Smith", "Taro Yamada", "りんご"] * 200
    REC.analyze("山田太郎", ["PERSON"])  # load the dictionary
    start = time.perf_counter()
    for value in values:
        REC.analyze(value, ["PERSON"])
    per_value = (time.perf_counter() - start) / len(values)
    assert per_value < 0.001  # measured ~20–70 µs; a wide margin for loaded CI machines


@pytest.mark.parametrize(
    ("text", "min_score"),
    [
        ("ナガノ セツコ", 0.8),  # ナガノ is a place in the lexicon; the reading index knows 長野 as a surname
        ("コマツ　カナコ", 0.8),
        ("イガラシ ユウト", 0.8),  # 五十嵐 via the reading index; ユウト unknown
        ("うえの あい", 0.8),
        ("ﾀｶﾊｼ ｼｭﾝｽｹ", 0.8),
        ("スミス ジョン", 0.7),
        ("オリベイラ ルーカス", 0.7),
        ("グエン ティ ホア", 0.55),
        ("サントス マリア", 0.4),  # サントス is also a place: a weaker pair
        ("フリガナ：ヤマダ タロウ", 0.9),
        ("Shinohara, Yui", 0.75),
        ("SHIMADA Ren", 0.75),
        ("Takayuki Miura", 0.75),
        ("Aya Wada", 0.75),
    ],
)
def test_kana_and_romaji_names_found(text: str, min_score: float) -> None:
    results = REC.analyze(text, ["PERSON"], None)
    assert len(results) == 1
    assert results[0].score >= min_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        "アイス コーヒー",  # loanwords that the lexicon also tags 人名-一般
        "オレンジ ジュース",
        "ホワイト ボード",
        "イチゴ ミルク",  # イチゴ is also a rare given-name reading
        "ヤマハ ピアノ",  # a company whose name is also a surname reading
        "ありがとう ございます",
        "My Number: 3599 1347 9376",
        "山田錦 純米大吟醸",  # a rice variety in a product line
        "Ship to 7583 Lake Ave, Boston, MA 02185 by Monday.",
    ],
)
def test_kana_words_and_english_labels_not_names(text: str) -> None:
    assert [r for r in REC.analyze(text, ["PERSON"], None) if r.score >= 0.4] == []


def test_product_line_with_a_name_label_is_still_a_name() -> None:
    assert found("氏名：山田 太郎（商品担当）")



@pytest.mark.parametrize(
    ("text", "span", "min_score", "max_score"),
    [
        # half-width katakana as banks (全銀協 format) write it, small kana full size, with or without a blank
        ("ｼﾖｳｼﾞ ﾀﾛｳ", "ｼﾖｳｼﾞ ﾀﾛｳ", 0.8, 0.9),
        ("ｻﾄｳ ｼﾖｳｺ", "ｻﾄｳ ｼﾖｳｺ", 0.8, 0.9),
        ("ﾀﾅｶ ｷﾖｳｺ", "ﾀﾅｶ ｷﾖｳｺ", 0.8, 0.9),
        ("ﾔﾏﾀﾞﾀﾛｳ", "ﾔﾏﾀﾞﾀﾛｳ", 0.7, 0.9),
        ("ｼﾖｳｼﾞﾀﾛｳ", "ｼﾖｳｼﾞﾀﾛｳ", 0.7, 0.8),
        # a name glued to a department and a job title: the name, not the title
        ("経理部高橋主任", "高橋", 0.7, 0.8),
        ("営業課 佐藤部長", "佐藤", 0.7, 0.8),
        ("総務部山田課長", "山田", 0.7, 0.8),
        ("経理部石田主任", "石田", 0.7, 0.8),  # Sudachi reads 石田 as a place; a title says it is a surname
        ("石田様", "石田", 0.8, 0.9),
        ("山田太郎部長", "山田太郎", 0.9, 1.0),
        ("田中様", "田中", 0.75, 0.9),
        ("鈴木先生", "鈴木", 0.7, 0.8),
        # titles Sudachi splits (課長 → 課 + 長) and katakana titles
        ("営業部黒川課長", "黒川", 0.7, 0.8),
        ("第二営業部金沢部長", "金沢", 0.7, 0.8),
        ("製造部山内主任", "山内", 0.7, 0.8),  # 山内 read as a common noun, listed as a surname
        ("総務課勝山衛リーダー", "勝山衛", 0.9, 1.0),
        ("経理部半沢 階子部長", "半沢 階子", 0.9, 1.0),
        # whole values "姓 名" whose surname Sudachi reads as a place or a word, or whose given name it lacks
        ("品川 幹代", "品川 幹代", 0.8, 0.9),
        ("荒川 茂一郎", "荒川 茂一郎", 0.8, 0.9),
        ("下山 輝海", "下山 輝海", 0.8, 0.9),
        ("檜山 俐珠", "檜山 俐珠", 0.6, 0.7),
        # ... or glued, as name columns store them
        ("安岡雷作", "安岡雷作", 0.6, 0.7),
        ("竹原初陽", "竹原初陽", 0.6, 0.7),  # 竹原 read as a place
        # katakana foreign names joined by ・ or ＝
        ("アレクサンドラ・ペトロヴァ", "アレクサンドラ・ペトロヴァ", 0.65, 0.75),
        ("ジョン＝スミス", "ジョン＝スミス", 0.75, 0.9),
        ("担当のアレクサンドラ・ペトロヴァさんに連絡", "アレクサンドラ・ペトロヴァ", 0.75, 0.9),
        ("ペトロヴァ・イワノヴナ", "ペトロヴァ・イワノヴナ", 0.5, 0.6),  # both unknown: the shape alone
        # romaji in any order and case
        ("taro yamada", "taro yamada", 0.75, 0.85),
        ("yamada taro", "yamada taro", 0.75, 0.85),
        ("yamada, taro", "yamada, taro", 0.75, 0.85),
        ("TARO YAMADA", "TARO YAMADA", 0.75, 0.85),
        ("Yamada, Taro", "Yamada, Taro", 0.75, 0.85),
        # a known surname and a given name the lexicon lacks, in the orders names are written
        ("Atsuo Saitou", "Atsuo Saitou", 0.55, 0.65),
        ("SAITOU Atsuo", "SAITOU Atsuo", 0.55, 0.65),
        ("Saitou, Atsuo", "Saitou, Atsuo", 0.55, 0.65),
        ("atsuo saitou", "atsuo saitou", 0.55, 0.65),
        # a whole value: a known name beside an unknown romaji word, either order and case
        ("ukishima haruhiko", "ukishima haruhiko", 0.55, 0.65),
        ("ushijima haruhiko", "ushijima haruhiko", 0.75, 0.85),  # 牛島: a surname kanji of the reading index
        ("Sakurai Mayuho", "Sakurai Mayuho", 0.55, 0.65),
        # a given name alone: a single-token score, which only a name-like header carries
        ("John", "John", 0.4, 0.5),
        ("MARY", "MARY", 0.4, 0.5),
    ],
)
def test_names_as_systems_store_them(text: str, span: str, min_score: float, max_score: float) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert min_score <= results[0][1] <= max_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        # organisations: legal forms, government bodies, trade names
        "〇〇運輸合同会社",
        "山田運輸合同会社",
        "財務省",
        "㈲コトブキ商会",
        "田中工業株式会社",
        "株式会社 山田",
        "山田 株式会社",
        "医療法人山田会",
        "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ",  # bank payees with the 全銀協 legal-form abbreviation
        "ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ",
        "ﾄﾞ)ｻｸﾗ ｳﾝﾕ",
        "渋谷区役所",
        "経理部",  # a department alone
        "部長",  # job titles alone
        "主任",
        "課長代理",
        # katakana product and company words joined by ・
        "アイス・コーヒー",
        "カスタマー・サービス",
        "サントリー・ホールディングス",
        "グーグル・クラウド",
        "トヨタ・ジャパン株式会社",
        "アイスクリーム",  # a katakana run that splits into no surname + given name
        # lower-case English words and labels, single non-name words
        "green apple",
        "hello world",
        "Active",
        "Total",
        "Tokyo",
        "Smith",  # a surname alone is not a given name
        "Yamaha Piano",  # a maker first, without capitals or a comma, is a product line
        "Sushi Tanaka",  # the other word is an ordinary word in the lexicon (スシ)
        "Tempura Suzuki",
        "東京都",  # a place alone
        "鶴見区",  # a place that is also a surname, without a title
        "横浜様",  # a place that is not a surname, even before an honorific
        "品川 本社",  # a place and a word the dictionary knows
        "大阪 支店",
        "下山 開始",
        # places and shops glued to a surname-like word
        "松本城",
        "吉田町",
        "山田本社",
        "神戸北野",
        "横浜中華街",
        "竹原高校",
        "佐藤営業部",
        "経理部リーダー",  # a department and a title without a name
        "営業課長",
        "Toyota Prius",
        "Honda Civic",
        "Tanaka Sushi",  # a surname beside an ordinary word
    ],
)
def test_organisations_titles_and_products_not_names(text: str) -> None:
    assert found(text) == []


def test_name_of_a_person_at_a_company_is_kept() -> None:
    assert [s for s, _ in found("株式会社山田の田中です")] == ["田中"]


def test_foreign_kana_with_an_ordinary_word_stays_weak() -> None:
    assert all(score < 0.5 for _, score in found("ディズニー・ランド"))


def test_long_katakana_runs_are_linear() -> None:
    text = "ア・" * 5000 + "ア"
    start = time.perf_counter()
    REC.analyze(text, ["PERSON"])
    assert time.perf_counter() - start < 2.0


def test_threads_find_names_at_once_as_one_thread_does() -> None:
    """The threads scheduler profiles several parts in one process: each thread tokenizes with its own
    Sudachi tokenizer (a shared one failed with "RuntimeError: Already borrowed")."""
    from concurrent.futures import ThreadPoolExecutor

    from recognizers.jp.jp_person_name import find_names

    surnames, given = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤"], ["太郎", "花子", "一郎", "美咲", "健太"]
    texts = [f"担当{i}号 {s}{g}様より連絡あり、折り返し第{i % 97}営業日に対応" for i, (s, g) in enumerate(
        (s, g) for _ in range(40) for s in surnames for g in given
    )]
    expected = [find_names(text) for text in texts]
    assert sum(1 for spans in expected if spans) >= len(texts) * 0.9
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):
            assert list(pool.map(find_names, reversed(texts))) == expected[::-1]
