"""What every view of a report shares: the fields it reads (``ReportContent``), the "sensitive" group of
categories, and per-dataset category counts.

The views take ``ReportContent`` rather than ``ScanReport``, so the model can offer its notebook view
(``ScanReport._repr_html_``) without the views importing the model back.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.models import DatasetResult
from pipeline.models import ReportContent as ReportContent

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
