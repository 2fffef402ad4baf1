"""Birth dates as quasi-identifiers (a real k-anonymity verdict), and the value-shape counters detect keeps
for header-carried columns (mesh codes, geohashes, amounts, passports, digit lengths), end to end."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import pipeline
from pipeline.detect import profile_column
from pipeline.models import ColumnResult, DatasetResult, EntityFinding
from pipeline.profile_model import ColumnProfile
from pipeline.quasi_select import is_quasi_attribute, select_candidates
from pipeline.settings import DetectionSettings

N = 400


def _sweeney_table(rng: random.Random) -> pd.DataFrame:
    """No names: date of birth, postal code and sex, plus a purchase amount."""
    return pd.DataFrame(
        {
            "生年月日": [
                date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(N)
            ],
            "郵便番号": [
                f"{rng.choice([100, 150, 530, 600, 812])}-{rng.randint(0, 9999):04d}" for _ in range(N)
            ],
            "性別": [rng.choice(["1", "2"]) for _ in range(N)],
            "購入金額": [rng.choice([1000, 2000, 3000]) for _ in range(N)],
        }
    )


@pytest.fixture(scope="module")
def sweeney(tmp_path_factory: pytest.TempPathFactory) -> DatasetResult:
    folder: Path = tmp_path_factory.mktemp("sweeney")
    _sweeney_table(random.Random(11)).to_parquet(folder / "members.parquet", index=False)
    report = pipeline.scan(folder, scheduler="sync")
    (result,) = report.datasets
    return result


def test_birth_date_postal_code_and_sex_form_a_high_risk_set(sweeney: DatasetResult) -> None:
    by_name = {c.name: c for c in sweeney.columns}
    assert by_name["生年月日"].categories == ("personal",)
    assert by_name["性別"].categories == ("attribute",)  # 1/2 codes under 性別: the header decided
    assert by_name["生年月日"].quasi_identifier
    risky = [s for s in sweeney.quasi_identifier_sets if s.risk == "high"]
    assert any("生年月日" in s.columns for s in risky), sweeney.quasi_identifier_sets
    # Birth dates are nearly unique on their own in 400 rows: k of the riskiest set is 1.
    assert min(s.k_min for s in risky) == 1


def _column(name: str, categories: tuple[str, ...], *types: str) -> ColumnResult:
    entities = tuple(EntityFinding(t, 0.9, 1.0, ("values",)) for t in types)
    return ColumnResult(name=name, categories=categories, entities=entities, non_null=10, distinct_estimate=5)


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (_column("生年月日", ("personal",), "DATE_OF_BIRTH"), True),
        (_column("年齢", ("attribute",), "AGE"), True),
        (_column("氏名", ("personal",), "PERSON"), False),
        (_column("誕生日と氏名", ("personal",), "DATE_OF_BIRTH", "PERSON"), False),
        (_column("郵便番号", ("attribute", "personal"), "JP_POSTAL_CODE", "PHONE_NUMBER"), False),
    ],
)
def test_quasi_attributes(column: ColumnResult, expected: bool) -> None:
    assert is_quasi_attribute(column) is expected


def test_a_birth_date_alone_is_enough_to_look_for_quasi_identifiers() -> None:
    result = DatasetResult(
        dataset="d",
        format="parquet",
        rows_total=100,
        rows_scanned=100,
        columns=(
            _column("dob", ("personal",), "DATE_OF_BIRTH"),
            _column("name", ("personal",), "PERSON"),
            _column("plan", ()),
        ),
    )
    assert select_candidates(result) == ["dob", "plan"]


def _profile(values: list[str | None]) -> ColumnProfile:
    return profile_column("c", pa.array(values, pa.string()), [], DetectionSettings())


@pytest.mark.parametrize(
    ("values", "attr", "rows"),
    [
        (["5339", "533945", "53394512", "533945123", "5339451234", "5339-45-12"], "mesh_code_rows", 6),
        (
            ["1234", "2939", "53394", "53398", "12345678"],
            "mesh_code_rows",
            0,
        ),  # latitude/longitude out of Japan, bad digits
        (["xn76urx4", "xn77h", "wvuxn7e3qd1c", "12345", "hello", "xn76urx4xn76u"], "geohash_rows", 3),
        (["1,200", "¥3,000", "500円", "12000", "-40", "1,2000", "abc"], "amount_rows", 5),
        (["TK1234567", "MZ7654321", "T1234567", "TK12345678", "tk1234567"], "passport_shape_rows", 2),
    ],
)
def test_shape_counters(values: list[str | None], attr: str, rows: int) -> None:
    assert getattr(_profile(values), attr) == rows


def test_digit_lengths_count_rows_and_merge() -> None:
    first = _profile(["1234567", "1234567", "12345678", "12-34", None])
    assert first.digit_lengths == {7: 2, 8: 1}
    first.merge(_profile(["7654321", "1"]), DetectionSettings())
    assert first.digit_lengths == {7: 3, 8: 1, 1: 1}


def test_shape_regexes_stay_linear_on_long_adversarial_values() -> None:
    long_values = ["5" * 100_000, "xn" * 50_000, "1," * 50_000 + "x", "A" * 100_000]
    profile = _profile(long_values)
    # Only the long run of digits is a number (an amount); none is a code of a bounded length.
    assert (
        profile.mesh_code_rows,
        profile.geohash_rows,
        profile.amount_rows,
        profile.passport_shape_rows,
    ) == (0, 0, 1, 0)
    assert profile.digit_lengths == {}  # digit-only values are counted up to 20 digits
