"""MEDICAL: diseases, medications, examination results and care events (要配慮: 病歴, 健診結果, 診療).

Besides the words of ``vocab/medical.txt``, check-up records are written as short phrases that no
single word makes certain: a grade with its finding (``E判定（要治療）``, ``要精密検査(D2)``), a check
item with its value or verdict (``HbA1c 6.8%``, ``尿潜血（+）``, ``γ-GTP高値``) and an organ with a
finding (``肝機能異常``). Each is a health-check result (健康診断等の結果, 個人情報保護法施行令 第2条).
A grade letter alone (``A判定``) is left out: school mock exams grade A–E too.
"""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.person_reference import CLAUSE_END, KAYOU, SURU
from recognizers.vocabulary import (
    DISCLOSURE_SCORE,
    Phrase,
    VocabularyRecognizer,
    vocabulary_alternation,
    vocabulary_prefilter,
    widened_prefilter,
)

# Judgement wording of the grade tables (日本人間ドック・予防医療学会「判定区分」: A 異常なし, B 軽度異常,
# C 要再検査・生活改善 / 要経過観察, D1 要治療, D2 要精密検査, E 治療中; facilities also print E 要治療,
# F 要再検査 and the 特定健診 受診勧奨).
FINDING = (
    r"(?:軽度異常|要経過観察|経過観察|要観察|生活改善|要再検査|要再検|要精密検査|要精検|精密検査"
    r"|要医療|要治療|治療中|要受診|受診勧奨|要保健指導|要指導)"
)
# "A 異常なし" is the commonest check-up result, but an equipment inspection reads the same: lower score.
NO_FINDING = r"(?:異常なし|異常無し|所見なし)"
# A grade: A-H, optionally with a sub-grade (D1, D2, C3, C12) — never inside a longer code.
GRADE = r"(?<![A-Za-z0-9])[A-H](?:1[0-2]|[1-9])?(?![A-Za-z0-9])"
_ITEMS = vocabulary_alternation("checkup_items.txt")
_ITEMS_TRIGGER = vocabulary_alternation("checkup_items.txt", with_boundaries=False)
# A measured value, not a threshold: "HbA1c 6.5%以上で糖尿病" states a criterion, not a result.
# (An atomic group, so that "6.5%以上" cannot backtrack to "6.5" and pass the threshold check.)
_VALUE = (
    r"(?>[0-9]+(?:\.[0-9]+)?(?:\s*+/\s*+[0-9]+(?:\.[0-9]+)?)?"
    r"(?:\s*+(?:%|mg/dl|mg/dL|g/dl|g/dL|IU/L|U/L|U/l|IU/l|mmHg|ml/分/1\.73m2|mL/min/1\.73m2|万/μl|万/μL))?)"
    r"(?![0-9.+]|\s*+(?:以上|以下|未満|超|を超|から|より|~|〜|-|程度))"
)
# Qualitative results of urine and stool tests: (-), (±), (+), (2+), 1+, 陽性, 陰性.
_QUALITATIVE = r"(?:\((?:[0-9]?\+|±|-|\+-)\)|[0-9]\+|\+{1,3}(?![0-9])|±|弱陽性|陽性|陰性)"
# No 上昇 / 低下: food labels promise to curb them ("食後の血糖値上昇をおだやかに"); and no "高めの方"
# (a label's "for people whose blood pressure is high").
_VERDICT = (
    r"(?:高値|低値|異常値|異常|高め|低め|やや高[めい]?|やや低[めい]?|基準値外|基準範囲外|基準外|境界域"
    r"|要注意|(?<![A-Za-z])[HL](?![A-Za-z0-9])|↑|↓)(?!の方|な方|の人|な人|を抑|を防|対策)"
)
# Organs and test groups of the grade tables, written with a finding ("肝機能異常", "心電図異常").
_ORGAN = r"(?:肝機能|腎機能|肝臓|腎臓|脂質|糖代謝|血糖|尿酸|心電図|眼底|胸部X線|胸部|肺機能|呼吸機能|血液|貧血|尿検査|便潜血|甲状腺)"
# Only findings: "肝機能の低下を防ぐ" is a supplement's promise, not a result.
_ORGAN_FINDING = r"(?:異常所見|異常なし|異常|高値|所見)(?:あり|有り|を認め)?"


# Where people go for care: the clinical departments a clinic may advertise (医療法施行令 第3条の2,
# 標榜診療科名: 内科, 外科, 精神科, 心療内科, 皮膚科, 整形外科, 眼科, 耳鼻咽喉科 …, with the organ or
# disease some combine with 内科/外科) and the kinds of facility of 医療法 第1条の5 (病院, 診療所), as
# people name them (クリニック, 医院, 歯医者).
_CARE_PLACE = (
    r"(?:[\p{Han}]{0,3}(?:内科|外科)|精神科|心療内科|皮膚科|眼科|耳鼻(?:咽喉|いんこう)科|泌尿器科|産婦人科|婦人科"
    r"|小児科|歯科|矯正歯科|リハビリテーション科|リウマチ科|アレルギー科|放射線科|ペインクリニック"
    r"|病院|大学病院|クリニック|医院|診療所|歯医者|整骨院|接骨院)"
)
# Medicines as people name what they take (睡眠薬, 降圧剤, 抗うつ薬, インスリン) and the verbs of taking them.
_MEDICINE = r"(?:[\p{Han}\p{Katakana}ー]{0,6}(?:薬|剤)|お薬|インスリン|漢方)"
_TE = r"(?:ています|ている|ていた|ていました|てます|てる|てた)"
_TAKE = rf"(?:飲ん(?:でいます|でいる|でいた|でいました|でます|でる|だ)|服用{SURU}|打っ{_TE})"
# Care as an ongoing state of the writer: 通院中, 治療中です, 透析を受けています, 服薬しています.
_CARE = r"(?:通院|治療|服薬|投薬|療養|闘病|透析|人工透析|化学療法|抗がん剤治療|リハビリ|カウンセリング)"
_UNDER_CARE = rf"(?:中(?:です|でした|だ|で|の身)|{SURU}|を(?:受け|続け){_TE}|を受けています|を続けています)"
_HABIT = r"(?:毎日|毎朝|毎晩|毎週|毎月|定期的に|ずっと|長年|(?:月|週)に\s*+(?:一|1|2|二)\s*+(?:度|回))"


class MedicalRecognizer(VocabularyRecognizer):
    """Words of ``vocab/medical.txt`` and check-up phrases; see :mod:`recognizers.vocabulary`."""

    ENTITY: ClassVar[EntityId] = "MEDICAL"
    VOCAB_FILE: ClassVar[str] = "medical.txt"
    PHRASES: ClassVar[tuple[Phrase, ...]] = (
        Phrase(
            "grade_with_finding",
            rf"{GRADE}\s*+(?:判定)?\s*+[:：]?\s*+[(\[【]?\s*+{FINDING}\s*+[)\]】]?",
            "判定|" + FINDING,
            0.85,
        ),
        Phrase(
            "grade_without_finding",
            rf"{GRADE}\s*+(?:判定)?\s*+[:：]?\s*+[(\[【]?\s*+{NO_FINDING}\s*+[)\]】]?",
            NO_FINDING,
            0.7,
        ),
        Phrase("finding_with_grade", rf"{FINDING}\s*+[(\[【]\s*+{GRADE}\s*+(?:判定)?\s*+[)\]】]", FINDING, 0.85),
        # D1/D2 are the check-up tables' own grades (a mock exam has no D2).
        Phrase(
            "checkup_grade",
            r"(?<![A-Za-z0-9])D[12]\s*+判定|判定(?:区分)?\s*+[:：]?\s*+D[12](?![A-Za-z0-9])",
            "判定",
            0.7,
        ),
        Phrase(
            "item_with_result",
            rf"{_ITEMS}\s*+(?:値)?\s*+[:：=]?\s*+(?:{_QUALITATIVE}|{_VALUE}(?:\s*+{_VERDICT})?|{_VERDICT})",
            _ITEMS_TRIGGER,
            0.8,
        ),
        Phrase("organ_with_finding", rf"{_ORGAN}(?:検査)?\s*+(?:に|で)?\s*+{_ORGAN_FINDING}", _ORGAN, 0.75),
        # The writer's own care in everyday words (a survey answer, a message): a clinic they attend, a
        # medicine they take, a treatment they are under. Self-disclosure: a third party as the
        # subject ("患者の多くが通院している") is a report, not a disclosure.
        Phrase(
            "attends_a_clinic",
            rf"(?P<mention>{_CARE_PLACE})(?:に|へ)(?:は|も)?\s*+(?:{_HABIT}\s*+)?{KAYOU}{CLAUSE_END}",
            "科|病院|クリニック|医院|診療所|歯医者|整骨院|接骨院",
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "takes_a_medicine",
            rf"(?P<mention>{_MEDICINE})(?:を|は|も)\s*+(?:{_HABIT}\s*+)?{_TAKE}{CLAUSE_END}",
            "薬|剤|インスリン|漢方",
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "under_care",
            rf"(?P<mention>{_CARE}){_UNDER_CARE}{CLAUSE_END}",
            "通院|治療|服薬|投薬|療養|闘病|透析|化学療法|リハビリ|カウンセリング",
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
    )
    PREFILTER: ClassVar[str | None] = widened_prefilter(vocabulary_prefilter("medical.txt"), PHRASES)
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "症状",
        "診断",
        "治療",
        "通院",
        "入院",
        "服薬",
        "処方",
        "既往",
        "健診",
        "検査",
        "患者",
        "patient",
    )
