"""Low prevalence at any size, through the real detectors: the shares and verdicts for a remarks column
must not depend on how many rows the table has (exact validation at 6,000 rows, sampled validation and
extrapolation at 150,000), and score thresholds apply to rows by score band, not to a mean."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from pipeline.classify import classify_column
from pipeline.detect import ValidationBudget, profile_table
from pipeline.engine import pattern_recognizers
from pipeline.policy import load_policy
from pipeline.profile_model import SCORE_BANDS, EntityTally, FileProfile, score_band
from pipeline.settings import ScanSettings

SETTINGS = ScanSettings()
SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
]  # the most common surnames
GIVEN = ["太郎", "花子", "健一", "美咲", "大輔", "由美"]
BUSINESS = [
    "配送日時の指定あり、午前中を希望。",
    "ギフト包装を希望、のし不要。",
    "領収書の宛名は会社名で発行してください。",
    "置き配を希望します。",
    "再配達の依頼あり、夕方以降。",
]


def _remarks(rows: int, notes: bool = False, seed: int = 5) -> list[str]:
    """1.5 % of rows give a phone number, 1.5 % a customer's name (half with the given name), the rest business.
    ``notes``: terse notes without punctuation (not prose), where a phone number fills most of its cell."""
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        draw = rng.random()
        phone = f"0{rng.randint(3, 9)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        if draw < 0.015:
            out.append(f"携帯 {phone}" if notes else f"折り返しは{phone}へ")
        elif draw < 0.0225:
            out.append(
                f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}様より問い合わせ、注文{rng.randint(10000, 99999)}の件"
            )
        elif draw < 0.03:
            out.append(f"{rng.choice(SURNAMES)}様から再送依頼、注文{rng.randint(10000, 99999)}の件")
        elif notes:
            out.append(
                f"{rng.choice(BUSINESS).rstrip('。').split('、')[0]} 注文番号{rng.randint(100000, 999999)}"
            )
        else:
            out.append(f"{rng.choice(BUSINESS)}注文番号{rng.randint(100000, 999999)}。")
    return out


def _profile(values: list[str]) -> FileProfile:
    """Batch by batch with one validation budget, as profile_file does for one file."""
    recognizers = pattern_recognizers(None)
    budget = ValidationBudget(SETTINGS.detection.validate_limit)
    merged = FileProfile()
    step = SETTINGS.reading.batch_rows
    for start in range(0, len(values), step):
        part = FileProfile(rows=min(step, len(values) - start))
        part.columns = profile_table(
            pa.table({"備考": values[start : start + step]}), recognizers, SETTINGS.detection, budget
        )
        merged.merge(part, SETTINGS.detection)
    return merged


@pytest.fixture(scope="module")
def by_size() -> dict[int, FileProfile]:
    return {rows: _profile(_remarks(rows)) for rows in (6_000, 150_000)}


@pytest.fixture(scope="module")
def notes_by_size() -> dict[int, FileProfile]:
    return {rows: _profile(_remarks(rows, notes=True)) for rows in (6_000, 150_000)}


@pytest.mark.parametrize("notes", [False, True], ids=["prose", "terse notes"])
@pytest.mark.parametrize("rows", [6_000, 150_000])
def test_remarks_with_low_prevalence_contact_data_are_tagged_at_both_sizes(
    by_size: dict[int, FileProfile], notes_by_size: dict[int, FileProfile], rows: int, notes: bool
) -> None:
    column = (notes_by_size if notes else by_size)[rows].columns["備考"]
    result = classify_column(column, load_policy(), SETTINGS.classification)
    assert result.free_text is not notes
    assert result.categories == ("personal",), result.explanation
    assert {e.type for e in result.entities} == {"PHONE_NUMBER", "PERSON"}


@pytest.mark.parametrize("rows", [6_000, 150_000])
def test_business_notes_alone_stay_untagged(rows: int) -> None:
    values = [v for v in _remarks(rows, notes=True) if "注文番号" in v and "様" not in v]
    column = _profile(values).columns["備考"]
    assert classify_column(column, load_policy(), SETTINGS.classification).categories == ()


def test_shares_agree_across_sizes(by_size: dict[int, FileProfile]) -> None:
    small, large = (by_size[r].columns["備考"] for r in (6_000, 150_000))
    assert large.screened and large.extrapolated_rows > 0  # the large table takes the sampled path
    for entity in ("PHONE_NUMBER", "PERSON"):
        share_small = small.entities[entity].total_rows / small.non_null
        share_large = large.entities[entity].total_rows / large.non_null
        assert share_small == pytest.approx(0.015, abs=0.005)
        assert share_large == pytest.approx(share_small, abs=0.005)
        bands = large.entities[entity].band_rows
        assert sum(bands) == pytest.approx(large.entities[entity].total_rows, rel=1e-6)


@pytest.mark.parametrize(
    ("score", "band"), [(0.0, 0), (0.6, 12), (0.85, 17), (0.9, 18), (0.95, 19), (1.0, 19)]
)
def test_score_bands(score: float, band: int) -> None:
    assert score_band(score) == band


def test_rows_scoring_at_least_count_rows_not_means() -> None:
    tally = EntityTally()
    tally.add(10, 1.0, 1, "a", 3)
    tally.add(30, 0.85, 2, "b", 3)
    other = EntityTally()
    other.add(5, 0.9, 3, "c", 3)
    tally.merge(other, 3)
    assert len(tally.band_rows) == SCORE_BANDS
    assert tally.mean_score < 0.9
    assert tally.rows_scoring_at_least(0.9) == 15
    assert tally.rows_scoring_at_least(0.85) == 45
    assert tally.rows_scoring_at_least(0.86) == 15  # the 0.85 band starts below 0.86
