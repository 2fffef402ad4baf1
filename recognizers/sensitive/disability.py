"""DISABILITY: physical, intellectual and mental disabilities (要配慮: 心身の機能の障害)."""

from __future__ import annotations

from typing import ClassVar

from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class DisabilityRecognizer(VocabularyRecognizer):
    """Words of ``vocab/disability.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[str] = "DISABILITY"
    VOCAB_FILE: ClassVar[str] = "disability.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("disability.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = ("障害", "障がい", "手帳", "等級", "介護", "disability")
