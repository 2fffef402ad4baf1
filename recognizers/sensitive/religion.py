"""RELIGION: religions, denominations and religious practice (要配慮: 信条).

Besides the words of ``vocab/religion.txt``, people write about their own practice in everyday words
rather than the name of a religion: ``毎週日曜は教会に通っています``, ``お寺の檀家をしています``,
``毎朝お祈りをしている``. Those are self-disclosure phrases: a practice word from a sourced list with a
clause-final verb of doing, attending or belonging, in a sentence that is the writer's own statement
(:func:`recognizers.person_reference.states_own_practice`). "ご健勝をお祈りしております" (a letter's
closing) and a one-off shrine visit on a trip are not practice.
"""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.person_reference import CLAUSE_END, COPULA, DERU, IKU, KAYOU, NARU, SANKA, SURU, YARU
from recognizers.vocabulary import (
    DISCLOSURE_SCORE,
    Phrase,
    VocabularyRecognizer,
    vocabulary_alternation,
    vocabulary_prefilter,
    widened_prefilter,
)

_PLACES = vocabulary_alternation("religious_places.txt")
_PRACTICE = vocabulary_alternation("religious_practice.txt")
_HABITUAL = vocabulary_alternation("religious_habits.txt")
_MEMBERSHIP = vocabulary_alternation("religious_membership.txt")
_FAITHS = vocabulary_alternation("religion.txt")
# A habit makes a visit a practice: 毎週, 毎朝, 欠かさず, 月に一度, 日曜ごとに.
_HABIT = r"(?:毎週|毎月|毎朝|毎晩|毎日|欠かさず|定期的に|(?:月|週)に\s*+(?:一|1|2|二)\s*+(?:度|回)|日曜(?:日)?ごとに)"
# "を" or an honorific object before お祈り is a letter's wish for someone ("ご多幸お祈り申し上げます").
_NOT_A_WISH = r"(?<!を\s?)(?<!ご\p{Han}{1,4})"
# Chanting and reading scripture: お経をあげる, 題目を唱える, 聖書を読む.
_CHANT = r"(?:あげ|上げ|唱え)(?:ています|ている|ていた|ていました|てます|てる|てた|た|ます|る)|読(?:んでいます|んでいる|んでる|みます|む)"


class ReligionRecognizer(VocabularyRecognizer):
    """Words of ``vocab/religion.txt`` and self-disclosed practice; see :mod:`recognizers.vocabulary`."""

    ENTITY: ClassVar[EntityId] = "RELIGION"
    VOCAB_FILE: ClassVar[str] = "religion.txt"
    PHRASES: ClassVar[tuple[Phrase, ...]] = (
        Phrase(
            "attends_a_place_of_worship",
            rf"(?P<mention>{_PLACES})(?:に|へ)(?:は)?\s*+(?:{_HABIT}\s*+)?{KAYOU}{CLAUSE_END}",
            vocabulary_alternation("religious_places.txt", with_boundaries=False),
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "takes_part_in_a_rite",
            rf"{_NOT_A_WISH}(?P<mention>{_PRACTICE})(?:を|に|へ)?\s*+(?:{_HABIT}\s*+)?(?:{SURU}|{SANKA}|{DERU}|{IKU}|{KAYOU}|{_CHANT}){CLAUSE_END}",
            vocabulary_alternation("religious_practice.txt", with_boundaries=False),
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "habitual_visit_or_practice",
            rf"{_HABIT}[^。！？!?\n]{{0,12}}?(?P<mention>{_HABITUAL})(?:を|に|へ)?\s*+(?:{SURU}|{IKU}|{KAYOU}|{SANKA}){CLAUSE_END}"
            rf"|(?P<mention>{_HABITUAL})(?:を|に|へ)?\s*+{_HABIT}\s*+(?:{SURU}|{IKU}|{KAYOU}|{SANKA}){CLAUSE_END}",
            vocabulary_alternation("religious_habits.txt", with_boundaries=False),
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "belongs_to_a_community",
            rf"(?P<mention>{_MEMBERSHIP})(?:を|に|として)?\s*+(?:{COPULA}|{SURU}|{YARU}|{NARU}){CLAUSE_END}",
            vocabulary_alternation("religious_membership.txt", with_boundaries=False),
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "believer_of_a_faith",
            rf"(?P<mention>(?:{_FAITHS}|教|宗|派|教会|寺|神社|学会)の?\s*+信者)(?:を|として)?\s*+(?:{COPULA}|{SURU}|{NARU}){CLAUSE_END}",
            "信者",
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
        Phrase(
            "joined_a_faith",
            rf"(?:(?P<mention>入信|受洗|改宗|出家|得度){SURU}|(?P<mention>洗礼)を受け(?:ました|ています|ている|ていた|た)){CLAUSE_END}",
            "入信|受洗|改宗|出家|得度|洗礼",
            DISCLOSURE_SCORE,
            self_disclosure=True,
        ),
    )
    PREFILTER: ClassVar[str | None] = widened_prefilter(vocabulary_prefilter("religion.txt"), PHRASES)
    CONTEXT: ClassVar[tuple[str, ...]] = ("宗教", "信仰", "宗派", "信者", "religion", "faith")
