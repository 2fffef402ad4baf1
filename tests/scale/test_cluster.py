"""The same report through a real Dask cluster (a `dask scheduler` and two `dask worker` processes on
127.0.0.1) as through the default local run."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

import pipeline
from pipeline.report import ScanReport
from tests.datagen.lake import generate_lake

REPO = Path(__file__).resolve().parents[2]
DASK = REPO / ".venv" / "bin" / "dask"


class RecordingProgress:
    def __init__(self) -> None:
        self.planned_datasets = -1
        self.done: list[tuple[str, bool]] = []
        self.dashboards: list[str] = []

    def planned(self, *, datasets: int, files: int, bytes_total: int, reused: int) -> None:
        self.planned_datasets = datasets

    def dashboard(self, link: str) -> None:
        self.dashboards.append(link)

    def dataset_done(self, dataset: str, *, files_read: int, bytes_read: int, rows: int, reused: bool) -> None:
        self.done.append((dataset, reused))

    def recorded(self, scan_id: str, catalog: str) -> None:
        pass


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two single-threaded workers, each its own process; yields the scheduler address."""
    from distributed import Client

    assert DASK.exists(), f"{DASK} is missing; run `make install`"
    folder = tmp_path_factory.mktemp("cluster")
    scheduler_file = folder / "scheduler.json"
    processes: list[subprocess.Popen[bytes]] = []
    logs = ExitStack()  # the processes' log files, closed once they have stopped
    try:
        processes.append(
            subprocess.Popen(
                [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(scheduler_file)],
                cwd=REPO, stdout=subprocess.DEVNULL, stderr=logs.enter_context((folder / "scheduler.log").open("wb")),
            )
        )
        deadline = time.monotonic() + 120
        while not scheduler_file.exists():
            assert processes[0].poll() is None, (folder / "scheduler.log").read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "the dask scheduler did not start"
            time.sleep(0.2)
        for index in range(2):
            processes.append(
                subprocess.Popen(
                    [str(DASK), "worker", "--scheduler-file", str(scheduler_file), "--nworkers", "1", "--nthreads", "1"],
                    cwd=REPO, stdout=subprocess.DEVNULL, stderr=logs.enter_context((folder / f"worker{index}.log").open("wb")),
                )
            )
        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(2, timeout=120)
        address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        assert str(address).startswith("tcp://127.0.0.1:")
        yield str(address)
    finally:
        for process in reversed(processes):
            _stop(process)
        logs.close()


def _comparable(report: ScanReport) -> dict[str, Any]:
    data = report.to_dict()
    data.pop("started_at")
    data.pop("finished_at")
    return data


@pytest.mark.slow
def test_a_real_cluster_gives_the_same_report_as_the_local_run(cluster: str, tmp_path: Path) -> None:
    from distributed import Client

    lake = tmp_path / "lake"
    generate_lake(lake, seed=11, rows=120)
    local = pipeline.scan(str(lake))  # the default: a local cluster of processes

    progress = RecordingProgress()
    remote = pipeline.scan(str(lake), scheduler=cluster, progress=progress)

    assert _comparable(remote) == _comparable(local)
    tagged = {(d.dataset, c.name): c.categories for d in remote.datasets for c in d.columns}
    assert tagged[("crm/customers.parquet", "氏名")] == ("personal",)
    assert progress.planned_datasets == len(remote.datasets)
    assert sorted(name for name, _ in progress.done) == sorted(d.dataset for d in remote.datasets)
    # Both worker processes did work: the engines were built on the workers, not shipped from here.
    with Client(cluster, timeout=30) as client:  # type: ignore[no-untyped-call]
        workers = client.run(lambda: __import__("pipeline.engine").engine.pattern_recognizers.cache_info().currsize)
    assert len(workers) == 2 and all(size >= 1 for size in workers.values()), workers

