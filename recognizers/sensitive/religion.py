"""RELIGION: religions, denominations and religious practice (要配慮: 信条)."""

from __future__ import annotations

from typing import ClassVar

from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class ReligionRecognizer(VocabularyRecognizer):
    """Words of ``vocab/religion.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[str] = "RELIGION"
    VOCAB_FILE: ClassVar[str] = "religion.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("religion.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = ("宗教", "信仰", "宗派", "信者", "religion", "faith")
