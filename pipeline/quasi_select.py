"""Pick quasi-identifier candidates from classified columns, read them in full, and attach QI risk."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
from dask.delayed import delayed

from pipeline.errors import ReadError
from pipeline.models import ColumnResult, DatasetResult
from pipeline.policy import Policy
from pipeline.quasi import find_quasi_identifier_sets, hash_column
from pipeline.readers import iter_batches
from pipeline.settings import ScanSettings
from pipeline.sources import DataFile, DatasetRef
from recognizers.column_names import column_name_hints

# Categories that make a column a direct identifier or otherwise not a quasi-identifier candidate.
_EXCLUDED_CATEGORIES = frozenset(
    {"personal", "identifier_code", "credential", "financial", "device", "behavioral"}
)
_EXCLUDED_HINTS = frozenset({"MEASURE", "PRODUCT", "JAN_CODE", "JP_CORPORATE_NUMBER", "ORGANIZATION"})
MAX_CANDIDATES = 8
# Personal data that is also a quasi-identifier: a birth date alone names nobody, but with a postal code
# and sex it singles out most people (Sweeney 2000: 87 % of the US population is unique on the three).
QUASI_PERSONAL_ENTITIES = frozenset({"DATE_OF_BIRTH"})
# What may sit beside a birth date in such a column (the date itself, an age the header names).
_BESIDE_BIRTH_DATE = frozenset({"DATE", "AGE"})


def is_quasi_attribute(column: ColumnResult) -> bool:
    """An attribute of a person (age, sex, area, birth date) rather than an identifier or a sensitive fact."""
    if "attribute" in column.categories and not _EXCLUDED_CATEGORIES & set(column.categories):
        return True
    types = {e.type for e in column.entities}
    return bool(types & QUASI_PERSONAL_ENTITIES) and types <= QUASI_PERSONAL_ENTITIES | _BESIDE_BIRTH_DATE


def select_candidates(result: DatasetResult) -> list[str]:
    """Attributes (age, gender, occupation, area, postal code, birth date) first, then other
    low-to-medium-cardinality columns."""
    attributes: list[str] = []
    others: list[tuple[int, str]] = []
    rows = max(result.rows_scanned, 1)
    for column in result.columns:
        if column.free_text or column.non_null == 0:
            continue
        if is_quasi_attribute(column):
            attributes.append(column.name)
            continue
        if _EXCLUDED_CATEGORIES & set(column.categories):
            continue
        if column.categories:
            continue  # sensitive columns are governed by their own category
        if {h.entity for h in column_name_hints(column.name)} & _EXCLUDED_HINTS:
            continue
        if 2 <= column.distinct_estimate < min(250, max(3, rows // 2)):
            others.append((column.distinct_estimate, column.name))
    if not attributes:
        # No attribute of a person (age, gender, occupation, area): a ticket's subject and status can
        # single out rows but not people, so there is nothing to re-identify.
        return []
    ordered = attributes + [name for _, name in sorted(others)]
    return ordered[:MAX_CANDIDATES]


def _read_columns(file: DataFile, columns: list[str], settings: ScanSettings) -> pd.DataFrame:
    """The candidate columns of one file as 64-bit value hashes, batch by batch.

    Equivalence classes only need equality, so each batch is hashed as soon as it is read: 8 bytes a cell
    instead of a Python string, which keeps a multi-gigabyte file's QI analysis within memory.
    """
    frames = []
    try:
        for batch in iter_batches(file, settings.reading):
            present = [c for c in columns if c in batch.schema.names]
            frame = batch.select(present).to_pandas() if present else pd.DataFrame(index=range(batch.num_rows))
            frame = frame.reindex(columns=columns).astype("string")
            frames.append(pd.DataFrame({c: hash_column(frame[c]) for c in columns}))
    except ReadError:
        return _empty(columns)
    if not frames:
        return _empty(columns)
    combined: pd.DataFrame = pd.concat(frames, ignore_index=True)
    return combined


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="uint64") for c in columns})


def attach_quasi_identifiers(
    result: DatasetResult, ref: DatasetRef, settings: ScanSettings, policy: Policy, runner: Any
) -> DatasetResult:
    candidates = select_candidates(result)
    if not candidates:
        return result
    meta = _empty(candidates)
    parts = [delayed(_read_columns)(f, candidates, settings) for f in ref.files]
    frame = dd.from_delayed(parts, meta=meta, verify_meta=False)
    rules = policy.model.quasi_identifiers
    if isinstance(runner, str):
        with dask.config.set(scheduler=runner):
            sets = find_quasi_identifier_sets(frame, candidates, max_size=rules.max_size, k_threshold=rules.k_threshold)
    else:
        sets = find_quasi_identifier_sets(frame, candidates, max_size=rules.max_size, k_threshold=rules.k_threshold)
    members = {c for s in sets if s.risk in ("high", "medium") for c in s.columns}
    columns: tuple[ColumnResult, ...] = tuple(
        replace(c, quasi_identifier=c.name in members) for c in result.columns
    )
    return replace(result, columns=columns, quasi_identifier_sets=tuple(sets))
