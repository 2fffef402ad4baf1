"""Evidence → entities → categories, one column at a time, with a sentence that says why.

Evidence per entity: prevalence (share of non-null rows that hold it, counted per row), mean
recognizer score (check digits give 1.0), the column-name lexicon, and value shape (small integers
for an age, decimals in range for a latitude). Thresholds come from configs/scan.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.detect import ColumnProfile, EntityTally
from pipeline.models import ColumnResult, EntityFinding
from pipeline.policy import Policy
from pipeline.settings import ClassificationSettings
from recognizers.column_names import ColumnNameHint, column_name_hints

# Entities whose presence means a column is not about people (catalogues, registries, plain dates).
NON_PERSONAL_ENTITIES = frozenset({"JAN_CODE", "JP_CORPORATE_NUMBER", "JP_BUSINESS_PHONE", "DATE"})
# Contact entities that, in a column named for a company or product, are the company's own.
ORGANISATION_CONTACT = frozenset({"PHONE_NUMBER", "EMAIL_ADDRESS", "JP_ADDRESS", "STREET_ADDRESS", "URL"})
ORGANISATION_HINTS = frozenset({"ORGANIZATION", "PRODUCT"})


@dataclass(frozen=True)
class _Candidate:
    entity: str
    ratio: float
    score: float
    evidence: tuple[str, ...]
    examples: tuple[str, ...]

    def weight(self, settings: ClassificationSettings) -> float:
        return self.ratio * self.score + (settings.name_hint_weight if "column_name" in self.evidence else 0.0)


def is_free_text(column: ColumnProfile, settings: ClassificationSettings) -> bool:
    """Long, sentence-like values that no single structured entity explains (a UA string is not prose)."""
    if column.non_null == 0:
        return False
    average = column.char_sum / column.non_null
    sentences = column.sentence_rows / column.non_null
    if average < settings.free_text_min_avg_chars or sentences < settings.free_text_min_space_ratio:
        return False
    return not any(t.total_rows >= settings.values_explain_ratio * column.non_null for t in column.entities.values())


def _shape_fits(entity: str, column: ColumnProfile, settings: ClassificationSettings) -> float | None:
    """Share of values whose shape is consistent with a name-carried entity, or None when it contradicts."""
    n = column.non_null
    if n == 0:
        return None
    temporal = column.data_type.startswith(("date", "timestamp"))
    if entity == "AGE":
        share = column.small_int_rows / n
        return share if share >= settings.shape_min_share else None
    if entity == "GEO_COORDINATE":
        share = max(column.latitude_rows, column.longitude_rows) / n
        return share if share >= settings.shape_min_share else None
    if entity == "URL":
        share = column.path_rows / n
        return share if share >= settings.shape_min_share else None
    if entity == "DATE_OF_BIRTH":
        if temporal:
            return 1.0
        dated = column.entities.get("DATE")
        share = dated.rows / n if dated else 0.0
        return share if share >= 0.5 else None
    if temporal:
        return None
    if entity in ("GENDER", "JP_PREFECTURE", "OCCUPATION", "LABOR_UNION", "RELIGION", "POLITICAL", "RACE"):
        # Categorical attributes: few distinct values relative to rows, and not numbers.
        categorical = column.distinct_estimate <= max(60, n // 5) and column.numeric_rows < 0.5 * n
        return 1.0 if categorical or (entity in ("OCCUPATION", "LABOR_UNION") and column.numeric_rows < 0.5 * n) else None
    if entity in ("PERSON", "JP_ADDRESS", "SCHOOL_NAME", "DOMICILE", "MEDICAL", "DISABILITY", "CRIMINAL_RECORD", "SEX_LIFE"):
        share = column.letter_rows / n
        return share if share >= settings.shape_min_share else None
    return 1.0


def _tally_candidate(
    entity: str, tally: EntityTally, denominator: int, evidence: tuple[str, ...]
) -> tuple[float, float, tuple[str, ...]]:
    ratio = min(1.0, tally.total_rows / denominator) if denominator else 0.0
    return ratio, tally.mean_score, tuple(example for _, example in tally.examples)


def classify_column(column: ColumnProfile, policy: Policy, settings: ClassificationSettings) -> ColumnResult:
    hints = {hint.entity: hint for hint in column_name_hints(column.name)}
    free_text = is_free_text(column, settings)
    n = column.non_null
    accepted: dict[str, _Candidate] = {}

    def consider(
        entity: str, ratio: float, score: float, examples: tuple[str, ...], source: str, mentions: bool = False
    ) -> None:
        hint = hints.get(entity)
        # Mentions inside text (a phone number in a note) are judged like free text, column by column.
        if free_text or mentions:
            needed_ratio, needed_score = settings.free_text_min_ratio, settings.free_text_min_score
            if score >= settings.free_text_confident_score:
                needed_ratio = settings.free_text_confident_min_ratio
        else:
            needed_ratio = settings.entity_min_ratio.get(entity, settings.min_ratio)
            needed_score = settings.min_score
        if hint is not None:
            needed_ratio = min(needed_ratio, settings.min_ratio_with_name)
            needed_score = min(needed_score, settings.name_min_score)
        if ratio < needed_ratio or score < needed_score:
            return
        evidence = (source, "column_name") if hint is not None else (source,)
        if free_text or mentions:
            evidence = (*evidence, "free_text")
        combined = 1.0 - (1.0 - score * min(1.0, ratio / max(needed_ratio, 1e-9))) * (1.0 - (hint.strength if hint else 0.0))
        previous = accepted.get(entity)
        candidate = _Candidate(entity, ratio, min(1.0, combined), evidence, examples)
        if previous is None or candidate.weight(settings) > previous.weight(settings):
            accepted[entity] = candidate

    for entity, tally in column.entities.items():
        ratio, score, examples = _tally_candidate(entity, tally, n, ("values",))
        consider(entity, ratio, score, examples, "values", mentions=tally.rows > 0 and tally.embedded_rows >= 0.5 * tally.rows)
    for entity, tally in column.ner_hits.items():
        if entity in accepted:
            continue
        ratio, score, examples = _tally_candidate(entity, tally, column.ner_sample_size, ("ner",))
        consider(entity, ratio, score, examples, "ner")

    # A date in a column named for a birth date is a date of birth.
    if "DATE_OF_BIRTH" in hints and "DATE" in accepted:
        date = accepted.pop("DATE")
        accepted["DATE_OF_BIRTH"] = _Candidate("DATE_OF_BIRTH", date.ratio, max(date.score, hints["DATE_OF_BIRTH"].strength), ("values", "column_name"), date.examples)

    # Strong names carry entities whose values are opaque (hashes, member numbers, bare ages),
    # unless the values already say clearly what the column is (last_login_ip holds IPs, not logins).
    values_explain = any(c.ratio >= settings.values_explain_ratio and "values" in c.evidence for c in accepted.values())
    for entity, hint in hints.items():
        if values_explain or entity in accepted or entity not in settings.name_carried_entities:
            continue
        if hint.strength < settings.name_only_min_strength:
            continue
        share = _shape_fits(entity, column, settings)
        if share is None:
            continue
        evidence = ("column_name", "column_type") if entity in ("AGE", "GEO_COORDINATE", "DATE_OF_BIRTH") else ("column_name",)
        accepted[entity] = _Candidate(entity, share, hint.strength * settings.name_only_score_factor, evidence, ())

    accepted = _resolve(accepted, hints, column, free_text, settings)
    findings = tuple(
        EntityFinding(type=c.entity, score=c.score, ratio=c.ratio, evidence=c.evidence, examples=c.examples)
        for c in sorted(accepted.values(), key=lambda c: (-c.weight(settings), c.entity))
    )
    categories = sorted({cat for f in findings if (cat := policy.category_of(f.type)) is not None})
    return ColumnResult(
        name=column.name,
        categories=tuple(categories),
        entities=findings,
        explanation=explain(
            column.name, findings, categories, hints, free_text, n, column.ner_sample_size, column.ner_read_every_value
        )
        + (
            f" Check digits and dictionaries ran on a stable-hash sample of the candidate values; for up to"
            f" {column.extrapolated_rows} rows the share they found was extrapolated."
            if column.extrapolated_rows
            else ""
        ),
        data_type=column.data_type,
        non_null=n,
        distinct_estimate=column.distinct_estimate,
        free_text=free_text,
        ner_sample_size=column.ner_sample_size,
        ner_miss_probability_at_1pct=_miss_probability(column) if column.ner_sample_size else None,
    )


def _miss_probability(column: ColumnProfile) -> float:
    """Chance that an entity in 1% of distinct values is absent from the NER sample (0 when it read them all)."""
    return 0.0 if column.ner_read_every_value else round(0.99**column.ner_sample_size, 4)


def _resolve(
    accepted: dict[str, _Candidate],
    hints: dict[str, ColumnNameHint],
    column: ColumnProfile,
    free_text: bool,
    settings: ClassificationSettings,
) -> dict[str, _Candidate]:
    if not accepted:
        return accepted
    organisation = bool(ORGANISATION_HINTS & set(hints))
    if organisation or _repeated_contact(column, settings):
        accepted = {e: c for e, c in accepted.items() if e not in ORGANISATION_CONTACT}
    if "PRODUCT" in hints:
        accepted = {e: c for e, c in accepted.items() if e not in ("PERSON", "JP_PREFECTURE")}
    if free_text or not accepted:
        return accepted
    # A structured column holds one kind of thing: keep what is close to the strongest evidence.
    best = max(c.weight(settings) for c in accepted.values())
    kept = {e: c for e, c in accepted.items() if c.weight(settings) >= settings.structured_keep_ratio * best}
    strongest = max(kept.values(), key=lambda c: c.weight(settings))
    if strongest.entity in NON_PERSONAL_ENTITIES:
        kept = {e: c for e, c in kept.items() if e in NON_PERSONAL_ENTITIES or "column_name" in c.evidence}
    return kept


def _repeated_contact(column: ColumnProfile, settings: ClassificationSettings) -> bool:
    """A phone/e-mail column where a few values repeat over many rows holds a company's contacts."""
    phones = column.entities.get("PHONE_NUMBER")
    if phones is None or column.non_null < 50:
        return False
    exact_distinct = column.distinct_estimate < 256
    return exact_distinct and column.distinct_estimate <= settings.repeated_contact_max_distinct_ratio * column.non_null


def explain(
    name: str,
    findings: tuple[EntityFinding, ...],
    categories: list[str],
    hints: dict[str, ColumnNameHint],
    free_text: bool,
    non_null: int,
    ner_sample: int = 0,
    ner_read_every_value: bool = False,
) -> str:
    if ner_read_every_value:
        sampled = f" GiNZA NER read all {ner_sample} distinct values."
    elif ner_sample:
        sampled = (
            f" GiNZA NER read a sample of {ner_sample} distinct values; an entity in 1% of values would be missed"
            f" with probability {0.99**ner_sample:.0%} (pattern recognizers read every row)."
        )
    else:
        sampled = ""
    if not findings:
        words = ", ".join(f"'{h.word}'→{h.entity}" for h in hints.values())
        extra = f" Column-name words seen: {words}." if words else ""
        return f"No personal data found in {non_null} non-null values of '{name}'.{extra}{sampled}"
    parts = []
    for finding in findings:
        reasons = []
        if "values" in finding.evidence:
            reasons.append(f"{finding.ratio:.0%} of {non_null} values matched")
        if "ner" in finding.evidence:
            reasons.append(f"GiNZA NER found it in {finding.ratio:.0%} of sampled values")
        if "column_name" in finding.evidence and finding.type in hints:
            reasons.append(f"the column name word '{hints[finding.type].word}' says {finding.type}")
        if finding.examples:
            reasons.append("e.g. " + ", ".join(finding.examples))
        parts.append(f"{finding.type} (score {finding.score:.2f}: " + "; ".join(reasons) + ")")
    kind = "Free-text column" if free_text else "Column"
    return f"{kind} '{name}' tagged {', '.join(categories) or 'no category'}: " + "; ".join(parts) + "." + sampled
