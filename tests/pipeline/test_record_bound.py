"""The CSV record bound's quick probes decide as the exact pass over every byte would (pipeline/readers.py)."""

from __future__ import annotations

import io
import random

import pytest

from pipeline.errors import ReadError
from pipeline.readers import _CsvRecordBound, _quick_bound_state, may_hold_long_line

LIMIT = 16


def _random_text(rng: random.Random, size: int, weights: tuple[int, int, int, int]) -> bytes:
    return bytes(rng.choices(b'a"\n\r', weights=weights, k=size))


def _state(bound: _CsvRecordBound) -> tuple[int, int, int | None]:
    return bound._offset, bound._line_start, bound._quote_open


def _outcome(bound: _CsvRecordBound, check: str, chunks: list[bytes]) -> tuple[list[tuple[int, int, int | None]], str | None]:
    states = []
    try:
        for chunk in chunks:
            getattr(bound, check)(chunk)
            states.append(_state(bound))
    except ReadError as exc:
        return states, exc.problem
    return states, None


@pytest.mark.parametrize("seed", range(300))
def test_quick_check_refuses_and_keeps_state_as_the_exact_pass(seed: int) -> None:
    rng = random.Random(seed)
    # From text of short lines and fields (the probes clear it) to long runs (they must not).
    weights = rng.choice([(30, 4, 3, 1), (60, 2, 1, 0), (200, 1, 1, 1), (20, 0, 2, 0), (100, 3, 0, 0), (6, 2, 2, 0), (8, 2, 1, 1)])
    chunks = [_random_text(rng, rng.randint(0, 5 * LIMIT), weights) for _ in range(rng.randint(1, 6))]
    quick = _CsvRecordBound(io.BytesIO(), LIMIT, "f.csv")
    exact = _CsvRecordBound(io.BytesIO(), LIMIT, "f.csv")
    assert _outcome(quick, "_check", chunks) == _outcome(exact, "_check_exactly", chunks)


def test_probes_clear_ordinary_csv_without_the_exact_pass() -> None:
    rows = b"".join(b'"%d","\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e","090-1234-5678"\r\n' % i for i in range(2000))
    assert _quick_bound_state(rows, 0, 0, None, 1024) == (len(rows), len(rows), None)
    # A quoted field of two short lines is a record within the limit: still cleared, its quote carried.
    assert _quick_bound_state(b'1,"one\ntwo', 0, 0, None, 1024) == (10, 7, 2)


def test_probes_leave_a_long_record_to_the_exact_pass() -> None:
    long_line = b"x" * 100 + b"\n"
    long_field = b'a,"' + b"y\n" * 60 + b'"\n'
    assert _quick_bound_state(long_line, 0, 0, None, 64) is None
    assert _quick_bound_state(long_field, 0, 0, None, 64) is None


@pytest.mark.parametrize("seed", range(300))
def test_may_hold_long_line_never_misses_one(seed: int) -> None:
    rng = random.Random(1000 + seed)
    data = _random_text(rng, rng.randint(0, 8 * LIMIT), rng.choice([(30, 0, 3, 1), (200, 0, 1, 1), (16, 0, 1, 0)]))
    longest = max((len(line) for line in data.splitlines()), default=0)
    if longest > LIMIT:
        assert may_hold_long_line(data, LIMIT)
    if longest <= LIMIT // 2:
        assert not may_hold_long_line(data, LIMIT)  # no false alarm far from the limit
