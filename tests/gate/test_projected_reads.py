"""The gate reads back only the columns a check needs (issue #13: reads select the columns a step needs).

The consent count reads the consent column; an APPI destination's items read the columns they count.
Parquet reads only those columns from storage; the counts, the fail-closed issues (column missing,
unreadable file) and nested or partition-value consent columns work as with a whole read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import appi
from pipeline.api import scan_plan
from pipeline.appi import columns_read, evaluate_export
from pipeline.gate import ConsentCount, count_consent
from pipeline.models import ScanIssue
from pipeline.plan import build_plan
from pipeline.readers import iter_column_batches
from pipeline.settings import ReadingSettings, load_scan_settings
from pipeline.sources import DataFile, DatasetRef
from tests.gate.fixtures import GateLake

READING = ReadingSettings()
_YES = ["同意", "yes", "1", "はい", "true"]
_NO = ["不同意", "no", "0", None, ""]


def _people(rows: int) -> dict[str, list[Any]]:
    return {
        "氏名": [f"name-{i}" for i in range(rows)],
        "メール": [f"user{i}@example.org" for i in range(rows)],
        "同意": [(_YES if i % 3 else _NO)[i % 5] for i in range(rows)],
    }


def _expected_consented(rows: int) -> int:
    return sum(1 for i in range(rows) if i % 3)


def _parquet(path: Path, data: dict[str, Any], row_group_size: int = 64) -> DataFile:
    pq.write_table(pa.table(data), path, row_group_size=row_group_size)
    return DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="")


def _ref(*files: DataFile) -> DatasetRef:
    return DatasetRef(name="people", format=files[0].format, files=files)


@pytest.fixture
def parquet_reads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The ``columns`` argument of every Parquet batch read."""
    seen: list[Any] = []
    real = pq.ParquetFile.iter_batches

    def recording(self: pq.ParquetFile, *args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("columns"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", recording)
    return seen


def test_parquet_consent_count_reads_only_the_consent_column(tmp_path: Path, parquet_reads: list[Any]) -> None:
    file = _parquet(tmp_path / "people.parquet", _people(300))
    counted = count_consent(_ref(file), "同意", READING)
    assert counted == ConsentCount(dataset="people", rows=300, consented=_expected_consented(300))
    assert parquet_reads == [["同意"]]


def test_a_parquet_file_without_the_consent_column_still_fails_closed(tmp_path: Path, parquet_reads: list[Any]) -> None:
    with_column = _parquet(tmp_path / "a.parquet", _people(50))
    without = _parquet(tmp_path / "b.parquet", {"氏名": ["x"] * 40, "メール": ["a@example.org"] * 40})
    counted = count_consent(_ref(with_column, without), "同意", READING)
    assert isinstance(counted, ScanIssue)
    assert counted.kind == "consent_column_missing"
    assert counted.path == without.url
    assert parquet_reads == [["同意"], ["氏名"]]  # one column of the second, for its row count


def test_projection_keeps_every_row_even_with_no_column_left(tmp_path: Path) -> None:
    file = _parquet(tmp_path / "p.parquet", {"a": list(range(1000))}, row_group_size=100)
    batches = list(iter_column_batches(file, READING, ("missing",)))
    assert sum(b.num_rows for b in batches) == 1000
    assert all(b.num_columns == 0 for b in batches)


def test_a_nested_consent_column_is_read_through_its_top_level_field(tmp_path: Path, parquet_reads: list[Any]) -> None:
    rows = 90
    data = {
        "氏名": [f"n{i}" for i in range(rows)],
        "meta": [{"同意": (_YES if i % 3 else _NO)[i % 5], "source": "web"} for i in range(rows)],
    }
    file = _parquet(tmp_path / "nested.parquet", data)
    counted = count_consent(_ref(file), "meta.同意", READING)
    assert counted == ConsentCount(dataset="people", rows=rows, consented=_expected_consented(rows))
    assert parquet_reads == [["meta"]]


def test_a_partition_value_consent_column_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "part.parquet"
    pq.write_table(pa.table({"氏名": ["a", "b", "c"]}), path)
    file = DataFile(
        url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="",
        partition=(("同意", "yes"),),
    )
    assert count_consent(_ref(file), "同意", READING) == ConsentCount(dataset="people", rows=3, consented=3)


def test_csv_and_jsonl_are_projected_to_the_consent_column(tmp_path: Path) -> None:
    data = _people(120)
    csv_path = tmp_path / "people.csv"
    lines = ["氏名,メール,同意"] + [
        f"{n},{m},{'' if c is None else c}" for n, m, c in zip(data["氏名"], data["メール"], data["同意"], strict=True)
    ]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    jsonl_path = tmp_path / "people.jsonl"
    jsonl_path.write_text(
        "".join(json.dumps(dict(zip(data, row, strict=True)), ensure_ascii=False) + "\n" for row in zip(*data.values(), strict=True)),
        encoding="utf-8",
    )
    for path, fmt in ((csv_path, "csv"), (jsonl_path, "jsonl")):
        file = DataFile(url=str(path), format=fmt, compression=None, size=path.stat().st_size, mtime="")  # type: ignore[arg-type]
        batches = list(iter_column_batches(file, READING, ("同意",)))
        assert {name for b in batches for name in b.schema.names} == {"同意"}
        assert count_consent(_ref(file), "同意", READING) == ConsentCount(
            dataset="people", rows=120, consented=_expected_consented(120)
        )


def test_an_unreadable_parquet_file_is_a_read_issue_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1")
    file = DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="")
    counted = count_consent(_ref(file), "同意", READING)
    assert isinstance(counted, ScanIssue)
    assert counted.kind == "read_error"
    assert counted.path == str(path)


def test_appi_items_read_only_the_columns_they_count(
    gate_lake: GateLake, parquet_reads: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = gate_lake.path("partner/raw_export.parquet")
    no_ner = load_scan_settings().with_overrides({"detection": {"ner_enabled": False}})
    plan = build_plan(path, config=no_ner, scheduler="sync")
    (dataset,) = scan_plan(plan).datasets
    standard = plan.policy.model.destinations["anonymized"].appi
    assert standard is not None
    needed = columns_read(dataset, standard, plan.policy)
    every = pq.read_schema(path).names
    assert needed and set(needed) < set(every)  # the attributes it counts, not the purchase amounts
    parquet_reads.clear()
    projected = evaluate_export([dataset], plan.datasets, standard, plan.policy, READING)
    assert [sorted(columns) for columns in parquet_reads] == [sorted(needed)]
    assert any(item.status != "met" for item in projected)  # raw attributes: the items have something to say
    monkeypatch.setattr(appi, "columns_read", lambda *args: None)  # a whole read gives the same items
    assert evaluate_export([dataset], plan.datasets, standard, plan.policy, READING) == projected
