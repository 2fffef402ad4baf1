"""Whole-dataset steps: k-anonymity by suppression, and the APPI top/bottom coding and rare-value suppression.

These need every (kept) row of the columns they look at; the callers read only those columns to run them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import combinations

import numpy as np
import pandas as pd

from pipeline import appi


def enforce_k(
    frame: pd.DataFrame, columns: Sequence[str], k: int, max_size: int, max_suppressed_share: float
) -> tuple[np.ndarray, list[str]]:
    """Rows to keep so that every combination of up to ``max_size`` of ``columns`` has classes of ≥ k rows
    (nulls are a value, as in the scan's QI analysis). When that would remove more than
    ``max_suppressed_share`` of the rows, the column with the most distinct values is dropped instead."""
    rows = len(frame)
    remaining = [c for c in columns if c in frame.columns]
    dropped: list[str] = []
    # Integer codes per column (null is a code of its own), so class sizes are a numpy count per combo.
    codes = {c: pd.factorize(frame[c].astype("string"), use_na_sentinel=False)[0].astype(np.int64) for c in remaining}
    while True:
        keep = np.ones(rows, dtype=bool)
        changed = bool(remaining) and rows > 0
        while changed:
            changed = False
            for size in range(1, min(max_size, len(remaining)) + 1):
                for combo in combinations(remaining, size):
                    rows_kept = np.flatnonzero(keep)
                    key = np.zeros(len(rows_kept), dtype=np.int64)
                    for column in combo:
                        # Re-densify after each column, so the key stays below rows² and never overflows.
                        mixed = key * (int(codes[column].max(initial=0)) + 1) + codes[column][rows_kept]
                        key = np.unique(mixed, return_inverse=True)[1].astype(np.int64)
                    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
                    small = counts[inverse] < k
                    if small.any():
                        keep[rows_kept[small]] = False
                        changed = True
        suppressed = rows - int(keep.sum())
        if not remaining or rows == 0 or suppressed <= max_suppressed_share * rows:
            return keep, dropped
        widest = max(remaining, key=lambda c: (int(codes[c].max(initial=0)), c))
        remaining.remove(widest)
        dropped.append(widest)


def top_bottom_code(
    values: list[str | None], percentile: float, keep: np.ndarray | None = None
) -> tuple[list[str | None], int]:
    """Numbers or ISO dates beyond the tail percentiles (of the kept rows) replaced by the most extreme value
    held inside them (pipeline.appi.coding_targets); other values unchanged. Returns the values and how many
    changed."""
    series = pd.Series(values, dtype="object")
    scale, is_date = appi.as_scale(series)
    if scale is None or not scale.notna().any():
        return values, 0
    basis = scale if keep is None else scale[keep]
    low, high = appi.tail_cuts(basis, percentile)
    to_low, to_high = appi.coding_targets(basis, percentile)

    def show(value: float) -> str:
        if is_date:
            return date.fromordinal(int(value)).isoformat()
        return str(int(value)) if float(value).is_integer() else f"{value:g}"

    out: list[str | None] = []
    changed = 0
    for value, number in zip(values, scale.tolist(), strict=True):
        if value is not None and number == number and (number > high or number < low):  # NaN != NaN
            out.append(show(to_high if number > high else to_low))
            changed += 1
        else:
            out.append(value)
    return out, changed


def suppress_rare(values: list[str | None], keep: np.ndarray, min_count: int) -> tuple[list[str | None], int]:
    """Values held by fewer than ``min_count`` of the kept rows become null (local suppression)."""
    counts: dict[str, int] = {}
    for value, kept in zip(values, keep, strict=True):
        if kept and value is not None:
            counts[value] = counts.get(value, 0) + 1
    out = [None if v is not None and counts.get(v, 0) < min_count else v for v in values]
    return out, sum(1 for a, b in zip(values, out, strict=True) if a is not None and b is None)
