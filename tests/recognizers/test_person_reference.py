"""The person-reference lexicon: which cells speak of a person, and which sentences are the writer's
own statement of a practice."""

from __future__ import annotations

import pytest

from recognizers.person_reference import (
    is_encyclopedic,
    is_record_like,
    speaks_of_a_person,
    states_own_practice,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # short cells are about the row's person by construction
        ("糖尿病", True),
        ("E判定（要治療）", True),
        # record cells longer than a short cell: terms, values, separators
        ("HbA1c 6.8%、LDL 165mg/dL、γ-GTP高値、総合判定D2 要精密検査", True),
        ("身体障害者手帳2級（肢体不自由）・要介護3・障害支援区分4", True),
        # a customer's own words
        ("持病の糖尿病があるので、糖質の表示をもっと大きくしてほしいです。", True),
        ("My father was diagnosed with diabetes last year", True),
        # encyclopedic prose
        ("糖尿病は、インスリンの作用不足による慢性の高血糖状態を主徴とする代謝疾患群である。", False),
        ("仏教は紀元前5世紀頃にインドで始まった宗教であり、日本には6世紀に伝来した", False),
        ("Diabetes is a chronic disease that occurs when the pancreas does not produce insulin", False),
        # short definitions and reports name a topic
        ("選挙運動は公職選挙法で規制されている。", False),
        ("檀家制度は寺請制度に由来する", False),
        ("父は投薬治療されている", True),
        # articles of several sentences, the last one not a definition
        ("結核は、結核菌によって引き起こされる感染症の一つ。かつては国民病と呼ばれ、多くの若者が命を落とした。", False),
        ("浄土真宗は、鎌倉時代に親鸞が開いた仏教の宗派。本願寺を中心に全国に広がった。", False),
        ("患者さんの多くは通院で治療を続けています。糖尿病は合併症に注意が必要です。", True),
    ],
)
def test_speaks_of_a_person(value: str, expected: bool) -> None:
    assert speaks_of_a_person(value, "MEDICAL") is expected


def test_record_cells_count_only_for_health_and_disability() -> None:
    record = "身体障害者手帳2級（肢体不自由）・要介護3・障害支援区分4"
    product = "京都府産 宇治抹茶パウダー 100g 業務用 国産 無添加 JAS認定"
    assert speaks_of_a_person(record, "DISABILITY")
    assert not speaks_of_a_person(record)
    assert is_record_like(product) and not speaks_of_a_person(product, "JP_PREFECTURE")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("尿潜血（+）、尿蛋白（-）、心電図異常所見あり、血圧高値", True),
        ("血圧 152/96 脈拍 88 体温 36.8 SpO2 97% 既往：高血圧", True),
        ("血圧が高い状態が続くと脳卒中の危険が高まるとされています", False),
        ("総合判定。要精密検査", False),
        ("x" * 200, False),
    ],
)
def test_is_record_like(value: str, expected: bool) -> None:
    assert is_record_like(value) is expected


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("毎週日曜は教会に通っています", "教会に通っています", True),
        ("夫が組合の役員をしている", "組合の役員をしている", True),
        ("うちの父は昔から後援会に入っている", "後援会に入っている", True),
        ("春闘でストに参加した", "ストに参加した", True),
        # third parties as the subject of the sentence
        ("組合員約500人がストに参加した", "ストに参加した", False),
        ("与党の議員が選挙運動をした", "選挙運動をした", False),
        ("同社の労組は春闘でストをした", "ストをした", False),
        ("有権者の多くが野党を支持している", "野党を支持している", False),
        # the subject of another sentence does not carry over
        ("組合員約500人がストに参加した。私もストに参加した", "ストに参加した", True),
    ],
)
def test_states_own_practice(text: str, phrase: str, expected: bool) -> None:
    start = text.rindex(phrase)
    assert states_own_practice(text, start, start + len(phrase)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # an opening that defines its topic (a reading in brackets, 体言止め or a definition predicate)
        ("糖尿病（とうにょうびょう）は、インスリンの作用不足により高血糖が慢性的に続く病気。患者数は約1000万人と推計されている。", True),
        ("夏目漱石は明治から大正にかけて活躍した小説家。代表作に『吾輩は猫である』がある。", True),
        ("北里柴三郎は破傷風の血清療法を確立した医学者である。1892年に伝染病研究所を設立した。", True),
        ("徳川家康は江戸幕府を開いた武将である。", True),
        # a formal opening (topic set off by a comma) and a plain declarative ending
        ("キリスト教は、イエス・キリストを救い主と信じる宗教であり、世界で最も信者数が多い。", True),
        ("釈迦（しゃか）は、仏教の開祖として知られ、北インドの小国に生まれたと伝わる。", True),
        # knowledge-base articles in polite style
        ("高血圧とは、血圧が正常範囲より高い状態のことです。放置すると脳卒中などのリスクが高まります。", True),
        ("日蓮（1222年 - 1282年）は、鎌倉時代の僧。日蓮宗の宗祖。", True),
        ("腰痛がひどいです。整形外科に通っています。", False),
        # several reporting sentences without a defining opening
        ("1549年にザビエルが来日した。その後各地に教会が建てられた。信者は急速に増えたとされる。", True),
        # the writer's own voice, family, honorifics or polite forms: not an article
        ("私は糖尿病で月に一度通院しています。", False),
        ("夫は組合の役員をやっています。", False),
        ("母が入院した。手術は成功した。", False),
        ("山田様は仏教徒である。", False),
        ("持病の糖尿病があるので、糖質の表示をもっと大きくしてほしいです。", False),
        # plain-form notes that define nothing
        ("腰痛は持病で、整形外科に通っている。", False),
        ("明日の配送は午前中を希望。不在なら宅配ボックスへ。", False),
        ("", False),
    ],
)
def test_is_encyclopedic(value: str, expected: bool) -> None:
    assert is_encyclopedic(value) is expected


def test_is_encyclopedic_is_linear_on_long_input() -> None:
    assert is_encyclopedic("あ" * 50_000 + "は" + "い" * 50_000) is False
