"""How many rows a batch holds: reading.batch_rows, fewer for wide Parquet tables (PARQUET_BATCH_BYTES)
and for JSONL whose records add up to a CSV block (reading.csv_block_bytes)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import readers
from pipeline.readers import iter_batches, parquet_batch_rows
from pipeline.settings import ReadingSettings, load_scan_settings
from pipeline.sources import DataFile

READING = load_scan_settings().reading


def _file(path: Path, kind: str) -> DataFile:
    return DataFile(url=str(path), format=kind, compression=None, size=path.stat().st_size, mtime="")


def _table(rows: int, columns: int) -> pa.Table:
    return pa.table({f"c{c}": pa.array([f"value {c}-{r:08d} of a cell" for r in range(rows)]) for c in range(columns)})


def test_a_narrow_table_is_read_in_batches_of_batch_rows(tmp_path: Path) -> None:
    path = tmp_path / "narrow.parquet"
    pq.write_table(_table(5000, 3), path, row_group_size=2500)
    metadata = pq.ParquetFile(path).metadata
    assert parquet_batch_rows(metadata, None, 1000) == 1000
    sizes = [batch.num_rows for batch in iter_batches(_file(path, "parquet"), READING.model_copy(update={"batch_rows": 1000}))]
    assert sizes == [1000] * 5


def test_a_wide_table_is_read_in_fewer_rows_per_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forty columns where three were: the rows per batch fall so that a batch stays near the byte bound."""
    narrow, wide = tmp_path / "narrow.parquet", tmp_path / "wide.parquet"
    pq.write_table(_table(4000, 3), narrow)
    pq.write_table(_table(4000, 40), wide)
    bound = pq.ParquetFile(narrow).metadata.row_group(0).total_byte_size  # the narrow table's 4,000 rows
    monkeypatch.setattr(readers, "PARQUET_BATCH_BYTES", bound)
    assert parquet_batch_rows(pq.ParquetFile(narrow).metadata, None, 4000) == 4000
    wide_rows = parquet_batch_rows(pq.ParquetFile(wide).metadata, None, 4000)
    assert 4000 * 3 // 40 * 0.8 < wide_rows < 4000 * 3 // 40 * 1.25
    sizes = [batch.num_rows for batch in iter_batches(_file(wide, "parquet"), READING.model_copy(update={"batch_rows": 4000}))]
    assert max(sizes) == wide_rows and sum(sizes) == 4000


def test_jsonl_batches_end_at_a_block_of_bytes(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    lines = [json.dumps({"id": n, "note": "x" * 1000}) for n in range(300)]
    path.write_text("\n".join(lines) + "\n")
    reading = ReadingSettings(**{**READING.model_dump(), "csv_block_bytes": 64 * 1024, "batch_rows": 10_000})
    sizes = [batch.num_rows for batch in iter_batches(_file(path, "jsonl"), reading)]
    per_block = -(-64 * 1024 // (len(lines[0]) + 1))
    assert sizes[0] in (per_block - 1, per_block) and sum(sizes) == 300
