"""DataFrames take the same per-dataset flow as files (partitions as tasks, tree merge, NER), on a typed Runner."""

from __future__ import annotations

import dask
import dask.dataframe as dd
import pandas as pd
import pytest
from dask.delayed import delayed

from pipeline.api import scan
from pipeline.errors import ScanFailed
from pipeline.plan import FRAME_SCHEDULER, build_plan
from pipeline.runner import Runner
from pipeline.settings import load_scan_settings

NO_NER = load_scan_settings().with_overrides({"detection": {"ner_enabled": False}})


def _people(rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "email": [f"user{i}@example.org" for i in range(rows)],
            "電話番号": [f"090-{1000 + i % 9000:04d}-{(i * 7) % 10000:04d}" for i in range(rows)],
            "note": ["ok"] * rows,
        }
    )


def _summary(frame: object) -> list[tuple[str, tuple[str, ...], tuple[tuple[str, float], ...], int]]:
    report = scan(frame, config=NO_NER, name="people")
    (dataset,) = report.datasets
    assert dataset.format == "dataframe" and dataset.files == ()
    return [
        (c.name, tuple(c.categories), tuple((e.type, round(e.ratio, 6)) for e in c.entities), c.non_null)
        for c in dataset.columns
    ]


def test_a_dask_frame_of_many_partitions_merges_in_a_tree_to_the_pandas_result() -> None:
    frame = _people(400)
    whole = _summary(frame)
    # 20 partitions: more than one merge task's fan-in, so the partitions meet through a tree as files do.
    parted = _summary(dd.from_pandas(frame, npartitions=20))
    assert parted == whole
    entities = {name: {entity for entity, _ in found} for name, _, found, _ in whole}
    assert "EMAIL_ADDRESS" in entities["email"]
    assert {name: categories for name, categories, _, _ in whole}["note"] == ()


def test_a_frame_plan_is_one_dataset_of_its_partitions_run_in_process_by_default() -> None:
    plan = build_plan(dd.from_pandas(_people(30), npartitions=3), config=NO_NER, name="people")
    assert plan.datasets == () and plan.sources == ("<people>",)
    (frame,) = plan.frames
    assert frame.name == "people" and len(frame.partitions) == 3
    assert plan.scheduler == FRAME_SCHEDULER
    assert build_plan(_people(5), config=NO_NER, scheduler="threads").scheduler == "threads"


def test_the_runner_computes_in_order_and_sets_its_scheduler_for_collections() -> None:
    runner = Runner("sync")
    assert runner.in_process
    assert runner.compute([delayed(pow)(2, n) for n in range(5)]) == [1, 2, 4, 8, 16]
    with runner.config_scope():
        assert dask.config.get("scheduler") == "sync"


def _boom() -> None:
    raise RuntimeError("worker lost")


def test_a_failing_task_fails_the_scan_loudly() -> None:
    with pytest.raises(ScanFailed, match="RuntimeError"):
        Runner("sync").compute([delayed(_boom)()])
