"""How a running scan shows its progress: a bar on a terminal, plain lines in a scheduler's log, or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pipeline.cli.output import err_console

if TYPE_CHECKING:
    from pipeline.api import ScanProgress


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


class _LineProgress:
    """Plain lines on stderr (not a terminal: logs of a scheduled job)."""

    def __init__(self) -> None:
        self._total = 0
        self._done = 0

    def planned(self, *, datasets: int, files: int, bytes_total: int, reused: int) -> None:
        self._total = datasets
        err_console.print(
            f"piiscan: {datasets} datasets; {files} files ({human_bytes(bytes_total)}) to read, {reused} datasets unchanged",
            highlight=False, soft_wrap=True,
        )

    def dashboard(self, link: str) -> None:
        err_console.print(f"piiscan: Dask dashboard {link}", highlight=False, soft_wrap=True)

    def dataset_done(self, dataset: str, *, files_read: int, bytes_read: int, rows: int, reused: bool) -> None:
        self._done += 1
        how = "unchanged, carried forward" if reused else f"{files_read} files, {human_bytes(bytes_read)}"
        err_console.print(f"piiscan: [{self._done}/{self._total}] {dataset}: {rows} rows ({how})", highlight=False, markup=False, soft_wrap=True)

    def recorded(self, scan_id: str, catalog: str) -> None:
        err_console.print(f"piiscan: scan {scan_id} recorded in {catalog}", highlight=False, markup=False, soft_wrap=True)


class _BarProgress(_LineProgress):
    """A rich progress bar (datasets, bytes, rows) on a terminal."""

    def __init__(self) -> None:
        super().__init__()
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(), console=err_console
        )
        self._datasets = self._bar.add_task("datasets", total=None)
        self._read = self._bar.add_task("bytes", total=None, visible=False)
        self._rows = 0

    def __enter__(self) -> _BarProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def planned(self, *, datasets: int, files: int, bytes_total: int, reused: int) -> None:
        self._total = datasets
        self._bar.update(self._datasets, total=datasets, description=f"{datasets} datasets ({reused} unchanged)")
        self._bar.update(self._read, total=bytes_total, visible=bytes_total > 0, description=f"{human_bytes(bytes_total)} in {files} files")

    def dashboard(self, link: str) -> None:
        self._bar.console.print(f"Dask dashboard: {link}", highlight=False)

    def dataset_done(self, dataset: str, *, files_read: int, bytes_read: int, rows: int, reused: bool) -> None:
        self._rows += rows
        self._bar.advance(self._datasets)
        self._bar.advance(self._read, bytes_read)
        self._done += 1
        self._bar.update(self._datasets, description=f"{self._done}/{self._total} datasets, {self._rows:,} rows")

    def recorded(self, scan_id: str, catalog: str) -> None:
        self._bar.console.print(f"scan {scan_id} recorded in {catalog}", highlight=False, markup=False, soft_wrap=True)


@contextmanager
def progress(quiet: bool) -> Iterator[ScanProgress | None]:
    """None with --quiet; otherwise a bar on a terminal, plain lines elsewhere."""
    if quiet:
        yield None
    elif err_console.is_terminal:
        with _BarProgress() as bar:
            yield bar
    else:
        yield _LineProgress()
