"""The ``piiscan`` command line (also ``python -m pipeline``). Exit codes follow shared/contract.md."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from pipeline.cli_exit import console, err_console, exits_on_error

if TYPE_CHECKING:
    from pipeline.api import ScanProgress
    from pipeline.settings import ScanSettings

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_READ_ERRORS = 3

app = typer.Typer(
    name="piiscan",
    help="Find personal and sensitive data in a data lake and tag every column with its privacy-policy category.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Find personal and sensitive data in a data lake and tag every column with its privacy-policy category."""


def _summary(report: object) -> None:
    from pipeline.report import ScanReport

    assert isinstance(report, ScanReport)
    table = Table(title="piiscan: columns by policy category", show_lines=False)
    table.add_column("dataset")
    table.add_column("column")
    table.add_column("categories")
    for dataset in report.datasets:
        for column in dataset.columns:
            if column.categories or column.quasi_identifier:
                cats = ", ".join(column.categories) + (" [QI]" if column.quasi_identifier else "")
                table.add_row(dataset.dataset, column.name, cats)
    console.print(table)
    untagged = sum(1 for d in report.datasets for c in d.columns if not c.categories)
    console.print(f"{len(report.datasets)} datasets, {untagged} columns with no personal data.")
    for dataset in report.datasets:
        for issue in dataset.errors:
            err_console.print(f"[red]error[/red] {issue.path}: {issue.message}")
    for issue in report.errors:
        err_console.print(f"[red]error[/red] {issue.path}: {issue.message}")


@app.command()
def scan(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, globs or fsspec URLs (s3://bucket/prefix).")],
    out: Annotated[Path, typer.Option("--out", help="Directory for report.json, report.md and report.html.")] = Path("out"),
    config: Annotated[Path | None, typer.Option("--config", help="Scan settings YAML, may be partial (over the packaged defaults). Env: PIISCAN_CONFIG.")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy YAML (default: the packaged policy). Env: PIISCAN_POLICY.")] = None,
    recognizers: Annotated[
        Path | None,
        typer.Option("--recognizers", envvar="PIISCAN_RECOGNIZERS", help="Your own recognizers (Presidio YAML) instead of the packaged ones."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786), or 'local', 'threads', 'sync'. Env: PIISCAN_SCHEDULER."),
    ] = None,
    sample: Annotated[int | None, typer.Option("--sample", help="Distinct values per text column run through NER.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Run NER on every distinct value kept (up to the sketch size).")] = False,
    catalog: Annotated[
        str | None,
        typer.Option(
            "--catalog",
            help="Findings catalog to record the scan in: a DuckDB file or a postgresql://user@host/db URL. Default .piiscan/catalog.duckdb; env PIISCAN_CATALOG.",
        ),
    ] = None,
    no_catalog: Annotated[bool, typer.Option("--no-catalog", help="Do not record this scan in a findings catalog.")] = False,
    incremental: Annotated[
        bool, typer.Option("--incremental", help="Reuse the catalog's results for datasets whose files and config are unchanged.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print only where the report is.")] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Leave out files or folders matching this glob (relative path or file name; repeatable)."),
    ] = None,
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="Follow symbolic links that lead out of a SOURCE (by default they are skipped and listed).")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Delta Lake / Iceberg tables: scan the snapshot of this version (Iceberg: snapshot id or sequence number) or ISO 8601 time."),
    ] = None,
    emit: Annotated[
        list[str] | None,
        typer.Option(
            "--emit",
            help="Send the column tags out: openlineage=URL (HTTP endpoint), openlineage=FILE (JSON lines), or openlineage (env OPENLINEAGE_URL). Repeatable.",
        ),
    ] = None,
) -> None:
    """Discover every dataset under each SOURCE, classify every column, write the report.

    Settings, each layer over the one before: the packaged defaults; --config FILE (or PIISCAN_CONFIG), which may be partial; one variable per setting, PIISCAN_<SECTION>__<KEY>=<YAML value> (for example PIISCAN_DETECTION__NER_ENABLED=false); then --sample/--full.
    """
    from pipeline.api import scan as run_scan
    from pipeline.catalog import catalog_target
    from pipeline.lineage import emit_report, parse_emit
    from pipeline.report import write_report

    if no_catalog and (incremental or catalog is not None):
        err_console.print("[red]piiscan:[/red] --no-catalog cannot be combined with --catalog or --incremental")
        raise typer.Exit(EXIT_USAGE)
    with exits_on_error():
        targets = [parse_emit(value) for value in emit or ()]
        catalog_path = None if no_catalog else catalog_target(catalog)
        settings = _scan_settings(config, sample, full)
        with _progress(quiet) as progress, _sigterm_exits():
            report = run_scan(
                sources, config=settings, policy=policy, recognizers=recognizers, scheduler=scheduler,
                catalog=catalog_path, incremental=incremental, progress=progress,
                exclude=tuple(exclude or ()), follow_links=follow_links, as_of=as_of,
            )
            report = emit_report(report, targets)
            path = write_report(report, out)  # a SIGTERM here leaves the previous report set whole
    if not quiet:
        _summary(report)
    console.print(f"Report written to {path}")
    raise typer.Exit(EXIT_READ_ERRORS if report.has_errors else EXIT_OK)


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """SIGTERM (what schedulers send to stop a job) ends the scan like an error: it is marked failed, not left running."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _human_bytes(count: int) -> str:
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
            f"piiscan: {datasets} datasets; {files} files ({_human_bytes(bytes_total)}) to read, {reused} datasets unchanged",
            highlight=False, soft_wrap=True,
        )

    def dashboard(self, link: str) -> None:
        err_console.print(f"piiscan: Dask dashboard {link}", highlight=False, soft_wrap=True)

    def dataset_done(self, dataset: str, *, files_read: int, bytes_read: int, rows: int, reused: bool) -> None:
        self._done += 1
        how = "unchanged, carried forward" if reused else f"{files_read} files, {_human_bytes(bytes_read)}"
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
        self._bar.update(self._read, total=bytes_total, visible=bytes_total > 0, description=f"{_human_bytes(bytes_total)} in {files} files")

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
def _progress(quiet: bool) -> Iterator[ScanProgress | None]:
    if quiet:
        yield None
    elif err_console.is_terminal:
        with _BarProgress() as bar:
            yield bar
    else:
        yield _LineProgress()


def _scan_settings(config: Path | None, sample: int | None, full: bool) -> ScanSettings:
    """Packaged defaults < --config / $PIISCAN_CONFIG < PIISCAN_<SECTION>__<KEY> < --sample/--full, in memory."""
    from pipeline.settings import load_scan_settings

    settings = load_scan_settings(config)
    if full:
        return settings.with_overrides({"detection": {"ner_sample_size": settings.detection.sketch_size}})
    if sample is not None:
        return settings.with_overrides({"detection": {"ner_sample_size": sample}})
    return settings


def _register_commands() -> None:
    """Commands that live beside their stage: the pre-sharing gate, the findings catalog."""
    from pipeline import cli_catalog, cli_gate

    cli_gate.register(app)
    cli_catalog.register(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _register_commands()
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
        # click reports usage errors with exit 2, as the contract wants.
        sys.exit(code)


if __name__ == "__main__":
    main()
