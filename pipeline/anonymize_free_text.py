"""Free-text columns keep their text and lose only the detected spans (pattern recognizers, then GiNZA NER)."""

from __future__ import annotations

import pyarrow as pa
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from pipeline.anonymize_columns import consent_categories
from pipeline.anonymize_operators import anonymizer_engine, generaliser_for, identity, operator_config
from pipeline.policy import DestinationRule, Policy
from pipeline.settings import ScanSettings


def free_text_operators(
    rule: DestinationRule, policy: Policy, consent_kept: bool, key: bytes | None
) -> dict[str, OperatorConfig]:
    """The presidio operator for each entity the destination anonymises inside free text."""
    skip = consent_categories(rule) if consent_kept else set()
    operators: dict[str, OperatorConfig] = {}
    for entity, category in policy.model.entity_categories.items():
        if category in skip:
            continue
        operator = rule.anonymize.operator_for(category)
        if operator is None:
            continue
        generalise = generaliser_for(entity, rule.anonymize.date_granularity)
        operators[entity] = operator_config(
            operator, entity, key=key, generalise=None if generalise is identity else generalise
        )
    return operators


def redact_free_text(
    values: list[str | None],
    operators: dict[str, OperatorConfig],
    settings: ScanSettings,
    user_recognizers: str | None,
) -> tuple[pa.Array, int]:
    """Replace the PII spans of each text (pattern recognizers on every value, GiNZA NER as in the scan),
    keeping the rest of the text. Returns the new values and how many values changed."""
    distinct = sorted({v for v in values if v})
    if not distinct or not operators:
        return pa.array(values, type=pa.string()), 0
    spans = _pattern_spans(distinct, operators, settings, user_recognizers)
    replaced = _redact_until_clean(distinct, spans, operators, ner_enabled=settings.detection.ner_enabled)
    out = [None if v is None else replaced.get(v, v) for v in values]
    return pa.array(out, type=pa.string()), sum(1 for v in values if v is not None and v in replaced)


def _pattern_spans(
    distinct: list[str],
    operators: dict[str, OperatorConfig],
    settings: ScanSettings,
    user_recognizers: str | None,
) -> dict[str, list[RecognizerResult]]:
    """The spans the pattern recognizers find in each distinct value, for the entities ``operators`` covers."""
    from pipeline.detect import prefilter_mask
    from pipeline.engine import pattern_recognizers
    from recognizers.normalize import normalize_array

    # Unlike the scan, redaction reads the whole text: PII past max_value_chars must go too.
    spans: dict[str, list[RecognizerResult]] = {v: [] for v in distinct}
    norm = normalize_array(pa.array(distinct, type=pa.string()))
    for recognizer in pattern_recognizers(user_recognizers):
        wanted = [e for e in recognizer.supported_entities if e in operators]
        if not wanted:
            continue
        for value, hit in zip(distinct, prefilter_mask(norm, recognizer), strict=True):
            if not hit:
                continue
            # Pattern recognizers need no NLP artefacts; Presidio types the argument as required.
            for result in recognizer.analyze(value, wanted, None):  # type: ignore[arg-type]
                if result.score >= settings.detection.min_value_score and result.entity_type in operators:
                    spans[value].append(RecognizerResult(result.entity_type, result.start, result.end, result.score))
    return spans


def _redact_until_clean(
    distinct: list[str],
    spans: dict[str, list[RecognizerResult]],
    operators: dict[str, OperatorConfig],
    *,
    ner_enabled: bool,
) -> dict[str, str]:
    """Apply ``spans`` (plus NER's, when enabled) to each value; returns the new text of each value that changed.
    Consumes ``spans``."""
    engine = anonymizer_engine()
    replaced: dict[str, str] = {}
    pending = distinct
    # NER runs again on what changed: a replacement can shift what GiNZA sees around it, and the
    # re-check must find nothing the redaction left behind. Unchanged texts give the same NER answer.
    for _ in range(3 if ner_enabled else 1):
        current = [replaced.get(v, v) for v in pending]
        if ner_enabled:
            _add_ner_spans(pending, current, spans, operators)
        changed = []
        for value, text in zip(pending, current, strict=True):
            if spans[value]:
                replaced[value] = str(engine.anonymize(text=text, analyzer_results=spans[value], operators=operators).text)
                spans[value] = []
                changed.append(value)
        pending = changed
        if not pending:
            break
    return replaced


def _add_ner_spans(
    pending: list[str],
    current: list[str],
    spans: dict[str, list[RecognizerResult]],
    operators: dict[str, OperatorConfig],
) -> None:
    """Add GiNZA's spans in each current text (the value's text so far) to the spans of its original value."""
    from pipeline.engine import ner_batch

    for value, results in zip(pending, ner_batch(current), strict=True):
        for result in results:
            if result.entity_type in operators:
                spans[value].append(RecognizerResult(result.entity_type, result.start, result.end, result.score))
