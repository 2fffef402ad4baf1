"""The Python API: ``pipeline.scan(path_or_dataframe) -> ScanReport``.

Work is laid out as Dask tasks (one per file, then a merge per dataset, then NER per dataset) and
runs on one machine by default (a local cluster of processes), or on a real cluster when given a
scheduler address (``--scheduler tcp://host:8786`` or ``PIISCAN_SCHEDULER``).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import fsspec
import pandas as pd
import pyarrow as pa
from dask.base import compute as dask_compute
from dask.delayed import delayed

from pipeline.catalog import (
    Catalog,
    DatasetEntry,
    config_hash,
    dataset_fingerprint,
    file_fingerprints,
    new_scan_id,
)
from pipeline.classify import classify_column, is_free_text
from pipeline.detect import (
    ColumnProfile,
    FileProfile,
    merge_profiles,
    needs_ner,
    profile_table,
    run_ner,
)
from pipeline.engine import pattern_recognizers
from pipeline.errors import CatalogError, PiiscanError, ScanFailed
from pipeline.models import ColumnResult, DatasetResult, EntityFinding, ScanIssue, printable
from pipeline.name_screen import safe_issue, safe_path, screen_dataset
from pipeline.partition import _dataset_task
from pipeline.policy import Policy, load_policy
from pipeline.quasi_select import attach_quasi_identifiers
from pipeline.report import ScanReport
from pipeline.settings import (
    DEFAULT_USER_RECOGNIZERS,
    ClassificationSettings,
    ScanSettings,
    load_scan_settings,
)
from pipeline.sources import DatasetRef, discover
from pipeline.tables import parse_as_of

log = logging.getLogger("piiscan")


class ScanProgress(Protocol):
    """What a scan tells its caller as it goes (the CLI draws a progress bar or prints lines)."""

    def planned(self, *, datasets: int, files: int, bytes_total: int, reused: int) -> None: ...

    def dashboard(self, link: str) -> None: ...

    def dataset_done(self, dataset: str, *, files_read: int, bytes_read: int, rows: int, reused: bool) -> None: ...

    def recorded(self, scan_id: str, catalog: str) -> None: ...


class _Silent:
    def planned(self, *, datasets: int, files: int, bytes_total: int, reused: int) -> None:
        pass

    def dashboard(self, link: str) -> None:
        pass

    def dataset_done(self, dataset: str, *, files_read: int, bytes_read: int, rows: int, reused: bool) -> None:
        pass

    def recorded(self, scan_id: str, catalog: str) -> None:
        pass


@dataclass(frozen=True)
class _Work:
    """One dataset of this scan: rescanned (``reused`` is None) or carried forward from a catalog scan."""

    ref: DatasetRef
    fingerprint: str
    files: tuple[tuple[str, int, str], ...]
    reused: tuple[str, DatasetResult] | None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Every address the default local cluster binds (scheduler, workers, the scheduler's HTTP/dashboard
# server): loopback only, so nothing a scan starts answers on the machine's external addresses.
LOOPBACK = "127.0.0.1"
# The in-process scheduler used when a local cluster cannot start (no usable loopback networking).
FALLBACK_SCHEDULER = "sync"


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


@contextmanager
def dask_scheduler(scheduler: str | None, tasks_hint: int, progress: ScanProgress | None = None) -> Iterator[Any]:
    """Yield what ``dask_compute(scheduler=...)`` takes: 'sync', 'threads', or a distributed Client.

    The default local cluster binds 127.0.0.1 only (scheduler, workers and dashboard). When loopback
    networking is not usable, the scan runs in-process with a warning instead of waiting for a cluster
    that cannot start.
    """
    address = scheduler or os.environ.get("PIISCAN_SCHEDULER") or "local"
    if address in ("sync", "synchronous", "single-threaded"):
        yield "sync"
        return
    if address == "threads":
        yield "threads"
        return
    from distributed import Client, LocalCluster

    if address == "local":
        if not loopback_usable():
            yield _fall_back("loopback networking on 127.0.0.1 is not usable")
            return
        # The in-process scheduler logs every connection at INFO; a scan's own output says what matters.
        for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.core", "distributed.http.proxy"):
            logging.getLogger(name).setLevel(logging.ERROR)
        workers = max(1, min(os.cpu_count() or 1, tasks_hint))
        try:
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host=LOOPBACK,
                dashboard_address=f"{LOOPBACK}:0", worker_dashboard_address=None, silence_logs=logging.ERROR,
            )
        except (OSError, TimeoutError, RuntimeError) as exc:
            yield _fall_back(f"{type(exc).__name__}: {str(exc)[:160]}")
            return
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    client = Client(address)
    try:
        if client.dashboard_link:
            log.info("Dask dashboard: %s", client.dashboard_link)
            if progress is not None:
                progress.dashboard(client.dashboard_link)
        yield client
    finally:
        client.close()


def scan(
    source: str | Path | Sequence[str | Path] | pd.DataFrame | Any,
    *,
    config: Path | ScanSettings | None = None,
    policy: Path | None = None,
    recognizers: Path | None = None,
    scheduler: str | None = None,
    name: str = "dataframe",
    catalog: str | Path | None = None,
    incremental: bool = False,
    progress: ScanProgress | bool | None = None,
    exclude: Sequence[str] = (),
    follow_links: bool = False,
    as_of: str | None = None,
) -> ScanReport:
    """Scan files, folders, globs, fsspec URLs, or a pandas/Dask DataFrame, and classify every column.

    With ``catalog`` (a DuckDB file, or a ``postgresql://`` URL for a shared catalog), the scan is recorded
    there; a catalog still busy after its wait costs the scan only its record (a ``catalog_error`` in
    ``errors``). With ``incremental=True`` too, datasets whose files (path, size, mtime/ETag) and config are
    unchanged since a recorded scan are not read again: their stored results are carried forward. ``progress=True`` shows progress in a notebook (one line
    updated in place); a ScanProgress object receives the events itself.

    Files under a SOURCE that are not read (hidden, unknown type, special files, symbolic links leading
    out of the SOURCE unless ``follow_links``) are listed in ``errors`` as ``skipped``; ``exclude`` globs
    leave files out on purpose.

    A Delta Lake or Iceberg table is one dataset: the data files of its current snapshot (``as_of``: a
    version number or an ISO 8601 time picks an older one), with the snapshot named in the report.
    """
    settings = load_scan_settings(config)
    loaded_policy = load_policy(policy)
    user_recognizers = _user_recognizers(recognizers)
    pattern_recognizers(user_recognizers)  # fail on a bad recognizers.yaml before any work starts
    if as_of is not None:
        parse_as_of(as_of)  # a bad --as-of fails before any work starts
    if incremental and catalog is None:
        raise PiiscanError("an incremental scan needs a findings catalog: pass catalog= (CLI: --catalog PATH)")
    sink: ScanProgress
    if progress is True:
        from pipeline.progress import NotebookProgress

        sink = NotebookProgress()  # a line that updates in place in a notebook
    else:
        sink = progress or _Silent()
    store = Catalog(catalog) if catalog is not None else None
    catalog_problems: list[str] = []
    fingerprint_config = config_hash(settings, loaded_policy.sha256, user_recognizers)
    started = _now()
    if isinstance(source, pd.DataFrame) or _is_dask_frame(source):
        sources = [f"<{name}>"]
        work: list[_Work] = []
        issues: list[ScanIssue] = []
    else:
        sources = [str(source)] if isinstance(source, str | Path) else [str(s) for s in source]
        if incremental:
            _forget_listings(sources)
        refs, issues = discover(sources, follow_links=follow_links, exclude=exclude, as_of=as_of)
        if as_of is not None and refs and not any(ref.table for ref in refs):
            raise PiiscanError("--as-of applies to Delta Lake and Iceberg tables, and no SOURCE holds one")
        work = _plan(refs, store, fingerprint_config, incremental, catalog_problems)
    scan_id = new_scan_id()
    begun = False
    if store is not None and not catalog_problems:
        try:
            store.begin_scan(
                scan_id, started_at=started, sources=[safe_path(s) for s in sources], config=fingerprint_config,
                policy_sha256=loaded_policy.sha256, incremental=incremental,
            )
            begun = True
        except CatalogError as exc:  # the scan goes on; its report says the catalog was not updated
            catalog_problems.append(exc.message)
            log.warning("the findings catalog is not available, the scan goes on without it: %s", exc.message)
    beating = ExitStack()
    if store is not None and begun:
        beating.enter_context(store.heartbeats(scan_id))
    try:
        if isinstance(source, pd.DataFrame) or _is_dask_frame(source):
            datasets = [_scan_frame(source, name, settings, loaded_policy, user_recognizers, scheduler)]
            entries = [DatasetEntry(result=datasets[0], fingerprint=None, files=(), reused_from=None)]
        else:
            datasets = _scan_work(work, settings, loaded_policy, user_recognizers, scheduler, sink)
            entries = [
                DatasetEntry(
                    result=result, fingerprint=item.fingerprint,
                    files=tuple((safe_path(path), size, stamp) for path, size, stamp in item.files),
                    reused_from=item.reused[0] if item.reused else None,
                )
                for item, result in zip(work, datasets, strict=True)
            ]
        report = ScanReport(
            datasets=tuple(datasets),
            errors=tuple(safe_issue(issue) for issue in issues),
            started_at=started,
            finished_at=_now(),
            policy_path=loaded_policy.path,
            policy_sha256=loaded_policy.sha256,
        )
    except BaseException as exc:
        if store is not None and begun:
            how = f"stopped (exit {exc.code})" if isinstance(exc, SystemExit) else getattr(exc, "message", "")
            try:
                store.fail_scan(scan_id, f"{type(exc).__name__}: {how}"[:300])
            except CatalogError as catalog_exc:
                log.warning("could not mark scan %s failed in the catalog: %s", scan_id, catalog_exc.message)
        raise
    finally:
        beating.close()
    if store is not None:
        report = _record(store, scan_id, report, entries, fingerprint_config, begun=begun, problems=catalog_problems,
                         started=started, sources=sources, policy_sha256=loaded_policy.sha256, incremental=incremental)
        if not any(issue.kind == "catalog_error" for issue in report.errors):
            sink.recorded(scan_id, store.where)
    return report


def _record(
    store: Catalog, scan_id: str, report: ScanReport, entries: list[DatasetEntry], config: str, *, begun: bool,
    problems: list[str], started: str, sources: list[str], policy_sha256: str, incremental: bool,
) -> ScanReport:
    """Record the scan; when the catalog cannot be written within its wait, the report says so instead."""
    try:
        if not begun:  # the catalog was busy at the start: one more try now that the work is done
            store.begin_scan(
                scan_id, started_at=started, sources=sources, config=config, policy_sha256=policy_sha256, incremental=incremental,
            )
        store.record_scan(scan_id, report, entries, config)
        return report
    except CatalogError as exc:
        problems.append(exc.message)
    log.warning("the findings catalog %s was not updated with this scan: %s", store.where, problems[-1])
    issue = ScanIssue(
        path=store.where, kind="catalog_error",
        message=f"the findings catalog was not updated with this scan: {problems[-1]}",
    )
    return replace(report, errors=(*report.errors, issue))


def _forget_listings(sources: Sequence[str]) -> None:
    """fsspec caches directory listings per process; an incremental scan must see files changed since."""
    for source in sources:
        try:
            fs, _ = fsspec.core.url_to_fs(source)
            fs.invalidate_cache()
        except (OSError, ValueError, ImportError):
            continue  # discover() reports an unusable source


def _plan(
    refs: list[DatasetRef], store: Catalog | None, config: str, incremental: bool, problems: list[str]
) -> list[_Work]:
    keyed = []
    for ref in refs:
        files = file_fingerprints(ref)
        keyed.append((ref, files, dataset_fingerprint(files, ref.table)))
    reusable: dict[tuple[str, str], tuple[str, DatasetResult]] = {}
    if store is not None and incremental:
        try:
            reusable = store.reusable_results([(ref.name, fp) for ref, _, fp in keyed], config)
        except CatalogError as exc:  # nothing to carry forward: every dataset is read
            problems.append(exc.message)
            log.warning("the findings catalog cannot be read, every dataset is scanned: %s", exc.message)
    return [_Work(ref=ref, fingerprint=fp, files=files, reused=reusable.get((ref.name, fp))) for ref, files, fp in keyed]


def _user_recognizers(path: Path | None) -> str | None:
    if path is not None:
        return str(path)
    return str(DEFAULT_USER_RECOGNIZERS) if DEFAULT_USER_RECOGNIZERS.exists() else None


def _is_dask_frame(obj: object) -> bool:
    return type(obj).__module__.startswith("dask") and hasattr(obj, "to_delayed")


def _scan_work(
    work: list[_Work],
    settings: ScanSettings,
    policy: Policy,
    user_recognizers: str | None,
    scheduler: str | None,
    progress: ScanProgress,
) -> list[DatasetResult]:
    todo = [item for item in work if item.reused is None]
    progress.planned(
        datasets=len(work),
        files=sum(len(item.ref.files) for item in todo),
        bytes_total=sum(f.size for item in todo for f in item.ref.files),
        reused=len(work) - len(todo),
    )
    results: dict[int, DatasetResult] = {}
    for index, item in enumerate(work):
        if item.reused is not None:
            results[index] = item.reused[1]
            progress.dataset_done(
                item.reused[1].dataset, files_read=0, bytes_read=0, rows=item.reused[1].rows_total, reused=True
            )
    if todo:
        positions = [index for index, item in enumerate(work) if item.reused is None]
        with dask_scheduler(scheduler, sum(len(item.ref.files) for item in todo), progress) as runner:
            profiles = _compute_each(runner, [_dataset_task(item.ref, settings, user_recognizers) for item in todo])
            for index, item, profile in zip(positions, todo, profiles, strict=True):
                result = replace(_classify(item.ref.name, item.ref.format, profile, settings, policy), table=item.ref.table)
                # Names are data: personal column/dataset/file names are replaced before anything is shown.
                screened = screen_dataset(_attach_qi(result, item.ref, settings, policy, runner))
                if screened.table is not None:  # a table's location is a path like any other
                    screened = replace(screened, table=replace(screened.table, location=safe_path(screened.table.location)))
                results[index] = screened
                progress.dataset_done(
                    results[index].dataset, files_read=len(item.ref.files), bytes_read=sum(f.size for f in item.ref.files),
                    rows=result.rows_total, reused=False,
                )
    return [results[index] for index in range(len(work))]


@contextmanager
def _scan_must_finish() -> Iterator[None]:
    """A dead worker or a lost connection fails the scan loudly: never a partial report presented as complete."""
    try:
        yield
    except PiiscanError:
        raise
    except Exception as exc:
        raise ScanFailed(f"the scan could not finish: {type(exc).__name__}: {str(exc)[:200]}") from None


def _attach_qi(result: DatasetResult, ref: DatasetRef, settings: ScanSettings, policy: Policy, runner: Any) -> DatasetResult:
    with _scan_must_finish():
        return attach_quasi_identifiers(result, ref, settings, policy, runner)


def _compute_each(runner: Any, tasks: list[Any]) -> list[Any]:
    """Compute the tasks; on a distributed cluster all at once, collecting results as they finish."""
    with _scan_must_finish():
        if isinstance(runner, str):
            return list(dask_compute(*tasks, scheduler=runner))
        from distributed import as_completed

        futures = runner.compute(tasks)
        position = {future.key: index for index, future in enumerate(futures)}
        out: list[Any] = [None] * len(futures)
        for future, value in as_completed(futures, with_results=True):
            out[position[future.key]] = value
        return out


def _compute(runner: Any, tasks: list[Any]) -> list[Any]:
    with _scan_must_finish():
        if isinstance(runner, str):
            return list(dask_compute(*tasks, scheduler=runner))
        return list(runner.compute(tasks, sync=True))


def _ner_columns(profile: FileProfile, settings: ScanSettings) -> list[str]:
    if not settings.detection.ner_enabled or settings.detection.ner_sample_size == 0:
        return []
    return [
        name
        for name, column in profile.columns.items()
        if needs_ner(column, is_free_text(column, settings.classification))
    ]


def _classify(name: str, fmt: str, profile: FileProfile, settings: ScanSettings, policy: Policy) -> DatasetResult:
    gate_settings = gate_classification(settings.classification)
    columns: list[ColumnResult] = [
        replace(
            classify_column(column, policy, settings.classification),
            value_hits=value_hits(column, policy, gate_settings),
        )
        for column in profile.columns.values()
    ]
    return DatasetResult(
        dataset=name,
        format=fmt,
        rows_total=profile.rows,
        rows_scanned=profile.rows,
        columns=tuple(columns),
        errors=tuple(profile.issues),
        files=tuple(printable(f) for f in profile.files),
    )


# The smallest share the classification settings accept (they require > 0).
_ANY_SHARE = 1e-12


def gate_classification(settings: ClassificationSettings) -> ClassificationSettings:
    """The classification settings with every share and score threshold at its floor: what the gate uses
    to see personal data diluted below the "what is this column" thresholds. Context rules stay (contacts
    in a column named for a company or product, catalogue codes are still not personal)."""
    return settings.model_copy(
        update={
            "min_ratio": _ANY_SHARE, "min_ratio_with_name": _ANY_SHARE, "entity_min_ratio": {},
            "free_text_min_ratio": _ANY_SHARE, "free_text_confident_min_ratio": _ANY_SHARE,
            "min_score": 0.0, "name_min_score": 0.0, "free_text_min_score": 0.0, "structured_keep_ratio": _ANY_SHARE,
            # "A few phone values repeated over many rows are a company's" looks at the whole column: a
            # column of "-" with three phone numbers would pass as a company's contacts.
            "repeated_contact_max_distinct_ratio": 0.0,
        }
    )


def value_hits(column: ColumnProfile, policy: Policy, gate_settings: ClassificationSettings) -> tuple[EntityFinding, ...]:
    """Entities the pattern recognizers validated in the column's values, at any share of rows (NER
    guesses and column-name-only findings are left to the classification)."""
    relaxed = classify_column(replace(column, ner_hits={}), policy, gate_settings)
    return tuple(finding for finding in relaxed.entities if "values" in finding.evidence and finding.ratio > 0)


def _frame_profile(frame: pd.DataFrame, settings: ScanSettings, user_recognizers: str | None) -> FileProfile:
    recognizers = pattern_recognizers(user_recognizers)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    profile = FileProfile(rows=table.num_rows)
    profile.columns = profile_table(table, recognizers, settings.detection)
    return profile


def _scan_frame(
    frame: Any, name: str, settings: ScanSettings, policy: Policy, user_recognizers: str | None, scheduler: str | None
) -> DatasetResult:
    partitions = frame.to_delayed() if _is_dask_frame(frame) else [delayed(frame)]
    with dask_scheduler(scheduler or "sync", len(partitions)) as runner:
        parts = [delayed(_frame_profile)(part, settings, user_recognizers) for part in partitions]
        for index, part in enumerate(parts):
            parts[index] = delayed(_label)(part, f"{name}#{index:06d}")
        (merged,) = _compute(runner, [delayed(merge_profiles)(parts, settings)])
        (merged,) = _compute(runner, [delayed(run_ner)(merged, _ner_columns(merged, settings), settings)])
    result = _classify(name, "dataframe", merged, settings, policy)
    return screen_dataset(replace(result, files=()))


def _label(profile: FileProfile, label: str) -> FileProfile:
    profile.files = [label]
    return profile
