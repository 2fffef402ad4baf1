"""Big files are cut into a multiple of the workers' threads, and a local cluster is sized by those parts.

31 parts of a 2 GB CSV on 2 workers left one worker idle for a whole part at the end of the profile; one
big file counted as one task started a local cluster of one worker.
"""

from __future__ import annotations

import io
import itertools
import os
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from bench.run import crm_table
from pipeline import api, partition, quasi_select
from pipeline.readers import ByteRange
from pipeline.runner import Runner
from pipeline.settings import ReadingSettings
from pipeline.sources import DataFile, DatasetRef

ROWS = 1200


def _file(path: Path, fmt: str, compression: str | None = None) -> DataFile:
    return DataFile(url=str(path), format=fmt, compression=compression, size=path.stat().st_size, mtime="")


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory: pytest.TempPathFactory) -> DataFile:
    path = Path(tmp_path_factory.mktemp("parts")) / "crm.csv"
    out = io.BytesIO()
    pacsv.write_csv(crm_table(ROWS, seed=11), out)
    path.write_bytes(out.getvalue())
    return _file(path, "csv")


@pytest.mark.parametrize(
    ("size", "split", "cores", "expected"),
    [
        (100, 100, 4, 1),  # one part stays one part: nothing to share
        (101, 100, 1, 2),
        (500, 100, 1, 5),
        (500, 100, 2, 6),
        (500, 100, 3, 6),
        (500, 100, 4, 8),
        (600, 100, 2, 6),  # already a multiple
        (500, 100, 0, 5),  # no worker known yet: as for one
    ],
)
def test_part_count_rounds_up_to_a_multiple_of_the_cores(size: int, split: int, cores: int, expected: int) -> None:
    assert partition.part_count(size, split, cores) == expected


@pytest.mark.parametrize("cores", [1, 2, 3, 4])
def test_byte_ranges_are_a_multiple_of_the_cores_and_cover_the_file(csv_file: DataFile, cores: int) -> None:
    split = csv_file.size // 5 + 1  # five parts for one worker
    parts = partition.file_parts(csv_file, split_bytes=split, cores=cores)
    assert parts is not None
    assert len(parts) == partition.part_count(csv_file.size, split, cores)
    assert len(parts) % cores == 0 and len(parts) >= 5
    assert all(isinstance(p, ByteRange) and p.parts == len(parts) for p in parts)
    ranges = [(p.start, p.stop) for p in parts if isinstance(p, ByteRange)]
    assert ranges[0][0] == 0 and ranges[-1][1] == csv_file.size
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))


def test_row_group_parts_round_up_but_never_past_the_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "crm.parquet"
    pq.write_table(crm_table(1400, seed=4), path, row_group_size=200)  # 7 row groups
    file = _file(path, "parquet")
    total = sum(pq.ParquetFile(path).metadata.row_group(i).total_byte_size for i in range(7))
    split = total // 3 + 1  # three parts for one worker
    assert len(partition.file_parts(file, split_bytes=split, cores=1) or []) == 3
    assert len(partition.file_parts(file, split_bytes=split, cores=2) or []) == 4
    assert len(partition.file_parts(file, split_bytes=split, cores=4) or []) == 4
    # 3 parts for 3 cores rounded to 9 is more than the 7 row groups: each row group its own part
    assert partition.file_parts(file, split_bytes=total // 9 + 1, cores=3) == [(i, i + 1) for i in range(7)]


def test_a_big_file_asks_for_a_worker_a_part(csv_file: DataFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packed = tmp_path / "packed.csv.gz"
    packed.write_bytes(b"\0" * csv_file.size)
    monkeypatch.setattr(partition, "SPLIT_BYTES", csv_file.size // 4 + 1)
    assert partition.task_estimate(csv_file) == 4
    assert partition.task_estimate(_file(packed, "csv", "gzip")) == 1  # no random access: read whole
    ref = DatasetRef(name="crm", format="csv", files=(csv_file, _file(packed, "csv", "gzip")))
    assert api._Work(dataset=ref, fingerprint=None, files=()).tasks_hint == 5


def test_runner_cores_are_the_threads_that_run_tasks() -> None:
    from distributed import Client, LocalCluster

    assert Runner("sync").cores == 1
    assert Runner("threads").cores == (os.cpu_count() or 1)
    with (
        LocalCluster(n_workers=3, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None) as cluster,  # type: ignore[no-untyped-call]
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        client.wait_for_workers(3)
        assert Runner(client).cores == 3


# What the in-process workers below were asked to read. The spies are module-level functions: a task's
# function travels by reference (module and name), so in-process workers call these very objects.
_PROFILED: list[object] = []
_COUNTED: list[object] = []
_PROFILE_FILE = partition.profile_file
_ITER_BATCHES = quasi_select.iter_batches


def _profile_spy(file: DataFile, *args: Any) -> Any:
    _PROFILED.append(args[2] if len(args) > 2 else None)
    return _PROFILE_FILE(file, *args)


def _count_spy(file: DataFile, reading: ReadingSettings, part: object = None, *rest: Any) -> Any:
    _COUNTED.append(part)
    return _ITER_BATCHES(file, reading, part, *rest)  # type: ignore[arg-type]


def test_a_cluster_scan_profiles_and_counts_by_the_same_parts(
    csv_file: DataFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 3 workers a file of 4 parts' size is profiled as 6 parts, and its quasi-identifiers are counted by
    those 6 again (a part cut differently would have no quote count to check its cut against)."""
    from distributed import LocalCluster

    lake = tmp_path / "lake"
    lake.mkdir()
    (lake / "crm.csv").write_bytes(Path(csv_file.url).read_bytes())
    config = tmp_path / "scan.yaml"
    config.write_text("detection:\n  ner_enabled: false\n", encoding="utf-8")
    whole = api.scan(lake, config=config, scheduler="sync")
    monkeypatch.setattr(partition, "SPLIT_BYTES", csv_file.size // 4 + 1)  # the planner runs here
    monkeypatch.setattr(partition, "profile_file", _profile_spy)
    monkeypatch.setattr(quasi_select, "iter_batches", _count_spy)
    _PROFILED.clear()
    _COUNTED.clear()
    with LocalCluster(n_workers=3, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None) as cluster:  # type: ignore[no-untyped-call]
        split = api.scan(lake, config=config, scheduler=cluster.scheduler_address)
    assert len(_PROFILED) == 6 and None not in _PROFILED
    assert set(_COUNTED) == set(_PROFILED)
    assert [d.quasi_identifier_sets for d in split.datasets] == [d.quasi_identifier_sets for d in whole.datasets]
    assert [d.rows_scanned for d in split.datasets] == [ROWS]
