"""Pure parts of the anonymiser: consent spellings, generalisers, keyed hash, k by suppression, paths."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.anonymizer import (
    address_prefecture,
    age_band,
    date_generalise,
    enforce_k,
    hash_key_from_env,
    keyed_hash,
    operator_config,
    output_relative_path,
    postal_prefix,
)
from pipeline.errors import ConfigError
from pipeline.gate import consent_mask, is_consent, not_consent_shaped
from pipeline.sources import DataFile, DatasetRef


@pytest.mark.parametrize(
    "value",
    ["true", "TRUE", " yes ", "Y", "1", "同意", "同意済", "同意済み", "はい", "ｙｅｓ", "〇", True, 1],
)
def test_consent_spellings_that_mean_yes(value: object) -> None:
    assert is_consent(value)


@pytest.mark.parametrize("value", [None, "", "false", "0", "no", "いいえ", "未同意", "同意しない", "2", "yess", False, 0])
def test_everything_else_is_no_consent(value: object) -> None:
    assert not is_consent(value)


def test_consent_mask_agrees_with_is_consent_on_every_arrow_type() -> None:
    strings = ["同意済", None, "いいえ", " TRUE ", "ｙ", "maybe"]
    assert consent_mask(pa.array(strings)).to_pylist() == [is_consent(v) for v in strings]
    assert consent_mask(pa.array([True, None, False])).to_pylist() == [True, False, False]
    assert consent_mask(pa.array([1, 0, None, 2])).to_pylist() == [True, False, False, False]


@pytest.mark.parametrize(
    ("value", "band"),
    [("34", "30代"), ("30", "30代"), ("39歳", "30代"), ("７", "10歳未満"), ("95", "90代以上"), ("40代", "40代"), ("abc", None), ("200", None)],
)
def test_age_band(value: str, band: str | None) -> None:
    assert age_band(value) == band


@pytest.mark.parametrize(
    ("value", "year", "month"),
    [
        ("1985-12-24", "1985", "1985-12"),
        ("1985/12/24", "1985", "1985-12"),
        ("昭和60年12月24日", "1985", "1985-12"),
        ("2026-11-08 13:06:47", "2026", "2026-11"),
        ("１９９０年４月１日", "1990", "1990-04"),
        ("not a date", None, None),
    ],
)
def test_date_generalise(value: str, year: str | None, month: str | None) -> None:
    assert date_generalise(value, "year") == year
    assert date_generalise(value, "month") == month


@pytest.mark.parametrize(
    ("value", "prefix"),
    [("100-0001", "100"), ("〒1500002", "150"), ("５３０－０００１", "530"), ("530ー0001", "530"), ("12345", None), ("1000-001", None)],
)
def test_postal_code_keeps_three_digits(value: str, prefix: str | None) -> None:
    assert postal_prefix(value) == prefix


@pytest.mark.parametrize(
    ("value", "prefecture"),
    [
        ("東京都千代田区丸の内1-1-1", "東京都"),
        ("〒060-0001 北海道札幌市中央区北1条西2丁目", "北海道"),
        ("神奈川県横浜市西区", "神奈川県"),
        ("大阪市北区梅田", "大阪府"),
        ("千代田区丸の内", None),
    ],
)
def test_address_becomes_its_prefecture(value: str, prefecture: str | None) -> None:
    assert address_prefecture(value) == prefecture


def test_keyed_hash_is_stable_keyed_and_hides_the_value() -> None:
    first, other = keyed_hash(b"k" * 16), keyed_hash(b"j" * 16)
    digest = first("090-1234-5678")
    assert digest == first("０９０-１２３４-５６７８")  # width variants are one person
    assert digest != other("090-1234-5678")
    assert "5678" not in digest and len(digest) == 32


def test_hash_key_is_required_and_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIISCAN_HASH_KEY", raising=False)
    with pytest.raises(ConfigError, match="PIISCAN_HASH_KEY is unset"):
        hash_key_from_env()
    monkeypatch.setenv("PIISCAN_HASH_KEY", "short-secret")
    with pytest.raises(ConfigError, match="too short") as caught:
        hash_key_from_env()
    assert "short-secret" not in str(caught.value)
    monkeypatch.setenv("PIISCAN_HASH_KEY", "a-long-enough-secret-key")
    assert hash_key_from_env() == b"a-long-enough-secret-key"


def test_hash_operator_needs_a_key() -> None:
    with pytest.raises(ConfigError):
        operator_config("hash", "MEMBER_ID", key=None)


def _classes_ok(frame: pd.DataFrame, columns: list[str], keep: np.ndarray, k: int, max_size: int) -> bool:
    kept = frame.loc[keep].fillna("\x00")
    for size in range(1, min(max_size, len(columns)) + 1):
        for combo in combinations(columns, size):
            if len(kept) and kept.groupby(list(combo), dropna=False).size().min() < k:
                return False
    return True


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", None]), st.sampled_from(["x", "y"]), st.integers(0, 6)),
        min_size=0,
        max_size=60,
    ),
    st.integers(2, 5),
)
def test_enforce_k_leaves_only_classes_of_at_least_k(rows: list[tuple[str | None, str, int]], k: int) -> None:
    frame = pd.DataFrame(rows, columns=["p", "q", "r"]).astype({"r": "Int64"}) if rows else pd.DataFrame(columns=["p", "q", "r"])
    keep, dropped = enforce_k(frame, ["p", "q", "r"], k, max_size=3, max_suppressed_share=1.0)
    assert dropped == []
    assert _classes_ok(frame, ["p", "q", "r"], keep, k, 3)


def test_enforce_k_drops_the_widest_column_rather_than_most_rows() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"band": rng.choice(["20代", "30代"], 200), "exact": rng.integers(0, 150, 200).astype(str)})
    keep, dropped = enforce_k(frame, ["band", "exact"], 5, max_size=2, max_suppressed_share=0.3)
    assert dropped == ["exact"]
    assert keep.all()


def test_output_paths_mirror_the_source_and_drop_compression() -> None:
    single = DatasetRef("crm/customers.csv.gz", "csv", (DataFile("/lake/crm/customers.csv.gz", "csv", "gzip", 1, ""),))
    assert output_relative_path(single, single.files[0]) == "crm/customers.csv"
    hive_file = DataFile("/lake/weblogs/dt=2026-11-01/part-0.jsonl", "jsonl", None, 1, "")
    hive = DatasetRef("weblogs", "jsonl", (hive_file,))
    assert output_relative_path(hive, hive_file) == "weblogs/dt=2026-11-01/part-0.jsonl"


@pytest.mark.parametrize(
    ("values", "odd"),
    [
        (["同意", "未回答", "不同意", "保留", None], 0),  # survey states that record no consent are consent-shaped
        (["yes", "pending", "declined", "opt-out"], 0),
        (["2026-04-01", "令和6年4月1日", "true"], 0),
        (["同意", "山田 太郎", "090-1234-5678"], 2),  # a name or a phone is not a consent state
    ],
)
def test_consent_shape_counts_values_that_are_no_consent_state(values: list[str | None], odd: int) -> None:
    assert not_consent_shaped(pa.array(values, type=pa.string())) == odd
    # Only the yes spellings count as consent.
    assert not any(is_consent(v) for v in values if v in ("未回答", "保留", "pending", "declined", "opt-out"))
