"""Pick quasi-identifier candidates from classified columns, count them over every row, and attach QI risk.

Every file is one partition that streams its batches as hashes into mergeable class counts
(:func:`pipeline.quasi.search_sources`), so memory follows the distinct combinations, not the file size.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

import numpy as np
from dask.base import compute as dask_compute

from pipeline.models import ColumnResult, DatasetResult
from pipeline.policy import Policy
from pipeline.quasi import (
    NULL_HASH,
    Combo,
    HashedBatch,
    SearchLimits,
    UInt64Array,
    hash_arrow,
    search_sources,
)
from pipeline.readers import ByteRange, iter_batches
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


# Tasks per core of a pass over spilled hashes: a spilled part is counted in tens of milliseconds, less
# than a task's scheduling and the shipping of its counts to another worker's merge; two a core still
# spread a pass evenly over the workers.
SPILLED_TASKS_PER_CORE = 2

# Row groups [first, stop) of a Parquet file or a byte range of a text file: a part of a split file.
FilePart = tuple[int, int] | ByteRange


@dataclass(frozen=True)
class FileHashes:
    """One file, or one ``part`` of a split file, as a :class:`pipeline.quasi.HashedSource`: each batch's
    candidate columns as 64-bit hashes. The parts of a big file are counted as separate tasks and their
    counts merged, so one big file uses every worker here as in profiling.

    A batch is hashed as soon as it is read and then dropped, so only one batch of the file is in memory.
    Values are compared as text (``astype("string")``), nulls as one value; a column the file lacks is null.
    A ReadError propagates: the file then counts no rows (``count_source``), as the scan reports it elsewhere.

    With ``spill`` (a path on the machine that runs the counting), the first pass writes every candidate's
    hashes there (8 bytes a cell, raw, no value) and later passes read that instead of parsing the file again;
    a spill that could not be completed (disk full) is dropped and the file is read again.
    """

    file: DataFile
    reading: ReadingSettings
    candidates: Combo = ()
    spill: str | None = None
    part: FilePart | None = None

    def hashed_batches(self, columns: Combo) -> Iterator[HashedBatch]:
        if self.spill is not None and os.path.exists(self.spill) and set(columns) <= set(self.candidates):
            yield from _read_spill(self.spill, self.candidates, columns)
            return
        wanted = tuple(dict.fromkeys((*self.candidates, *columns)))
        sink = _open_spill(self.spill) if self.spill is not None else None
        try:
            for batch in iter_batches(self.file, self.reading, self.part, wanted):  # only those columns (Parquet reads, CSV converts)
                names = set(batch.schema.names)
                hashes: dict[str, UInt64Array] = {
                    c: hash_arrow(batch.column(c)) if c in names else np.full(batch.num_rows, NULL_HASH, dtype=np.uint64)
                    for c in wanted
                }
                if sink is not None:
                    sink = _write_spill(sink, batch.num_rows, [hashes[c] for c in self.candidates])
                yield batch.num_rows, hashes
            if sink is not None and self.spill is not None:
                sink.close()
                os.replace(sink.name, self.spill)  # complete: later passes read it
                sink = None
        finally:
            if sink is not None:  # a read error or an abandoned pass: no half-written spill is ever read
                sink.close()
                with contextlib.suppress(OSError):
                    os.unlink(sink.name)


def _open_spill(path: str) -> BinaryIO | None:
    try:
        return open(path + ".part", "wb")  # closed by hashed_batches
    except OSError:
        return None


def _write_spill(sink: BinaryIO, rows: int, arrays: list[UInt64Array]) -> BinaryIO | None:
    """Append one batch (its row count, then each candidate's hashes); on a write error drop the spill."""
    try:
        sink.write(np.int64(rows).tobytes())
        for array in arrays:
            sink.write(np.ascontiguousarray(array, dtype=np.uint64).tobytes())
        return sink
    except OSError:
        sink.close()
        with contextlib.suppress(OSError):
            os.unlink(sink.name)
        return None


def _read_spill(path: str, candidates: Combo, columns: Combo) -> Iterator[HashedBatch]:
    width = len(candidates)
    with open(path, "rb") as source:
        while header := source.read(8):
            rows = int(np.frombuffer(header, dtype=np.int64)[0])
            block = np.fromfile(source, dtype=np.uint64, count=rows * width).reshape(width, rows)
            yield rows, {c: block[candidates.index(c)] for c in columns}


def _on_this_machine(runner: Any) -> bool:
    """Whether the counting tasks run on this machine (an in-process scheduler or a loopback cluster), so a
    spill file written by one pass is there for the next."""
    if isinstance(runner, str):
        return True
    address = str(getattr(getattr(runner, "scheduler", None), "address", "") or "")
    scheme, _, rest = address.partition("://")
    host = rest.split("/")[0].rsplit(":", 1)[0]
    return scheme == "inproc" or host in ("127.0.0.1", "localhost", "[::1]")


def _run_on(runner: Any) -> Callable[[Any], Any]:
    """Compute a Dask graph where the scan runs: a named scheduler ('sync', 'threads') or a distributed Client."""
    if isinstance(runner, str):
        return lambda graph: dask_compute(graph, scheduler=runner)[0]  # type: ignore[no-untyped-call]
    return lambda graph: runner.compute(graph).result()


def spilled_group(sources: int, cores: int | None = None) -> int:
    """Sources counted per task once their hashes are spilled: about ``SPILLED_TASKS_PER_CORE`` tasks a core
    of this machine (the spills are only used where the counting runs here), never fewer sources than one."""
    cores = cores or os.cpu_count() or 1
    return max(1, -(-sources // (SPILLED_TASKS_PER_CORE * cores)))


def _file_parts(ref: DatasetRef, parts: Mapping[str, Sequence[FilePart]]) -> list[tuple[DataFile, FilePart | None]]:
    """Every file of the dataset (in name order), by its parts where it has them."""
    whole: list[FilePart | None] = [None]
    return [(f, part) for f in sorted(ref.files, key=lambda f: f.url) for part in (parts.get(f.url) or whole)]


def attach_quasi_identifiers(
    result: DatasetResult,
    ref: DatasetRef,
    settings: ScanSettings,
    policy: Policy,
    runner: Any,
    parts: Mapping[str, Sequence[FilePart]] | None = None,
) -> DatasetResult:
    """The result with its quasi-identifier sets: candidate columns counted over every file, a split file
    by the ``parts`` (file URL → row groups or byte ranges) it was profiled in."""
    candidates = select_candidates(result)
    if not candidates:
        return result
    rules = policy.model.quasi_identifiers
    distinct = {c.name: c.distinct_estimate for c in result.columns if c.name in candidates}
    combo = tuple(candidates)
    with ExitStack() as stack:
        # Hashes of the candidates spilled by the first pass (rows × candidates × 8 bytes), deleted right after.
        spill_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="piiscan-qi-")) if _on_this_machine(runner) else None
        sources = [
            FileHashes(f, settings.reading, combo, None if spill_dir is None else os.path.join(spill_dir, f"{i}.hashes"), part)
            for i, (f, part) in enumerate(_file_parts(ref, parts or {}))
        ]
        search = search_sources(
            sources,
            candidates,
            run=_run_on(runner),
            rows=max(result.rows_total, result.rows_scanned),
            distinct=distinct,
            limits=SearchLimits(max_size=rules.max_size, k_threshold=rules.k_threshold),
            later_group=1 if spill_dir is None else spilled_group(len(sources)),
        )
    sets = search.sets
    members = {c for s in sets if s.risk in ("high", "medium") for c in s.columns}
    columns: tuple[ColumnResult, ...] = tuple(
        replace(c, quasi_identifier=c.name in members) for c in result.columns
    )
    return replace(result, columns=columns, quasi_identifier_sets=tuple(sets))
