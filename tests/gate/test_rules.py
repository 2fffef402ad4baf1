"""The destination rules in configs/policy.yaml, and the gate's decision on hand-made scan results."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml

from pipeline.errors import ConfigError
from pipeline.gate import BlockingReason, ExportBlocked, GateUndecidable, UnknownDestination, evaluate
from pipeline.models import ColumnResult, DatasetResult, EntityFinding, QuasiIdentifierSet, ScanIssue
from pipeline.policy import CategoryGateRule, load_policy
from pipeline.report import ScanReport
from pipeline.settings import DEFAULT_POLICY


def _column(name: str, entity: str | None = None, category: str | None = None) -> ColumnResult:
    entities = (EntityFinding(entity, 0.9, 0.95, ("values",), ("山* **",)),) if entity else ()
    return ColumnResult(name=name, categories=(category,) if category else (), entities=entities)


def _report(*datasets: DatasetResult, errors: tuple[ScanIssue, ...] = ()) -> ScanReport:
    return ScanReport(datasets=datasets, errors=errors, started_at="", finished_at="", policy_path="", policy_sha256="")


CUSTOMERS = DatasetResult(
    dataset="crm/customers.parquet",
    format="parquet",
    rows_total=10,
    rows_scanned=10,
    columns=(
        _column("氏名", "PERSON", "personal"),
        _column("会員番号", "MEMBER_ID", "credential"),
        _column("性別", "GENDER", "attribute"),
    ),
    quasi_identifier_sets=(QuasiIdentifierSet(("性別", "年齢"), 1, 0.5, "high"),),
)
SURVEY = DatasetResult(
    dataset="survey.jsonl", format="jsonl", rows_total=10, rows_scanned=10,
    columns=(_column("自由記述", "MEDICAL", "sensitive.health"),),
)
CATALOGUE = DatasetResult(
    dataset="products.csv", format="csv", rows_total=10, rows_scanned=10,
    columns=(_column("JANコード", "JAN_CODE"), _column("価格")),
    quasi_identifier_sets=(QuasiIdentifierSet(("価格",), 6, 0.0, "medium"),),
)


def test_the_shipped_policy_has_the_four_destinations_and_every_rule_cites_a_sentence() -> None:
    policy = load_policy()
    assert {"third_party", "outsourcing", "statistics", "internal"} <= set(policy.model.destinations)
    for destination in policy.model.destinations.values():
        for rule in destination.rules:
            assert len(rule.policy_sentence) > 20
    third = policy.model.destinations["third_party"]
    blocked = {c for r in third.category_rules("blocked_category") for c in r.expanded}
    assert {"identifier_code", "credential", "sensitive.health", "sensitive.belief"} <= blocked
    assert {c for r in third.category_rules("consent_required") for c in r.expanded} == {"personal", "financial"}


def test_sensitive_wildcard_expands_to_every_special_care_category() -> None:
    rule = CategoryGateRule(rule="blocked_category", categories=("sensitive.*",), policy_sentence="s")
    assert rule.expanded == (
        "sensitive.belief", "sensitive.social_status", "sensitive.labor", "sensitive.political", "sensitive.health",
    )


def _policy_variant(tmp_path: Path, edit: str, replacement: str) -> Path:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    assert edit in text
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "replacement", "message"),
    [
        ("blocked_risks: [high]", "blocked_risk: [high]", "blocked_risk"),
        ("categories: [identifier_code, credential]", "categories: [identifier_code, credentials]", "credentials"),
        ("rule: blocked_category", "rule: block_category", "block_category"),
        ("        credential: drop\n", "        credential: keep\n", "credential"),
        ("        identifier_code: drop\n        credential: drop\n        sensitive.*: drop\n", "", "no operator"),
    ],
)
def test_a_policy_typo_stops_the_gate(tmp_path: Path, edit: str, replacement: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_policy(_policy_variant(tmp_path, edit, replacement))


def test_unknown_destination_names_the_known_ones() -> None:
    with pytest.raises(UnknownDestination, match="third_party"):
        evaluate(_report(CATALOGUE), load_policy(), "third_parties")


def test_customer_table_reasons_for_third_party() -> None:
    verdict = evaluate(_report(CUSTOMERS), load_policy(), "third_party")
    assert verdict.decision == "blocked" and verdict.exit_code == 1
    by_rule = {(r.rule, r.category): r for r in verdict.reasons}
    assert by_rule[("blocked_category", "credential")].columns == ("会員番号",)
    consent = by_rule[("consent_required", "personal")]
    assert consent.columns == ("氏名",) and "no consent column" in consent.detail
    assert "consent of the individual" in consent.policy_sentence
    assert by_rule[("quasi_identifier_risk", None)].columns == ("性別", "年齢")
    assert "山* **" in consent.detail  # masked examples, as the scan recorded them


def test_same_table_is_allowed_for_outsourcing_and_internal() -> None:
    policy = load_policy()
    assert evaluate(_report(CUSTOMERS), policy, "outsourcing").decision == "allowed"
    assert evaluate(_report(CUSTOMERS), policy, "internal").exit_code == 0


def test_special_care_blocks_third_party_and_statistics() -> None:
    policy = load_policy()
    for destination in ("third_party", "statistics"):
        verdict = evaluate(_report(SURVEY), policy, destination)
        assert [r.category for r in verdict.reasons] == ["sensitive.health"]


def test_catalogue_is_allowed_everywhere() -> None:
    policy = load_policy()
    for destination in policy.model.destinations:
        assert evaluate(_report(CATALOGUE), policy, destination).allowed


def test_read_errors_make_the_verdict_undecidable_even_when_nothing_blocks() -> None:
    broken = DatasetResult(
        dataset="bad.csv", format="csv", rows_total=0, rows_scanned=0, columns=(),
        errors=(ScanIssue("bad.csv", "cannot decode as utf-8 at byte 3"),),
    )
    verdict = evaluate(_report(CATALOGUE, broken), load_policy(), "internal")
    assert verdict.decision == "undecidable" and verdict.exit_code == 2
    top_level = evaluate(_report(CATALOGUE, errors=(ScanIssue("s3://x", "path does not exist", "source_error"),)), load_policy(), "internal")
    assert top_level.exit_code == 2
    assert evaluate(_report(), load_policy(), "internal").exit_code == 2  # nothing to check is no "allowed"


def test_a_consent_flag_in_a_quasi_identifier_set_is_not_a_blocker() -> None:
    dataset = DatasetResult(
        dataset="d.csv", format="csv", rows_total=10, rows_scanned=10,
        columns=(_column("consent"), _column("性別", "GENDER", "attribute")),
        quasi_identifier_sets=(QuasiIdentifierSet(("consent", "性別"), 1, 1.0, "high"),),
    )
    assert evaluate(_report(dataset), load_policy(), "third_party", consent_column="consent").allowed
    assert evaluate(_report(dataset), load_policy(), "third_party").decision == "blocked"


def test_a_consent_column_that_holds_personal_data_never_allows() -> None:
    """Naming the personal column itself as the consent column must not exempt it."""
    dataset = DatasetResult(
        dataset="d.csv", format="csv", rows_total=10, rows_scanned=10,
        columns=(_column("consent_name", "PERSON", "personal"),),
        quasi_identifier_sets=(QuasiIdentifierSet(("consent_name",), 1, 1.0, "high"),),
    )
    verdict = evaluate(_report(dataset), load_policy(), "third_party", consent_column="consent_name")
    assert verdict.decision == "undecidable" and verdict.exit_code == 2
    (problem,) = verdict.problems
    assert problem.kind == "consent_column_invalid" and "holds personal data" in problem.message
    assert "PERSON" in problem.message
    # Its data is judged like any other column's: the reasons name it.
    assert any("consent_name" in r.columns for r in verdict.reasons)


def test_verdict_json_shape_and_exceptions_round_trip() -> None:
    verdict = evaluate(_report(CUSTOMERS), load_policy(), "third_party")
    data = verdict.to_dict()
    assert data["decision"] == "blocked" and data["allowed"] is False and data["destination"] == "third_party"
    assert {"dataset", "columns", "rule", "category", "policy_sentence", "detail"} <= set(data["reasons"][0])
    yaml.safe_dump(data, allow_unicode=True)  # plain data only
    with pytest.raises(ExportBlocked) as caught:
        verdict.raise_if_not_allowed()
    clone = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(clone, ExportBlocked) and clone.reasons == verdict.reasons
    assert all(isinstance(r, BlockingReason) for r in clone.reasons)
    undecidable = pickle.loads(pickle.dumps(GateUndecidable("m", (ScanIssue("p", "q"),))))
    assert undecidable.problems == (ScanIssue("p", "q"),)
