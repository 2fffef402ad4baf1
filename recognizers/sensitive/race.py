"""RACE: race, ethnicity and family origin (要配慮: 人種, 社会的身分). Nationality alone is not race."""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class RaceRecognizer(VocabularyRecognizer):
    """Words of ``vocab/race.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[EntityId] = "RACE"
    VOCAB_FILE: ClassVar[str] = "race.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("race.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = ("人種", "民族", "出身", "出自", "race", "ethnicity", "ethnic")
