"""The value hash behind sketches, samples and distinct counts (pipeline/value_hash.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from pipeline import value_hash
from pipeline.value_hash import stable_hashes

# Known answers: sketches and hash samples persisted by one version must mean the same in the next, so the
# definition is pinned. Changing it is a format change (incremental runs would merge mismatched sketches).
KNOWN = {
    "": 11286133854226296554,
    "a": 17711730835575097418,
    "山田太郎": 14468749036807504096,
    "taro@example.co.jp": 17975636256694117474,
    "x" * 300: 6542523965218612291,  # past SHORT_WORDS: the chunked path
}


def test_known_answers_pin_the_definition() -> None:
    assert stable_hashes(list(KNOWN)).tolist() == list(KNOWN.values())


def test_values_that_differ_in_a_few_digits_do_not_collide() -> None:
    """DuckDB's hash() collided 615 times on 65,536 addresses like these; a sound 64-bit hash collides here
    with probability about 1e-10."""
    values = [
        f"神奈川県横浜市港北区新横浜{b}丁目{lot}番{room}号"
        for b in range(1, 10)
        for lot in range(1, 100)
        for room in range(1, 80)
    ]
    hashes = stable_hashes(values)
    assert len(np.unique(hashes)) == len(set(values)) == 9 * 99 * 79


def test_hashes_spread_uniformly_over_64_bits() -> None:
    """Bottom-k samples and the KMV distinct estimate assume uniform hashes: mean 1/2 and the top bit set
    in half of them, within a few standard errors over 100,000 short, similar values."""
    fractions = stable_hashes([f"M{n:09d}" for n in range(100_000)]).astype(np.float64) / 2.0**64
    assert abs(fractions.mean() - 0.5) < 0.005  # standard error 0.0009
    assert abs((fractions >= 0.5).mean() - 0.5) < 0.006  # standard error 0.0016
    # the smallest hash times n is exponential with mean 1: far from 0 and far from 50
    assert 0.0001 < fractions.min() * 100_000 < 50


@pytest.mark.parametrize(
    "array",
    [
        pa.array(["b", "taro@example.co.jp", "", "x" * 300, "山田"]),
        pa.array(["b", "taro@example.co.jp", "", "x" * 300, "山田"], pa.large_string()),
        pa.array(["z", "a", "b", "taro@example.co.jp", "", "x" * 300, "山田", "tail"]).slice(2, 5),
        pa.chunked_array([["b", "taro@example.co.jp"], ["", "x" * 300, "山田"]]).combine_chunks(),
    ],
    ids=["string", "large_string", "slice", "combined_chunks"],
)
def test_a_value_hashes_the_same_in_any_arrow_layout(array: pa.Array) -> None:
    expected = stable_hashes(["b", "taro@example.co.jp", "", "x" * 300, "山田"])
    assert stable_hashes(array).tolist() == expected.tolist()


def test_chunking_does_not_change_a_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long value split over passes sums the same words: tiny chunks and a tiny word-by-word prefix agree
    with the defaults."""
    values = ["", "a", "abcdefgh", "abcdefghi", "x" * 1000, "日本語" * 200, "y" * 17]
    expected = stable_hashes(values)
    monkeypatch.setattr(value_hash, "SHORT_WORDS", 1)
    monkeypatch.setattr(value_hash, "WORDS_PER_CHUNK", 3)
    assert stable_hashes(values).tolist() == expected.tolist()


def test_hashing_in_blocks_does_not_change_a_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Values hashed in blocks of BLOCK_VALUES (a sliced array, nulls, long values across block edges) hash
    as they do all at once, in order."""
    values = pa.array(["z", "a", None, "abcdefghi", "x" * 1000, "", "日本語" * 90, "y", None, "tail"]).slice(1, 8)
    expected = stable_hashes(values)
    monkeypatch.setattr(value_hash, "BLOCK_VALUES", 3)
    blocked = stable_hashes(values)
    assert blocked.tolist() == expected.tolist()
    assert blocked[1] == blocked[7] == KNOWN[""] and blocked[0] == KNOWN["a"]


def test_nulls_hash_as_the_empty_string_and_order_is_kept() -> None:
    hashes = stable_hashes(pa.array(["a", None, "", "b"]))
    assert hashes[1] == hashes[2] == KNOWN[""]
    assert hashes[0] == KNOWN["a"] and hashes[3] != hashes[0]


def test_numpy_passes_do_not_grow_with_the_number_of_values() -> None:
    """No Python work per value (speed itself is measured by make bench): hashing 20,000 values makes as
    many vectorised passes as hashing 200 of the same length."""
    small = pa.array([f"user{n}@example.co.jp" for n in range(200)])
    large = pa.array([f"user{n}@example.co.jp" for n in range(20_000)])
    calls = {"small": 0, "large": 0}
    original = value_hash.fmix64

    def counted(key: str):
        def wrapper(h: np.ndarray) -> np.ndarray:
            calls[key] += 1
            return original(h)

        return wrapper

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(value_hash, "fmix64", counted("small"))
        stable_hashes(small)
        patch.setattr(value_hash, "fmix64", counted("large"))
        stable_hashes(large)
    assert calls["small"] == calls["large"] <= value_hash.SHORT_WORDS + 2
    # and it is a different function from pandas' (no accidental fallback to SipHash)
    assert stable_hashes(small)[0] != pd.util.hash_array(np.asarray(["user0@example.co.jp"], dtype=object))[0]
