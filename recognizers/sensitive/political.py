"""POLITICAL: party support, demonstrations, petitions and other political activity."""

from __future__ import annotations

from typing import ClassVar

from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class PoliticalRecognizer(VocabularyRecognizer):
    """Words of ``vocab/political.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[str] = "POLITICAL"
    VOCAB_FILE: ClassVar[str] = "political.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("political.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = ("政党", "支持", "選挙", "投票", "政治", "party", "election")
