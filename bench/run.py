"""piiscan benchmarks: every number is a ratio against a baseline measured in the same run, on the same data.

    python -m bench.run                      # all benchmarks, default sizes
    python -m bench.run --rows 2000000       # the issue's size for the pattern scan
    python -m bench.run --only pattern --profile   # cProfile the pattern scan (top functions)

Writes bench/results.json (machine, load average, sizes, seconds, ratios, goals, met or not).
Benchmarks:
- pattern: piiscan's per-file pattern scan (profile_file: every row, every column, recognizers with
  check digits; no NER) of a generated Japanese CRM Parquet table, vs a bare pyarrow read + utf8_length.
- workers: a whole scan of a generated lake (>= 8 files) on a local cluster of 2 worker processes vs 1.
- quasi: quasi-identifier search over 1M rows x 8 columns (pipeline.quasi.bench_quasi).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

RESULTS = Path(__file__).resolve().parent / "results.json"


def _best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs: the least disturbed by other load on the machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------- pattern scan vs bare pyarrow


def write_crm_table(path: Path, rows: int, seed: int = 0) -> None:
    """A 12-column Japanese CRM table: names, kana, phones, e-mails, postal codes, addresses, birth dates,
    gender, member ids, amounts, prefectures, notes; realistic cardinalities (phones/e-mails unique)."""
    from tests.datagen import vocab

    rng = np.random.default_rng(seed)
    surnames = np.array([s for s, _ in vocab.SURNAMES])
    surname_kana = np.array([k for _, k in vocab.SURNAMES])
    given = np.array([g for g, _, _ in vocab.GIVEN_NAMES])
    given_kana = np.array([k for _, k, _ in vocab.GIVEN_NAMES])
    places = vocab.MUNICIPALITIES
    s_idx = rng.integers(0, len(surnames), rows)
    g_idx = rng.integers(0, len(given), rows)
    p_idx = rng.integers(0, len(places), rows)
    numbers = rng.integers(0, 10**8, rows)
    prefecture = np.array([p.prefecture for p in places])[p_idx]
    city = np.array([p.city for p in places])[p_idx]
    town = np.array([p.towns[0] for p in places])[p_idx]
    block = rng.integers(1, 9, rows).astype(str)
    lot = rng.integers(1, 30, rows).astype(str)
    notes = np.array(["", "次回訪問予定", "資料送付済み", "電話にて対応", "キャンペーン対象"])[rng.integers(0, 5, rows)]

    def join(*parts: np.ndarray | str) -> np.ndarray:
        out = np.asarray(parts[0]).astype(object)
        for part in parts[1:]:
            out = out + np.asarray(part).astype(object)
        return out

    phones = join("090-", np.char.zfill((numbers // 10**4).astype(str), 4), "-", np.char.zfill((numbers % 10**4).astype(str), 4))
    table = pa.table(
        {
            "氏名": join(surnames[s_idx], " ", given[g_idx]),
            "フリガナ": join(surname_kana[s_idx], " ", given_kana[g_idx]),
            "電話番号": phones,
            "メールアドレス": join("user", np.arange(rows).astype(str), "@example.co.jp"),
            "郵便番号": join(np.array([p.postal_prefix for p in places])[p_idx], "-", np.char.zfill(rng.integers(0, 10**4, rows).astype(str), 4)),
            "住所": join(prefecture, city, town, block, "丁目", lot, "番"),
            "生年月日": join(rng.integers(1940, 2006, rows).astype(str), "-", np.char.zfill(rng.integers(1, 13, rows).astype(str), 2), "-", np.char.zfill(rng.integers(1, 29, rows).astype(str), 2)),
            "性別": np.array(["男性", "女性"])[rng.integers(0, 2, rows)].astype(object),
            "会員番号": join("M", np.char.zfill(np.arange(rows).astype(str), 9)),
            "購入金額": rng.integers(100, 500_000, rows).astype(str).astype(object),
            "都道府県": prefecture.astype(object),
            "備考": notes.astype(object),
        }
    )
    pq.write_table(table, path, row_group_size=65536)


def bench_pattern(rows: int, repeat: int, profile: bool) -> dict[str, Any]:
    from pipeline.detect import profile_file
    from pipeline.engine import pattern_recognizers
    from pipeline.settings import DEFAULT_USER_RECOGNIZERS, load_scan_settings
    from pipeline.sources import DataFile

    with tempfile.TemporaryDirectory(prefix="piiscan-bench-") as folder:
        path = Path(folder) / "crm.parquet"
        write_crm_table(path, rows)
        settings = load_scan_settings()
        user = str(DEFAULT_USER_RECOGNIZERS) if DEFAULT_USER_RECOGNIZERS.exists() else None
        pattern_recognizers(user)  # engines are built once per process; not part of either measurement
        file = DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="")

        def baseline() -> None:
            table = pq.read_table(path)
            for column in table.columns:
                pc.sum(pc.utf8_length(column))

        def piiscan() -> None:
            profile = profile_file(file, settings, user)
            assert profile.rows == rows and not profile.issues

        base = _best_of(repeat, baseline)
        ours = _best_of(repeat, piiscan)
        out: dict[str, Any] = {
            "rows": rows, "columns": 12, "file_bytes": path.stat().st_size,
            "baseline_seconds": round(base, 3), "piiscan_seconds": round(ours, 3),
            "ratio": round(ours / base, 1), "goal": "<= 5x", "met": ours / base <= 5,
            "rows_per_second": round(rows / ours),
        }
        if profile:
            profiler = cProfile.Profile()
            profiler.runcall(piiscan)
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
            out["profile_top"] = text.getvalue()
        return out


# ---------------------------------------------------------------- 2 workers vs 1


def bench_workers(rows: int, repeat: int) -> dict[str, Any]:
    import logging

    from distributed import Client, LocalCluster

    import pipeline
    from tests.datagen.lake import generate_lake

    with tempfile.TemporaryDirectory(prefix="piiscan-bench-") as folder:
        lake = Path(folder) / "lake"
        files = generate_lake(lake, seed=7, rows=rows)
        seconds: dict[int, float] = {}
        for workers in (1, 2):
            with (
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR) as cluster,  # type: ignore[no-untyped-call]
                Client(cluster) as client,  # type: ignore[no-untyped-call]
            ):
                client.wait_for_workers(workers)
                address = cluster.scheduler_address

                def scan_lake(address: str = address) -> None:
                    pipeline.scan(str(lake), scheduler=address)

                scan_lake()  # warm-up: each worker builds its engines once
                seconds[workers] = _best_of(repeat, scan_lake)
        speedup = seconds[1] / seconds[2]
        return {
            "files": len(files), "rows_per_table": rows,
            "one_worker_seconds": round(seconds[1], 3), "two_workers_seconds": round(seconds[2], 3),
            "speedup": round(speedup, 2), "goal": ">= 1.7x", "met": speedup >= 1.7,
        }


# ---------------------------------------------------------------- quasi-identifiers


def bench_qi(rows: int, cols: int) -> dict[str, Any]:
    from pipeline.quasi import bench_quasi

    seconds = bench_quasi(rows, cols)
    return {"rows": rows, "columns": cols, "seconds": round(seconds, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the CRM table for the pattern scan (issue: 2000000)")
    parser.add_argument("--lake-rows", type=int, default=300, help="rows per table of the lake for 2 workers vs 1")
    parser.add_argument("--qi-rows", type=int, default=1_000_000, help="rows for the quasi-identifier search")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest counts")
    parser.add_argument("--only", choices=["pattern", "workers", "quasi"], action="append", help="run only these")
    parser.add_argument("--profile", action="store_true", help="cProfile the pattern scan and print the top functions")
    args = parser.parse_args(argv)
    chosen = args.only or ["pattern", "workers", "quasi"]

    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "benchmarks": {},
    }
    if "pattern" in chosen:
        print(f"pattern scan of a {args.rows:,}-row x 12-column CRM table vs pyarrow read + utf8_length ...", flush=True)
        results["benchmarks"]["pattern_scan_vs_pyarrow"] = bench_pattern(args.rows, args.repeat, args.profile)
    if "workers" in chosen:
        print(f"whole lake ({args.lake_rows} rows/table): 2 local workers vs 1 ...", flush=True)
        results["benchmarks"]["two_workers_vs_one"] = bench_workers(args.lake_rows, args.repeat)
    if "quasi" in chosen:
        print(f"quasi-identifier search over {args.qi_rows:,} rows x 8 columns ...", flush=True)
        results["benchmarks"]["quasi_identifiers"] = bench_qi(args.qi_rows, 8)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]

    from pipeline.report import atomic_write_text

    atomic_write_text(RESULTS, json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    for name, result in results["benchmarks"].items():
        shown = {k: v for k, v in result.items() if k != "profile_top"}
        print(f"{name}: {json.dumps(shown, ensure_ascii=False)}")
        if "profile_top" in result:
            print(result["profile_top"])
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
