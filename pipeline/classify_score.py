"""Step 2 of classification: evidence → one scored candidate per entity, accepted or not, and why.

Thresholds (configs/scan.yaml, ``classification``):

- values alone: ``min_ratio`` of rows (``entity_min_ratio`` for entities that random strings often
  pass) at mean score ``min_score``;
- mentions in prose: ``free_text_min_ratio`` at ``free_text_min_score``; near-certain matches (mean or
  the rows' own scores at ``free_text_confident_score``) from ``free_text_confident_min_ratio``; and
  a combined rule: contact mentions of a person (name, phone, e-mail, address) counted together
  against ``contact_mentions_min_ratio``. Shares are of rows, so the rule does not depend on the
  table's size or on how many kinds of contact data share the mentions;
- a header word for the same entity lowers the bar to ``min_ratio_with_name`` / ``name_min_score``;
- a strong header alone carries an entity when the values' shape fits it (the header decides).

Rejected candidates are kept (``accepted=False``) so the explanation can report near misses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from pipeline.classify_evidence import CONTACT_ENTITIES, SPECIAL_CARE_ENTITIES, Evidence
from pipeline.models import EvidenceWord
from pipeline.settings import ClassificationSettings
from recognizers.entities import EntityId, EntityName

# What accepted a candidate: the plain thresholds, enough near-certain rows, contact mentions counted
# together, or a strong header over values whose shape fits it.
Rule = Literal["threshold", "confident_rows", "contact_mentions", "header"]
# Special-care facts (要配慮個人情報) stated near-certainly count from this fraction of the confident
# share: APPI requires consent for a single such record, and the recognizers give a special-care
# mention the confident score only as the writer's own statement (a self-disclosure phrase, a graded
# finding), never for a bare topic word, so the lower bar does not admit encyclopedic prose.
SPECIAL_CARE_CONFIDENT_FACTOR = 0.5
# Name-carried entities whose finding says the value type agreed (kept from the report's history).
_TYPED_ENTITIES: frozenset[EntityId] = frozenset({"AGE", "GEO_COORDINATE", "DATE_OF_BIRTH"})


@dataclass(frozen=True)
class Candidate:
    """An entity the evidence points at, with the bar it had to clear."""

    entity: EntityName
    ratio: float
    score: float
    evidence: tuple[EvidenceWord, ...]  # the report's words for the records in ``basis``
    examples: tuple[str, ...]
    basis: tuple[Evidence, ...]  # the records behind it, for the explanation
    accepted: bool = True
    needed_ratio: float = 0.0
    needed_score: float = 0.0
    rule: Rule = "threshold"
    rule_share: float = 0.0  # contact_mentions: the combined share of rows that mention contact data

    def weight(self, settings: ClassificationSettings) -> float:
        return self.ratio * self.score + (
            settings.name_hint_weight if "column_name" in self.evidence else 0.0
        )


def score(evidence: Iterable[Evidence], settings: ClassificationSettings) -> tuple[Candidate, ...]:
    """One candidate per entity (the accepted one when there is one), in a stable order."""
    records = tuple(evidence)
    names = {e.entity: e for e in records if e.source == "column_name"}
    best: dict[EntityName, Candidate] = {}
    for record in records:
        if record.source in ("values", "ner"):
            _keep_better(best, _threshold(record, names.get(record.entity), settings), settings)
    best = _contact_mentions(best, settings)
    best = _date_of_birth(best, names)
    values_explain = any(
        c.accepted and "values" in c.evidence and c.ratio >= settings.values_explain_ratio
        for c in best.values()
    )
    shapes = {e.entity: e for e in records if e.source == "value_shape"}
    for entity, name in names.items():
        current = best.get(entity)
        if current is not None and current.accepted:
            continue
        carried = _name_carried(name, shapes.get(entity), values_explain, settings)
        if carried is not None:
            best[entity] = carried
    return tuple(sorted(best.values(), key=lambda c: (not c.accepted, -c.weight(settings), c.entity)))


def _keep_better(best: dict[EntityName, Candidate], candidate: Candidate, settings: ClassificationSettings) -> None:
    """Accepted beats rejected; values come before NER, so NER only adds what values did not accept."""
    current = best.get(candidate.entity)
    if current is None or (not current.accepted and (candidate.accepted or candidate.ratio > current.ratio)):
        best[candidate.entity] = candidate


def _found_by(record: Evidence) -> EvidenceWord:
    """The report's word for a recognizer's (values) or NER's record; only those are judged by threshold."""
    return "ner" if record.source == "ner" else "values"


def _threshold(record: Evidence, name: Evidence | None, settings: ClassificationSettings) -> Candidate:
    """Judge a recognizer's or NER's evidence against its bar; the header word lowers the bar."""
    if record.in_text:
        needed_ratio, needed_score = settings.free_text_min_ratio, settings.free_text_min_score
        confident_share = confident_min_ratio(record.entity, settings)
        if record.score >= settings.free_text_confident_score:
            needed_ratio = confident_share
        elif record.confident_ratio >= confident_share:
            # Enough rows are near-certain on their own (a valid check digit): judge those rows, so a
            # mean pulled just under the cut-off by weaker rows does not flip the verdict.
            return _accepted_on_confident_rows(record, name, settings)
    else:
        needed_ratio = settings.entity_min_ratio.get(record.entity, settings.min_ratio)
        needed_score = settings.min_score
    if name is not None:
        needed_ratio = min(needed_ratio, settings.min_ratio_with_name)
        needed_score = min(needed_score, settings.name_min_score)
    accepted = record.ratio >= needed_ratio and record.score >= needed_score
    strength = name.score if name is not None else 0.0
    support = record.score * min(1.0, record.ratio / max(needed_ratio, 1e-9))
    combined = min(1.0, 1.0 - (1.0 - support) * (1.0 - strength))
    found_by = _found_by(record)
    words: tuple[EvidenceWord, ...] = (found_by, "column_name") if name is not None else (found_by,)
    if record.in_text:
        words = (*words, "free_text")
    basis = (record, name) if name is not None else (record,)
    return Candidate(
        record.entity,
        record.ratio,
        combined if accepted else record.score,
        words,
        record.examples,
        basis,
        accepted,
        needed_ratio,
        needed_score,
    )


def confident_min_ratio(entity: EntityName, settings: ClassificationSettings) -> float:
    """Share of rows from which near-certain mentions of ``entity`` count."""
    factor = SPECIAL_CARE_CONFIDENT_FACTOR if entity in SPECIAL_CARE_ENTITIES else 1.0
    return settings.free_text_confident_min_ratio * factor


def _accepted_on_confident_rows(
    record: Evidence, name: Evidence | None, settings: ClassificationSettings
) -> Candidate:
    found_by = _found_by(record)
    words: tuple[EvidenceWord, ...] = (found_by, "column_name", "free_text") if name else (found_by, "free_text")
    basis = (record, name) if name is not None else (record,)
    return Candidate(
        record.entity,
        record.ratio,
        max(record.score, settings.free_text_confident_score),
        words,
        record.examples,
        basis,
        needed_ratio=confident_min_ratio(record.entity, settings),
        needed_score=settings.free_text_confident_score,
        rule="confident_rows",
    )


def _contact_mentions(best: dict[EntityName, Candidate], settings: ClassificationSettings) -> dict[EntityName, Candidate]:
    """Prose that mentions people's contact data often enough, all kinds together, holds personal data.

    A remarks column where 1.5 % of rows give a phone number and 1.5 % a customer's name mentions
    contact data in 3 % of rows: no business column does that, whatever its size. Each kind counts
    only from ``contact_mention_min_share`` of rows and at ``free_text_min_score``.
    """

    def counts(c: Candidate) -> bool:
        return (
            c.entity in CONTACT_ENTITIES
            and "free_text" in c.evidence
            and c.ratio >= settings.contact_mention_min_share
            and c.basis[0].score >= settings.free_text_min_score
        )

    contributing = [c for c in best.values() if counts(c)]
    combined = sum(c.ratio for c in contributing)
    if combined < settings.contact_mentions_min_ratio:
        return best
    out = dict(best)
    for c in contributing:
        if not c.accepted:
            ratio_support = min(1.0, combined / settings.contact_mentions_min_ratio)
            out[c.entity] = replace(
                c,
                accepted=True,
                score=c.basis[0].score * ratio_support,
                rule="contact_mentions",
                rule_share=combined,
            )
    return out


def _date_of_birth(best: dict[EntityName, Candidate], names: dict[EntityName, Evidence]) -> dict[EntityName, Candidate]:
    """A date in a column named for a birth date is a date of birth."""
    date, name = best.get("DATE"), names.get("DATE_OF_BIRTH")
    if date is None or not date.accepted or name is None:
        return best
    out: dict[EntityName, Candidate] = {e: c for e, c in best.items() if e != "DATE"}
    out["DATE_OF_BIRTH"] = Candidate(
        "DATE_OF_BIRTH",
        date.ratio,
        max(date.score, name.score),
        ("values", "column_name"),
        date.examples,
        (*date.basis, name),
    )
    return out


def _name_carried(
    name: Evidence, shape: Evidence | None, values_explain: bool, settings: ClassificationSettings
) -> Candidate | None:
    """A strong header carries opaque values whose shape fits it; it yields to values that explain the
    column (last_login_ip holds IPs, not logins) unless the shape is one only this entity has. A shape
    only this entity has (geohashes under ``location``) also lets a medium header word decide."""
    if name.entity not in settings.name_carried_entities or shape is None:
        return None
    needed = settings.name_with_shape_min_strength if shape.specific else settings.name_only_min_strength
    if name.score < needed or (values_explain and not shape.specific):
        return None
    typed = name.entity in _TYPED_ENTITIES or shape.specific
    words: tuple[EvidenceWord, ...] = ("column_name", "column_type") if typed else ("column_name",)
    return Candidate(
        name.entity,
        shape.ratio,
        name.score * settings.name_only_score_factor,
        words,
        (),
        (name, shape),
        rule="header",
    )
