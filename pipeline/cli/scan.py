"""`piiscan scan`: discover every dataset under the sources, classify every column, write the report set.

Exit codes (shared/contract.md): 0 done, 2 usage or configuration error, 3 report written but some files
could not be read.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from pipeline.cli.options import (
    ConfigOpt,
    FollowLinksOpt,
    PolicyOpt,
    RecognizersOpt,
    SchedulerOpt,
    SourcesArg,
)
from pipeline.cli.output import EXIT_OK, EXIT_READ_ERRORS, EXIT_USAGE, console, err_console, exits_on_error
from pipeline.cli.progress import progress

if TYPE_CHECKING:
    from pipeline.report import ScanReport
    from pipeline.settings import ScanSettings

OutOpt = Annotated[Path, typer.Option("--out", help="Directory for report.json, report.md and report.html.")]
SampleOpt = Annotated[int | None, typer.Option("--sample", help="Distinct values per text column run through NER.")]
FullOpt = Annotated[bool, typer.Option("--full", help="Run NER on every distinct value kept (up to the sketch size).")]
CatalogOpt = Annotated[
    str | None,
    typer.Option(
        "--catalog",
        help="Findings catalog to record the scan in: a DuckDB file or a postgresql://user@host/db URL. Default .piiscan/catalog.duckdb; env PIISCAN_CATALOG.",
    ),
]
NoCatalogOpt = Annotated[bool, typer.Option("--no-catalog", help="Do not record this scan in a findings catalog.")]
IncrementalOpt = Annotated[
    bool, typer.Option("--incremental", help="Reuse the catalog's results for datasets whose files and config are unchanged.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="Print only where the report is.")]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="Leave out files or folders matching this glob (relative path or file name; repeatable)."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Delta Lake / Iceberg tables: scan the snapshot of this version (Iceberg: snapshot id or sequence number) or ISO 8601 time."),
]
EmitOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--emit",
        help="Send the column tags out: openlineage=URL (HTTP endpoint), openlineage=FILE (JSON lines), or openlineage (env OPENLINEAGE_URL). Repeatable.",
    ),
]


def scan(
    sources: SourcesArg,
    out: OutOpt = Path("out"),
    config: ConfigOpt = None,
    policy: PolicyOpt = None,
    recognizers: RecognizersOpt = None,
    scheduler: SchedulerOpt = None,
    sample: SampleOpt = None,
    full: FullOpt = False,
    catalog: CatalogOpt = None,
    no_catalog: NoCatalogOpt = False,
    incremental: IncrementalOpt = False,
    quiet: QuietOpt = False,
    exclude: ExcludeOpt = None,
    follow_links: FollowLinksOpt = False,
    as_of: AsOfOpt = None,
    emit: EmitOpt = None,
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
        with progress(quiet) as shown, _sigterm_exits():
            report = run_scan(
                sources, config=settings, policy=policy, recognizers=recognizers, scheduler=scheduler,
                catalog=catalog_path, incremental=incremental, progress=shown,
                exclude=tuple(exclude or ()), follow_links=follow_links, as_of=as_of,
            )
            report = emit_report(report, targets)
            path = write_report(report, out)  # a SIGTERM here leaves the previous report set whole
    if not quiet:
        _summary(report)
    console.print(f"Report written to {path}")
    raise typer.Exit(EXIT_READ_ERRORS if report.has_errors else EXIT_OK)


def _summary(report: ScanReport) -> None:
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


def _scan_settings(config: Path | None, sample: int | None, full: bool) -> ScanSettings:
    """Packaged defaults < --config / $PIISCAN_CONFIG < PIISCAN_<SECTION>__<KEY> < --sample/--full, in memory."""
    from pipeline.settings import load_scan_settings

    settings = load_scan_settings(config)
    if full:
        return settings.with_overrides({"detection": {"ner_sample_size": settings.detection.sketch_size}})
    if sample is not None:
        return settings.with_overrides({"detection": {"ner_sample_size": sample}})
    return settings


def register(app: typer.Typer) -> None:
    """Add ``scan`` to ``app``."""
    app.command("scan")(scan)
