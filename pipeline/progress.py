"""Progress in a notebook: one line that updates in place as datasets finish (``scan(..., progress=True)``)."""

from __future__ import annotations

import html
from typing import Any


class NotebookProgress:
    """A ScanProgress that redraws one HTML line through IPython's display handle (plain text elsewhere)."""

    def __init__(self) -> None:
        self._total = 0
        self._done = 0
        self._rows = 0
        self._handle: Any = None
        self._lines: list[str] = []

    def _show(self, text: str) -> None:
        self._lines.append(text)
        try:
            from IPython import get_ipython
            from IPython.display import HTML, display
        except ImportError:
            return
        if get_ipython() is None:  # a plain script: keep the lines for the caller, print nothing
            return
        body = HTML(f"<div style='font-family:monospace'>{html.escape(text)}</div>")
        if self._handle is None:
            self._handle = display(body, display_id=True)
        else:
            self._handle.update(body)

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self._lines)

    def planned(self, *, datasets: int, files: int, bytes_total: int, reused: int) -> None:
        self._total = datasets
        self._show(f"piiscan: 0/{datasets} datasets ({files} files to read, {reused} unchanged)")

    def dashboard(self, link: str) -> None:
        self._show(f"piiscan: Dask dashboard {link}")

    def dataset_done(self, dataset: str, *, files_read: int, bytes_read: int, rows: int, reused: bool) -> None:
        self._done += 1
        self._rows += rows
        self._show(f"piiscan: {self._done}/{self._total} datasets, {self._rows:,} rows — last: {dataset}")

    def recorded(self, scan_id: str, catalog: str) -> None:
        self._show(f"piiscan: scan {scan_id} recorded in {catalog}")
