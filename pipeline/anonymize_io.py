"""Reading a dataset for the anonymiser, and writing its copy, batch by batch.

A dataset is read twice, never whole. The first pass (``read_projection``) learns the dataset's schema
(the columns of every file, types unified across files and batches as ``pa.concat_tables`` would) and
each file's row count, and keeps only the columns a whole-dataset step needs (consent, k-anonymity). The
second pass (``write_streamed``) reads each file again batch by batch, aligns every batch to that schema,
lets the caller rewrite it (operators, row filter) and appends it to the file's copy at once.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.errors import ReadError
from pipeline.gate import GateUndecidable
from pipeline.readers import iter_batches
from pipeline.settings import ScanSettings
from pipeline.sources import DataFile, DatasetRef

# (a batch already aligned to the dataset schema, the dataset row number of its first row) → the rows to write
Rewrite = Callable[[pa.Table, int], pa.Table]


@dataclass(frozen=True)
class Projection:
    """What the first pass learns: the dataset's schema, each file's row count, and the wanted columns."""

    schema: pa.Schema  # every column of every file, in order of first appearance, types unified
    sizes: tuple[int, ...]  # rows of each file of the dataset, in ``ref.files`` order
    table: pa.Table  # the wanted columns that exist, every row of the dataset, in schema order

    @property
    def rows(self) -> int:
        return sum(self.sizes)


def file_batches(file: DataFile, settings: ScanSettings) -> Iterator[pa.Table]:
    """The record batches of one file as flat tables; an unreadable file stops the export (undecidable)."""
    try:
        for batch in iter_batches(file, settings.reading):
            yield pa.Table.from_batches([batch]).flatten()
    except ReadError as exc:
        raise GateUndecidable(f"cannot read {exc.path}: {exc.problem}") from None


def align(table: pa.Table, schema: pa.Schema, names: Collection[str], rows: int) -> pa.Table:
    """``table`` with the ``names`` of ``schema`` (in schema order): cast to the unified type, null where absent
    (what ``pa.concat_tables(..., promote_options="permissive")`` does to each table it joins)."""
    names = frozenset(names)
    arrays: dict[str, pa.Array | pa.ChunkedArray] = {}
    for field in schema:
        if field.name not in names:
            continue
        if field.name in table.column_names:
            column = table.column(field.name)
            arrays[field.name] = column if column.type == field.type else column.cast(field.type)
        else:
            arrays[field.name] = pa.nulls(rows, field.type)
    return pa.table(arrays)


def read_projection(ref: DatasetRef, settings: ScanSettings, wanted: Collection[str]) -> Projection:
    """First pass: the schema and row counts of ``ref``, and only its ``wanted`` columns in memory."""
    wanted = frozenset(wanted)
    schemas: list[pa.Schema] = []
    parts: list[tuple[pa.Table, int]] = []
    sizes: list[int] = []
    for file in ref.files:
        rows = 0
        for batch in file_batches(file, settings):
            schemas.append(batch.schema)
            parts.append((batch.select([n for n in batch.column_names if n in wanted]), batch.num_rows))
            rows += batch.num_rows
        sizes.append(rows)
    schema = pa.unify_schemas(schemas, promote_options="permissive") if schemas else pa.schema([])
    present = [n for n in schema.names if n in wanted]
    tables = [align(part, schema, present, rows) for part, rows in parts if rows]
    table = pa.concat_tables(tables) if tables and present else pa.table({})
    return Projection(schema=schema, sizes=tuple(sizes), table=table)


def output_relative_path(ref: DatasetRef, file: DataFile) -> str:
    """Where a file of ``ref`` goes under the output folder, mirroring its place under the SOURCE;
    compression suffixes are dropped because the copy is written uncompressed."""
    url = file.url.split("://", 1)[-1]
    if url.endswith("/" + ref.name) or url == ref.name:
        relative = ref.name
    else:
        at = url.rfind("/" + ref.name + "/")
        relative = url[at + 1 :] if at >= 0 else posixpath.join(ref.name, posixpath.basename(url))
    if file.compression:
        relative = posixpath.splitext(relative)[0]
    return relative


class PartWriter:
    """One output file in the input file's format, written incrementally: ``write`` appends rows at once."""

    def __init__(self, path: Path, fmt: str, schema: pa.Schema) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._jsonl: IO[str] | None = None
        if fmt == "parquet":
            self._parquet = pq.ParquetWriter(path, schema)
        elif fmt in ("csv", "tsv"):
            options = pacsv.WriteOptions(delimiter="\t" if fmt == "tsv" else ",")
            self._csv = pacsv.CSVWriter(path, schema, write_options=options)
        else:
            self._jsonl = path.open("w", encoding="utf-8")

    def write(self, table: pa.Table) -> None:
        if self._parquet is not None:
            if table.num_rows:
                self._parquet.write_table(table)
        elif self._csv is not None:
            self._csv.write_table(table)
        elif self._jsonl is not None:
            for record in table.to_pylist():
                self._jsonl.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        for closable in (self._parquet, self._csv, self._jsonl):
            if closable is not None:
                closable.close()


def write_streamed(
    ref: DatasetRef, settings: ScanSettings, schema: pa.Schema, rewrite: Rewrite, work_dir: Path
) -> list[str]:
    """Second pass: each file of ``ref`` read batch by batch, rewritten and appended to its copy (same
    relative path and format) under ``work_dir``; returns the relative paths written."""
    out_schema = rewrite(schema.empty_table(), 0).schema
    written: list[str] = []
    first_row = 0
    for file in ref.files:
        relative = output_relative_path(ref, file)
        part = PartWriter(work_dir / relative, file.format, out_schema)
        try:
            for batch in file_batches(file, settings):
                part.write(rewrite(align(batch, schema, schema.names, batch.num_rows), first_row))
                first_row += batch.num_rows
        finally:
            part.close()
        written.append(relative)
    return written
