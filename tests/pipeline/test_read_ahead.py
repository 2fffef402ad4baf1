"""readers.read_ahead: the next batch read by a thread while the caller works; same batches, same errors,
no thread left behind."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import detect
from pipeline.detect import profile_file
from pipeline.errors import ReadError
from pipeline.readers import read_ahead
from pipeline.settings import load_scan_settings
from pipeline.sources import DataFile


def _batches(count: int, fail_after: int | None = None, closed: list[bool] | None = None) -> Iterator[pa.RecordBatch]:
    try:
        for n in range(count):
            if fail_after is not None and n == fail_after:
                raise ReadError("lake/x.csv", "a broken block")
            yield pa.record_batch({"n": [n]})
    finally:
        if closed is not None:
            closed.append(True)


def _readers_alive() -> int:
    return sum(thread.name == "piiscan-read-ahead" and thread.is_alive() for thread in threading.enumerate())


def test_the_batches_come_in_order_and_whole() -> None:
    assert [b.column("n")[0].as_py() for b in read_ahead(_batches(50))] == list(range(50))
    assert _readers_alive() == 0


def test_an_error_of_the_read_reaches_the_caller_after_the_batches_before_it() -> None:
    seen = []
    with pytest.raises(ReadError, match="broken block"):
        for batch in read_ahead(_batches(10, fail_after=4)):
            seen.append(batch.column("n")[0].as_py())
    assert seen == [0, 1, 2, 3]
    assert _readers_alive() == 0


def test_a_caller_that_stops_early_stops_the_reader_and_closes_the_source() -> None:
    closed: list[bool] = []
    batches = read_ahead(_batches(1000, closed=closed))
    assert next(batches).column("n")[0].as_py() == 0
    batches.close()  # type: ignore[attr-defined]
    assert closed == [True]
    assert _readers_alive() == 0


def test_a_file_profiles_the_same_read_ahead_or_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"mail": [f"user{n}@example.co.jp" for n in range(3000)]}), path, row_group_size=500)
    file = DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="")
    settings = load_scan_settings()
    settings = settings.model_copy(update={"reading": settings.reading.model_copy(update={"batch_rows": 1000})})
    used: list[int] = []
    monkeypatch.setattr(detect, "read_ahead", lambda batches: used.append(1) or read_ahead(batches))
    monkeypatch.setattr(pa, "cpu_count", lambda: 2)
    ahead = profile_file(file, settings, None)
    assert used == [1]
    monkeypatch.setattr(pa, "cpu_count", lambda: 1)  # a one-thread Dask worker: read inline
    inline = profile_file(file, settings, None)
    assert used == [1]
    assert ahead.rows == inline.rows == 3000
    mail, reference = ahead.columns["mail"].entities["EMAIL_ADDRESS"], inline.columns["mail"].entities["EMAIL_ADDRESS"]
    assert mail.total_rows == reference.total_rows == 3000
    assert mail.examples == reference.examples
