"""Quasi-identifier discovery: which column combinations single out rows, on the full data.

Each row's values in a combination are hashed into one uint64 key (a hash per column, combined
column by column); equal keys form an equivalence class. From the class sizes we get ``k_min``
(the smallest class, k-anonymity) and the unique ratio (share of rows in classes of size 1, sample
uniqueness). Nulls are one value of their own, as in ``groupby(dropna=False)``. Two different
value tuples collide with probability about d²/2⁶⁵ over d distinct combinations (3e-8 at a million,
1.6e-5 at 24 million); a collision can only merge two classes, i.e. understate risk by one row.

A pandas frame is counted in memory. Partitioned data (a Dask frame, or the files of a dataset read
batch by batch through :class:`HashedSource`) is counted in bounded memory: each partition streams its
batches into per-combination :class:`KeyCounts` (the distinct keys, sorted, and the rows of each), which
are merged by a tree reduction, so memory follows the number of DISTINCT combinations, never the rows.
A level's combinations are counted in one pass over the data when their keys fit ``max_keys`` (an upper
bound from the level below: classes(A ∪ {c}) ≤ classes(A) · classes(c), and ≤ rows); a combination
expected to have more keys is counted in several passes, each keeping only the keys ``key % shards ==
shard`` (disjoint shares of the classes, so the shares' statistics combine exactly). A level's passes
are one Dask graph, so no worker idles at the end of each pass; Dask's ordering finishes a pass's merges
before it starts many more counts. Once the first pass has spilled the hashes, later passes count several
partitions a task (``later_group``), merging them in the task. Counts are not capped: k_min is reported exactly whatever its size, as the pandas path does.

Search (apriori): combinations of size 1..max_size; once a combination singles out at least
``unique_stop`` of the rows, its supersets are not evaluated (adding a column never lowers
uniqueness) — it is reported as a minimal risky combination. ``search_quasi_identifiers`` also
returns what was evaluated and how much was pruned, for tests and for the report's explanation.

Which sets are returned: every evaluated combination whose risk is high (k_min < k_threshold) or
medium (k_min < 2·k_threshold), except supersets that add nothing — a combination is dropped when
one of its subsets has the same risk and singles out almost as many rows (less than
``MIN_UNIQUE_GAIN`` fewer). Sorted high first, then by unique ratio (descending), capped at
``max_sets``. If nothing is risky, the single widest evaluated combination (the riskiest among the
widest) is returned with risk "low", so the caller can show what was checked.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dask.base import compute as dask_compute
from dask.delayed import delayed

from pipeline.errors import ReadError
from pipeline.models import QuasiIdentifierSet, Risk
from pipeline.value_hash import stable_hashes

if TYPE_CHECKING:
    import dask.dataframe as dd

    Frame = pd.DataFrame | dd.DataFrame
else:
    Frame = Any

# A superset must single out at least this much more of the rows than an equally risky subset.
MIN_UNIQUE_GAIN = 0.01
# Odd 64-bit multiplier (golden ratio) that mixes the running key before adding the next column.
_MIX = np.uint64(0x9E3779B97F4A7C15)
# Hash given to every null, whatever its flavour (None, NaN, NA, NaT), and to a column a file lacks.
NULL_HASH = np.uint64(0xA5A5_5A5A_C3C3_3C3C)
# Distinct keys one pass over the data may hold across its combinations: 16 bytes each (key and count),
# 64 MB; merging a combination's state with its pending batches (as many keys again) peaks at about
# 48 bytes a key of that combination, ~400 MB at most. More passes cost little once the hashes are spilled.
DEFAULT_MAX_KEYS = 4_000_000
# Partition counts merged per node of the tree reduction.
_MERGE_FAN_IN = 8
# Key batches below this many keys are merged lazily (merging tiny states costs more than it saves).
_MIN_PENDING_KEYS = 1 << 16
# Distinct-value hints are estimates (KMV, ~1.6 % error): plan with a margin.
_HINT_MARGIN = 1.1
_RISK_ORDER: Mapping[str, int] = {"high": 0, "medium": 1, "low": 2}

Combo = tuple[str, ...]
UInt64Array = npt.NDArray[np.uint64]
Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ClassStats:
    """Equivalence-class statistics of one column combination."""

    columns: Combo
    rows: int
    k_min: int
    unique_ratio: float


@dataclass(frozen=True)
class QiSearch:
    """The outcome of a search: the sets to report and how the lattice was walked."""

    sets: tuple[QuasiIdentifierSet, ...]
    evaluated: tuple[ClassStats, ...]
    pruned: int  # combinations skipped because a subset already reached unique_stop


def classify_risk(k_min: int, k_threshold: int) -> Risk:
    if k_min < k_threshold:
        return "high"
    if k_min < 2 * k_threshold:
        return "medium"
    return "low"


# ------------------------------------------------------------------ hashing and counting


def hash_column(series: pd.Series) -> UInt64Array:
    """A stable 64-bit hash per value (nulls one value of their own): equal values, equal hashes."""
    if series.dtype.kind == "f":
        series = series + 0.0  # -0.0 and 0.0 are one value, as in groupby
    hashed = np.array(pd.util.hash_pandas_object(series, index=False).to_numpy(), dtype=np.uint64)
    nulls = series.isna().to_numpy(dtype=bool)
    if nulls.any():
        hashed[nulls] = NULL_HASH
    return hashed


def _combined_key(hashes: Mapping[str, UInt64Array], combo: Combo, rows: int) -> UInt64Array:
    key: UInt64Array = np.zeros(rows, dtype=np.uint64)
    for column in combo:
        key = key * _MIX + hashes[column]  # uint64 arithmetic wraps, which is what a hash wants
    return key


def _class_sizes(key: UInt64Array) -> npt.NDArray[np.int64]:
    return np.asarray(pd.Series(key, copy=False).value_counts(sort=False).to_numpy(), dtype=np.int64)


def _stats_from_sizes(combo: Combo, sizes: npt.NDArray[np.int64]) -> ClassStats:
    rows = int(sizes.sum())
    if rows == 0:
        return ClassStats(combo, 0, 0, 0.0)
    uniques = int(np.count_nonzero(sizes == 1))
    return ClassStats(combo, rows, int(sizes.min()), uniques / rows)


def hash_arrow(array: pa.Array | pa.ChunkedArray) -> UInt64Array:
    """A stable 64-bit hash per row of an Arrow column read as text (``astype("string")``), nulls one value.

    Columns are dictionary-encoded first, so each distinct value of the batch is hashed once, over Arrow's
    buffers (pipeline/value_hash.py: no Python string per value); the rows take their value's hash by index."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    rows = len(array)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        try:
            # Arrow's cast, not pandas': an integer column reads "1" in every batch, with or without nulls
            # (pandas turns a batch with nulls into floats, "1.0").
            array = pc.cast(array, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            array = pa.array(pd.Series(array.to_pandas(), copy=False).astype("string"), type=pa.string())
    encoded = array.dictionary_encode()
    dictionary = encoded.dictionary
    if len(dictionary) == 0:
        return np.full(rows, NULL_HASH, dtype=np.uint64)
    value_hashes = stable_hashes(dictionary)
    indices = encoded.indices
    hashed: UInt64Array = value_hashes[pc.fill_null(indices, 0).to_numpy(zero_copy_only=False)]
    if indices.null_count:
        hashed[indices.is_null().to_numpy(zero_copy_only=False)] = NULL_HASH
    return hashed


# ------------------------------------------------------------------ mergeable class counts


@dataclass(frozen=True)
class KeyCounts:
    """The mergeable state of one count: distinct combination keys (sorted, unique) and rows per key."""

    keys: UInt64Array
    counts: Int64Array

    @staticmethod
    def empty() -> KeyCounts:
        return KeyCounts(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))


def count_keys(key: UInt64Array) -> KeyCounts:
    keys, counts = np.unique(key, return_counts=True)
    return KeyCounts(keys.astype(np.uint64, copy=False), counts.astype(np.int64, copy=False))


def merge_key_counts(parts: Sequence[KeyCounts]) -> KeyCounts:
    """One KeyCounts holding the rows of all ``parts`` (a sort-merge: about 32 bytes a key at its peak)."""
    present = [p for p in parts if len(p.keys)]
    if not present:
        return KeyCounts.empty()
    if len(present) == 1:
        return present[0]
    keys = np.concatenate([p.keys for p in present])
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    counts = np.concatenate([p.counts for p in present])[order]
    del order
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return KeyCounts(keys[starts], np.add.reduceat(counts, starts))


class _KeyAccumulator:
    """Streams key batches into one KeyCounts; batches wait until they hold as many keys as the merged
    state, so each key is re-sorted O(log rows) times (not once a batch)."""

    def __init__(self) -> None:
        self._merged = KeyCounts.empty()
        self._pending: list[KeyCounts] = []
        self._pending_keys = 0

    def add(self, key: UInt64Array) -> None:
        part = count_keys(key)
        self._pending.append(part)
        self._pending_keys += len(part.keys)
        if self._pending_keys >= max(len(self._merged.keys), _MIN_PENDING_KEYS):
            self._merged = merge_key_counts([self._merged, *self._pending])
            self._pending, self._pending_keys = [], 0

    def result(self) -> KeyCounts:
        return merge_key_counts([self._merged, *self._pending])


@dataclass(frozen=True)
class CountTask:
    """Count one combination, or only its keys with ``key % shards == shard`` (a disjoint share of its classes)."""

    combo: Combo
    shards: int = 1
    shard: int = 0


# (rows, column → one hash per row): a batch of a partition, already hashed.
HashedBatch = tuple[int, Mapping[str, UInt64Array]]


class HashedSource(Protocol):
    """One partition of a dataset (a file, a part of one) that yields its rows as hashed batches."""

    def hashed_batches(self, columns: Combo) -> Iterator[HashedBatch]: ...


def count_batches(batches: Iterable[HashedBatch], tasks: Sequence[CountTask]) -> list[KeyCounts]:
    """Class counts of each task over the batches, holding one batch and the distinct keys at a time."""
    accumulators = [_KeyAccumulator() for _ in tasks]
    for rows, hashes in batches:
        keys: dict[Combo, UInt64Array] = {}
        for task, accumulator in zip(tasks, accumulators, strict=True):
            if task.combo not in keys:
                keys[task.combo] = _combined_key(hashes, task.combo, rows)
            key = keys[task.combo]
            if task.shards > 1:
                key = key[key % np.uint64(task.shards) == np.uint64(task.shard)]
            accumulator.add(key)
    return [accumulator.result() for accumulator in accumulators]


def count_source(source: HashedSource, tasks: Sequence[CountTask]) -> list[KeyCounts]:
    """:func:`count_batches` over one source; a source that cannot be read counts no rows (the scan reports
    the read error itself)."""
    columns = tuple(sorted({c for task in tasks for c in task.combo}))
    try:
        return count_batches(source.hashed_batches(columns), tasks)
    except ReadError:
        return [KeyCounts.empty() for _ in tasks]


def count_group(
    count: Callable[[Any, Sequence[CountTask]], list[KeyCounts]], parts: Sequence[Any], tasks: Sequence[CountTask]
) -> list[KeyCounts]:
    """``count`` over several parts in one Dask task, merged per task: for passes whose parts are cheap to
    count (their hashes spilled), so a pass is a few tasks whose counts never cross between workers."""
    per_part = [count(part, tasks) for part in parts]
    return [_merge_entry(per_part, index) for index in range(len(tasks))]


def _count_frame(part: pd.DataFrame, tasks: Sequence[CountTask]) -> list[KeyCounts]:
    """:func:`count_batches` over one pandas partition of a Dask frame (one batch)."""
    needed = {c for task in tasks for c in task.combo}
    return count_batches([(len(part), {c: hash_column(part[c]) for c in needed})], tasks)


@dataclass(frozen=True)
class _Tally:
    """What a search needs of one task's classes; shares of a sharded combination add up exactly."""

    rows: int
    k_min: int
    uniques: int
    classes: int


def summarise(counts: KeyCounts) -> _Tally:
    return _Tally(
        int(counts.counts.sum()),
        int(counts.counts.min()) if len(counts.counts) else 0,
        int(np.count_nonzero(counts.counts == 1)),
        len(counts.keys),
    )


def _merge_entry(count_lists: Sequence[Sequence[KeyCounts]], task: int) -> KeyCounts:
    """Entry ``task`` of each partition's count list, merged: the lists go in whole, so picking an entry is
    no Dask task of its own (a getitem per partition and task was half of a scan's tasks)."""
    return merge_key_counts([counts[task] for counts in count_lists])


def _tree(parts: list[Any], tasks: int) -> Any:
    """Per task of the pass, Dask tasks merging its counts from ``parts`` (delayed count lists, one entry a
    task) in a tree of fan-in _MERGE_FAN_IN, then its tally. Each task merges on its own, so the merges of
    one pass (its combinations and shards) run in parallel, and each stays where Dask puts it: only tallies
    come back."""
    tallies = []
    for task in range(tasks):
        level = [
            delayed(_merge_entry, pure=False)(parts[i : i + _MERGE_FAN_IN], task)
            for i in range(0, len(parts), _MERGE_FAN_IN)
        ]
        while len(level) > 1:
            level = [
                delayed(merge_key_counts, pure=False)(level[i : i + _MERGE_FAN_IN])
                for i in range(0, len(level), _MERGE_FAN_IN)
            ]
        tallies.append(delayed(summarise, pure=False)(level[0]))
    return delayed(list, pure=False)(tallies)


def _compute_here(graph: Any) -> Any:
    return dask_compute(graph)[0]  # type: ignore[no-untyped-call]  # dask's configured scheduler


class _PandasEvaluator:
    """Counts class sizes of a pandas frame in memory; each column is hashed once."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._hashes: dict[str, UInt64Array] = {}

    def evaluate(self, combos: tuple[Combo, ...]) -> list[ClassStats]:
        for column in {c for combo in combos for c in combo}:
            if column not in self._hashes:
                self._hashes[column] = hash_column(self._frame[column])
        rows = len(self._frame)
        return [_stats_from_sizes(c, _class_sizes(_combined_key(self._hashes, c, rows))) for c in combos]


class _PartitionedEvaluator:
    """Counts class sizes over partitions in bounded memory (see the module docstring).

    ``parts`` are what ``count`` takes as its first argument (a HashedSource, or a delayed pandas partition);
    ``run`` computes a Dask graph. ``rows`` (all partitions) and ``distinct`` (per column, estimates are fine)
    plan the passes; without ``rows`` every level is one pass. ``later_group``: parts counted per Dask task in
    the passes after the first (:func:`count_group`), when the first made the others cheap (spilled hashes):
    a spilled part takes tens of milliseconds, less than the task's scheduling and the shipping of its
    counts to a merge on another worker."""

    def __init__(
        self,
        parts: Sequence[Any],
        count: Callable[[Any, Sequence[CountTask]], list[KeyCounts]],
        run: Callable[[Any], Any],
        *,
        rows: int | None = None,
        distinct: Mapping[str, int] | None = None,
        max_keys: int = DEFAULT_MAX_KEYS,
        later_group: int = 1,
    ) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        if later_group < 1:
            raise ValueError("later_group must be at least 1")
        self._later_group = later_group
        self._parts = list(parts)
        self._count = count
        self._run = run
        self._rows = rows
        self._distinct = dict(distinct or {})
        self._max_keys = max_keys
        self._classes: dict[Combo, int] = {}  # exact class counts of the combinations evaluated so far
        self.passes = 0  # passes over the data so far (tests and the report's explanation)

    def estimate(self, combo: Combo) -> int:
        """An upper bound (up to the hints' error) on the classes of ``combo``: ≤ rows, and ≤ classes(A)·classes(c)
        for any split of ``combo`` into A and one column c."""
        rows = self._rows if self._rows is not None else 2**62
        if combo in self._classes:
            return self._classes[combo]
        if not combo:
            return 1
        if len(combo) == 1:
            hint = self._distinct.get(combo[0], 0)
            return min(rows, int(hint * _HINT_MARGIN) + 1) if hint > 0 else rows
        best = rows
        for index, column in enumerate(combo):
            rest = combo[:index] + combo[index + 1 :]
            rest_classes = self._classes.get(rest)
            if rest_classes is None:
                rest_classes = min(rows, int(np.prod([float(self.estimate((c,))) for c in rest])))
            best = min(best, rest_classes * self.estimate((column,)))
        return max(best, 1)

    def plan(self, combos: tuple[Combo, ...]) -> list[list[CountTask]]:
        """Passes over the data, each expected to hold at most ``max_keys`` keys across its tasks."""
        if self._rows is None:
            return [[CountTask(combo) for combo in combos]]
        passes: list[list[CountTask]] = [[]]
        load = 0
        for combo in combos:
            expected = self.estimate(combo)
            shards = max(1, -(-expected // self._max_keys))
            share = -(-expected // shards)
            for shard in range(shards):
                if passes[-1] and load + share > self._max_keys:
                    passes.append([])
                    load = 0
                passes[-1].append(CountTask(combo, shards, shard))
                load += share
        return passes

    def _graphs(self, passes: list[list[CountTask]]) -> list[list[list[CountTask]]]:
        """The passes of one level grouped into the Dask graphs that compute them: all in one graph, so no
        worker waits at the end of a pass for another's last merge; but the very first pass over the data
        alone, as its counting writes the spills that later passes read (two tasks must never write one)."""
        if self.passes == 0 and len(passes) > 1:
            return [passes[:1], passes[1:]]
        return [passes]

    def _counts(self, tasks: list[CountTask]) -> list[Any]:
        """The Dask tasks counting one pass: a task a part in the first pass, ``later_group`` parts after."""
        size = self._later_group if self.passes else 1
        if size == 1:
            return [delayed(self._count, pure=False)(part, tasks) for part in self._parts]
        return [
            delayed(count_group, pure=False)(self._count, self._parts[i : i + size], tasks)
            for i in range(0, len(self._parts), size)
        ]

    def evaluate(self, combos: tuple[Combo, ...]) -> list[ClassStats]:
        if not combos:
            return []
        tallies: dict[Combo, list[_Tally]] = {combo: [] for combo in combos}
        for passes in self._graphs(self.plan(combos)):
            if not self._parts:
                results = [[_Tally(0, 0, 0, 0) for _ in tasks] for tasks in passes]
            else:
                trees = [_tree(self._counts(tasks), len(tasks)) for tasks in passes]
                results = self._run(delayed(list, pure=False)(trees))
                self.passes += len(passes)
            for tasks, pass_tallies in zip(passes, results, strict=True):
                for task, tally in zip(tasks, pass_tallies, strict=True):
                    tallies[task.combo].append(tally)
        out: list[ClassStats] = []
        for combo in combos:
            shares = tallies[combo]
            rows = sum(t.rows for t in shares)
            uniques = sum(t.uniques for t in shares)
            k_min = min((t.k_min for t in shares if t.rows), default=0)
            self._classes[combo] = sum(t.classes for t in shares)
            out.append(ClassStats(combo, rows, k_min, uniques / rows if rows else 0.0))
        return out


class _Evaluator(Protocol):
    def evaluate(self, combos: tuple[Combo, ...]) -> list[ClassStats]: ...


def _evaluator(frame: Frame, columns: Combo) -> _Evaluator:
    if isinstance(frame, pd.DataFrame):
        return _PandasEvaluator(frame)
    projected = frame[list(columns)] if columns else frame
    return _PartitionedEvaluator(projected.to_delayed(), _count_frame, _compute_here)


def _check_columns(frame: Frame, columns: Sequence[str]) -> None:
    present = set(frame.columns)
    missing = [c for c in columns if c not in present]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")


# ------------------------------------------------------------------ public API


def k_anonymity(frame: Frame, columns: Sequence[str]) -> tuple[int, float]:
    """(k_min, unique_ratio) of ``columns``: smallest class size, share of rows alone in their class.

    An empty frame gives (0, 0.0). No columns means one class holding every row.
    """
    combo = tuple(dict.fromkeys(columns))
    _check_columns(frame, combo)
    (stats,) = _evaluator(frame, combo).evaluate((combo,))
    return stats.k_min, stats.unique_ratio


def search_quasi_identifiers(
    frame: Frame,
    candidates: Sequence[str],
    *,
    max_size: int | None = None,
    k_threshold: int = 5,
    unique_stop: float = 0.5,
    max_sets: int = 20,
) -> QiSearch:
    """Walk the combination lattice of ``candidates`` (see the module docstring for the rules).

    ``max_size=None`` means 4 when there are at most 8 candidates, else 3.
    """
    columns = tuple(dict.fromkeys(candidates))
    _check_search(k_threshold, unique_stop)
    _check_columns(frame, columns)
    return _search(_evaluator(frame, columns), columns, max_size, k_threshold, unique_stop, max_sets)


def search_sources(
    sources: Sequence[HashedSource],
    candidates: Sequence[str],
    *,
    run: Callable[[Any], Any] = _compute_here,
    rows: int | None = None,
    distinct: Mapping[str, int] | None = None,
    max_keys: int = DEFAULT_MAX_KEYS,
    limits: SearchLimits | None = None,
    later_group: int = 1,
) -> QiSearch:
    """:func:`search_quasi_identifiers` over partitions that stream hashed batches, in bounded memory.

    ``run`` computes a Dask graph (on the scan's scheduler or cluster); ``rows`` (all sources together) and
    ``distinct`` (distinct values per column, estimates are fine) plan passes of at most ``max_keys`` keys
    (see the module docstring). A column a source lacks is null in all its rows. ``limits``: the search's
    bounds, as :func:`search_quasi_identifiers` takes them one by one. ``later_group``: sources counted per
    task after the first pass, for sources the first pass made cheap (see :class:`_PartitionedEvaluator`).
    """
    limits = limits or SearchLimits()
    columns = tuple(dict.fromkeys(candidates))
    _check_search(limits.k_threshold, limits.unique_stop)
    evaluator = _PartitionedEvaluator(
        sources, count_source, run, rows=rows, distinct=distinct, max_keys=max_keys, later_group=later_group
    )
    return _search(evaluator, columns, limits.max_size, limits.k_threshold, limits.unique_stop, limits.max_sets)


@dataclass(frozen=True)
class SearchLimits:
    """How far a quasi-identifier search goes: combination size (None: 4 up to 8 candidates, else 3), the k
    below which a class is rare, the unique share at which a combination's supersets are not searched, and
    how many sets are reported."""

    max_size: int | None = None
    k_threshold: int = 5
    unique_stop: float = 0.5
    max_sets: int = 20


def _check_search(k_threshold: int, unique_stop: float) -> None:
    if k_threshold < 1:
        raise ValueError("k_threshold must be at least 1")
    if not 0.0 < unique_stop <= 1.0:
        raise ValueError("unique_stop must be in (0, 1]")


def _search(
    evaluator: _Evaluator, columns: Combo, max_size: int | None, k_threshold: int, unique_stop: float, max_sets: int
) -> QiSearch:
    if max_size is None:
        max_size = 4 if len(columns) <= 8 else 3
    max_size = min(max_size, len(columns))
    evaluated: list[ClassStats] = []
    stopped: list[frozenset[str]] = []
    pruned = 0
    for size in range(1, max_size + 1):
        level: list[Combo] = []
        for combo in itertools.combinations(columns, size):
            if any(s.issubset(combo) for s in stopped):
                pruned += 1
            else:
                level.append(combo)
        for stats in evaluator.evaluate(tuple(level)):
            evaluated.append(stats)
            if stats.rows and stats.unique_ratio >= unique_stop:
                stopped.append(frozenset(stats.columns))

    sets = _select_sets(evaluated, k_threshold, max_sets)
    return QiSearch(sets, tuple(evaluated), pruned)


def find_quasi_identifier_sets(
    frame: Frame,
    candidates: Sequence[str],
    *,
    max_size: int | None = None,
    k_threshold: int = 5,
    unique_stop: float = 0.5,
    max_sets: int = 20,
) -> tuple[QuasiIdentifierSet, ...]:
    """Risky column combinations among ``candidates``, high risk first (see the module docstring)."""
    return search_quasi_identifiers(
        frame,
        candidates,
        max_size=max_size,
        k_threshold=k_threshold,
        unique_stop=unique_stop,
        max_sets=max_sets,
    ).sets


def _select_sets(
    evaluated: Sequence[ClassStats], k_threshold: int, max_sets: int
) -> tuple[QuasiIdentifierSet, ...]:
    measured = [s for s in evaluated if s.rows > 0]
    if not measured or max_sets < 1:
        return ()
    risk = {s.columns: classify_risk(s.k_min, k_threshold) for s in measured}

    def adds_nothing(stats: ClassStats) -> bool:
        wanted = set(stats.columns)
        return any(
            set(sub.columns) < wanted
            and risk[sub.columns] == risk[stats.columns]
            and stats.unique_ratio - sub.unique_ratio < MIN_UNIQUE_GAIN
            for sub in measured
        )

    risky = [s for s in measured if risk[s.columns] != "low" and not adds_nothing(s)]
    if risky:
        risky.sort(
            key=lambda s: (_RISK_ORDER[risk[s.columns]], -s.unique_ratio, s.k_min, len(s.columns), s.columns)
        )
        return tuple(
            QuasiIdentifierSet(s.columns, s.k_min, s.unique_ratio, risk[s.columns]) for s in risky[:max_sets]
        )
    widest = min(measured, key=lambda s: (-len(s.columns), -s.unique_ratio, s.k_min, s.columns))
    return (QuasiIdentifierSet(widest.columns, widest.k_min, widest.unique_ratio, "low"),)


def bench_quasi(rows: int = 1_000_000, cols: int = 8, *, seed: int = 0) -> float:
    """Seconds to search all combinations of ``cols`` synthetic columns over ``rows`` rows (pandas).

    Cardinalities range from 2 (gender-like) to ~rows/10 (postal-code-like), with a few nulls.
    """
    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {}
    for i in range(cols):
        cardinality = max(2, round(2 * (max(rows // 10, 2) / 2) ** (i / max(cols - 1, 1))))
        values = rng.integers(0, cardinality, size=rows).astype(np.float64)
        values[rng.random(rows) < 0.01] = np.nan
        data[f"c{i}"] = values
    frame = pd.DataFrame(data)
    start = time.perf_counter()
    find_quasi_identifier_sets(frame, list(frame.columns))
    return time.perf_counter() - start
