"""OCCUPATION: occupations and employment statuses, as a whole value or inside text."""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class OccupationRecognizer(VocabularyRecognizer):
    """Words of ``vocab/occupation.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[EntityId] = "OCCUPATION"
    VOCAB_FILE: ClassVar[str] = "occupation.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("occupation.txt")
    # A whole cell saying "会社員" is the typical occupation value.
    WHOLE_VALUE_BONUS: ClassVar[float] = 0.2
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "職業",
        "職種",
        "勤務",
        "勤め",
        "在籍",
        "occupation",
        "job",
        "profession",
    )
