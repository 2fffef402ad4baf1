"""Every kind of bad or odd input: the bad file gets its own entry in ``errors`` (what and where), and
the other files are still scanned. Odd-but-valid files scan cleanly with their columns reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import pipeline
from pipeline.report import ScanReport
from tests.reliability.badfiles import BUILDERS, GOOD_NAME, Expected, write_good
from tests.reliability.conftest import NO_NER_CONFIG


def scan_lake(lake: Path) -> ScanReport:
    return pipeline.scan(str(lake), config=NO_NER_CONFIG, scheduler="sync")


def all_issues(report: ScanReport) -> list[tuple[str, str]]:
    return [(e.path, e.message) for e in report.errors] + [
        (e.path, e.message) for d in report.datasets for e in d.errors
    ]


def columns_of(report: ScanReport, dataset: str) -> list[str]:
    (found,) = [d for d in report.datasets if d.dataset == dataset]
    return [c.name for c in found.columns]


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    root = tmp_path / "lake"
    root.mkdir()
    write_good(root)
    return root


# 5,000 columns has its own test below (the slowest case; no need to scan it twice).
@pytest.mark.parametrize("case", sorted(set(BUILDERS) - {"many_columns"}))
def test_bad_input_is_reported_per_file_and_the_rest_is_scanned(
    case: str, lake: Path, deny_reading: Callable[[str], None]
) -> None:
    expected = BUILDERS[case](lake)
    if case == "permission_denied":
        deny_reading("secret.csv")
    report = scan_lake(lake)

    # The good file is always scanned and classified.
    good = {c.name: c for d in report.datasets if d.dataset == GOOD_NAME for c in d.columns}
    assert "personal" in good["氏名"].categories
    assert "personal" in good["電話番号"].categories

    issues = all_issues(report)
    if expected is None:
        assert issues == [], f"{case}: valid input reported as an error"
        assert not report.has_errors
        return
    matching = [(path, message) for path, message in issues if path.endswith(expected.file)]
    assert matching, f"{case}: no error entry names {expected.file}: {issues}"
    assert any(expected.says in message for _, message in matching), matching
    assert report.has_errors
    if expected.dataset_columns:
        assert columns_of(report, expected.file) == list(expected.dataset_columns)


def test_path_that_does_not_exist(lake: Path) -> None:
    report = pipeline.scan([str(lake), str(lake / "nope")], config=NO_NER_CONFIG, scheduler="sync")
    assert [(e.path, e.message) for e in report.errors] == [(str(lake / "nope"), "path does not exist")]
    assert [d.dataset for d in report.datasets] == [GOOD_NAME]


def test_invalid_utf8_keeps_the_rest_of_the_file(lake: Path) -> None:
    BUILDERS["invalid_utf8"](lake)
    report = scan_lake(lake)
    (dataset,) = [d for d in report.datasets if d.dataset == "invalid_utf8.csv"]
    assert dataset.rows_scanned == 52  # every row, the broken one decoded with U+FFFD
    email = next(c for c in dataset.columns if c.name == "email")
    assert "personal" in email.categories
    (issue,) = dataset.errors
    first_bad_byte = Path(issue.path).read_bytes().index(b"\xff")
    assert f"byte {first_bad_byte}" in issue.message  # where the first invalid byte is, never what


def test_mixed_encodings_decode_each_line_in_its_own_encoding(lake: Path) -> None:
    BUILDERS["mixed_encodings"](lake)
    report = scan_lake(lake)
    (dataset,) = [d for d in report.datasets if d.dataset == "mixed.csv"]
    assert dataset.rows_scanned == 40
    address = next(c for c in dataset.columns if c.name == "住所")
    # Both halves decoded: the Osaka rows (CP932) count as addresses too.
    assert "JP_ADDRESS" in {e.type for e in address.entities}
    assert next(e for e in address.entities if e.type == "JP_ADDRESS").ratio == pytest.approx(1.0)


def test_nested_parquet_is_flattened_to_paths(lake: Path) -> None:
    BUILDERS["nested_parquet"](lake)
    report = scan_lake(lake)
    names = columns_of(report, "nested.parquet")
    assert names == ["user.email", "user.tags[]", "phones[]", "attrs[].key", "attrs[].value"]
    columns = {c.name: c for d in report.datasets for c in d.columns if d.dataset == "nested.parquet"}
    assert "personal" in columns["user.email"].categories
    assert "personal" in columns["phones[]"].categories


def test_binary_holding_utf8_is_scanned_as_text(lake: Path) -> None:
    BUILDERS["binary_columns"](lake)
    report = scan_lake(lake)
    columns = {c.name: c for d in report.datasets for c in d.columns if d.dataset == "binary.parquet"}
    assert "personal" in columns["text_as_binary"].categories
    assert columns["blob"].data_type == "binary"
    assert columns["blob"].categories == ()


def test_duplicate_column_names_are_reported_separately(lake: Path) -> None:
    BUILDERS["duplicate_columns"](lake)
    report = scan_lake(lake)
    assert columns_of(report, "dup.csv") == ["email", "email.1", "column_3"]
    assert columns_of(report, "dup.parquet") == ["id", "id.1"]


def test_decimal_timestamp_dictionary_types(lake: Path) -> None:
    BUILDERS["typed_parquet"](lake)
    report = scan_lake(lake)
    columns = {c.name: c for d in report.datasets for c in d.columns if d.dataset == "typed.parquet"}
    assert set(columns) == {"amount", "seen_at", "born", "prefecture"}
    assert columns["amount"].non_null == 2
    assert columns["seen_at"].data_type.startswith("timestamp")
    assert "JP_PREFECTURE" in {e.type for e in columns["prefecture"].entities}


def test_schema_drift_between_partitions_merges_columns(lake: Path) -> None:
    BUILDERS["schema_drift"](lake)
    report = scan_lake(lake)
    (events,) = [d for d in report.datasets if d.dataset == "events"]
    assert events.rows_total == 6
    assert {c.name for c in events.columns} == {"id", "email", "phone"}


def test_huge_cell_is_read_with_bigger_blocks(lake: Path) -> None:
    BUILDERS["huge_cell"](lake)
    report = scan_lake(lake)
    (dataset,) = [d for d in report.datasets if d.dataset == "huge_cell.csv"]
    assert dataset.rows_scanned == 6
    email = next(c for c in dataset.columns if c.name == "email")
    assert email.non_null == 6


@pytest.mark.slow
def test_five_thousand_columns(lake: Path) -> None:
    BUILDERS["many_columns"](lake)
    report = scan_lake(lake)
    assert len(columns_of(report, "wide.csv")) == 5000
    assert not report.has_errors
    assert "personal" in {cat for d in report.datasets if d.dataset == GOOD_NAME for c in d.columns for cat in c.categories}


def test_ragged_rows_keep_the_good_rows(lake: Path) -> None:
    BUILDERS["ragged_rows"](lake)
    report = scan_lake(lake)
    (dataset,) = [d for d in report.datasets if d.dataset == "ragged.csv"]
    assert dataset.rows_scanned == 2
    (issue,) = dataset.errors
    assert "rows with the wrong number of fields skipped: 2" in issue.message
    # Never the row's content.
    assert "6,7,8,9" not in issue.message


def test_header_only_file_has_its_columns_and_no_rows(lake: Path) -> None:
    BUILDERS["header_only"](lake)
    report = scan_lake(lake)
    (dataset,) = [d for d in report.datasets if d.dataset == "header_only.csv"]
    assert dataset.rows_total == 0


def test_expected_errors_name_existing_builders() -> None:
    # Guards the table itself: every builder either expects an error or a clean scan.
    for name, builder in BUILDERS.items():
        assert callable(builder), name
    assert isinstance(Expected("a", "b"), Expected)
