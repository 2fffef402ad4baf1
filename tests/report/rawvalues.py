"""The raw cell values of a lake on disk, for tests that grep outputs for leaks."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

import pyarrow.parquet as pq

# Shorter strings (男性, 加入, 3) occur in any text by chance; a leak of a real value is longer.
MIN_CHARS = 6


def _csv_rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        delimiter = "\t" if path.suffix == ".tsv" else ","
        return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    raise AssertionError(f"test helper cannot decode {path}")


def _cells(path: Path) -> Iterable[object]:
    if path.suffix == ".parquet":
        try:
            table = pq.read_table(path)
        except Exception:  # the deliberately broken file holds no values
            return []
        return (value for column in table.columns for value in column.to_pylist())
    if path.suffix in (".csv", ".tsv"):
        return (value for row in _csv_rows(path) for value in row.values())
    if path.suffix == ".jsonl":
        return (
            value
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
            for value in json.loads(line).values()
        )
    return []


def raw_values(lake: Path) -> set[str]:
    """Every distinct string (or integer) cell of at least MIN_CHARS characters in the lake's files."""
    values: set[str] = set()
    for path in sorted(p for p in lake.rglob("*") if p.is_file()):
        for cell in _cells(path):
            if isinstance(cell, bool) or cell is None or isinstance(cell, float):
                continue
            text = str(cell).strip()
            if len(text) >= MIN_CHARS:
                values.add(text)
    return values


def leaks(text: str, values: Iterable[str]) -> list[str]:
    """The raw values found in ``text``, shortest first (so a report names the smallest evidence)."""
    return sorted((v for v in values if v in text), key=len)
