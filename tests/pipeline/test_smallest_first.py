"""detect.smallest_first: the bottom-k of stable hashes that sketches, screening samples and validation
budgets are drawn from. Its cut-off shortcut must give exactly what a full sort gives."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import detect
from pipeline.detect import smallest_first
from pipeline.value_hash import stable_hashes


def full_sort(hashes: np.ndarray, count: int) -> list[int]:
    return np.argsort(hashes, kind="stable")[:count].tolist()


HASHES = stable_hashes([f"customer-{n}@example.co.jp" for n in range(200_000)])


@pytest.mark.parametrize("count", [1, 7, 256, 4096, 20_000])
def test_uniform_hashes_give_the_full_sorts_bottom_k_without_a_partition(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_partition(*args: object, **kwargs: object) -> None:
        raise AssertionError("uniform hashes should be cut off, not partitioned")

    monkeypatch.setattr(detect.np, "argpartition", no_partition)
    assert smallest_first(HASHES, count).tolist() == full_sort(HASHES, count)


def test_hashes_crowded_at_the_top_fall_back_to_a_partition(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not uniform (every hash above the cut-off): the cut-off holds nothing, the partition still finds them."""
    hashes = (np.uint64(2**63) + np.arange(100_000, 0, -1, dtype=np.uint64)).astype(np.uint64)
    partitions = []
    original = np.argpartition
    monkeypatch.setattr(detect.np, "argpartition", lambda *a, **k: partitions.append(1) or original(*a, **k))
    assert smallest_first(hashes, 50).tolist() == full_sort(hashes, 50)
    assert partitions


@pytest.mark.parametrize("size", [2, 5, 100, 600, 1000])
def test_few_hashes_and_a_small_count(size: int) -> None:
    """The cut-off's share of 64-bit space grows past 1 on small arrays: the partition answers them."""
    hashes = HASHES[:size]
    for count in (1, 2, size // 2):
        assert smallest_first(hashes, count).tolist() == full_sort(hashes, count)


def test_small_inputs_and_edge_counts() -> None:
    hashes = np.array([5, 3, 9, 3, 1], dtype=np.uint64)
    assert smallest_first(hashes, 0).tolist() == []
    assert smallest_first(hashes, 1).tolist() == [4]
    assert smallest_first(hashes, 10).tolist() == [4, 1, 3, 0, 2]
    assert sorted(hashes[smallest_first(hashes, 3)].tolist()) == [1, 3, 3]


def test_equal_hashes_below_the_cut_off_keep_index_order() -> None:
    rng = np.random.default_rng(7)
    hashes = rng.integers(0, 2**62, size=50_000, dtype=np.uint64)
    hashes[[10, 20, 30]] = hashes.min()  # a collision among the smallest
    assert smallest_first(hashes, 100).tolist() == full_sort(hashes, 100)


@pytest.mark.parametrize("copies", [1, 2, 5])
def test_smallest_distinct_holds_enough_whole_groups_of_equal_hashes(copies: int) -> None:
    """Each hash ``copies`` times (a value in several row groups' dictionaries): the selection holds at least
    ``count`` distinct hashes, every one of them with all its entries, in hash order."""
    hashes = np.tile(HASHES[:50_000], copies)
    order, starts = detect._smallest_distinct(hashes, 4096)
    assert len(starts) >= 4096
    assert len(order) < len(hashes)  # not the whole array
    distinct = np.sort(np.unique(hashes))
    assert hashes[order[starts]].tolist() == distinct[: len(starts)].tolist()
    for group, start in enumerate(starts.tolist()):
        stop = starts[group + 1] if group + 1 < len(starts) else None
        if stop is not None:
            assert stop - start == copies


def test_smallest_distinct_of_few_values_is_all_of_them() -> None:
    hashes = np.array([7, 3, 7, 1, 3], dtype=np.uint64)
    order, starts = detect._smallest_distinct(hashes, 4096)
    assert sorted(order.tolist()) == [0, 1, 2, 3, 4]
    assert hashes[order[starts]].tolist() == [1, 3, 7]
