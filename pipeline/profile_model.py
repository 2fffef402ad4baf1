"""The profile data model: what the per-file task records about each column, and how profiles merge.

Profiles are mergeable across batches, row groups and files in any partitioning: sums, score bands,
bottom-k sketches and the KMV distinct-count sketch. ``merge_profiles`` merges in a fixed order of file
names, so the result does not depend on task completion order. The per-file pattern task that fills
these is pipeline/detect.py; NER over the merged profile is pipeline/detect_ner.py.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

from pipeline.models import ScanIssue
from pipeline.settings import DetectionSettings, ScanSettings

# Rows are also counted by score band (0.05 wide), so a threshold can apply to the rows that reach a
# score rather than to the mean: a mean near a cut-off flips with sampling noise, a count of rows does not.
SCORE_BANDS = 20


def score_band(score: float) -> int:
    return min(SCORE_BANDS - 1, max(0, int(round(score * SCORE_BANDS, 6))))


def no_bands() -> list[float]:
    return [0.0] * SCORE_BANDS


@dataclass
class EntityTally:
    """Rows of a column that hold one entity, with their summed and best scores and masked examples."""

    rows: int = 0
    score_sum: float = 0.0
    max_score: float = 0.0
    examples: list[tuple[int, str]] = field(default_factory=list)  # (stable hash, masked span)
    # Rows where the entity is a mention inside longer text (a phone number in a note), not the whole cell.
    embedded_rows: int = 0
    # Rows extrapolated from validated candidates when a column had more candidates than the validation
    # budget (see ValidationBudget); zero for columns whose candidates were all validated.
    estimated_rows: float = 0.0
    estimated_score_sum: float = 0.0
    band_rows: list[float] = field(default_factory=no_bands)  # rows (validated + estimated) by score band

    @property
    def total_rows(self) -> float:
        return self.rows + self.estimated_rows

    @property
    def mean_score(self) -> float:
        total = self.total_rows
        # Rounded: float sums of equal scores drift (0.6 × n / n = 0.5999999999999974), and a mean that should
        # sit exactly on a threshold must not fall under it depending on how rows were split or estimated.
        return round((self.score_sum + self.estimated_score_sum) / total, 9) if total else 0.0

    def rows_scoring_at_least(self, score: float) -> float:
        """Rows whose score reaches ``score`` (bands that start below it do not count)."""
        first = int(np.ceil(score * SCORE_BANDS - 1e-6))
        return float(sum(self.band_rows[max(0, first) :]))

    def keeps_example(self, value_hash: int, keep: int) -> bool:
        """Whether a value of this hash would be among the ``keep`` examples: only those are masked (the
        masking of every hit cost more than the rest of counting it)."""
        return keep > 0 and (len(self.examples) < keep or value_hash <= self.examples[-1][0])

    def add(
        self, count: int, score: float, value_hash: int, example: str | None, keep: int, embedded: bool = False
    ) -> None:
        """Count ``count`` rows; ``example`` (masked) is kept if its hash is among the smallest, None when
        :meth:`keeps_example` said it would not be."""
        self.rows += count
        self.embedded_rows += count if embedded else 0
        self.score_sum += score * count
        self.max_score = max(self.max_score, score)
        self.band_rows[score_band(score)] += count
        if example is not None:
            _keep_smallest(self.examples, (value_hash, example), keep)

    def merge(self, other: EntityTally, keep: int) -> None:
        self.rows += other.rows
        self.embedded_rows += other.embedded_rows
        self.estimated_rows += other.estimated_rows
        self.estimated_score_sum += other.estimated_score_sum
        self.score_sum += other.score_sum
        self.max_score = max(self.max_score, other.max_score)
        self.band_rows = [a + b for a, b in zip(self.band_rows, other.band_rows, strict=True)]
        for item in other.examples:
            _keep_smallest(self.examples, item, keep)


def _keep_smallest(items: list[tuple[int, str]], item: tuple[int, str], keep: int) -> None:
    if keep <= 0 or item in items:
        return
    items.append(item)
    items.sort()
    del items[keep:]


@dataclass
class ColumnProfile:
    """Everything the classifier needs about one column, mergeable across partitions."""

    name: str
    data_type: str
    rows: int = 0
    non_null: int = 0
    char_sum: int = 0
    sentence_rows: int = 0
    numeric_rows: int = 0
    small_int_rows: int = 0
    latitude_rows: int = 0
    longitude_rows: int = 0
    letter_rows: int = 0
    path_rows: int = 0  # values shaped like a URL or a site path (/items/123?ref=top)
    amount_rows: int = 0  # numbers as money is written (1,200 / ¥3,000 / 500円)
    mesh_code_rows: int = 0  # JIS X 0410 area mesh codes
    geohash_rows: int = 0
    passport_shape_rows: int = 0  # two letters and seven digits
    # Rows whose value is digits only, by number of digits (1–20): account numbers, codes.
    digit_lengths: dict[int, int] = field(default_factory=dict)
    entities: dict[str, EntityTally] = field(default_factory=dict)
    # Bottom-k sketch: the k distinct values with the smallest stable hashes (raw values stay in memory only).
    sketch: dict[int, str] = field(default_factory=dict)
    # The DISTINCT_SKETCH smallest stable hashes (sorted, no values): the distinct-count (KMV) sketch.
    distinct_hashes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    # Rows behind each sketched value (exact: a value in the merged bottom-k is in every part's bottom-k).
    sketch_rows: dict[int, int] = field(default_factory=dict)
    ner_hits: dict[str, EntityTally] = field(default_factory=dict)
    ner_sample_size: int = 0
    ner_sample_rows: int = 0  # rows the NER sample's distinct values stand for (the share's denominator)
    ner_read_every_value: bool = False  # the sample held every distinct value: nothing can have been missed
    # Candidate rows (prefilter matched) whose entity share was extrapolated rather than validated.
    extrapolated_rows: int = 0
    screened: bool = False

    def merge(self, other: ColumnProfile, settings: DetectionSettings) -> None:
        if other.data_type != self.data_type:
            self.data_type = self.data_type if self.non_null >= other.non_null else other.data_type
        for attr in (
            "rows", "non_null", "char_sum", "sentence_rows", "numeric_rows",
            "small_int_rows", "latitude_rows", "longitude_rows", "letter_rows", "path_rows", "extrapolated_rows",
            "amount_rows", "mesh_code_rows", "geohash_rows", "passport_shape_rows",
        ):
            setattr(self, attr, getattr(self, attr) + getattr(other, attr))
        for length, rows in other.digit_lengths.items():
            self.digit_lengths[length] = self.digit_lengths.get(length, 0) + rows
        for entity, tally in other.entities.items():
            self.entities.setdefault(entity, EntityTally()).merge(tally, settings.examples_per_entity)
        self.screened = self.screened or other.screened
        self.distinct_hashes = smallest_union(self.distinct_hashes, other.distinct_hashes, DISTINCT_SKETCH)
        self.sketch.update(other.sketch)
        for value_hash, rows in other.sketch_rows.items():
            self.sketch_rows[value_hash] = self.sketch_rows.get(value_hash, 0) + rows
        if len(self.sketch) > settings.sketch_size:
            self.sketch = dict(heapq.nsmallest(settings.sketch_size, self.sketch.items()))
            self.sketch_rows = {h: self.sketch_rows[h] for h in self.sketch}

    @property
    def distinct_estimate(self) -> int:
        """Exact below DISTINCT_SKETCH distinct values; above it, the KMV estimate (see :func:`kmv_estimate`).

        Profiles built without hashes (by hand, in tests) count their value sketch."""
        if len(self.distinct_hashes) == 0:
            return len(self.sketch)
        return kmv_estimate(self.distinct_hashes, DISTINCT_SKETCH)


# Hashes kept per column to count distinct values: the KMV estimate's relative standard error is about
# 1/sqrt(k-2), 1.6 % at 4,096 (32 KiB a column); the value sketch (sketch_size, 256) would give 6 %.
DISTINCT_SKETCH = 4096


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: what ``np.unique(values)`` gives, by a sort. np.unique takes a hash-table
    path (numpy >= 2.3) that costs several times a sort on arrays of a few thousand integers."""
    ordered = np.sort(values)
    distinct = np.ones(len(ordered), dtype=bool)
    distinct[1:] = ordered[1:] != ordered[:-1]
    return ordered[distinct]


def smallest_union(first: np.ndarray, second: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` smallest distinct values of both arrays, sorted (``np.union1d(first, second)[:k]``)."""
    return sorted_distinct(np.concatenate([first, second]))[:k]


def kmv_estimate(smallest: np.ndarray, k: int) -> int:
    """Distinct values from the sorted ``k`` smallest distinct 64-bit hashes (Bar-Yossef et al.'s KMV):
    exact while fewer than k were seen, else (k-1)/u_k with u_k the k-th smallest hash as a fraction of
    the hash space, never below k (at least k distinct values were seen)."""
    if len(smallest) < k:
        return len(smallest)
    fraction = (float(smallest[k - 1]) + 1.0) / 2.0**64
    return max(k, round((k - 1) / fraction))


@dataclass
class FileProfile:
    rows: int = 0
    columns: dict[str, ColumnProfile] = field(default_factory=dict)
    issues: list[ScanIssue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Files profiled as several parts whose rows parse as the whole file's (row groups; byte ranges cut
    # between records): the quasi-identifier step can count them by the same parts.
    split_files: list[str] = field(default_factory=list)

    def merge(self, other: FileProfile, settings: DetectionSettings) -> FileProfile:
        self.rows += other.rows
        for name, column in other.columns.items():
            if name in self.columns:
                self.columns[name].merge(column, settings)
            else:
                self.columns[name] = column
        self.issues.extend(other.issues)
        # the parts of a split file each name it: once is enough
        known = set(self.files)
        self.files.extend(f for f in other.files if f not in known)
        split = set(self.split_files)
        self.split_files.extend(f for f in other.split_files if f not in split)
        return self


def merge_profiles(profiles: list[FileProfile], settings: ScanSettings) -> FileProfile:
    """Merge in a fixed order of file names, so the result does not depend on task completion order."""
    ordered = sorted(profiles, key=lambda p: p.files)
    merged = FileProfile()
    for profile in ordered:
        merged.merge(profile, settings.detection)
    return merged
