"""One dataset anonymised for a destination of ``policy.yaml`` (its ``anonymize.operators``), streamed.

Per column, the destination's operator for each category (drop, mask, keyed hash, redact, generalise);
free-text columns lose only their detected spans. Rows without consent are dropped where the destination
requires consent, and rows in quasi-identifier classes smaller than k are suppressed. Those two need the
whole dataset: a first pass reads only the consent and quasi-identifier columns to decide which rows go,
then a second pass applies the operators batch by batch and writes each part as it goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from presidio_anonymizer.entities import OperatorConfig

from pipeline.anonymize_columns import ColumnPlan, consent_categories, plan_column, transform_structured
from pipeline.anonymize_free_text import free_text_operators, redact_free_text
from pipeline.anonymize_io import Projection, read_projection, write_streamed
from pipeline.anonymize_models import AnonymizedDataset, ColumnAction
from pipeline.anonymize_operators import as_text_list
from pipeline.anonymize_suppress import enforce_k
from pipeline.gate import GateUndecidable, consent_mask
from pipeline.models import DatasetResult
from pipeline.policy import DestinationRule, Policy
from pipeline.quasi_select import select_candidates
from pipeline.settings import ScanSettings
from pipeline.sources import DatasetRef

# Actions whose new values can turn a column low-cardinality, so that it joins a quasi-identifier set.
_RECODED = ("masked", "hashed", "redacted", "generalised")


@dataclass(frozen=True)
class DestinationContext:
    """What a dataset is anonymised for: the policy, the destination's rule, the consent column named on the
    command line (None: none) and the keyed-hash key (None when no column is hashed)."""

    policy: Policy
    rule: DestinationRule
    consent_column: str | None
    key: bytes | None


@dataclass(frozen=True)
class _Job:
    """Everything one dataset's anonymisation needs besides its data."""

    result: DatasetResult
    policy: Policy
    rule: DestinationRule
    consent_column: str | None
    consent_kept: bool  # rows without consent are dropped (and consent-required categories kept)
    settings: ScanSettings
    user_recognizers: str | None
    key: bytes | None


@dataclass(frozen=True)
class _Step:
    """What happens to one column: a structured plan, or span redaction in free text (``plan`` None)."""

    column: str
    plan: ColumnPlan | None
    action: ColumnAction | None  # the structured action (known before any value is read)

    @property
    def drops(self) -> bool:
        return self.action is not None and self.action.action == "dropped"


@dataclass
class _Rows:
    """Which rows of the dataset are written, and which columns k-anonymity drops."""

    keep: np.ndarray
    without_consent: int = 0
    suppressed: int = 0
    dropped: list[str] = field(default_factory=list)
    actions: list[ColumnAction] = field(default_factory=list)


def _column_steps(names: Sequence[str], job: _Job) -> tuple[list[_Step], dict[str, OperatorConfig]]:
    """The step of each column of the dataset (in its order), and the free-text operators (if any column
    is free text)."""
    by_name = {c.name: c for c in job.result.columns}
    steps: list[_Step] = []
    free_text_ops: dict[str, OperatorConfig] | None = None
    for name in names:
        column = by_name.get(name)
        if column is None or name == job.consent_column:
            continue
        if column.free_text:
            if free_text_ops is None:
                free_text_ops = free_text_operators(job.rule, job.policy, job.consent_kept, job.key)
            if free_text_ops:
                steps.append(_Step(name, None, None))
            continue
        plan = plan_column(column, job.rule, job.policy, job.consent_kept)
        if plan is not None:
            steps.append(_Step(name, plan, transform_structured([], plan, job.rule, job.key)[1]))
    return steps, free_text_ops or {}


def _wanted_columns(job: _Job) -> set[str]:
    """The columns the whole-dataset steps read: consent, and the quasi-identifier candidates (with the
    recoded columns that may join them)."""
    wanted = {job.consent_column} if job.consent_column and job.consent_kept else set()
    if job.rule.quasi_identifier_rules:
        wanted |= set(select_candidates(job.result))
        for column in job.result.columns:
            plan = None if column.free_text else plan_column(column, job.rule, job.policy, job.consent_kept)
            if plan is not None and plan.operator != "drop":
                wanted.add(column.name)
    return wanted


def _consent_rows(projection: Projection, job: _Job, ref: DatasetRef) -> _Rows:
    keep = np.ones(projection.rows, dtype=bool)
    if job.consent_kept and projection.rows:
        assert job.consent_column is not None
        if job.consent_column not in projection.schema.names:
            raise GateUndecidable(f"{ref.name}: consent column {job.consent_column!r} not found")
        values = projection.table.column(job.consent_column)
        keep &= np.asarray(consent_mask(values).to_numpy(zero_copy_only=False), dtype=bool)
    return _Rows(keep=keep, without_consent=projection.rows - int(keep.sum()))


def _current_text(projection: Projection, steps: dict[str, _Step], name: str, job: _Job) -> list[str | None]:
    """A column's values as they will be written (after its structured operator), as text."""
    values = as_text_list(projection.table.column(name))
    step = steps.get(name)
    if step is None or step.plan is None:
        return values
    transformed = transform_structured(values, step.plan, job.rule, job.key)[0]
    assert transformed is not None  # dropped columns are never candidates
    return as_text_list(transformed)


def _qi_candidates(projection: Projection, steps: dict[str, _Step], rows: _Rows, job: _Job) -> dict[str, list[str | None]]:
    """The columns the scan would combine into quasi-identifier sets, with their written values."""
    present = {n for n in projection.schema.names if not (n in steps and steps[n].drops)}
    names = [c for c in select_candidates(job.result) if c in present and c != job.consent_column]
    values = {name: _current_text(projection, steps, name, job) for name in names}
    # A masked or hashed column can turn low-cardinality and join a quasi-identifier set on the re-check.
    kept_rows = int(rows.keep.sum())
    for step in steps.values():
        name = step.column
        if step.action is None or step.action.action not in _RECODED or name not in present or name in values:
            continue
        text = _current_text(projection, steps, name, job)
        distinct = len({v for v, kept in zip(text, rows.keep, strict=True) if kept and v is not None})
        if 2 <= distinct < min(250, max(3, kept_rows // 2)):
            values[name] = text
    return values


def _suppress_for_k(projection: Projection, steps: dict[str, _Step], rows: _Rows, job: _Job) -> None:
    """k-anonymity over the quasi-identifier candidates: rows in small classes are suppressed (or, when
    too many would go, the widest column is dropped)."""
    if not job.rule.quasi_identifier_rules or not projection.rows:
        return
    k = job.policy.model.quasi_identifiers.k_threshold
    if any("medium" in r.blocked_risks for r in job.rule.quasi_identifier_rules):
        k *= 2  # medium risk is k < 2 × threshold (pipeline.quasi.classify_risk)
    candidates = _qi_candidates(projection, steps, rows, job)
    if not candidates:
        return
    names = list(candidates)
    frame = pd.DataFrame(candidates)
    candidates.clear()  # the frame holds the values now
    frame = frame.loc[rows.keep].reset_index(drop=True)
    qi_keep, qi_dropped = enforce_k(
        frame, names, k, job.policy.model.quasi_identifiers.max_size, job.rule.anonymize.max_suppressed_share
    )
    for name in qi_dropped:
        rows.dropped.append(name)
        rows.actions.append(ColumnAction(name, "dropped", f"quasi-identifier: suppression to k={k} would remove too many rows"))
    rows.suppressed = int((~qi_keep).sum())
    rows.keep[np.flatnonzero(rows.keep)[~qi_keep]] = False


class _PolicyRewrite:
    """Second pass, per batch: each column's operator, then only the kept rows."""

    def __init__(self, steps: list[_Step], free_text_ops: dict[str, OperatorConfig], rows: _Rows, job: _Job) -> None:
        self._steps = {s.column: s for s in steps}
        self._ops = free_text_ops
        self._rows = rows
        self._job = job
        self._gone = {s.column for s in steps if s.drops} | set(rows.dropped)
        self.spans_replaced = dict.fromkeys((s.column for s in steps if s.plan is None), 0)

    def __call__(self, batch: pa.Table, first_row: int) -> pa.Table:
        columns: dict[str, pa.Array | pa.ChunkedArray] = {}
        for name in batch.column_names:
            step = self._steps.get(name)
            if name in self._gone:
                continue
            if step is None:
                columns[name] = batch.column(name)
            elif step.plan is None:
                # Every row is redacted (kept or not) so the count matches the whole-column redaction.
                job = self._job
                columns[name], changed = redact_free_text(
                    as_text_list(batch.column(name)), self._ops, job.settings, job.user_recognizers
                )
                self.spans_replaced[name] += changed
            else:
                transformed = transform_structured(as_text_list(batch.column(name)), step.plan, self._job.rule, self._job.key)[0]
                assert transformed is not None
                columns[name] = transformed
        if not columns:
            return pa.table({})
        return pa.table(columns).filter(pa.array(self._rows.keep[first_row : first_row + batch.num_rows]))

    def actions(self, steps: list[_Step]) -> list[ColumnAction]:
        """What was done to each column, in column order (free-text counts summed over the batches)."""
        return [
            s.action if s.action is not None
            else ColumnAction(s.column, "redacted_spans", f"PII spans replaced in {self.spans_replaced[s.column]} values")
            for s in steps
        ]


def anonymize_dataset(
    ref: DatasetRef,
    result: DatasetResult,
    destination: DestinationContext,
    settings: ScanSettings,
    user_recognizers: str | None,
    work_dir: Path,
) -> AnonymizedDataset:
    """Anonymise one dataset for ``destination`` and write its parts under ``work_dir`` (two passes, streamed)."""
    policy, rule, consent_column, key = destination.policy, destination.rule, destination.consent_column, destination.key
    # Consent: where the destination needs it and a consent column is named, only consented rows go.
    needs_consent = any(consent_categories(rule) & set(c.categories) for c in result.columns if c.name != consent_column)
    job = _Job(result, policy, rule, consent_column, bool(consent_column) and needs_consent, settings, user_recognizers, key)
    projection = read_projection(ref, settings, _wanted_columns(job))
    rows = _consent_rows(projection, job, ref)
    steps, free_text_ops = _column_steps(projection.schema.names, job)
    _suppress_for_k(projection, {s.column: s for s in steps}, rows, job)
    schema = projection.schema
    del projection  # only the schema and the row mask outlive the first pass
    rewrite = _PolicyRewrite(steps, free_text_ops, rows, job)
    written = write_streamed(ref, settings, schema, rewrite, work_dir)
    return AnonymizedDataset(
        dataset=ref.name, files=tuple(written), rows_in=len(rows.keep), rows_out=int(rows.keep.sum()),
        rows_without_consent=rows.without_consent, rows_suppressed=rows.suppressed,
        actions=tuple(rewrite.actions(steps) + rows.actions),
    )
