"""Delta Lake and Apache Iceberg tables as datasets: the data files of one snapshot, never the folder.

A table's folder also holds files that were deleted or rewritten by later commits (until a vacuum or an
expire-snapshots removes them); scanning the folder would report rows that no longer exist. Here the
table's own log decides which files make up the snapshot (``deltalake`` for Delta, ``pyiceberg`` for
Iceberg); those files are then read by the ordinary Parquet reader, one Dask task per file, with the
partition values the log holds (and the files may not) handed over as constant columns.

A table is recognised as a SOURCE or as a folder under one:

- a folder holding ``_delta_log/`` is a Delta table;
- a folder holding ``metadata/*.metadata.json`` is an Iceberg table (its newest metadata file);
- a path ending in ``.metadata.json`` is that Iceberg metadata version;
- ``iceberg+sqlite:///path/catalog.db#namespace.table`` is a table of a pyiceberg SQL catalog on SQLite
  (``?catalog=NAME`` picks the catalog name when the file holds the same table under several).

Rows a snapshot deletes without rewriting the file (Delta deletion vectors, Iceberg delete files) would be
read back by a plain file reader, so such a snapshot is not scanned: it is a ``source_error`` and the gate
fails closed.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.errors import TableError
from pipeline.models import ScanIssue, TableFormat, TableSnapshot, printable

ICEBERG_SQLITE_SCHEME = "iceberg+sqlite://"
DELTA_LOG = "_delta_log"
ICEBERG_METADATA = "metadata"
_METADATA_SUFFIX = ".metadata.json"
# 00003-<uuid>.metadata.json (catalog-managed tables) or v3.metadata.json (Hadoop-style tables).
_METADATA_VERSION = re.compile(r"^(?:v(\d+)|(\d+)-[^/]*)\.metadata\.json$")
_SOURCE_ERROR = "source_error"

AsOf = int | datetime


@dataclass(frozen=True)
class TableFile:
    """One Parquet data file of a table snapshot; discovery (pipeline/sources.py) makes it a DataFile."""

    url: str
    size: int
    mtime: str
    # Columns whose value is constant in this file and lives outside it (the table's partition values).
    partition: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class OpenedTable:
    """The data files of one table snapshot (sorted by URL) and the snapshot they belong to."""

    files: tuple[TableFile, ...]
    snapshot: TableSnapshot


def parse_as_of(text: str | None) -> AsOf | None:
    """``--as-of``: a whole number is a version (Delta version; Iceberg snapshot id or sequence number),
    anything else an ISO 8601 time (UTC unless it says otherwise): the snapshot current at that time."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    if value.lstrip("-").isdigit():  # Iceberg snapshot ids are signed 64-bit numbers
        return int(value)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise TableError(
            f"--as-of {value!r}: expected a version number or an ISO 8601 time such as 2026-11-30T09:00:00Z"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def table_kind(path: str) -> TableFormat | None:
    """``delta`` or ``iceberg`` when the local folder (or metadata file) ``path`` is a table, else None."""
    if path.startswith(ICEBERG_SQLITE_SCHEME):
        return "iceberg"
    if path.endswith(_METADATA_SUFFIX) and os.path.isfile(path):
        return "iceberg"
    if not os.path.isdir(path):
        return None
    if os.path.isdir(os.path.join(path, DELTA_LOG)):
        return "delta"
    metadata = os.path.join(path, ICEBERG_METADATA)
    if os.path.isdir(metadata) and any(name.endswith(_METADATA_SUFFIX) for name in os.listdir(metadata)):
        return "iceberg"
    return None


def open_table(location: str, as_of: AsOf | None) -> OpenedTable | ScanIssue:
    """The files of table ``location`` at its current snapshot (or the one ``as_of`` names), or an issue
    naming the table and the problem."""
    kind = table_kind(location)
    try:
        if kind == "delta":
            return _delta_files(location, as_of)
        if kind == "iceberg":
            return _iceberg_files(location, as_of)
    except TableError as exc:
        return ScanIssue(path=printable(location), message=exc.message, kind=_SOURCE_ERROR)
    except Exception as exc:  # the libraries raise their own types (DeltaError, NoSuchTableError, OSError)
        return ScanIssue(
            path=printable(location), message=f"cannot read the {kind} table: {type(exc).__name__}: {_safe_problem(exc)}",
            kind=_SOURCE_ERROR,
        )
    return ScanIssue(path=printable(location), message="not a Delta Lake or Iceberg table", kind=_SOURCE_ERROR)


# A log line quoted in a library's message can hold column statistics (min/max values): keep only the text
# before anything quoted or structured.
_QUOTE_OR_OBJECT = re.compile(r"[{\[\"'`]")


def _safe_problem(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    kept = _QUOTE_OR_OBJECT.split(text, maxsplit=1)
    return (kept[0].rstrip() + (" …" if len(kept) > 1 else ""))[:200]


def _millis_to_iso(millis: int | None) -> str | None:
    if millis is None:
        return None
    return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- Delta Lake


def _delta_files(location: str, as_of: AsOf | None) -> OpenedTable:
    import pyarrow as pa
    from deltalake import DeltaTable

    table = DeltaTable(location) if not isinstance(as_of, int) else DeltaTable(location, version=as_of)
    if isinstance(as_of, datetime):
        table.load_as_version(as_of)
    version = table.version()
    mapping = table.metadata().configuration.get("delta.columnMapping.mode", "none")
    if mapping not in (None, "none"):
        # The files hold physical column names (col-<uuid>), not the table's: findings would name no real column.
        raise TableError(f"Delta table version {version} uses column mapping ({mapping}), which piiscan cannot read yet")
    actions = pa.table(table.get_add_actions(flatten=True))
    _refuse_deletion_vectors(table, location, actions, version)
    partition_columns = [c for c in actions.column_names if c.startswith("partition.")]
    files: list[TableFile] = []
    for row in actions.to_pylist():
        files.append(
            TableFile(
                url=_delta_file_url(location, str(row["path"])),
                size=int(row["size_bytes"]),
                mtime=str(row["modification_time"]),
                partition=tuple(
                    (column.removeprefix("partition."), None if row[column] is None else str(row[column]))
                    for column in partition_columns
                ),
            )
        )
    committed_ms = _delta_commit_millis(table, location, version)
    if isinstance(as_of, datetime) and committed_ms is not None and committed_ms > as_of.timestamp() * 1000:
        # deltalake falls back to version 0 for a time before the table existed.
        raise TableError(f"Delta table has no version at or before {as_of.isoformat()} (version 0 is later)")
    snapshot = TableSnapshot(
        format="delta", location=printable(location), version=version, committed_at=_millis_to_iso(committed_ms)
    )
    return OpenedTable(files=tuple(sorted(files, key=lambda f: f.url)), snapshot=snapshot)


def _refuse_deletion_vectors(table: Any, location: str, actions: Any, version: int) -> None:
    """Fail closed on deletion vectors: the rows they delete are still in the Parquet files.

    delta-rs lists no deletion-vector column when a table allows them but none is in use, so the log itself is
    read: any ``add`` up to this version that carries a deletion vector refuses the table (conservative: one
    purged since also refuses it, never the other way round)."""
    features = table.protocol().reader_features or []
    if "deletionVectors" not in features:
        return
    columns = [c for c in actions.column_names if c.lower().startswith("deletionvector")]
    if any(actions.column(c).null_count < actions.num_rows for c in columns) or _log_has_deletion_vectors(location, version):
        raise TableError(
            f"Delta table version {version} has deletion vectors (rows deleted inside files);"
            " piiscan does not apply them yet, so the table is not scanned. Rewrite the files (REORG ... APPLY (PURGE))"
        )


def _log_has_deletion_vectors(location: str, version: int) -> bool:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    log = os.path.join(location, DELTA_LOG)
    for entry in sorted(os.listdir(log)):
        number = entry.split(".", 1)[0]
        if not number.isdigit() or int(number) > version:
            continue
        path = os.path.join(log, entry)
        if entry.endswith(".json"):
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    if "deletionVector" in line and (json.loads(line).get("add") or {}).get("deletionVector"):
                        return True
        elif entry.endswith(".parquet") and ".checkpoint" in entry:
            adds = pq.read_table(path, columns=["add"]).column("add").combine_chunks()
            if "deletionVector" in {adds.type.field(i).name for i in range(adds.type.num_fields)}:
                present = pc.and_(adds.is_valid(), adds.field("deletionVector").is_valid())
                if pc.any(present).as_py():
                    return True
    return False


def _delta_file_url(location: str, path: str) -> str:
    if "://" in path:
        return path.removeprefix("file://")
    if path.startswith("/"):
        return path
    # Paths in the log are URL-encoded relative paths (a partition value "a b" is dt=a%20b).
    return os.path.join(os.path.abspath(location), unquote(path))


def _delta_commit_millis(table: Any, location: str, version: int) -> int | None:
    """When ``version`` was committed, as Delta time travel counts it: the in-commit timestamp when the table
    records one, else the commit file's modification time. (delta-rs's history() of a table loaded at an
    older version numbers its entries wrongly, so the log file is read.)"""
    del table
    commit = os.path.join(location, DELTA_LOG, f"{version:020d}.json")
    try:
        with open(commit, encoding="utf-8") as handle:
            for line in handle:
                if '"commitInfo"' in line:
                    stamp = (json.loads(line).get("commitInfo") or {}).get("inCommitTimestamp")
                    if isinstance(stamp, int):
                        return stamp
                    break
        return int(os.path.getmtime(commit) * 1000)
    except (OSError, ValueError):
        return None  # the commit file was cleaned up after a checkpoint: the time is not known


# ---------------------------------------------------------------- Iceberg


def _latest_metadata(folder: str) -> str:
    """The newest ``metadata/*.metadata.json`` of a table folder, by the version its name carries."""
    metadata = os.path.join(folder, ICEBERG_METADATA)
    hint = os.path.join(metadata, "version-hint.text")
    if os.path.isfile(hint):
        with open(hint, encoding="utf-8") as handle:
            hinted_version = handle.read().strip()
        hinted = os.path.join(metadata, f"v{hinted_version}{_METADATA_SUFFIX}")
        if os.path.isfile(hinted):
            return hinted
    ranked: list[tuple[int, float, str]] = []
    for entry in os.listdir(metadata):
        if not entry.endswith(_METADATA_SUFFIX):
            continue
        match = _METADATA_VERSION.match(entry)
        number = int(match.group(1) or match.group(2)) if match else -1
        ranked.append((number, os.path.getmtime(os.path.join(metadata, entry)), entry))
    if not ranked:
        raise TableError(f"no *{_METADATA_SUFFIX} under {metadata}")
    return os.path.join(metadata, max(ranked)[2])


def _sqlite_table(source: str) -> Any:
    from pyiceberg.catalog.sql import SqlCatalog

    parts = urlsplit(source)
    identifier = unquote(parts.fragment)
    if "." not in identifier:
        raise TableError(f"{source}: name the table after '#', as namespace.table")
    path = unquote(parts.path)
    if not os.path.isfile(path):
        raise TableError(f"{source}: catalog file {path} does not exist")
    namespace, table_name = identifier.rsplit(".", 1)
    wanted = parse_qs(parts.query).get("catalog", [None])[0]
    if wanted is None:
        # pyiceberg keys every table by catalog name too; find the one holding this table.
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            names = [
                str(row[0])
                for row in connection.execute(
                    "SELECT DISTINCT catalog_name FROM iceberg_tables WHERE table_namespace = ? AND table_name = ?",
                    (namespace, table_name),
                )
            ]
        if len(names) != 1:
            found = "no catalog holds it" if not names else f"catalogs {', '.join(names)} hold it; add ?catalog=NAME"
            raise TableError(f"{source}: table {identifier}: {found}")
        wanted = names[0]
    return SqlCatalog(wanted, uri=f"sqlite:///{path}").load_table(identifier)


def _iceberg_table(location: str) -> Any:
    from pyiceberg.table import StaticTable

    if location.startswith(ICEBERG_SQLITE_SCHEME):
        return _sqlite_table(location)
    metadata = location if location.endswith(_METADATA_SUFFIX) else _latest_metadata(location)
    return StaticTable.from_metadata(os.path.abspath(metadata))


def _iceberg_snapshot(table: Any, as_of: AsOf | None) -> Any:
    if as_of is None:
        return table.current_snapshot()
    if isinstance(as_of, datetime):
        snapshot = table.snapshot_as_of_timestamp(int(as_of.timestamp() * 1000))
        if snapshot is None:
            raise TableError(f"Iceberg table has no snapshot at or before {as_of.isoformat()}")
        return snapshot
    by_id = table.snapshot_by_id(as_of)
    if by_id is not None:
        return by_id
    for snapshot in table.metadata.snapshots:
        if snapshot.sequence_number == as_of:
            return snapshot
    raise TableError(f"Iceberg table has no snapshot with id or sequence number {as_of}")


def _iceberg_files(location: str, as_of: AsOf | None) -> OpenedTable:
    table = _iceberg_table(location)
    snapshot = _iceberg_snapshot(table, as_of)
    files: list[TableFile] = []
    if snapshot is not None:
        specs = table.specs()
        schema = table.schema()
        for task in table.scan(snapshot_id=snapshot.snapshot_id).plan_files():
            if task.delete_files:
                raise TableError(
                    f"Iceberg snapshot {snapshot.snapshot_id} has delete files (rows deleted without rewriting the"
                    " data file); piiscan does not apply them yet, so the table is not scanned. Rewrite the data files"
                    " (rewrite_data_files) to remove them"
                )
            data = task.file
            path = str(data.file_path)
            files.append(
                TableFile(
                    url=path.removeprefix("file://") if path.startswith("file://") else path,
                    size=int(data.file_size_in_bytes),
                    mtime=str(snapshot.snapshot_id),  # data files are immutable: the snapshot stamps them
                    partition=_identity_partitions(specs.get(data.spec_id), schema, data.partition),
                )
            )
    snapshot_info = TableSnapshot(
        format="iceberg",
        location=printable(location),
        version=None if snapshot is None else snapshot.sequence_number,
        snapshot_id=None if snapshot is None else snapshot.snapshot_id,
        committed_at=None if snapshot is None else _millis_to_iso(snapshot.timestamp_ms),
    )
    return OpenedTable(files=tuple(sorted(files, key=lambda f: f.url)), snapshot=snapshot_info)


def _identity_partitions(spec: Any, schema: Any, partition: Any) -> tuple[tuple[str, str | None], ...]:
    """Identity-partition values by source column: the reader adds them when a file lacks the column."""
    from pyiceberg.transforms import IdentityTransform
    from pyiceberg.types import DateType

    if spec is None:
        return ()
    out: list[tuple[str, str | None]] = []
    for position, field in enumerate(spec.fields):
        if not isinstance(field.transform, IdentityTransform):
            continue
        column = schema.find_column_name(field.source_id)
        if column is None:
            continue
        value = partition[position]
        if value is not None and isinstance(schema.find_type(field.source_id), DateType) and isinstance(value, int):
            value = datetime.fromtimestamp(value * 86400, UTC).date().isoformat()  # Iceberg stores days since epoch
        out.append((str(column), None if value is None else str(value)))
    return tuple(out)


def table_name(source: str) -> str:
    """The dataset name of a table given as the SOURCE itself: its identifier or its folder's name."""
    if source.startswith(ICEBERG_SQLITE_SCHEME):
        return printable(unquote(urlsplit(source).fragment)) or "table"
    path = source.rstrip("/")
    if path.endswith(_METADATA_SUFFIX):
        path = posixpath.dirname(posixpath.dirname(path))  # <table>/metadata/vN.metadata.json
    return printable(posixpath.basename(path)) or "table"
