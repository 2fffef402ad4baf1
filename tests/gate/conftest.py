"""Session fixtures for the gate tests: the seeded gate lake, a registered CLI, a hash key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from tests.gate.fixtures import GateLake, build_gate_lake

HASH_KEY = "gate-test-key-6c1f9a0e2b7d4f83"


@pytest.fixture(scope="session")
def gate_lake_and_counts(tmp_path_factory: pytest.TempPathFactory) -> tuple[GateLake, dict[str, int]]:
    return build_gate_lake(tmp_path_factory.mktemp("gate-lake"))


@pytest.fixture(scope="session")
def gate_lake(gate_lake_and_counts: tuple[GateLake, dict[str, int]]) -> GateLake:
    return gate_lake_and_counts[0]


@pytest.fixture(scope="session")
def cli_app() -> typer.Typer:
    """The piiscan app, every command registered, as ``piiscan`` (pipeline.cli.main) runs it."""
    from pipeline.cli import app

    return app


@pytest.fixture
def hash_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("PIISCAN_HASH_KEY", HASH_KEY)
    yield HASH_KEY


@pytest.fixture
def no_hash_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIISCAN_HASH_KEY", raising=False)


def file_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
