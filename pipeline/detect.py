"""Partition → findings: profile every column of a file and merge profiles (order- and partition-free).

Pattern recognizers run on every distinct value of every batch (a vectorised RE2 prefilter picks the
candidates, so Python only sees values that might match). GiNZA NER runs later on a bottom-k sample of
distinct values, chosen by a stable hash, so the sample is the same however the data is partitioned.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from presidio_analyzer import EntityRecognizer

from pipeline.engine import ner_batch, pattern_recognizers
from pipeline.errors import ReadError
from pipeline.masking import mask_value
from pipeline.models import ScanIssue
from pipeline.prefilter import multi_prefilter, reference_mask
from pipeline.readers import ByteRange, iter_batches
from pipeline.settings import DetectionSettings, ScanSettings
from pipeline.sources import DataFile
from pipeline.text_shape import needs_ner as needs_ner  # re-exported: api imports it from here
from recognizers.normalize import normalize_array
from recognizers.person_reference import is_encyclopedic, speaks_of_a_person

# Sentence-like: Japanese punctuation, or three or more words. Groups of digits or symbols are not
# words ("1234 5678 9012", "+81 90 1234 5678" are one spaced number): the first and the third token of
# the run must hold a letter.
_SENTENCE = r"[。、！？]|\S*\pL\S*[ 　]+\S+[ 　]+\S*\pL\S*"
_NUMBER = r"^[-+]?[0-9]+([.][0-9]+)?$"
_SMALL_INT = r"^[0-9]{1,3}$"
_LATITUDE = r"^[-+]?[0-9]{1,2}[.][0-9]{2,}$"
_LONGITUDE = r"^[-+]?[0-9]{1,3}[.][0-9]{2,}$"
_HAS_LETTER = r"[A-Za-z\p{Han}\p{Hiragana}\p{Katakana}]"
_URL_PATH = r"^(?:/[^/\s]|[A-Za-z][A-Za-z0-9+.-]*://|www\.)"
# Money: an optional currency sign, thousands separators, an optional 円 (NFKC has turned ￥ into ¥).
_AMOUNT = r"^[-+]?[¥$€£]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:[.][0-9]+)?円?$"
# JIS X 0410 standard area mesh codes: 1st level = 2 digits of latitude×1.5 (Japan: 30–68) and 2 of
# longitude−100 (22–53), then 2nd level (2 digits 0–7), 3rd level (2 digits), half and quarter mesh (1–4).
_MESH_CODE = r"^[3-6][0-9][2-5][0-9](?:-?[0-7]{2}(?:-?[0-9]{2}(?:-?[1-4](?:-?[1-4])?)?)?)?$"
# Geohash: 5–12 characters of the base32 alphabet without a, i, l, o, with at least one letter
# (so plain numbers do not count).
_GEOHASH = r"^[0-9b-hjkmnp-z]{5,12}$"
_GEOHASH_LETTER = r"[b-hjkmnp-z]"
# Japanese passport numbers: two letters then seven digits (MOFA).
_PASSPORT_SHAPE = r"^[A-Z]{2}[0-9]{7}$"
_DIGITS = r"^[0-9]{1,20}$"

# Special-care (要配慮) information and a person's attributes are information about a person. In a
# sentence, a disease, a religion, a school or a prefecture counts only when the text speaks of someone:
# first person, family, an honorific, or the polite/desire forms of a customer's own words. Encyclopedic
# prose ("仏教は…である", "京都大学は1897年に設立された") names the topic, not a person.
ABOUT_A_PERSON_ENTITIES = frozenset(
    {"RELIGION", "BELIEF", "RACE", "DOMICILE", "DISABILITY", "CRIMINAL_RECORD", "LABOR_UNION", "POLITICAL",
     "MEDICAL", "SEX_LIFE", "SCHOOL_NAME", "JP_PREFECTURE", "OCCUPATION", "AGE", "GENDER"}
)
# A match covering less than this share of its cell is a mention inside text, not the cell's content.
EMBEDDED_SHARE = 0.6


# Rows are also counted by score band (0.05 wide), so a threshold can apply to the rows that reach a
# score rather than to the mean: a mean near a cut-off flips with sampling noise, a count of rows does not.
SCORE_BANDS = 20


def score_band(score: float) -> int:
    return min(SCORE_BANDS - 1, max(0, int(round(score * SCORE_BANDS, 6))))


def _no_bands() -> list[float]:
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
    band_rows: list[float] = field(default_factory=_no_bands)  # rows (validated + estimated) by score band

    @property
    def total_rows(self) -> float:
        return self.rows + self.estimated_rows

    @property
    def mean_score(self) -> float:
        total = self.total_rows
        return (self.score_sum + self.estimated_score_sum) / total if total else 0.0

    def rows_scoring_at_least(self, score: float) -> float:
        """Rows whose score reaches ``score`` (bands that start below it do not count)."""
        first = int(np.ceil(score * SCORE_BANDS - 1e-6))
        return float(sum(self.band_rows[max(0, first) :]))

    def add(self, count: int, score: float, value_hash: int, example: str, keep: int, embedded: bool = False) -> None:
        self.rows += count
        self.embedded_rows += count if embedded else 0
        self.score_sum += score * count
        self.max_score = max(self.max_score, score)
        self.band_rows[score_band(score)] += count
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
        self.distinct_hashes = np.union1d(self.distinct_hashes, other.distinct_hashes)[:DISTINCT_SKETCH]
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
        return self


@dataclass
class _RecognizerStats:
    """What validating a column's candidates for one recognizer found so far, to extrapolate the rest."""

    validated: int = 0  # distinct candidates validated in full
    validated_rows: int = 0
    hit_rows: dict[str, int] = field(default_factory=dict)
    score_sums: dict[str, float] = field(default_factory=dict)
    band_rows: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class ValidationBudget:
    """Per file: how many distinct candidates each (column, recognizer) may validate in Python.

    Below the limit every candidate is validated and counts are exact (so small tables give the same
    answer however they are split). Above it, a stable-hash sample of candidates is validated and the
    share it finds is applied to the other candidate rows: the prefilter still reads every row, only
    the check-digit/dictionary work is sampled, so a column of millions of phone numbers costs the
    same as one of a few thousand.
    """

    limit: int
    stats: dict[tuple[str, str], _RecognizerStats] = field(default_factory=dict)
    # Per-file time cap on pattern work (detection.pattern_seconds_per_file): values met after it are
    # counted here, not validated, and the file is reported (never a silent "no personal data").
    deadline: float = math.inf
    values_over_time: int = 0

    def for_key(self, column: str, recognizer: str) -> _RecognizerStats:
        return self.stats.setdefault((column, recognizer), _RecognizerStats())


def stable_hashes(values: list[str]) -> np.ndarray:
    """64-bit hashes that do not change between processes or runs (pandas' SipHash with a fixed key).

    ``categorize=False``: the same hashes without pandas first factorising the values (ours are distinct
    already), about 10x faster."""
    return pd.util.hash_array(np.asarray(values, dtype=object), categorize=False)  # type: ignore[no-any-return]


def smallest_first(hashes: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` smallest hashes, sorted by hash (a partition first: O(n), not a full sort)."""
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    if len(hashes) > count:
        part = np.argpartition(hashes, count - 1)[:count]
        return part[np.argsort(hashes[part], kind="stable")]
    return np.argsort(hashes, kind="stable")


def _as_text(array: pa.Array) -> pa.Array | None:
    """The column as strings, or None for types recognizers cannot read (binary, nested, temporal)."""
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.dictionary_decode()
        kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _valid_utf8(array.cast(pa.string()))
    if pa.types.is_integer(kind):
        return _integer_as_text(pc.cast(array, pa.string()))
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return pc.cast(array, pa.string())
    return None


# An integer column drops a phone number's leading 0 (0312345678 → 312345678) or its "+" (+81…). Under
# the MIC numbering plan a domestic number is 0 + 9 digits (fixed lines) or 0 + [2-9]0 + 8 digits
# (mobile, IP, M2M), and an international one 81 + the domestic number without its 0; integers of
# exactly those shapes get the 0 or + back so the phone recognizer can read them. Ten-digit integers
# starting with 1 (epoch seconds, most ids) do not fit the plan and are left as they are.
_INT_DOMESTIC = r"^([1-9][0-9]{8}|[2-9]0[0-9]{8})$"
_INT_INTERNATIONAL = r"^(81[1-9][0-9]{8,9})$"


def _integer_as_text(text: pa.Array) -> pa.Array:
    text = pc.replace_substring_regex(text, _INT_DOMESTIC, r"0\1")
    return pc.replace_substring_regex(text, _INT_INTERNATIONAL, r"+\1")


def _valid_utf8(text: pa.Array) -> pa.Array:
    """Parquet does not check that string columns hold UTF-8; a damaged file can carry invalid bytes.
    Those are replaced (U+FFFD) so the rest of the column is still scanned."""
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        raw = text.cast(pa.binary()).to_pylist()
        return pa.array([None if v is None else v.decode("utf-8", "replace") for v in raw], pa.string())
    return text


@dataclass
class _PreparedColumn:
    """A column's distinct values (raw and normalised), their row counts and stable hashes."""

    profile: ColumnProfile
    raw_values: list[str]
    norm: pa.Array
    counts: np.ndarray
    hashes: np.ndarray
    order: np.ndarray  # indices of the smallest hashes, sorted by hash: the sketch and the screening sample


def _prepare(name: str, array: pa.Array, settings: DetectionSettings) -> tuple[ColumnProfile, _PreparedColumn | None]:
    profile = ColumnProfile(name=name, data_type=str(array.type), rows=len(array))
    profile.non_null = len(array) - array.null_count
    text = _as_text(array)
    if text is None or profile.non_null == 0:
        return profile, None
    distinct = pc.value_counts(text.drop_null())
    values = distinct.field("values")
    if len(values) == 0:
        return profile, None
    counts = np.asarray(distinct.field("counts").to_numpy(zero_copy_only=False), dtype=np.int64)
    lengths = np.asarray(pc.utf8_length(values).to_numpy(zero_copy_only=False), dtype=np.int64)
    profile.char_sum = int((lengths * counts).sum())
    raw_values = values.to_pylist()
    hashes = stable_hashes(raw_values)
    order = smallest_first(hashes, max(settings.sketch_size, settings.screen_sample_size, DISTINCT_SKETCH))
    profile.sketch = {int(hashes[i]): raw_values[i] for i in order[: settings.sketch_size]}
    profile.distinct_hashes = np.unique(hashes[order[:DISTINCT_SKETCH]])
    profile.sketch_rows = {int(hashes[i]): int(counts[i]) for i in order[: settings.sketch_size]}
    return profile, _PreparedColumn(profile, raw_values, normalize_array(values), counts, hashes, order)


def _shape_stats(prepared: list[_PreparedColumn]) -> None:
    """Sentence, number, age and coordinate shapes, one regex pass over every column's distinct values."""
    joined = pa.concat_arrays([p.norm for p in prepared])
    bounds = np.cumsum([0] + [len(p.norm) for p in prepared])

    def mask(pattern: str) -> np.ndarray:
        return np.asarray(pc.match_substring_regex(joined, pattern).fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)

    lengths = np.asarray(pc.utf8_length(joined).to_numpy(zero_copy_only=False), dtype=np.int64)
    is_number = mask(_NUMBER)
    number_text = pc.if_else(pa.array(is_number), joined, pa.scalar(None, pa.string()))
    magnitude = np.abs(np.asarray(pc.cast(number_text, pa.float64()).fill_null(np.inf).to_numpy(zero_copy_only=False)))
    shapes = {
        "sentence_rows": mask(_SENTENCE) & (lengths >= 10),
        "numeric_rows": is_number,
        "letter_rows": mask(_HAS_LETTER),
        "small_int_rows": mask(_SMALL_INT) & (magnitude <= 120),
        "latitude_rows": mask(_LATITUDE) & (magnitude <= 90),
        "longitude_rows": mask(_LONGITUDE) & (magnitude <= 180),
        "path_rows": mask(_URL_PATH),
        "amount_rows": mask(_AMOUNT),
        "mesh_code_rows": mask(_MESH_CODE),
        "geohash_rows": mask(_GEOHASH) & mask(_GEOHASH_LETTER),
        "passport_shape_rows": mask(_PASSPORT_SHAPE),
    }
    digits = mask(_DIGITS)
    for index, column in enumerate(prepared):
        lo, hi = bounds[index], bounds[index + 1]
        for attr, selected in shapes.items():
            setattr(column.profile, attr, int(column.counts[selected[lo:hi]].sum()))
        column.profile.digit_lengths = _digit_lengths(lengths[lo:hi], digits[lo:hi], column.counts)


def _digit_lengths(lengths: np.ndarray, digits: np.ndarray, counts: np.ndarray) -> dict[int, int]:
    """Rows of digit-only values by their length (one bincount, no Python loop over values)."""
    if not digits.any():
        return {}
    by_length = np.bincount(lengths[digits], weights=counts[digits])
    return {int(length): int(rows) for length, rows in enumerate(by_length) if rows}


def profile_table(
    table: pa.Table,
    recognizers: Iterable[EntityRecognizer],
    settings: DetectionSettings,
    budget: ValidationBudget | None = None,
) -> dict[str, ColumnProfile]:
    """Profile every column of one batch. Prefilters run once over all small columns' distinct values
    (Arrow compiles a regex per call, so one call per recognizer instead of one per column and recognizer)."""
    recognizers = list(recognizers)
    budget = budget or ValidationBudget(settings.validate_limit)
    profiles: dict[str, ColumnProfile] = {}
    prepared: list[_PreparedColumn] = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        profile, ready = _prepare(name, column.combine_chunks(), settings)
        profiles[name] = profile
        if ready is not None:
            prepared.append(ready)
    if not prepared:
        return profiles
    _shape_stats(prepared)
    small = [p for p in prepared if len(p.norm) <= settings.screen_sample_size]
    for column in prepared:
        if len(column.norm) > settings.screen_sample_size:
            _profile_large_column(column, recognizers, settings, budget)
    if small:
        joined = pa.concat_arrays([p.norm for p in small])
        bounds = np.cumsum([0] + [len(p.norm) for p in small])
        masks = list(zip(recognizers, prefilter_masks(joined, recognizers), strict=True))
        for index, column in enumerate(small):
            lo, hi = bounds[index], bounds[index + 1]
            _run_recognizers(column, [(r, m[lo:hi]) for r, m in masks], settings, budget)
    return profiles


def _profile_large_column(
    column: _PreparedColumn, recognizers: list[EntityRecognizer], settings: DetectionSettings, budget: ValidationBudget
) -> None:
    # Screen on a stable-hash sample of distinct values: a recognizer whose prefilter matches none of
    # them is not run over the rest (an entity in 0.1% of distinct values survives the screen with
    # probability 1 - 0.999^N, N = screen_sample_size).
    column.profile.screened = True
    sample = column.norm.take(pa.array(column.order[: settings.screen_sample_size]))
    active = [i for i, mask in enumerate(prefilter_masks(sample, recognizers)) if mask.any()]
    masks = prefilter_masks(column.norm, recognizers, active)
    _run_recognizers(column, [(recognizers[i], m) for i, m in zip(active, masks, strict=True)], settings, budget)


def profile_column(
    name: str,
    array: pa.Array,
    recognizers: Iterable[EntityRecognizer],
    settings: DetectionSettings,
    budget: ValidationBudget | None = None,
) -> ColumnProfile:
    """One column on its own (see :func:`profile_table`)."""
    return profile_table(pa.table({name: array}), recognizers, settings, budget)[name]


def prefilter_mask(norm: pa.Array, recognizer: EntityRecognizer) -> np.ndarray:
    """Which normalised values the recognizer's PREFILTER lets through (all of them when it has none).

    The reference: one RE2 pass per recognizer. Scans use :func:`prefilter_masks`, which must agree."""
    return reference_mask(norm, _prefilter_of(recognizer))


def prefilter_masks(
    norm: pa.Array, recognizers: Sequence[EntityRecognizer], select: Sequence[int] | None = None
) -> list[np.ndarray]:
    """:func:`prefilter_mask` for every recognizer (or those at ``select``), from one multi-pattern pass
    (pipeline/prefilter.py) whose database is compiled once per process for the whole recognizer list."""
    return multi_prefilter(tuple(_prefilter_of(r) for r in recognizers)).masks(norm, select=select)


def _prefilter_of(recognizer: EntityRecognizer) -> str | None:
    prefilter = getattr(recognizer, "PREFILTER", None)
    return prefilter if isinstance(prefilter, str) and prefilter else None


def _run_recognizers(
    column: _PreparedColumn,
    masks: list[tuple[EntityRecognizer, np.ndarray]],
    settings: DetectionSettings,
    budget: ValidationBudget,
) -> None:
    profile, raw_values, counts, hashes = column.profile, column.raw_values, column.counts, column.hashes
    batch_extrapolated = 0  # rows of this batch some recognizer judged by extrapolation, not validation
    for recognizer, mask in masks:
        candidates = np.flatnonzero(mask)
        if len(candidates) == 0:
            continue
        stats = budget.for_key(profile.name, str(getattr(recognizer, "name", type(recognizer).__name__)))
        allowance = max(0, budget.limit - stats.validated)
        chosen = candidates
        if len(candidates) > allowance:
            chosen = candidates[smallest_first(hashes[candidates], allowance)]
        if time.monotonic() > budget.deadline:
            budget.values_over_time += len(candidates)
            continue
        stats.validated += len(chosen)
        stats.validated_rows += int(counts[chosen].sum())
        for index in chosen:
            if time.monotonic() > budget.deadline:
                budget.values_over_time += 1
                continue
            if not _validate_value(
                profile, stats, recognizer, raw_values[index], int(counts[index]), int(hashes[index]), settings,
                budget.deadline,
            ):
                budget.values_over_time += 1
        unvalidated_rows = int(counts[candidates].sum()) - int(counts[chosen].sum())
        if unvalidated_rows and stats.validated_rows:
            batch_extrapolated = max(batch_extrapolated, unvalidated_rows)
            for entity, hit_rows in stats.hit_rows.items():
                share = hit_rows / stats.validated_rows
                tally = profile.entities.setdefault(entity, EntityTally())
                tally.estimated_rows += unvalidated_rows * share
                tally.estimated_score_sum += unvalidated_rows * share * stats.score_sums[entity] / hit_rows
                for band, rows in enumerate(stats.band_rows[entity]):
                    tally.band_rows[band] += unvalidated_rows * rows / stats.validated_rows
    profile.extrapolated_rows += batch_extrapolated


def _validate_value(
    profile: ColumnProfile,
    stats: _RecognizerStats,
    recognizer: EntityRecognizer,
    value: str,
    count: int,
    value_hash: int,
    settings: DetectionSettings,
    deadline: float = math.inf,
) -> bool:
    """Count the entities ``recognizer`` finds in the whole value; False if the file's time cap cut it short."""
    best: dict[str, tuple[float, str]] = {}
    windows = value_windows(value, settings)
    for number, window in enumerate(windows):
        if number and time.monotonic() > deadline:
            return False
        # Pattern recognizers need no NLP artefacts; Presidio types the argument as required.
        for result in recognizer.analyze(window, recognizer.supported_entities, None):  # type: ignore[arg-type]
            if result.score < settings.min_value_score:
                continue
            if result.entity_type not in best or result.score > best[result.entity_type][0]:
                best[result.entity_type] = (result.score, window[result.start : result.end])
    for entity, (score, span) in best.items():
        if entity in ABOUT_A_PERSON_ENTITIES and not speaks_of_a_person(value, entity):
            continue
        stats.hit_rows[entity] = stats.hit_rows.get(entity, 0) + count
        stats.score_sums[entity] = stats.score_sums.get(entity, 0.0) + score * count
        stats.band_rows.setdefault(entity, _no_bands())[score_band(score)] += count
        embedded = len(span) < EMBEDDED_SHARE * len(value)
        profile.entities.setdefault(entity, EntityTally()).add(
            count, float(score), value_hash, mask_value(span), settings.examples_per_entity, embedded
        )
    return True


def value_windows(value: str, settings: DetectionSettings) -> list[str]:
    """The whole cell in windows of ``max_value_chars`` overlapping by ``value_window_overlap_chars``.

    Recognizers and their time budget see bounded text, yet nothing after the first window goes
    unread, and an entity shorter than the overlap that straddles a boundary is whole in one window.
    """
    size = settings.max_value_chars
    if len(value) <= size:
        return [value]
    overlap = min(settings.value_window_overlap_chars, size // 2)
    return [value[start : start + size] for start in range(0, len(value) - overlap, size - overlap)]


def profile_file(
    file: DataFile,
    settings: ScanSettings,
    user_recognizers: str | None,
    row_groups: tuple[int, int] | ByteRange | None = None,
    parts: int = 1,
) -> FileProfile:
    """The Dask task for one file, or for row groups [first, stop) of a Parquet file split into ``parts``
    tasks: stream its batches, profile each column, merge. Never raises on bad data.

    A part validates ``validate_limit / parts`` candidates per column and recognizer, so the file as a
    whole stays within its validation budget however it is split."""
    recognizers = pattern_recognizers(user_recognizers)
    profile = FileProfile(files=[file.url])
    limit = settings.detection.validate_limit
    budget = ValidationBudget(
        max(1, limit // parts) if parts > 1 else limit,
        deadline=time.monotonic() + settings.detection.pattern_seconds_per_file,
    )
    timeouts_before = _regex_timeouts(recognizers)
    try:
        for batch in iter_batches(file, settings.reading, row_groups):
            table = pa.Table.from_batches([batch]).flatten()
            part = FileProfile(rows=table.num_rows)
            part.columns = profile_table(table, recognizers, settings.detection, budget)
            profile.merge(part, settings.detection)
    except ReadError as exc:
        profile.issues.append(ScanIssue(path=exc.path, message=exc.problem, kind="read_error"))
    if budget.values_over_time:
        profile.issues.append(
            ScanIssue(
                path=file.url,
                message=(
                    f"pattern matching reached detection.pattern_seconds_per_file "
                    f"({settings.detection.pattern_seconds_per_file:g} s): {budget.values_over_time} candidate "
                    f"value(s) were not checked"
                ),
                kind="pattern_time_cap",
            )
        )
    timed_out = _regex_timeouts(recognizers) - timeouts_before
    if timed_out:
        # Not silent: those values were not checked, so the scan is complete but not clean (exit 3).
        profile.issues.append(
            ScanIssue(
                path=file.url,
                message=f"{timed_out} value(s) exceeded the per-value matching time budget and were not checked",
                kind="regex_timeout",
            )
        )
    return profile


def _regex_timeouts(recognizers: Iterable[EntityRecognizer]) -> int:
    return sum(int(getattr(r, "regex_timeouts", 0)) for r in recognizers)


def merge_profiles(profiles: list[FileProfile], settings: ScanSettings) -> FileProfile:
    """Merge in a fixed order of file names, so the result does not depend on task completion order."""
    ordered = sorted(profiles, key=lambda p: p.files)
    merged = FileProfile()
    for profile in ordered:
        merged.merge(profile, settings.detection)
    return merged


def run_ner(profile: FileProfile, columns: list[str], settings: ScanSettings) -> FileProfile:
    """GiNZA NER over each named column's bottom-k sample (deterministic), recorded as ``ner_hits``.

    Each sampled value counts with the rows it stands for, so a share is a share of rows, as the
    pattern recognizers' are: the same whether a table repeats its values or not. People named in
    encyclopedic prose (historical figures, authors) are the article's topic, not personal data."""
    keep = settings.detection.examples_per_entity
    deadline = time.monotonic() + settings.detection.ner_seconds_per_dataset
    unread = 0  # sample values NER did not reach before the time cap
    for name in columns:
        column = profile.columns[name]
        sample = sorted(column.sketch.items())[: settings.detection.ner_sample_size]
        column.ner_sample_size = len(sample)
        column.ner_sample_rows = sum(column.sketch_rows.get(value_hash, 1) for value_hash, _ in sample)
        column.ner_read_every_value = len(sample) == len(column.sketch) < settings.detection.sketch_size
        for start in range(0, len(sample), _NER_GROUP):
            if time.monotonic() > deadline:
                unread += len(sample) - start
                column.ner_read_every_value = False
                break
            _ner_group(column, sample[start : start + _NER_GROUP], settings.detection, keep)
    if unread:
        where = profile.files[0] if len(profile.files) == 1 else f"{len(profile.files)} files"
        profile.issues.append(
            ScanIssue(
                path=where if profile.files else "(dataset)",
                message=(
                    f"NER reached detection.ner_seconds_per_dataset ({settings.detection.ner_seconds_per_dataset:g} s): "
                    f"{unread} sampled value(s) were not read"
                ),
                kind="ner_time_cap",
            )
        )
    return profile


# Values handed to GiNZA between two looks at the clock (each at most max_value_chars per window).
_NER_GROUP = 32


def _ner_group(column: ColumnProfile, group: list[tuple[int, str]], settings: DetectionSettings, keep: int) -> None:
    """NER over a few sampled values, each read whole in windows, in one batch through spaCy's pipe."""
    owners: list[int] = []
    windows: list[str] = []
    for position, (_, value) in enumerate(group):
        for window in value_windows(value, settings):
            owners.append(position)
            windows.append(window)
    seen: list[dict[str, tuple[float, str]]] = [{} for _ in group]
    for owner, window, results in zip(owners, windows, ner_batch(windows), strict=True):
        for result in results:
            if result.entity_type not in seen[owner] or result.score > seen[owner][result.entity_type][0]:
                seen[owner][result.entity_type] = (result.score, window[result.start : result.end])
    for (value_hash, value), hits in zip(group, seen, strict=True):
        rows = column.sketch_rows.get(value_hash, 1)
        for entity, (score, span) in hits.items():
            if entity in ABOUT_A_PERSON_ENTITIES and not speaks_of_a_person(value, entity):
                continue
            if entity == "PERSON" and is_encyclopedic(value):
                continue
            column.ner_hits.setdefault(entity, EntityTally()).add(rows, score, value_hash, mask_value(span), keep)
