"""DISABILITY: physical, intellectual and mental disabilities (要配慮: 心身の機能の障害).

Besides the words of ``vocab/disability.txt``, HR and care records write a disability as a grade:
a certificate or kind with its class (``身体障害者手帳2級``, ``視覚障害1級``, ``療育手帳A``) or a
long-term-care level (``要介護3``, ``要支援1``, ``障害支援区分4``). Grades and levels come from the
statutes cited in ``vocab/disability_grades.txt`` and from 介護保険法 第7条 with 要介護認定等基準時間の
分類に関する省令 (要介護1-5, 要支援1-2) and 障害者総合支援法 第4条第4項 (障害支援区分1-6).
"""

from __future__ import annotations

from typing import ClassVar

from recognizers.entities import EntityId
from recognizers.vocabulary import (
    Phrase,
    VocabularyRecognizer,
    vocabulary_alternation,
    vocabulary_prefilter,
    widened_prefilter,
)

_KINDS = vocabulary_alternation("disability_grades.txt")
_KINDS_TRIGGER = vocabulary_alternation("disability_grades.txt", with_boundaries=False)
_DIGIT7 = r"[1-7一二三四五六七]"
_CLASS = rf"(?:第\s*+)?{_DIGIT7}\s*+(?:級|種(?:\s*+{_DIGIT7}\s*+級)?)(?![0-9])"
_INTELLECTUAL = r"(?:療育手帳|愛の手帳|みどりの手帳)"
_INTELLECTUAL_GRADE = r"(?:[AB][12]?(?![A-Za-z0-9])|[1-4]\s*+度|最重度|重度|中度|軽度)"
_CARE_LEVEL = (
    r"(?:要介護(?:度|状態区分)?|介護度)\s*+[:：]?\s*+[1-5一二三四五](?![0-9])"
    r"|要支援\s*+[:：]?\s*+[12一二](?![0-9])"
    r"|障害支援区分\s*+[:：]?\s*+[1-6一二三四五六](?![0-9])"
)

# A form's disability field with the kind ("障害の有無：あり（聴覚）", "障害種別: 精神"): the kinds of
# 障害者基本法 第2条 (身体, 知的, 精神 including 発達) and of 身体障害者福祉法 別表. "障害: あり" without
# a kind is left out: monitoring logs report outages the same way.
_KIND_WORD = r"(?:視覚|聴覚|平衡|音声|言語|肢体|内部|身体|知的|精神|発達)"
_DECLARED = rf"障害(?:の有無|の種類|の種別|種別|区分)?\s*+[:：]?\s*+(?:あり|有り?)?\s*+[(（]?\s*+{_KIND_WORD}(?:障害)?(?:\s*+[)）])?"


class DisabilityRecognizer(VocabularyRecognizer):
    """Words of ``vocab/disability.txt`` and graded disabilities; see :mod:`recognizers.vocabulary`."""

    ENTITY: ClassVar[EntityId] = "DISABILITY"
    VOCAB_FILE: ClassVar[str] = "disability.txt"
    PHRASES: ClassVar[tuple[Phrase, ...]] = (
        Phrase("kind_with_class", rf"{_KINDS}\s*+[:：]?\s*+{_CLASS}", _KINDS_TRIGGER, 0.9),
        Phrase("intellectual_grade", rf"{_INTELLECTUAL}\s*+[:：]?\s*+{_INTELLECTUAL_GRADE}", _INTELLECTUAL, 0.9),
        Phrase("care_level", _CARE_LEVEL, "要介護|介護度|要支援|障害支援区分", 0.9),
        Phrase("declared_with_kind", _DECLARED, "障害", 0.85),
        # The short forms of HR forms: 身体2級, 精神3級.
        Phrase("short_class", rf"(?<!\p{{Han}})(?:身体|精神){_DIGIT7}\s*+級", "身体|精神", 0.75),
    )
    PREFILTER: ClassVar[str | None] = widened_prefilter(vocabulary_prefilter("disability.txt"), PHRASES)
    CONTEXT: ClassVar[tuple[str, ...]] = ("障害", "障がい", "手帳", "等級", "介護", "disability")
