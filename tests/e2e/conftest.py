"""One sample lake and one real CLI scan of it (default local Dask cluster), shared by the e2e tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.datagen.lake import generate_lake

REPO = Path(__file__).resolve().parents[2]
PIISCAN = [sys.executable, "-m", "pipeline"]


@dataclass(frozen=True)
class CliScan:
    lake: Path
    out: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads((self.out / "report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def run_piiscan(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([*PIISCAN, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def sample_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lake = tmp_path_factory.mktemp("lake")
    generate_lake(lake, seed=7, rows=300)
    return lake


@pytest.fixture(scope="session")
def cli_scan(sample_lake: Path, tmp_path_factory: pytest.TempPathFactory) -> CliScan:
    """The user's first command: piiscan scan LAKE --out DIR, on the default local cluster."""
    out = tmp_path_factory.mktemp("out")
    done = run_piiscan("scan", str(sample_lake), "--out", str(out))
    return CliScan(sample_lake, out, done.returncode, done.stdout, done.stderr)
