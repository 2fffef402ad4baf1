"""The messy evaluation corpus (tests/messy): the generator's guarantees, the scorer, and score floors.

Floors are what the scanner measured on this corpus (seed 0) minus 0.02; raise them as detection
improves, never lower them to make a change pass.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from recognizers.checksums import (
    is_valid_corporate_number,
    is_valid_driver_license,
    is_valid_gs1,
    is_valid_luhn,
    is_valid_my_number,
)
from tests.messy import lake as messy_lake
from tests.messy.evaluate import evaluate, run
from tests.messy.golden import GOLDEN, HIGH_RISK_QI


@pytest.fixture(scope="module")
def tables() -> dict[str, messy_lake.Table]:
    return {t.dataset: t for t in messy_lake.build(seed=0)}


def _column(table: messy_lake.Table, name: str) -> list[Any]:
    return [row[name] for row in table.rows]


def _filled(values: list[Any]) -> list[Any]:
    return [v for v in values if v not in (None, "")]


# --- the generator -------------------------------------------------------------------------------------


def test_same_seed_same_lake_and_another_seed_differs() -> None:
    first = messy_lake.build(seed=3)
    assert [t.rows for t in first] == [t.rows for t in messy_lake.build(seed=3)]
    assert [t.rows for t in first] != [t.rows for t in messy_lake.build(seed=4)]


def test_every_table_has_exactly_its_golden_columns(tables: dict[str, messy_lake.Table]) -> None:
    assert set(tables) == set(GOLDEN)
    for dataset, table in tables.items():
        assert set(messy_lake._flat_columns(table.rows[0])) == set(GOLDEN[dataset]), dataset


def test_identifiers_carry_their_official_check_digits(tables: dict[str, messy_lake.Table]) -> None:
    assert all(is_valid_my_number(v) for v in _column(tables["hr/payroll.parquet"], "個人番号"))
    assert all(is_valid_corporate_number(v) for v in _column(tables["master/partners.parquet"], "法人番号"))
    assert all(is_valid_gs1(v) for v in _column(tables["master/products.csv"], "JANコード"))
    onboarding = tables["hr/onboarding.parquet"]
    licences = _filled(_column(onboarding, "運転免許証番号"))
    assert licences and all(is_valid_driver_license(v.replace(" ", "")) for v in licences)
    assert any(re.fullmatch(r"\d{4} \d{2} \d{6}", v) for v in licences)
    ssns = [re.sub(r"[ .-]", "", v) for v in _filled(_column(onboarding, "SSN"))]
    assert ssns and all(s[:3] not in ("000", "666") and s[0] != "9" and s[3:5] != "00" and s[5:] != "0000" for s in ssns)
    assert all(re.fullmatch(r"[A-Z]{2}\d{7}", v) for v in _filled(_column(onboarding, "旅券番号")))
    assert all(re.fullmatch(r"[A-Z]{2}\d{8}[A-Z]{2}", v) for v in _filled(_column(onboarding, "在留カード番号")))
    assert all(re.fullmatch(r"\d{7}1", v) for v in _filled(_column(onboarding, "ゆうちょ口座番号")))
    cards = _filled(_column(tables["ec/members.csv"], "登録カード番号"))
    assert cards and all(re.fullmatch(r"\d{4}( \d{4}){3}", v) and is_valid_luhn(v.replace(" ", "")) for v in cards)


def test_product_codes_are_not_my_numbers_by_accident_often(tables: dict[str, messy_lake.Table]) -> None:
    codes = _column(tables["master/products.csv"], "商品コード")
    share = sum(is_valid_my_number(c) for c in codes) / len(codes)
    assert share < 0.2  # random 12-digit codes pass the mod-11 check about one time in ten


def test_formats_real_systems_emit_are_present(tables: dict[str, messy_lake.Table]) -> None:
    spaced = _column(tables["campaign/entries.csv"], "携帯番号")
    assert all(re.fullmatch(r"(0\d0|\+81 \d0) \d{4} \d{4}", p) for p in spaced)
    phones = _column(tables["ec/members.csv"], "電話番号")
    assert any(re.fullmatch(r"0\d0 \d{4} \d{4}", p) for p in phones)
    assert any(p.startswith("+81 ") for p in phones)
    mails = _column(tables["ec/members.csv"], "メールアドレス")
    assert any(".." in m or ".@" in m for m in mails)
    holders = _column(tables["bank/zengin_transfer.csv"], "受取人名")
    assert all(re.fullmatch(r"[\uff66-\uff9f]+ [\uff66-\uff9f]+", h) for h in holders)
    assert all(re.fullmatch(r"\d{7}", a) for a in _column(tables["bank/zengin_transfer.csv"], "口座番号"))
    approvers = _column(tables["hr/expenses.csv"], "承認者")
    assert all(" " not in a and a.endswith(("長", "任", "ー")) for a in approvers)
    mesh = _column(tables["app/events.jsonl"], "geo")
    assert all(re.fullmatch(r"\d{8}", g["mesh"]) for g in mesh)


def test_mesh_and_geohash_match_known_points() -> None:
    # Tokyo Station: third-level grid square 53394611 (JIS X 0410); its geohash starts xn76u.
    assert messy_lake.jis_mesh3(35.6812, 139.7671) == "53394611"
    assert messy_lake.geohash(35.6812, 139.7671, 5) == "xn76u"


@pytest.mark.parametrize(
    ("dataset", "column", "low", "high"),
    [
        ("hr/payroll.parquet", "休職事由", 0.02, 0.07),
        ("health/checkup.parquet", "尿検査", 0.02, 0.08),
        ("health/checkup.parquet", "医師所見", 0.02, 0.08),
        ("ec/members.csv", "登録カード番号", 0.45, 0.65),
        ("hr/onboarding.parquet", "配慮事項", 0.015, 0.06),
        ("hr/onboarding.parquet", "SSN", 0.025, 0.15),
    ],
)
def test_sparse_columns_are_sparse(
    tables: dict[str, messy_lake.Table], dataset: str, column: str, low: float, high: float
) -> None:
    values = _column(tables[dataset], column)
    assert low <= len(_filled(values)) / len(values) <= high


def _from_templates(texts: list[str], templates: tuple[str, ...]) -> int:
    patterns = [re.compile(re.escape(t).replace(r"\{name\}", ".+").replace(r"\{tel\}", ".+")) for t in templates]
    return sum(any(p.fullmatch(t) for p in patterns) for t in texts)


def test_remarks_hold_phones_and_names_at_low_prevalence(tables: dict[str, messy_lake.Table]) -> None:
    from tests.messy import phrases

    remarks = _column(tables["sales/order_remarks.csv"], "備考")
    phones = _from_templates(remarks, phrases.REMARKS_TEL)
    names = _from_templates(remarks, phrases.REMARKS_NAME)
    assert 0.008 <= phones / len(remarks) <= 0.025
    assert 0.008 <= names / len(remarks) <= 0.025


def test_survey_self_disclosures_are_each_one_to_four_percent(tables: dict[str, messy_lake.Table]) -> None:
    from tests.messy import phrases

    answers = _column(tables["survey/open_answers.csv"], "自由回答")
    for pool in (phrases.SURVEY_BELIEF, phrases.SURVEY_LABOR, phrases.SURVEY_POLITICAL):
        share = sum(any(t in a for t in pool) for a in answers) / len(answers)
        assert 0.01 <= share <= 0.04, pool[0]


def test_quasi_identifier_table_needs_the_date_of_birth(tables: dict[str, messy_lake.Table]) -> None:
    rows = tables["stats/visitors.csv"].rows
    zip_sex: dict[tuple[object, object], int] = {}
    for r in rows:
        zip_sex[(r["郵便番号"], r["性別"])] = zip_sex.get((r["郵便番号"], r["性別"]), 0) + 1
    assert min(zip_sex.values()) >= 5  # postal code and sex alone do not single anyone out
    triples = {(r["生年月日"], r["郵便番号"], r["性別"]) for r in rows}
    assert len(triples) / len(rows) > 0.9  # with the date of birth nearly everyone is unique


def test_written_files_use_their_formats_and_encodings(tmp_path: Path) -> None:
    messy_lake.write_lake(tmp_path, seed=1)
    remarks = (tmp_path / "sales/order_remarks.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        remarks.decode("utf-8")
    header = next(csv.reader(io.StringIO(remarks.decode("cp932"))))
    assert header == list(GOLDEN["sales/order_remarks.csv"])
    assert pq.read_table(tmp_path / "hr/payroll.parquet").num_rows == 400
    first = json.loads((tmp_path / "support/inquiries.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert isinstance(first["customer"]["contact"], dict)


# --- the scorer ----------------------------------------------------------------------------------------


def _report(labels: dict[str, dict[str, set[str]]], high: dict[str, bool] | None = None,
            qi: frozenset[tuple[str, str]] = frozenset()) -> dict[str, Any]:
    return {"datasets": [
        {"dataset": d, "columns": [
            {"name": c, "categories": sorted(cats), "quasi_identifier": (d, c) in qi} for c, cats in cols.items()
        ], "quasi_identifier_sets": [{"risk": "high"}] if (high or {}).get(d) else []}
        for d, cols in labels.items()
    ]}


def test_scorer_gives_a_perfect_report_full_marks() -> None:
    labels = {d: {c: set(label.categories) for c, label in cols.items()} for d, cols in GOLDEN.items()}
    qi = frozenset((d, c) for d, cols in GOLDEN.items() for c, label in cols.items() if label.quasi_identifier)
    result = evaluate(_report(labels, {d: v for d, v in HIGH_RISK_QI.items()}, qi))
    assert (result.micro.precision, result.micro.recall) == (1.0, 1.0)
    assert (result.columns.precision, result.columns.recall) == (1.0, 1.0)
    assert not result.decoys_tagged
    assert result.qi_right == len(result.qi)


def test_scorer_counts_misses_false_positives_and_decoys() -> None:
    labels = {d: {c: set(label.categories) for c, label in cols.items()} for d, cols in GOLDEN.items()}
    labels["ec/members.csv"]["電話番号"] = set()  # one personal column missed
    labels["master/partners.parquet"]["取引先名"] = {"personal"}  # one decoy tagged
    del labels["kb/articles.parquet"]  # a dataset missing from the report: its columns reported nothing
    result = evaluate(_report(labels))
    personal = result.per_category["personal"]
    assert (personal.fn, personal.fp) == (1, 1)
    assert [(o.dataset, o.column) for o in result.decoys_tagged] == [("master/partners.parquet", "取引先名")]
    assert result.missing_datasets == ("kb/articles.parquet",)
    assert result.columns.fn == 1 and result.columns.fp == 1
    assert not any(o.under_detected for o in result.outcomes)  # no entities given: ratio unknown, nothing flagged
    wrong = {q.subject for q in result.qi if not q.ok}
    assert "stats/visitors.csv" in wrong and "kb/articles.parquet" in wrong  # high risk not reported; missing


def test_scorer_flags_a_dense_column_found_on_few_values() -> None:
    report = {"datasets": [{"dataset": "campaign/entries.csv", "columns": [
        {"name": "携帯番号", "categories": ["personal"], "entities": [{"type": "PHONE_NUMBER", "ratio": 0.4}]},
        {"name": "メール", "categories": ["personal"], "entities": [{"type": "EMAIL_ADDRESS", "ratio": 0.95}]},
    ]}]}
    weak = [(o.column, o.best_ratio) for o in evaluate(report).outcomes if o.under_detected]
    assert weak == [("携帯番号", 0.4)]


# --- floors on the current scanner -----------------------------------------------------------------------

# Measured on main after the issue-11 detection fixes (2026-11-30, seed 0: columns P 0.967 / R 1.000,
# categories P 0.938 / R 0.984, 2 of 25 decoys tagged, 6/6 QI verdicts), minus 0.02. Precision floors only
# where the category has predictions; recall floors only where it has support.
FLOORS_CATEGORY: dict[str, tuple[float, float]] = {  # category: (precision, recall)
    "personal": (0.893, 0.980),
    "identifier_code": (0.980, 0.980),
    "credential": (0.980, 0.980),
    "financial": (0.980, 0.980),
    "attribute": (0.880, 0.980),
    "device": (0.980, 0.980),
    "location": (0.980, 0.980),
    "behavioral": (0.980, 0.980),
    "sensitive.belief": (0.980, 0.980),
    "sensitive.social_status": (0.980, 0.980),
    "sensitive.labor": (0.980, 0.980),
    "sensitive.political": (0.980, 0.980),
    "sensitive.health": (0.780, 0.780),
}
FLOOR_MICRO = (0.918, 0.964)  # precision, recall over (dataset, column, category)
FLOOR_COLUMNS = (0.947, 0.980)  # precision, recall over columns
MAX_DECOYS_TAGGED = 2  # of 25
MIN_QI_RIGHT = 6  # of 6
# Dense columns (every value is the item) whose best entity covers under 90 % of the values: 2 measured;
# ratios move by a few thousandths between runs (NER sampling) and columns sit near 0.9, so one more is allowed.
MAX_UNDER_DETECTED = 3


@pytest.mark.slow
def test_scanner_scores_at_least_the_floors_on_the_messy_lake(tmp_path: Path) -> None:
    result = run(tmp_path / "lake", tmp_path / "out", seed=0)
    assert not result.missing_datasets
    assert result.micro.precision >= FLOOR_MICRO[0] and result.micro.recall >= FLOOR_MICRO[1]
    assert result.columns.precision >= FLOOR_COLUMNS[0] and result.columns.recall >= FLOOR_COLUMNS[1]
    for category, (precision, recall) in FLOORS_CATEGORY.items():
        score = result.per_category[category]
        assert score.precision >= precision, (category, score.precision)
        assert score.recall >= recall, (category, score.recall)
    assert len(result.decoys_tagged) <= MAX_DECOYS_TAGGED
    assert result.qi_right >= MIN_QI_RIGHT
    assert sum(o.under_detected for o in result.outcomes) <= MAX_UNDER_DETECTED
