"""Each command loads its settings and policy once and discovers its sources once (issue #13, "load once").

The loaders are wrapped wherever a module holds them (``from … import`` binds the name), so a stage that
loaded or discovered again, by any route, is counted. ``anonymize`` discovers twice on purpose: its input,
then its own output for the re-check, which reuses the loaded settings and policy.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from tests.gate.fixtures import CONSENT_COLUMN, build_gate_lake

HASH_KEY = "load-once-test-key-4be21c9d"
_MODULES = ("pipeline.api", "pipeline.gate", "pipeline.anonymizer", "pipeline.plan", "pipeline.cli", "pipeline.cli.scan", "pipeline.cli.gate")


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root, _ = build_gate_lake(tmp_path_factory.mktemp("load-once-lake"))
    return root.root


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    from pipeline.cli import app

    return app


class Calls:
    """The calls of one wrapped function: the first positional argument of each."""

    def __init__(self) -> None:
        self.firsts: list[Any] = []

    def __len__(self) -> int:
        return len(self.firsts)


def _count(monkeypatch: pytest.MonkeyPatch, module_name: str, name: str) -> Calls:
    for loaded in _MODULES:
        importlib.import_module(loaded)
    original: Callable[..., Any] = getattr(importlib.import_module(module_name), name)
    calls = Calls()

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.firsts.append(args[0] if args else kwargs.get("sources", kwargs.get("config", kwargs.get("path"))))
        return original(*args, **kwargs)

    patched = 0
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("pipeline") and getattr(module, name, None) is original:
            monkeypatch.setattr(module, name, counting)
            patched += 1
    assert patched, f"{module_name}.{name} is bound nowhere"
    return calls


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> dict[str, Calls]:
    monkeypatch.setenv("PIISCAN_DETECTION__NER_ENABLED", "false")  # no GiNZA: the counts do not depend on NER
    monkeypatch.setenv("PIISCAN_HASH_KEY", HASH_KEY)
    for variable in ("PIISCAN_POLICY", "PIISCAN_CONFIG", "PIISCAN_SCHEDULER"):
        monkeypatch.delenv(variable, raising=False)
    return {
        "policy": _count(monkeypatch, "pipeline.policy", "load_policy"),
        "settings": _count(monkeypatch, "pipeline.settings", "load_scan_settings"),
        "discovery": _count(monkeypatch, "pipeline.sources", "discover_all"),
    }


def _run(app: typer.Typer, *args: str) -> int:
    result = CliRunner().invoke(app, [*args, "--scheduler", "sync"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code


def test_scan_loads_policy_and_settings_once_and_discovers_once(
    app: typer.Typer, lake: Path, tmp_path: Path, counts: dict[str, Calls]
) -> None:
    code = _run(app, "scan", str(lake), "--out", str(tmp_path / "out"), "--no-catalog", "--quiet")
    assert code == 0
    assert (tmp_path / "out" / "report.json").exists()
    assert (len(counts["policy"]), len(counts["settings"]), len(counts["discovery"])) == (1, 1, 1)
    assert counts["discovery"].firsts == [[str(lake)]]


def test_scan_with_sample_builds_settings_once_in_memory(
    app: typer.Typer, lake: Path, tmp_path: Path, counts: dict[str, Calls]
) -> None:
    code = _run(app, "scan", str(lake / "crm"), "--out", str(tmp_path / "out"), "--no-catalog", "--quiet", "--sample", "5")
    assert code == 0
    assert (len(counts["policy"]), len(counts["settings"]), len(counts["discovery"])) == (1, 1, 1)


def test_check_loads_policy_and_settings_once_and_discovers_once(
    app: typer.Typer, lake: Path, tmp_path: Path, counts: dict[str, Calls]
) -> None:
    # third_party with a consent column: the gate reads the consent column too, from the plan's datasets.
    code = _run(
        app, "check", str(lake / "consent"), "--destination", "third_party", "--consent-column", CONSENT_COLUMN,
        "--out", str(tmp_path / "out"),
    )
    assert code in (0, 1)  # decided: the consent column was found and read
    assert (tmp_path / "out" / "verdict.json").exists()
    assert (len(counts["policy"]), len(counts["settings"]), len(counts["discovery"])) == (1, 1, 1)
    assert counts["discovery"].firsts == [[str(lake / "consent")]]


def test_anonymize_loads_once_and_discovers_its_input_and_its_output_once_each(
    app: typer.Typer, lake: Path, tmp_path: Path, counts: dict[str, Calls]
) -> None:
    out = tmp_path / "copy"
    code = _run(
        app, "anonymize", str(lake / "crm"), str(lake / "survey"), "--destination", "outsourcing", "--out", str(out)
    )
    assert code == 0
    assert (out / "_anonymize.json").exists()
    assert len(counts["policy"]) == 1
    assert len(counts["settings"]) == 1
    assert len(counts["discovery"]) == 2
    first, second = counts["discovery"].firsts
    assert first == [str(lake / "crm"), str(lake / "survey")]  # the input, once
    # The re-check discovers the written copy (a folder beside --out, renamed to it after the check passes).
    assert len(second) == 1
    assert Path(second[0]).parent == out.parent
    assert Path(second[0]).name.startswith(f".{out.name}.")


def test_the_public_api_also_loads_once(lake: Path, counts: dict[str, Calls]) -> None:
    from pipeline.gate import check

    verdict = check(str(lake / "crm"), "outsourcing", scheduler="sync")
    assert verdict.report is not None and verdict.datasets == ("customers.parquet",)
    assert (len(counts["policy"]), len(counts["settings"]), len(counts["discovery"])) == (1, 1, 1)
