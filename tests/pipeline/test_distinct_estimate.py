"""ColumnProfile.distinct_estimate: a KMV estimate from the bottom-k hash sketch, mergeable across batches."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from pipeline.detect import profile_column
from pipeline.profile_model import (
    DISTINCT_SKETCH,
    ColumnProfile,
    kmv_estimate,
    smallest_union,
    sorted_distinct,
)
from pipeline.settings import load_scan_settings
from pipeline.value_hash import stable_hashes

SETTINGS = load_scan_settings(None).detection


def _profile_of(values: list[str]) -> ColumnProfile:
    """A profile carrying only the distinct-count sketch of ``values`` (as _prepare builds it)."""
    profile = ColumnProfile(name="c", data_type="string")
    profile.distinct_hashes = np.unique(stable_hashes(values))[:DISTINCT_SKETCH]
    return profile


@pytest.mark.parametrize("distinct", [100, 10_000, 1_000_000])
def test_estimate_within_five_percent_of_the_exact_count(distinct: int) -> None:
    # values arrive in 10 batches with repeats across them, merged like a file's batches
    rng = np.random.default_rng(distinct)
    values = np.array([f"顧客-{i:07d}" for i in range(distinct)], dtype=object)
    merged = ColumnProfile(name="c", data_type="string")
    for part in np.array_split(rng.permutation(np.concatenate([values, values[: distinct // 3]])), 10):
        merged.merge(_profile_of(part.tolist()), SETTINGS)
    estimate = merged.distinct_estimate
    if distinct < DISTINCT_SKETCH:
        assert estimate == distinct
    assert abs(estimate - distinct) <= 0.05 * distinct, (estimate, distinct)


def test_estimate_does_not_depend_on_merge_order() -> None:
    values = [f"v{i}" for i in range(30_000)]
    parts = [_profile_of(values[i::3]) for i in range(3)]
    forward, backward = ColumnProfile("c", "string"), ColumnProfile("c", "string")
    for part in parts:
        forward.merge(part, SETTINGS)
    for part in reversed(parts):
        backward.merge(part, SETTINGS)
    assert forward.distinct_estimate == backward.distinct_estimate > 256


def test_scanned_column_reports_more_than_the_value_sketch() -> None:
    # end to end through profile_column: 3,000 distinct codes, each twice; the value sketch stays at 256
    values = pa.array([f"K{i:05d}x" for i in range(3000)] * 2, pa.string())
    profile = profile_column("code", values, [], SETTINGS)
    assert len(profile.sketch) == SETTINGS.sketch_size
    assert profile.distinct_estimate == 3000


def test_kmv_is_exact_below_k_and_never_below_k_above_it() -> None:
    hashes = np.sort(np.random.default_rng(1).integers(0, 2**63, 50, dtype=np.uint64))
    assert kmv_estimate(hashes, 64) == 50
    # a full sketch whose k-th hash is large still counts at least k values
    full = np.arange(1, 65, dtype=np.uint64) * np.uint64(2**58) - np.uint64(
        1
    )  # 64th = 2**64 - 1: estimate 63
    assert kmv_estimate(full, 64) == 64


def test_hand_built_profiles_count_their_value_sketch() -> None:
    profile = ColumnProfile(name="c", data_type="string", sketch={1: "a", 2: "b", 3: "c"})
    assert profile.distinct_estimate == 3


@pytest.mark.parametrize("seed", range(5))
def test_smallest_union_is_the_k_smallest_distinct_values_of_both(seed: int) -> None:
    # the sketch merge: sorted distinct hashes in, the k smallest of their union out (what np.union1d gives)
    rng = np.random.default_rng(seed)
    first = np.unique(rng.integers(0, 500, 300).astype(np.uint64))
    second = np.unique(rng.integers(0, 500, 300).astype(np.uint64))
    for k in (1, 50, 10_000):
        merged = smallest_union(first, second, k)
        assert merged.dtype == np.uint64
        assert merged.tolist() == sorted(set(first.tolist()) | set(second.tolist()))[:k]
    assert smallest_union(first[:0], second[:0], 5).tolist() == []


def test_sorted_distinct_gives_what_np_unique_gives() -> None:
    rng = np.random.default_rng(7)
    for values in (rng.integers(0, 40, 200), rng.integers(-5, 5, 3), np.array([], dtype=np.int64)):
        assert sorted_distinct(values).tolist() == np.unique(values).tolist()
