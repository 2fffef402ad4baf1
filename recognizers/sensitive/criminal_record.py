"""CRIMINAL_RECORD: criminal history, criminal procedure and crime victimhood (要配慮)."""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.vocabulary import VocabularyRecognizer, vocabulary_prefilter


class CriminalRecordRecognizer(VocabularyRecognizer):
    """Words of ``vocab/criminal_record.txt``; see :mod:`recognizers.vocabulary` for the matching rules."""

    ENTITY: ClassVar[EntityId] = "CRIMINAL_RECORD"
    VOCAB_FILE: ClassVar[str] = "criminal_record.txt"
    PREFILTER: ClassVar[str | None] = vocabulary_prefilter("criminal_record.txt")
    CONTEXT: ClassVar[tuple[str, ...]] = ("前科", "逮捕", "起訴", "判決", "容疑", "事件", "criminal", "court")
