"""Exit codes with bad input, through the real console entry point in a child process that runs under
the socket guard (so these are also the "a scan passes with network denied" tests).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.badfiles import BUILDERS, write_good
from tests.reliability.conftest import NO_NER_CONFIG

ROOT = Path(__file__).resolve().parents[2]


def piiscan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tests.reliability.netguard", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def bad_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lake = tmp_path_factory.mktemp("cli") / "lake"
    lake.mkdir()
    write_good(lake)
    for case in ("corrupt_parquet", "truncated_gzip", "symlink_loop", "invalid_utf8"):
        BUILDERS[case](lake)
    return lake


@pytest.mark.slow
def test_scan_with_unreadable_files_exits_3_and_lists_each(bad_lake: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = piiscan("scan", str(bad_lake), "--out", str(out), "--config", str(NO_NER_CONFIG),
                     "--scheduler", "sync", "--no-catalog", "--quiet", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    paths = [e["path"] for e in report["errors"]] + [e["path"] for d in report["datasets"] for e in d["errors"]]
    for name in ("corrupt.parquet", "cut.csv.gz", "loop_a.csv", "invalid_utf8.csv"):
        assert any(p.endswith(name) for p in paths), (name, paths)
    assert "good.csv" in [d["dataset"] for d in report["datasets"]]


@pytest.mark.slow
def test_scan_of_missing_path_exits_3(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    write_good(lake)
    out = tmp_path / "out"
    result = piiscan("scan", str(lake), str(tmp_path / "missing"), "--out", str(out), "--config",
                     str(NO_NER_CONFIG), "--scheduler", "sync", "--no-catalog", "--quiet", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["errors"][0]["message"] == "path does not exist"


@pytest.mark.slow
def test_check_with_unreadable_files_exits_2_never_0(bad_lake: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = piiscan("check", str(bad_lake), "--destination", "internal", "--out", str(out),
                     "--config", str(NO_NER_CONFIG), "--scheduler", "sync", cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    verdict = json.loads((out / "verdict.json").read_text(encoding="utf-8"))
    assert verdict["decision"] == "undecidable"  # never a verdict on the readable part only
