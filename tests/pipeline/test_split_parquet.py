"""A big Parquet file is profiled as several row-group tasks whose merged profile equals the whole file's."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from bench.run import crm_table
from pipeline import api, partition, quasi_select
from pipeline.detect import profile_file
from pipeline.models import ColumnResult
from pipeline.profile_model import merge_profiles
from pipeline.settings import ReadingSettings, load_scan_settings
from pipeline.sources import DataFile

SETTINGS = load_scan_settings()


@pytest.fixture(scope="module")
def crm(tmp_path_factory: pytest.TempPathFactory) -> DataFile:
    path = Path(tmp_path_factory.mktemp("split")) / "crm.parquet"
    pq.write_table(crm_table(1500, seed=4), path, row_group_size=250)  # 6 row groups
    return DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="")


def test_row_group_parts_merge_to_the_whole_file(crm: DataFile) -> None:
    whole = profile_file(crm, SETTINGS, None)
    parts = [profile_file(crm, SETTINGS, None, groups, 3) for groups in [(0, 2), (2, 4), (4, 6)]]
    assert [p.rows for p in parts] == [500, 500, 500]
    merged = merge_profiles(parts, SETTINGS)
    assert merged.rows == whole.rows == 1500
    assert merged.files == [crm.url] and not merged.issues
    assert merged.columns.keys() == whole.columns.keys()
    for name, column in whole.columns.items():
        other = merged.columns[name]
        assert other.sketch == column.sketch, name
        assert other.distinct_estimate == column.distinct_estimate, name
        # below the validation budget every candidate is validated, so the counts are exact in both
        assert {e: (t.rows, t.examples) for e, t in other.entities.items()} == {
            e: (t.rows, t.examples) for e, t in column.entities.items()
        }, name
    assert any(column.entities for column in whole.columns.values())


def test_file_parts_cover_every_row_group_once(crm: DataFile) -> None:
    sizes = [pq.ParquetFile(crm.url).metadata.row_group(i).total_byte_size for i in range(6)]
    parts = partition.file_parts(crm, split_bytes=sum(sizes[:2]))
    assert parts is not None and len(parts) >= 2
    assert parts[0][0] == 0 and parts[-1][1] == 6
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))
    assert partition.file_parts(crm, split_bytes=crm.size * 10) is None  # small files are one task


def test_unreadable_footer_is_one_task(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 4096)
    broken = DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="")
    assert partition.file_parts(broken, split_bytes=16) is None


def test_scan_of_a_split_file_reports_what_the_whole_file_does(
    crm: DataFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    (lake / "crm.parquet").write_bytes(Path(crm.url).read_bytes())
    whole = api.scan(lake, scheduler="sync")
    monkeypatch.setattr(partition, "SPLIT_BYTES", 1)  # every row group its own task
    assert partition.file_parts(DataFile(str(lake / "crm.parquet"), "parquet", None, crm.size, "")) == [
        (i, i + 1) for i in range(6)
    ]
    counted: list[object] = []
    projected: list[object] = []
    read = quasi_select.iter_batches

    def spy(file: DataFile, reading: ReadingSettings, part: object = None, *rest: Any) -> Any:
        counted.append(part)
        projected.append(rest[0] if rest else None)
        return read(file, reading, part, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(quasi_select, "iter_batches", spy)
    split = api.scan(lake, scheduler="sync")
    # quasi-identifiers counted by the same row groups, as separate tasks, to the same classes
    assert set(counted) == {(i, i + 1) for i in range(6)}
    # and only the candidate columns are read back (Parquet projection), never all twelve
    assert all(isinstance(columns, tuple) and 0 < len(columns) < 12 for columns in projected)
    assert whole.datasets[0].quasi_identifier_sets
    assert split.datasets[0].quasi_identifier_sets == whole.datasets[0].quasi_identifier_sets
    assert [d.dataset for d in split.datasets] == [d.dataset for d in whole.datasets]
    for ours, theirs in zip(split.datasets, whole.datasets, strict=True):
        assert ours.rows_scanned == theirs.rows_scanned == 1500
        assert ours.files == theirs.files and len(ours.files) == 1
        # the same categories, entities, rows and examples; scores are float sums added in another order,
        # so they agree to rounding only
        assert [_finding(c) for c in ours.columns] == [_finding(c) for c in theirs.columns]
    assert any(c.categories for d in whole.datasets for c in d.columns)


def _finding(column: ColumnResult) -> tuple[object, ...]:
    return (
        column.name, column.categories, column.distinct_estimate, column.non_null,
        [(e.type, round(e.score, 9), e.ratio, e.evidence, e.examples) for e in column.entities],
    )
