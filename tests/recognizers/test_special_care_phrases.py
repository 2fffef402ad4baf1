"""Special-care (要配慮) facts written as short record phrases and as self-disclosures in free text.

Tables in the Presidio style: (text, expected span, score range) for what must be found, and texts
that must give nothing at the free-text score (0.6) — encyclopedic, news, policy and business
look-alikes of each category. Then a 2,000-row survey column with 1-4 % disclosures, scanned the
way the column scanner scans it, that must count exactly the disclosing rows.
"""

from __future__ import annotations

import time

import numpy as np
import pyarrow as pa
import pytest
from presidio_analyzer import EntityRecognizer

from pipeline.detect import profile_column
from pipeline.settings import DetectionSettings
from recognizers.person_reference import speaks_of_a_person
from recognizers.sensitive.disability import DisabilityRecognizer
from recognizers.sensitive.labor_union import LaborUnionRecognizer
from recognizers.sensitive.medical import MedicalRecognizer
from recognizers.sensitive.political import PoliticalRecognizer
from recognizers.sensitive.religion import ReligionRecognizer
from tests.recognizers import support

RECOGNIZERS: dict[str, EntityRecognizer] = {
    "MEDICAL": MedicalRecognizer(),
    "DISABILITY": DisabilityRecognizer(),
    "RELIGION": ReligionRecognizer(),
    "LABOR_UNION": LaborUnionRecognizer(),
    "POLITICAL": PoliticalRecognizer(),
}
# Free text counts a mention from this score (configs/scan.yaml free_text_min_score), and from a
# tiny share of rows from the confident score (free_text_confident_score).
FREE_TEXT_SCORE = 0.6
CONFIDENT_SCORE = 0.9


def counted(entity: str, text: str) -> tuple[str, float] | None:
    """What the column scanner counts at the free-text score: a word in prose that does not speak of a
    person is dropped by the person-reference gate, whatever its score."""
    found = best(entity, text)
    if found is None or found[1] < FREE_TEXT_SCORE or not speaks_of_a_person(text, entity):
        return None
    return found


def best(entity: str, text: str) -> tuple[str, float] | None:
    """The best-scoring span the entity's recognizer finds, as the scanner keeps one per value."""
    results = support.found(RECOGNIZERS[entity], text)
    return max(results, key=lambda r: r[1]) if results else None


# --- kind 3: check-up results, leave for illness, disability grades, treatment status --------------

RECORD_PHRASES = [
    # grades of the check-up tables, with and without their wording
    ("MEDICAL", "E判定（要治療）", "E判定（要治療）", 0.9, 1.0),
    ("MEDICAL", "D2判定 要精密検査", "D2判定 要精密検査", 0.9, 1.0),
    ("MEDICAL", "総合判定：C 要経過観察", "C 要経過観察", 0.85, 0.9),
    ("MEDICAL", "要精密検査（D2）", "要精密検査（D2）", 0.9, 1.0),
    ("MEDICAL", "D1判定", "D1判定", 0.7, 0.9),
    ("MEDICAL", "総合判定 D2", "判定 D2", 0.7, 0.7),
    ("MEDICAL", "C3 要再検査", "C3 要再検査", 0.9, 1.0),
    ("MEDICAL", "ALT 58 H", "ALT 58 H", 0.9, 1.0),
    ("MEDICAL", "胸部X線 異常なし", "胸部X線 異常なし", 0.9, 1.0),
    ("MEDICAL", "判定：A 異常なし", "A 異常なし", 0.7, 0.7),
    # check items with a value or a verdict
    ("MEDICAL", "尿潜血（+）", "尿潜血（+）", 0.9, 1.0),
    ("MEDICAL", "尿蛋白 2+", "尿蛋白 2+", 0.9, 1.0),
    ("MEDICAL", "γ-GTP高値", "γ-GTP高値", 0.9, 1.0),
    ("MEDICAL", "ＨｂＡ１ｃ　６．８％", "ＨｂＡ１ｃ　６．８％", 0.9, 1.0),
    ("MEDICAL", "空腹時血糖 132mg/dL、LDL 165", "空腹時血糖 132mg/dL", 0.8, 0.8),
    ("MEDICAL", "血圧 152/96", "血圧 152/96", 0.9, 1.0),
    ("MEDICAL", "血圧高値", "血圧高値", 0.9, 1.0),
    ("MEDICAL", "肝機能異常", "肝機能異常", 0.9, 1.0),
    ("MEDICAL", "心電図に異常所見あり", "心電図に異常所見あり", 0.9, 1.0),
    ("MEDICAL", "所見あり", "所見あり", 0.7, 0.8),
    # leave and treatment status
    ("MEDICAL", "病気療養", "病気療養", 0.7, 0.8),
    ("MEDICAL", "傷病休暇", "傷病休暇", 0.7, 0.8),
    ("MEDICAL", "休職（メンタル不調）", "メンタル不調", 0.6, 0.6),
    ("MEDICAL", "通院中", "通院中", 0.7, 0.8),
    ("MEDICAL", "服薬中", "服薬中", 0.7, 0.8),
    ("MEDICAL", "入院中", "入院中", 0.7, 0.8),
    ("MEDICAL", "経過観察", "経過観察", 0.6, 0.7),
    ("MEDICAL", "通院のため早退", "通院", 0.6, 0.6),
    # disability grades and care levels
    ("DISABILITY", "身体障害者手帳2級", "身体障害者手帳2級", 0.9, 1.0),
    ("DISABILITY", "身体障害者手帳 1種2級", "身体障害者手帳 1種2級", 0.9, 1.0),
    ("DISABILITY", "療育手帳A", "療育手帳A", 0.9, 1.0),
    ("DISABILITY", "愛の手帳 3度", "愛の手帳 3度", 0.9, 1.0),
    ("DISABILITY", "精神障害者保健福祉手帳3級", "精神障害者保健福祉手帳3級", 0.9, 1.0),
    ("DISABILITY", "視覚障害1級", "視覚障害1級", 0.9, 1.0),
    ("DISABILITY", "障害年金2級を受給", "障害年金2級", 0.9, 0.9),
    ("DISABILITY", "要介護３", "要介護３", 0.9, 1.0),
    ("DISABILITY", "要支援1", "要支援1", 0.9, 1.0),
    ("DISABILITY", "障害支援区分4", "障害支援区分4", 0.9, 1.0),
    ("DISABILITY", "障害の有無：あり（聴覚）", "障害の有無：あり（聴覚）", 0.85, 1.0),
    ("DISABILITY", "身体2級", "身体2級", 0.75, 0.9),
]


@pytest.mark.parametrize(("entity", "text", "span", "low", "high"), RECORD_PHRASES)
def test_record_phrases(entity: str, text: str, span: str, low: float, high: float) -> None:
    found = best(entity, text)
    assert found is not None, text
    assert found[0] == span
    assert low <= found[1] <= high
    assert support.passes_prefilter(RECOGNIZERS[entity], text)


@pytest.mark.parametrize(
    ("entity", "text"),
    [
        # A letter grade alone is a mock exam's too; thresholds and definitions are not results.
        ("MEDICAL", "模試でA判定だった"),
        ("MEDICAL", "C判定"),
        ("MEDICAL", "HbA1c 6.5%以上で糖尿病と診断される"),
        ("MEDICAL", "空腹時血糖126mg/dL以上"),
        ("MEDICAL", "収縮期血圧は130mmHg未満が目標"),
        ("MEDICAL", "身長170cm 体重65kg"),
        ("MEDICAL", "設備点検：異常なし"),
        ("MEDICAL", "システム障害の影響で配送が遅れた"),
        # food and supplement labels promise effects on the same items
        ("MEDICAL", "食後の血糖値上昇をおだやかにする"),
        ("MEDICAL", "血圧高めの方に"),
        ("MEDICAL", "肝機能の低下を防ぐサプリ"),
        ("MEDICAL", "ランクB 要注意"),
        # 産前産後休業 (労働基準法 第65条), 育児休業, 介護休業: leave for a birth or a family member's care
        # states no 病歴, 障害, 健診結果 or 診療 (個人情報保護法施行令 第2条).
        ("MEDICAL", "産前産後休業"),
        ("MEDICAL", "育児休業"),
        ("MEDICAL", "介護休業"),
        ("DISABILITY", "要支援者名簿の更新"),
        ("DISABILITY", "障害：あり"),
        ("DISABILITY", "システム障害：あり"),
        ("DISABILITY", "手帳型ケース 2個"),
        ("DISABILITY", "全身体重計"),
    ],
)
def test_record_phrase_look_alikes(entity: str, text: str) -> None:
    assert counted(entity, text) is None


# --- kind 5: religious practice, union activity and political participation, self-disclosed --------

DISCLOSURES = [
    # (entity, text, the reported span: the practice word, a mention inside the sentence)
    ("RELIGION", "毎週日曜は教会に通っています", "教会"),
    ("RELIGION", "お寺の檀家をしています", "檀家"),
    ("RELIGION", "毎朝お祈りをしている", "お祈り"),
    ("RELIGION", "食事の前にはお祈りをします", "お祈り"),
    ("RELIGION", "日曜の礼拝に出ています", "礼拝"),
    ("RELIGION", "毎月神社にお参りしています", "お参り"),
    ("RELIGION", "私はクリスチャンです", "クリスチャン"),
    ("RELIGION", "母はカトリックの信者です", "カトリックの信者"),
    ("RELIGION", "3年前に洗礼を受けました", "洗礼"),
    ("RELIGION", "毎日欠かさず仏壇にお経をあげています", "お経"),
    ("RELIGION", "座禅を毎週しています", "座禅"),
    ("RELIGION", "モスクに通っています", "モスク"),
    ("LABOR_UNION", "組合の役員をしている", "組合の役員"),
    ("LABOR_UNION", "春闘でストに参加した", "スト"),
    ("LABOR_UNION", "組合費を払っている", "組合費"),
    ("LABOR_UNION", "夫が組合の執行委員を務めています", "組合の執行委員"),
    ("LABOR_UNION", "労働組合に加入しました", "労働組合"),
    ("LABOR_UNION", "給料から組合費が天引きされている", "組合費"),
    ("LABOR_UNION", "私は組合員です", "組合員"),
    ("LABOR_UNION", "職場の組合で青年部長をしている", "組合で青年部長"),
    ("LABOR_UNION", "団体交渉に出席しました", "団体交渉"),
    ("POLITICAL", "選挙の手伝いをした", "選挙の手伝い"),
    ("POLITICAL", "デモに参加した", "デモ"),
    ("POLITICAL", "後援会に入っている", "後援会"),
    ("POLITICAL", "署名活動をしている", "署名活動"),
    ("POLITICAL", "期日前投票に行きました", "期日前投票"),
    ("POLITICAL", "週末は選挙の投票に行った", "投票"),
    ("POLITICAL", "〇〇党を支持しています", "〇〇党"),
    ("POLITICAL", "私は党員です", "党員"),
    ("POLITICAL", "選挙事務所でボランティアをした", "選挙事務所"),
    ("POLITICAL", "議員の後援会の会員です", "後援会の会員"),
    # health in everyday words: a clinic attended, a medicine taken, care under way
    ("MEDICAL", "腰痛がひどく整形外科に通っています", "整形外科"),
    ("MEDICAL", "月に一度は心療内科に通っています", "心療内科"),
    ("MEDICAL", "睡眠薬を毎晩飲んでいます", "睡眠薬"),
    ("MEDICAL", "インスリンを打っています", "インスリン"),
    ("MEDICAL", "週3回透析を受けています", "透析"),
    ("MEDICAL", "父が糖尿病で通院しています", "通院"),
    ("MEDICAL", "持病があり通院中です", "通院"),
]


@pytest.mark.parametrize(("entity", "text", "span"), DISCLOSURES)
def test_self_disclosures(entity: str, text: str, span: str) -> None:
    found = best(entity, text)
    assert found is not None, text
    assert found[0] == span
    # Confident enough to count a column in which 1 % of rows disclose.
    assert CONFIDENT_SCORE <= found[1] <= 1.0
    assert support.passes_prefilter(RECOGNIZERS[entity], text)


@pytest.mark.parametrize(
    ("entity", "text"),
    [
        # a letter's wishes, tourism, the name of a street, a school, an encyclopedia, the news
        ("RELIGION", "ご健勝をお祈りしております"),
        ("RELIGION", "今後のご活躍をお祈り申し上げます"),
        ("RELIGION", "皆様のご多幸お祈りしております"),
        ("RELIGION", "お祈りメールが届いた"),
        ("RELIGION", "ユニクロ信者です"),
        ("RELIGION", "京都旅行で神社にお参りした"),
        ("RELIGION", "教会の英会話教室に通っています"),
        ("RELIGION", "寺子屋に通っています"),
        ("RELIGION", "週末は教会でコンサートを聴いた"),
        ("RELIGION", "信者約1万人が集会に参加した"),
        # associations that are not labour unions, policy text, third parties
        ("LABOR_UNION", "会社の組合費の規程"),
        ("LABOR_UNION", "管理組合の役員をしている"),
        ("LABOR_UNION", "管理組合費を払っている"),
        ("LABOR_UNION", "生協の組合員です"),
        ("LABOR_UNION", "テストに参加した"),
        ("LABOR_UNION", "組員約500人がストに参加した"),
        ("LABOR_UNION", "争議行為に参加した組合員を解雇することは不当労働行為に当たる"),
        ("LABOR_UNION", "同社の労組は春闘で賃上げを要求した"),
        ("LABOR_UNION", "色の組合せを変えた"),
        # news, product demos, popularity and shareholder votes, office holders, statutes
        ("POLITICAL", "選挙の投票率が下がった"),
        ("POLITICAL", "製品デモに参加しましたが分かりやすかった"),
        ("POLITICAL", "オンラインデモに参加した"),
        ("POLITICAL", "人気投票に参加した"),
        ("POLITICAL", "株主総会で投票した"),
        ("POLITICAL", "与党の議員が選挙運動をした"),
        ("POLITICAL", "有権者の多くが野党を支持している"),
        ("POLITICAL", "住民約200人がデモに参加した"),
        ("POLITICAL", "公職選挙法は選挙運動のルールを定めている"),
        ("POLITICAL", "署名欄に記入してください"),
        # instructions, one-off effects, working at a hospital, reports about others
        ("MEDICAL", "この薬は食後に飲んでください"),
        ("MEDICAL", "風邪薬を飲んだら眠くなった"),
        ("MEDICAL", "病院に勤めています"),
        ("MEDICAL", "日本の病院では治療が行われている"),
        ("MEDICAL", "医師は治療を続けている"),
    ],
)
def test_disclosure_look_alikes(entity: str, text: str) -> None:
    assert counted(entity, text) is None
    found = best(entity, text)
    # No self-disclosure phrase fires on them (a bare word in the sentence may, at a word's score).
    assert found is None or found[1] < CONFIDENT_SCORE, found


@pytest.mark.parametrize("entity", sorted(RECOGNIZERS))
def test_phrase_regexes_are_linear_on_adversarial_input(entity: str) -> None:
    recognizer = RECOGNIZERS[entity]
    hostile = [
        "E判定" + " " * 4000 + "x",
        "HbA1c" + " " * 4000 + "6",
        "教会に" + " " * 4000 + "x",
        "毎週" + "教" * 4000,
        "組合の" + "　" * 4000 + "役",
        "デモに" + " " * 4000 + "参",
        "障害の有無" + " " * 4000 + ":",
        "要介護" + " " * 4000,
        "要介護" * 1400,  # many results: the containment check must not compare all pairs
        "血圧 1/" * 600,
        "1" * 4096 + "人がストに参加した",  # the third-party subject search on a long cell
    ]
    started = time.perf_counter()
    for text in hostile:
        support.found(recognizer, text)
    assert time.perf_counter() - started < 2.0


# --- a survey column: 2,000 answers, 1-4 % disclose, the rest are ordinary or look-alikes ----------

ORDINARY = [
    "配送が早くて助かりました",
    "商品の説明がもう少し詳しいと嬉しいです",
    "価格が手頃なのでまた買いたいです",
    "梱包が丁寧でした",
    "アプリの画面が見やすくなりました",
    "特にありません",
    "問い合わせの返信が遅かったです",
    "ポイント還元が魅力です",
    # look-alikes of each category
    "今後のご活躍をお祈りしております",
    "京都旅行で神社にお参りしました",
    "製品デモに参加しましたが分かりやすかったです",
    "選挙の投票率が下がったそうです",
    "管理組合の役員をしています",
    "テストに参加しました",
    "模試でA判定でした",
    "色の組合せが選べると嬉しいです",
]
DISCLOSING = {
    "RELIGION": [
        "毎週日曜は教会に通っています",
        "実家はお寺の檀家をしています",
        "毎朝お祈りをしているので朝は忙しいです",
        "日曜の礼拝に出ています",
    ],
    "LABOR_UNION": [
        "会社の組合の役員をしているので夜は会議が多いです",
        "春闘でストに参加した",
        "組合費を払っているのに何もしてくれない",
        "夫が労働組合に加入しました",
    ],
    "POLITICAL": [
        "去年は選挙の手伝いをした",
        "休日にデモに参加した",
        "地元議員の後援会に入っている",
        "署名活動をしています",
    ],
}


def _survey(rng: np.random.Generator, rows: int) -> tuple[list[str], dict[str, set[int]]]:
    values = [ORDINARY[i] for i in rng.integers(0, len(ORDINARY), rows)]
    positions = rng.permutation(rows)
    disclosing: dict[str, set[int]] = {}
    taken = 0
    for entity, templates in sorted(DISCLOSING.items()):
        count = int(rows * rng.uniform(0.01, 0.04))
        chosen = positions[taken : taken + count]
        taken += count
        disclosing[entity] = {int(i) for i in chosen}
        for index in chosen:
            values[index] = templates[int(rng.integers(0, len(templates)))]
    return values, disclosing


@pytest.mark.parametrize("seed", [0, 1])
def test_survey_column_counts_exactly_the_disclosing_rows(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values, disclosing = _survey(rng, 2000)
    for entity, rows in disclosing.items():
        assert 0.01 * 2000 <= len(rows) <= 0.04 * 2000
        recognizer = RECOGNIZERS[entity]
        hits = {i for i, value in enumerate(values) if counted(entity, value)}
        assert hits == rows, entity
        assert all(best(entity, values[i])[1] >= CONFIDENT_SCORE for i in rows)  # type: ignore[index]
        assert all(support.passes_prefilter(recognizer, values[i]) for i in rows)
    # The column scanner (prefilter, validation, person-reference gate) counts the same rows.
    profile = profile_column("自由記述", pa.array(values), list(RECOGNIZERS.values()), DetectionSettings())
    for entity, rows in disclosing.items():
        assert profile.entities[entity].rows == len(rows), entity
        # Reported as mentions inside text (the practice word), so the column is judged as free text.
        assert profile.entities[entity].embedded_rows == len(rows), entity
        assert profile.entities[entity].mean_score >= CONFIDENT_SCORE
    assert not {"MEDICAL", "DISABILITY"} & set(profile.entities)


def test_sparse_checkup_column_is_counted_and_encyclopedic_prose_is_not() -> None:
    # A findings column filled on 3 % of rows (the rest null), next to a column of encyclopedic prose.
    findings = ["E判定（要治療）", "尿潜血（+）", "γ-GTP高値", "HbA1c 6.8%", "要精密検査（D2）", "所見あり"]
    column: list[str | None] = [None] * 2000
    for i in range(0, 2000, 33):
        column[i] = findings[(i // 33) % len(findings)]
    profile = profile_column("所見", pa.array(column, pa.string()), [RECOGNIZERS["MEDICAL"]], DetectionSettings())
    filled = sum(v is not None for v in column)
    assert profile.entities["MEDICAL"].rows == filled
    assert profile.entities["MEDICAL"].embedded_rows == 0  # the phrase is the cell, not a mention in it
    assert profile.entities["MEDICAL"].mean_score >= 0.8
    prose = [
        "HbA1cは過去1〜2か月の平均的な血糖の状態を反映する検査値である。",
        "血圧高値が続くと脳卒中や心臓病の危険が高まるとされる。",
        "身体障害者手帳は身体障害者福祉法に基づき都道府県知事等が交付する。",
        "ストライキは労働者が集団で労務の提供を拒否する争議行為である。",
    ] * 50
    encyclopedic = profile_column("本文", pa.array(prose), list(RECOGNIZERS.values()), DetectionSettings())
    assert not encyclopedic.entities
