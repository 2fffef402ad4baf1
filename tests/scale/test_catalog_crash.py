"""A scan killed with SIGKILL leaves the catalog's earlier scans intact, and the next scan completes.

The child process is a real scan with the real catalog; the test only makes it stop at a chosen
point (writing a marker file, then sleeping) so that the kill lands there and not by luck.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

import pipeline
from pipeline.catalog import Catalog
from tests.scale.lakes import write_lake

REPO = Path(__file__).resolve().parents[2]

_CHILD = textwrap.dedent(
    """
    import sys, time
    from contextlib import contextmanager
    from pathlib import Path

    import pipeline
    from pipeline import catalog, partition

    lake, db, marker, where = sys.argv[1:5]

    def stop_here():
        Path(marker).write_text("stopped", encoding="utf-8")
        time.sleep(600)

    if where == "during_profiling":
        real_profile_file = partition.profile_file

        def slow_profile_file(*args, **kwargs):
            stop_here()
            return real_profile_file(*args, **kwargs)

        partition.profile_file = slow_profile_file
    else:  # inside the catalog's write transaction, after every row is inserted, before the commit
        real_connect = catalog.Catalog._connect

        class Pausing:
            def __init__(self, con):
                self._con = con

            def __getattr__(self, name):
                return getattr(self._con, name)

            def execute(self, sql, *args):
                if sql.startswith("UPDATE scans SET status = 'complete'"):
                    stop_here()
                return self._con.execute(sql, *args)

        @contextmanager
        def pausing_connect(self, **kwargs):
            with real_connect(self, **kwargs) as con:
                yield Pausing(con)

        catalog.Catalog._connect = pausing_connect

    pipeline.scan(lake, scheduler="sync", catalog=db, incremental=False)
    """
)


def _table_rows(db: Path, scan_id: str) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            table: int(con.execute(f"SELECT count(*) FROM {table} WHERE scan_id = ?", [scan_id]).fetchone()[0])  # type: ignore[index]
            for table in ("datasets", "dataset_columns", "findings", "files")
        }


@pytest.mark.slow
@pytest.mark.parametrize("where", ["during_profiling", "inside_the_catalog_write"])
def test_a_killed_scan_leaves_the_previous_scan_intact(tmp_path: Path, where: str) -> None:
    lake = tmp_path / "lake"
    write_lake(lake)
    db = tmp_path / "catalog.duckdb"
    pipeline.scan(str(lake), scheduler="sync", catalog=db)
    store = Catalog(db)
    (previous,) = store.history()
    before_rows = _table_rows(db, previous.scan_id)
    before_categories = store.column_categories(previous.scan_id)
    assert before_rows["findings"] > 0

    marker = tmp_path / "stopped"
    with subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(lake), str(db), str(marker), where],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as child:  # closes its pipes on the way out
        try:
            deadline = time.monotonic() + 300
            while not marker.exists():
                assert child.poll() is None, child.communicate()[1].decode(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "the child scan never reached the point to kill it at"
                time.sleep(0.1)
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert child.returncode == -signal.SIGKILL

    scans = store.history()
    killed = [s for s in scans if s.scan_id != previous.scan_id]
    assert [s.status for s in killed] == ["running"]  # recorded as begun, never as complete
    assert _table_rows(db, killed[0].scan_id) == dict.fromkeys(before_rows, 0)
    assert _table_rows(db, previous.scan_id) == before_rows
    assert store.column_categories(previous.scan_id) == before_categories

    report = pipeline.scan(str(lake), scheduler="sync", catalog=db, incremental=True)
    latest = store.history()[0]
    assert (latest.status, latest.datasets_reused, latest.files_read) == ("complete", 3, 0)
    assert store.column_categories(latest.scan_id) == before_categories
    assert len(report.datasets) == 3
    # the next start found the killed scan's process gone and marked it failed
    assert {s.scan_id: s.status for s in store.history()}[killed[0].scan_id] == "failed"
