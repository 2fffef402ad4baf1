"""POLITICAL: party support, demonstrations, petitions and other political activity.

Besides the words of ``vocab/political.txt``, people write about their own political participation
in everyday words: ``選挙の手伝いをした``, ``デモに参加した``, ``後援会に入っている``, ``署名活動をしている``.
Those are self-disclosure phrases (a participation word from ``vocab/political_practice.txt`` with a
clause-final verb, in the writer's own statement). A product demo, a popularity vote or a
shareholders' vote is not political; news about voters ("投票率が下がった") names no one.
"""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.person_reference import (
    CLAUSE_END,
    COPULA,
    DASU,
    DERU,
    HAIRU,
    IKU,
    KUWAWARU,
    NARU,
    SANKA,
    SURU,
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

_PRACTICE = vocabulary_alternation("political_practice.txt")
_HELP = r"手伝(?:っ(?:ています|ている|ていた|ていました|てます|てる|てた|た)|いました|います|う)"
_COLLECT = r"集め(?:ています|ている|ていた|ていました|てます|てる|てた|た|ました|ます|る)"
_ACT = rf"(?:{SANKA}|{KUWAWARU}|{SURU}|{YARU}|{IKU}|{DERU}|{DASU}|{_HELP}|{_COLLECT}|提出{SURU})"
# A demo that is a product's (製品デモ, デモ版, オンラインデモ) or an event of a sales team.
_PRODUCT_DEMO = (
    r"製品|商品|サービス|アプリ|ソフト|システム|ツール|機能|操作|画面|オンライン|ウェビナー|セミナー|展示会|営業"
    r"|導入|体験|トライアル|無料|デモ版|デモ機|デモ会|デモ動画|デモ画面|デモ環境|(?i:demo)"
)
# Votes that are not elections.
_NOT_AN_ELECTION = r"人気投票|株主|議決権|総会|アンケート|コンテスト|ファン|推し|ランキング|キャンペーン|アイドル|グランプリ|大賞|ネット投票|オンライン投票"
_ELECTION = r"(?:選挙|国政|衆院選|参院選|衆議院|参議院|知事選|市長選|区長選|町長選|村長選|議員選|統一地方選|首長選)"
_PARTY = r"(?:\p{Han}{1,6}党|政党|与党|野党|後援会)"


class PoliticalRecognizer(VocabularyRecognizer):
    """Words of ``vocab/political.txt`` and self-disclosed participation; see :mod:`recognizers.vocabulary`."""

    ENTITY: ClassVar[EntityId] = "POLITICAL"
    VOCAB_FILE: ClassVar[str] = "political.txt"
    PHRASES: ClassVar[tuple[Phrase, ...]] = (
        Phrase(
            "takes_part_in_politics",
            rf"(?P<mention>{_PRACTICE})(?:を|に|へ|で)?\s*+(?:(?:ボランティア|手伝い|応援|スタッフ)を?\s*+)?{_ACT}{CLAUSE_END}",
            vocabulary_alternation("political_practice.txt", with_boundaries=False),
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "joins_a_demonstration",
            rf"(?<![ァ-ヺー])(?P<mention>デモ)(?![ァ-ヺー])(?:に|へ)\s*+(?:{SANKA}|{KUWAWARU}|{IKU}|{DERU}){CLAUSE_END}",
            "デモ",
            DISCLOSURE_SCORE,
            self_disclosure=True,
            veto=_PRODUCT_DEMO,
        ),
        Phrase(
            "votes_in_an_election",
            rf"{_ELECTION}[^。！？!?\n]{{0,12}}?(?P<mention>投票)(?:に|へ)?\s*+(?:{IKU}|{SURU}){CLAUSE_END}",
            "投票",
            DISCLOSURE_SCORE,
            self_disclosure=True,
            veto=_NOT_AN_ELECTION,
        ),
        Phrase(
            "votes",
            rf"投票(?:に|へ)\s*+{IKU}{CLAUSE_END}|{_PARTY}に投票{SURU}{CLAUSE_END}",
            "投票",
            0.75,
            self_disclosure=True,
            veto=_NOT_AN_ELECTION,
        ),
        Phrase(
            "party_member",
            rf"(?P<mention>党員|党友|後援会員|後援会の会員)(?:を|として)?\s*+(?:{COPULA}|{SURU}|{YARU}|{NARU}){CLAUSE_END}"
            rf"|(?P<mention>{_PARTY})(?:に|へ)\s*+(?:{HAIRU}|入党{SURU})|(?P<mention>入党){SURU}{CLAUSE_END}",
            "党|後援会",
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "supports_a_party",
            rf"(?P<mention>{_PARTY}|候補者?)を\s*+(?:ずっと)?\s*+支持(?:し(?:ています|ている|ていた|ていました|てます|てる|てきた|ました|た)|します|する){CLAUSE_END}",
            "党|後援会|候補",
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
    )
    PREFILTER: ClassVar[str | None] = widened_prefilter(vocabulary_prefilter("political.txt"), PHRASES)
    CONTEXT: ClassVar[tuple[str, ...]] = ("政党", "支持", "選挙", "投票", "政治", "party", "election")
