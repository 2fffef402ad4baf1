"""`anonymize`: the copy passes the gate for its destination, keeps only consented rows, redacts spans in
free text, never contains the hash key, never touches the source, and leaves nothing when it cannot pass."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

import pipeline
from pipeline.errors import ConfigError
from pipeline.gate import ExportBlocked, is_consent
from pipeline.settings import DEFAULT_POLICY
from tests.gate.conftest import file_bytes
from tests.gate.fixtures import CONSENT_COLUMN, GateLake

runner = CliRunner()


def _csv(path: Path) -> dict[str, list[str | None]]:
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    return {name: [None if v is None else str(v) for v in table.column(name).to_pylist()] for name in table.column_names}


def test_consented_rows_only_and_the_copy_passes(
    gate_lake_and_counts: tuple[GateLake, dict[str, int]], tmp_path: Path, hash_key: str
) -> None:
    lake, counts = gate_lake_and_counts
    source = lake.path("consent/members.csv")
    before = file_bytes(Path(source).parent)
    out = tmp_path / "export"
    result = pipeline.anonymize(source, "third_party", out, consent_column=CONSENT_COLUMN, scheduler="sync")
    (dataset,) = result.datasets
    assert dataset.rows_without_consent == 80 - counts["consent/members.csv"]
    copy = _csv(out / "members.csv")
    assert copy[CONSENT_COLUMN] and all(is_consent(v) for v in copy[CONSENT_COLUMN])
    assert len(copy[CONSENT_COLUMN]) == dataset.rows_out <= counts["consent/members.csv"]
    assert "氏名" in copy  # consented personal data may go; the rows without consent do not
    assert pipeline.check(str(out), "third_party", consent_column=CONSENT_COLUMN, scheduler="sync").allowed
    assert file_bytes(Path(source).parent) == before


@pytest.mark.parametrize(
    ("relative", "destination"),
    [
        ("crm/customers.parquet", "third_party"),
        ("partner/raw_export.parquet", "statistics"),
        ("survey/responses.jsonl", "third_party"),
        ("sales/orders.csv", "outsourcing"),
    ],
)
def test_anonymised_copy_passes_check_for_the_same_destination(
    gate_lake: GateLake, tmp_path: Path, hash_key: str, relative: str, destination: str
) -> None:
    source = gate_lake.path(relative)
    before = file_bytes(gate_lake.root)
    out = tmp_path / "export"
    pipeline.anonymize(source, destination, out, scheduler="sync")
    assert pipeline.check(str(out), destination, scheduler="sync").allowed
    assert file_bytes(gate_lake.root) == before
    for path in out.rglob("*"):
        if path.is_file():
            assert hash_key.encode() not in path.read_bytes()


def test_raw_export_is_generalised_for_statistics(gate_lake: GateLake, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = pipeline.anonymize(gate_lake.path("partner/raw_export.parquet"), "statistics", out, scheduler="sync")
    table = pq.read_table(out / "raw_export.parquet").to_pydict()
    actions = {a.column: a.action for a in result.datasets[0].actions}
    assert actions["年齢"] in ("generalised", "dropped")
    if "年齢" in table:
        assert all(v.endswith(("代", "以上", "未満")) for v in table["年齢"] if v is not None)
    if "郵便番号" in table:
        assert all(len(v) == 3 and v.isdigit() for v in table["郵便番号"] if v is not None)
    summary = json.loads((out / "_anonymize.json").read_text(encoding="utf-8"))
    assert summary["recheck"]["decision"] == "allowed"


def test_free_text_spans_replaced_rest_intact(gate_lake: GateLake, tmp_path: Path) -> None:
    source = Path(gate_lake.path("support/tickets.csv"))
    out = tmp_path / "export"
    pipeline.anonymize(str(source), "third_party", out, scheduler="sync")
    before = _csv(source)
    original = dict(zip(before["ticket_id"], before["本文"], strict=True))
    copy = dict(zip(_csv(out / "tickets.csv")["ticket_id"], _csv(out / "tickets.csv")["本文"], strict=True))
    changed = [(original[t], body) for t, body in copy.items() if body != original[t]]
    assert changed, "tickets mention names, phones and e-mails; some must be redacted"
    for before, after in changed:
        assert after is not None and before is not None
        assert "[" in after and "]" in after
        assert "@" not in after  # e-mail addresses are gone
        # The words around the spans survive: every placeholder-free fragment is from the original.
        for fragment in after.replace("]", "[").split("["):
            if fragment and not fragment.isupper():
                assert fragment in before
    unchanged = [t for t, body in copy.items() if body == original[t]]
    assert unchanged, "tickets without personal data keep their text"


def test_hash_operator_refuses_to_run_without_a_key(gate_lake: GateLake, tmp_path: Path, no_hash_key: None) -> None:
    out = tmp_path / "export"
    with pytest.raises(ConfigError, match="PIISCAN_HASH_KEY"):
        pipeline.anonymize(gate_lake.path("sales/orders.csv"), "outsourcing", out, scheduler="sync")
    assert not out.exists()


def test_keyed_hash_pseudonymises_for_outsourcing(gate_lake: GateLake, tmp_path: Path, hash_key: str) -> None:
    source = Path(gate_lake.path("sales/orders.csv"))
    out = tmp_path / "export"
    pipeline.anonymize(str(source), "outsourcing", out, scheduler="sync")
    before, after = _csv(source), _csv(out / "orders.csv")
    assert after["member_id"] != before["member_id"]
    assert all(v is not None and len(v) == 32 for v in after["member_id"])
    # The same member gets the same pseudonym, so the contractor can still join on it.
    pairs = {(b, a) for b, a in zip(before["member_id"], after["member_id"], strict=True)}
    assert len({b for b, _ in pairs}) == len(pairs)
    assert all(v is not None and set(v) <= {"*"} for v in after["card_number"])
    assert after["jan_code"] == before["jan_code"]


def test_a_copy_that_still_fails_is_removed(gate_lake: GateLake, tmp_path: Path) -> None:
    # A policy whose third_party blocks attributes but only "generalises" them: gender stays, so the
    # re-check fails and nothing may be left behind.
    policy = tmp_path / "policy.yaml"
    text = DEFAULT_POLICY.read_text(encoding="utf-8").replace(
        "categories: [identifier_code, credential]", "categories: [identifier_code, credential, attribute]", 1
    )
    policy.write_text(text, encoding="utf-8")
    out = tmp_path / "export"
    with pytest.raises(ExportBlocked) as caught:
        pipeline.anonymize(gate_lake.path("partner/generalised_export.parquet"), "third_party", out, policy=policy, scheduler="sync")
    assert caught.value.reasons and all(r.category == "attribute" for r in caught.value.reasons)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export")]


def test_cli_anonymize_then_check(cli_app: typer.Typer, gate_lake: GateLake, tmp_path: Path, hash_key: str) -> None:
    out = tmp_path / "export"
    result = runner.invoke(
        cli_app, ["anonymize", gate_lake.path("crm/customers.parquet"), "--destination", "third_party", "--out", str(out), "--scheduler", "sync"]
    )
    assert result.exit_code == 0, result.output
    checked = runner.invoke(cli_app, ["check", str(out), "--destination", "third_party", "--out", str(tmp_path / "v"), "--scheduler", "sync"])
    assert checked.exit_code == 0, checked.output
    refused = runner.invoke(
        cli_app, ["anonymize", gate_lake.path("crm/customers.parquet"), "--destination", "third_party", "--out", str(out), "--scheduler", "sync"]
    )
    assert refused.exit_code == 2 and "not an empty folder" in refused.output
