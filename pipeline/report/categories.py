"""How every view of a report reads categories: the "sensitive" group and per-dataset counts."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.models import DatasetResult

# A category query "sensitive" selects every "sensitive.*" id.
SENSITIVE_PREFIX = "sensitive"


def is_sensitive(category: str) -> bool:
    return category.startswith(SENSITIVE_PREFIX + ".")


def matches_category(categories: Iterable[str], wanted: str) -> bool:
    """``wanted`` is among ``categories``; "sensitive" matches any sensitive.* id."""
    if wanted == SENSITIVE_PREFIX:
        return any(is_sensitive(c) for c in categories)
    return wanted in categories


def category_count(dataset: DatasetResult, category: str) -> int:
    """How many columns of ``dataset`` fall under ``category``."""
    return sum(1 for column in dataset.columns if category in column.categories)
