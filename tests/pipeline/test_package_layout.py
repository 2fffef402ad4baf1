"""pipeline/cli and pipeline/report are packages of one concern a module, with no import cycle between them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["scan", "check", "anonymize", "history", "diff"]


def _cycles(graph: grimp.ImportGraph, modules: list[str]) -> list[tuple[str, str]]:
    return [
        (first, second) for first in modules for second in modules
        if first < second and graph.chain_exists(first, second) and graph.chain_exists(second, first)
    ]


def test_cli_modules_form_no_cycle_and_only_the_package_imports_the_app() -> None:
    graph = grimp.build_graph("pipeline", include_external_packages=False, cache_dir=None)
    modules = sorted(m for m in graph.modules if m.startswith("pipeline.cli."))
    assert {"pipeline.cli.app", "pipeline.cli.scan", "pipeline.cli.gate", "pipeline.cli.catalog"} <= set(modules)
    assert _cycles(graph, modules) == []
    assert graph.find_modules_that_directly_import("pipeline.cli.app") == {"pipeline.cli"}
    # Nothing below the command line reaches back up into it.
    outside = {m for m in graph.modules if not m.startswith("pipeline.cli") and m != "pipeline.__main__"}
    assert not {m for m in outside if graph.find_modules_directly_imported_by(m) & ({"pipeline.cli"} | set(modules))}


def test_report_verdict_and_atomic_writes_form_no_cycle_even_counting_type_imports() -> None:
    # Verdict carries a ScanReport and the report renders a Verdict: only the notebook fragment (no verdict)
    # may sit between the model and the HTML page, or the two would import each other.
    graph = grimp.build_graph("pipeline", include_external_packages=False, cache_dir=None)
    modules = sorted(m for m in graph.modules if m.startswith(("pipeline.report", "pipeline.verdict", "pipeline.atomic")))
    assert {"pipeline.report.model", "pipeline.report.html", "pipeline.report.markdown", "pipeline.verdict"} <= set(modules)
    assert _cycles(graph, modules) == []
    assert not graph.find_modules_directly_imported_by("pipeline.atomic") - {"pipeline.errors"}


def test_python_dash_m_pipeline_has_every_command() -> None:
    from pipeline.cli import app

    assert [c.name for c in app.registered_commands] == COMMANDS
    shown = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], cwd=REPO, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(REPO), "COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert shown.returncode == 0
    for command in COMMANDS:
        assert f"│ {command} " in shown.stdout
