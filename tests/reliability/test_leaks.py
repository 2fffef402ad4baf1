"""Nothing raw leaves the process: scan a lake of known values and grep every output for them.

Outputs: report.json/md/html, the findings catalog (DuckDB file bytes), the gate's verdict.json, every
log record (caplog at DEBUG), and the messages of the errors raised for broken files holding values.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline.errors import ReadError
from pipeline.gate import check
from pipeline.readers import iter_batches
from pipeline.report import write_report
from pipeline.settings import ReadingSettings
from pipeline.sources import discover
from recognizers.checksums import luhn_check_digit, my_number_check_digit

SURNAMES = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健太", "陽子", "大輔", "由美"]


def known_values(seed: int = 8, rows: int = 60) -> dict[str, list[str]]:
    rng = random.Random(seed)
    my_numbers, cards = [], []
    for _ in range(rows):
        first11 = "".join(rng.choice("0123456789") for _ in range(11))
        my_numbers.append(first11 + str(my_number_check_digit(first11)))
        payload = "4" + "".join(rng.choice("0123456789") for _ in range(14))
        cards.append(payload + str(luhn_check_digit(payload)))
    return {
        "氏名": [f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}" for _ in range(rows)],
        "電話番号": [f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}" for _ in range(rows)],
        "メールアドレス": [f"leakcheck.{rng.randint(10**6, 10**7)}@example.co.jp" for _ in range(rows)],
        "マイナンバー": my_numbers,
        "card": cards,
        "備考": [f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}様は東京都千代田区丸の内{rng.randint(1, 9)}-{rng.randint(1, 9)}にお住まいです。" for _ in range(rows)],
    }


def needles(values: dict[str, list[str]]) -> set[str]:
    """Every raw value, plus the digits of identifiers (a leak could drop the separators)."""
    found: set[str] = set()
    for column, items in values.items():
        for item in items:
            if column == "氏名":
                found.update(item.split(" "))  # a surname or given name alone is short; check the full name below
                found.add(item.replace(" ", ""))
            found.add(item)
            digits = "".join(ch for ch in item if ch.isdigit())
            if len(digits) >= 8:
                found.add(digits)
    # Single name parts are 2 characters and also appear in the policy texts; keep only full values.
    return {n for n in found if len(n) >= 5}


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    root = tmp_path_factory.mktemp("leaks") / "lake"
    (root / "crm").mkdir(parents=True)
    values = known_values()
    pq.write_table(pa.table(values), root / "crm" / "customers.parquet")
    header = ",".join(values)
    lines = [",".join(row) for row in zip(*values.values(), strict=True)]
    (root / "crm" / "customers.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    # Broken files that hold values: their error messages must not quote them.
    (root / "broken.jsonl").write_text('{{"email": "{}"\n'.format(values["メールアドレス"][0]), encoding="utf-8")
    (root / "ragged.csv").write_text("a,b\n{},{},{}\n".format(values["電話番号"][0], values["card"][0], values["氏名"][0]), encoding="utf-8")
    return root, values


def assert_clean(text: str, found: set[str], where: str) -> None:
    leaked = sorted(n for n in found if n in text)
    assert not leaked, f"{where} holds {len(leaked)} raw values"


@pytest.mark.slow
def test_no_output_holds_a_raw_value(
    lake: tuple[Path, dict[str, list[str]]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root, values = lake
    found = needles(values)
    catalog = tmp_path / "catalog.duckdb"
    with caplog.at_level("DEBUG"):
        report = pipeline.scan(str(root), scheduler="sync", catalog=catalog)  # default config: NER on
        out = tmp_path / "out"
        write_report(report, out)
        verdict = check(str(root), "third_party", scheduler="sync")
    # The scan did find the data (else this test would prove nothing).
    columns = {c.name: c for d in report.datasets if d.dataset == "crm/customers.parquet" for c in d.columns}
    assert "identifier_code" in columns["マイナンバー"].categories
    assert any(e.examples for e in columns["電話番号"].entities)

    for name in ("report.json", "report.md", "report.html"):
        assert_clean((out / name).read_text(encoding="utf-8"), found, name)
    assert_clean(json.dumps(verdict.to_dict(), ensure_ascii=False), found, "verdict")
    assert_clean(repr(report), found, "repr(report)")
    assert_clean(report.to_pandas().to_csv(), found, "report.to_pandas()")
    assert_clean(report._repr_html_(), found, "notebook HTML")
    if catalog.exists():
        raw = catalog.read_bytes()
        for needle in found:
            assert needle.encode("utf-8") not in raw, "the catalog file holds a raw value"
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert_clean(logs, found, "log records")


def test_read_error_messages_hold_no_values(lake: tuple[Path, dict[str, list[str]]]) -> None:
    root, values = lake
    found = needles(values) | {values["メールアドレス"][0]}
    refs, _ = discover([str(root / "broken.jsonl"), str(root / "ragged.csv")])
    messages = []
    for ref in refs:
        for file in ref.files:
            try:
                list(iter_batches(file, ReadingSettings()))
            except ReadError as exc:
                messages += [str(exc), repr(exc), exc.problem]
    assert len(messages) == 6  # both files raised
    assert_clean("\n".join(messages), found, "ReadError messages")
