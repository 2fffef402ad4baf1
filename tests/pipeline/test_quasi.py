"""Quasi-identifier discovery: k-anonymity counts, pandas/Dask agreement, search and pruning."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.models import QuasiIdentifierSet
from pipeline.quasi import (
    classify_risk,
    find_quasi_identifier_sets,
    k_anonymity,
    search_quasi_identifiers,
)


@pytest.fixture(autouse=True)
def _sync_scheduler() -> Iterator[None]:
    with dask.config.set(scheduler="sync"):
        yield


def _to_dask(frame: pd.DataFrame, npartitions: int) -> dd.DataFrame:
    converted: dd.DataFrame = dd.from_pandas(frame, npartitions=npartitions)  # type: ignore[no-untyped-call]
    return converted


def brute_force(frame: pd.DataFrame, columns: list[str]) -> tuple[int, float]:
    if len(frame) == 0:
        return 0, 0.0
    if not columns:
        return len(frame), 1.0 if len(frame) == 1 else 0.0
    sizes = frame.groupby(columns, dropna=False).size()
    return int(sizes.min()), float((sizes == 1).sum()) / len(frame)


# Small tables of low-cardinality values with nulls of several kinds.
_cell_int = st.one_of(st.integers(0, 3), st.none())
_cell_str = st.one_of(st.sampled_from(["a", "b", "東京都", ""]), st.none())


@st.composite
def small_tables(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(1, 40))
    ints = draw(st.lists(_cell_int, min_size=rows, max_size=rows))
    strs = draw(st.lists(_cell_str, min_size=rows, max_size=rows))
    floats = draw(
        st.lists(st.one_of(st.sampled_from([0.5, -0.0, 0.0, 2.0]), st.none()), min_size=rows, max_size=rows)
    )
    return pd.DataFrame(
        {
            "i": pd.array(ints, dtype="Int64"),
            "s": pd.Series(strs, dtype=object),
            "f": pd.Series([np.nan if v is None else v for v in floats], dtype="float64"),
        }
    )


_column_sets = st.sampled_from([["i"], ["s"], ["f"], ["i", "s"], ["s", "f"], ["i", "s", "f"]])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=small_tables(), columns=_column_sets)
def test_k_anonymity_equals_brute_force(frame: pd.DataFrame, columns: list[str]) -> None:
    k_min, unique_ratio = k_anonymity(frame, columns)
    expected_k, expected_ratio = brute_force(frame, columns)
    assert k_min == expected_k
    assert unique_ratio == pytest.approx(expected_ratio)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=small_tables(), columns=_column_sets, seed=st.integers(0, 2**16))
def test_dask_1_and_7_partitions_and_shuffled_rows_agree_with_pandas(
    frame: pd.DataFrame, columns: list[str], seed: int
) -> None:
    expected = brute_force(frame, columns)
    shuffled = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    answers = [
        k_anonymity(frame, columns),
        k_anonymity(shuffled, columns),
        k_anonymity(_to_dask(frame, npartitions=1), columns),
        k_anonymity(_to_dask(frame, npartitions=7), columns),
        k_anonymity(_to_dask(shuffled, npartitions=7), columns),
    ]
    for k_min, ratio in answers:
        assert k_min == expected[0]
        assert ratio == pytest.approx(expected[1])


def test_nulls_are_one_value_of_their_own() -> None:
    frame = pd.DataFrame({"a": [None, np.nan, pd.NA, "x", "x", "y"]}, dtype=object)
    k_min, unique_ratio = k_anonymity(frame, ["a"])
    assert k_min == 1
    assert unique_ratio == pytest.approx(1 / 6)


def test_empty_frame_and_no_columns() -> None:
    empty = pd.DataFrame({"a": pd.Series([], dtype="int64")})
    assert k_anonymity(empty, ["a"]) == (0, 0.0)
    assert find_quasi_identifier_sets(empty, ["a"]) == ()
    frame = pd.DataFrame({"a": [1, 2, 3]})
    assert k_anonymity(frame, []) == (3, 0.0)


def test_unknown_column_is_an_error() -> None:
    with pytest.raises(KeyError, match="nope"):
        k_anonymity(pd.DataFrame({"a": [1]}), ["nope"])


@pytest.mark.parametrize(
    ("k_min", "risk"), [(0, "high"), (1, "high"), (4, "high"), (5, "medium"), (9, "medium"), (10, "low")]
)
def test_classify_risk(k_min: int, risk: str) -> None:
    assert classify_risk(k_min, 5) == risk


# ------------------------------------------------------------------ raw export vs generalised twin

N = 2_000


def raw_export(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    postal_pool = [
        f"{v:03d}-{w:04d}"
        for v, w in zip(rng.integers(100, 999, 200), rng.integers(0, 9999, 200), strict=True)
    ]
    return pd.DataFrame(
        {
            "age": rng.integers(18, 91, N),
            "postal_code": rng.choice(postal_pool, N),
            "occupation": rng.choice([f"職業{i}" for i in range(20)], N),
            "plan": rng.choice(["basic", "premium"], N),
        }
    )


def generalised_twin(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age_band": rng.choice(["20代", "30代", "40代", "50代", "60代"], N),
            "prefecture": rng.choice(["東京都", "大阪府", "愛知県", "福岡県", "北海道", "宮城県"], N),
            "gender": rng.choice(["男性", "女性"], N),
        }
    )


def test_raw_export_has_a_high_risk_set_with_the_right_columns() -> None:
    frame = raw_export()
    sets = find_quasi_identifier_sets(frame, list(frame.columns))
    assert sets, "the raw export must be flagged"
    top = sets[0]
    assert top.risk == "high"
    assert top.k_min == 1
    assert top.unique_ratio >= 0.5
    assert "postal_code" in top.columns and "age" in top.columns
    assert set(top.columns) <= {"age", "postal_code", "occupation"}
    # Sorted: high before medium/low, then by unique ratio descending.
    order = [(0 if s.risk == "high" else 1 if s.risk == "medium" else 2, -s.unique_ratio) for s in sets]
    assert order == sorted(order)


def test_generalised_twin_has_no_risky_set_and_shows_the_widest_checked() -> None:
    frame = generalised_twin()
    sets = find_quasi_identifier_sets(frame, list(frame.columns))
    assert len(sets) == 1
    (only,) = sets
    assert only.risk == "low"
    assert set(only.columns) == {"age_band", "prefecture", "gender"}
    assert only.k_min >= 10
    assert (only.k_min, only.unique_ratio) == (k_anonymity(frame, list(only.columns))[0], 0.0)


def test_pandas_and_dask_find_the_same_sets() -> None:
    frame = raw_export()
    expected = find_quasi_identifier_sets(frame, list(frame.columns))
    for partitions in (1, 7):
        got = find_quasi_identifier_sets(_to_dask(frame, npartitions=partitions), list(frame.columns))
        assert got == expected


def test_many_partitions_use_a_split_reduction_and_still_agree() -> None:
    frame = raw_export().head(400)
    expected = k_anonymity(frame, ["age", "postal_code"])
    assert k_anonymity(_to_dask(frame, npartitions=40), ["age", "postal_code"]) == expected


# ------------------------------------------------------------------ pruning and minimality


def test_supersets_of_unique_combinations_are_pruned() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "row_id": np.arange(500),  # unique alone: every superset is pruned
            "a": rng.integers(0, 3, 500),
            "b": rng.integers(0, 3, 500),
            "c": rng.integers(0, 3, 500),
        }
    )
    search = search_quasi_identifiers(frame, ["row_id", "a", "b", "c"], max_size=3)
    evaluated = {s.columns for s in search.evaluated}
    assert ("row_id",) in evaluated
    assert not any("row_id" in cols and len(cols) > 1 for cols in evaluated)
    # Size 2: 3 supersets of row_id pruned; size 3: 3 more. Only {a,b,c} remains at size 3.
    assert search.pruned == 6
    assert len(search.evaluated) == 4 + 3 + 1
    assert search.sets[0] == QuasiIdentifierSet(("row_id",), 1, 1.0, "high")


def test_no_pruning_when_nothing_is_unique_enough() -> None:
    frame = generalised_twin()
    search = search_quasi_identifiers(frame, list(frame.columns), max_size=3)
    assert search.pruned == 0
    assert len(search.evaluated) == 3 + 3 + 1


def test_pruned_combinations_never_change_the_answer_for_minimal_sets() -> None:
    frame = raw_export()
    pruned = search_quasi_identifiers(frame, list(frame.columns))
    exhaustive = search_quasi_identifiers(frame, list(frame.columns), unique_stop=1.0)
    assert pruned.pruned > 0 and exhaustive.pruned == 0
    assert len(pruned.evaluated) < len(exhaustive.evaluated)
    # Every combination both evaluated has the same statistics.
    by_cols = {s.columns: s for s in exhaustive.evaluated}
    for stats in pruned.evaluated:
        assert by_cols[stats.columns] == stats
    # Uniqueness never falls when a column is added (the premise of the pruning).
    for stats in exhaustive.evaluated:
        for sub in combinations(stats.columns, len(stats.columns) - 1):
            if sub:
                assert by_cols[sub].unique_ratio <= stats.unique_ratio


def test_max_size_defaults_to_4_for_few_candidates_and_3_for_many() -> None:
    rng = np.random.default_rng(5)
    few = pd.DataFrame({f"c{i}": rng.integers(0, 2, 64) for i in range(5)})
    sizes = {len(s.columns) for s in search_quasi_identifiers(few, list(few.columns)).evaluated}
    assert max(sizes) == 4
    many = pd.DataFrame({f"c{i}": rng.integers(0, 2, 64) for i in range(9)})
    sizes = {len(s.columns) for s in search_quasi_identifiers(many, list(many.columns)).evaluated}
    assert max(sizes) == 3


def test_supersets_that_add_nothing_are_not_reported() -> None:
    # One outlier makes {age} high risk; adding gender singles out hardly anyone new.
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"age": rng.choice([30, 40, 50], 1000), "gender": rng.choice(["M", "F"], 1000)})
    frame.loc[0, "age"] = 99
    sets = find_quasi_identifier_sets(frame, ["age", "gender"])
    assert [s.columns for s in sets] == [("age",)]
    assert sets[0].risk == "high" and sets[0].k_min == 1


def test_max_sets_caps_the_answer() -> None:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({f"c{i}": rng.integers(0, 30, 300) for i in range(6)})
    assert len(find_quasi_identifier_sets(frame, list(frame.columns), max_sets=3)) == 3


def test_invalid_parameters_are_rejected() -> None:
    frame = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(ValueError):
        find_quasi_identifier_sets(frame, ["a"], k_threshold=0)
    with pytest.raises(ValueError):
        find_quasi_identifier_sets(frame, ["a"], unique_stop=0.0)
