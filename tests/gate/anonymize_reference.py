"""Today's whole-dataset anonymiser, frozen as the oracle for the streamed one (tests only).

This is ``pipeline/anonymizer.py`` as it stood before the split (commit ded1038): each dataset read whole and
concatenated (``_read_dataset``), transformed as one table, and written per file by slicing it. The streamed
``pipeline.anonymize_policy`` / ``pipeline.anonymize_appi`` must write the same rows and values in the same
order. The value operators are shared (they are pure and tested on their own in test_operators.py).
"""


from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from presidio_anonymizer.entities import OperatorConfig

from pipeline import appi
from pipeline.anonymize_columns import consent_categories, plan_column, transform_structured
from pipeline.anonymize_free_text import free_text_operators, redact_free_text
from pipeline.anonymize_io import output_relative_path
from pipeline.anonymize_models import AnonymizedDataset, ColumnAction
from pipeline.anonymize_operators import (
    HASH_KEY_ENV,
    as_text_list,
    generaliser_for,
    identity,
    keyed_hash,
    map_distinct,
)
from pipeline.anonymize_policy import DestinationContext
from pipeline.anonymize_suppress import enforce_k, suppress_rare, top_bottom_code
from pipeline.errors import ConfigError, ReadError
from pipeline.gate import GateUndecidable, consent_mask
from pipeline.models import ColumnResult, DatasetResult
from pipeline.policy import AppiStandard, DestinationRule, Policy
from pipeline.quasi_select import select_candidates
from pipeline.settings import ScanSettings
from pipeline.sources import DataFile, DatasetRef


def _read_file(file: DataFile, settings: ScanSettings) -> pa.Table:
    from pipeline.readers import iter_batches

    batches = list(iter_batches(file, settings.reading))
    if not batches:
        return pa.table({})
    tables = [pa.Table.from_batches([b]).flatten() for b in batches]
    return pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]


def _write_table(table: pa.Table, path: Path, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt in ("csv", "tsv"):
        pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(delimiter="\t" if fmt == "tsv" else ","))
    else:
        with path.open("w", encoding="utf-8") as handle:
            for record in table.to_pylist():
                handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def _write_parts(
    ref: DatasetRef,
    columns: dict[str, pa.Array | pa.ChunkedArray],
    keep: np.ndarray,
    sizes: list[int],
    work_dir: Path,
) -> list[str]:
    """Write the kept rows of ``columns`` back as one file per input file (same relative paths and formats)."""
    out_table = pa.table({n: (c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c) for n, c in columns.items()}) if columns else None
    mask = pa.array(keep)
    written: list[str] = []
    offset = 0
    for file, size in zip(ref.files, sizes, strict=True):
        relative = output_relative_path(ref, file)
        part = out_table.slice(offset, size).filter(mask.slice(offset, size)) if out_table is not None else pa.table({})
        offset += size
        _write_table(part, work_dir / relative, file.format)
        written.append(relative)
    return written


def _read_dataset(ref: DatasetRef, settings: ScanSettings) -> tuple[pa.Table, list[int]]:
    """Every file of ``ref`` as one table, and each file's row count; an unreadable file stops the export."""
    tables: list[pa.Table] = []
    for file in ref.files:
        try:
            tables.append(_read_file(file, settings))
        except ReadError as exc:
            raise GateUndecidable(f"cannot read {exc.path}: {exc.problem}") from None
    non_empty = [t for t in tables if t.num_columns]
    table = pa.concat_tables(non_empty, promote_options="permissive") if non_empty else pa.table({})
    return table, [t.num_rows for t in tables]


def _anonymize_dataset(
    ref: DatasetRef,
    result: DatasetResult,
    destination: DestinationContext,
    settings: ScanSettings,
    user_recognizers: str | None,
    work_dir: Path,
) -> AnonymizedDataset:
    policy, rule, consent_column, key = destination.policy, destination.rule, destination.consent_column, destination.key
    table, sizes = _read_dataset(ref, settings)
    rows_in = table.num_rows
    actions: list[ColumnAction] = []

    # Consent: where the destination needs it and a consent column is named, only consented rows go.
    needs_consent = any(
        consent_categories(rule) & set(c.categories) for c in result.columns if c.name != consent_column
    )
    consent_kept = bool(consent_column) and needs_consent
    keep = np.ones(rows_in, dtype=bool)
    if consent_kept and rows_in:
        assert consent_column is not None
        if consent_column not in table.column_names:
            raise GateUndecidable(f"{ref.name}: consent column {consent_column!r} not found")
        keep &= np.asarray(consent_mask(table.column(consent_column)).to_numpy(zero_copy_only=False), dtype=bool)
    rows_without_consent = rows_in - int(keep.sum())

    columns: dict[str, pa.Array | pa.ChunkedArray] = {name: table.column(name) for name in table.column_names}
    free_text_ops: dict[str, OperatorConfig] | None = None
    by_name = {c.name: c for c in result.columns}
    for name in list(columns):
        column = by_name.get(name)
        if column is None or name == consent_column:
            continue
        if column.free_text:
            if free_text_ops is None:
                free_text_ops = free_text_operators(rule, policy, consent_kept, key)
            if not free_text_ops:
                continue
            new_values, changed = redact_free_text(
                as_text_list(columns[name]), free_text_ops, settings, user_recognizers
            )
            columns[name] = new_values
            actions.append(ColumnAction(name, "redacted_spans", f"PII spans replaced in {changed} values"))
            continue
        plan = plan_column(column, rule, policy, consent_kept)
        if plan is None:
            continue
        transformed, action = transform_structured(as_text_list(columns[name]), plan, rule, key)
        if transformed is None:
            del columns[name]
        else:
            columns[name] = transformed
        actions.append(action)

    # k-anonymity over the columns the scan would combine into quasi-identifier sets.
    rows_suppressed = 0
    if rule.quasi_identifier_rules and rows_in:
        k = policy.model.quasi_identifiers.k_threshold
        if any("medium" in r.blocked_risks for r in rule.quasi_identifier_rules):
            k *= 2  # medium risk is k < 2 × threshold (pipeline.quasi.classify_risk)
        candidates = [c for c in select_candidates(result) if c in columns and c != consent_column]
        # A masked or hashed column can turn low-cardinality and join a quasi-identifier set on the re-check.
        kept_rows = int(keep.sum())
        for action in actions:
            name = action.column
            if action.action in ("masked", "hashed", "redacted", "generalised") and name in columns and name not in candidates:
                distinct = pc.count_distinct(pc.filter(columns[name], pa.array(keep))).as_py()
                if 2 <= distinct < min(250, max(3, kept_rows // 2)):
                    candidates.append(name)
        if candidates:
            frame = pd.DataFrame({c: as_text_list(columns[c]) for c in candidates})
            frame = frame.loc[keep].reset_index(drop=True)
            qi_keep, qi_dropped = enforce_k(
                frame, candidates, k, policy.model.quasi_identifiers.max_size, rule.anonymize.max_suppressed_share
            )
            for name in qi_dropped:
                del columns[name]
                actions.append(ColumnAction(name, "dropped", f"quasi-identifier: suppression to k={k} would remove too many rows"))
            rows_suppressed = int((~qi_keep).sum())
            positions = np.flatnonzero(keep)
            keep[positions[~qi_keep]] = False

    written = _write_parts(ref, columns, keep, sizes, work_dir)
    return AnonymizedDataset(
        dataset=ref.name,
        files=tuple(written),
        rows_in=rows_in,
        rows_out=int(keep.sum()),
        rows_without_consent=rows_without_consent,
        rows_suppressed=rows_suppressed,
        actions=tuple(actions),
    )


def _appi_generaliser(column: ColumnResult | None) -> Callable[[str], str | None] | None:
    for entity in column.entities if column is not None else ():
        generalise = generaliser_for(entity.type, "year")
        if generalise is not None and generalise is not identity:
            return generalise
    return None


def _appi_dataset(
    ref: DatasetRef,
    result: DatasetResult,
    policy: Policy,
    rule: DestinationRule,
    standard: AppiStandard,
    settings: ScanSettings,
    key: bytes | None,
    work_dir: Path,
) -> AnonymizedDataset:
    """Apply each item of the processing standard to one dataset and write it under ``work_dir``."""
    table, sizes = _read_dataset(ref, settings)
    rows_in = table.num_rows
    columns: dict[str, pa.Array | pa.ChunkedArray] = {name: table.column(name) for name in table.column_names}
    by_name = {c.name: c for c in result.columns}
    actions: list[ColumnAction] = []
    keep = np.ones(rows_in, dtype=bool)
    rows_suppressed = 0

    # Items 1–3 (and 31条3号): delete the columns, or replace them with a keyed hash.
    direct: set[str] = set()
    for item in standard.items:
        if item.check in ("peculiar_descriptions", "database_nature"):
            continue
        for name in appi.item_columns(result, item, policy):
            direct.add(name)
            if name not in columns:
                continue
            column = by_name.get(name)
            if item.action == "hash" and not (column is not None and column.free_text):
                if key is None:
                    raise ConfigError(f"internal: keyed hash requested without a key ({HASH_KEY_ENV})")
                columns[name] = map_distinct(as_text_list(columns[name]), keyed_hash(key))
                actions.append(ColumnAction(name, "hashed", f"{item.citation} ({item.check})"))
            else:
                del columns[name]
                actions.append(ColumnAction(name, "dropped", f"{item.citation} ({item.check})"))
    peculiar = next((i for i in standard.items if i.check == "peculiar_descriptions"), None)
    nature = next((i for i in standard.items if i.check == "database_nature"), None)
    if peculiar is not None:
        # Frequencies cannot tell a peculiar description inside free text: the column goes.
        for column in result.columns:
            if column.free_text and column.name in columns:
                del columns[column.name]
                actions.append(ColumnAction(column.name, "dropped", f"{peculiar.citation}: free text"))

    def text(name: str) -> list[str | None]:
        return as_text_list(columns[name])

    codes = appi.code_columns(result)

    def code_peculiar(names: list[str]) -> None:
        assert peculiar is not None and peculiar.min_count is not None
        kept = pd.DataFrame({n: text(n) for n in names if n in columns}).loc[keep].reset_index(drop=True)
        found = appi.peculiar_values(kept, list(kept.columns), peculiar.min_count, peculiar.tail_percentile, codes)
        # Only the columns item 4 finds peculiar values in are touched.
        for name in dict.fromkeys(v.column for v in found):
            current = text(name)
            scaled = name not in codes and appi.as_scale(kept[name])[0] is not None
            # Numbers and dates are top/bottom-coded; other values held by too few rows are suppressed.
            values, changed = top_bottom_code(current, peculiar.tail_percentile, keep) if scaled else (current, 0)
            suppressed = 0
            if not scaled:
                values, suppressed = suppress_rare(current, keep, peculiar.min_count)
            if changed or suppressed:
                columns[name] = pa.array(values, type=pa.string())
                detail = f"{peculiar.citation}: " + (f"{changed} value(s) top/bottom-coded" if changed else f"{suppressed} rare value(s) suppressed")
                actions.append(ColumnAction(name, "generalised", detail))

    generalised: set[str] = set()
    for _ in range(4):
        if peculiar is not None:
            code_peculiar([n for n in appi.quasi_columns(result, peculiar, policy, direct) if n in columns])
        if nature is None or nature.k_threshold is None or not rows_in:
            break
        qi = [n for n in appi.quasi_columns(result, nature, policy, direct) if n in columns]
        frame = pd.DataFrame({n: text(n) for n in qi}).loc[keep].reset_index(drop=True)
        if not appi.k_violations(frame, qi, nature.k_threshold, nature.max_size):
            break
        # Generalise first (age → band, date → year, postal code → 3 digits, address → prefecture), then suppress.
        for name in qi:
            generalise = _appi_generaliser(by_name.get(name))
            if generalise is not None and name not in generalised:
                generalised.add(name)
                columns[name] = map_distinct(text(name), generalise)
                actions.append(ColumnAction(name, "generalised", f"{nature.citation}: {name} generalised (band/year/prefix)"))
        frame = pd.DataFrame({n: text(n) for n in qi}).loc[keep].reset_index(drop=True)
        qi_keep, qi_dropped = enforce_k(frame, qi, nature.k_threshold, nature.max_size, rule.anonymize.max_suppressed_share)
        for name in qi_dropped:
            del columns[name]
            actions.append(ColumnAction(name, "dropped", f"{nature.citation}: suppression to k={nature.k_threshold} would remove too many rows"))
        positions = np.flatnonzero(keep)
        rows_suppressed += int((~qi_keep).sum())
        keep[positions[~qi_keep]] = False

    written = _write_parts(ref, columns, keep, sizes, work_dir)
    return AnonymizedDataset(
        dataset=ref.name, files=tuple(written), rows_in=rows_in, rows_out=int(keep.sum()), rows_without_consent=0,
        rows_suppressed=rows_suppressed, actions=tuple(actions),
    )
