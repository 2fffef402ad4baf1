"""LABOR_UNION: union membership, collective bargaining and collective action."""

from __future__ import annotations

from typing import ClassVar

from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class LaborUnionRecognizer(VocabularyRecognizer):
    """Words of ``vocab/labor_union.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[str] = "LABOR_UNION"
    VOCAB_FILE: ClassVar[str] = "labor_union.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("labor_union.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = ("労働組合", "組合", "労使", "union")
