"""Where a scan's Dask tasks run: a typed ``Runner`` over a local scheduler name or a distributed Client.

The default is a local cluster of processes bound to 127.0.0.1; ``--scheduler tcp://host:8786`` (or
``PIISCAN_SCHEDULER``) names a real cluster; ``sync`` and ``threads`` run in this process. When a local
cluster cannot start, the scan runs in-process with a warning instead of waiting for it.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, Protocol

import dask
from dask.base import compute as dask_compute

from pipeline.errors import PiiscanError, ScanFailed

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger("piiscan")

# Every address the default local cluster binds (scheduler, workers, the scheduler's HTTP/dashboard
# server): loopback only, so nothing a scan starts answers on the machine's external addresses.
LOOPBACK = "127.0.0.1"
# The in-process scheduler used when a local cluster cannot start (no usable loopback networking).
FALLBACK_SCHEDULER = "sync"
_IN_PROCESS = {"sync": "sync", "synchronous": "sync", "single-threaded": "sync", "threads": "threads"}
_QUIET_LOGGERS = ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.core", "distributed.http.proxy")


class DashboardSink(Protocol):
    """Who is told the dashboard address of a remote cluster (a scan's progress)."""

    def dashboard(self, link: str) -> None: ...


def loopback_usable(timeout: float = 2.0) -> bool:
    """Whether a TCP server on 127.0.0.1 can be bound and reached: what a local Dask cluster needs."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind((LOOPBACK, 0))
            server.listen(1)
            with socket.create_connection(server.getsockname()[:2], timeout=timeout):
                pass
    except OSError:
        return False
    return True


def _fall_back(reason: str) -> str:
    # A warning on the "piiscan" logger: the CLI prints it on stderr, a notebook shows it.
    log.warning(
        "cannot start a local Dask cluster (%s); the scan runs in-process instead (--scheduler %s)",
        reason, FALLBACK_SCHEDULER,
    )
    return FALLBACK_SCHEDULER


# Dask's nanny starts each worker with MALLOC_TRIM_THRESHOLD_=65536, so glibc hands freed memory back to
# the OS at once. A task runs on a worker thread, whose glibc arena then returns and re-faults the pages of
# nearly every Arrow and NumPy buffer (about 100,000 page faults and a fifth more CPU for a pattern task),
# and fixing one threshold also freezes the mmap threshold at 128 KiB (every larger buffer a fresh mmap).
# Workers get the values glibc's own dynamic tuning moves towards: mmap above 32 MiB, trim above 64 MiB
# (a thread arena's size). A variable already set in the environment wins (Dask's rule).
WORKER_ENVIRON: dict[str, str] = {"MALLOC_MMAP_THRESHOLD_": str(32 * 2**20), "MALLOC_TRIM_THRESHOLD_": str(64 * 2**20)}


def start_local_cluster(workers: int, silence_logs: int = logging.ERROR) -> Any:
    """A LocalCluster of ``workers`` single-threaded processes on 127.0.0.1, started with WORKER_ENVIRON."""
    from distributed import LocalCluster

    environ = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **WORKER_ENVIRON}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host=LOOPBACK,
            dashboard_address=f"{LOOPBACK}:0", worker_dashboard_address=None, silence_logs=silence_logs,
        )


@contextmanager
def _local_cluster(tasks_hint: int) -> Iterator[Any]:
    """A LocalCluster of processes on 127.0.0.1 (scheduler, workers, dashboard), or the in-process fallback."""
    if not loopback_usable():
        yield _fall_back("loopback networking on 127.0.0.1 is not usable")
        return
    from distributed import Client

    # The in-process scheduler logs every connection at INFO; a scan's own output says what matters.
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    workers = max(1, min(os.cpu_count() or 1, tasks_hint))
    try:
        cluster = start_local_cluster(workers)
    except (OSError, TimeoutError, RuntimeError) as exc:
        yield _fall_back(f"{type(exc).__name__}: {str(exc)[:160]}")
        return
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@contextmanager
def dask_scheduler(scheduler: str | None, tasks_hint: int, progress: DashboardSink | None = None) -> Iterator[Any]:
    """Yield what ``dask_compute(scheduler=...)`` takes: 'sync', 'threads', or a distributed Client.

    ``scheduler`` None means ``$PIISCAN_SCHEDULER``, else a local cluster ("local").
    """
    address = scheduler or os.environ.get("PIISCAN_SCHEDULER") or "local"
    if address in _IN_PROCESS:
        yield _IN_PROCESS[address]
        return
    if address == "local":
        with _local_cluster(tasks_hint) as target:
            yield target
        return
    from distributed import Client

    client = Client(address)
    try:
        if client.dashboard_link:
            log.info("Dask dashboard: %s", client.dashboard_link)
            if progress is not None:
                progress.dashboard(client.dashboard_link)
        yield client
    finally:
        client.close()


@contextmanager
def scan_must_finish() -> Iterator[None]:
    """A dead worker or a lost connection fails the scan loudly: never a partial report presented as complete."""
    try:
        yield
    except PiiscanError:
        raise
    except Exception as exc:
        raise ScanFailed(f"the scan could not finish: {type(exc).__name__}: {str(exc)[:200]}") from None


class Runner:
    """Runs Dask graphs on one target: an in-process scheduler by name ('sync', 'threads') or a Client.

    Every computation fails as ``ScanFailed`` (never a partial result) unless the error is piiscan's own.
    """

    def __init__(self, target: str | Client) -> None:
        self.target = target
        # read once: big files are cut into a multiple of this many parts, for the profile and again, the
        # same way, for the quasi-identifier counts; a worker joining mid-scan must not change the cuts
        self.cores = _worker_threads(target)

    @property
    def in_process(self) -> bool:
        return isinstance(self.target, str)

    def compute(self, tasks: Sequence[Any]) -> list[Any]:
        """The tasks' results in order; on a cluster all are submitted at once and gathered as they finish."""
        with scan_must_finish():
            if isinstance(self.target, str):
                return list(dask_compute(*tasks, scheduler=self.target))
            from distributed import as_completed

            futures = self.target.compute(list(tasks))
            position = {future.key: index for index, future in enumerate(futures)}
            out: list[Any] = [None] * len(futures)
            for future, value in as_completed(futures, with_results=True):
                out[position[future.key]] = value
            return out

    def config_scope(self) -> AbstractContextManager[Any]:
        """Makes this runner Dask's default for code that computes collections itself (``.compute()``).

        A Client already is the default once created; an in-process scheduler is set for the block."""
        if isinstance(self.target, str):
            return dask.config.set(scheduler=self.target)
        return nullcontext()

    def __repr__(self) -> str:
        return f"Runner({self.target if isinstance(self.target, str) else type(self.target).__name__})"


def _worker_threads(target: str | Client) -> int:
    """How many tasks ``target`` runs at once: its workers' threads, a core each in process for 'threads'."""
    if target == "sync":
        return 1
    if isinstance(target, str):
        return os.cpu_count() or 1
    threads: dict[str, int] = target.nthreads()
    return max(1, sum(threads.values()))


@contextmanager
def open_runner(scheduler: str | None, tasks_hint: int, progress: DashboardSink | None = None) -> Iterator[Runner]:
    """A Runner for ``scheduler`` (see :func:`dask_scheduler`), closed (cluster and client) on exit."""
    with dask_scheduler(scheduler, tasks_hint, progress) as target:
        yield Runner(target)
