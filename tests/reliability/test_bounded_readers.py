"""Bounded readers, cells read whole, names screened as data (issue #12).

Each case runs the real console entry point in a child process (under the socket guard): ``scan``
exits 0 or 3 and names the case in ``errors``, no traceback, and no planted raw value appears in any
output (report.json/md/html, the findings catalog, stdout, stderr); ``check`` never exits 0 for a case
that hides data. Memory is measured as the peak RSS of the child (``RUSAGE_CHILDREN`` of a fresh parent).
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.detect import profile_column, value_windows
from pipeline.detect_ner import run_ner
from pipeline.engine import pattern_recognizers
from pipeline.name_screen import header_looks_like_data, holds_personal_data, safe_path
from pipeline.profile_model import FileProfile
from pipeline.readers import flatten_record
from pipeline.settings import DetectionSettings, ScanSettings
from tests.reliability.conftest import NO_NER_CONFIG

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024

EMAIL = "hanako.suzuki@example.co.jp"
PHONE = "090-3141-5926"
MY_NUMBER = "123456789018"  # valid check digit
PERSON = "鈴木花子"


def _run(args: list[str], cwd: Path, measure: bool = False) -> tuple[subprocess.CompletedProcess[str], float]:
    """The CLI in a child; with ``measure``, through a fresh parent that reports the child's peak RSS (MiB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "tests.reliability.netguard", *args]
    if measure:
        probe = (
            "import json, resource, subprocess, sys\n"
            "r = subprocess.run(json.loads(sys.argv[1]), capture_output=True, text=True)\n"
            "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr)\n"
            "sys.stderr.write('\\nPEAK_RSS_KIB=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.exit(r.returncode)\n"
        )
        command = [sys.executable, "-c", probe, json.dumps(command)]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    peak = 0.0
    if measure:
        marker = result.stderr.rsplit("PEAK_RSS_KIB=", 1)[1]
        peak = int(marker.split()[0]) / 1024
    return result, peak


def scan(lake: Path, tmp: Path, config: Path = NO_NER_CONFIG, measure: bool = False) -> tuple[Any, dict[str, Any], float]:
    out = tmp / "out"
    result, peak = _run(
        ["scan", str(lake), "--out", str(out), "--config", str(config), "--scheduler", "sync",
         "--catalog", str(tmp / "catalog.duckdb")],
        cwd=tmp, measure=measure,
    )
    assert result.returncode in (0, 3), (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr + result.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return result, report, peak


def check(lake: Path, tmp: Path, config: Path = NO_NER_CONFIG, destination: str = "third_party") -> int:
    out = tmp / "gate"
    result, _ = _run(
        ["check", str(lake), "--destination", destination, "--out", str(out), "--config", str(config),
         "--scheduler", "sync"],
        cwd=tmp,
    )
    assert "Traceback" not in result.stderr + result.stdout
    # Kept beside verdict.json so assert_nothing_raw searches the gate's terminal output too.
    (out / "terminal.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
    verdict = json.loads((out / "verdict.json").read_text(encoding="utf-8"))
    assert result.returncode in (1, 2), (result.returncode, verdict)
    assert verdict["decision"] != "allowed"
    return result.returncode


def errors_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    return list(report["errors"]) + [e for d in report["datasets"] for e in d["errors"]]


def assert_nothing_raw(tmp: Path, result: Any, *raw: str) -> None:
    """No planted value, nor its digits alone, in any output file, the catalog's bytes or the terminal
    (of ``scan`` and, when it ran, of ``check`` with its verdict.json)."""
    outputs = [p.read_bytes() for folder in ("out", "gate") if (tmp / folder).is_dir() for p in (tmp / folder).iterdir()]
    outputs += [p.read_bytes() for p in tmp.glob("catalog.duckdb*")]
    outputs += [result.stdout.encode(), result.stderr.encode()]
    for value in raw:
        needles = {value.encode(), value.encode("utf-16-le")}
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) >= 8:
            needles.add(digits.encode())
        for blob in outputs:
            for needle in needles:
                assert needle not in blob, value


def column(report: dict[str, Any], dataset_suffix: str, name: str) -> dict[str, Any]:
    dataset = next(d for d in report["datasets"] if d["dataset"].endswith(dataset_suffix))
    return next(c for c in dataset["columns"] if c["name"] == name)


def config_with(tmp: Path, section: str, **values: Any) -> Path:
    data = yaml.safe_load(NO_NER_CONFIG.read_text(encoding="utf-8"))
    data.setdefault(section, {}).update(values)
    path = tmp / f"scan_{section}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _gzip_with_one_huge_line(path: Path, before: bytes, line_start: bytes, after: bytes, size: int) -> None:
    """Written by streaming: never more than 1 MiB of the huge line in memory here either."""
    chunk = b"x" * MIB
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(before)
        handle.write(line_start)
        for _ in range(size // MIB):
            handle.write(chunk)
        handle.write(after)


# --- Bounded by construction -----------------------------------------------------------------------


@pytest.mark.slow
def test_gzip_csv_expanding_to_one_300_mb_line_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    _gzip_with_one_huge_line(
        lake / "bomb.csv.gz", f"note,contact,mail\nok,{PHONE},\n".encode(), b"hidden ",
        f",{MY_NUMBER},\nlater,,{EMAIL}\n".encode(), 300 * MIB,
    )
    result, report, peak = scan(lake, tmp_path, measure=True)
    assert result.returncode == 3
    assert peak < 1024, f"peak RSS {peak:.0f} MiB"
    (issue,) = [e for e in errors_of(report) if e["path"].endswith("bomb.csv.gz")]
    assert "max_record_bytes" in issue["message"] and "first at byte" in issue["message"]
    # The lines before and after the long one are still read: both rows, and the e-mail after it.
    dataset = report["datasets"][0]
    assert dataset["rows_total"] == 2
    assert "EMAIL_ADDRESS" in [e["type"] for e in column(report, "bomb.csv.gz", "mail")["entities"]]
    assert_nothing_raw(tmp_path, result, PHONE, EMAIL, MY_NUMBER)


@pytest.mark.slow
def test_one_300_mb_json_line_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    _gzip_with_one_huge_line(
        lake / "events.jsonl.gz",
        json.dumps({"id": 1, "mail": EMAIL}).encode() + b"\n",
        b'{"id": 2, "note": "',
        f'", "tel": "{PHONE}"}}\n'.encode() + json.dumps({"id": 3, "mail": EMAIL}).encode() + b"\n",
        300 * MIB,
    )
    result, report, peak = scan(lake, tmp_path, measure=True)
    assert result.returncode == 3
    assert peak < 1024, f"peak RSS {peak:.0f} MiB"
    (issue,) = [e for e in errors_of(report) if e["path"].endswith("events.jsonl.gz")]
    assert "max_record_bytes" in issue["message"] and "first at byte 49" in issue["message"]
    assert report["datasets"][0]["rows_total"] == 2
    assert_nothing_raw(tmp_path, result, PHONE, EMAIL)


@pytest.mark.slow
def test_quoted_csv_record_of_300_mb_across_short_lines_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    line = b"x" * 1023 + b"\n"  # every line is short: only the open quote makes this one record
    with gzip.open(lake / "quoted.csv.gz", "wb", compresslevel=1) as handle:
        handle.write(f'note,contact\nok,{PHONE}\n2,"'.encode())
        for _ in range(300 * 1024):
            handle.write(line)
        handle.write(f'"\nlater,{EMAIL}\n'.encode())
    result, report, peak = scan(lake, tmp_path, measure=True)
    assert result.returncode == 3
    assert peak < 1024, f"peak RSS {peak:.0f} MiB"
    (issue,) = [e for e in errors_of(report) if e["path"].endswith("quoted.csv.gz")]
    assert "CSV record longer than reading.max_record_bytes" in issue["message"]
    assert check(lake, tmp_path) == 2
    assert_nothing_raw(tmp_path, result, PHONE, EMAIL)


def test_record_limit_is_configurable_and_applies_to_plain_csv(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    long_cell = "y" * (200 * 1024)
    (lake / "plain.csv").write_text(f"note\nshort\n{long_cell}\n{EMAIL}\n", encoding="utf-8")
    config = config_with(tmp_path, "reading", max_record_bytes=64 * 1024)
    result, report, _ = scan(lake, tmp_path, config=config)
    assert result.returncode == 3
    (issue,) = errors_of(report)
    assert issue["path"].endswith("plain.csv") and "65536 bytes" in issue["message"]
    assert report["datasets"][0]["rows_total"] == 2
    assert check(lake, tmp_path, config=config) == 2


# --- Cells read whole --------------------------------------------------------------------------------


def test_text_after_the_first_window_of_a_cell_is_read(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    rows = []
    for i in range(40):
        # The e-mail straddles the 4,096-character boundary in some rows and lies far beyond it in others.
        at = 4096 - 10 if i % 2 else 9000 + i
        rows.append("あ" * at + f" 連絡先 {EMAIL} です")
    (lake / "notes.csv").write_text("memo\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result, report, _ = scan(lake, tmp_path)
    assert result.returncode == 0, report
    found = {e["type"]: e for e in column(report, "notes.csv", "memo")["entities"]}
    assert "EMAIL_ADDRESS" in found and found["EMAIL_ADDRESS"]["ratio"] == 1.0
    assert check(lake, tmp_path) == 1  # blocked: never allowed because the text was past 4,096 characters
    assert_nothing_raw(tmp_path, result, EMAIL)


def test_windows_overlap_and_cover_the_whole_value() -> None:
    settings = DetectionSettings(max_value_chars=100, value_window_overlap_chars=20)
    value = "".join(chr(0x3041 + i % 80) for i in range(1000))
    windows = value_windows(value, settings)
    assert all(len(w) <= 100 for w in windows)
    assert windows[0] == value[:100] and value.endswith(windows[-1])
    for left, right in itertools.pairwise(windows):
        assert left[-20:] == right[:20]  # every boundary is inside an overlap
    # An overlap over half a window is cut to half (a small max_value_chars with the default overlap).
    small = value_windows(value, DetectionSettings(max_value_chars=100, value_window_overlap_chars=256))
    assert all(len(w) <= 100 for w in small) and value.endswith(small[-1])
    assert all(left[-50:] == right[:50] for left, right in itertools.pairwise(small))


# --- Binary and integer columns ----------------------------------------------------------------------


def test_parquet_binary_column_with_one_value_not_utf8_is_scanned(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    values: list[bytes] = [f"user{i}@example.co.jp".encode() for i in range(200)]
    values[7] = b"\xff\xfe broken \x80"
    pq.write_table(pa.table({"contact": pa.array(values, pa.binary())}), lake / "blob.parquet")
    result, report, _ = scan(lake, tmp_path)
    assert result.returncode == 3
    (issue,) = errors_of(report)
    assert "not UTF-8" in issue["message"] and "row 7" in issue["message"]
    found = column(report, "blob.parquet", "contact")
    assert "EMAIL_ADDRESS" in [e["type"] for e in found["entities"]]
    assert check(lake, tmp_path) == 2
    assert_nothing_raw(tmp_path, result, "user1@example.co.jp", "user100@example.co.jp")


@pytest.mark.parametrize("stored", [9012345678, 8012345678, 819012345678, 312345678, 662345678])
def test_phone_numbers_stored_as_int64_are_screened(stored: int) -> None:
    array = pa.array([stored + i * 7 for i in range(50)], pa.int64())
    profile = profile_column("contact", array, pattern_recognizers(None), DetectionSettings())
    assert profile.entities["PHONE_NUMBER"].rows == 50
    assert profile.data_type == "int64"  # the column keeps its type; only the recognizers see the 0 back


def test_epoch_seconds_and_small_ids_are_not_phones() -> None:
    for values in ([1_700_000_000 + i * 3600 for i in range(50)], list(range(1, 51))):
        profile = profile_column("n", pa.array(values, pa.int64()), pattern_recognizers(None), DetectionSettings())
        assert "PHONE_NUMBER" not in profile.entities


# --- Unambiguous columns -----------------------------------------------------------------------------


def test_json_duplicate_and_colliding_keys_become_distinct_columns(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    lines = [
        '{"id": 1, "mail": "kept@example.co.jp", "mail": "' + EMAIL + '"}',
        '{"id": 2, "a.b": "plain", "a": {"b": "' + PHONE + '"}}',
    ]
    (lake / "dups.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, report, _ = scan(lake, tmp_path)
    assert result.returncode == 3
    (issue,) = errors_of(report)
    assert "repeated or colliding keys" in issue["message"] and "line 1" in issue["message"]
    names = [c["name"] for c in report["datasets"][0]["columns"]]
    assert {"mail", "mail#2", "a.b", "a.b#2"} <= set(names)
    assert "EMAIL_ADDRESS" in [e["type"] for e in column(report, "dups.jsonl", "mail#2")["entities"]]
    assert check(lake, tmp_path) in (1, 2)
    assert_nothing_raw(tmp_path, result, EMAIL, PHONE)


def test_flatten_record_never_overwrites() -> None:
    collisions: list[str] = []
    flat = flatten_record({"a.b": "1", "a": {"b": "2"}, "l": [{"x": "3"}, {"x": "4"}]}, "", collisions)
    assert flat == {"a.b": "1", "a.b#2": "2", "l[].x": "3\n4"}
    assert collisions == ["a.b"]  # list items' fields are joined, which is not a collision


# --- Names are data ----------------------------------------------------------------------------------


def test_csv_whose_header_row_is_data_is_read_headerless(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    rows = [f"{PERSON},{PHONE},{EMAIL},{MY_NUMBER}"]
    rows += [f"佐藤一郎,080-2718-2818,ichiro{i}@example.co.jp,{MY_NUMBER}" for i in range(30)]
    (lake / "export.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result, report, _ = scan(lake, tmp_path)
    assert result.returncode == 3
    (issue,) = errors_of(report)
    assert "header row holds personal data" in issue["message"]
    dataset = report["datasets"][0]
    assert [c["name"] for c in dataset["columns"]] == ["column_1", "column_2", "column_3", "column_4"]
    assert dataset["rows_total"] == 31  # the header row is scanned as a row
    assert "PHONE_NUMBER" in [e["type"] for e in column(report, "export.csv", "column_2")["entities"]]
    assert check(lake, tmp_path) in (1, 2)
    assert_nothing_raw(tmp_path, result, PERSON, PHONE, EMAIL, MY_NUMBER)


def test_pivoted_sheet_with_people_as_headers_is_read_headerless(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    body = "\n".join(f"2026-11-{d:02d},{d},{d * 2},{d * 3}" for d in range(1, 29))
    (lake / "shifts.csv").write_text(f"日付,{PERSON},高橋健太,田中美咲\n{body}\n", encoding="utf-8")
    result, report, _ = scan(lake, tmp_path)
    assert result.returncode == 3
    assert any("header row holds personal data" in e["message"] for e in errors_of(report))
    assert [c["name"] for c in report["datasets"][0]["columns"]][:2] == ["column_1", "column_2"]
    assert check(lake, tmp_path) == 2
    assert_nothing_raw(tmp_path, result, PERSON, "高橋健太", "田中美咲")


def test_personal_json_keys_and_file_names_are_withheld_from_every_output(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    lines = [json.dumps({"id": i, EMAIL: i % 3, PHONE: "x"}) for i in range(20)]
    (lake / "counts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (lake / f"{EMAIL}.csv").write_text("memo\nhello\n", encoding="utf-8")
    result, report, _ = scan(lake, tmp_path)
    assert result.returncode == 3
    kinds = {e["kind"] for e in errors_of(report)}
    assert {"personal_column_name", "personal_file_name"} <= kinds
    counts = next(d for d in report["datasets"] if d["dataset"].endswith("counts.jsonl"))
    assert [c["name"] for c in counts["columns"]] == ["id", "column_2", "column_3"]
    assert any(d["dataset"].startswith("(name withheld)") for d in report["datasets"])
    assert check(lake, tmp_path) == 2
    assert_nothing_raw(tmp_path, result, EMAIL, PHONE)


@pytest.mark.parametrize(
    "name",
    ["氏名", "email", "phone", "電話番号", "メールアドレス", "customer_id", "2026-11-01", "東京都", "男性",
     "created_at", "住所", "担当者名", "Account Manager", "my_number", "card_number", "tel"],
)
def test_ordinary_headers_are_not_personal(name: str) -> None:
    assert not holds_personal_data(name)
    assert not header_looks_like_data([name, "id"])


@pytest.mark.parametrize("name", [PERSON, "John Smith", EMAIL, PHONE, MY_NUMBER, "4111111111111111", "192.168.10.4"])
def test_personal_names_are_caught(name: str) -> None:
    assert holds_personal_data(name)
    assert safe_path(f"s3://bucket/dt=2026-11-01/{name}.csv") == "s3://bucket/dt=2026-11-01/(name withheld).csv"


# --- Time caps ---------------------------------------------------------------------------------------


def test_pattern_time_cap_per_file_is_reported_and_makes_check_undecidable(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    # Sentences with digits and kana: every recognizer's prefilter lets them through to Python.
    rows = [f"{i}番の方 090-{i:04d}-{i:04d} 様 東京都港区{i}-{i} です" for i in range(3000)]
    (lake / "slow.csv").write_text("memo\n" + "\n".join(rows) + "\n", encoding="utf-8")
    config = config_with(tmp_path, "detection", pattern_seconds_per_file=0.05)
    result, report, _ = scan(lake, tmp_path, config=config)
    assert result.returncode == 3
    (issue,) = errors_of(report)
    assert issue["kind"] == "pattern_time_cap" and "not checked" in issue["message"]
    assert check(lake, tmp_path, config=config) == 2


def test_ner_time_cap_stops_ner_and_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def slow_ner(texts: list[str]) -> list[list[Any]]:
        calls.append(len(texts))
        time.sleep(0.05)
        return [[] for _ in texts]

    monkeypatch.setattr("pipeline.detect_ner.ner_batch", slow_ner)
    settings = ScanSettings(detection=DetectionSettings(ner_seconds_per_dataset=0.01, ner_sample_size=200))
    values = pa.array([f"{i}番目のお客様から長いご意見をいただきました" for i in range(100)])
    profile = FileProfile(rows=100, files=["/lake/a.csv"])
    profile.columns["memo"] = profile_column("memo", values, pattern_recognizers(None), settings.detection)
    run_ner(profile, ["memo"], settings)
    (issue,) = profile.issues
    assert issue.kind == "ner_time_cap" and issue.path == "/lake/a.csv"
    assert "not read" in issue.message
    assert sum(calls) < 100  # stopped, not run to the end
    assert not profile.columns["memo"].ner_read_every_value


def test_ner_reads_long_values_whole_in_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    from presidio_analyzer import RecognizerResult

    seen: list[str] = []

    def fake_ner(texts: list[str]) -> list[list[Any]]:
        seen.extend(texts)
        return [
            [RecognizerResult("PERSON", t.index(PERSON), t.index(PERSON) + len(PERSON), 0.85)] if PERSON in t else []
            for t in texts
        ]

    monkeypatch.setattr("pipeline.detect_ner.ner_batch", fake_ner)
    settings = ScanSettings()
    value = "お客様の声。" * 1500 + f"担当は{PERSON}さんでした。"  # the name is past character 9,000
    profile = FileProfile(rows=1, files=["/lake/a.csv"])
    profile.columns["memo"] = profile_column("memo", pa.array([value]), pattern_recognizers(None), settings.detection)
    run_ner(profile, ["memo"], settings)
    assert max(len(t) for t in seen) <= settings.detection.max_value_chars
    assert "PERSON" in profile.columns["memo"].ner_hits
    assert not profile.issues


def test_int64_phone_column_blocks_the_export(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    phones = [9012345678 + i * 7919 for i in range(100)] + [312345678 + i * 31 for i in range(100)]
    pq.write_table(pa.table({"id": pa.array(range(200), pa.int64()), "電話番号": pa.array(phones, pa.int64())}),
                   lake / "customers.parquet")
    result, report, _ = scan(lake, tmp_path)
    assert result.returncode == 0
    found = column(report, "customers.parquet", "電話番号")
    assert "PHONE_NUMBER" in [e["type"] for e in found["entities"]] and found["categories"]
    assert check(lake, tmp_path) == 1
    assert_nothing_raw(tmp_path, result, "09012345678", "0312345678")
