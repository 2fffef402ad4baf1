"""The findings catalog: an embedded DuckDB file (default ``.piiscan/catalog.duckdb``) that a scheduler and a
notebook can query, or a shared PostgreSQL database (``--catalog postgresql://…``) with the same tables.
Both carry a ``schema_version`` table; ``_MIGRATIONS`` bring any older catalog up to date in order.

One row per scan (``scans``), per dataset (``datasets``), per column (``dataset_columns``), per entity found
(``findings``), per file read with its fingerprint (``files``: path, size, mtime or ETag, config hash), and per
problem (``scan_errors``). Every value stored is what the report holds: counts, scores, masked examples.

Crash safety: a scan is first recorded as ``running`` (its own short transaction), and all its rows are
written later in one transaction that also marks it ``complete``. A process killed in between leaves a
``running`` row and nothing else; earlier scans are untouched, and readers only ever use complete scans.
The database file is opened only for these short writes, so a notebook can read it while a scan runs.
A running row records its owner (host, pid, process start time) and a heartbeat; the next scan to start marks
running rows whose process is gone (same host) or whose heartbeat lease ran out (another host) as ``failed``.

Incremental scans reuse a dataset's stored result when the latest complete scan that saw it had the same
files (path, size, mtime/ETag) and the same config hash; reuse is per dataset because quasi-identifier
analysis and the merged column profile are per dataset (and the raw sketches behind them are never stored).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import duckdb
import psutil

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
# How long a write waits for the catalog (a notebook holding the DuckDB file, a PostgreSQL server restarting)
# before the scan gives up on recording and only writes its report. Env PIISCAN_CATALOG_WAIT (seconds).
CATALOG_WAIT_ENV = "PIISCAN_CATALOG_WAIT"
_LOCK_WAIT_SECONDS = 15.0
# A running scan refreshes its heartbeat this often; a running row on another host whose heartbeat is older
# than the lease belongs to a scan that died (its host cannot be asked whether the process is alive).
HEARTBEAT_SECONDS = 60.0
LEASE_SECONDS = 600.0
# Serialises migrations between processes sharing one PostgreSQL catalog (any constant; "piiscan" in ASCII).
_PG_MIGRATION_LOCK = 0x70696973_63616E

# Ordered migrations: (version, what it does, SQL). {double} is the dialect's 8-byte float type.
_MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "scans, datasets, columns, findings, files, errors",
        """
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
    score {double},
    ratio {double},
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
)
""",
    ),
    (
        2,
        "who runs a scan (host, pid, process start) and its heartbeat, to fail scans whose process died",
        """
ALTER TABLE scans ADD COLUMN IF NOT EXISTS owner_host VARCHAR;
ALTER TABLE scans ADD COLUMN IF NOT EXISTS owner_pid BIGINT;
ALTER TABLE scans ADD COLUMN IF NOT EXISTS owner_start VARCHAR;
ALTER TABLE scans ADD COLUMN IF NOT EXISTS heartbeat_ns BIGINT
""",
    ),
)
SCHEMA_VERSION = _MIGRATIONS[-1][0]


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
    return Path(os.environ.get(CATALOG_ENV) or DEFAULT_CATALOG)


def catalog_target(value: str | Path | None) -> str | Path:
    """A ``--catalog`` value as a PostgreSQL URL (kept a string) or a DuckDB path; None is the default."""
    if value is None:
        env = os.environ.get(CATALOG_ENV)
        if env and is_postgres_url(env):
            return env
        return default_catalog_path()
    return str(value) if is_postgres_url(str(value)) else Path(value)


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


# ---------------------------------------------------------------- who owns a running scan


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def owner_host() -> str:
    """This machine and process namespace: a pid is only meaningful where this string is the same."""
    return "|".join((socket.gethostname(), _boot_id(), _pid_namespace()))


def process_start(pid: int) -> str | None:
    """When process ``pid`` started (tells a reused pid apart), or None when no such process exists."""
    try:
        return f"{psutil.Process(pid).create_time():.2f}"
    except psutil.NoSuchProcess:
        return None
    except psutil.Error:  # exists but not ours to inspect: alive
        return "?"


def _owner_gone(host: str | None, pid: int | None, start: str | None, beat_ns: int | None, started_ns: int, now_ns: int) -> bool:
    if host is not None and pid is not None and host == owner_host():
        now_start = process_start(int(pid))
        return now_start is None or (now_start != "?" and now_start != start)
    # Another machine (or a scan recorded before owners were): the heartbeat lease decides.
    last = max(beat_ns or 0, started_ns)
    return now_ns - last > LEASE_SECONDS * 1e9


# ---------------------------------------------------------------- the catalog


def _catalog_wait() -> float:
    raw = os.environ.get(CATALOG_WAIT_ENV)
    if raw is None or not raw.strip():
        return _LOCK_WAIT_SECONDS
    try:
        wait = float(raw)
    except ValueError:
        raise CatalogError(f"{CATALOG_WAIT_ENV}={raw!r} is not a number of seconds") from None
    if not 0 <= wait <= 3600:
        raise CatalogError(f"{CATALOG_WAIT_ENV}={raw!r}: give between 0 and 3600 seconds")
    return wait


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redacted_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class _Connection:
    """One DB-API-ish connection with ``?`` parameters on both backends (psycopg wants ``%s``)."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        return self.raw.execute(self._sql(sql), params) if params is not None else self.raw.execute(self._sql(sql))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self.dialect == "postgresql":
            with self.raw.cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)
        else:
            self.raw.executemany(sql, rows)

    def begin(self) -> None:
        self.raw.execute("BEGIN")

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK")


def _version_found(con: _Connection) -> int | None:
    """The catalog's schema version: the schema_version table, or catalog_meta for version-1 catalogs."""
    tables = {
        str(r[0])
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_name IN ('schema_version', 'catalog_meta')"
        ).fetchall()
    }
    if "schema_version" in tables:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
        if row is not None and row[0] is not None:
            return int(row[0])
    if "catalog_meta" in tables:
        row = con.execute("SELECT value FROM catalog_meta WHERE key = 'schema_version'").fetchone()
        if row is not None and str(row[0]).isdigit():
            return int(row[0])
    return None


class Catalog:
    """A findings catalog: a DuckDB file (a path) or a PostgreSQL database (a ``postgresql://`` URL).

    Both hold the same tables, migrated in order and versioned in ``schema_version``. Each method opens a
    connection, does one thing, and closes it, so a notebook can read the DuckDB file between writes.
    """

    def __init__(self, target: str | Path) -> None:
        self.url: str | None = str(target) if is_postgres_url(target) else None
        self.path = Path(target) if self.url is None else Path()
        self.dialect = "duckdb" if self.url is None else "postgresql"
        self.where = str(self.path) if self.url is None else redacted_url(self.url)
        self._migrated = False

    def exists(self) -> bool:
        return self.url is not None or self.path.exists()

    # ---- connecting

    def _open_duckdb(self, read_only: bool, wait: float) -> Any:
        if read_only and not self.path.exists():
            raise CatalogError(f"no findings catalog at {self.path}; run `piiscan scan` first or pass --catalog")
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CatalogError(f"cannot create the catalog directory {self.path.parent}: {exc.strerror or exc}") from None
        deadline = time.monotonic() + wait
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
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

    def _open_postgres(self, wait: float) -> Any:
        import psycopg

        assert self.url is not None
        deadline = time.monotonic() + wait
        while True:
            try:
                return psycopg.connect(self.url, autocommit=True, connect_timeout=max(2, int(wait) or 2))
            except psycopg.OperationalError as exc:
                if time.monotonic() < deadline:
                    time.sleep(0.5)
                    continue
                first = (str(exc).strip().splitlines() or [""])[-1][:200]
                raise CatalogError(f"cannot connect to the findings catalog {self.where}: {first}") from None

    def _migrate(self, con: _Connection) -> None:
        """Apply the migrations this catalog lacks, in order, in one transaction."""
        double = "DOUBLE PRECISION" if self.dialect == "postgresql" else "DOUBLE"
        con.begin()
        try:
            if self.dialect == "postgresql":
                con.execute("SELECT pg_advisory_xact_lock(?)", [_PG_MIGRATION_LOCK])
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at VARCHAR NOT NULL,"
                " description VARCHAR NOT NULL)"
            )
            current = _version_found(con) or 0
            if current > SCHEMA_VERSION:
                raise CatalogError(
                    f"{self.where} has catalog schema version {current}, this piiscan knows up to {SCHEMA_VERSION}; "
                    "upgrade piiscan or pass another --catalog"
                )
            for version, description, sql in _MIGRATIONS:
                if version <= current:
                    continue
                for statement in sql.format(double=double).split(";\n"):  # ";" ends a line only between statements
                    if statement.strip():
                        con.execute(statement)
                con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [version, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), description],
                )
            # Older piiscan versions read catalog_meta: they refuse a catalog newer than they know.
            con.execute(
                "INSERT INTO catalog_meta VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [str(SCHEMA_VERSION)],
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise

    @contextmanager
    def _connect(self, *, read_only: bool = False, wait: float | None = None) -> Iterator[_Connection]:
        wait = _catalog_wait() if wait is None else wait
        raw = self._open_duckdb(read_only, wait) if self.url is None else self._open_postgres(wait)
        con = _Connection(raw, self.dialect)
        errors: tuple[type[BaseException], ...] = (duckdb.Error,)
        if self.url is not None:
            import psycopg

            errors = (duckdb.Error, psycopg.Error)
        try:
            if read_only:
                found = _version_found(con)
                if found is None:
                    raise CatalogError(f"no findings catalog in {self.where}; run `piiscan scan` first or pass --catalog")
                if found > SCHEMA_VERSION:
                    raise CatalogError(
                        f"{self.where} has catalog schema version {found}, this piiscan knows up to {SCHEMA_VERSION}; "
                        "upgrade piiscan or pass another --catalog"
                    )
            elif not self._migrated:
                self._migrate(con)
                self._migrated = True
            yield con
        except errors as exc:
            raise CatalogError(f"findings catalog {self.where}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
        finally:
            raw.close()

    # ---- writing

    def begin_scan(
        self, scan_id: str, *, started_at: str, sources: Sequence[str], config: str, policy_sha256: str, incremental: bool
    ) -> None:
        """Record the scan as running (owned by this process), after failing running scans whose process died."""
        now = time.time_ns()
        with self._connect() as con:
            for row in con.execute(
                "SELECT scan_id, owner_host, owner_pid, owner_start, heartbeat_ns, started_ns FROM scans WHERE status = 'running'"
            ).fetchall():
                if _owner_gone(row[1], row[2], row[3], row[4], int(row[5]), now):
                    con.execute(
                        "UPDATE scans SET status = 'failed', finished_at = ?, finished_ns = ?, message = ?"
                        " WHERE scan_id = ? AND status = 'running'",
                        [
                            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), now,
                            "the scan's process ended without finishing (killed, or its machine stopped)", row[0],
                        ],
                    )
            con.execute(
                "INSERT INTO scans (scan_id, started_at, started_ns, status, config_hash, policy_sha256, sources, incremental,"
                " tool_version, owner_host, owner_pid, owner_start, heartbeat_ns) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    scan_id, started_at, now, config, policy_sha256, json.dumps(list(sources), ensure_ascii=False), incremental,
                    TOOL_VERSION, owner_host(), os.getpid(), process_start(os.getpid()), now,
                ],
            )

    def heartbeat(self, scan_id: str) -> None:
        """Mark the running scan as alive now; a catalog busy this moment is skipped (the lease is long)."""
        with self._connect(wait=0.0) as con:
            con.execute("UPDATE scans SET heartbeat_ns = ? WHERE scan_id = ? AND status = 'running'", [time.time_ns(), scan_id])

    @contextmanager
    def heartbeats(self, scan_id: str, every: float = HEARTBEAT_SECONDS) -> Iterator[None]:
        """Refresh the scan's heartbeat from a background thread while the block runs."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(every):
                try:
                    self.heartbeat(scan_id)
                except CatalogError:
                    continue

        thread = threading.Thread(target=beat, name=f"piiscan-heartbeat-{scan_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)

    def fail_scan(self, scan_id: str, message: str) -> None:
        with self._connect() as con:
            con.execute(
                "UPDATE scans SET status = 'failed', finished_at = ?, finished_ns = ?, message = ? WHERE scan_id = ? AND status = 'running'",
                [datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), time.time_ns(), message[:500], scan_id],
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
                    raise CatalogError(f"scan {scan_id} is not a running scan in {self.where}; nothing was recorded")
                con.commit()
            except BaseException:
                con.rollback()
                raise

    # ---- reading

    def reusable_results(
        self, wanted: Sequence[tuple[str, str]], config: str
    ) -> dict[tuple[str, str], tuple[str, DatasetResult]]:
        """``reusable_result`` for many (dataset, fingerprint) pairs with one connection."""
        if not wanted or not self.exists():
            return {}
        out: dict[tuple[str, str], tuple[str, DatasetResult]] = {}
        fingerprints = sorted({fingerprint for _, fingerprint in wanted})
        # A PostgreSQL catalog may be a new, empty database: connecting to write migrates it (the scan writes next).
        with self._connect(read_only=self.url is None) as con:
            rows = con.execute(
                "SELECT dataset, fingerprint, scan_id, result_json FROM ("
                " SELECT d.dataset, d.fingerprint, d.scan_id, d.result_json,"
                "  row_number() OVER (PARTITION BY d.dataset, d.fingerprint ORDER BY s.finished_ns DESC) AS newest"
                " FROM datasets d JOIN scans s USING (scan_id)"
                f" WHERE s.status = 'complete' AND s.config_hash = ? AND NOT d.has_errors AND d.fingerprint IN ({', '.join('?' * len(fingerprints))})"
                ") ranked WHERE newest = 1",
                [config, *fingerprints],
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
                " s.sources, (SELECT count(*) FROM dataset_columns c WHERE c.scan_id = s.scan_id AND COALESCE(array_length(c.categories, 1), 0) > 0)"
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
                raise CatalogError(f"the catalog {self.where} holds {len(complete)} complete scan(s); no {selector!r} scan")
            return complete[index]
        matches = [s for s in complete if s.startswith(selector)]
        if len(matches) != 1:
            problem = "no complete scan" if not matches else f"{len(matches)} scans"
            raise CatalogError(f"{problem} in {self.where} matches {selector!r}; `piiscan history` lists the scan ids")
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
