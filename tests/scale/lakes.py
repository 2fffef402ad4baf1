"""A small seeded lake for the scale tests: three datasets, one of them hive-partitioned over two files."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

_FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
_GIVEN = ["太郎", "花子", "一郎", "美咲", "健太", "陽菜", "翔太", "結衣", "大輔", "さくら"]
_PLANS = ["basic", "standard", "premium"]
ROWS = 120


def _phone(rng: random.Random) -> str:
    return f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


def _email(rng: random.Random, i: int) -> str:
    return f"user{i}.{rng.randint(100, 999)}@example.co.jp"


def customers(rng: random.Random, rows: int = ROWS, *, with_email: bool = False) -> pa.Table:
    data: dict[str, list[str]] = {
        "氏名": [f"{rng.choice(_FAMILY)} {rng.choice(_GIVEN)}" for _ in range(rows)],
        "電話番号": [_phone(rng) for _ in range(rows)],
        "plan": [rng.choice(_PLANS) for _ in range(rows)],
    }
    if with_email:
        data["contact"] = [_email(rng, i) for i in range(rows)]
    return pa.table(data)


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def orders(rng: random.Random, rows: int = ROWS) -> bytes:
    return _csv_bytes(
        ["order_no", "amount", "status"],
        [[f"A{10000 + i}", str(rng.randint(100, 90000)), rng.choice(["paid", "shipped"])] for i in range(rows)],
    )


def events(rng: random.Random, rows: int = ROWS) -> bytes:
    return _csv_bytes(
        ["event", "email"], [[rng.choice(["login", "logout", "view"]), _email(rng, i)] for i in range(rows)]
    )


def write_lake(root: Path, seed: int = 3) -> dict[str, list[Path]]:
    """Write the lake under ``root``; returns dataset name → its files."""
    rng = random.Random(f"scale-lake/{seed}")
    (root / "crm").mkdir(parents=True, exist_ok=True)
    pq.write_table(customers(rng), root / "crm" / "customers.parquet")
    (root / "sales").mkdir(exist_ok=True)
    (root / "sales" / "orders.csv").write_bytes(orders(rng))
    event_files = []
    for day in ("2026-11-01", "2026-11-02"):
        folder = root / "logs" / f"dt={day}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "part-0.csv").write_bytes(events(rng))
        event_files.append(folder / "part-0.csv")
    return {
        "crm/customers.parquet": [root / "crm" / "customers.parquet"],
        "sales/orders.csv": [root / "sales" / "orders.csv"],
        "logs": event_files,
    }
