"""The notebook view of a report: DataFrame queries by category, dataset × category counts, the HTML fragment.

``ScanReport``'s notebook methods call these; nothing here writes a file.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from pipeline.errors import ReportQueryError
from pipeline.models import CATEGORY_IDS, ColumnResult, DatasetResult
from pipeline.report.html_page import render_page
from pipeline.report.shared import SENSITIVE_PREFIX, ReportContent, category_count, matches_category


def rows_of_category(frame: pd.DataFrame, category: str | None) -> pd.DataFrame:
    """The rows of a ``ScanReport.to_pandas()`` frame tagged ``category`` (all rows for None)."""
    if category is None:
        return frame
    if category != SENSITIVE_PREFIX and category not in CATEGORY_IDS:
        raise ReportQueryError(
            f"unknown category {category!r}; use one of {', '.join(CATEGORY_IDS)} or {SENSITIVE_PREFIX!r}"
        )
    mask = frame["categories"].map(lambda joined: matches_category(joined.split(", "), category))
    return frame[mask.astype(bool)].reset_index(drop=True)


def category_matrix(datasets: Sequence[DatasetResult]) -> pd.DataFrame:
    """Datasets × categories: how many columns of each dataset fall under each category."""
    counts = [[category_count(d, c) for c in CATEGORY_IDS] for d in datasets]
    frame = pd.DataFrame(counts, columns=list(CATEGORY_IDS), index=[d.dataset for d in datasets])
    frame.index.name = "dataset"
    return frame


def find_column(datasets: Sequence[DatasetResult], dataset: str, column: str) -> ColumnResult:
    """The result for ``column`` of ``dataset``; an unknown name is a ``ReportQueryError`` with suggestions."""
    found = next((d for d in datasets if d.dataset == dataset), None)
    if found is None:
        raise ReportQueryError(
            f"no dataset {dataset!r} in this report{_did_you_mean(dataset, [d.dataset for d in datasets])}"
        )
    match = next((c for c in found.columns if c.name == column), None)
    if match is None:
        raise ReportQueryError(
            f"no column {column!r} in dataset {dataset!r}{_did_you_mean(column, [c.name for c in found.columns])}"
        )
    return match


def html_fragment(report: ReportContent) -> str:
    """What a notebook shows for a report: the heatmap and the folded column tables, with their styles."""
    return render_page(report, standalone=False)


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "; report.to_pandas() lists every dataset and column"
