"""Partition → findings: the per-file pattern task, profiling every column of a file (or of a part of one).

Prefilters (one Hyperscan pass, RE2 to confirm) pick each column's candidate values, so Python only sees
values that might match; check digits and dictionaries run on a bounded stable-hash sample of candidates
per column and file. Columns with few distinct values (per batch) are read in full and counted exactly.
Larger ones are screened on a stable-hash sample: a prefilter that matches most of it has its other
candidate rows estimated from the sample's share, a sparse one is scanned over every other value (the
superset Hyperscan reports, confirmed by RE2 or, when large, estimated). Shape counts come from at most
SHAPE_SAMPLE values per batch. The profiles and their merge are pipeline/profile_model.py; GiNZA NER
runs later over the merged profile (pipeline/detect_ner.py).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from presidio_analyzer import EntityRecognizer

from pipeline.engine import pattern_recognizers
from pipeline.errors import ReadError
from pipeline.masking import mask_value
from pipeline.models import ScanIssue
from pipeline.prefilter import BLOCK_VALUES as PREFILTER_BLOCK_VALUES
from pipeline.prefilter import multi_prefilter, reference_mask
from pipeline.profile_model import (
    DISTINCT_SKETCH,
    ColumnProfile,
    EntityTally,
    FileProfile,
    no_bands,
    score_band,
    sorted_distinct,
)
from pipeline.readers import ByteRange, is_text_dictionary, iter_batches, read_ahead
from pipeline.settings import DetectionSettings, ScanSettings
from pipeline.sources import DataFile
from pipeline.value_hash import stable_hashes
from recognizers.entities import EntityId
from recognizers.normalize import normalize_array
from recognizers.person_reference import speaks_of_a_person

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
ABOUT_A_PERSON_ENTITIES: frozenset[EntityId] = frozenset(
    {"RELIGION", "BELIEF", "RACE", "DOMICILE", "DISABILITY", "CRIMINAL_RECORD", "LABOR_UNION", "POLITICAL",
     "MEDICAL", "SEX_LIFE", "SCHOOL_NAME", "JP_PREFECTURE", "OCCUPATION", "AGE", "GENDER"}
)
# A match covering less than this share of its cell is a mention inside text, not the cell's content.
EMBEDDED_SHARE = 0.6


@dataclass
class _RecognizerStats:
    """What validating a column's candidates for one recognizer found so far, to extrapolate the rest."""

    validated: int = 0  # distinct candidates validated in full
    validated_rows: int = 0
    hit_rows: dict[str, int] = field(default_factory=dict)
    score_sums: dict[str, float] = field(default_factory=dict)
    band_rows: dict[str, list[float]] = field(default_factory=dict)
    settled: bool = False  # ZERO_HIT_STOP candidates found nothing: no more validation in this file


# Candidates of a column validated with no hit after which a recognizer stops validating it in this file,
# when the column has more candidates than the validation budget (columns within it stay exact): none in
# 1,000 puts the entity's share of candidates below 0.3 % (rule of three, 95 %), under the smallest share
# any classification rule counts (free_text_confident_min_ratio, 0.5 % of rows).
ZERO_HIT_STOP = 1000


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
    # Column → the recognizers (positions in the list) whose prefilter matched it so far in this file.
    active: dict[str, set[int]] = field(default_factory=dict)
    # Candidates validated with no hit after which a recognizer stops on a column (ZERO_HIT_STOP, shared
    # by the parts of a split file like ``limit``: the parts together check as many as the whole file).
    zero_hit_stop: int = ZERO_HIT_STOP

    def for_key(self, column: str, recognizer: str) -> _RecognizerStats:
        return self.stats.setdefault((column, recognizer), _RecognizerStats())


def smallest_first(hashes: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` smallest hashes, sorted by hash.

    Stable hashes spread uniformly over 64 bits, so the values under a cut-off a little above where the
    ``count``-th smallest is expected are nearly always enough: one comparison over the batch and a sort
    of a few more than ``count`` (a partition of the whole array cost 5-10 times as much). When the
    cut-off holds too few (hashes that are not uniform), a partition of the whole array."""
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    size = len(hashes)
    if size <= count:
        return np.argsort(hashes, kind="stable")
    share = (count * SMALLEST_MARGIN + SMALLEST_SLACK) / size
    if hashes.dtype == np.uint64 and share < SMALLEST_CUT_OFF_SHARE:
        below = np.flatnonzero(hashes < np.uint64(int(share * 2.0**64)))
        if len(below) >= count:
            return below[np.argsort(hashes[below], kind="stable")[:count]]
    part = np.argpartition(hashes, count - 1)[:count]
    return part[np.argsort(hashes[part], kind="stable")]


# smallest_first's cut-off: the share of 64-bit space expected to hold count * SMALLEST_MARGIN +
# SMALLEST_SLACK hashes. Holding fewer than ``count`` is then at least 9 standard deviations away.
SMALLEST_MARGIN = 1.25
SMALLEST_SLACK = 128
# Above this share of the hashes the cut-off saves little over the partition.
SMALLEST_CUT_OFF_SHARE = 0.25


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
    """A column's distinct values, their row counts and stable hashes, and their normalised text: all of it
    for a column read in full, only the values a large column's samples read (see :meth:`normalize_sample`)
    until something reads the rest."""

    profile: ColumnProfile
    raw_values: pa.Array  # Python strings are made only for the values validated or sketched
    counts: np.ndarray
    hashes: np.ndarray
    order: np.ndarray  # indices of the smallest hashes, sorted by hash: the sketch and the screening sample
    _norm: pa.Array | None = None
    _sample: tuple[np.ndarray, pa.Array] | None = None  # sorted positions and their normalised text

    @property
    def size(self) -> int:
        return len(self.raw_values)

    @property
    def norm(self) -> pa.Array:
        """Every value normalised (NFKC and dashes, as prefilters read them), computed once when first read."""
        if self._norm is None:
            self._norm = normalize_array(self.raw_values)
        return self._norm

    def normalize_sample(self, positions: np.ndarray) -> None:
        """Normalise only the values at ``positions`` for now: a large column's samples read a few thousand
        of its values, and the rest is normalised only if a sparse prefilter has to scan it."""
        if self._norm is None:
            positions = sorted_distinct(positions)
            self._sample = (positions, normalize_array(self.raw_values.take(pa.array(positions))))

    def norm_at(self, index: np.ndarray) -> pa.Array:
        """The normalised values at ``index`` (from the sample when it holds them all)."""
        if self._norm is None and self._sample is not None and len(index):
            positions, values = self._sample
            where = np.minimum(np.searchsorted(positions, index), len(positions) - 1)
            if bool((positions[where] == index).all()):
                return values.take(pa.array(where))
        return self.norm.take(pa.array(index))

    @cached_property
    def heavy(self) -> np.ndarray:
        """Positions of the SHAPE_HEAVY most frequent values (every value when there are no more)."""
        if self.size <= SHAPE_HEAVY:
            return np.arange(self.size)
        return np.sort(np.argpartition(-self.counts, SHAPE_HEAVY - 1)[:SHAPE_HEAVY])


@dataclass
class _DistinctValues:
    """A column's distinct non-null values in one batch (as text) and the rows each stands for."""

    profile: ColumnProfile
    values: pa.Array
    counts: np.ndarray
    may_repeat: bool = False  # from joined dictionaries: a value may be in it more than once


def _distinct(name: str, array: pa.Array) -> tuple[ColumnProfile, _DistinctValues | None]:
    """The column's profile header and its distinct values, or None when there is no text to read."""
    data_type = array.type.value_type if pa.types.is_dictionary(array.type) else array.type
    profile = ColumnProfile(name=name, data_type=str(data_type), rows=len(array))
    profile.non_null = len(array) - array.null_count
    if is_text_dictionary(array.type) and array.dictionary.null_count == 0:
        return profile, _dictionary_distinct(profile, array)
    text = _as_text(array)
    if text is None or profile.non_null == 0:
        return profile, None
    distinct = pc.value_counts(text.drop_null())
    values = distinct.field("values")
    if len(values) == 0:
        return profile, None
    counts = np.asarray(distinct.field("counts").to_numpy(zero_copy_only=False), dtype=np.int64)
    return profile, _DistinctValues(profile, values, counts)


def _dictionary_distinct(profile: ColumnProfile, array: pa.DictionaryArray) -> _DistinctValues | None:
    """Distinct values of a dictionary-encoded text column: rows per dictionary entry from its indices (one
    bincount), no hash per row. Entries no row uses (a later batch of a Parquet row group carries the
    group's dictionary so far) are dropped; a dictionary holding a value twice (readers joins row groups'
    dictionaries end to end without unifying them) gives two entries, whose rows the sketch and the merge
    add up."""
    indices = np.asarray(array.indices.drop_null().to_numpy(zero_copy_only=False), dtype=np.int64)
    counts = np.bincount(indices, minlength=len(array.dictionary))
    used = np.flatnonzero(counts)
    if not len(used):
        return None
    dictionary = array.dictionary if len(used) == len(array.dictionary) else array.dictionary.take(pa.array(used))
    values = _valid_utf8(dictionary.cast(pa.string()))
    return _DistinctValues(profile, values, counts[used], may_repeat=True)


def _prepare_batch(
    columns: list[_DistinctValues], settings: DetectionSettings, sample_sizes: dict[str, int]
) -> list[_PreparedColumn]:
    """Every column's hashes from one call (the value hash's word-by-word NumPy passes run once over the
    batch's columns together, not once per column), then each column's sketch and sample order."""
    if not columns:
        return []
    hashes = stable_hashes(pa.concat_arrays([c.values for c in columns]))
    bounds = np.cumsum([0] + [len(c.values) for c in columns])
    prepared = []
    for i, column in enumerate(columns):
        column_hashes, sample_size = hashes[bounds[i] : bounds[i + 1]], sample_sizes[column.profile.name]
        if column.may_repeat and sample_size < len(column_hashes) <= MERGE_REPEATS_FACTOR * sample_size:
            column, column_hashes = _repeats_merged(column, column_hashes)
        prepared.append(_prepared(column, column_hashes, settings, sample_size))
    return prepared


# A column of joined dictionaries with more entries than its screening sample, but at most this many times
# as many, has its repeated values merged (one sort of its hashes): a column of 9,000 values in each of four
# row groups is 36,000 entries, and would otherwise be screened where its 9,000 values are read in full.
# Larger columns keep their repeats (each entry counted by its own rows; sketches and validation count a
# hash once): merging them would cost a sort of every batch.
MERGE_REPEATS_FACTOR = 8


def _rows_by_hash(hashes: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries of one hash as one value: the distinct hashes (sorted), each one's first entry, its rows summed."""
    distinct, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    rows = np.bincount(inverse, weights=counts, minlength=len(distinct)).astype(np.int64)
    return distinct, first, rows


def _repeats_merged(column: _DistinctValues, hashes: np.ndarray) -> tuple[_DistinctValues, np.ndarray]:
    distinct, first, rows = _rows_by_hash(hashes, column.counts)
    if len(distinct) == len(hashes):
        return column, hashes
    return _DistinctValues(column.profile, column.values.take(pa.array(first)), rows), distinct


def _prepared(
    column: _DistinctValues, hashes: np.ndarray, settings: DetectionSettings, sample_size: int
) -> _PreparedColumn:
    """``order`` holds the smallest hashes the sketch, the distinct count, the shape sample and a screening
    sample of ``sample_size`` need."""
    profile, values, counts = column.profile, column.values, column.counts
    lengths = np.asarray(pc.utf8_length(values).to_numpy(zero_copy_only=False), dtype=np.int64)
    profile.char_sum = int((lengths * counts).sum())
    order, starts = _smallest_distinct(hashes, max(settings.sketch_size, sample_size, DISTINCT_SKETCH, SHAPE_SAMPLE))
    # Equal hashes are neighbours in ``order`` (a value twice in a dictionary, see _dictionary_distinct, or two
    # values of one hash): the sketches hold each hash once, with the rows of all its entries.
    unique_hashes = hashes[order[starts]]
    sketched = order[starts[: settings.sketch_size]]
    rows = np.add.reduceat(counts[order], starts)[: settings.sketch_size] if len(starts) else counts[:0]
    profile.sketch = dict(zip(unique_hashes[: settings.sketch_size].tolist(), values.take(pa.array(sketched)).to_pylist(), strict=True))
    profile.sketch_rows = dict(zip(unique_hashes[: settings.sketch_size].tolist(), rows.tolist(), strict=True))
    profile.distinct_hashes = unique_hashes[:DISTINCT_SKETCH]
    return _PreparedColumn(profile, values, counts, hashes, order)


def _smallest_distinct(hashes: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The indices of the smallest hashes sorted by hash (as :func:`smallest_first`), enough of them to hold
    ``count`` distinct hashes, and where each distinct hash starts among them. A hash that may go on past
    the end of the selection is left out of the starts (its rows would be cut short)."""
    size = len(hashes)
    wanted = count + max(16, count // 16)  # a few more entries than distinct hashes needed: some repeat
    while True:
        order = smallest_first(hashes, wanted)
        sorted_hashes = hashes[order]
        starts = np.flatnonzero(np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]]) if len(order) else order
        if len(order) == size:
            return order, starts
        if len(starts) > count:
            return order, starts[:-1]  # the last hash may have more entries just past the selection
        wanted = min(size, 2 * wanted)


# Distinct values per column and batch whose shapes are read: every value below it (exact counts);
# above it, the SHAPE_HEAVY most frequent values exactly plus a stable-hash sample of the rest, whose
# row shares stand for the rest's rows. Shapes are column-level shares for the classifier, so a
# sample of a few thousand values per batch (merged over the file's batches) is as good as all of them,
# at a fraction of the regex passes.
SHAPE_SAMPLE = 4096
SHAPE_HEAVY = 256
# A column's later batches in a file add to the shares its first batch measured on SHAPE_SAMPLE values:
# a smaller uniform sample each keeps the file's shares unbiased at a quarter of the regex passes.
SHAPE_SAMPLE_LATER = 1024


def _shape_rows(column: _PreparedColumn, size: int = SHAPE_SAMPLE) -> tuple[np.ndarray, np.ndarray]:
    """The values whose shapes are read (at most ``size`` plus the heavy ones) and the rows each stands for
    (its count, scaled for the sample)."""
    counts = column.counts
    if len(counts) <= size:
        return np.arange(len(counts)), counts.astype(np.float64)
    heavy = column.heavy
    is_heavy = np.zeros(len(counts), dtype=bool)
    is_heavy[heavy] = True
    sample = column.order[:size]
    sample = sample[~is_heavy[sample]]
    rest_rows = float(counts[~is_heavy].sum())
    sample_rows = float(counts[sample].sum())
    scale = rest_rows / sample_rows if sample_rows else 0.0
    chosen = np.concatenate([heavy, sample])
    weights = np.concatenate([counts[heavy].astype(np.float64), counts[sample] * scale])
    return chosen, weights


def _shape_stats(prepared: list[_PreparedColumn], later: set[str] | frozenset[str] = frozenset()) -> None:
    """Sentence, number, age and coordinate shapes, one regex pass over every column's chosen values
    (all of them, or a bounded sample: see SHAPE_SAMPLE; SHAPE_SAMPLE_LATER for the columns in ``later``)."""
    chosen = [_shape_rows(p, SHAPE_SAMPLE_LATER if p.profile.name in later else SHAPE_SAMPLE) for p in prepared]
    joined = pa.concat_arrays([p.norm_at(index) for p, (index, _) in zip(prepared, chosen, strict=True)])
    bounds = np.cumsum([0] + [len(index) for index, _ in chosen])

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
    for index, (column, (_, weights)) in enumerate(zip(prepared, chosen, strict=True)):
        lo, hi = bounds[index], bounds[index + 1]
        for attr, selected in shapes.items():
            setattr(column.profile, attr, round(float(weights[selected[lo:hi]].sum())))
        column.profile.digit_lengths = _digit_lengths(lengths[lo:hi], digits[lo:hi], weights)


def _digit_lengths(lengths: np.ndarray, digits: np.ndarray, counts: np.ndarray) -> dict[int, int]:
    """Rows of digit-only values by their length (one bincount, no Python loop over values)."""
    if not digits.any():
        return {}
    by_length = np.bincount(lengths[digits], weights=counts[digits])
    return {int(length): round(float(rows)) for length, rows in enumerate(by_length) if round(float(rows))}


def profile_table(
    table: pa.Table,
    recognizers: Iterable[EntityRecognizer],
    settings: DetectionSettings,
    budget: ValidationBudget | None = None,
) -> dict[str, ColumnProfile]:
    """Profile every column of one batch. Prefilters run once over every small column's distinct values
    and every large column's screening sample together (Arrow compiles a regex per call, so one call per
    recognizer instead of one per column and recognizer)."""
    recognizers = list(recognizers)
    budget = budget or ValidationBudget(settings.validate_limit)
    profiles: dict[str, ColumnProfile] = {}
    # A column's first batch in the file is screened on screen_sample_size values and its shapes read on
    # SHAPE_SAMPLE; later batches, whose recognizers are known from it, on SCREEN_LATER and SHAPE_SAMPLE_LATER
    # (see ValidationBudget.active).
    later = set(budget.active)
    sample_sizes = {name: SCREEN_LATER if name in later else settings.screen_sample_size for name in table.column_names}
    distinct: list[_DistinctValues] = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        profile, values = _distinct(name, column.combine_chunks())
        profiles[name] = profile
        if values is not None:
            distinct.append(values)
    prepared = _prepare_batch(distinct, settings, sample_sizes)
    if not prepared:
        return profiles
    small = [p for p in prepared if p.size <= sample_sizes[p.profile.name]]
    large = [p for p in prepared if p.size > sample_sizes[p.profile.name]]
    for column in large:
        shape_size = SHAPE_SAMPLE_LATER if column.profile.name in later else SHAPE_SAMPLE
        column.normalize_sample(np.concatenate([column.order[: max(sample_sizes[column.profile.name], shape_size)], column.heavy]))
    _shape_stats(prepared, later)
    # One prefilter pass per batch (a Hyperscan scan, and one RE2 confirmation per prefilter found: Arrow
    # compiles a regex per call) over every small column's values and every large column's sample.
    screens = [_Screen.of(p, sample_sizes[p.profile.name]) for p in large]
    pieces = [p.norm for p in small] + [screen.values for screen in screens]
    masks = prefilter_masks(pa.concat_arrays(pieces), recognizers)
    bounds = np.cumsum([0] + [len(piece) for piece in pieces])
    for index, screen in enumerate(screens, start=len(small)):
        lo, hi = bounds[index], bounds[index + 1]
        _profile_large_column(screen, [m[lo:hi] for m in masks], recognizers, settings, budget)
    for index, column in enumerate(small):
        lo, hi = bounds[index], bounds[index + 1]
        found = budget.active.setdefault(column.profile.name, set())
        found.update(i for i, m in enumerate(masks) if m[lo:hi].any())
        _run_recognizers(column, [(r, _Candidates(m[lo:hi])) for r, m in zip(recognizers, masks, strict=True)], settings, budget)
    return profiles


# Values a column is screened on in the batches after its first in a file: the recognizers its first
# batch found stay active, so the sample only has to find new ones (one on 0.1 % of the values is found
# with probability 1 - 0.999^2048 = 87 % in each later batch) and give the dense prefilters' shares
# (standard error at most 1.1 points).
SCREEN_LATER = 2048


# Large columns: a prefilter matching at least this share of the screening sample's rows is dense; its
# candidate rows outside the sample are estimated from the sample's share (the hash sample is uniform
# over the column's distinct values) instead of scanned and confirmed value by value.
DENSE_SHARE = 0.5
# Outside the sample, Hyperscan's superset of a sparse prefilter (the values of blocks where it was
# found) is confirmed by RE2 in full up to this many values; above, its SHAPE_HEAVY most frequent values
# are confirmed and the rest is estimated from the sample's values in the superset.
CONFIRM_LIMIT = 8192


@dataclass
class _Candidates:
    """A recognizer's candidates in one column: those known (a mask) and rows estimated beyond them."""

    mask: np.ndarray
    estimated_rows: float = 0.0


@dataclass
class _Screen:
    """A large column's screening sample: a stable-hash sample of its distinct values plus its SHAPE_HEAVY
    most frequent ones (a value on many rows is read itself, whatever its hash)."""

    column: _PreparedColumn
    in_sample: np.ndarray  # over the column's distinct values
    heavy: np.ndarray
    index: np.ndarray  # positions of the sample's values
    values: pa.Array  # their normalised text

    @classmethod
    def of(cls, column: _PreparedColumn, sample_size: int) -> _Screen:
        heavy = np.zeros(column.size, dtype=bool)
        heavy[column.heavy] = True
        in_sample = heavy.copy()
        in_sample[column.order[:sample_size]] = True
        index = np.flatnonzero(in_sample)
        return cls(column, in_sample, heavy, index, column.norm_at(index))


def _profile_large_column(
    screen: _Screen,
    sample_masks: list[np.ndarray],
    recognizers: list[EntityRecognizer],
    settings: DetectionSettings,
    budget: ValidationBudget,
) -> None:
    # Screened on a stable-hash sample of distinct values (``sample_masks``: each recognizer's prefilter
    # over it): a recognizer whose prefilter matches none of them is not run over the rest (an entity in
    # 0.1% of distinct values survives the screen with probability 1 - 0.999^N, N = the sample's size).
    # The sample's candidates are exact; the rest of the column is read by Hyperscan for the sparse
    # prefilters only (see DENSE_SHARE).
    column, sample_index = screen.column, screen.index
    column.profile.screened = True
    size, counts = column.size, column.counts
    rest = Rest(column, screen.in_sample, screen.heavy)
    found: list[tuple[EntityRecognizer, _Candidates]] = []
    sparse: list[tuple[EntityRecognizer, np.ndarray]] = []
    active = budget.active.setdefault(column.profile.name, set())
    active.update(i for i, mask in enumerate(sample_masks) if mask.any())
    for number, (recognizer, sample_mask) in enumerate(zip(recognizers, sample_masks, strict=True)):
        if number not in active:
            continue
        mask = np.zeros(size, dtype=bool)
        mask[sample_index] = sample_mask
        if _prefilter_of(recognizer) is None:
            found.append((recognizer, _Candidates(np.ones(size, dtype=bool))))
        elif float(counts[sample_index][sample_mask].sum()) >= DENSE_SHARE * float(counts[sample_index].sum()):
            found.append((recognizer, rest.estimate(mask, _prefilter_of(recognizer), None)))
        else:
            sparse.append((recognizer, mask))
    # A prefilter on more than a few values in a thousand is in nearly every Hyperscan block, so its
    # superset would exceed CONFIRM_LIMIT and be estimated anyway: it is estimated without the scan.
    scanned: list[tuple[EntityRecognizer, np.ndarray]] = []
    for recognizer, mask in sparse:
        if rest.superset_is_large(mask):
            found.append((recognizer, rest.estimate(mask, _prefilter_of(recognizer), None)))
        else:
            scanned.append((recognizer, mask))
    if scanned:
        prefilters = tuple(_prefilter_of(r) for r, _ in scanned)
        supersets = multi_prefilter(prefilters).supersets(rest.norm)
        for (recognizer, mask), prefilter, superset in zip(scanned, prefilters, supersets, strict=True):
            found.append((recognizer, rest.confirm(mask, prefilter, superset)))
    _run_recognizers(column, found, settings, budget)


class Rest:
    """A large column's values outside the screening sample, and how their candidates are found."""

    def __init__(self, column: _PreparedColumn, in_sample: np.ndarray, heavy: np.ndarray) -> None:
        self.column = column
        self.counts = column.counts
        self.index = np.flatnonzero(~in_sample)
        self.heavy = np.flatnonzero(heavy & ~in_sample)  # confirmed one by one: each stands for many rows
        self.light_sample = np.flatnonzero(in_sample & ~heavy)
        self.light_count = len(self.index) - len(self.heavy)
        self.light_rows = float(self.counts[self.index].sum() - self.counts[self.heavy].sum())

    @cached_property
    def norm(self) -> pa.Array:
        """The rest's normalised values, made only when a sparse prefilter scans them."""
        return self.column.norm.take(pa.array(self.index))

    def superset_is_large(self, mask: np.ndarray) -> bool:
        """Whether Hyperscan's superset of the rest would surely hold more than CONFIRM_LIMIT values (and so
        be estimated): a prefilter that the sample's values match with share p is in a block of
        prefilter.BLOCK_VALUES values with probability 1 - (1 - p)^BLOCK_VALUES. The share is taken two
        standard deviations low (of a Poisson count), so a prefilter near the limit is still scanned."""
        sample = self.light_sample
        if not len(sample):
            return False
        hits = float(mask[sample].sum())
        share = max(0.0, hits - 2.0 * math.sqrt(hits)) / len(sample)
        blocks_hit = 1.0 - (1.0 - share) ** PREFILTER_BLOCK_VALUES
        return len(self.index) * blocks_hit > CONFIRM_LIMIT

    def confirm(self, mask: np.ndarray, prefilter: str | None, superset: np.ndarray | None) -> _Candidates:
        """A sparse prefilter: RE2 over Hyperscan's superset of the rest, in full when it is small
        (CONFIRM_LIMIT), else the estimate, bounded by the superset's rows."""
        if superset is None:  # a prefilter the database does not cover: the reference over the rest
            mask[self.index] = reference_mask(self.norm, prefilter)
            return _Candidates(mask)
        inside = np.flatnonzero(superset)
        if len(inside) <= CONFIRM_LIMIT:
            mask[self.index[inside]] = reference_mask(self.norm.take(pa.array(inside)), prefilter)
            return _Candidates(mask)
        return self.estimate(mask, prefilter, float(self.counts[self.index[inside]].sum()))

    def estimate(self, mask: np.ndarray, prefilter: str | None, bound: float | None) -> _Candidates:
        """The rest's frequent values confirmed by RE2; the others' candidate rows estimated from the sample's
        values of the same kind (not frequent): the sample is uniform over distinct values, so its mean
        candidate rows per value, times the rest's number of such values, is unbiased (Horvitz-Thompson)."""
        if len(self.heavy):
            mask[self.heavy] = reference_mask(self.column.norm_at(self.heavy), prefilter)
        if not len(self.light_sample):
            return _Candidates(mask)
        light = self.light_sample
        mean = float((self.counts[light] * mask[light]).sum()) / len(light)
        rows = min(mean * self.light_count, self.light_rows)  # never more rows than there are
        return _Candidates(mask, rows if bound is None else min(rows, bound))


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
    masks: list[tuple[EntityRecognizer, _Candidates]],
    settings: DetectionSettings,
    budget: ValidationBudget,
) -> None:
    profile, counts, hashes = column.profile, column.counts, column.hashes
    batch_extrapolated = 0  # rows of this batch some recognizer judged by extrapolation, not validation
    for recognizer, found in masks:
        candidates = np.flatnonzero(found.mask)
        if len(candidates) == 0:
            continue
        stats = budget.for_key(profile.name, str(getattr(recognizer, "name", type(recognizer).__name__)))
        allowance = 0 if stats.settled else max(0, budget.limit - stats.validated)
        chosen = candidates
        if len(candidates) > allowance:
            chosen = candidates[smallest_first(hashes[candidates], allowance)]
        if time.monotonic() > budget.deadline:
            budget.values_over_time += len(candidates) + round(found.estimated_rows)
            continue
        sampled = len(candidates) > len(chosen) or found.estimated_rows > 0
        stop = budget.zero_hit_stop
        if sampled and not stats.hit_rows and stats.validated < stop < stats.validated + len(chosen):
            # over the budget anyway: the first ZERO_HIT_STOP (smallest hashes first), the rest only if
            # they found something
            first = stop - stats.validated
            _validate_all(column, stats, recognizer, chosen[:first], settings, budget)
            if not stats.hit_rows:
                stats.settled = True  # nothing in ZERO_HIT_STOP candidates: none in this column
                chosen = chosen[:first]
            else:
                _validate_all(column, stats, recognizer, chosen[first:], settings, budget)
        else:
            _validate_all(column, stats, recognizer, chosen, settings, budget)
        unvalidated_rows = int(counts[candidates].sum()) - int(counts[chosen].sum()) + found.estimated_rows
        if unvalidated_rows and stats.validated_rows:
            batch_extrapolated = max(batch_extrapolated, round(unvalidated_rows))
            for entity, hit_rows in stats.hit_rows.items():
                share = hit_rows / stats.validated_rows
                tally = profile.entities.setdefault(entity, EntityTally())
                tally.estimated_rows += unvalidated_rows * share
                tally.estimated_score_sum += unvalidated_rows * share * stats.score_sums[entity] / hit_rows
                for band, rows in enumerate(stats.band_rows[entity]):
                    tally.band_rows[band] += unvalidated_rows * rows / stats.validated_rows
    profile.extrapolated_rows += batch_extrapolated



def _validate_all(
    column: _PreparedColumn,
    stats: _RecognizerStats,
    recognizer: EntityRecognizer,
    chosen: np.ndarray,
    settings: DetectionSettings,
    budget: ValidationBudget,
) -> None:
    """Validate the chosen candidates in full (Python strings are made for these values only). Entries of one
    hash (a value in two row groups' dictionaries, see _dictionary_distinct) are one value: validated once,
    with the rows of all of them."""
    distinct, first, rows = _rows_by_hash(column.hashes[chosen], column.counts[chosen])
    chosen = chosen[first]
    stats.validated += len(chosen)
    stats.validated_rows += int(rows.sum())
    texts = column.raw_values.take(pa.array(chosen)).to_pylist() if len(chosen) else []
    for text, count, value_hash in zip(texts, rows.tolist(), distinct.tolist(), strict=True):
        if time.monotonic() > budget.deadline:
            budget.values_over_time += 1
            continue
        if not _validate_value(column.profile, stats, recognizer, text, count, value_hash, settings, budget.deadline):
            budget.values_over_time += 1


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
        stats.band_rows.setdefault(entity, no_bands())[score_band(score)] += count
        embedded = len(span) < EMBEDDED_SHARE * len(value)
        tally = profile.entities.setdefault(entity, EntityTally())
        keep = settings.examples_per_entity
        example = mask_value(span) if tally.keeps_example(value_hash, keep) else None
        tally.add(count, float(score), value_hash, example, keep, embedded)
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

    A part validates ``validate_limit / parts`` candidates per column and recognizer, and stops a
    recognizer finding nothing after ``ZERO_HIT_STOP / parts``, so the file as a whole stays within its
    validation budget however it is split (a part that stopped at the whole file's ZERO_HIT_STOP never
    reached it: a split file validated up to twice as much)."""
    recognizers = pattern_recognizers(user_recognizers)
    profile = FileProfile(files=[file.url], split_files=[file.url] if parts > 1 else [])
    limit = settings.detection.validate_limit
    budget = ValidationBudget(
        max(1, limit // parts) if parts > 1 else limit,
        deadline=time.monotonic() + settings.detection.pattern_seconds_per_file,
        zero_hit_stop=max(1, ZERO_HIT_STOP // parts),
    )
    timeouts_before = _regex_timeouts(recognizers)
    try:
        batches = iter_batches(file, settings.reading, row_groups, text_dictionaries=True)
        # A core for Arrow besides this thread (not in a one-thread Dask worker, whose cores its peers use):
        # the next batch is read while this one is profiled.
        for batch in read_ahead(batches) if pa.cpu_count() > 1 else batches:
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
