"""The gate on real scans of small seeded tables (pipeline.check, sync scheduler)."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.gate import Verdict
from tests.gate.fixtures import CONSENT_COLUMN, GateLake


def _check(lake: GateLake, relative: str, destination: str, consent: str | None = None) -> Verdict:
    return pipeline.check(lake.path(relative), destination, consent_column=consent, scheduler="sync")


def test_customer_table_blocked_for_third_party_allowed_for_outsourcing(gate_lake: GateLake) -> None:
    blocked = _check(gate_lake, "crm/customers.parquet", "third_party")
    assert blocked.decision == "blocked"
    rules = {(r.rule, r.category) for r in blocked.reasons}
    assert ("blocked_category", "credential") in rules
    assert ("consent_required", "personal") in rules
    personal = next(r for r in blocked.reasons if r.category == "personal")
    assert {"氏名", "メールアドレス", "電話番号"} <= set(personal.columns)
    assert _check(gate_lake, "crm/customers.parquet", "outsourcing").decision == "allowed"


def test_rows_without_consent_block_and_full_consent_allows(
    gate_lake_and_counts: tuple[GateLake, dict[str, int]],
) -> None:
    lake, counts = gate_lake_and_counts
    partial = _check(lake, "consent/members.csv", "third_party", CONSENT_COLUMN)
    assert partial.decision == "blocked"
    consent_reasons = [r for r in partial.reasons if r.rule == "consent_required"]
    assert consent_reasons and all(CONSENT_COLUMN not in r.columns for r in partial.reasons)
    (count,) = partial.consent
    assert (count.rows, count.consented) == (80, counts["consent/members.csv"])
    assert f"{80 - count.consented} of 80 rows carry no consent" in consent_reasons[0].detail
    everyone = _check(lake, "consent/members_all.csv", "third_party", CONSENT_COLUMN)
    assert everyone.decision == "allowed", everyone.reasons
    # Without naming the consent column the same table is blocked: consent is never assumed.
    assert _check(lake, "consent/members_all.csv", "third_party").decision == "blocked"


def test_health_survey_blocked_for_third_party(gate_lake: GateLake) -> None:
    verdict = _check(gate_lake, "survey/responses.jsonl", "third_party")
    assert verdict.decision == "blocked"
    special = [r for r in verdict.reasons if r.category == "sensitive.health"]
    assert special and special[0].columns == ("自由記述",)
    assert "person's own act" in special[0].policy_sentence


@pytest.mark.parametrize("destination", ["third_party", "statistics"])
def test_raw_partner_export_blocked_generalised_twin_allowed(gate_lake: GateLake, destination: str) -> None:
    raw = _check(gate_lake, "partner/raw_export.parquet", destination)
    assert raw.decision == "blocked"
    assert {r.rule for r in raw.reasons} == {"quasi_identifier_risk"}
    assert any({"年齢", "職業"} <= set(r.columns) or "郵便番号" in r.columns for r in raw.reasons)
    assert _check(gate_lake, "partner/generalised_export.parquet", destination).decision == "allowed"


@pytest.mark.parametrize("destination", ["third_party", "outsourcing", "statistics", "internal"])
def test_product_catalogue_allowed_everywhere(gate_lake: GateLake, destination: str) -> None:
    assert _check(gate_lake, "catalog/products.csv", destination).decision == "allowed"


def test_missing_consent_column_is_undecidable(gate_lake: GateLake) -> None:
    verdict = _check(gate_lake, "crm/customers.parquet", "third_party", "consent_flag")
    assert verdict.decision == "undecidable" and verdict.exit_code == 2
    assert any("consent_flag" in p.message for p in verdict.problems)
