"""Progress for notebooks: events per dataset, and progress=True works outside a kernel too."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline.progress import NotebookProgress


def _lake(tmp_path: Path) -> Path:
    for name in ("a", "b"):
        (tmp_path / f"{name}.csv").write_text("email\nuser@example.co.jp\n", encoding="utf-8")
    return tmp_path


def test_notebook_progress_counts_datasets(tmp_path: Path) -> None:
    progress = NotebookProgress()
    report = pipeline.scan(_lake(tmp_path), scheduler="sync", progress=progress)
    assert len(report.datasets) == 2
    assert progress.lines[0].startswith("piiscan: 0/2 datasets")
    assert progress.lines[-1].startswith("piiscan: 2/2 datasets, 2 rows")
    assert not any("user@example" in line for line in progress.lines)


def test_progress_true_prints_nothing_outside_a_notebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = pipeline.scan(_lake(tmp_path), scheduler="sync", progress=True)
    assert [c.categories for d in report.datasets for c in d.columns] == [("personal",), ("personal",)]
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == ""
