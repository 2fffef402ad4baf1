"""The Python API: ``pipeline.scan(path_or_dataframe) -> ScanReport``.

``scan`` builds the command's plan once (pipeline/plan.py: settings, policy, recognizers, the datasets
found) and runs it with :func:`scan_plan`. Every dataset, whether files or a DataFrame, takes one path:
its parts (files, row-group ranges, DataFrame partitions) are Dask tasks, merged in a tree, then NER on the
merged sample, then classification and quasi-identifiers. The tasks run on a :class:`~pipeline.runner.Runner`:
a local cluster of processes by default, a real cluster given a scheduler address
(``--scheduler tcp://host:8786`` or ``PIISCAN_SCHEDULER``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa
from dask.delayed import delayed

from pipeline.catalog import (
    Catalog,
    DatasetEntry,
    config_hash,
    dataset_fingerprint,
    file_fingerprints,
    new_scan_id,
)
from pipeline.classify import classify_column
from pipeline.detect import profile_table
from pipeline.engine import pattern_recognizers
from pipeline.errors import CatalogError, PiiscanError
from pipeline.models import ColumnResult, DatasetResult, EntityFinding, ScanIssue, printable
from pipeline.name_screen import safe_issue, safe_path, screen_dataset
from pipeline.partition import dataset_task, file_parts, merge_and_ner_task, task_estimate
from pipeline.plan import FrameDataset, ScanPlan, build_plan
from pipeline.policy import Policy
from pipeline.profile_model import ColumnProfile, FileProfile
from pipeline.quasi_select import attach_quasi_identifiers
from pipeline.report import ScanReport
from pipeline.runner import (  # re-exported: the scheduler helpers were api's before pipeline/runner.py
    FALLBACK_SCHEDULER,
    LOOPBACK,
    Runner,
    dask_scheduler,
    loopback_usable,
    open_runner,
    scan_must_finish,
)
from pipeline.settings import ClassificationSettings, ScanSettings
from pipeline.sources import DatasetRef, Scope

__all__ = [
    "FALLBACK_SCHEDULER", "LOOPBACK", "ScanProgress", "dask_scheduler", "gate_classification", "loopback_usable",
    "scan", "scan_plan", "value_hits",
]

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


Dataset = DatasetRef | FrameDataset


@dataclass(frozen=True)
class _Work:
    """One dataset of this scan: rescanned (``reused`` is None) or carried forward from a catalog scan."""

    dataset: Dataset
    fingerprint: str | None  # None for a DataFrame: nothing to compare with a later scan
    files: tuple[tuple[str, int, str], ...]
    reused: tuple[str, DatasetResult] | None = None

    @property
    def files_read(self) -> int:
        return len(self.dataset.files) if isinstance(self.dataset, DatasetRef) else 0

    @property
    def bytes_read(self) -> int:
        return sum(f.size for f in self.dataset.files) if isinstance(self.dataset, DatasetRef) else 0

    @property
    def tasks_hint(self) -> int:
        """How many parallel tasks the dataset's first level has (files, big ones by parts, or partitions)."""
        if isinstance(self.dataset, DatasetRef):
            return sum(task_estimate(f) for f in self.dataset.files)
        return len(self.dataset.partitions)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def scan(  # noqa: PLR0913 -- the public API: one keyword-only argument per CLI option
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
    _needs_catalog(catalog, incremental)
    plan = build_plan(
        source, config=config, policy=policy, recognizers=recognizers, scheduler=scheduler, name=name,
        scope=Scope(follow_links=follow_links, exclude=tuple(exclude), as_of=as_of), fresh_listings=incremental,
    )
    return scan_plan(plan, catalog=catalog, incremental=incremental, progress=progress)


def _needs_catalog(catalog: str | Path | None, incremental: bool) -> None:
    if incremental and catalog is None:
        raise PiiscanError("an incremental scan needs a findings catalog: pass catalog= (CLI: --catalog PATH)")


def scan_plan(
    plan: ScanPlan,
    *,
    catalog: str | Path | None = None,
    incremental: bool = False,
    progress: ScanProgress | bool | None = None,
) -> ScanReport:
    """Scan the plan's datasets (nothing is loaded or discovered again) and record the scan in ``catalog``."""
    _needs_catalog(catalog, incremental)
    sink = _progress_sink(progress)
    recording = _Recording.prepare(plan, catalog, incremental)
    work = _work_items(plan, recording.store if incremental else None, recording.config, recording.problems)
    recording.begin()
    with recording.running():
        datasets = _scan_work(work, plan, sink)
        report = ScanReport(
            datasets=tuple(datasets),
            errors=tuple(safe_issue(issue) for issue in plan.issues),
            started_at=recording.started,
            finished_at=_now(),
            policy_path=plan.policy.path,
            policy_sha256=plan.policy.sha256,
        )
    report = recording.finish(report, _catalog_entries(work, datasets))
    if recording.store is not None and not any(issue.kind == "catalog_error" for issue in report.errors):
        sink.recorded(recording.scan_id, recording.store.where)
    return report


def _progress_sink(progress: ScanProgress | bool | None) -> ScanProgress:
    if progress is True:
        from pipeline.progress import NotebookProgress

        return NotebookProgress()  # a line that updates in place in a notebook
    return progress or _Silent()


def _catalog_entries(work: list[_Work], datasets: list[DatasetResult]) -> list[DatasetEntry]:
    return [
        DatasetEntry(
            result=result, fingerprint=item.fingerprint,
            files=tuple((safe_path(path), size, stamp) for path, size, stamp in item.files),
            reused_from=item.reused[0] if item.reused else None,
        )
        for item, result in zip(work, datasets, strict=True)
    ]


@dataclass
class _Recording:
    """The scan's record in the findings catalog (nothing without one): begun before the work, marked
    failed if the work fails, written after it. A catalog that cannot be written costs only the record."""

    store: Catalog | None
    scan_id: str
    started: str
    sources: list[str]
    config: str
    policy_sha256: str
    incremental: bool
    problems: list[str]
    begun: bool = False

    @classmethod
    def prepare(cls, plan: ScanPlan, catalog: str | Path | None, incremental: bool) -> _Recording:
        return cls(
            store=Catalog(catalog) if catalog is not None else None, scan_id=new_scan_id(), started=_now(),
            sources=[safe_path(s) for s in plan.sources],
            config=config_hash(plan.settings, plan.policy.sha256, plan.user_recognizers),
            policy_sha256=plan.policy.sha256, incremental=incremental, problems=[],
        )

    def _begin_scan(self, store: Catalog) -> None:
        store.begin_scan(
            self.scan_id, started_at=self.started, sources=self.sources, config=self.config,
            policy_sha256=self.policy_sha256, incremental=self.incremental,
        )

    def begin(self) -> None:
        if self.store is None or self.problems:
            return
        try:
            self._begin_scan(self.store)
            self.begun = True
        except CatalogError as exc:  # the scan goes on; its report says the catalog was not updated
            self.problems.append(exc.message)
            log.warning("the findings catalog is not available, the scan goes on without it: %s", exc.message)

    @contextmanager
    def running(self) -> Iterator[None]:
        """Heartbeats while the work runs; a failed scan is marked failed in the catalog."""
        if self.store is None or not self.begun:
            yield
            return
        with self.store.heartbeats(self.scan_id):
            try:
                yield
            except BaseException as exc:
                self._fail(self.store, exc)
                raise

    def _fail(self, store: Catalog, exc: BaseException) -> None:
        how = f"stopped (exit {exc.code})" if isinstance(exc, SystemExit) else getattr(exc, "message", "")
        try:
            store.fail_scan(self.scan_id, f"{type(exc).__name__}: {how}"[:300])
        except CatalogError as catalog_exc:
            log.warning("could not mark scan %s failed in the catalog: %s", self.scan_id, catalog_exc.message)

    def finish(self, report: ScanReport, entries: list[DatasetEntry]) -> ScanReport:
        """Record the scan; when the catalog cannot be written within its wait, the report says so instead."""
        if self.store is None:
            return report
        try:
            if not self.begun:  # the catalog was busy at the start: one more try now that the work is done
                self._begin_scan(self.store)
            self.store.record_scan(self.scan_id, report, entries, self.config)
            return report
        except CatalogError as exc:
            self.problems.append(exc.message)
        log.warning("the findings catalog %s was not updated with this scan: %s", self.store.where, self.problems[-1])
        issue = ScanIssue(
            path=self.store.where, kind="catalog_error",
            message=f"the findings catalog was not updated with this scan: {self.problems[-1]}",
        )
        return replace(report, errors=(*report.errors, issue))


def _work_items(plan: ScanPlan, reuse_from: Catalog | None, config: str, problems: list[str]) -> list[_Work]:
    """The plan's datasets as work: file datasets with their fingerprints (and, from ``reuse_from``, the
    results of unchanged ones), then its DataFrames."""
    keyed = []
    for ref in plan.datasets:
        files = file_fingerprints(ref)
        keyed.append((ref, files, dataset_fingerprint(files, ref.table)))
    reusable: dict[tuple[str, str], tuple[str, DatasetResult]] = {}
    if reuse_from is not None:
        try:
            reusable = reuse_from.reusable_results([(ref.name, fp) for ref, _, fp in keyed], config)
        except CatalogError as exc:  # nothing to carry forward: every dataset is read
            problems.append(exc.message)
            log.warning("the findings catalog cannot be read, every dataset is scanned: %s", exc.message)
    work = [_Work(dataset=ref, fingerprint=fp, files=files, reused=reusable.get((ref.name, fp))) for ref, files, fp in keyed]
    return work + [_Work(dataset=frame, fingerprint=None, files=()) for frame in plan.frames]


def _frame_task(frame: FrameDataset, settings: ScanSettings, user_recognizers: str | None) -> Any:
    """A DataFrame's dataset task: each partition profiled (labelled ``name#000000``…), then the same tree
    merge and NER as a dataset of files."""
    level = [
        delayed(_label)(delayed(_frame_profile)(part, settings, user_recognizers), f"{frame.name}#{index:06d}")
        for index, part in enumerate(frame.partitions)
    ]
    return merge_and_ner_task(level, settings)


def _profile_task(dataset: Dataset, plan: ScanPlan, cores: int) -> Any:
    if isinstance(dataset, DatasetRef):
        return dataset_task(dataset, plan.settings, plan.user_recognizers, cores)
    return _frame_task(dataset, plan.settings, plan.user_recognizers)


def _scan_work(work: list[_Work], plan: ScanPlan, progress: ScanProgress) -> list[DatasetResult]:
    """Every dataset's result in order: carried forward, or profiled on one runner and classified."""
    results = _carried_forward(work, progress)
    todo = [(index, item) for index, item in enumerate(work) if item.reused is None]
    if todo:
        with open_runner(plan.scheduler, sum(item.tasks_hint for _, item in todo), progress) as runner:
            profiles = runner.compute([_profile_task(item.dataset, plan, runner.cores) for _, item in todo])
            for (index, item), profile in zip(todo, profiles, strict=True):
                results[index] = _dataset_result(item.dataset, profile, plan, runner)
                progress.dataset_done(
                    results[index].dataset, files_read=item.files_read, bytes_read=item.bytes_read,
                    rows=results[index].rows_total, reused=False,
                )
    return [results[index] for index in range(len(work))]


def _carried_forward(work: list[_Work], progress: ScanProgress) -> dict[int, DatasetResult]:
    """Announce the work, and the results carried forward from the catalog by position."""
    todo = [item for item in work if item.reused is None]
    progress.planned(
        datasets=len(work), files=sum(item.files_read for item in todo),
        bytes_total=sum(item.bytes_read for item in todo), reused=len(work) - len(todo),
    )
    results: dict[int, DatasetResult] = {}
    for index, item in enumerate(work):
        if item.reused is not None:
            results[index] = item.reused[1]
            progress.dataset_done(
                item.reused[1].dataset, files_read=0, bytes_read=0, rows=item.reused[1].rows_total, reused=True
            )
    return results


def _dataset_result(dataset: Dataset, profile: FileProfile, plan: ScanPlan, runner: Runner) -> DatasetResult:
    """Classify a profiled dataset; for files, add its quasi-identifiers (read back on ``runner``).
    Names are data: personal column/dataset/file names are replaced before anything is shown."""
    if isinstance(dataset, FrameDataset):
        result = _classify(dataset.name, "dataframe", profile, plan.settings, plan.policy)
        return screen_dataset(replace(result, files=()))
    result = replace(_classify(dataset.name, dataset.format, profile, plan.settings, plan.policy), table=dataset.table)
    screened = screen_dataset(_attach_qi(result, dataset, plan, runner, profile.split_files))
    if screened.table is not None:  # a table's location is a path like any other
        screened = replace(screened, table=replace(screened.table, location=safe_path(screened.table.location)))
    return screened


def _attach_qi(
    result: DatasetResult, ref: DatasetRef, plan: ScanPlan, runner: Runner, split_files: Sequence[str] = ()
) -> DatasetResult:
    """Quasi-identifiers counted where the scan runs; a file profiled in parts is counted by the same parts
    (they are cut the same way again: ``file_parts`` depends only on the file, the settings and the runner's
    cores, read once when it opened)."""
    split = set(split_files)
    parts = {
        f.url: found
        for f in ref.files
        if f.url in split and (found := file_parts(f, reading=plan.settings.reading, cores=runner.cores)) is not None
    }
    with scan_must_finish(), runner.config_scope():
        return attach_quasi_identifiers(result, ref, plan.settings, plan.policy, runner.target, parts)


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


def _label(profile: FileProfile, label: str) -> FileProfile:
    profile.files = [label]
    return profile
