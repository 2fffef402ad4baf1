"""The sample lake generator, its golden labels and the evaluator."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.datagen.evaluate import evaluate, normalise_dataset_name
from tests.datagen.golden import CATEGORY_IDS, GOLDEN, PARTITION_COLUMNS
from tests.datagen.lake import (
    corporate_check_digit,
    dataset_name,
    generate_lake,
    gs1_check_digit,
    license_check_digit,
    luhn_check_digit,
    luhn_valid,
    mynumber_check_digit,
    to_era,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lake")
    generate_lake(out, seed=7, rows=300)
    return out


def _csv_rows(path: Path, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


def _jsonl_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _columns(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        return list(pq.read_schema(path).names)
    if path.suffix == ".jsonl":
        return list(_jsonl_rows(path)[0])
    encoding = "cp932" if path.parts[-2] in ("hr", "ids") else "utf-8-sig"
    return list(_csv_rows(path, encoding)[0])


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", text))


def _files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.rglob("*")) if p.is_file())


# ---------------------------------------------------------------- check-digit functions (known answers)


@pytest.mark.parametrize(
    ("number", "valid"),
    [("123456789018", True), ("621498320257", True), ("123456789012", False)],
)
def test_mynumber_check_digit_known_answers(number: str, valid: bool) -> None:
    assert (mynumber_check_digit(number[:11]) == int(number[11])) is valid


@pytest.mark.parametrize("number", ["7000012050002", "8000020132055", "1180301018771"])
def test_corporate_check_digit_known_answers(number: str) -> None:
    assert corporate_check_digit(number[1:]) == int(number[0])


def test_license_luhn_gs1_known_answers() -> None:
    assert license_check_digit("3090123456") == 2
    assert luhn_valid("3530111333300000") and luhn_valid("01040013") and not luhn_valid("01040014")
    assert luhn_check_digit("0104001") == 3
    assert gs1_check_digit("490123456789") == 4  # 4901234567894


@pytest.mark.parametrize(
    ("day", "era"),
    [
        (date(1985, 12, 24), "昭和60年12月24日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 5, 1), "令和元年5月1日"),
    ],
)
def test_to_era(day: date, era: str) -> None:
    assert to_era(day) == era


# ---------------------------------------------------------------- the lake


def test_same_seed_same_bytes_other_seed_differs(lake: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    other = tmp_path / "other"
    generate_lake(again, seed=7, rows=300)
    generate_lake(other, seed=8, rows=300)
    names = [p.relative_to(lake) for p in _files(lake)]
    assert names == [p.relative_to(again) for p in _files(again)]
    for name in names:
        assert (lake / name).read_bytes() == (again / name).read_bytes(), name
    assert (lake / "crm/customers.parquet").read_bytes() != (other / "crm/customers.parquet").read_bytes()


def test_returns_every_file_written(lake: Path, tmp_path: Path) -> None:
    written = generate_lake(tmp_path / "l", rows=20)
    assert written == sorted(_files(tmp_path / "l"))
    assert len(written) == 15


@pytest.mark.parametrize("relative", ["hr/employees.csv", "ids/identity_docs.csv"])
def test_cp932_files(lake: Path, relative: str) -> None:
    raw = (lake / relative).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp932")
    assert "\r\n" in text and text.count("\n") == text.count("\r\n")


def test_bom_file(lake: Path) -> None:
    raw = (lake / "support/tickets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert _columns(lake / "support/tickets.csv")[0] == "ticket_id"


def test_identifiers_valid(lake: Path) -> None:
    employees = _csv_rows(lake / "hr/employees.csv", "cp932")
    assert all(mynumber_check_digit(r["マイナンバー"][:11]) == int(r["マイナンバー"][11]) for r in employees)
    assert all(re.fullmatch(r"[0-9]{4}-[0-9]{6}", r["基礎年金番号"]) for r in employees)

    export_c = pq.read_table(lake / "partner/export_c.parquet").to_pydict()
    for number in map(_digits, export_c["c4"]):
        assert len(number) == 12 and mynumber_check_digit(number[:11]) == int(number[11])
    orders = _csv_rows(lake / "sales/orders.csv", "utf-8")
    for card in [_digits(r["card_number"]) for r in orders] + [_digits(c) for c in export_c["c5"]]:
        assert len(card) == 16 and luhn_valid(card) and card[0] in "34"
    for jan in [r["jan_code"] for r in orders]:
        assert len(jan) == 13 and gs1_check_digit(jan[:12]) == int(jan[12])

    products = _csv_rows(lake / "catalog/products.csv", "utf-8")
    for row in products:
        corp, jan = row["メーカー法人番号"], row["JANコード"]
        assert len(corp) == 13 and corporate_check_digit(corp[1:]) == int(corp[0])
        assert len(jan) == 13 and gs1_check_digit(jan[:12]) == int(jan[12])
    # company contact numbers repeat across many rows
    assert Counter(r["メーカー問い合わせ先"] for r in products).most_common(1)[0][1] >= 10

    for row in _csv_rows(lake / "ids/identity_docs.csv", "cp932"):
        licence = row["運転免許証番号"]
        assert re.fullmatch(r"[0-9]{12}", licence) and license_check_digit(licence[:10]) == int(licence[10])
        assert re.fullmatch(r"[0-9]{8}", row["保険者番号"]) and luhn_valid(row["保険者番号"])
        assert re.fullmatch(r"[A-Z]{2}[0-9]{7}", row["旅券番号"])
        assert re.fullmatch(r"[A-Z]{2}[0-9]{8}[A-Z]{2}", row["在留カード番号"])

    for row in _csv_rows(lake / "en/contacts.csv", "utf-8"):
        area, group, serial = _digits(row["ssn"])[:3], _digits(row["ssn"])[3:5], _digits(row["ssn"])[5:]
        assert area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"

    users = pq.read_table(lake / "accounts/users.parquet").to_pydict()
    assert all(re.fullmatch(r"\$2b\$12\$[./A-Za-z0-9]{53}", h) for h in users["password_hash"])


def test_product_codes_are_decoys(lake: Path) -> None:
    codes = [r["product_code"] for r in _csv_rows(lake / "sales/orders.csv", "utf-8")]
    codes += pq.read_table(lake / "partner/export_c.parquet").to_pydict()["c6"]
    for code in codes:
        assert re.fullmatch(r"[0-9]{12}", code)
        assert mynumber_check_digit(code[:11]) != int(code[11])


def test_weblogs_partitions_and_ranges(lake: Path) -> None:
    parts = sorted((lake / "weblogs").glob("dt=*/part-0.jsonl"))
    assert [p.parent.name for p in parts] == ["dt=2026-11-01", "dt=2026-11-02"]
    rows = [r for p in parts for r in _jsonl_rows(p)]
    assert all(24 <= r["latitude"] <= 46 and 122 <= r["longitude"] <= 154 for r in rows)
    assert any(":" in r["client_ip"] for r in rows) and any("." in r["client_ip"] for r in rows)
    assert {r["status"] for r in rows} == {200, 404}
    assert all(dataset_name(p, lake) == "weblogs" for p in parts)


def test_survey_and_tickets_shares(lake: Path) -> None:
    survey = [r["自由記述"] for r in _jsonl_rows(lake / "survey/responses.jsonl")]
    religion = [t for t in survey if re.search("教|信仰", t)]
    health = [t for t in survey if re.search("病|通院|妊娠|入院|手術|薬|皮膚炎", t)]
    assert len(religion) >= 3 and 0.10 <= len(health) / len(survey) <= 0.20
    bodies = [r["本文"] for r in _csv_rows(lake / "support/tickets.csv", "utf-8-sig")]
    personal = [b for b in bodies if "様" in b]
    assert 0.3 <= len(personal) / len(bodies) <= 0.5
    assert all(" " not in b for b in personal)  # embedded without spaces


def test_generalised_export_is_5_anonymous_raw_is_not(lake: Path) -> None:
    general = pq.read_table(lake / "partner/generalised_export.parquet").to_pydict()
    classes = Counter(zip(*general.values(), strict=True))
    assert min(classes.values()) >= 5 and len(general["年代"]) >= 1500
    raw = pq.read_table(lake / "partner/raw_export.parquet").to_pydict()
    assert len(raw["年齢"]) >= 2000
    raw_classes = Counter(zip(raw["年齢"], raw["郵便番号"], raw["職業"], raw["性別"], strict=True))
    assert sum(1 for n in raw_classes.values() if n == 1) / len(raw["年齢"]) > 0.9


def test_golden_covers_every_column_of_every_table(lake: Path) -> None:
    found: dict[str, set[str]] = {}
    for path in _files(lake):
        found.setdefault(dataset_name(path, lake), set()).update(_columns(path))
    assert set(found) == set(GOLDEN)
    for dataset, columns in found.items():
        assert columns == set(GOLDEN[dataset]) - PARTITION_COLUMNS.get(dataset, frozenset()), dataset
    used = {c for columns in GOLDEN.values() for cats in columns.values() for c in cats}
    assert used <= set(CATEGORY_IDS)


def test_generation_is_fast(tmp_path: Path) -> None:
    import time

    started = time.perf_counter()
    generate_lake(tmp_path, rows=300)
    assert time.perf_counter() - started < 3.0


def test_cli_writes_lake(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.datagen.lake", str(tmp_path / "cli"), "--seed", "3", "--rows", "10"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cli/weblogs/dt=2026-11-02/part-0.jsonl").is_file()


# ---------------------------------------------------------------- the evaluator


def _report_from(labels: dict[str, dict[str, frozenset[str]]]) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "datasets": [
            {
                "dataset": dataset,
                "columns": [{"name": c, "categories": sorted(cats)} for c, cats in columns.items()],
                "quasi_identifier_sets": (
                    [{"columns": ["年齢", "郵便番号"], "k_min": 1, "unique_ratio": 0.9, "risk": "high"}]
                    if dataset == "partner/raw_export.parquet" else []
                ),
            }
            for dataset, columns in labels.items()
        ],
    }


def test_evaluate_perfect_report() -> None:
    result = evaluate(_report_from({d: dict(c) for d, c in GOLDEN.items()}))
    assert result.precision == result.recall == result.f1 == 1.0
    assert all(s.precision == s.recall == 1.0 for s in result.per_category.values())
    assert result.mismatches == () and result.missing_datasets == ()
    assert all(q.ok for q in result.qi_checks)
    assert result.columns_exact == result.columns_total


def test_evaluate_degraded_report() -> None:
    degraded = {d: dict(c) for d, c in GOLDEN.items()}
    degraded["crm/customers.parquet"]["氏名"] = frozenset()  # a miss
    degraded["catalog/products.csv"]["メーカー問い合わせ先"] = frozenset({"personal"})  # a false alarm
    degraded["hr/employees.csv"]["マイナンバー"] = frozenset({"credential"})  # both
    del degraded["metrics/daily_kpi.csv"]
    result = evaluate(_report_from(degraded))
    assert result.precision < 1.0 and result.recall < 1.0
    personal = result.per_category["personal"]
    assert personal.fn == 1 and personal.fp == 1
    assert result.per_category["identifier_code"].recall < 1.0
    assert result.per_category["credential"].precision < 1.0
    assert {(m.dataset, m.column) for m in result.mismatches} >= {
        ("crm/customers.parquet", "氏名"), ("catalog/products.csv", "メーカー問い合わせ先"),
        ("hr/employees.csv", "マイナンバー"),
    }
    assert result.missing_datasets == ("metrics/daily_kpi.csv",)


def test_evaluate_merges_partitions_and_lists_unknown_columns() -> None:
    report = _report_from({d: dict(c) for d, c in GOLDEN.items() if d != "weblogs"})
    for day in ("2026-11-01", "2026-11-02"):
        report["datasets"].append({
            "dataset": f"./weblogs/dt={day}/part-0.jsonl",
            "columns": [{"name": c, "categories": sorted(cats)} for c, cats in GOLDEN["weblogs"].items()
                        if c != "dt"] + [{"name": "extra", "categories": []}],
        })
    result = evaluate(report)
    assert result.f1 == 1.0 and result.mismatches == ()
    assert result.unexpected_columns == (("weblogs", "extra"),)


def test_normalise_dataset_name() -> None:
    known = list(GOLDEN)
    assert normalise_dataset_name("sample_lake/crm/customers.parquet", known) == "crm/customers.parquet"
    assert normalise_dataset_name("weblogs\\dt=2026-11-01\\part-0.jsonl", known) == "weblogs"
    assert normalise_dataset_name("weblogs/", known) == "weblogs"


def test_evaluate_cli(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    perfect = _report_from({d: dict(c) for d, c in GOLDEN.items()})
    report.write_text(json.dumps(perfect, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tests.datagen.evaluate", str(report)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "precision" in done.stdout and "all" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "tests.datagen.evaluate", str(tmp_path / "nope.json")],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert bad.returncode == 2
