"""`piiscan check` exit codes and outputs through the CLI (typer's CliRunner): 0 allowed, 1 blocked,
2 could not decide — and never 0 when in doubt."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from pipeline.settings import DEFAULT_POLICY
from tests.gate.fixtures import CONSENT_COLUMN, GateLake

runner = CliRunner()


def _check(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["check", *args, "--scheduler", "sync"])
    return result.exit_code, result.output


def _verdict(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / "verdict.json").read_text(encoding="utf-8"))
    return data


def test_allowed_exits_0_and_writes_the_verdict(cli_app: typer.Typer, gate_lake: GateLake, tmp_path: Path) -> None:
    code, output = _check(cli_app, gate_lake.path("catalog/products.csv"), "--destination", "statistics", "--out", str(tmp_path))
    assert code == 0, output
    assert "ALLOWED" in output
    assert _verdict(tmp_path)["decision"] == "allowed"
    assert (tmp_path / "report.json").exists()


def test_blocked_exits_1_with_reasons_printed_masked_and_written(
    cli_app: typer.Typer, gate_lake: GateLake, tmp_path: Path
) -> None:
    code, output = _check(
        cli_app, gate_lake.path("consent/members.csv"), "--destination", "third_party",
        "--consent-column", CONSENT_COLUMN, "--out", str(tmp_path),
    )
    assert code == 1, output
    verdict = _verdict(tmp_path)
    assert verdict["decision"] == "blocked"
    reasons = verdict["reasons"]
    assert isinstance(reasons, list) and reasons
    for reason in reasons:
        assert reason["policy_sentence"] and reason["rule"] in output
        assert reason["dataset"] in output
    # Nothing raw: no full name or e-mail address of the table reaches the terminal or verdict.json.
    raw = (Path(gate_lake.path("consent/members.csv"))).read_text(encoding="utf-8").splitlines()[1:]
    values = {cell for line in raw for cell in line.split(",")[:2] if len(cell) > 3}
    text = output + (tmp_path / "verdict.json").read_text(encoding="utf-8")
    assert values and not [v for v in values if v in text]


def test_corrupt_file_exits_2(cli_app: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "lake" / "broken.parquet"
    bad.parent.mkdir()
    bad.write_bytes(b"PAR1 this is not a parquet file")
    code, output = _check(cli_app, str(bad.parent), "--destination", "internal", "--out", str(tmp_path / "out"))
    assert code == 2, output
    assert _verdict(tmp_path / "out")["decision"] == "undecidable"


def test_missing_source_exits_2(cli_app: typer.Typer, tmp_path: Path) -> None:
    code, _ = _check(cli_app, str(tmp_path / "nowhere"), "--destination", "internal", "--out", str(tmp_path / "out"))
    assert code == 2


def test_unknown_destination_exits_2_and_replaces_a_stale_verdict(
    cli_app: typer.Typer, gate_lake: GateLake, tmp_path: Path
) -> None:
    (tmp_path / "verdict.json").write_text('{"decision": "allowed"}', encoding="utf-8")
    code, output = _check(cli_app, gate_lake.path("catalog/products.csv"), "--destination", "thirdparty", "--out", str(tmp_path))
    assert code == 2
    assert "unknown destination" in output and "third_party" in output
    assert _verdict(tmp_path)["decision"] == "undecidable"


def test_policy_with_a_typo_exits_2(cli_app: typer.Typer, gate_lake: GateLake, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(DEFAULT_POLICY.read_text(encoding="utf-8").replace("blocked_risks:", "blocked_risk:"), encoding="utf-8")
    code, output = _check(
        cli_app, gate_lake.path("catalog/products.csv"), "--destination", "statistics",
        "--policy", str(policy), "--out", str(tmp_path / "out"),
    )
    assert code == 2
    assert "policy.yaml" in output


def test_missing_consent_column_exits_2(cli_app: typer.Typer, gate_lake: GateLake, tmp_path: Path) -> None:
    code, output = _check(
        cli_app, gate_lake.path("consent/members.csv"), "--destination", "third_party",
        "--consent-column", "consent", "--out", str(tmp_path),
    )
    assert code == 2, output
    problems = _verdict(tmp_path)["problems"]
    assert isinstance(problems, list) and "consent" in problems[0]["message"]
