"""Evidence → entities → categories, one column at a time, with a sentence that says why.

Three pure steps, each tested on hand-built profiles:

1. :func:`~pipeline.classify_evidence.collect_evidence`: recognizer rows, NER hits, header words and
   value shapes, with their counts;
2. :func:`~pipeline.classify_score.score`: thresholds (configs/scan.yaml) → candidates, accepted or not;
3. :func:`~pipeline.classify_resolve.resolve`: company contacts, one kind of thing per structured column.

:func:`explain` renders the sentence from the evidence behind each finding, and names near misses.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.classify_evidence import Evidence, collect_evidence
from pipeline.classify_resolve import NON_PERSONAL_ENTITIES, ORGANISATION_CONTACT, ORGANISATION_HINTS, resolve
from pipeline.classify_score import Candidate, score
from pipeline.errors import ConfigError
from pipeline.models import CategoryId, ColumnResult, EntityFinding
from pipeline.policy import Policy
from pipeline.profile_model import ColumnProfile
from pipeline.settings import ClassificationSettings
from pipeline.text_shape import is_free_text
from recognizers.column_names import column_name_hints
from recognizers.entities import is_entity_id

__all__ = [
    "NON_PERSONAL_ENTITIES",
    "ORGANISATION_CONTACT",
    "ORGANISATION_HINTS",
    "classify_column",
    "explain",
    "is_free_text",
    "near_misses",
]


def classify_column(column: ColumnProfile, policy: Policy, settings: ClassificationSettings) -> ColumnResult:
    hints = column_name_hints(column.name)
    evidence = collect_evidence(column, hints, settings)
    _require_categories(evidence, policy)
    candidates = score(evidence, settings)
    accepted = resolve(candidates, hints, column, settings)
    findings = tuple(
        EntityFinding(type=c.entity, score=c.score, ratio=c.ratio, evidence=c.evidence, examples=c.examples)
        for c in accepted
    )
    categories = sorted({cat for f in findings if (cat := policy.category_of(f.type)) is not None})
    missed = tuple(c for c in near_misses(candidates, settings) if policy.category_of(c.entity) is not None)
    return ColumnResult(
        name=column.name,
        categories=tuple(categories),
        entities=findings,
        explanation=explain(column, accepted, categories, evidence, missed, settings),
        data_type=column.data_type,
        non_null=column.non_null,
        distinct_estimate=column.distinct_estimate,
        free_text=is_free_text(column, settings),
        ner_sample_size=column.ner_sample_size,
        ner_miss_probability_at_1pct=_miss_probability(column) if column.ner_sample_size else None,
    )


def _require_categories(evidence: tuple[Evidence, ...], policy: Policy) -> None:
    """A user's own entity (not in the catalogue) found in the values needs a category from the policy: the
    gate could never block a finding without one, so the scan stops and says which mapping is missing."""
    for record in evidence:
        if record.source == "values" and not is_entity_id(record.entity) and policy.category_of(record.entity) is None:
            raise ConfigError(
                f"{policy.path}: a recognizer of yours reports {record.entity}, which is not in the entity catalogue"
                " and has no category in entity_categories; map it to one (a finding without a category could"
                " never be blocked by the gate)"
            )


def near_misses(candidates: tuple[Candidate, ...], settings: ClassificationSettings) -> tuple[Candidate, ...]:
    """Rejected candidates that came within ``near_miss_fraction`` of both their thresholds."""
    fraction = settings.near_miss_fraction
    return tuple(
        c
        for c in candidates
        if not c.accepted
        and c.needed_ratio > 0
        and c.ratio >= fraction * c.needed_ratio
        and c.score >= fraction * c.needed_score
    )


def _miss_probability(column: ColumnProfile) -> float:
    """Chance that an entity in 1% of distinct values is absent from the NER sample (0 when it read them all)."""
    return 0.0 if column.ner_read_every_value else round(0.99**column.ner_sample_size, 4)


def _pct(share: float) -> str:
    """Small shares keep a decimal (1.5 %, not 2 %): near misses are about the decimal."""
    return f"{share:.1%}" if 0 < share < 0.1 else f"{share:.0%}"


def _reason(record: Evidence, non_null: int) -> str:
    if record.source == "values":
        verb = "mention it" if record.in_text else "matched"
        return f"{_pct(record.ratio)} of {non_null} values {verb}"
    if record.source == "ner":
        return f"GiNZA NER found it in {_pct(record.ratio)} of the rows its sample stands for"
    if record.source == "column_name":
        return f"the column name word '{record.detail}' says {record.entity}"
    return f"the header decided: {_pct(record.ratio)} of values are {record.detail}, consistent with it"


def _finding_sentence(candidate: Candidate, non_null: int) -> str:
    reasons = [_reason(record, non_null) for record in candidate.basis]
    if candidate.rule == "confident_rows":
        share = _pct(candidate.basis[0].confident_ratio)
        reasons.append(f"{share} of rows score at least {candidate.needed_score:.2f} on their own")
    if candidate.rule == "contact_mentions":
        share = _pct(candidate.rule_share)
        reasons.append(
            f"people's contact data (names, phones, e-mails, addresses) mentioned in {share} of rows together"
        )
    if candidate.examples:
        reasons.append("e.g. " + ", ".join(candidate.examples))
    return f"{candidate.entity} (score {candidate.score:.2f}: " + "; ".join(reasons) + ")"


def _near_miss_sentence(missed: tuple[Candidate, ...]) -> str:
    if not missed:
        return ""
    parts = [
        f"{c.entity} in {_pct(c.ratio)} of {'sampled rows' if 'ner' in c.evidence else 'rows'} at score {c.score:.2f}"
        f" (needs {_pct(c.needed_ratio)} at {c.needed_score:.2f})"
        for c in missed
    ]
    return " Below threshold: " + "; ".join(parts) + "."


def _sampling_sentence(column: ColumnProfile) -> str:
    out = ""
    if column.ner_read_every_value:
        out = f" GiNZA NER read all {column.ner_sample_size} distinct values."
    elif column.ner_sample_size:
        # Pattern recognizers read every row unless the column was large enough to be sampled (said below).
        every_row = "" if column.extrapolated_rows else " (pattern recognizers read every row)"
        out = (
            f" GiNZA NER read a sample of {column.ner_sample_size} distinct values; an entity in 1% of values would"
            f" be missed with probability {0.99**column.ner_sample_size:.0%}{every_row}."
        )
    if column.extrapolated_rows:
        out += (
            " This column is large: pattern screening and check digits ran on a stable-hash sample of its values;"
            f" for up to {column.extrapolated_rows} rows the share they found was estimated from that sample."
        )
    return out


def _nothing_found(
    column: ColumnProfile, evidence: tuple[Evidence, ...], settings: ClassificationSettings
) -> str:
    distinct, n = column.distinct_estimate, column.non_null
    if 0 < distinct <= settings.few_values_max_distinct and n >= 2 * distinct:
        numbers = column.numeric_rows + column.amount_rows >= n
        kind = "number" if numbers else "value"
        plural = "" if distinct == 1 else "s"
        head = (
            f"Column '{column.name}' holds only {distinct} distinct {kind}{plural}, repeated over {n} rows:"
            " codes, a scale or a constant, with no personal data among them."
        )
    else:
        head = f"No personal data found in {n} non-null values of '{column.name}'."
    words = ", ".join(f"'{e.detail}'→{e.entity}" for e in evidence if e.source == "column_name")
    return head + (f" Column-name words seen: {words}." if words else "")


def explain(
    column: ColumnProfile,
    accepted: tuple[Candidate, ...],
    categories: Sequence[CategoryId],
    evidence: tuple[Evidence, ...],
    missed: tuple[Candidate, ...],
    settings: ClassificationSettings,
) -> str:
    """Why the column got its categories (or none), from the evidence records, in one paragraph."""
    tail = _near_miss_sentence(missed) + _sampling_sentence(column)
    if not accepted:
        return _nothing_found(column, evidence, settings) + tail
    kind = "Free-text column" if is_free_text(column, settings) else "Column"
    parts = "; ".join(_finding_sentence(c, column.non_null) for c in accepted)
    return f"{kind} '{column.name}' tagged {', '.join(categories) or 'no category'}: {parts}.{tail}"
