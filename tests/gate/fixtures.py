"""Small seeded fixtures for the gate: a few lake tables plus tables with a consent column.

Every table is built from ``tests.datagen.lake``'s seeded builders (fictional people), written once
per session into a temporary folder, and addressed by its path.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from tests.datagen import lake

CONSENT_COLUMN = "同意"
YES = ("同意済", "はい", "1", "true", "Yes", "Ｙ", "同意")
NO = ("いいえ", "0", "false", "未同意", "")


@dataclass(frozen=True)
class GateLake:
    root: Path

    def path(self, relative: str) -> str:
        return str(self.root / relative)


def _members(rng: random.Random, rows: int, consent_share: float) -> tuple[lake.Columns, int]:
    """Name, e-mail, gender and a consent flag; returns the table and how many rows consented."""
    customers = lake._customers(rng, rows)
    consents: list[str | None] = []
    for _ in range(rows):
        if rng.random() < consent_share:
            consents.append(rng.choice(YES))
        else:
            consents.append(rng.choice((*NO, None)))
    table: lake.Columns = {
        "氏名": customers["氏名"],
        "メールアドレス": customers["メールアドレス"],
        # Two spellings only, so gender alone is never a rare (quasi-identifying) value in 60 rows.
        "性別": [rng.choice(("男性", "女性")) for _ in range(rows)],
        CONSENT_COLUMN: consents,
    }
    consented = sum(1 for c in consents if c in YES)
    return table, consented


def _write_csv_with_nulls(path: Path, cols: lake.Columns) -> None:
    lake._write_csv(path, {name: ["" if v is None else v for v in values] for name, values in cols.items()})


def build_gate_lake(root: Path, seed: int = 11) -> tuple[GateLake, dict[str, int]]:
    """Write the fixtures; returns the lake and the consented-row count of each consent table."""

    def rng(name: str) -> random.Random:
        return random.Random(f"piiscan-gate/{seed}/{name}")

    counts: dict[str, int] = {}
    raw, general = lake._qi_exports(rng("qi"), 2000)
    members, counts["consent/members.csv"] = _members(rng("members"), 80, 0.7)
    everyone, counts["consent/members_all.csv"] = _members(rng("members-all"), 60, 1.0)
    tables = {
        "crm/customers.parquet": lambda p: lake._write_parquet(p, lake._customers(rng("crm"), 120)),
        "survey/responses.jsonl": lambda p: lake._write_jsonl(p, lake._survey_rows(rng("survey"), 150)),
        "partner/raw_export.parquet": lambda p: lake._write_parquet(p, raw),
        "partner/generalised_export.parquet": lambda p: lake._write_parquet(p, general),
        "catalog/products.csv": lambda p: lake._write_csv(p, lake._products(rng("catalog"), 80)),
        "support/tickets.csv": lambda p: lake._write_csv(p, lake._tickets(rng("tickets"), 80)),
        "sales/orders.csv": lambda p: lake._write_csv(p, lake._orders(rng("orders"), 60)),
        "consent/members.csv": lambda p: _write_csv_with_nulls(p, members),
        "consent/members_all.csv": lambda p: _write_csv_with_nulls(p, everyone),
    }
    for relative, write in tables.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
    return GateLake(root), counts
