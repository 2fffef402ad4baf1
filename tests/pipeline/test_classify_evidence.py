"""Column verdicts from fused evidence: names carry opaque values only when the values' shape agrees."""

from __future__ import annotations

import pandas as pd
import pytest

import pipeline

N = 120


def _categories(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    report = pipeline.scan(frame, scheduler="sync")
    return {c.name: c.categories for c in report.datasets[0].columns}


@pytest.fixture(scope="module")
def verdicts() -> dict[str, tuple[str, ...]]:
    frame = pd.DataFrame(
        {
            "request_path": [f"/items/{i}?ref=top" for i in range(N)],
            "path": [f"/var/log/app{i}.log" for i in range(N)],  # a file path is not browsing history
            "年齢": [20 + i % 50 for i in range(N)],
            "age_of_account_days": [i * 13 for i in range(N)],  # not a person's age: values up to 1,547
            "パスワード": [f"{i:064x}" for i in range(N)],  # opaque hashes, carried by the name
            "latitude": [35.0 + i / 1000 for i in range(N)],
            "lat_count": [i for i in range(N)],  # a 'lat' word but integers: not a coordinate
            "c07": [f"{i:08d}" for i in range(N)],  # meaningless name, meaningless values
        }
    )
    return _categories(frame)


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("request_path", ("behavioral",)),
        ("path", ()),
        ("年齢", ("attribute",)),
        ("age_of_account_days", ()),
        ("パスワード", ("credential",)),
        ("latitude", ("location",)),
        ("lat_count", ()),
        ("c07", ()),
    ],
)
def test_name_and_shape_together(verdicts: dict[str, tuple[str, ...]], column: str, expected: tuple[str, ...]) -> None:
    assert verdicts[column] == expected
