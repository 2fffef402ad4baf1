"""A big CSV/TSV/JSONL file is profiled as byte ranges cut at line ends; merged, they equal the whole file."""

from __future__ import annotations

import gzip
import io
import json
import logging
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pytest

from bench.run import crm_table
from pipeline import api, partition, quasi_select
from pipeline.detect import profile_file
from pipeline.profile_model import FileProfile, merge_profiles
from pipeline.readers import ByteRange, _ByteRangeReader, range_quotes
from pipeline.report import ScanReport
from pipeline.settings import ReadingSettings, load_scan_settings
from pipeline.sources import DataFile

SETTINGS = load_scan_settings()
ROWS = 900


def _file(path: Path, fmt: str, compression: str | None = None) -> DataFile:
    return DataFile(url=str(path), format=fmt, compression=compression, size=path.stat().st_size, mtime="")


def _csv_text(delimiter: str = ",") -> str:
    out = io.BytesIO()
    pacsv.write_csv(crm_table(ROWS, seed=3), out, pacsv.WriteOptions(delimiter=delimiter, quoting_style="needed"))
    return out.getvalue().decode("utf-8")


def _jsonl_text() -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in crm_table(ROWS, seed=5).to_pylist())


def _write(tmp_path: Path, name: str, text: str, encoding: str, newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def _split_profile(file: DataFile, split_bytes: int) -> tuple[FileProfile, list[Any]]:
    parts = partition.file_parts(file, split_bytes=split_bytes)
    assert parts is not None and len(parts) >= 4
    profiles = [profile_file(file, SETTINGS, None, part, len(parts)) for part in parts]
    return merge_profiles(profiles, SETTINGS), parts


def _assert_same(split: FileProfile, whole: FileProfile) -> None:
    assert split.rows == whole.rows == ROWS
    assert not whole.issues and not split.issues
    assert split.files == whole.files
    assert list(split.columns) == list(whole.columns)
    for name, column in whole.columns.items():
        other = split.columns[name]
        assert other.sketch == column.sketch, name
        assert other.distinct_estimate == column.distinct_estimate, name
        assert {e: (t.rows, t.examples) for e, t in other.entities.items()} == {
            e: (t.rows, t.examples) for e, t in column.entities.items()
        }, name
    assert any(column.entities for column in whole.columns.values())


@pytest.mark.parametrize(
    ("name", "fmt", "encoding", "newline"),
    [
        ("utf8.csv", "csv", "utf-8", "\n"),
        ("sjis.csv", "csv", "cp932", "\n"),
        ("bom.csv", "csv", "utf-8-sig", "\n"),
        ("crlf.csv", "csv", "utf-8", "\r\n"),
        ("sjis_crlf.tsv", "tsv", "cp932", "\r\n"),
        ("rows.jsonl", "jsonl", "utf-8", "\n"),
        ("sjis.jsonl", "jsonl", "cp932", "\r\n"),
    ],
)
def test_byte_ranges_merge_to_the_whole_file(tmp_path: Path, name: str, fmt: str, encoding: str, newline: str) -> None:
    text = _jsonl_text() if fmt == "jsonl" else _csv_text("\t" if fmt == "tsv" else ",")
    file = _file(_write(tmp_path, name, text, encoding, newline), fmt)
    whole = profile_file(file, SETTINGS, None)
    # an odd split size: cuts fall mid-line, mid-character (CP932/UTF-8) and between \r and \n
    split, parts = _split_profile(file, file.size // 6 + 7)
    assert all(isinstance(part, ByteRange) and part.encoding == parts[0].encoding for part in parts)
    assert parts[0].encoding == {"utf-8-sig": "utf-8-sig", "cp932": "cp932"}.get(encoding, "utf-8")
    assert (parts[0].header != b"") == (fmt != "jsonl")
    _assert_same(split, whole)


@pytest.mark.parametrize("split_bytes", [1, 2, 3, 5, 8, 13, 40, 60])
def test_ranges_read_every_line_exactly_once(tmp_path: Path, split_bytes: int) -> None:
    lines = [b"h1,h2\r\n", b"a,b\n", b"\n", b"x" * 57 + b"\n", b"c,d\r\n", b"\n", b"last,no newline"]
    path = tmp_path / "lines.csv"
    path.write_bytes(b"".join(lines))
    file = _file(path, "csv")
    parts = partition.file_parts(file, split_bytes=split_bytes)
    assert parts is not None and isinstance(parts[0], ByteRange)
    assert parts[0].start == 0 and parts[-1].stop == file.size
    pieces = []
    for part in parts:
        assert isinstance(part, ByteRange)
        with path.open("rb") as handle:
            pieces.append(_ByteRangeReader(handle, part.start, part.stop).readall())
    assert b"".join(pieces) == path.read_bytes()
    # every piece is whole lines: it starts where a line starts
    starts = {0} | {i + 1 for i, byte in enumerate(path.read_bytes()) if byte == 0x0A}
    offset = 0
    for piece in pieces:
        if piece:
            assert offset in starts
        offset += len(piece)


def test_not_split_when_it_cannot_be_cut(tmp_path: Path) -> None:
    text = _csv_text()
    plain = _write(tmp_path, "plain.csv", text, "utf-8")
    assert partition.file_parts(_file(plain, "csv"), split_bytes=plain.stat().st_size * 2) is None  # small enough
    packed = tmp_path / "packed.csv.gz"
    packed.write_bytes(gzip.compress(text.encode("utf-8")))
    assert partition.file_parts(_file(packed, "csv", "gzip"), split_bytes=64) is None  # no random access
    wide = _write(tmp_path, "wide.csv", text, "utf-16")
    assert partition.file_parts(_file(wide, "csv"), split_bytes=64) is None  # two-byte newlines
    one_line = tmp_path / "one_line.csv"
    one_line.write_bytes(b"a" * (ReadingSettings().encoding_sniff_bytes + 10))
    assert partition.file_parts(_file(one_line, "csv"), split_bytes=64) is None  # no line end to cut at


def _comparable(report: ScanReport) -> list[tuple[object, ...]]:
    # Scores are float sums added in another order (per part, then merged), so they agree to rounding only;
    # everything else (rows, categories, entities, shares, masked examples, errors) is the same.
    return [
        (
            d.dataset, d.format, d.rows_total, d.rows_scanned, d.files, d.errors,
            [
                (
                    c.name, c.categories, c.distinct_estimate, c.non_null,
                    [(e.type, round(e.score, 9), e.ratio, e.evidence, e.examples) for e in c.entities],
                )
                for c in d.columns
            ],
        )
        for d in report.datasets
    ]


@pytest.fixture
def patterns_only(tmp_path: Path) -> Path:
    path = tmp_path / "scan.yaml"
    path.write_text("detection:\n  ner_enabled: false\n", encoding="utf-8")  # no GiNZA load
    return path


def test_scan_of_split_text_files_reports_what_whole_files_do(
    tmp_path: Path, patterns_only: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    _write(lake, "customers.csv", _csv_text(), "cp932", "\r\n")
    _write(lake, "events.jsonl", _jsonl_text(), "utf-8-sig")
    # Quoted values holding newlines: cuts fall inside them, and the file is read whole instead.
    table = crm_table(ROWS, seed=8)
    notes = [f"{note}\n二行目 {i}\r\n三行目" if i % 3 == 0 else note for i, note in enumerate(table.column("備考").to_pylist())]
    multiline = io.BytesIO()
    pacsv.write_csv(table.set_column(11, "備考", [notes]), multiline)
    (lake / "notes.csv").write_bytes(multiline.getvalue())

    whole = api.scan(lake, config=patterns_only, scheduler="sync")
    monkeypatch.setattr(partition, "SPLIT_BYTES", 20_000)
    notes_file = _file(lake / "notes.csv", "csv")
    ranges = partition.file_parts(notes_file)
    assert ranges is not None and len(ranges) >= 4
    counts = [range_quotes(notes_file, part) for part in ranges if isinstance(part, ByteRange)]
    assert sum(counts) == multiline.getvalue().count(b'"')
    counted: dict[str, list[object]] = {}
    read = quasi_select.iter_batches

    def spy(file: DataFile, reading: ReadingSettings, part: object = None, *rest: Any) -> Any:
        counted.setdefault(Path(file.url).name, []).append(part)
        return read(file, reading, part, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(quasi_select, "iter_batches", spy)
    with caplog.at_level(logging.INFO, logger="piiscan"):
        split = api.scan(lake, config=patterns_only, scheduler="sync")
    assert "read whole in one task" in caplog.text  # notes.csv
    assert _comparable(split) == _comparable(whole)
    # quasi-identifiers are counted by the same byte ranges where the cuts fell between records, and over
    # the whole file where they did not (notes.csv)
    qi_sets = [(d.dataset, d.quasi_identifier_sets) for d in whole.datasets]
    assert any(sets for _, sets in qi_sets)
    assert [(d.dataset, d.quasi_identifier_sets) for d in split.datasets] == qi_sets
    assert counted["notes.csv"] and set(counted["notes.csv"]) == {None}
    assert len(set(counted["customers.csv"])) >= 4 and None not in counted["customers.csv"]
    assert sorted(d.rows_scanned for d in split.datasets) == [ROWS, ROWS, ROWS]
    assert all(any(c.categories for c in d.columns) for d in split.datasets)


def test_a_bad_line_in_one_range_names_the_file(tmp_path: Path) -> None:
    rows = _jsonl_text().splitlines(keepends=True)
    rows[ROWS // 2] = '{"氏名": "broken\n'
    path = _write(tmp_path, "broken.jsonl", "".join(rows), "utf-8")
    file = _file(path, "jsonl")
    split, parts = _split_profile(file, file.size // 5)
    whole = profile_file(file, SETTINGS, None)
    assert split.rows == whole.rows == ROWS - 1
    assert [issue.path for issue in split.issues] == [file.url]
    (issue,) = split.issues
    assert issue.kind == "read_error"
    assert "invalid JSON lines skipped: 1" in issue.message and f"of {len(parts)} (bytes " in issue.message
    assert "broken" not in issue.message

    lines = _csv_text().splitlines(keepends=True)
    lines[ROWS // 3] = "only,three,fields\n"
    ragged = _write(tmp_path, "ragged.csv", "".join(lines), "utf-8")
    csv_file = _file(ragged, "csv")
    split, _ = _split_profile(csv_file, csv_file.size // 5)
    assert split.rows == ROWS - 1
    (issue,) = split.issues
    assert issue.path == csv_file.url and "rows with the wrong number of fields skipped: 1" in issue.message
