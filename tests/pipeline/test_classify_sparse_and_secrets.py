"""Sparse special-care columns, graded results, survey disclosures, plaintext secrets, organisation
contacts, spaced digit groups and row-weighted NER shares: one table row per rule, on hand-built
profiles (no GiNZA)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pytest
from presidio_analyzer import RecognizerResult

import pipeline.detect_ner as detect_ner
from pipeline.classify import classify_column
from pipeline.detect import profile_column
from pipeline.detect_ner import run_ner
from pipeline.engine import pattern_recognizers
from pipeline.policy import load_policy
from pipeline.profile_model import ColumnProfile, EntityTally, FileProfile, score_band
from pipeline.settings import load_scan_settings
from pipeline.text_shape import is_free_text

SETTINGS = load_scan_settings()
CLASSIFY = SETTINGS.classification
POLICY = load_policy()


def _tally(bands: dict[float, int], embedded: bool) -> EntityTally:
    """Rows by score: {0.95: 5, 0.5: 7} is five rows at 0.95 and seven at 0.5."""
    tally = EntityTally()
    for index, (score, rows) in enumerate(sorted(bands.items())):
        tally.add(rows, score, index, "***", 3, embedded=embedded)
    return tally


@dataclass
class Column:
    name: str
    n: int
    mentions: dict[str, dict[float, int]] = field(default_factory=dict)  # inside longer cells
    values: dict[str, dict[float, int]] = field(default_factory=dict)  # the whole cell
    distinct: tuple[str, ...] = ()
    avg_chars: int = 10
    letters: bool = True

    def build(self) -> ColumnProfile:
        profile = ColumnProfile(name=self.name, data_type="string", rows=self.n, non_null=self.n)
        profile.char_sum = self.n * self.avg_chars
        profile.letter_rows = self.n if self.letters else 0
        values = self.distinct or tuple(f"v{i}" for i in range(min(self.n, 256)))
        profile.sketch = dict(enumerate(values))
        for entity, bands in self.mentions.items():
            profile.entities[entity] = _tally(bands, embedded=True)
        for entity, bands in self.values.items():
            profile.entities[entity] = _tally(bands, embedded=False)
        return profile


CASES: list[tuple[str, Column, set[str]]] = [
    # 1. sparse special-care columns: short phrases naming the fact in nearly every filled row
    (
        "leave reasons, every filled row a health phrase scoring under the prose cut-off",
        Column("休職事由", 17, mentions={"MEDICAL": {0.5: 6, 0.6: 8, 0.75: 3}}),
        {"MEDICAL"},
    ),
    (
        "titles glued to names are not an occupation column",
        Column("承認者", 400, mentions={"OCCUPATION": {0.5: 360}, "PERSON": {0.75: 400}}),
        {"PERSON"},
    ),
    (
        "graded letters under 総合判定 (A–E with sub-grades)",
        Column("総合判定", 500, distinct=("A", "B", "C1", "C2", "D", "E")),
        {"MEDICAL"},
    ),
    (
        "graded letters with their reading, full width",
        Column("判定区分", 500, distinct=("Ａ", "Ｂ判定", "Ｃ（要経過観察）", "D(要医療)")),
        {"MEDICAL"},
    ),
    ("pass/fail under 判定結果 is no grade", Column("判定結果", 500, distinct=("合格", "不合格")), set()),
    ("grades under a header that names no health fact", Column("ランク", 500, distinct=("A", "B", "C")), set()),
    ("one letter is no scale", Column("総合判定", 500, distinct=("A",)), set()),
    # 2. self-disclosures in a survey column: near-certain rows count from half the confident share
    (
        "religion, politics and union at 0.5–1.2 % of rows, beside each other",
        Column(
            "自由回答",
            1059,
            mentions={
                "LABOR_UNION": {0.5: 3, 0.95: 10},
                "RELIGION": {0.5: 7, 0.95: 5},
                "POLITICAL": {0.95: 5},
            },
        ),
        {"LABOR_UNION", "RELIGION", "POLITICAL"},
    ),
    ("two disclosures in 1,000 rows are not enough", Column("自由回答", 1000, mentions={"RELIGION": {0.95: 2}}), set()),
    (
        "contact data keeps the general confident share",
        Column("自由回答", 1000, mentions={"EMAIL_ADDRESS": {0.95: 4}}),
        set(),
    ),
    ("weak topic words at 1 % stay below", Column("自由回答", 1000, mentions={"MEDICAL": {0.4: 6, 0.5: 4}}), set()),
    # 4. plaintext secrets in a config column
    ("secrets in 11 % of a settings column", Column("設定値", 160, values={"PASSWORD": {0.9: 17}}), {"PASSWORD"}),
    ("bare hex digests score low and stay below", Column("checksum", 160, values={"PASSWORD": {0.4: 17}}), set()),
    # 5. an organisation's switchboard and its industry
    (
        "company phone lines under 代表電話",
        Column("代表電話", 250, values={"PHONE_NUMBER": {0.95: 135}}),
        set(),
    ),
    ("industry is not an occupation", Column("業種", 250, values={"OCCUPATION": {0.5: 107}}), set()),
    ("a person's phone column stays tagged", Column("電話番号", 250, values={"PHONE_NUMBER": {0.95: 240}}), {"PHONE_NUMBER"}),
]


@pytest.mark.parametrize(("label", "column", "expected"), CASES, ids=[c[0] for c in CASES])
def test_classify_table(label: str, column: Column, expected: set[str]) -> None:
    result = classify_column(column.build(), POLICY, CLASSIFY)
    assert {f.type for f in result.entities} == expected, result.explanation


def test_examinee_number_is_a_credential_by_its_header() -> None:
    result = classify_column(Column("受診者番号", 500, letters=False).build(), POLICY, CLASSIFY)
    assert result.categories == ("credential",)
    assert "header decided" in result.explanation


def test_graded_result_explanation_names_the_shape() -> None:
    result = classify_column(Column("総合判定", 500, distinct=("A", "B", "C", "D", "E")).build(), POLICY, CLASSIFY)
    assert "graded letter codes" in result.explanation


# ------------------------------------------------------------------ 8. spaced digit groups are not words


@pytest.mark.parametrize(
    ("values", "sentences"),
    [
        (["1234 5678 9012", "2345 6789 0123"], 0),
        (["+81 90 1234 5678", "090 1234 5678"], 0),
        (["4111 1111 1111 1111", "03 1234 5678"], 0),
        (["Please call me back tomorrow", "I moved to Osaka last year"], 2),
        (["明日 午前中 配達希望", "来週 月曜 再訪予定"], 2),
    ],
)
def test_digit_groups_are_not_sentences(values: list[str], sentences: int) -> None:
    profile = profile_column("c", pa.array(values * 10), pattern_recognizers(None), SETTINGS.detection)
    assert profile.sentence_rows == sentences * 10


def test_spaced_id_column_is_not_judged_as_prose() -> None:
    values = [f"{1000 + i:04d} {5000 + i:04d} {9000 + i:04d}" for i in range(200)]
    profile = profile_column("ident", pa.array(values), pattern_recognizers(None), SETTINGS.detection)
    assert not is_free_text(profile, CLASSIFY)


# ------------------------------------------------------------------ 6. NER shares are shares of rows


def _fake_ner(texts: list[str]) -> list[list[RecognizerResult]]:
    return [
        [RecognizerResult("PERSON", 0, 4, 0.7)] if text.startswith("NAME") else [] for text in texts
    ]


def _ner_ratio(values: list[str], monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(detect_ner, "ner_batch", _fake_ner)
    column = profile_column("memo", pa.array(values), [], SETTINGS.detection)
    profile = FileProfile(rows=len(values), columns={"memo": column})
    run_ner(profile, ["memo"], SETTINGS)
    hits = column.ner_hits.get("PERSON")
    return (hits.total_rows if hits else 0.0) / column.ner_sample_rows


def test_ner_share_is_weighted_by_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # One name among 10 distinct notes, but the notes repeat 50 times each and the name once.
    repeated = [f"note {i} about the delivery" for i in range(10)] * 50 + ["NAME called back"]
    assert _ner_ratio(repeated, monkeypatch) == pytest.approx(1 / 501)


def test_ner_share_does_not_depend_on_repetition(monkeypatch: pytest.MonkeyPatch) -> None:
    base = [f"note {i} about the delivery" for i in range(18)] + ["NAME called", "NAME wrote"]
    assert _ner_ratio(base, monkeypatch) == pytest.approx(_ner_ratio(base * 7, monkeypatch)) == pytest.approx(0.1)


def test_ner_drops_people_of_encyclopedic_prose(monkeypatch: pytest.MonkeyPatch) -> None:
    article = "NAMEは江戸幕府を開いた武将である。関ヶ原の戦いで勝利した。"
    note = "NAME様より電話がありました。折り返しお願いします。"
    assert _ner_ratio([article] * 5, monkeypatch) == 0.0
    assert _ner_ratio([note] * 5, monkeypatch) == 1.0


def test_sketch_rows_merge_exactly() -> None:
    settings = SETTINGS.detection
    first = profile_column("c", pa.array(["a", "a", "b"]), [], settings)
    second = profile_column("c", pa.array(["a", "c"]), [], settings)
    first.merge(second, settings)
    by_value = {first.sketch[h]: rows for h, rows in first.sketch_rows.items()}
    assert by_value == {"a": 3, "b": 1, "c": 1}


def test_score_band_edges() -> None:
    assert score_band(0.95) == 19 and score_band(0.9) == 18
