"""ScanReport: what one scan found, as report.json (the contract) and as a DataFrame.

The notebook queries (``columns``, ``explain``, ``category_matrix``, the HTML view) are methods here so a
notebook finds them on the object; their bodies live in ``pipeline.report.notebook``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.models import DatasetResult, ScanIssue
from pipeline.report import notebook

TOOL_VERSION = "0.1.0"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "report.schema.json"

FRAME_COLUMNS = [
    "dataset",
    "column",
    "categories",
    "entities",
    "score",
    "quasi_identifier",
    "explanation",
    # Added for notebooks; the first seven keep their meaning.
    "prevalence",
    "examples",
    "data_type",
    "non_null",
]


@dataclass(frozen=True)
class ScanReport:
    datasets: tuple[DatasetResult, ...]
    errors: tuple[ScanIssue, ...]
    started_at: str
    finished_at: str
    policy_path: str
    policy_sha256: str

    def __repr__(self) -> str:
        # The generated repr would print every finding; a notebook shows _repr_html_ anyway.
        columns = sum(len(d.columns) for d in self.datasets)
        tagged = sum(1 for d in self.datasets for c in d.columns if c.categories)
        errors = len(self.errors) + sum(len(d.errors) for d in self.datasets)
        return (
            f"<ScanReport: {len(self.datasets)} datasets, {columns} columns, {tagged} with personal data, "
            f"{errors} errors>"
        )

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(d.errors for d in self.datasets)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "tool": {"name": "piiscan", "version": TOOL_VERSION},
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "policy": {"path": self.policy_path, "sha256": self.policy_sha256},
            "datasets": [d.to_dict() for d in self.datasets],
            "errors": [e.to_dict() for e in self.errors],
        }

    def to_pandas(self) -> pd.DataFrame:
        """One row per (dataset, column): categories, entities, confidence, prevalence and the reason."""
        rows = []
        for dataset in self.datasets:
            for column in dataset.columns:
                rows.append(
                    {
                        "dataset": dataset.dataset,
                        "column": column.name,
                        "categories": ", ".join(column.categories),
                        "entities": ", ".join(f"{e.type} ({e.ratio:.0%})" for e in column.entities),
                        "score": max((e.score for e in column.entities), default=0.0),
                        "quasi_identifier": column.quasi_identifier,
                        "explanation": column.explanation,
                        "prevalence": max((e.ratio for e in column.entities), default=0.0),
                        "examples": ", ".join(x for e in column.entities for x in e.examples),
                        "data_type": column.data_type,
                        "non_null": column.non_null,
                    }
                )
        return pd.DataFrame(rows, columns=FRAME_COLUMNS)

    def columns(self, category: str | None = None) -> pd.DataFrame:
        """The rows of ``to_pandas()`` tagged ``category`` (an id, or "sensitive" for every sensitive.* id)."""
        return notebook.rows_of_category(self.to_pandas(), category)

    def explain(self, dataset: str, column: str) -> str:
        """Why ``column`` of ``dataset`` got its categories, in one sentence (examples masked)."""
        return notebook.find_column(self.datasets, dataset, column).explanation

    def category_matrix(self) -> pd.DataFrame:
        """Datasets × categories: how many columns of each dataset fall under each category (the heatmap)."""
        return notebook.category_matrix(self.datasets)

    def _repr_html_(self) -> str:
        return notebook.html_fragment(self)
