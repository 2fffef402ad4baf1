"""Large columns: shapes read on a bounded sample, candidates outside the screening sample confirmed or
estimated; the counts stay close to the exact ones (every value read) and never exceed the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import detect
from pipeline.detect import SHAPE_SAMPLE, ZERO_HIT_STOP, ValidationBudget, profile_column
from pipeline.engine import pattern_recognizers
from pipeline.prefilter import multi_prefilter, reference_mask
from pipeline.profile_model import ColumnProfile, merge_profiles
from pipeline.settings import DetectionSettings, load_scan_settings
from pipeline.sources import DataFile
from recognizers.normalize import normalize_array

RECOGNIZERS = pattern_recognizers(None)
DETECTION = load_scan_settings().detection


def _settings(**update: int) -> DetectionSettings:
    return DETECTION.model_copy(update=update)


def _ratio(profile: ColumnProfile, entity: str) -> float:
    tally = profile.entities.get(entity)
    return tally.total_rows / profile.non_null if tally else 0.0


def _notes(rng: np.random.Generator, size: int, email_every: int) -> list[str]:
    notes = [f"注文{n}の件、対応済み" for n in rng.choice(10**8, size, replace=False)]
    for i in range(0, size, email_every):
        notes[i] = f"連絡先はuser{i}@example.co.jpまでお願いします"
    return notes


def test_a_sparse_entity_in_a_large_column_is_estimated_close_to_the_exact_share() -> None:
    # 60,000 distinct notes, 2% with an e-mail address: with a 5,000-value screening sample the rest's
    # superset is far above CONFIRM_LIMIT, so its candidate rows are estimated, not confirmed one by one
    # (standard error of the share sqrt(0.02 * 0.98 / 5000) = 0.002; the tolerance is three of them)
    notes = pa.array(_notes(np.random.default_rng(4), 60_000, 50), pa.string())
    exact = profile_column("備考", notes, RECOGNIZERS, _settings(screen_sample_size=100_000, validate_limit=100_000))
    sampled = profile_column("備考", notes, RECOGNIZERS, _settings(screen_sample_size=5000))
    assert not exact.screened and sampled.screened
    assert _ratio(exact, "EMAIL_ADDRESS") == pytest.approx(0.02)
    assert abs(_ratio(sampled, "EMAIL_ADDRESS") - 0.02) < 0.006
    assert sampled.extrapolated_rows > 0


def _spy_supersets(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every array Hyperscan scans for supersets (the rest of a large column)."""
    scanned: list[int] = []
    original = detect.multi_prefilter

    def spying(prefilters: tuple[str | None, ...]) -> Any:
        database = original(prefilters)

        class Spy:
            masks = database.masks

            def supersets(self, norm: pa.Array, *args: Any) -> Any:
                scanned.append(len(norm))
                return database.supersets(norm, *args)

        return Spy()

    monkeypatch.setattr(detect, "multi_prefilter", spying)
    return scanned


def test_a_sparse_prefilter_in_most_blocks_is_estimated_without_scanning_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """2 % of the notes hold an e-mail address: in nearly every block of 256 values, so Hyperscan's superset
    would exceed CONFIRM_LIMIT and be estimated anyway. The rest is neither scanned nor normalised."""
    notes = pa.array(_notes(np.random.default_rng(4), 60_000, 50), pa.string())
    scanned = _spy_supersets(monkeypatch)
    normalised: list[int] = []
    original = detect.normalize_array
    monkeypatch.setattr(detect, "normalize_array", lambda values: normalised.append(len(values)) or original(values))
    profile = profile_column("備考", notes, RECOGNIZERS, _settings(screen_sample_size=5000))
    assert scanned == []
    assert max(normalised) < 10_000  # the samples (5,000 + shapes + frequent values), never the 60,000
    assert abs(_ratio(profile, "EMAIL_ADDRESS") - 0.02) < 0.006


def test_a_rare_entity_in_a_large_column_is_scanned_and_counted_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    """One note in 2,000 holds an e-mail address: few blocks hold one, so the rest is scanned by Hyperscan
    and its superset confirmed by RE2; every one of the 30 is counted, none estimated."""
    notes = pa.array(_notes(np.random.default_rng(11), 60_000, 2000), pa.string())
    scanned = _spy_supersets(monkeypatch)
    profile = profile_column("備考", notes, RECOGNIZERS, _settings(screen_sample_size=5000))
    assert profile.screened and scanned and max(scanned) > 50_000
    tally = profile.entities["EMAIL_ADDRESS"]
    assert tally.rows == 30 and tally.estimated_rows == 0


def test_the_superset_forecast_uses_the_samples_share_taken_low() -> None:
    column = detect._PreparedColumn(
        ColumnProfile(name="c", data_type="string", rows=60_000),
        pa.array([str(n) for n in range(60_000)]),
        np.ones(60_000, dtype=np.int64),
        np.arange(60_000, dtype=np.uint64),
        np.arange(60_000),
    )
    in_sample = np.zeros(60_000, dtype=bool)
    in_sample[:5000] = True
    rest = detect.Rest(column, in_sample, np.zeros(60_000, dtype=bool))
    mask = np.zeros(60_000, dtype=bool)
    assert not rest.superset_is_large(mask)  # nothing in the sample: scan (the recognizer is active elsewhere)
    mask[:100] = True  # 2 % of the sample: about 99 % of the blocks
    assert rest.superset_is_large(mask)
    mask[:] = False
    mask[:3] = True  # 0.06 %: 14 % of the blocks at most, 7,700 values: under CONFIRM_LIMIT, scanned
    assert not rest.superset_is_large(mask)


def test_a_dense_entity_is_estimated_close_to_the_exact_share_and_within_the_rows() -> None:
    rng = np.random.default_rng(8)
    phones = [f"090-{n // 10**4:04d}-{n % 10**4:04d}" for n in rng.choice(10**8, 40_000, replace=False)]
    phones += ["090-1234-5678"] * 5000  # a frequent value: confirmed itself
    column = pa.array(phones, pa.string())
    exact = profile_column("電話", column, RECOGNIZERS, _settings(screen_sample_size=100_000, validate_limit=100_000))
    profile = profile_column("電話", column, RECOGNIZERS, _settings(screen_sample_size=5000))
    assert profile.screened
    tally = profile.entities["PHONE_NUMBER"]
    assert abs(_ratio(profile, "PHONE_NUMBER") - _ratio(exact, "PHONE_NUMBER")) < 0.02
    assert tally.total_rows <= profile.non_null
    assert sum(tally.band_rows) <= profile.non_null + 1e-6


def test_a_frequent_value_outside_the_sample_is_confirmed_not_estimated() -> None:
    # one e-mail address repeated on 20,000 rows next to 30,000 distinct notes without any: the frequent
    # value is checked itself, so its rows are counted whether or not it fell in the hash sample
    notes = _notes(np.random.default_rng(5), 30_000, 10**9)[1:] + ["連絡先はtaro@example.co.jpまで"] * 20_000
    profile = profile_column("備考", pa.array(notes, pa.string()), RECOGNIZERS, _settings(screen_sample_size=1000))
    assert _ratio(profile, "EMAIL_ADDRESS") == pytest.approx(20_000 / len(notes), rel=0.01)


def test_shapes_of_a_large_column_come_from_a_sample_close_to_every_value() -> None:
    rng = np.random.default_rng(6)
    numbers = [str(n) for n in rng.choice(10**9, 30_000, replace=False)]
    words = [f"商品{n}番" for n in rng.choice(10**9, 10_000, replace=False)]
    heavy = ["42"] * 25_000  # one frequent small number: counted exactly, not scaled
    values = pa.array(numbers + words + heavy, pa.string())
    profile = profile_column("c", values, RECOGNIZERS, DETECTION)
    assert len(numbers) + len(words) > 4 * SHAPE_SAMPLE
    assert abs(profile.numeric_rows - 55_000) < 0.02 * len(values)
    assert profile.small_int_rows >= 25_000
    assert abs(sum(profile.digit_lengths.values()) - 55_000) < 0.02 * len(values)


def test_small_columns_keep_exact_shape_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    values = pa.array([str(n) for n in range(3000)] + ["abc"] * 10, pa.string())
    profile = profile_column("c", values, RECOGNIZERS, DETECTION)
    monkeypatch.setattr(detect, "SHAPE_SAMPLE", 10**9)
    reference = profile_column("c", values, RECOGNIZERS, DETECTION)
    assert (profile.numeric_rows, profile.small_int_rows, profile.digit_lengths) == (
        reference.numeric_rows, reference.small_int_rows, reference.digit_lengths,
    )
    assert profile.numeric_rows == 3000


def test_hyperscan_supersets_hold_every_reference_candidate() -> None:
    values = normalize_array(pa.array(
        ["taro@example.com", "x", "090-1234-5678", "", None, "本籍 東京都", "M"] * 50, pa.string()
    ))
    prefilters = tuple(getattr(r, "PREFILTER", None) for r in RECOGNIZERS)
    for prefilter, superset in zip(prefilters, multi_prefilter(prefilters).supersets(values, block=16), strict=True):
        assert superset is not None
        reference = reference_mask(values, prefilter)
        assert not (reference & ~superset).any(), prefilter


def test_a_recognizer_that_finds_nothing_stops_validating_after_zero_hit_stop() -> None:
    rng = np.random.default_rng(7)
    emails = [f"user{n}@example.co.jp" for n in rng.choice(10**8, 5000, replace=False)]
    budget = ValidationBudget(2000)
    profile = profile_column("メール", pa.array(emails, pa.string()), RECOGNIZERS, DETECTION, budget)
    email = budget.stats[("メール", "CjkEmailRecognizer")]
    assert email.validated == 2000 and email.hit_rows  # it finds e-mails: validated up to the limit
    silent = [stats for stats in budget.stats.values() if not stats.hit_rows]
    assert silent  # other prefilters let e-mail addresses through (digits, names) and find nothing
    assert all(stats.validated <= ZERO_HIT_STOP for stats in silent)
    assert any(stats.validated == ZERO_HIT_STOP for stats in silent)  # those with more candidates stopped
    assert _ratio(profile, "EMAIL_ADDRESS") == pytest.approx(1.0)


def test_the_parts_of_a_split_file_share_the_zero_hit_stop(tmp_path: Path) -> None:
    """Four parts validate no more than the whole file: each part stops a silent recognizer after a quarter
    of ZERO_HIT_STOP, where each used to go on to its quarter of the limit (twice the whole file's work)."""
    rng = np.random.default_rng(8)
    emails = [f"user{n}@example.co.jp" for n in rng.choice(10**8, 40_000, replace=False)]
    path = tmp_path / "mail.parquet"
    pq.write_table(pa.table({"メール": pa.array(emails, pa.string())}), path, row_group_size=10_000)
    file = DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="")
    settings = load_scan_settings()
    validated: dict[str, int] = {}
    found: set[str] = set()
    original = detect._validate_all

    def counting(column: Any, stats: Any, recognizer: Any, chosen: np.ndarray, *rest: Any) -> None:
        name = type(recognizer).__name__
        validated[name] = validated.get(name, 0) + len(chosen)
        original(column, stats, recognizer, chosen, *rest)
        if stats.hit_rows:
            found.add(name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(detect, "_validate_all", counting)
        parts = [detect.profile_file(file, settings, None, (i, i + 1), 4) for i in range(4)]
    assert validated["CjkEmailRecognizer"] == settings.detection.validate_limit  # 4 x 500
    assert max(validated.values()) <= settings.detection.validate_limit
    silent = [count for name, count in validated.items() if name not in found]
    assert silent  # other prefilters let e-mail addresses through and find nothing in any part
    # those with more candidates than a part's limit stopped at 4 x 250, as in the whole file (4 x 500
    # before); one with fewer per part validated them all, as the whole file does below its limit
    assert ZERO_HIT_STOP in silent
    assert max(silent) < settings.detection.validate_limit
    assert _ratio(merge_profiles(parts, settings).columns["メール"], "EMAIL_ADDRESS") == pytest.approx(1.0)
