"""The default local cluster's worker processes: the malloc settings they start with."""

from __future__ import annotations

import os

import pytest

from pipeline.runner import dask_scheduler


def _worker_environ() -> dict[str, str | None]:
    names = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
    return {name: os.environ.get(name) for name in names}


@pytest.mark.slow
def test_local_workers_start_with_glibcs_dynamic_malloc_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with dask_scheduler("local", 2) as client:
        assert not isinstance(client, str)
        seen = list(client.run(_worker_environ).values())
    assert len(seen) == min(2, os.cpu_count() or 1)
    for environ in seen:
        # not Dask's 64 KiB trim threshold: glibc's dynamic ceilings (mmap 32 MiB, trim 64 MiB)
        assert environ == {"MALLOC_MMAP_THRESHOLD_": str(32 * 2**20), "MALLOC_TRIM_THRESHOLD_": str(64 * 2**20)}


@pytest.mark.slow
def test_a_threshold_set_in_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "1048576")
    with dask_scheduler("local", 1) as client:
        assert not isinstance(client, str)
        seen = list(client.run(_worker_environ).values())
    assert [environ["MALLOC_MMAP_THRESHOLD_"] for environ in seen] == ["1048576"]
