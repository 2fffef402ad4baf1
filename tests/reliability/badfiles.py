"""Bad and odd input files, each written next to a good file so a test can check that the rest is scanned.

Every builder writes into ``lake`` and returns what the scan must report for it: either the issue
(``error``: a substring of the message and the file it names) or nothing (``None``: the file is odd but
valid and must scan cleanly). Values are fictitious; seeded so every run builds the same bytes.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

GOOD_CSV = "氏名,電話番号\n山田 太郎,090-1234-5678\n佐藤 花子,080-2345-6789\n鈴木 一郎,070-3456-7890\n"
GOOD_NAME = "good.csv"


@dataclass(frozen=True)
class Expected:
    """What the report must hold for the bad file: an error naming ``file`` whose message has ``says``."""

    file: str
    says: str
    dataset_columns: tuple[str, ...] = ()  # columns that must still be scanned from the readable part


def write_good(lake: Path) -> None:
    (lake / GOOD_NAME).write_text(GOOD_CSV, encoding="utf-8")


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def corrupt_parquet(lake: Path) -> Expected | None:
    (lake / "corrupt.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 8 + b"garbage!")
    return Expected("corrupt.parquet", "ArrowInvalid")


def truncated_parquet(lake: Path) -> Expected | None:
    data = _parquet_bytes(pa.table({"email": [f"user{i}@example.com" for i in range(500)]}))
    (lake / "truncated.parquet").write_bytes(data[: len(data) // 2])
    return Expected("truncated.parquet", "ArrowInvalid")


def truncated_gzip(lake: Path) -> Expected | None:
    data = gzip.compress((GOOD_CSV * 400).encode("utf-8"))
    (lake / "cut.csv.gz").write_bytes(data[: len(data) // 2])
    return Expected("cut.csv.gz", "EOFError")


def invalid_utf8(lake: Path) -> Expected | None:
    lines = [b"name,email", "山田 太郎,taro@example.com".encode(), b"\xff\xfe\xfa broken,bad@example.com"]
    lines += [f"利用者{i},user{i}@example.com".encode() for i in range(50)]
    (lake / "invalid_utf8.csv").write_bytes(b"\n".join(lines) + b"\n")
    return Expected("invalid_utf8.csv", "U+FFFD", dataset_columns=("name", "email"))


def mixed_encodings(lake: Path) -> Expected | None:
    head = "氏名,住所\n" + "".join(f"山田 太郎{i},東京都千代田区1-{i}\n" for i in range(20))
    tail = "".join(f"佐藤 花子{i},大阪府大阪市北区2-{i}\n" for i in range(20))
    (lake / "mixed.csv").write_bytes(head.encode("utf-8") + tail.encode("cp932"))
    return Expected("mixed.csv", "mixed encodings", dataset_columns=("氏名", "住所"))


def ragged_rows(lake: Path) -> Expected | None:
    text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"
    (lake / "ragged.csv").write_text(text, encoding="utf-8")
    return Expected("ragged.csv", "wrong number of fields", dataset_columns=("a", "b", "c"))


def header_only(lake: Path) -> Expected | None:
    (lake / "header_only.csv").write_text("氏名,電話番号\n", encoding="utf-8")
    return None


def empty_files(lake: Path) -> Expected | None:
    (lake / "empty.csv").write_bytes(b"")
    (lake / "empty.jsonl").write_bytes(b"")
    (lake / "empty.parquet").write_bytes(b"")  # zero bytes is not a Parquet file: an error
    return Expected("empty.parquet", "ArrowInvalid")


def binary_columns(lake: Path) -> Expected | None:
    table = pa.table(
        {
            "blob": pa.array([bytes([i, 255, 0, 128]) for i in range(20)], pa.binary()),
            "text_as_binary": pa.array([f"user{i}@example.com".encode() for i in range(20)], pa.binary()),
        }
    )
    pq.write_table(table, lake / "binary.parquet")
    return None


def nested_parquet(lake: Path) -> Expected | None:
    table = pa.table(
        {
            "user": pa.array(
                [{"email": f"user{i}@example.com", "tags": ["a", "b"]} for i in range(20)],
                pa.struct([("email", pa.string()), ("tags", pa.list_(pa.string()))]),
            ),
            "phones": pa.array([[f"090-1234-{i:04d}"] for i in range(20)], pa.list_(pa.string())),
            "attrs": pa.array([[(f"k{i}", "v")] for i in range(20)], pa.map_(pa.string(), pa.string())),
        }
    )
    pq.write_table(table, lake / "nested.parquet")
    return None


def nested_json(lake: Path) -> Expected | None:
    lines = [
        json.dumps({"user": {"email": f"user{i}@example.com", "phones": [f"090-1234-{i:04d}"]}, "items": [{"sku": f"A{i}"}]})
        for i in range(20)
    ]
    (lake / "nested.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return None


def huge_cell(lake: Path) -> Expected | None:
    cell = "あ" * (10 * 1024 * 1024 // 3)  # ~10 MB of UTF-8 in one cell
    with (lake / "huge_cell.csv").open("w", encoding="utf-8") as handle:
        handle.write("memo,email\n")
        handle.write(f"{cell},first@example.com\n")
        for i in range(5):
            handle.write(f"short,user{i}@example.com\n")
    return None


def many_columns(lake: Path) -> Expected | None:
    header = ",".join(f"c{i:04d}" for i in range(5000))
    rows = [",".join(str((r * 7 + i) % 100) for i in range(5000)) for r in range(3)]
    (lake / "wide.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return None


def duplicate_columns(lake: Path) -> Expected | None:
    (lake / "dup.csv").write_text("email,email,\na@example.com,b@example.com,x\n", encoding="utf-8")
    table = pa.Table.from_arrays([pa.array(["1", "2"]), pa.array(["3", "4"])], names=["id", "id"])
    pq.write_table(table, lake / "dup.parquet")
    return None


def typed_parquet(lake: Path) -> Expected | None:
    table = pa.table(
        {
            "amount": pa.array([Decimal("123.45"), Decimal("-0.01"), None], pa.decimal128(10, 2)),
            "seen_at": pa.array([0, 1_700_000_000_000_000, None], pa.timestamp("us", tz="Asia/Tokyo")),
            "born": pa.array([0, 10_000, None], pa.date32()),
            "prefecture": pa.array(["東京都", "大阪府", "東京都"]).dictionary_encode(),
        }
    )
    pq.write_table(table, lake / "typed.parquet")
    return None


def schema_drift(lake: Path) -> Expected | None:
    folder = lake / "events"
    (folder / "dt=2026-11-01").mkdir(parents=True)
    (folder / "dt=2026-11-02").mkdir(parents=True)
    pq.write_table(pa.table({"id": [1, 2, 3], "email": ["a@example.com", "b@example.com", None]}), folder / "dt=2026-11-01" / "p.parquet")
    pq.write_table(
        pa.table({"id": ["x1", "x2", "x3"], "phone": ["090-1234-5678", "080-1111-2222", "070-3333-4444"]}),
        folder / "dt=2026-11-02" / "p.parquet",
    )
    return None


def permission_denied(lake: Path) -> Expected | None:
    path = lake / "secret.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    path.chmod(0)
    return Expected("secret.csv", "Permission")


def symlink_loop(lake: Path) -> Expected | None:
    os.symlink("loop_b.csv", lake / "loop_a.csv")
    os.symlink("loop_a.csv", lake / "loop_b.csv")
    return Expected("loop_a.csv", "symlink loop")


def folder_symlink_loop(lake: Path) -> Expected | None:
    (lake / "sub").mkdir()
    os.symlink("..", lake / "sub" / "up")
    return Expected("up", "symlink loop")


BUILDERS: dict[str, Callable[[Path], Expected | None]] = {
    fn.__name__: fn
    for fn in (
        corrupt_parquet, truncated_parquet, truncated_gzip, invalid_utf8, mixed_encodings, ragged_rows,
        header_only, empty_files, binary_columns, nested_parquet, nested_json, huge_cell, many_columns,
        duplicate_columns, typed_parquet, schema_drift, permission_denied, symlink_loop, folder_symlink_loop,
    )
}
