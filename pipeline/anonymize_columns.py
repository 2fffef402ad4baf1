"""Per structured column: which operator its categories call for (a plan), and the plan applied to values.

When a column falls under several categories the strongest operator wins (drop > redact > hash > mask >
generalise). The transforms are value by value, so a batch gives the same values as the whole column.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from pipeline.anonymize_models import ACTION, STRENGTH, ColumnAction
from pipeline.anonymize_operators import generaliser_for, identity, map_distinct, operator_config, whole_value
from pipeline.models import CategoryId, ColumnResult
from pipeline.policy import AnonymizeOperator, DestinationRule, Policy
from recognizers.entities import EntityName


@dataclass(frozen=True)
class ColumnPlan:
    """The operator chosen for one column, and the entity and category that chose it."""

    column: str
    operator: AnonymizeOperator
    entity: EntityName
    category: CategoryId


def blocking_categories(rule: DestinationRule, consent_kept: bool) -> set[CategoryId]:
    """Categories the destination blocks (with consent-required ones when consent does not filter rows)."""
    blocked = {c for r in rule.category_rules("blocked_category") for c in r.expanded}
    if not consent_kept:
        blocked |= {c for r in rule.category_rules("consent_required") for c in r.expanded}
    return blocked


def consent_categories(rule: DestinationRule) -> set[CategoryId]:
    """Categories the destination lets through only with the data subject's consent."""
    return {c for r in rule.category_rules("consent_required") for c in r.expanded}


def plan_column(
    column: ColumnResult, rule: DestinationRule, policy: Policy, consent_kept: bool
) -> ColumnPlan | None:
    """The operator for a structured column, or None to keep it as it is."""
    skip = consent_categories(rule) if consent_kept else set()
    candidates: list[ColumnPlan] = []
    for entity in column.entities:
        category = policy.category_of(entity.type)
        if category is None or category in skip or category not in column.categories:
            continue
        operator = rule.anonymize.operator_for(category)
        if operator is not None:
            candidates.append(ColumnPlan(column.name, operator, entity.type, category))
    if not candidates:
        return None
    return min(candidates, key=lambda p: STRENGTH.index(p.operator))


def transform_structured(
    values: list[str | None], plan: ColumnPlan, rule: DestinationRule, key: bytes | None
) -> tuple[pa.Array | None, ColumnAction]:
    """Apply a column plan. Returns (new values or None when the column is dropped, what was done)."""
    if plan.operator == "drop":
        return None, ColumnAction(plan.column, "dropped", f"{plan.category} ({plan.entity})")
    if plan.operator == "generalise":
        generalise = generaliser_for(plan.entity, rule.anonymize.date_granularity)
        if generalise is None:
            if plan.category in blocking_categories(rule, consent_kept=False):
                return None, ColumnAction(plan.column, "dropped", f"no generaliser for {plan.entity}")
            return pa.array(values, type=pa.string()), ColumnAction(plan.column, "kept", f"no generaliser for {plan.entity}")
        if generalise is identity:
            return pa.array(values, type=pa.string()), ColumnAction(plan.column, "kept", f"{plan.entity} is already coarse")
        # Generalisers return None for values they cannot read: those cells are suppressed, never kept raw.
        return map_distinct(values, generalise), ColumnAction(plan.column, "generalised", plan.entity)
    cfg = operator_config(plan.operator, plan.entity, key=key)
    return (
        map_distinct(values, whole_value(cfg, plan.entity)),
        ColumnAction(plan.column, ACTION[plan.operator], f"{plan.category} ({plan.entity})"),
    )
