"""Partition → findings: profile every column of a file and merge profiles (order- and partition-free).

Pattern recognizers run on every distinct value of every batch (a vectorised RE2 prefilter picks the
candidates, so Python only sees values that might match). GiNZA NER runs later on a bottom-k sample of
distinct values, chosen by a stable hash, so the sample is the same however the data is partitioned.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
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
from pipeline.readers import iter_batches
from pipeline.settings import DetectionSettings, ScanSettings
from pipeline.sources import DataFile
from recognizers.normalize import normalize_array

# Sentence-like: Japanese punctuation, or three or more words.
_SENTENCE = r"[。、！？]|\S+[ 　]+\S+[ 　]+\S+"
_NUMBER = r"^[-+]?[0-9]+([.][0-9]+)?$"
_SMALL_INT = r"^[0-9]{1,3}$"
_LATITUDE = r"^[-+]?[0-9]{1,2}[.][0-9]{4,}$"
_LONGITUDE = r"^[-+]?[0-9]{1,3}[.][0-9]{4,}$"
_HAS_LETTER = r"[A-Za-z\p{Han}\p{Hiragana}\p{Katakana}]"

# Special-care (要配慮) information is information about a person. In a sentence, a disease or a religion
# counts only when the text speaks of someone: first person, family, an honorific, or the polite/desire
# forms of a customer's own words. Encyclopedic prose ("仏教は…である") names the topic, not a person.
SENSITIVE_ENTITIES = frozenset(
    {"RELIGION", "BELIEF", "RACE", "DOMICILE", "DISABILITY", "CRIMINAL_RECORD", "LABOR_UNION", "POLITICAL",
     "MEDICAL", "SEX_LIFE"}
)
SENTENCE_CHARS = 20
# A match covering less than this share of its cell is a mention inside text, not the cell's content.
EMBEDDED_SHARE = 0.6
_PERSONAL_ANCHOR = re.compile(
    r"私|わたし|僕|ぼく|俺|自分|家族|妻|夫|主人|母|父|息子|娘|子ども|子供|本人|患者|様|さん|くん|ちゃん"
    r"|です|ます|ました|ません|ので|ほしい|欲しい|たい|てる"
    r"|(?<![A-Za-z])(?:I|I'm|I've|(?i:my|me|we|our|mother|father|wife|husband|son|daughter|patient|customer))(?![A-Za-z])"
)


def speaks_of_a_person(value: str) -> bool:
    """Short cells are about the row's person by construction; sentences must show it."""
    return len(value) < SENTENCE_CHARS or _PERSONAL_ANCHOR.search(value) is not None


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

    @property
    def total_rows(self) -> float:
        return self.rows + self.estimated_rows

    @property
    def mean_score(self) -> float:
        total = self.total_rows
        return (self.score_sum + self.estimated_score_sum) / total if total else 0.0

    def add(self, count: int, score: float, value_hash: int, example: str, keep: int, embedded: bool = False) -> None:
        self.rows += count
        self.embedded_rows += count if embedded else 0
        self.score_sum += score * count
        self.max_score = max(self.max_score, score)
        _keep_smallest(self.examples, (value_hash, example), keep)

    def merge(self, other: EntityTally, keep: int) -> None:
        self.rows += other.rows
        self.embedded_rows += other.embedded_rows
        self.estimated_rows += other.estimated_rows
        self.estimated_score_sum += other.estimated_score_sum
        self.score_sum += other.score_sum
        self.max_score = max(self.max_score, other.max_score)
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
    entities: dict[str, EntityTally] = field(default_factory=dict)
    # Bottom-k sketch: the k distinct values with the smallest stable hashes (raw values stay in memory only).
    sketch: dict[int, str] = field(default_factory=dict)
    ner_hits: dict[str, EntityTally] = field(default_factory=dict)
    ner_sample_size: int = 0
    # Candidate rows (prefilter matched) whose entity share was extrapolated rather than validated.
    extrapolated_rows: int = 0
    screened: bool = False

    def merge(self, other: ColumnProfile, settings: DetectionSettings) -> None:
        if other.data_type != self.data_type:
            self.data_type = self.data_type if self.non_null >= other.non_null else other.data_type
        for attr in (
            "rows", "non_null", "char_sum", "sentence_rows", "numeric_rows",
            "small_int_rows", "latitude_rows", "longitude_rows", "letter_rows", "extrapolated_rows",
        ):
            setattr(self, attr, getattr(self, attr) + getattr(other, attr))
        for entity, tally in other.entities.items():
            self.entities.setdefault(entity, EntityTally()).merge(tally, settings.examples_per_entity)
        self.screened = self.screened or other.screened
        self.sketch.update(other.sketch)
        if len(self.sketch) > settings.sketch_size:
            self.sketch = dict(heapq.nsmallest(settings.sketch_size, self.sketch.items()))

    @property
    def distinct_estimate(self) -> int:
        """Exact below the sketch size; above it, the KMV estimate (k-1)/h_k over the 64-bit hash space."""
        return len(self.sketch)


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
        self.files.extend(other.files)
        return self


@dataclass
class _RecognizerStats:
    """What validating a column's candidates for one recognizer found so far, to extrapolate the rest."""

    validated: int = 0  # distinct candidates validated in full
    validated_rows: int = 0
    hit_rows: dict[str, int] = field(default_factory=dict)
    score_sums: dict[str, float] = field(default_factory=dict)


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

    def for_key(self, column: str, recognizer: str) -> _RecognizerStats:
        return self.stats.setdefault((column, recognizer), _RecognizerStats())


def stable_hashes(values: pa.Array) -> np.ndarray:
    """64-bit hashes that do not change between processes or runs (pandas' SipHash with a fixed key)."""
    return pd.util.hash_array(np.asarray(values.to_pylist(), dtype=object))  # type: ignore[no-any-return]


def _as_text(array: pa.Array) -> pa.Array | None:
    """The column as strings, or None for types recognizers cannot read (binary, nested, temporal)."""
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.dictionary_decode()
        kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return array.cast(pa.string())
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return pc.cast(array, pa.string())
    return None


def _count(mask: pa.Array, counts: np.ndarray) -> int:
    selected = np.asarray(mask.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    return int(counts[selected].sum())


def profile_column(
    name: str,
    array: pa.Array,
    recognizers: Iterable[EntityRecognizer],
    settings: DetectionSettings,
    budget: ValidationBudget | None = None,
) -> ColumnProfile:
    profile = ColumnProfile(name=name, data_type=str(array.type), rows=len(array))
    profile.non_null = len(array) - array.null_count
    text = _as_text(array)
    if text is None or profile.non_null == 0:
        return profile
    distinct = pc.value_counts(text.drop_null())
    values = distinct.field("values")
    counts = np.asarray(distinct.field("counts").to_numpy(zero_copy_only=False), dtype=np.int64)
    if len(values) == 0:
        return profile
    lengths = np.asarray(pc.utf8_length(values).to_numpy(zero_copy_only=False), dtype=np.int64)
    profile.char_sum = int((lengths * counts).sum())
    norm = normalize_array(values)
    long_enough = pa.array(lengths >= 10)
    profile.sentence_rows = _count(pc.and_(pc.match_substring_regex(norm, _SENTENCE), long_enough), counts)
    profile.numeric_rows = _count(pc.match_substring_regex(norm, _NUMBER), counts)
    profile.letter_rows = _count(pc.match_substring_regex(norm, _HAS_LETTER), counts)
    small = pc.match_substring_regex(norm, _SMALL_INT)
    numeric_value = pc.cast(pc.if_else(pc.match_substring_regex(norm, _NUMBER), norm, pa.scalar(None, pa.string())), pa.float64())
    profile.small_int_rows = _count(pc.and_(small, pc.less_equal(numeric_value, 120)), counts)
    magnitude = pc.abs(numeric_value)
    profile.latitude_rows = _count(pc.and_(pc.match_substring_regex(norm, _LATITUDE), pc.less_equal(magnitude, 90)), counts)
    profile.longitude_rows = _count(pc.and_(pc.match_substring_regex(norm, _LONGITUDE), pc.less_equal(magnitude, 180)), counts)

    hashes = stable_hashes(values)
    order = np.argsort(hashes, kind="stable")
    raw_values = values.to_pylist()
    profile.sketch = {int(hashes[i]): raw_values[i] for i in order[: settings.sketch_size]}

    active = list(recognizers)
    if len(values) > settings.screen_sample_size:
        # Screen on a stable-hash sample of distinct values: a recognizer whose prefilter matches none
        # of them is not run over the rest (an entity in 0.1% of distinct values survives the screen
        # with probability 1 - 0.999^N, N = screen_sample_size).
        profile.screened = True
        sample = norm.take(pa.array(order[: settings.screen_sample_size]))
        active = [r for r in active if _prefilter_mask(sample, r).any()]
    _run_recognizers(
        profile, raw_values, norm, counts, hashes, active, settings, budget or ValidationBudget(settings.validate_limit)
    )
    return profile


def _prefilter_mask(norm: pa.Array, recognizer: EntityRecognizer) -> np.ndarray:
    prefilter = getattr(recognizer, "PREFILTER", None)
    if not prefilter:
        return np.ones(len(norm), dtype=bool)
    return np.asarray(pc.match_substring_regex(norm, prefilter).fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _run_recognizers(
    profile: ColumnProfile,
    raw_values: list[str],
    norm: pa.Array,
    counts: np.ndarray,
    hashes: np.ndarray,
    recognizers: Iterable[EntityRecognizer],
    settings: DetectionSettings,
    budget: ValidationBudget,
) -> None:
    batch_extrapolated = 0  # rows of this batch some recognizer judged by extrapolation, not validation
    for recognizer in recognizers:
        candidates = np.flatnonzero(_prefilter_mask(norm, recognizer))
        if len(candidates) == 0:
            continue
        stats = budget.for_key(profile.name, str(getattr(recognizer, "name", type(recognizer).__name__)))
        allowance = max(0, budget.limit - stats.validated)
        chosen = candidates
        if len(candidates) > allowance:
            chosen = candidates[np.argsort(hashes[candidates], kind="stable")[:allowance]]
        stats.validated += len(chosen)
        stats.validated_rows += int(counts[chosen].sum())
        for index in chosen:
            _validate_value(profile, stats, recognizer, raw_values[index], int(counts[index]), int(hashes[index]), settings)
        unvalidated_rows = int(counts[candidates].sum()) - int(counts[chosen].sum())
        if unvalidated_rows and stats.validated_rows:
            batch_extrapolated = max(batch_extrapolated, unvalidated_rows)
            for entity, hit_rows in stats.hit_rows.items():
                share = hit_rows / stats.validated_rows
                tally = profile.entities.setdefault(entity, EntityTally())
                tally.estimated_rows += unvalidated_rows * share
                tally.estimated_score_sum += unvalidated_rows * share * stats.score_sums[entity] / hit_rows
    profile.extrapolated_rows += batch_extrapolated


def _validate_value(
    profile: ColumnProfile,
    stats: _RecognizerStats,
    recognizer: EntityRecognizer,
    raw: str,
    count: int,
    value_hash: int,
    settings: DetectionSettings,
) -> None:
    value = raw[: settings.max_value_chars]
    best: dict[str, tuple[float, str]] = {}
    # Pattern recognizers need no NLP artefacts; Presidio types the argument as required.
    for result in recognizer.analyze(value, recognizer.supported_entities, None):  # type: ignore[arg-type]
        if result.score < settings.min_value_score:
            continue
        if result.entity_type not in best or result.score > best[result.entity_type][0]:
            best[result.entity_type] = (result.score, value[result.start : result.end])
    for entity, (score, span) in best.items():
        if entity in SENSITIVE_ENTITIES and not speaks_of_a_person(value):
            continue
        stats.hit_rows[entity] = stats.hit_rows.get(entity, 0) + count
        stats.score_sums[entity] = stats.score_sums.get(entity, 0.0) + score * count
        embedded = len(span) < EMBEDDED_SHARE * len(value)
        profile.entities.setdefault(entity, EntityTally()).add(
            count, float(score), value_hash, mask_value(span), settings.examples_per_entity, embedded
        )


def profile_file(file: DataFile, settings: ScanSettings, user_recognizers: str | None) -> FileProfile:
    """The Dask task for one file: stream its batches, profile each column, merge. Never raises on bad data."""
    recognizers = pattern_recognizers(user_recognizers)
    profile = FileProfile(files=[file.url])
    budget = ValidationBudget(settings.detection.validate_limit)
    timeouts_before = _regex_timeouts(recognizers)
    try:
        for batch in iter_batches(file, settings.reading):
            table = pa.Table.from_batches([batch]).flatten()
            part = FileProfile(rows=table.num_rows)
            for name, column in zip(table.column_names, table.columns, strict=True):
                part.columns[name] = profile_column(
                    name, column.combine_chunks(), recognizers, settings.detection, budget
                )
            profile.merge(part, settings.detection)
    except ReadError as exc:
        profile.issues.append(ScanIssue(path=exc.path, message=exc.problem, kind="read_error"))
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


def needs_ner(column: ColumnProfile, free_text: bool) -> bool:
    """NER is worth its cost on free text; short cells are covered by the dictionary-backed recognizers."""
    return free_text and column.letter_rows >= 0.5 * column.non_null


def run_ner(profile: FileProfile, columns: list[str], settings: ScanSettings) -> FileProfile:
    """GiNZA NER over each named column's bottom-k sample (deterministic), recorded as ``ner_hits``."""
    keep = settings.detection.examples_per_entity
    for name in columns:
        column = profile.columns[name]
        sample = sorted(column.sketch.items())[: settings.detection.ner_sample_size]
        texts = [value[: settings.detection.max_value_chars] for _, value in sample]
        column.ner_sample_size = len(texts)
        for (value_hash, value), results in zip(sample, ner_batch(texts), strict=True):
            seen: dict[str, tuple[float, str]] = {}
            for result in results:
                if result.entity_type not in seen or result.score > seen[result.entity_type][0]:
                    seen[result.entity_type] = (result.score, value[result.start : result.end])
            for entity, (score, span) in seen.items():
                if entity in SENSITIVE_ENTITIES and not speaks_of_a_person(value):
                    continue
                column.ner_hits.setdefault(entity, EntityTally()).add(1, score, value_hash, mask_value(span), keep)
    return profile
