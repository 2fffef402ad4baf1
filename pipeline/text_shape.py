"""Whether a column is prose: the one rule that gates GiNZA NER (detect) and mention thresholds (classify)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.settings import ClassificationSettings

if TYPE_CHECKING:
    from pipeline.profile_model import ColumnProfile


def is_free_text(column: ColumnProfile, settings: ClassificationSettings) -> bool:
    """Long, sentence-like values that no single structured entity explains (a UA string is not prose)."""
    if column.non_null == 0:
        return False
    average = column.char_sum / column.non_null
    sentences = column.sentence_rows / column.non_null
    if average < settings.free_text_min_avg_chars or sentences < settings.free_text_min_space_ratio:
        return False
    return not any(
        t.total_rows >= settings.values_explain_ratio * column.non_null for t in column.entities.values()
    )


def needs_ner(column: ColumnProfile, free_text: bool) -> bool:
    """NER is worth its cost on free text; short cells are covered by the dictionary-backed recognizers."""
    return free_text and column.letter_rows >= 0.5 * column.non_null
