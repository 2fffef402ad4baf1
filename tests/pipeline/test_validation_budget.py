"""Large columns: every row is prefiltered, check digits run on a bounded stable-hash sample, the share is
extrapolated; small columns are validated in full (exact)."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import yaml

import pipeline
from pipeline.settings import DEFAULT_SCAN_CONFIG


def _my_number(rng: random.Random, valid: bool) -> str:
    digits = [rng.randint(0, 9) for _ in range(11)]
    total = sum(d * (n + 1 if n <= 6 else n - 5) for n, d in zip(range(1, 12), reversed(digits), strict=True))
    check = 0 if total % 11 <= 1 else 11 - total % 11
    if not valid:
        check = (check + 1 + rng.randint(0, 8)) % 10
    return "".join(map(str, digits)) + str(check)


def _config(tmp_path: Path, **detection: int) -> Path:
    data = yaml.safe_load(DEFAULT_SCAN_CONFIG.read_text(encoding="utf-8"))
    data["detection"].update(detection)
    path = tmp_path / "scan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_sampled_validation_extrapolates_close_to_the_exact_share(tmp_path: Path) -> None:
    rng = random.Random(5)
    values = [_my_number(rng, valid=i % 10 < 9) for i in range(4000)]  # 90% valid check digits
    frame = pd.DataFrame({"c1": values})
    exact = pipeline.scan(frame, scheduler="sync", config=_config(tmp_path, validate_limit=10000))
    sampled = pipeline.scan(frame, scheduler="sync", config=_config(tmp_path, validate_limit=300))

    def my_number_ratio(report: pipeline.ScanReport) -> float:
        column = report.datasets[0].columns[0]
        return next(e.ratio for e in column.entities if e.type == "JP_MY_NUMBER")

    assert abs(my_number_ratio(exact) - 0.9) < 0.02
    assert abs(my_number_ratio(sampled) - my_number_ratio(exact)) < 0.06
    assert "estimated from that sample" in sampled.datasets[0].columns[0].explanation
    assert "estimated from that sample" not in exact.datasets[0].columns[0].explanation


def test_screening_keeps_a_rare_entity_in_a_large_column(tmp_path: Path) -> None:
    rng = random.Random(9)
    notes = [f"注文{rng.randint(10**6, 10**7)}の件、対応済み" for _ in range(5000)]
    for i in range(0, 5000, 50):  # 2% of rows mention an e-mail address
        notes[i] = f"連絡先はuser{i}@example.co.jpまでお願いします"
    frame = pd.DataFrame({"備考": notes})
    report = pipeline.scan(frame, scheduler="sync", config=_config(tmp_path, screen_sample_size=1000))
    column = report.datasets[0].columns[0]
    assert "personal" in column.categories
    assert any(e.type == "EMAIL_ADDRESS" and 0.015 <= e.ratio <= 0.025 for e in column.entities)
