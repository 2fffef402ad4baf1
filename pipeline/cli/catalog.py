"""`piiscan history` and `piiscan diff`: the findings catalog on the command line.

``diff`` is what a scheduled job alerts on: with ``--fail-on-new`` it exits 1 when a column gained a
category (personal data appeared), 0 otherwise.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from pipeline.cli.output import EXIT_NEW_FINDINGS, EXIT_USAGE, console, err_console, exits_on_error

CatalogOption = Annotated[
    str | None,
    typer.Option(
        "--catalog",
        help="Findings catalog: a DuckDB file or a postgresql://user@host/db URL. Default .piiscan/catalog.duckdb; env PIISCAN_CATALOG.",
    ),
]


def history(
    catalog: CatalogOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many scans, newest first.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the scans recorded in the findings catalog, newest first."""
    from pipeline.catalog import Catalog, catalog_target

    with exits_on_error():
        records = Catalog(catalog_target(catalog)).history(limit)
    if as_json:
        print(json.dumps([vars(r) for r in records], ensure_ascii=False, indent=2))
        return
    table = Table(title="piiscan: scans in the findings catalog")
    for header in ("scan", "started", "status", "datasets", "unchanged", "files read", "tagged columns", "sources"):
        table.add_column(header)
    for r in records:
        table.add_row(
            r.scan_id, r.started_at, r.status, _num(r.datasets), _num(r.datasets_reused), _num(r.files_read),
            str(r.columns_with_categories), ", ".join(r.sources),
        )
    console.print(table)


def diff(
    scan_a: Annotated[str | None, typer.Argument(help="The earlier scan (id or unique prefix). Default: the previous scan.")] = None,
    scan_b: Annotated[str | None, typer.Argument(help="The later scan. Default: the latest scan.")] = None,
    catalog: CatalogOption = None,
    fail_on_new: Annotated[
        bool, typer.Option("--fail-on-new", help="Exit 1 when a column gained a category (new personal data).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Columns whose categories appeared, changed or disappeared between two complete scans."""
    from pipeline.catalog import Catalog, catalog_target

    if scan_a is not None and scan_b is None:
        err_console.print("[red]piiscan:[/red] give two scans (SCAN_A SCAN_B), or none for the last two")
        raise typer.Exit(EXIT_USAGE)
    store = Catalog(catalog_target(catalog))
    with exits_on_error():
        before = store.resolve(scan_a or "previous")
        after = store.resolve(scan_b or "latest")
        changes = store.diff(before, after)
    new_data = [c for c in changes if c.adds_categories]
    if as_json:
        print(
            json.dumps(
                {
                    "before": before,
                    "after": after,
                    "changes": [
                        {"dataset": c.dataset, "column": c.column, "change": c.change,
                         "before": list(c.before), "after": list(c.after)}
                        for c in changes
                    ],
                    "new_personal_data": bool(new_data),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        table = Table(title=f"piiscan diff {before} → {after}")
        for header in ("change", "dataset", "column", "before", "after"):
            table.add_column(header)
        for c in changes:
            table.add_row(c.change, c.dataset, c.column, ", ".join(c.before) or "—", ", ".join(c.after) or "—")
        console.print(table)
        console.print(f"{len(changes)} columns changed; {len(new_data)} gained a category.")
    if fail_on_new and new_data:
        raise typer.Exit(EXIT_NEW_FINDINGS)


def _num(value: int | None) -> str:
    return "—" if value is None else str(value)


def register(app: typer.Typer) -> None:
    """Add ``history`` and ``diff`` to ``app``."""
    app.command(name="history")(history)
    app.command(name="diff")(diff)
