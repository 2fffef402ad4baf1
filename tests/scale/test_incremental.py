"""The findings catalog and incremental scans: unchanged files are not read again, changed datasets are."""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

import pipeline
from pipeline import readers
from pipeline.catalog import Catalog, dataset_from_json, dataset_to_json
from pipeline.cli.catalog import register
from pipeline.errors import PiiscanError
from pipeline.report import ScanReport
from tests.scale.lakes import customers, write_lake

app = typer.Typer()


@app.callback()
def _root() -> None:
    """A fresh app holding only the catalog commands (the real one is built by pipeline.cli.main)."""


register(app)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every file any reader opens (the one place readers open files), counted by URL."""
    counts: Counter[str] = Counter()
    real_open = readers._open

    def counting_open(file: Any) -> IO[bytes]:
        counts[file.url] += 1
        return real_open(file)

    monkeypatch.setattr(readers, "_open", counting_open)
    return counts


@pytest.fixture
def lake(tmp_path: Path) -> Iterator[tuple[Path, dict[str, list[Path]]]]:
    root = tmp_path / "lake"
    yield root, write_lake(root)


def _scan(root: Path, catalog: Path, *, incremental: bool = True) -> ScanReport:
    return pipeline.scan(str(root), scheduler="sync", catalog=catalog, incremental=incremental)


def _comparable(report: ScanReport) -> dict[str, Any]:
    data = report.to_dict()
    data.pop("started_at")
    data.pop("finished_at")
    return data


def _bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def test_unchanged_second_run_reads_no_file_and_reports_the_same(
    lake: tuple[Path, dict[str, list[Path]]], tmp_path: Path, opened: Counter[str]
) -> None:
    root, files = lake
    catalog = tmp_path / "catalog.duckdb"
    first = _scan(root, catalog)
    assert {str(p) for paths in files.values() for p in paths} <= set(opened)
    opened.clear()

    second = _scan(root, catalog)

    assert sum(opened.values()) == 0
    assert _comparable(second) == _comparable(first)
    latest = Catalog(catalog).history()[0]
    assert (latest.status, latest.datasets, latest.datasets_reused, latest.files_read) == ("complete", 3, 3, 0)


def test_touching_one_file_rescans_only_its_dataset(
    lake: tuple[Path, dict[str, list[Path]]], tmp_path: Path, opened: Counter[str]
) -> None:
    root, files = lake
    catalog = tmp_path / "catalog.duckdb"
    first = _scan(root, catalog)
    opened.clear()

    _bump_mtime(files["logs"][1])
    second = _scan(root, catalog)

    # The dataset is the unit of reuse: both files of the touched hive dataset, nothing else.
    assert set(opened) == {str(p) for p in files["logs"]}
    assert _comparable(second) == _comparable(first)
    assert Catalog(catalog).history()[0].datasets_reused == 2


def test_a_non_incremental_run_reads_everything_and_a_config_change_invalidates_reuse(
    lake: tuple[Path, dict[str, list[Path]]], tmp_path: Path, opened: Counter[str]
) -> None:
    root, _ = lake
    catalog = tmp_path / "catalog.duckdb"
    _scan(root, catalog, incremental=False)
    opened.clear()
    _scan(root, catalog, incremental=False)
    assert len(opened) == 4

    config = tmp_path / "scan.yaml"
    config.write_text("version: 1\ndetection:\n  examples_per_entity: 2\n", encoding="utf-8")
    opened.clear()
    pipeline.scan(str(root), scheduler="sync", catalog=catalog, incremental=True, config=config)
    assert len(opened) == 4


def test_incremental_without_a_catalog_is_refused(lake: tuple[Path, dict[str, list[Path]]]) -> None:
    with pytest.raises(PiiscanError, match="catalog"):
        pipeline.scan(str(lake[0]), scheduler="sync", incremental=True)


def test_diff_shows_a_newly_added_personal_column(lake: tuple[Path, dict[str, list[Path]]], tmp_path: Path) -> None:
    root, files = lake
    catalog = tmp_path / "catalog.duckdb"
    _scan(root, catalog)
    pq.write_table(customers(random.Random("scale-lake/new"), with_email=True), files["crm/customers.parquet"][0])
    _scan(root, catalog)

    changes = Catalog(catalog).diff(*[Catalog(catalog).resolve(s) for s in ("previous", "latest")])
    assert [(c.dataset, c.column, c.change, c.after) for c in changes] == [
        ("crm/customers.parquet", "contact", "appeared", ("personal",))
    ]

    runner = CliRunner()
    shown = runner.invoke(app, ["diff", "--catalog", str(catalog), "--json"])
    assert shown.exit_code == 0, shown.output
    assert '"column": "contact"' in shown.output and '"new_personal_data": true' in shown.output
    gate = runner.invoke(app, ["diff", "--catalog", str(catalog), "--fail-on-new"])
    assert gate.exit_code == 1, gate.output
    history = runner.invoke(app, ["history", "--catalog", str(catalog), "--json"])
    assert history.exit_code == 0 and history.output.count('"status": "complete"') == 2

    # Scans named explicitly, in the other direction: the column disappeared, nothing new appeared.
    ids = [r.scan_id for r in Catalog(catalog).history()]
    reverse = runner.invoke(app, ["diff", ids[0], ids[1], "--catalog", str(catalog), "--fail-on-new", "--json"])
    assert reverse.exit_code == 0, reverse.output
    assert '"change": "disappeared"' in reverse.output


def test_catalog_commands_fail_with_usage_errors_on_a_missing_catalog(tmp_path: Path) -> None:
    runner = CliRunner()
    for command in (["history"], ["diff"]):
        result = runner.invoke(app, [*command, "--catalog", str(tmp_path / "none.duckdb")])
        assert result.exit_code == 2
        assert "no findings catalog" in result.output


def test_a_stored_result_round_trips_exactly(lake: tuple[Path, dict[str, list[Path]]]) -> None:
    report = pipeline.scan(str(lake[0]), scheduler="sync")
    for dataset in report.datasets:
        assert dataset_from_json(dataset_to_json(dataset)) == dataset


def test_catalog_rows_hold_no_raw_value(lake: tuple[Path, dict[str, list[Path]]], tmp_path: Path) -> None:
    root, files = lake
    catalog = tmp_path / "catalog.duckdb"
    _scan(root, catalog)
    phones = pq.read_table(files["crm/customers.parquet"][0]).column("電話番号").to_pylist()
    import duckdb

    with duckdb.connect(str(catalog), read_only=True) as con:
        stored = "\n".join(str(row) for table in ("datasets", "dataset_columns", "findings") for row in con.execute(f"SELECT * FROM {table}").fetchall())
    assert "電話番号" in stored
    assert not [p for p in phones if p in stored]


def test_cli_scan_prints_progress_lines_records_the_scan_and_stays_quiet_when_asked(
    lake: tuple[Path, dict[str, list[Path]]], tmp_path: Path
) -> None:
    from pipeline.cli import app as cli_app

    root, _ = lake
    catalog = tmp_path / "catalog.duckdb"
    args = ["scan", str(root), "--out", str(tmp_path / "out"), "--scheduler", "sync", "--catalog", str(catalog)]
    runner = CliRunner()
    first = runner.invoke(cli_app, args)
    assert first.exit_code == 0, first.output
    # Not a terminal: plain lines, one per dataset, then where the scan was recorded.
    assert "piiscan: 3 datasets; 4 files" in first.output
    assert sum(1 for line in first.output.splitlines() if line.startswith("piiscan: [")) == 3
    assert "recorded in" in first.output

    quiet = runner.invoke(cli_app, [*args, "--incremental", "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert "".join(quiet.output.splitlines()) == f"Report written to {tmp_path / 'out' / 'report.json'}"
    assert Catalog(catalog).history()[0].files_read == 0

    refused = runner.invoke(cli_app, [*args, "--no-catalog", "--incremental"])
    assert refused.exit_code == 2
