"""SEX_LIFE: sexual orientation, gender identity and sex life."""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class SexLifeRecognizer(VocabularyRecognizer):
    """Words of ``vocab/sex_life.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[EntityId] = "SEX_LIFE"
    VOCAB_FILE: ClassVar[str] = "sex_life.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("sex_life.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = ("性的", "性自認", "同性", "パートナー", "sexual", "orientation")
