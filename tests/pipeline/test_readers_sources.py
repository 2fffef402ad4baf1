"""Readers and discovery: encodings, compression, nested JSON, hive partitions, bad files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import ReadError
from pipeline.readers import detect_encoding, flatten_record, is_utf8, iter_batches
from pipeline.settings import ReadingSettings
from pipeline.sources import discover, file_format

SETTINGS = ReadingSettings()
CSV_TEXT = "氏名,電話番号,備考\n山田 太郎,090-1234-5678,①㈱テスト\n佐藤 花子,03-1234-5678,髙橋さんの紹介\n"


def _read(path: Path) -> pa.Table:
    refs, issues = discover([str(path)])
    assert not issues
    (ref,) = refs
    return pa.Table.from_batches([b for f in ref.files for b in iter_batches(f, SETTINGS)])


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932")],
)
def test_csv_encodings_are_detected_and_decoded(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    assert detect_encoding(path.read_bytes(), at_eof=True) == expected
    table = _read(path)
    assert table.column_names == ["氏名", "電話番号", "備考"]
    assert table.column("氏名").to_pylist() == ["山田 太郎", "佐藤 花子"]
    # Text columns stay text: the leading zero of a phone number survives.
    assert table.column("電話番号").to_pylist()[0].startswith("090")


def test_utf8_cut_mid_character_is_still_utf8() -> None:
    data = "あいう".encode()
    assert detect_encoding(data[:-1], at_eof=False) == "utf-8"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("山田 太郎,090-1234-5678\n".encode(), True),
        (b"", True),
        (b"plain ascii\r\n", True),
        ("ｶﾀｶﾅ①㈱髙".encode(), True),
        ("山田 太郎".encode("cp932"), False),  # Shift_JIS bytes: the transcoder decodes them as CP932
        ("山".encode()[:2], False),  # a character cut in the middle
        (b"\xed\xa0\x80", False),  # an encoded surrogate (CESU-8), not UTF-8
        (b"\xc0\xaf", False),  # an overlong form of "/"
        ("名".encode() + b"\xff" + "前".encode(), False),
    ],
)
def test_is_utf8_agrees_with_pythons_decoder(data: bytes, expected: bool) -> None:
    assert is_utf8(data) is expected
    try:
        data.decode("utf-8")
        decodes = True
    except UnicodeDecodeError:
        decodes = False
    assert decodes is expected


def test_gzip_csv_and_tsv(tmp_path: Path) -> None:
    gz = tmp_path / "a.csv.gz"
    gz.write_bytes(gzip.compress(CSV_TEXT.encode("utf-8")))
    assert _read(gz).num_rows == 2
    tsv = tmp_path / "b.tsv"
    tsv.write_text(CSV_TEXT.replace(",", "\t"), encoding="utf-8")
    assert _read(tsv).column_names == ["氏名", "電話番号", "備考"]


def test_duplicate_headers_get_distinct_names(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("name,name,\nA,B,C\n", encoding="utf-8")
    assert _read(path).column_names == ["name", "name.1", "column_3"]


def test_nested_json_is_flattened_to_paths(tmp_path: Path) -> None:
    assert flatten_record({"a": {"b": 1}, "tags": ["x", "y"], "items": [{"sku": "1"}, {"sku": "2"}]}) == {
        "a.b": "1",
        "tags[]": "x\ny",
        "items[].sku": "1\n2",
    }
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps({"user": {"email": f"u{i}@example.com"}}) for i in range(3)), encoding="utf-8")
    assert _read(path).column_names == ["user.email"]


def test_truncated_gzip_is_a_read_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv.gz"
    path.write_bytes(gzip.compress(CSV_TEXT.encode() * 200)[:60])
    (ref,), _ = discover([str(path)])
    with pytest.raises(ReadError) as info:
        list(iter_batches(ref.files[0], SETTINGS))
    assert "broken.csv.gz" in str(info.value)
    assert "山田" not in str(info.value)


def test_corrupt_parquet_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"x": ["a"] * 100}), path)
    path.write_bytes(path.read_bytes()[:50])
    (ref,), _ = discover([str(path)])
    with pytest.raises(ReadError):
        list(iter_batches(ref.files[0], SETTINGS))


def test_discovery_groups_hive_partitions_and_skips_non_data(tmp_path: Path) -> None:
    for day in ("2026-11-01", "2026-11-02"):
        part = tmp_path / "logs" / f"dt={day}"
        part.mkdir(parents=True)
        (part / "part-0.jsonl").write_text('{"ip": "192.0.2.1"}\n', encoding="utf-8")
    (tmp_path / "logs" / "_SUCCESS").write_text("", encoding="utf-8")
    (tmp_path / "crm").mkdir()
    (tmp_path / "crm" / "c.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not data", encoding="utf-8")
    refs, issues = discover([str(tmp_path)])
    assert not issues
    # _SUCCESS is a commit marker (no rows); a .txt holding text is read as CSV, never dropped silently.
    assert [(r.name, len(r.files)) for r in refs] == [("crm/c.csv", 1), ("logs", 2), ("notes.txt", 1)]


def test_missing_source_is_reported_not_raised(tmp_path: Path) -> None:
    refs, issues = discover([str(tmp_path / "nope")])
    assert refs == []
    assert issues[0].message == "path does not exist"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.parquet", ("parquet", None)), ("a.csv.gz", ("csv", "gzip")), ("x.JSONL", ("jsonl", None)), ("_SUCCESS", None), ("a.txt", None)],
)
def test_file_format(name: str, expected: object) -> None:
    assert file_format(name) == expected


def test_unparseable_header_is_a_read_error(tmp_path: Path) -> None:
    """Found by the fuzzer: a UTF-16 CSV whose header holds a bare carriage return."""
    path = tmp_path / "odd.csv"
    path.write_bytes("à,Ѝ\r".encode("utf-16") + b"\x00")
    (ref,), _ = discover([str(path)])
    with pytest.raises(ReadError) as info:
        list(iter_batches(ref.files[0], SETTINGS))
    assert "odd.csv" in str(info.value)


# --- Bounded records (reading.max_record_bytes) -------------------------------------------------------

SMALL_RECORDS = ReadingSettings(max_record_bytes=64 * 1024, csv_block_bytes=64 * 1024)


def _read_with(path: Path, settings: ReadingSettings) -> tuple[pa.Table, str | None]:
    refs, _ = discover([str(path)])
    (ref,) = refs
    batches: list[pa.RecordBatch] = []
    problem = None
    for file in ref.files:
        try:
            for batch in iter_batches(file, settings):
                batches.append(batch)
        except ReadError as exc:
            assert exc.path == file.url
            problem = exc.problem
    return pa.Table.from_batches(batches) if batches else pa.table({}), problem


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "utf-16"])
def test_a_line_over_the_record_limit_is_skipped_and_reported(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "long.jsonl"
    lines = [json.dumps({"氏名": "山田 太郎"}, ensure_ascii=False), json.dumps({"備考": "あ" * 100_000}, ensure_ascii=False),
             json.dumps({"氏名": "佐藤 花子"}, ensure_ascii=False)]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    table, problem = _read_with(path, SMALL_RECORDS)
    assert table.column("氏名").to_pylist() == ["山田 太郎", "佐藤 花子"]
    assert "備考" not in table.column_names
    assert problem is not None and "max_record_bytes (65536 bytes)" in problem


def test_a_quoted_csv_record_over_the_limit_stops_the_file_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    cell = "\n".join(["x" * 1000] * 200)  # 200 KB across short lines: only the CSV parser sees the record
    path.write_text(f'id,memo\n1,ok\n2,"{cell}"\n3,after\n', encoding="utf-8")
    table, problem = _read_with(path, SMALL_RECORDS)
    assert "after" not in (table.column("memo").to_pylist() if table.num_columns else [])
    assert problem is not None and "CSV record longer than" in problem and "(65536 bytes) near byte 15" in problem


def test_a_cell_below_the_limit_still_grows_the_blocks(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(f"id,memo\n1,{'y' * 50_000}\n2,z\n", encoding="utf-8")
    table, problem = _read_with(path, SMALL_RECORDS)
    assert problem is None and table.num_rows == 2


def test_header_row_of_data_is_read_as_a_row(tmp_path: Path) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("山田太郎,090-1234-5678\n佐藤花子,080-1111-2222\n", encoding="utf-8")
    table, problem = _read_with(path, SETTINGS)
    assert table.column_names == ["column_1", "column_2"]
    assert table.num_rows == 2
    assert problem is not None and "header row holds personal data" in problem


def test_parquet_binary_mostly_not_utf8_stays_a_blob(tmp_path: Path) -> None:
    path = tmp_path / "blob.parquet"
    pq.write_table(pa.table({"img": pa.array([b"\x89PNG\xff\x00" + bytes([i]) for i in range(20)], pa.binary())}), path)
    table, problem = _read_with(path, SETTINGS)
    assert table.schema.field("img").type == pa.binary()
    assert problem is None


@pytest.mark.parametrize(("suffix", "compress"), [(".bz2", "bz2"), (".xz", "lzma"), (".gz", "gzip")])
def test_record_limit_holds_inside_every_compression(tmp_path: Path, suffix: str, compress: str) -> None:
    import importlib

    module = importlib.import_module(compress)
    text = "note\nshort\n" + "z" * 300_000 + "\nafter\n"
    path = tmp_path / f"c.csv{suffix}"
    path.write_bytes(module.compress(text.encode("utf-8")))
    table, problem = _read_with(path, SMALL_RECORDS)
    assert table.column("note").to_pylist() == ["short", "after"]
    assert problem is not None and "max_record_bytes (65536 bytes)" in problem and "byte 11" in problem


def test_disclosure_md_is_skipped_only_beside_piiscans_own_summary(tmp_path: Path) -> None:
    """anonymize's disclosure.md holds category names only; a lake's own disclosure.md is data to read."""
    ours = tmp_path / "ours"
    ours.mkdir()
    pq.write_table(pa.table({"x": ["1"]}), ours / "part.parquet")
    (ours / "_anonymize.json").write_text("{}", encoding="utf-8")
    (ours / "disclosure.md").write_text("# categories\n", encoding="utf-8")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "disclosure.md").write_text("name,tel\n山田太郎,090-1234-5678\n", encoding="utf-8")

    refs, _ = discover([str(ours)])
    assert [f.url.rsplit("/", 1)[-1] for r in refs for f in r.files] == ["part.parquet"]
    refs, issues = discover([str(theirs)])
    found = [f.url.rsplit("/", 1)[-1] for r in refs for f in r.files] + [i.path.rsplit("/", 1)[-1] for i in issues]
    assert "disclosure.md" in found  # read as text or listed as an issue, never silently left out


@pytest.mark.parametrize("odd", ["\x1e", "\x1c", "\u2028", "\x85"])
def test_a_header_name_with_a_unicode_line_separator_stays_one_header(tmp_path: Path, odd: str) -> None:
    """Only "\\n" ends a CSV line; a separator Python's splitlines() knows (found by the fuzz test) must not
    empty the header and leave the columns nameless."""
    path = tmp_path / "t.csv"
    path.write_text(f"a{odd}b,c,\n1,2,3\n", encoding="utf-8")
    (ref,), _ = discover([str(path)])
    names = [name for batch in iter_batches(ref.files[0], SETTINGS) for name in batch.schema.names]
    assert names == [f"a{odd}b".strip(), "c", "column_3"]


def _read_columns(path: Path, columns: tuple[str, ...]) -> pa.Table:
    refs, issues = discover([str(path)])
    assert not issues
    (ref,) = refs
    return pa.Table.from_batches([b for f in ref.files for b in iter_batches(f, SETTINGS, columns=columns)])


@pytest.mark.parametrize("name", ["a.csv", "a.tsv", "a.csv.gz"])
def test_csv_reads_only_the_columns_asked_for(tmp_path: Path, name: str) -> None:
    text = CSV_TEXT.replace(",", "\t") if name.endswith(".tsv") else CSV_TEXT
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode("utf-8")) if name.endswith(".gz") else text.encode("utf-8"))
    # In the file's order, whatever the order asked; a column the file lacks is simply not there.
    table = _read_columns(path, ("備考", "不在の列", "氏名"))
    assert table.column_names == ["氏名", "備考"]
    assert table.column("備考").to_pylist() == ["①㈱テスト", "髙橋さんの紹介"]


def test_csv_with_none_of_the_columns_keeps_its_rows_in_its_first_column(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    table = _read_columns(path, ("不在の列",))
    assert table.column_names == ["氏名"] and table.num_rows == 2


def test_a_projected_csv_still_skips_ragged_rows_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("id,memo,extra\n1,a,x\n2,b\n3,c,z\n", encoding="utf-8")
    refs, _ = discover([str(path)])
    (ref,) = refs
    batches = []
    with pytest.raises(ReadError, match="wrong number of fields"):
        for batch in iter_batches(ref.files[0], SETTINGS, columns=("memo",)):
            batches.append(batch)
    assert pa.Table.from_batches(batches).column("memo").to_pylist() == ["a", "c"]


def _read_all(path: Path) -> pa.Table | None:
    refs, _ = discover([str(path)])
    batches = []
    try:
        for batch in iter_batches(refs[0].files[0], SETTINGS):
            batches.append(batch)
    except ReadError:
        pass  # a file read in part says so; what was read must still be valid text
    return pa.Table.from_batches(batches) if batches else None


def test_invalid_bytes_reach_arrow_as_valid_utf8(tmp_path: Path) -> None:
    # Arrow does not check UTF-8 again (check_utf8=False): the reader's transcoding is what guarantees it.
    path = tmp_path / "bad.csv"
    # 0x81 opens a CP932 character that "," cannot close, and is invalid in UTF-8 and EUC-JP: U+FFFD.
    path.write_bytes("氏名,備考\n山田,ok\n".encode() + b"\x81,x\n" + "佐藤,済\n".encode())
    table = _read_all(path)
    assert table is not None
    table.validate(full=True)
    assert table.column("氏名").to_pylist() == ["山田", "\ufffd", "佐藤"]
    assert table.column("備考").to_pylist() == ["ok", "x", "済"]


@pytest.mark.parametrize("seed", range(40))
def test_random_bytes_never_reach_arrow_as_invalid_text(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    pieces = [b"a,b\n"] + [bytes(rng.choices(range(256), k=rng.randint(0, 12))) + rng.choice([b",", b"\n", b'"']) for _ in range(200)]
    path = tmp_path / "random.csv"
    path.write_bytes(b"".join(pieces))
    table = _read_all(path)
    if table is not None:
        table.validate(full=True)
