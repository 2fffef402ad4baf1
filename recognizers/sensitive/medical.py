"""MEDICAL: diseases, medications, examination results and care events (要配慮: 病歴, 健診結果, 診療)."""

from __future__ import annotations

from typing import ClassVar

from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class MedicalRecognizer(VocabularyRecognizer):
    """Words of ``vocab/medical.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[str] = "MEDICAL"
    VOCAB_FILE: ClassVar[str] = "medical.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("medical.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "症状",
        "診断",
        "治療",
        "通院",
        "入院",
        "服薬",
        "処方",
        "既往",
        "健診",
        "検査",
        "患者",
        "patient",
    )
