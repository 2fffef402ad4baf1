"""Fixtures for the report tests: a hand-built report with every section, and a real scan of a small lake."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.api import scan
from pipeline.models import ColumnResult, DatasetResult, EntityFinding, QuasiIdentifierSet, ScanIssue
from pipeline.report import ScanReport, write_report
from pipeline.verdict import BlockingReason, Verdict
from tests.datagen.lake import generate_lake

# A blocked verdict as the gate builds it: a rule broken, a file it could not read.
VERDICT = Verdict(
    destination="third_party",
    decision="blocked",
    checked_at="2026-11-25T03:01:00Z",
    policy_path="configs/policy.yaml",
    policy_sha256="ab" * 32,
    datasets=("crm/customers.parquet",),
    reasons=(
        BlockingReason(
            dataset="crm/customers.parquet",
            columns=("氏名",),
            rule="consent_required",
            category="personal",
            policy_sentence="We will not provide personal information to third parties without consent.",
            detail="氏名 is personal and no consent column was given",
        ),
        BlockingReason(
            dataset="crm/customers.parquet",
            columns=(),
            rule="blocked_category",
            policy_sentence="Special care-required personal information is not shared.",
            detail="",
            reading="drop the column",
        ),
    ),
    problems=(ScanIssue("broken.csv", "not UTF-8", "read_error"),),
)


def _column(name: str, categories: tuple[str, ...], entity: str | None, *, qi: bool = False) -> ColumnResult:
    entities = (
        (EntityFinding(entity, score=0.93, ratio=0.97, evidence=("values", "column_name"), examples=("山* **", "田* **")),)
        if entity
        else ()
    )
    return ColumnResult(
        name=name,
        categories=categories,
        entities=entities,
        quasi_identifier=qi,
        explanation=f"Column '{name}' explained." if entity else f"No personal data found in '{name}'.",
        data_type="string",
        non_null=100,
    )


@pytest.fixture()
def hand_report() -> ScanReport:
    """Two datasets covering every section: tags, sensitive tags, a QI set, dataset and global errors."""
    customers = DatasetResult(
        dataset="crm/customers.parquet",
        format="parquet",
        rows_total=100,
        rows_scanned=100,
        columns=(
            _column("氏名", ("personal",), "PERSON"),
            _column("病歴", ("sensitive.health",), "MEDICAL"),
            _column("年齢", ("attribute",), "AGE", qi=True),
            _column("note|<script>alert(1)</script>", (), None),
        ),
        quasi_identifier_sets=(QuasiIdentifierSet(("年齢", "郵便番号"), k_min=1, unique_ratio=0.82, risk="high"),),
        errors=(ScanIssue("crm/customers.parquet", "row group 3 unreadable", "read_error"),),
    )
    kpi = DatasetResult(
        dataset="metrics/daily_kpi.csv",
        format="csv",
        rows_total=10,
        rows_scanned=10,
        columns=(_column("pageviews", (), None),),
    )
    return ScanReport(
        datasets=(customers, kpi),
        errors=(ScanIssue("broken.csv", "not UTF-8, CP932 or Shift_JIS", "read_error"),),
        started_at="2026-11-25T03:00:00Z",
        finished_at="2026-11-25T03:00:41Z",
        policy_path="configs/policy.yaml",
        policy_sha256="ab" * 32,
    )


@dataclass(frozen=True)
class ScannedLake:
    lake: Path
    out: Path
    report: ScanReport


@pytest.fixture(scope="session")
def scanned_lake(tmp_path_factory: pytest.TempPathFactory) -> ScannedLake:
    """A small seeded lake plus one unreadable file, scanned in-process and written with a verdict."""
    lake = tmp_path_factory.mktemp("report-lake")
    generate_lake(lake, seed=11, rows=40)
    (lake / "broken.parquet").write_bytes(b"PAR1 not really parquet")
    report = scan(lake, scheduler="sync")
    out = tmp_path_factory.mktemp("report-out")
    write_report(report, out, verdict=VERDICT)
    return ScannedLake(lake=lake, out=out, report=report)
