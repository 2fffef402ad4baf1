"""BELIEF: thoughts and creeds other than a religion (要配慮: 信条) — 無神論者, 平和主義者, 良心的兵役拒否.

Religions and their practice are RELIGION (:mod:`recognizers.sensitive.religion`); both fall under the
policy's "thoughts, beliefs and religion".
"""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class BeliefRecognizer(VocabularyRecognizer):
    """Words of ``vocab/belief.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[EntityId] = "BELIEF"
    VOCAB_FILE: ClassVar[str] = "belief.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("belief.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = ("思想", "信条", "信念", "主義", "理念", "belief", "creed", "conviction")
