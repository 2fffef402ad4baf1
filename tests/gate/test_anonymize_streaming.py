"""The streamed anonymiser writes what the whole-dataset one wrote, and never holds a dataset whole.

Every reader batch is cut into batches of ``SMALL`` rows for the streamed passes (the gate's own scan and
the frozen whole-dataset oracle in ``anonymize_reference`` read normally), so each fixture goes through
many batches per file; the copies must then hold the same files, rows, values, order and summary.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline import anonymize_appi, anonymize_io, anonymize_policy, anonymizer, readers
from pipeline.anonymize_io import PartWriter, Projection
from pipeline.settings import ReadingSettings
from pipeline.sources import DataFile
from tests.datagen import lake
from tests.gate import anonymize_reference
from tests.gate.fixtures import CONSENT_COLUMN, GateLake
from tests.gate.test_appi import _all_defects, _export

SMALL = 7


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Cut the streamed anonymiser's batches to ``SMALL`` rows; returns the URL of every file it opens."""
    real = readers.iter_batches
    opened: list[str] = []

    def sliced(file: DataFile, reading: ReadingSettings, row_groups: tuple[int, int] | None = None) -> Iterator[pa.RecordBatch]:
        opened.append(file.url)
        for batch in real(file, reading, row_groups):
            if not batch.num_rows:
                yield batch
            for start in range(0, batch.num_rows, SMALL):
                yield batch.slice(start, SMALL)

    monkeypatch.setattr(anonymize_io, "iter_batches", sliced)
    return opened


def _whole_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anonymizer, "_anonymize_dataset", anonymize_reference._anonymize_dataset)
    monkeypatch.setattr(anonymizer, "_appi_dataset", anonymize_reference._appi_dataset)


def _contents(out: Path) -> dict[str, Any]:
    """Every file of a copy: Parquet as (schema, columns), the summary without its time and folder, other
    files as bytes."""
    contents: dict[str, Any] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out).as_posix()
        if path.name == anonymizer.SUMMARY_FILE:
            summary = json.loads(path.read_text(encoding="utf-8"))
            del summary["created_at"], summary["out_dir"]
            contents[relative] = summary
        elif path.suffix == ".parquet":
            table = pq.read_table(path)
            contents[relative] = (table.schema.remove_metadata(), table.to_pydict())
        else:
            contents[relative] = path.read_bytes()
    return contents


def _visits(root: Path) -> str:
    """One dataset in two Hive partitions whose files differ in columns and in the integer type of 年齢."""
    rng = random.Random("piiscan-stream/visits")
    for part, rows, age_type, extra in (("dt=2026-01", 40, pa.int32(), "メールアドレス"), ("dt=2026-02", 50, pa.int64(), "住所")):
        people = lake._customers(rng, rows)
        folder = root / "visits-lake" / "visits" / part
        folder.mkdir(parents=True)
        table = pa.table({
            "氏名": people["氏名"],
            "年齢": pa.array([rng.randint(18, 80) for _ in range(rows)], type=age_type),
            "性別": people["性別"],
            extra: people[extra],
        })
        # A non-personal column only one partition has: the other partition's copy holds it as nulls.
        if age_type == pa.int32():
            table = table.append_column("店舗", pa.array([rng.choice(("本店", "駅前店")) for _ in range(rows)]))
        else:
            table = table.append_column("来店回数", pa.array([rng.randint(1, 9) for _ in range(rows)], type=pa.int16()))
        pq.write_table(table, folder / "part-0.parquet")
    return str(root / "visits-lake")  # the lake root: both partitions are one dataset, "visits"


def _feedback(root: Path) -> str:
    """One dataset of JSON lines in two Hive partitions whose keys differ (a column missing from a file is
    null there)."""
    rng = random.Random("piiscan-stream/feedback")
    people = lake._customers(rng, 60)
    for index in range(2):
        folder = root / "feedback-lake" / "feedback" / f"month={index + 1}"
        folder.mkdir(parents=True)
        records = [
            {"氏名": people["氏名"][i], "性別": people["性別"][i]} | ({"電話番号": people["電話番号"][i]} if index else {})
            for i in range(index * 30, index * 30 + 30)
        ]
        lake._write_jsonl(folder / "part-0.jsonl", records)
    return str(root / "feedback-lake")


def _source(name: str, gate_lake: GateLake, root: Path) -> str:
    if name == "visits":
        return _visits(root)
    if name == "feedback":
        return _feedback(root)
    if name == "appi":
        return str(_export(root, "raw", _all_defects()))
    return gate_lake.path(name)


CASES = [
    ("crm/customers.parquet", "third_party", None),
    ("partner/raw_export.parquet", "statistics", None),
    ("survey/responses.jsonl", "third_party", None),
    ("sales/orders.csv", "outsourcing", None),
    ("sales/orders.csv", "third_party", None),  # masked card numbers (two lengths) join the quasi-identifiers
    ("support/tickets.csv", "third_party", None),
    ("consent/members.csv", "third_party", CONSENT_COLUMN),
    ("visits", "statistics", None),
    ("feedback", "third_party", None),
    ("appi", "anonymized", None),
    ("appi", "pseudonymized", None),
]


@pytest.mark.parametrize(("name", "destination", "consent"), CASES, ids=[f"{n}->{d}" for n, d, _ in CASES])
def test_the_streamed_copy_equals_the_whole_dataset_copy(
    gate_lake: GateLake, tmp_path: Path, hash_key: str, small_batches: list[str], monkeypatch: pytest.MonkeyPatch,
    name: str, destination: str, consent: str | None,
) -> None:
    source = _source(name, gate_lake, tmp_path / "lake")
    streamed = pipeline.anonymize(source, destination, tmp_path / "streamed", consent_column=consent, scheduler="sync")
    assert small_batches, "the streamed path read nothing through the sliced reader"
    with monkeypatch.context() as whole:
        _whole_dataset(whole)
        reference = pipeline.anonymize(source, destination, tmp_path / "whole", consent_column=consent, scheduler="sync")
    assert streamed.datasets == reference.datasets
    streamed_files, reference_files = _contents(tmp_path / "streamed"), _contents(tmp_path / "whole")
    assert streamed_files.keys() == reference_files.keys()
    for relative, expected in reference_files.items():
        assert streamed_files[relative] == expected, relative
    assert sum(d.rows_out for d in streamed.datasets) > 0


def test_the_oracle_is_the_whole_dataset_path(gate_lake: GateLake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference really reads whole: it never goes through the streamed reader or writer."""
    used: list[str] = []
    for module in (anonymize_policy, anonymize_appi):
        monkeypatch.setattr(module, "read_projection", lambda *a, **k: used.append("read"))
        monkeypatch.setattr(module, "write_streamed", lambda *a, **k: used.append("write"))
    _whole_dataset(monkeypatch)
    result = pipeline.anonymize(gate_lake.path("partner/raw_export.parquet"), "statistics", tmp_path / "w", scheduler="sync")
    assert not used and result.datasets[0].rows_out > 0


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Rows of every ``PartWriter.write`` call, in order."""
    rows: list[int] = []
    real = PartWriter.write

    def spy(self: PartWriter, table: pa.Table) -> None:
        rows.append(table.num_rows)
        real(self, table)

    monkeypatch.setattr(PartWriter, "write", spy)
    return rows


def _projections(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[Projection]:
    seen: list[Projection] = []
    real = module.read_projection

    def spy(*args: Any) -> Projection:
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(module, "read_projection", spy)
    return seen


def test_the_policy_path_writes_each_batch_as_it_reads_it(
    gate_lake: GateLake, tmp_path: Path, small_batches: list[str], writes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = gate_lake.path("partner/raw_export.parquet")
    rows_in = pq.ParquetFile(source).metadata.num_rows
    projections = _projections(monkeypatch, anonymize_policy)
    result = pipeline.anonymize(source, "statistics", tmp_path / "out", scheduler="sync")
    (dataset,) = result.datasets
    # Read twice (statistics, then the write), one batch of at most SMALL rows written per batch read.
    assert small_batches == [source, source]
    assert len(writes) == -(-rows_in // SMALL) and max(writes) <= SMALL
    assert sum(writes) == dataset.rows_out == rows_in - dataset.rows_suppressed
    # The first pass keeps only the columns k-anonymity looks at, never the whole table.
    (projection,) = projections
    assert projection.rows == rows_in
    kept = set(projection.table.column_names)
    assert kept and kept < set(projection.schema.names)
    assert "氏名" not in kept


def test_the_appi_path_keeps_only_quasi_identifiers_between_passes(
    tmp_path: Path, hash_key: str, small_batches: list[str], writes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _export(tmp_path, "raw", _all_defects())
    projections = _projections(monkeypatch, anonymize_appi)
    result = pipeline.anonymize(str(source), "anonymized", tmp_path / "out", scheduler="sync")
    (dataset,) = result.datasets
    assert len(small_batches) == 2 and max(writes) <= SMALL and len(writes) == -(-dataset.rows_in // SMALL)
    assert sum(writes) == dataset.rows_out
    (projection,) = projections
    assert set(projection.table.column_names) == {"年齢", "性別", "都道府県", "購入金額"} & set(projection.table.column_names)
    assert {"氏名", "個人番号", "会員番号"}.isdisjoint(projection.table.column_names)


def test_a_file_with_no_rows_still_gets_its_header(tmp_path: Path) -> None:
    schema = pa.schema([("a", pa.string()), ("b", pa.int64())])
    for fmt, name in (("csv", "x.csv"), ("parquet", "x.parquet"), ("jsonl", "x.jsonl")):
        writer = PartWriter(tmp_path / name, fmt, schema)
        writer.close()
    assert (tmp_path / "x.csv").read_text(encoding="utf-8") == '"a","b"\n'
    assert pq.read_table(tmp_path / "x.parquet").schema.names == ["a", "b"]
    assert (tmp_path / "x.jsonl").read_bytes() == b""
