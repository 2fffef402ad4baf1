"""The Python API: ``pipeline.scan(path_or_dataframe) -> ScanReport``.

Work is laid out as Dask tasks (one per file, then a merge per dataset, then NER per dataset) and
runs on one machine by default (a local cluster of processes), or on a real cluster when given a
scheduler address (``--scheduler tcp://host:8786`` or ``PIISCAN_SCHEDULER``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from dask.base import compute as dask_compute
from dask.delayed import delayed

from pipeline.classify import classify_column, is_free_text
from pipeline.detect import FileProfile, merge_profiles, needs_ner, profile_column, profile_file, run_ner
from pipeline.engine import pattern_recognizers
from pipeline.errors import PiiscanError
from pipeline.models import ColumnResult, DatasetResult, ScanIssue
from pipeline.policy import Policy, load_policy
from pipeline.quasi_select import attach_quasi_identifiers
from pipeline.report import ScanReport
from pipeline.settings import DEFAULT_USER_RECOGNIZERS, ScanSettings, load_scan_settings
from pipeline.sources import DatasetRef, discover

log = logging.getLogger("piiscan")


class ScanFailed(PiiscanError):
    """The scan could not finish (for example, every worker died); no report is presented as complete."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def dask_scheduler(scheduler: str | None, tasks_hint: int) -> Iterator[Any]:
    """Yield what ``dask_compute(scheduler=...)`` takes: 'sync', 'threads', or a distributed Client."""
    address = scheduler or os.environ.get("PIISCAN_SCHEDULER") or "local"
    if address in ("sync", "synchronous", "single-threaded"):
        yield "sync"
        return
    if address == "threads":
        yield "threads"
        return
    from distributed import Client, LocalCluster

    if address == "local":
        workers = max(1, min(os.cpu_count() or 1, tasks_hint))
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
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
        yield client
    finally:
        client.close()


def scan(
    source: str | Path | Sequence[str | Path] | pd.DataFrame | Any,
    *,
    config: Path | None = None,
    policy: Path | None = None,
    recognizers: Path | None = None,
    scheduler: str | None = None,
    name: str = "dataframe",
) -> ScanReport:
    """Scan files, folders, globs, fsspec URLs, or a pandas/Dask DataFrame, and classify every column."""
    settings = load_scan_settings(config)
    loaded_policy = load_policy(policy)
    user_recognizers = _user_recognizers(recognizers)
    pattern_recognizers(user_recognizers)  # fail on a bad recognizers.yaml before any work starts
    started = _now()
    if isinstance(source, pd.DataFrame) or _is_dask_frame(source):
        datasets = [_scan_frame(source, name, settings, loaded_policy, user_recognizers, scheduler)]
        issues: list[ScanIssue] = []
    else:
        sources = [str(source)] if isinstance(source, str | Path) else [str(s) for s in source]
        refs, issues = discover(sources)
        datasets = _scan_refs(refs, settings, loaded_policy, user_recognizers, scheduler)
    return ScanReport(
        datasets=tuple(datasets),
        errors=tuple(issues),
        started_at=started,
        finished_at=_now(),
        policy_path=loaded_policy.path,
        policy_sha256=loaded_policy.sha256,
    )


def _user_recognizers(path: Path | None) -> str | None:
    if path is not None:
        return str(path)
    return str(DEFAULT_USER_RECOGNIZERS) if DEFAULT_USER_RECOGNIZERS.exists() else None


def _is_dask_frame(obj: object) -> bool:
    return type(obj).__module__.startswith("dask") and hasattr(obj, "to_delayed")


def _scan_refs(
    refs: list[DatasetRef], settings: ScanSettings, policy: Policy, user_recognizers: str | None, scheduler: str | None
) -> list[DatasetResult]:
    if not refs:
        return []
    total_files = sum(len(r.files) for r in refs)
    with dask_scheduler(scheduler, total_files) as runner:
        merged = _compute(
            runner,
            [
                delayed(merge_profiles)(
                    [delayed(profile_file, pure=False)(f, settings, user_recognizers) for f in ref.files], settings
                )
                for ref in refs
            ],
        )
        merged = _compute(
            runner,
            [
                delayed(run_ner)(profile, _ner_columns(profile, settings), settings)
                for profile in merged
            ],
        )
        results = [_classify(ref.name, ref.format, profile, settings, policy) for ref, profile in zip(refs, merged, strict=True)]
        return [
            attach_quasi_identifiers(result, ref, settings, policy, runner) for ref, result in zip(refs, results, strict=True)
        ]


def _compute(runner: Any, tasks: list[Any]) -> list[Any]:
    try:
        if isinstance(runner, str):
            return list(dask_compute(*tasks, scheduler=runner))
        return list(runner.compute(tasks, sync=True))
    except PiiscanError:
        raise
    except Exception as exc:  # a dead worker, a lost connection: fail loudly, never a partial report
        raise ScanFailed(f"the scan could not finish: {type(exc).__name__}: {str(exc)[:200]}") from None


def _ner_columns(profile: FileProfile, settings: ScanSettings) -> list[str]:
    if not settings.detection.ner_enabled or settings.detection.ner_sample_size == 0:
        return []
    return [
        name
        for name, column in profile.columns.items()
        if needs_ner(column, is_free_text(column, settings.classification))
    ]


def _classify(name: str, fmt: str, profile: FileProfile, settings: ScanSettings, policy: Policy) -> DatasetResult:
    columns: list[ColumnResult] = [
        classify_column(column, policy, settings.classification) for column in profile.columns.values()
    ]
    return DatasetResult(
        dataset=name,
        format=fmt,
        rows_total=profile.rows,
        rows_scanned=profile.rows,
        columns=tuple(columns),
        errors=tuple(profile.issues),
        files=tuple(profile.files),
    )


def _frame_profile(frame: pd.DataFrame, settings: ScanSettings, user_recognizers: str | None) -> FileProfile:
    recognizers = pattern_recognizers(user_recognizers)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    profile = FileProfile(rows=table.num_rows)
    for column_name, column in zip(table.column_names, table.columns, strict=True):
        profile.columns[column_name] = profile_column(column_name, column.combine_chunks(), recognizers, settings.detection)
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
    return replace(result, files=())


def _label(profile: FileProfile, label: str) -> FileProfile:
    profile.files = [label]
    return profile
