"""The findings catalog: an embedded DuckDB file (default ``.piiscan/catalog.duckdb``) that a scheduler and a
notebook can query.

One row per scan (``scans``), per dataset (``datasets``), per column (``dataset_columns``), per entity found
(``findings``), per file read with its fingerprint (``files``: path, size, mtime or ETag, config hash), and per
problem (``scan_errors``). Every value stored is what the report holds: counts, scores, masked examples.

Crash safety: a scan is first recorded as ``running`` (its own short transaction), and all its rows are
written later in one transaction that also marks it ``complete``. A process killed in between leaves a
``running`` row and nothing else; earlier scans are untouched, and readers only ever use complete scans.
The database file is opened only for these short writes, so a notebook can read it while a scan runs.

Incremental scans reuse a dataset's stored result when the latest complete scan that saw it had the same
files (path, size, mtime/ETag) and the same config hash; reuse is per dataset because quasi-identifier
analysis and the merged column profile are per dataset (and the raw sketches behind them are never stored).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.errors import CatalogError
from pipeline.models import (
    ColumnResult,
    DatasetResult,
    EntityFinding,
    QuasiIdentifierSet,
    ScanIssue,
    TableSnapshot,
)
from pipeline.report import TOOL_VERSION, ScanReport
from pipeline.settings import ScanSettings
from pipeline.sources import DatasetRef

DEFAULT_CATALOG = Path(".piiscan") / "catalog.duckdb"
CATALOG_ENV = "PIISCAN_CATALOG"
SCHEMA_VERSION = 1
# Another process (a notebook, an overlapping scan) may hold DuckDB's file lock for a moment.
_LOCK_WAIT_SECONDS = 15.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS scans (
    scan_id VARCHAR PRIMARY KEY,
    started_at VARCHAR NOT NULL,
    finished_at VARCHAR,
    started_ns BIGINT NOT NULL,         -- orders scans begun within the same second
    finished_ns BIGINT,
    status VARCHAR NOT NULL,            -- running | complete | failed
    config_hash VARCHAR NOT NULL,
    policy_sha256 VARCHAR,
    sources VARCHAR NOT NULL,           -- JSON list of the SOURCE arguments
    incremental BOOLEAN NOT NULL,
    tool_version VARCHAR NOT NULL,
    datasets INTEGER,
    datasets_reused INTEGER,
    files_read INTEGER,
    message VARCHAR
);
CREATE TABLE IF NOT EXISTS datasets (
    scan_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    dataset VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    rows_total BIGINT,
    rows_scanned BIGINT,
    has_errors BOOLEAN NOT NULL,
    fingerprint VARCHAR,                -- sha256 of the files' (path, size, mtime/ETag); NULL for DataFrames
    reused_from VARCHAR,                -- the scan whose result was carried forward, or NULL when rescanned
    result_json VARCHAR NOT NULL        -- the whole DatasetResult (masked), for carrying forward
);
CREATE TABLE IF NOT EXISTS dataset_columns (
    scan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    column_name VARCHAR NOT NULL,
    categories VARCHAR[] NOT NULL,
    quasi_identifier BOOLEAN NOT NULL,
    data_type VARCHAR,
    non_null BIGINT,
    explanation VARCHAR
);
CREATE TABLE IF NOT EXISTS findings (
    scan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    score DOUBLE,
    ratio DOUBLE,
    evidence VARCHAR[],
    examples VARCHAR[]                  -- masked examples only
);
CREATE TABLE IF NOT EXISTS files (
    scan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    size BIGINT,
    mtime VARCHAR,                      -- modification time or ETag, as the filesystem reports it
    config_hash VARCHAR NOT NULL,
    read BOOLEAN NOT NULL               -- false when the dataset's result was carried forward
);
CREATE TABLE IF NOT EXISTS scan_errors (
    scan_id VARCHAR NOT NULL,
    dataset VARCHAR,
    path VARCHAR,
    kind VARCHAR,
    message VARCHAR
);
"""


@dataclass(frozen=True)
class ScanRecord:
    scan_id: str
    started_at: str
    finished_at: str | None
    status: str
    datasets: int | None
    datasets_reused: int | None
    files_read: int | None
    sources: tuple[str, ...]
    columns_with_categories: int


@dataclass(frozen=True)
class ColumnChange:
    dataset: str
    column: str
    change: str  # appeared | changed | disappeared
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def adds_categories(self) -> bool:
        return bool(set(self.after) - set(self.before))


@dataclass(frozen=True)
class DatasetEntry:
    """What ``record_scan`` stores for one dataset of the report."""

    result: DatasetResult
    fingerprint: str | None
    files: tuple[tuple[str, int, str], ...]  # (path, size, mtime/ETag)
    reused_from: str | None


def default_catalog_path() -> Path:
    import os

    return Path(os.environ.get(CATALOG_ENV) or DEFAULT_CATALOG)


def config_hash(settings: ScanSettings, policy_sha256: str, user_recognizers: str | None) -> str:
    """sha256 of everything that can change a verdict: scan settings, policy, users' recognizers, tool version."""
    recognizers_digest = None
    if user_recognizers:
        try:
            recognizers_digest = hashlib.sha256(Path(user_recognizers).read_bytes()).hexdigest()
        except OSError as exc:
            raise CatalogError(f"cannot read {user_recognizers} to fingerprint the config: {exc.strerror or exc}") from None
    payload = {
        "settings": settings.model_dump(mode="json"),
        "policy_sha256": policy_sha256,
        "user_recognizers_sha256": recognizers_digest,
        "tool_version": TOOL_VERSION,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def file_fingerprints(ref: DatasetRef) -> tuple[tuple[str, int, str], ...]:
    return tuple(sorted((f.url, f.size, f.mtime) for f in ref.files))


def dataset_fingerprint(files: Sequence[tuple[str, int, str]], table: TableSnapshot | None = None) -> str:
    """What must be unchanged for ``--incremental`` to reuse a result: the files (path, size, mtime/ETag), or
    for a Delta Lake / Iceberg table its snapshot (its data files never change in place)."""
    if table is not None:
        identity = [table.format, table.location, table.version, table.snapshot_id]
        return hashlib.sha256(json.dumps(identity).encode("utf-8")).hexdigest()
    return hashlib.sha256(json.dumps(sorted(files)).encode("utf-8")).hexdigest()


def new_scan_id() -> str:
    """Sortable by time, unique across machines: ``20261125T030000Z-3f9a1c``."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


# ---------------------------------------------------------------- DatasetResult <-> JSON


def dataset_to_json(result: DatasetResult) -> str:
    return json.dumps(asdict(result), ensure_ascii=False, sort_keys=True)


def dataset_from_json(text: str) -> DatasetResult:
    data = json.loads(text)
    columns = tuple(
        ColumnResult(
            **{
                **column,
                "categories": tuple(column["categories"]),
                "entities": tuple(
                    EntityFinding(**{**e, "evidence": tuple(e["evidence"]), "examples": tuple(e["examples"])})
                    for e in column["entities"]
                ),
                "value_hits": tuple(
                    EntityFinding(**{**e, "evidence": tuple(e["evidence"]), "examples": tuple(e["examples"])})
                    for e in column.get("value_hits", ())
                ),
            }
        )
        for column in data["columns"]
    )
    return DatasetResult(
        **{
            **data,
            "columns": columns,
            "quasi_identifier_sets": tuple(
                QuasiIdentifierSet(**{**q, "columns": tuple(q["columns"])}) for q in data["quasi_identifier_sets"]
            ),
            "errors": tuple(ScanIssue(**e) for e in data["errors"]),
            "files": tuple(data["files"]),
        }
    )


# ---------------------------------------------------------------- the catalog


def _check_schema_version(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    row = connection.execute("SELECT value FROM catalog_meta WHERE key = 'schema_version'").fetchone()
    if row is None or str(row[0]) != str(SCHEMA_VERSION):
        found = "none" if row is None else row[0]
        raise CatalogError(
            f"{path} has catalog schema version {found}, this piiscan writes version {SCHEMA_VERSION}; "
            "pass another --catalog (or move the old file away)"
        )


class Catalog:
    """A DuckDB findings catalog at ``path``; each method opens the file, does one thing, and closes it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if read_only and not self.path.exists():
            raise CatalogError(f"no findings catalog at {self.path}; run `piiscan scan` first or pass --catalog")
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CatalogError(f"cannot create the catalog directory {self.path.parent}: {exc.strerror or exc}") from None
        deadline = time.monotonic() + _LOCK_WAIT_SECONDS
        while True:
            try:
                connection = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower() and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise CatalogError(
                    f"cannot open the findings catalog {self.path}: {str(exc).splitlines()[0][:200]}. "
                    "If another process holds it open, close that process or pass another --catalog."
                ) from None
            except duckdb.Error as exc:
                raise CatalogError(f"{self.path} is not a usable DuckDB catalog: {str(exc).splitlines()[0][:200]}") from None
        try:
            if not read_only:
                connection.execute(_SCHEMA)
                connection.execute(
                    "INSERT INTO catalog_meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING", [str(SCHEMA_VERSION)]
                )
            _check_schema_version(connection, self.path)
            yield connection
        except duckdb.Error as exc:
            raise CatalogError(f"findings catalog {self.path}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
        finally:
            connection.close()

    # ---- writing

    def begin_scan(
        self, scan_id: str, *, started_at: str, sources: Sequence[str], config: str, policy_sha256: str, incremental: bool
    ) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT INTO scans (scan_id, started_at, started_ns, status, config_hash, policy_sha256, sources, incremental,"
                " tool_version) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)",
                [scan_id, started_at, time.time_ns(), config, policy_sha256, json.dumps(list(sources), ensure_ascii=False), incremental, TOOL_VERSION],
            )

    def fail_scan(self, scan_id: str, message: str) -> None:
        with self._connect() as con:
            con.execute(
                "UPDATE scans SET status = 'failed', message = ? WHERE scan_id = ? AND status = 'running'", [message[:500], scan_id]
            )

    def record_scan(self, scan_id: str, report: ScanReport, entries: Sequence[DatasetEntry], config: str) -> None:
        """All rows of one scan in one transaction, ending with the scan marked complete."""
        dataset_rows: list[list[Any]] = []
        column_rows: list[list[Any]] = []
        finding_rows: list[list[Any]] = []
        file_rows: list[list[Any]] = []
        error_rows: list[list[Any]] = [[scan_id, None, e.path, e.kind, e.message] for e in report.errors]
        for position, entry in enumerate(entries):
            result = entry.result
            dataset_rows.append(
                [
                    scan_id, position, result.dataset, result.format, result.rows_total, result.rows_scanned,
                    bool(result.errors), entry.fingerprint, entry.reused_from, dataset_to_json(result),
                ]
            )
            for index, column in enumerate(result.columns):
                column_rows.append(
                    [
                        scan_id, result.dataset, index, column.name, list(column.categories), column.quasi_identifier,
                        column.data_type, column.non_null, column.explanation,
                    ]
                )
                for entity in column.entities:
                    finding_rows.append(
                        [
                            scan_id, result.dataset, column.name, entity.type, entity.score, entity.ratio,
                            list(entity.evidence), list(entity.examples),
                        ]
                    )
            for path, size, stamp in entry.files:
                file_rows.append([scan_id, result.dataset, path, size, stamp, config, entry.reused_from is None])
            error_rows.extend([scan_id, result.dataset, e.path, e.kind, e.message] for e in result.errors)
        reused = sum(1 for e in entries if e.reused_from is not None)
        files_read = sum(len(e.files) for e in entries if e.reused_from is None)
        with self._connect() as con:
            con.begin()
            try:
                for table, rows, width in (
                    ("datasets", dataset_rows, 10),
                    ("dataset_columns", column_rows, 9),
                    ("findings", finding_rows, 8),
                    ("files", file_rows, 7),
                    ("scan_errors", error_rows, 5),
                ):
                    if rows:
                        con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)
                updated = con.execute(
                    "UPDATE scans SET status = 'complete', finished_at = ?, finished_ns = ?, datasets = ?, datasets_reused = ?, files_read = ?"
                    " WHERE scan_id = ? AND status = 'running' RETURNING scan_id",
                    [report.finished_at, time.time_ns(), len(entries), reused, files_read, scan_id],
                ).fetchall()
                if not updated:
                    raise CatalogError(f"scan {scan_id} is not a running scan in {self.path}; nothing was recorded")
                con.commit()
            except BaseException:
                con.rollback()
                raise

    # ---- reading

    def reusable_results(
        self, wanted: Sequence[tuple[str, str]], config: str
    ) -> dict[tuple[str, str], tuple[str, DatasetResult]]:
        """``reusable_result`` for many (dataset, fingerprint) pairs with one connection."""
        if not wanted or not self.path.exists():
            return {}
        out: dict[tuple[str, str], tuple[str, DatasetResult]] = {}
        with self._connect(read_only=True) as con:
            rows = con.execute(
                "SELECT d.dataset, d.fingerprint, d.scan_id, d.result_json FROM datasets d JOIN scans s USING (scan_id)"
                " WHERE s.status = 'complete' AND s.config_hash = ? AND NOT d.has_errors"
                " AND list_contains(?, d.fingerprint)"
                " QUALIFY row_number() OVER (PARTITION BY d.dataset, d.fingerprint ORDER BY s.finished_ns DESC) = 1",
                [config, sorted({fingerprint for _, fingerprint in wanted})],
            ).fetchall()
        keys = set(wanted)
        for dataset, fingerprint, scan_id, result_json in rows:
            if (dataset, fingerprint) in keys:
                out[(dataset, fingerprint)] = (str(scan_id), dataset_from_json(str(result_json)))
        return out

    def history(self, limit: int | None = None) -> list[ScanRecord]:
        with self._connect(read_only=True) as con:
            rows = con.execute(
                "SELECT s.scan_id, s.started_at, s.finished_at, s.status, s.datasets, s.datasets_reused, s.files_read,"
                " s.sources, (SELECT count(*) FROM dataset_columns c WHERE c.scan_id = s.scan_id AND len(c.categories) > 0)"
                " FROM scans s ORDER BY s.started_ns DESC" + (f" LIMIT {int(limit)}" if limit else "")
            ).fetchall()
        return [
            ScanRecord(
                scan_id=r[0], started_at=r[1], finished_at=r[2], status=r[3], datasets=r[4], datasets_reused=r[5],
                files_read=r[6], sources=tuple(json.loads(r[7])), columns_with_categories=int(r[8]),
            )
            for r in rows
        ]

    def resolve(self, selector: str) -> str:
        """A complete scan's id from its id, a unique prefix, or ``latest``/``previous``."""
        complete = [r.scan_id for r in self.history() if r.status == "complete"]
        if selector in ("latest", "previous"):
            index = 0 if selector == "latest" else 1
            if len(complete) <= index:
                raise CatalogError(f"the catalog {self.path} holds {len(complete)} complete scan(s); no {selector!r} scan")
            return complete[index]
        matches = [s for s in complete if s.startswith(selector)]
        if len(matches) != 1:
            problem = "no complete scan" if not matches else f"{len(matches)} scans"
            raise CatalogError(f"{problem} in {self.path} matches {selector!r}; `piiscan history` lists the scan ids")
        return matches[0]

    def column_categories(self, scan_id: str) -> dict[tuple[str, str], tuple[str, ...]]:
        with self._connect(read_only=True) as con:
            rows = con.execute(
                "SELECT dataset, column_name, categories FROM dataset_columns WHERE scan_id = ? ORDER BY dataset, position",
                [scan_id],
            ).fetchall()
        return {(str(d), str(c)): tuple(sorted(cats)) for d, c, cats in rows}

    def diff(self, before: str, after: str) -> list[ColumnChange]:
        """Columns whose categories appeared, changed or disappeared between two complete scans."""
        old = self.column_categories(before)
        new = self.column_categories(after)
        changes: list[ColumnChange] = []
        for key in sorted(set(old) | set(new)):
            was, now = old.get(key, ()), new.get(key, ())
            if was == now:
                continue
            kind = "appeared" if not was else "disappeared" if not now else "changed"
            changes.append(ColumnChange(dataset=key[0], column=key[1], change=kind, before=was, after=now))
        return changes
