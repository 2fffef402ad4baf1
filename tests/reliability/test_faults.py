"""A Dask worker killed mid-scan: the scan finishes on the others (every dataset complete) or fails
with ScanFailed. Never a partial report presented as complete.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import pipeline
from pipeline.errors import ScanFailed
from tests.reliability.conftest import NO_NER_CONFIG

FILES = 8
ROWS = 6000
WAIT_SECONDS = 300


def slow_lake(root: Path) -> Path:
    """Enough distinct values per file that profiling one takes a noticeable time on a worker."""
    lake = root / "lake"
    lake.mkdir()
    for index in range(FILES):
        lines = ["氏名,電話番号,メールアドレス,備考"]
        lines += [
            f"利用者{index}-{row},090-{row % 10000:04d}-{(row * 7 + index) % 10000:04d},"
            f"user{index}.{row}@example.com,{row}番目の記録です 東京都千代田区{row % 9 + 1}-{row % 7 + 1}"
            for row in range(ROWS)
        ]
        (lake / f"part{index:02d}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lake


@pytest.mark.slow
def test_worker_killed_mid_scan_finishes_or_fails_loudly(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    lake = slow_lake(tmp_path)
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["report"] = pipeline.scan(str(lake), config=NO_NER_CONFIG, scheduler=cluster.scheduler_address)
        except ScanFailed as exc:
            outcome["failed"] = exc
        except BaseException as exc:  # anything else is a bug this test must show
            outcome["other"] = exc

    try:
        with Client(cluster) as watcher:
            pids: dict[str, int] = watcher.run(os.getpid)
            scan_thread = threading.Thread(target=run, daemon=True)
            scan_thread.start()
            victim = None
            deadline = time.monotonic() + WAIT_SECONDS
            while victim is None and time.monotonic() < deadline and scan_thread.is_alive():
                busy = [worker for worker, keys in watcher.processing().items() if keys]
                victim = busy[0] if busy else None
                time.sleep(0.05)
            assert victim is not None, "the scan never started a task; the fixture is too small to test a kill"
            os.kill(pids[victim], signal.SIGKILL)
            scan_thread.join(WAIT_SECONDS)
            assert not scan_thread.is_alive(), "the scan hung after a worker died"
    finally:
        cluster.close()

    assert "other" not in outcome, f"unexpected error: {outcome.get('other')!r}"
    if "failed" in outcome:
        assert "could not finish" in outcome["failed"].message
        return
    report = outcome["report"]
    # Finished on the others: every file's dataset is there, with every row counted.
    assert sorted(d.dataset for d in report.datasets) == [f"part{i:02d}.csv" for i in range(FILES)]
    assert all(d.rows_total == ROWS for d in report.datasets)
    assert not report.has_errors
