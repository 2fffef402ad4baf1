"""Quasi-identifier discovery: which column combinations single out rows, on the full data.

Each row's values in a combination are hashed into one uint64 key (a hash per column, combined
column by column); equal keys form an equivalence class. From the class sizes we get ``k_min``
(the smallest class, k-anonymity) and the unique ratio (share of rows in classes of size 1, sample
uniqueness). Nulls are one value of their own, as in ``groupby(dropna=False)``. Two different
value tuples collide with probability about n²/2⁶⁵ (3e-8 at a million rows); a collision can only
merge two classes, i.e. understate risk by one row.

A pandas frame is counted in memory. A Dask frame is counted out of core: each partition emits
``(combination, key, count)`` for a whole level of combinations at once, and the counts are summed
by a groupby tree reduction, so one pass over the data per combination size.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from pipeline.models import QuasiIdentifierSet, Risk

if TYPE_CHECKING:
    import dask.dataframe as dd

    Frame = pd.DataFrame | dd.DataFrame
else:
    Frame = Any

# A superset must single out at least this much more of the rows than an equally risky subset.
MIN_UNIQUE_GAIN = 0.01
# Odd 64-bit multiplier (golden ratio) that mixes the running key before adding the next column.
_MIX = np.uint64(0x9E3779B97F4A7C15)
# Hash given to every null, whatever its flavour (None, NaN, NA, NaT).
_NULL_HASH = np.uint64(0xA5A5_5A5A_C3C3_3C3C)
# Input partitions per output partition when summing class counts (bounds the reducer's memory).
_PARTITIONS_PER_OUTPUT = 16
_RISK_ORDER: Mapping[str, int] = {"high": 0, "medium": 1, "low": 2}

Combo = tuple[str, ...]
UInt64Array = npt.NDArray[np.uint64]


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
        hashed[nulls] = _NULL_HASH
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


_COUNTS_META = pd.DataFrame(
    {
        "combo": pd.Series([], dtype=np.int32),
        "key": pd.Series([], dtype=np.uint64),
        "n": pd.Series([], dtype=np.int64),
    }
)


def _partition_counts(part: pd.DataFrame, combos: tuple[Combo, ...]) -> pd.DataFrame:
    """One partition → (combination index, key, rows with that key) for every combination."""
    needed = {c for combo in combos for c in combo}
    hashes = {c: hash_column(part[c]) for c in needed}
    frames = [_COUNTS_META]
    for index, combo in enumerate(combos):
        counts = pd.Series(_combined_key(hashes, combo, len(part)), copy=False).value_counts(sort=False)
        frames.append(
            pd.DataFrame(
                {
                    "combo": np.full(len(counts), index, dtype=np.int32),
                    "key": counts.index.to_numpy(dtype=np.uint64),
                    "n": counts.to_numpy(dtype=np.int64),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _split_out(npartitions: int) -> int:
    """Output partitions of the class-count reduction: one per ~16 inputs keeps each piece small."""
    return max(1, -(-npartitions // _PARTITIONS_PER_OUTPUT))


def _evaluate_dask(frame: Any, combos: tuple[Combo, ...]) -> list[ClassStats]:
    needed = sorted({c for combo in combos for c in combo})
    projected = frame[needed] if needed else frame
    counts = projected.map_partitions(_partition_counts, combos, meta=_COUNTS_META)
    classes = (
        counts.groupby(["combo", "key"])["n"].sum(split_out=_split_out(int(frame.npartitions))).reset_index()
    )
    classes = classes.assign(unique=(classes["n"] == 1).astype(np.int64))
    summary = classes.groupby("combo").agg({"n": ["min", "sum"], "unique": "sum"}).compute()
    out: list[ClassStats] = []
    for index, combo in enumerate(combos):
        if index not in summary.index:
            out.append(ClassStats(combo, 0, 0, 0.0))
            continue
        row = summary.loc[index]
        rows = int(row[("n", "sum")])
        uniques = int(row[("unique", "sum")])
        out.append(ClassStats(combo, rows, int(row[("n", "min")]), uniques / rows if rows else 0.0))
    return out


class _Evaluator:
    """Counts class sizes for batches of combinations; pandas hashes each column once."""

    def __init__(self, frame: Frame) -> None:
        self._frame = frame
        self._pandas = frame if isinstance(frame, pd.DataFrame) else None
        self._hashes: dict[str, UInt64Array] = {}

    def evaluate(self, combos: tuple[Combo, ...]) -> list[ClassStats]:
        if not combos:
            return []
        frame = self._pandas
        if frame is None:
            return _evaluate_dask(self._frame, combos)
        for column in {c for combo in combos for c in combo}:
            if column not in self._hashes:
                self._hashes[column] = hash_column(frame[column])
        rows = len(frame)
        return [_stats_from_sizes(c, _class_sizes(_combined_key(self._hashes, c, rows))) for c in combos]


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
    (stats,) = _Evaluator(frame).evaluate((combo,))
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
    if k_threshold < 1:
        raise ValueError("k_threshold must be at least 1")
    if not 0.0 < unique_stop <= 1.0:
        raise ValueError("unique_stop must be in (0, 1]")
    columns = tuple(dict.fromkeys(candidates))
    _check_columns(frame, columns)
    if max_size is None:
        max_size = 4 if len(columns) <= 8 else 3
    max_size = min(max_size, len(columns))

    evaluator = _Evaluator(frame)
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
