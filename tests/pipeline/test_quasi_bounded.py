"""Bounded-memory quasi-identifier counting: mergeable key counts, sharded passes, file sources."""

from __future__ import annotations

import itertools
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.quasi import (
    NULL_HASH,
    Combo,
    CountTask,
    HashedBatch,
    KeyCounts,
    _combined_key,
    _PartitionedEvaluator,
    count_batches,
    count_group,
    count_keys,
    count_source,
    hash_arrow,
    hash_column,
    merge_key_counts,
    search_quasi_identifiers,
    search_sources,
)
from pipeline.quasi_select import FileHashes
from pipeline.settings import load_scan_settings
from pipeline.sources import DataFile
from pipeline.value_hash import stable_hashes

READING = load_scan_settings().reading


@dataclass(frozen=True)
class FrameSource:
    """A pandas frame served as hashed batches of ``batch`` rows (a stand-in for a file)."""

    frame: pd.DataFrame
    batch: int

    def hashed_batches(self, columns: Combo) -> Iterator[HashedBatch]:
        for start in range(0, len(self.frame), self.batch):
            part = self.frame.iloc[start : start + self.batch]
            yield len(part), {c: hash_column(part[c]) for c in columns}


def crm_like(rows: int, seed: int = 0) -> pd.DataFrame:
    """Age band, sex, prefecture and a near-unique postal code: singles out some rows, not others."""
    rng = np.random.default_rng(seed)
    postal = rng.integers(0, rows * 2, rows).astype(str).astype(object)
    postal[rng.random(rows) < 0.05] = None
    return pd.DataFrame(
        {
            "age": (rng.integers(18, 90, rows) // 10 * 10).astype(str).astype(object),
            "sex": rng.choice(np.array(["M", "F"], dtype=object), rows),
            "prefecture": rng.integers(0, 47, rows).astype(str).astype(object),
            "postal_code": postal,
        }
    )


def _split(frame: pd.DataFrame, parts: int, batch: int) -> list[FrameSource]:
    bounds = np.linspace(0, len(frame), parts + 1).astype(int)
    return [FrameSource(frame.iloc[a:b].reset_index(drop=True), batch) for a, b in itertools.pairwise(bounds)]


# ------------------------------------------------------------------ mergeable counts


@settings(max_examples=60, deadline=None)
@given(chunks=st.lists(st.lists(st.integers(0, 20), max_size=30), min_size=1, max_size=6))
def test_merged_counts_equal_counting_everything_at_once(chunks: list[list[int]]) -> None:
    arrays = [np.array(c, dtype=np.uint64) for c in chunks]
    merged = merge_key_counts([count_keys(a) for a in arrays])
    keys, counts = np.unique(np.concatenate(arrays), return_counts=True)
    assert merged.keys.tolist() == keys.tolist()
    assert merged.counts.tolist() == counts.tolist()
    # merging is associative: a tree gives what a flat merge gives
    halves = merge_key_counts([merge_key_counts([count_keys(a) for a in arrays[:1]]), merge_key_counts([count_keys(a) for a in arrays[1:]])])
    assert halves.keys.tolist() == keys.tolist() and halves.counts.tolist() == counts.tolist()


def test_empty_counts_merge_to_empty() -> None:
    merged = merge_key_counts([KeyCounts.empty(), count_keys(np.empty(0, dtype=np.uint64))])
    assert len(merged.keys) == 0 and merged.counts.dtype == np.int64


def test_streaming_holds_the_distinct_keys_not_the_rows() -> None:
    # 2,000,000 rows of 100 distinct combinations in 65,536-row batches: the rows' keys alone would be
    # 16 MB; the counting state is 100 keys, and the peak is a few batches.
    rng = np.random.default_rng(1)
    batch_rows = 65_536

    def batches() -> Iterator[HashedBatch]:
        for _ in range(2_000_000 // batch_rows):
            yield batch_rows, {"a": rng.integers(0, 10, batch_rows).astype(np.uint64), "b": rng.integers(0, 10, batch_rows).astype(np.uint64)}

    tracemalloc.start()
    try:
        (counts,) = count_batches(batches(), [CountTask(("a", "b"))])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(counts.keys) == 100
    assert int(counts.counts.sum()) == (2_000_000 // batch_rows) * batch_rows
    assert peak < 6_000_000


def test_shards_partition_the_keys_exactly() -> None:
    frame = crm_like(3000)
    hashes = {c: hash_column(frame[c]) for c in frame.columns}
    combo = ("age", "postal_code")
    whole = count_keys(_combined_key(hashes, combo, len(frame)))
    shards = count_batches([(len(frame), hashes)], [CountTask(combo, 3, s) for s in range(3)])
    assert sum(len(s.keys) for s in shards) == len(whole.keys)
    assert sorted(np.concatenate([s.keys for s in shards]).tolist()) == whole.keys.tolist()
    assert all((s.keys % np.uint64(3) == np.uint64(i)).all() for i, s in enumerate(shards))


# ------------------------------------------------------------------ search over sources


@pytest.mark.parametrize("parts,batch", [(1, 10_000), (3, 97), (7, 50)])
def test_sources_find_what_the_in_memory_search_finds(parts: int, batch: int) -> None:
    frame = crm_like(4000)
    expected = search_quasi_identifiers(frame, list(frame.columns))
    got = search_sources(_split(frame, parts, batch), list(frame.columns), run=lambda g: g.compute(scheduler="sync"))
    assert got.sets == expected.sets
    assert got.evaluated == expected.evaluated
    assert got.pruned == expected.pruned


def test_tiny_key_budget_shards_into_more_passes_and_changes_nothing() -> None:
    frame = crm_like(4000, seed=3)
    columns = list(frame.columns)
    expected = search_quasi_identifiers(frame, columns)
    run = lambda g: g.compute(scheduler="sync")  # noqa: E731
    roomy = search_sources(_split(frame, 2, 500), columns, run=run, rows=len(frame))
    tight = search_sources(_split(frame, 2, 500), columns, run=run, rows=len(frame), max_keys=300)
    assert roomy.sets == tight.sets == expected.sets
    assert roomy.evaluated == tight.evaluated == expected.evaluated


def test_passes_follow_the_key_budget() -> None:
    frame = crm_like(4000, seed=5)
    sources = _split(frame, 2, 1000)
    run = lambda g: g.compute(scheduler="sync")  # noqa: E731
    roomy = _PartitionedEvaluator(sources, count_source, run, rows=len(frame))
    tight = _PartitionedEvaluator(sources, count_source, run, rows=len(frame), max_keys=500)
    combos: tuple[Combo, ...] = (("age",), ("sex",), ("postal_code",))
    # before counting, postal_code has no hint: bounded by the 4,000 rows, 8 shares of <= 500 keys
    assert sum(len(p) for p in tight.plan((("postal_code",),))) == 8
    assert roomy.evaluate(combos) == tight.evaluate(combos)
    assert roomy.passes == 1
    assert tight.passes >= 8
    # after counting, its exact classes plan the shares
    classes = int(frame["postal_code"].nunique(dropna=False))
    assert sum(len(p) for p in tight.plan((("postal_code",),))) == -(-classes // 500)


def test_later_passes_count_grouped_parts_to_the_same_result() -> None:
    """After the first pass a task counts ``later_group`` parts and merges them itself: fewer count tasks,
    no count list shipped per part, and the same classes as a task a part."""
    from dask.utils import key_split

    frame = crm_like(4000, seed=9)
    sources = _split(frame, 7, 300)
    graphs: list[list[str]] = []

    def run(graph: Any) -> Any:
        graphs.append([key_split(key) for key in dict(graph.__dask_graph__())])
        return graph.compute(scheduler="sync")

    combos: tuple[Combo, ...] = (("age",), ("sex",), ("postal_code",))
    alone = _PartitionedEvaluator(sources, count_source, lambda g: g.compute(scheduler="sync"), rows=len(frame), max_keys=500)
    grouped = _PartitionedEvaluator(sources, count_source, run, rows=len(frame), max_keys=500, later_group=3)
    assert grouped.evaluate(combos) == alone.evaluate(combos)
    pairs: tuple[Combo, ...] = (("age", "sex"), ("age", "postal_code"))
    assert grouped.evaluate(pairs) == alone.evaluate(pairs)
    first, *later = graphs
    # the first pass (which spills) a task a part; later passes 7 parts in tasks of 3, 3 and 1, per pass
    assert first.count("count_source") == 7 and "count_group" not in first
    assert later and all("count_source" not in names for names in later)
    assert all(names.count("count_group") % 3 == 0 and names.count("count_group") > 0 for names in later)
    with pytest.raises(ValueError, match="later_group"):
        _PartitionedEvaluator(sources, count_source, run, later_group=0)


def test_a_group_counts_what_its_parts_count_merged() -> None:
    frame = crm_like(1500, seed=11)
    sources = _split(frame, 3, 200)
    tasks = [CountTask(("age", "sex")), CountTask(("postal_code",), 2, 1)]
    grouped = count_group(count_source, sources, tasks)
    apart = [count_source(source, tasks) for source in sources]
    for index, counts in enumerate(grouped):
        expected = merge_key_counts([part[index] for part in apart])
        assert np.array_equal(counts.keys, expected.keys) and np.array_equal(counts.counts, expected.counts)
    assert int(grouped[0].counts.sum()) == len(frame)


def test_spilled_passes_keep_two_tasks_a_core() -> None:
    from pipeline.quasi_select import spilled_group

    assert spilled_group(31, cores=2) == 8  # 4 tasks a pass on 2 cores
    assert spilled_group(4, cores=2) == 1  # no fewer than a part a task
    assert spilled_group(31, cores=16) == 1
    assert spilled_group(1) == 1


def test_estimates_bound_the_classes_found() -> None:
    frame = crm_like(5000, seed=7)
    sources = _split(frame, 2, 1000)
    evaluator = _PartitionedEvaluator(
        sources, count_source, lambda g: g.compute(scheduler="sync"), rows=len(frame),
        distinct={"age": 8, "sex": 2, "prefecture": 47},
    )
    singles: tuple[Combo, ...] = (("age",), ("sex",), ("prefecture",), ("postal_code",))
    evaluator.evaluate(singles)
    pairs: tuple[Combo, ...] = (("age", "sex"), ("age", "prefecture"), ("sex", "postal_code"))
    estimates = {combo: evaluator.estimate(combo) for combo in pairs}
    assert estimates[("age", "sex")] <= 8 * 2 + 2  # from the exact classes of the singles
    evaluator.evaluate(pairs)
    for combo in pairs:
        actual = int(frame.groupby(list(combo), dropna=False).ngroups)
        assert actual <= estimates[combo] <= len(frame)


def test_no_sources_count_no_rows() -> None:
    got = search_sources([], ["a", "b"], rows=0)
    assert got.sets == ()
    assert all(s.rows == 0 for s in got.evaluated)


def test_invalid_budget_is_rejected() -> None:
    with pytest.raises(ValueError):
        search_sources([], ["a"], max_keys=0)


# ------------------------------------------------------------------ Arrow hashing and files


def test_arrow_hashes_are_the_value_hash_of_the_text_with_nulls_as_one_value() -> None:
    text = pa.array(["東京都", None, "a", "", "a", None], pa.string())
    tokyo, a, empty = stable_hashes(["東京都", "a", ""]).tolist()
    null = int(NULL_HASH)
    assert hash_arrow(text).tolist() == [tokyo, null, a, empty, a, null]
    assert hash_arrow(pa.array(["x"], pa.large_string())).tolist() == hash_arrow(pa.array(["x"])).tolist()
    numbers = pa.array([1, None, 1, 20], pa.int64())
    assert hash_arrow(numbers).tolist() == hash_arrow(pa.array(["1", None, "1", "20"])).tolist()
    # a type Arrow cannot cast to text goes through pandas' text, then the same hash
    stamps = pa.array([[1], None, [1]], pa.list_(pa.int64()))
    hashed = hash_arrow(stamps).tolist()
    assert hashed[0] == hashed[2] != hashed[1] == null
    assert hash_arrow(pa.array([None, None], pa.string())).tolist() == [int(NULL_HASH)] * 2
    assert hash_arrow(pa.chunked_array([["a"], ["b", None]])).tolist() == hash_arrow(pa.array(["a", "b", None])).tolist()


def _file(path: Path, fmt: str) -> DataFile:
    return DataFile(url=str(path), format=fmt, compression=None, size=path.stat().st_size, mtime="")  # type: ignore[arg-type]


def test_csv_and_parquet_files_count_as_the_frame_does(tmp_path: Path) -> None:
    frame = crm_like(30_000, seed=11)
    csv_path = tmp_path / "people.csv"
    frame.iloc[:20_000].to_csv(csv_path, index=False)
    parquet_path = tmp_path / "people.parquet"
    # the second file lacks a column: its rows count it as null
    pq.write_table(pa.Table.from_pandas(frame.iloc[20_000:].drop(columns=["prefecture"]), preserve_index=False), parquet_path, row_group_size=3000)
    reading = READING.model_copy(update={"batch_rows": 2048, "csv_block_bytes": 64 * 1024})
    sources = [FileHashes(_file(csv_path, "csv"), reading), FileHashes(_file(parquet_path, "parquet"), reading)]
    assert sum(rows for rows, _ in sources[0].hashed_batches(("age",))) == 20_000
    assert len(list(sources[0].hashed_batches(("age",)))) > 1  # really streamed in batches

    expected_frame = frame.copy()
    expected_frame.loc[20_000:, "prefecture"] = None
    columns = list(frame.columns)
    expected = search_quasi_identifiers(expected_frame, columns)
    got = search_sources(sources, columns, run=lambda g: g.compute(scheduler="sync"), rows=len(frame), max_keys=4000)
    assert got.sets == expected.sets
    assert got.evaluated == expected.evaluated


def test_an_unreadable_file_counts_no_rows(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    crm_like(500).to_csv(good, index=False)
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    sources = [FileHashes(_file(good, "csv"), READING), FileHashes(_file(bad, "parquet"), READING)]
    got = search_sources(sources, ["age", "sex"], run=lambda g: g.compute(scheduler="sync"))
    assert all(s.rows == 500 for s in got.evaluated)


def test_later_passes_read_the_spilled_hashes_not_the_file(tmp_path: Path) -> None:
    frame = crm_like(5000, seed=13)
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)
    columns = tuple(frame.columns)
    spill = tmp_path / "spill" / "0.hashes"
    spill.parent.mkdir()
    source = FileHashes(_file(path, "csv"), READING, columns, str(spill))
    first = count_source(source, [CountTask(("age",)), CountTask(("postal_code",))])
    assert spill.exists() and not (tmp_path / "spill" / "0.hashes.part").exists()
    assert spill.stat().st_size >= 5000 * len(columns) * 8
    path.unlink()  # the file is gone: only the spill can answer now
    again = count_source(source, [CountTask(("age",)), CountTask(("postal_code",))])
    assert [c.counts.tolist() for c in again] == [c.counts.tolist() for c in first]
    expected = search_quasi_identifiers(frame, list(columns))
    got = search_sources([source], list(columns), run=lambda g: g.compute(scheduler="sync"), rows=5000, max_keys=2000)
    assert got.sets == expected.sets and got.evaluated == expected.evaluated


def test_an_unreadable_file_leaves_no_spill(tmp_path: Path) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    spill = tmp_path / "0.hashes"
    source = FileHashes(_file(bad, "parquet"), READING, ("a",), str(spill))
    assert count_source(source, [CountTask(("a",))])[0].keys.size == 0
    assert list(tmp_path.iterdir()) == [bad]


def test_a_distributed_client_counts_what_sync_counts(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    from pipeline.quasi_select import _on_this_machine, _run_on

    frame = crm_like(3000, seed=17)
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)
    columns = list(frame.columns)
    expected = search_sources([FileHashes(_file(path, "csv"), READING, tuple(columns))], columns, run=_run_on("sync"), rows=3000, max_keys=1000)
    spilled = [FileHashes(_file(path, "csv"), READING, tuple(columns), str(tmp_path / "0.hashes"))]
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None) as cluster,  # type: ignore[no-untyped-call]
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        assert _on_this_machine(client)
        got = search_sources(spilled, columns, run=_run_on(client), rows=3000, max_keys=1000)
    assert got == expected
    assert (tmp_path / "0.hashes").exists()  # the passes after the first read the spill
    assert _on_this_machine("sync")
    assert not _on_this_machine(type("Remote", (), {"scheduler": type("S", (), {"address": "tcp://10.0.0.5:8786"})()})())


def test_each_task_of_a_pass_merges_in_its_own_tree() -> None:
    """The merges of one pass run per task (combination or shard), so they can run on different workers;
    only the tallies come back, and they equal the counts of all parts together."""
    import dask
    from dask.delayed import delayed
    from dask.utils import key_split

    from pipeline import quasi

    def part(first: int) -> list[quasi.KeyCounts]:
        return [count_keys(np.array([first, 1], dtype=np.uint64)), count_keys(np.array([7], dtype=np.uint64))]

    graph = quasi._tree([delayed(part)(i) for i in range(3)], 2)
    names = [key_split(key) for key in dict(graph.__dask_graph__())]
    # one merge per task picks its entry from each part's list itself: no getitem task per part and task
    assert names.count("merge_entry") == 2 and names.count("summarise") == 2
    assert "getitem" not in names
    first, second = dask.compute(graph, scheduler="sync")[0]
    # task 0: keys 0, 1, 1, 1, 2, 1 → classes {0: 1, 1: 4, 2: 1}; task 1: key 7 three times
    assert (first.rows, first.classes, first.k_min, first.uniques) == (6, 3, 1, 2)
    assert (second.rows, second.classes, second.k_min, second.uniques) == (3, 1, 3, 0)
