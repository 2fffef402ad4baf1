"""Pick quasi-identifier candidates from classified columns, count them over every row, and attach QI risk.

Every file is one partition that streams its batches as hashes into mergeable class counts
(:func:`pipeline.quasi.search_sources`), so memory follows the distinct combinations, not the file size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from dask.base import compute as dask_compute

from pipeline.models import ColumnResult, DatasetResult
from pipeline.policy import Policy
from pipeline.quasi import NULL_HASH, Combo, HashedBatch, UInt64Array, hash_arrow, search_sources
from pipeline.readers import iter_batches
from pipeline.settings import ReadingSettings, ScanSettings
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


@dataclass(frozen=True)
class FileHashes:
    """One file as a :class:`pipeline.quasi.HashedSource`: each batch's candidate columns as 64-bit hashes.

    A batch is hashed as soon as it is read and then dropped, so only one batch of the file is in memory.
    Values are compared as text (``astype("string")``), nulls as one value; a column the file lacks is null.
    A ReadError propagates: the file then counts no rows (``count_source``), as the scan reports it elsewhere.
    """

    file: DataFile
    reading: ReadingSettings

    def hashed_batches(self, columns: Combo) -> Iterator[HashedBatch]:
        for batch in iter_batches(self.file, self.reading):
            names = set(batch.schema.names)
            hashes: dict[str, UInt64Array] = {
                c: hash_arrow(batch.column(c)) if c in names else np.full(batch.num_rows, NULL_HASH, dtype=np.uint64)
                for c in columns
            }
            yield batch.num_rows, hashes


def _run_on(runner: Any) -> Callable[[Any], Any]:
    """Compute a Dask graph where the scan runs: a named scheduler ('sync', 'threads') or a distributed Client."""
    if isinstance(runner, str):
        return lambda graph: dask_compute(graph, scheduler=runner)[0]  # type: ignore[no-untyped-call]
    return lambda graph: runner.compute(graph).result()


def attach_quasi_identifiers(
    result: DatasetResult, ref: DatasetRef, settings: ScanSettings, policy: Policy, runner: Any
) -> DatasetResult:
    candidates = select_candidates(result)
    if not candidates:
        return result
    rules = policy.model.quasi_identifiers
    distinct = {c.name: c.distinct_estimate for c in result.columns if c.name in candidates}
    search = search_sources(
        [FileHashes(f, settings.reading) for f in sorted(ref.files, key=lambda f: f.url)],
        candidates,
        run=_run_on(runner),
        rows=max(result.rows_total, result.rows_scanned),
        distinct=distinct,
        max_size=rules.max_size,
        k_threshold=rules.k_threshold,
    )
    sets = search.sets
    members = {c for s in sets if s.risk in ("high", "medium") for c in s.columns}
    columns: tuple[ColumnResult, ...] = tuple(
        replace(c, quasi_identifier=c.name in members) for c in result.columns
    )
    return replace(result, columns=columns, quasi_identifier_sets=tuple(sets))
