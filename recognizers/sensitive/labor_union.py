"""LABOR_UNION: union membership, collective bargaining and collective action.

Besides the words of ``vocab/labor_union.txt``, people write about their own union activity in
everyday words: ``組合の役員をしている``, ``春闘でストに参加した``, ``組合費を払っている``. Those are
self-disclosure phrases (a union word or a collective action from the lists sourced from 労働組合法 and
労働関係調整法, with a clause-final verb, in the writer's own statement). A 組合 that is not a labour
union — a condominium's 管理組合, a 協同組合, a 健康保険組合 — is excluded by name.
"""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.person_reference import (
    CLAUSE_END,
    COPULA,
    DERU,
    HAIRU,
    IKU,
    KUWAWARU,
    NARU,
    SANKA,
    SURU,
    TSUKU,
    TSUTOMERU,
    YARU,
)
from recognizers.vocabulary import (
    DISCLOSURE_SCORE,
    Phrase,
    VocabularyRecognizer,
    vocabulary_alternation,
    vocabulary_prefilter,
    widened_prefilter,
)

# 組合 that are not labour unions, by the statutes that create them: 建物の区分所有等に関する法律 (管理組合),
# 中小企業等協同組合法 / 農業協同組合法 / 水産業協同組合法 / 消費生活協同組合法 (協同組合, 農協, 漁協, 生協),
# 健康保険法 (健康保険組合), 国家公務員共済組合法 (共済組合), 商店街振興組合法, 森林組合法, 土地区画整理法,
# 土地改良法, 協同組合による金融事業に関する法律 (信用組合); 組合せ is "a combination".
_NOT_LABOUR = r"(?<!管理|協同|保険|健保|共済|振興|整理|森林|信用|事業|改良|商工|生協|農協|漁協|区画|住宅|納税|水利|酒造|同業)"
_UNION = rf"(?:労働組合|労組|(?<![ァ-ヺー])ユニオン|{_NOT_LABOUR}組合(?!せ|わせ))"
# The same organisations named elsewhere in the sentence ("生協の組合員です", "マンションの組合費").
_OTHER_ASSOCIATION = r"生協|コープ|協同組合|農協|漁協|JA|管理組合|マンション|共済|健保|健康保険組合|信用組合|振興組合|森林組合"
_ROLES = vocabulary_alternation("labor_roles.txt")
_ACTIONS = vocabulary_alternation("labor_practice.txt")
_PAY = r"(?:払っ|支払っ|納め)(?:ています|ている|ていた|ていました|てます|てる|てた|た)|(?:支?払い|納め)ます"
_DEDUCTED = r"(?:天引きされ|引かれ)(?:ています|ている|ていた|ていました|てます|てる|てた|た|ます|る)"


class LaborUnionRecognizer(VocabularyRecognizer):
    """Words of ``vocab/labor_union.txt`` and self-disclosed union activity; see :mod:`recognizers.vocabulary`."""

    ENTITY: ClassVar[EntityId] = "LABOR_UNION"
    VOCAB_FILE: ClassVar[str] = "labor_union.txt"
    PHRASES: ClassVar[tuple[Phrase, ...]] = (
        Phrase(
            "joined_a_union",
            rf"(?P<mention>{_UNION})(?:に|へ)\s*+{HAIRU}{CLAUSE_END}",
            "組合|労組|ユニオン",
            DISCLOSURE_SCORE,
            self_disclosure=True,
            veto=_OTHER_ASSOCIATION,
        ),
        Phrase(
            "union_office",
            rf"(?P<mention>{_UNION}(?:の|で)\s*+{_ROLES})(?:を|に|として)?\s*+(?:{SURU}|{YARU}|{TSUTOMERU}|{TSUKU}|{NARU}|{COPULA}){CLAUSE_END}",
            "組合|労組|ユニオン",
            DISCLOSURE_SCORE,
            self_disclosure=True,
            veto=_OTHER_ASSOCIATION,
        ),
        Phrase(
            "union_meeting",
            rf"(?P<mention>{_UNION}の\s*+(?:集会|会議|大会|活動|行事|学習会))(?:に|へ|を)\s*+(?:{SANKA}|{DERU}|{IKU}|{SURU}|{YARU}){CLAUSE_END}",
            "組合|労組|ユニオン",
            DISCLOSURE_SCORE,
            self_disclosure=True,
            veto=_OTHER_ASSOCIATION,
        ),
        Phrase(
            "union_member",
            rf"(?P<mention>{_UNION}員)(?:を|として)?\s*+(?:{COPULA}|{NARU}|{SURU}|{YARU}){CLAUSE_END}",
            "組合|労組|ユニオン",
            DISCLOSURE_SCORE,
            self_disclosure=True,
            veto=_OTHER_ASSOCIATION,
        ),
        Phrase(
            "pays_union_dues",
            rf"(?P<mention>{_UNION}費)(?:を|が|は)?\s*+(?:毎月|給料から|給与から)?\s*+(?:{_PAY}|{_DEDUCTED}){CLAUSE_END}",
            "組合|労組|ユニオン",
            DISCLOSURE_SCORE,
            self_disclosure=True,
            veto=_OTHER_ASSOCIATION,
        ),
        Phrase(
            "takes_part_in_collective_action",
            rf"(?P<mention>{_ACTIONS})(?:の\s*+(?:集会|行進|デモ))?(?:に|で|へ|を)?\s*+(?:{SANKA}|{KUWAWARU}|{DERU}|{IKU}|{SURU}|{YARU}){CLAUSE_END}",
            vocabulary_alternation("labor_practice.txt", with_boundaries=False),
            DISCLOSURE_SCORE,
            self_disclosure=True,
            veto=_OTHER_ASSOCIATION,
        ),
    )
    PREFILTER: ClassVar[str | None] = widened_prefilter(vocabulary_prefilter("labor_union.txt"), PHRASES)
    CONTEXT: ClassVar[tuple[str, ...]] = ("労働組合", "組合", "労使", "union")
