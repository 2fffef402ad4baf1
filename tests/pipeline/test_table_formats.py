"""Delta Lake and Iceberg tables are one dataset each: only the current snapshot's files are scanned (files
deleted or rewritten by later commits stay in the folder until a vacuum and must not be reported), the
snapshot is named in the report, ``--as-of`` reads an older one, partition columns are columns, and
``--incremental`` rescans a table only when its snapshot changed. Tables are generated here with the
libraries themselves (``deltalake.write_deltalake``, a pyiceberg SQL catalog on SQLite)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable, write_deltalake
from pyiceberg.catalog.sql import SqlCatalog
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.errors import TableError
from pipeline.models import DatasetResult
from pipeline.report import SCHEMA_PATH, ScanReport
from pipeline.sources import discover
from pipeline.tables import parse_as_of

runner = CliRunner()

# Planted only in rows that a later commit removes: they must never reach a report.
DEAD_PHONES = ["090-1234-5678", "080-2345-6789", "070-3456-7890", "090-4567-8901"]
DEAD_EMAIL_DOMAIN = "olddomain.co.jp"
LIVE_EMAIL_DOMAIN = "newdomain.example.com"


def _rows(batch: str, emails_at: str, notes: list[str]) -> pa.Table:
    count = len(notes)
    return pa.table(
        {
            "id": [f"{batch}-{i}" for i in range(count)],
            "email": [f"user{i}@{emails_at}" for i in range(count)],
            "note": notes,
            "batch": [batch] * count,
            "region": ["kanto" if i % 2 else "kansai" for i in range(count)],
        }
    )


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "scan.yaml"
    path.write_text("detection:\n  ner_enabled: false\n", encoding="utf-8")  # patterns only: no GiNZA load
    return path


def _scan(source: str, tmp_path: Path, **kwargs: object) -> ScanReport:
    return pipeline.scan(source, config=_config(tmp_path), scheduler="sync", **kwargs)  # type: ignore[arg-type]


def _column(dataset: DatasetResult, name: str) -> tuple[set[str], list[str]]:
    (column,) = [c for c in dataset.columns if c.name == name]
    return {e.type for e in column.entities}, [x for e in column.entities for x in e.examples]


def _assert_only_live_rows(dataset: DatasetResult) -> None:
    note_entities, _ = _column(dataset, "note")
    assert "PHONE_NUMBER" not in note_entities and not note_entities  # the dead file held the only phones
    (note,) = [c for c in dataset.columns if c.name == "note"]
    assert note.categories == ()
    email_entities, examples = _column(dataset, "email")
    assert "EMAIL_ADDRESS" in email_entities
    assert examples and not any("olddomain" in x for x in examples)  # masked examples of live rows only
    assert "region" in {c.name for c in dataset.columns}  # the partition column is a column


def _delta_with_deleted_file(path: Path) -> Path:
    """v0: a file with planted phones and old e-mails; v1: clean rows; v2: v0's rows deleted (file removed
    from the log, not vacuumed, so still on disk)."""
    write_deltalake(str(path), _rows("old", DEAD_EMAIL_DOMAIN, DEAD_PHONES), partition_by=["region"])
    write_deltalake(str(path), _rows("new", LIVE_EMAIL_DOMAIN, ["ok", "fine", "done", "none"]), mode="append", partition_by=["region"])
    # Commits a few milliseconds apart: deltalake 1.6 time travel resolved an instant between v1's and v2's
    # history() timestamps to v2 (seen at 7 ms apart). Real commits are further apart than this.
    time.sleep(0.3)
    DeltaTable(str(path)).delete("batch = 'old'")
    return path


def test_delta_reports_only_the_current_version(tmp_path: Path) -> None:
    table = _delta_with_deleted_file(tmp_path / "lake" / "customers")
    on_disk = {p for p in table.rglob("*.parquet")}
    (ref,), issues = discover([str(tmp_path / "lake")])
    assert not issues
    assert ref.table is not None and ref.table.version == 2
    assert {Path(f.url) for f in ref.files} < on_disk  # dead files are still in the folder, not in the dataset
    report = _scan(str(tmp_path / "lake"), tmp_path)
    (dataset,) = report.datasets
    assert dataset.dataset == "customers" and dataset.rows_total == 4
    _assert_only_live_rows(dataset)
    entry = report.to_dict()["datasets"][0]
    assert entry["table"]["format"] == "delta" and entry["table"]["version"] == 2
    assert entry["format"] == "parquet"


def test_delta_as_of_finds_the_old_rows(tmp_path: Path) -> None:
    table = _delta_with_deleted_file(tmp_path / "customers")
    report = _scan(str(table), tmp_path, as_of="1")
    (dataset,) = report.datasets
    assert dataset.table is not None and dataset.table.version == 1
    assert dataset.rows_total == 8
    note_entities, _ = _column(dataset, "note")
    assert "PHONE_NUMBER" in note_entities


def test_delta_partition_values_from_the_log_are_columns(tmp_path: Path) -> None:
    # Delta writers leave partition columns out of the data files: the values live only in the log.
    path = tmp_path / "t"
    write_deltalake(str(path), pa.table({"id": ["1", "2"], "contact": ["a@newdomain.example.com", "b@newdomain.example.com"]}))
    write_deltalake(
        str(path), pa.table({"id": ["3"], "contact": ["c@newdomain.example.com"], "owner_email": ["x@newdomain.example.com"]}),
        mode="overwrite", partition_by=["owner_email"], schema_mode="overwrite",
    )
    files = list(discover([str(path)])[0][0].files)
    assert all("owner_email" not in pq.read_schema(f.url).names for f in files)
    (dataset,) = _scan(str(path), tmp_path).datasets
    entities, _ = _column(dataset, "owner_email")
    assert "EMAIL_ADDRESS" in entities


def _iceberg_catalog(tmp_path: Path) -> tuple[SqlCatalog, Path]:
    db = tmp_path / "catalog.db"
    catalog = SqlCatalog("lake", uri=f"sqlite:///{db}", warehouse=(tmp_path / "warehouse").as_uri())
    catalog.create_namespace("crm")
    return catalog, db


def _iceberg_overwritten(tmp_path: Path) -> tuple[str, int, int]:
    catalog, db = _iceberg_catalog(tmp_path)
    old = _rows("old", DEAD_EMAIL_DOMAIN, DEAD_PHONES)
    table = catalog.create_table("crm.customers", schema=old.schema)
    with table.update_spec() as spec:
        spec.add_identity("region")
    table.append(old)
    first = table.current_snapshot()
    assert first is not None
    table.overwrite(_rows("new", LIVE_EMAIL_DOMAIN, ["ok", "fine", "done", "none"]))
    current = table.current_snapshot()
    assert current is not None
    return f"iceberg+sqlite://{db}#crm.customers", first.snapshot_id, current.snapshot_id


def test_iceberg_reports_only_the_current_snapshot(tmp_path: Path) -> None:
    source, _, current = _iceberg_overwritten(tmp_path)
    folder = tmp_path / "warehouse" / "crm" / "customers"
    assert len(list((folder / "data").rglob("*.parquet"))) == 4  # the overwritten files are still there
    for scanned in (source, str(folder), str(tmp_path / "warehouse")):
        report = _scan(scanned, tmp_path)
        (dataset,) = report.datasets
        assert dataset.rows_total == 4
        _assert_only_live_rows(dataset)
        entry = report.to_dict()["datasets"][0]
        assert entry["table"]["format"] == "iceberg" and entry["table"]["snapshot_id"] == current


def test_iceberg_metadata_path_and_as_of(tmp_path: Path) -> None:
    source, first, _ = _iceberg_overwritten(tmp_path)
    metadata = sorted((tmp_path / "warehouse" / "crm" / "customers" / "metadata").glob("*.metadata.json"))
    (old,) = [p for p in metadata if json.loads(p.read_text()).get("current-snapshot-id") == first]
    for report in (_scan(str(old), tmp_path), _scan(source, tmp_path, as_of=str(first))):
        (dataset,) = report.datasets
        assert dataset.table is not None and dataset.table.snapshot_id == first
        assert "PHONE_NUMBER" in _column(dataset, "note")[0]


class _Recorder:
    """A ScanProgress that keeps which datasets were carried forward from the catalog."""

    def __init__(self) -> None:
        self.reused: dict[str, bool] = {}

    def planned(self, *, datasets: int, files: int, bytes_total: int, reused: int) -> None:
        pass

    def dashboard(self, link: str) -> None:
        pass

    def dataset_done(self, dataset: str, *, files_read: int, bytes_read: int, rows: int, reused: bool) -> None:
        self.reused[dataset] = reused

    def recorded(self, scan_id: str, catalog: Path) -> None:
        pass


def _incremental(source: str, tmp_path: Path) -> tuple[ScanReport, bool]:
    recorder = _Recorder()
    report = _scan(source, tmp_path, catalog=tmp_path / "findings.duckdb", incremental=True, progress=recorder)
    (reused,) = recorder.reused.values()
    return report, reused


@pytest.mark.parametrize("kind", ["delta", "iceberg"])
def test_incremental_skips_an_unchanged_table_and_rescans_after_a_commit(tmp_path: Path, kind: str) -> None:
    more = _rows("more", DEAD_EMAIL_DOMAIN, DEAD_PHONES)
    if kind == "delta":
        source = str(_delta_with_deleted_file(tmp_path / "customers"))

        def commit() -> None:
            write_deltalake(source, more, mode="append", partition_by=["region"])
    else:
        source = _iceberg_overwritten(tmp_path)[0]

        def commit() -> None:
            SqlCatalog("lake", uri=f"sqlite:///{tmp_path / 'catalog.db'}").load_table("crm.customers").append(more)

    first, reused = _incremental(source, tmp_path)
    assert not reused
    again, reused = _incremental(source, tmp_path)
    assert reused and again.datasets == first.datasets
    commit()
    after, reused = _incremental(source, tmp_path)
    assert not reused
    (dataset,) = after.datasets
    assert dataset.table is not None and dataset.table != first.datasets[0].table
    assert dataset.rows_total == 8 and "PHONE_NUMBER" in _column(dataset, "note")[0]


@pytest.mark.parametrize("kind", ["delta", "iceberg"])
def test_check_and_anonymize_on_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv("PIISCAN_HASH_KEY", "k" * 32)
    table = _delta_with_deleted_file(tmp_path / "customers") if kind == "delta" else _iceberg_overwritten(tmp_path)[0]
    verdict = pipeline.check(str(table), "third_party", config=_config(tmp_path), scheduler="sync")
    assert not verdict.allowed  # live e-mails are personal data
    out = tmp_path / "export"
    pipeline.anonymize(str(table), "third_party", out, config=_config(tmp_path), scheduler="sync")
    copies = list(out.rglob("*.parquet"))
    assert copies and not list(out.rglob("_delta_log")) and not list(out.rglob("*.metadata.json"))  # plain Parquet
    copied = pa.concat_tables([pq.read_table(p) for p in copies], promote_options="permissive")
    assert copied.num_rows == 4 and "region" in copied.column_names
    emails = copied.column("email").to_pylist() if "email" in copied.column_names else []
    assert not any(LIVE_EMAIL_DOMAIN in str(v) or DEAD_EMAIL_DOMAIN in str(v) for v in emails)
    assert not any(DEAD_PHONES[0] in str(v) for column in copied.columns for v in column.to_pylist())
    assert pipeline.check(str(out), "third_party", config=_config(tmp_path), scheduler="sync").allowed


def test_cli_as_of_and_report_json(tmp_path: Path) -> None:
    table = _delta_with_deleted_file(tmp_path / "customers")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["scan", str(table), "--out", str(out), "--no-catalog", "--config", str(_config(tmp_path)),
              "--scheduler", "sync", "--quiet", "--as-of", "0"],
    )
    assert result.exit_code == 0, result.output
    document = json.loads((out / "report.json").read_text())
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    entry = document["datasets"][0]
    assert entry["table"]["version"] == 0 and entry["table"]["format"] == "delta"
    bad = runner.invoke(app, ["scan", str(table), "--out", str(out), "--no-catalog", "--as-of", "last tuesday"])
    assert bad.exit_code == 2 and "--as-of" in bad.output


def test_as_of_parsing() -> None:
    assert parse_as_of("3") == 3 and parse_as_of("-4611686018427387904") == -4611686018427387904
    moment = parse_as_of("2026-11-30T09:00:00Z")
    assert moment is not None and not isinstance(moment, int) and moment.utcoffset() is not None
    with pytest.raises(TableError):
        parse_as_of("yesterday")


def test_delta_deletion_vectors_fail_closed(tmp_path: Path) -> None:
    path = tmp_path / "dv"
    write_deltalake(str(path), _rows("new", LIVE_EMAIL_DOMAIN, ["ok", "fine"]), configuration={"delta.enableDeletionVectors": "true"})
    (ref,), issues = discover([str(path)])  # allowed but unused: scanned as usual
    assert not issues and ref.table is not None
    # A commit that deletes one row by a deletion vector, as Spark/Databricks write it (spec example DV).
    (file,) = ref.files
    relative = Path(file.url).name
    vector = {"storageType": "i", "pathOrInlineDv": "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", "sizeInBytes": 40, "cardinality": 1}
    add = {"path": relative, "partitionValues": {}, "size": file.size, "modificationTime": 1, "dataChange": True, "deletionVector": vector}
    remove = {"path": relative, "deletionTimestamp": 2, "dataChange": True}
    (path / "_delta_log" / f"{1:020d}.json").write_text(
        json.dumps({"remove": remove}) + "\n" + json.dumps({"add": add}) + "\n", encoding="utf-8"
    )
    refs, issues = discover([str(path)])
    assert not refs
    (issue,) = issues
    assert issue.kind == "source_error" and "dv" in issue.path and "deletion vector" in issue.message
    verdict = pipeline.check(str(path), "third_party", config=_config(tmp_path), scheduler="sync")
    assert verdict.decision == "undecidable"  # the gate fails closed


def test_as_of_a_time_picks_the_snapshot_current_then(tmp_path: Path) -> None:
    table = _delta_with_deleted_file(tmp_path / "customers")
    history = {entry["version"]: int(entry["timestamp"]) for entry in DeltaTable(str(table)).history()}
    assert history[2] > history[1]  # the deletion committed after the clean append
    between = datetime.fromtimestamp((history[1] + history[2]) / 2000, UTC).isoformat()
    (dataset,) = _scan(str(table), tmp_path, as_of=between).datasets
    assert dataset.table is not None and dataset.table.version == 1
    assert "PHONE_NUMBER" in _column(dataset, "note")[0]
    refs, issues = discover([str(table)], as_of="2000-01-01T00:00:00Z")  # before the table existed
    assert not refs and issues[0].kind == "source_error"

    (tmp_path / "ice").mkdir()
    source, first, current = _iceberg_overwritten(tmp_path / "ice")
    catalog_table = SqlCatalog("lake", uri=f"sqlite:///{tmp_path / 'ice' / 'catalog.db'}").load_table("crm.customers")
    stamps = {s.snapshot_id: s.timestamp_ms for s in catalog_table.metadata.snapshots}
    (ref,), _ = discover([source], as_of=datetime.fromtimestamp(stamps[first] / 1000, UTC).isoformat())
    assert ref.table is not None and ref.table.snapshot_id == first
    (ref,), _ = discover([source], as_of="2999-01-01T00:00:00Z")
    assert ref.table is not None and ref.table.snapshot_id == current


def test_a_table_emptied_by_a_commit_is_still_reported(tmp_path: Path) -> None:
    table = _delta_with_deleted_file(tmp_path / "customers")
    DeltaTable(str(table)).delete()
    (dataset,) = _scan(str(table), tmp_path).datasets
    assert dataset.rows_total == 0 and dataset.table is not None and dataset.table.version == 3
    assert not any(c.categories for c in dataset.columns)


def test_partition_constants_fill_a_missing_column_and_never_replace_a_present_one(tmp_path: Path) -> None:
    from pipeline.readers import iter_batches
    from pipeline.settings import load_scan_settings
    from pipeline.sources import DataFile

    path = tmp_path / "part.parquet"
    pq.write_table(pa.table({"id": ["1", "2"], "region": ["kanto", "kanto"]}), path)
    reading = load_scan_settings(None).reading
    partition = (("region", "from-log"), ("owner", "x@newdomain.example.com"), ("empty", None))
    file = DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="0", partition=partition)
    table = pa.Table.from_batches(list(iter_batches(file, reading)))
    assert table.column_names == ["id", "region", "owner", "empty"]
    assert table.column("region").to_pylist() == ["kanto", "kanto"]  # the file's own values win
    assert table.column("owner").to_pylist() == ["x@newdomain.example.com"] * 2
    assert table.column("empty").to_pylist() == [None, None]


def test_iceberg_identity_partition_values_come_from_the_manifest(tmp_path: Path) -> None:
    source, _, _ = _iceberg_overwritten(tmp_path)
    (ref,), _ = discover([source])
    assert {f.partition for f in ref.files} == {(("region", "kanto"),), (("region", "kansai"),)}
    assert all(f.url.startswith(str(tmp_path)) for f in ref.files)


def test_a_glob_of_table_folders_gives_one_dataset_per_table(tmp_path: Path) -> None:
    _delta_with_deleted_file(tmp_path / "lake" / "customers")
    write_deltalake(str(tmp_path / "lake" / "orders"), pa.table({"id": ["1"]}))
    refs, issues = discover([str(tmp_path / "lake" / "*")])
    assert not issues
    assert sorted(r.name for r in refs) == ["customers", "orders"] and all(r.table is not None for r in refs)
    assert sum(len(r.files) for r in refs) == 3  # customers: the 2 live files of version 2; orders: 1


def test_delta_column_mapping_is_refused_not_misnamed(tmp_path: Path) -> None:
    path = tmp_path / "mapped"
    write_deltalake(str(path), pa.table({"email": ["a@newdomain.example.com"]}), configuration={"delta.columnMapping.mode": "name"})
    refs, issues = discover([str(path)])
    assert not refs and "column mapping" in issues[0].message and issues[0].kind == "source_error"


def test_iceberg_delete_files_fail_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pyiceberg writes copy-on-write only, so a merge-on-read snapshot is made by attaching a delete file to the
    # real scan tasks (the delete file's content does not matter: its presence must stop the scan).
    from pyiceberg.table import DataScan, FileScanTask

    source, _, _ = _iceberg_overwritten(tmp_path)
    real_plan = DataScan.plan_files

    def with_deletes(scan: DataScan) -> list[FileScanTask]:
        return [FileScanTask(task.file, delete_files={task.file}) for task in real_plan(scan)]

    monkeypatch.setattr(DataScan, "plan_files", with_deletes)
    refs, issues = discover([source])
    assert not refs and "delete files" in issues[0].message


def test_a_broken_table_is_an_issue_and_the_rest_is_scanned(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    write_deltalake(str(lake / "broken"), pa.table({"email": ["secret.person@olddomain.co.jp"]}))
    write_deltalake(str(lake / "broken"), pa.table({"email": ["other.person@olddomain.co.jp"]}), mode="append")
    commit = lake / "broken" / "_delta_log" / f"{1:020d}.json"
    commit.write_text(commit.read_text()[:-60] + "\n")  # a truncated commit, as a crashed writer leaves it
    (lake / "people.csv").write_text("email\nuser@newdomain.example.com\n", encoding="utf-8")
    report = _scan(str(lake), tmp_path)
    assert [d.dataset for d in report.datasets] == ["people.csv"]
    (issue,) = report.errors
    assert issue.path.endswith("broken") and issue.kind == "source_error" and "delta table" in issue.message
    assert "olddomain" not in issue.message and "@" not in issue.message


def test_safe_problem_drops_quoted_log_content() -> None:
    from pipeline.tables import _safe_problem

    error = ValueError('bad record {"add": {"stats": "{\\"minValues\\": {\\"email\\": \\"a@b.jp\\"}}"}} at line 3')
    assert _safe_problem(error) == "bad record …"
    assert _safe_problem(OSError("Kernel error: Json error: Truncated record")) == "Kernel error: Json error: Truncated record"
    long = ValueError("'" + "x" * 100_000)  # an unclosed quote: still linear, still capped
    assert len(_safe_problem(long)) <= 200


def test_a_personal_table_location_is_withheld_like_any_path(tmp_path: Path) -> None:
    owner = "taro.yamada@newdomain.example.com"
    table = _delta_with_deleted_file(tmp_path / owner / "customers")
    report = _scan(str(table), tmp_path)
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    assert report.to_dict()["datasets"][0]["table"]["version"] == 2
    assert owner not in text
