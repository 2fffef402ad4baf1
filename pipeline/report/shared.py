"""What every view of a report shares: the fields it reads (``ReportContent``), the "sensitive" group of
categories, and per-dataset category counts.

The views take ``ReportContent`` rather than ``ScanReport``, so the model can offer its notebook view
(``ScanReport._repr_html_``) without the views importing the model back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from pipeline.models import DatasetResult, ScanIssue

# A category query "sensitive" selects every "sensitive.*" id.
SENSITIVE_PREFIX = "sensitive"


class ReportContent(Protocol):
    """The fields of a ``pipeline.report.ScanReport`` that Markdown, HTML and the notebook view read."""

    @property
    def datasets(self) -> tuple[DatasetResult, ...]: ...
    @property
    def errors(self) -> tuple[ScanIssue, ...]: ...
    @property
    def started_at(self) -> str: ...
    @property
    def finished_at(self) -> str: ...
    @property
    def policy_path(self) -> str: ...
    @property
    def policy_sha256(self) -> str: ...


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
