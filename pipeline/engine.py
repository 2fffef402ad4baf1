"""Detection engines, built once per process (each Dask worker builds its own; never pickled).

- Pattern recognizers (piiscan's own + users' Presidio YAML): cheap, run on every distinct value.
- A Presidio ``AnalyzerEngine`` over GiNZA (``ja_ginza``): NER, run on a sample of text values.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpEngineProvider
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from pipeline.errors import ConfigError
from pipeline.settings import read_yaml
from recognizers.entities import EntityId, user_recognizer_problems
from recognizers.organisations import organisation_around
from recognizers.registry import build_recognizers, load_yaml_recognizers

LANGUAGE = "ja"

# GiNZA's ENE labels → Presidio entities. Out of the box Presidio maps none of them, so Japanese
# names are missed. Block numbers come out as Ordinal_Number/N_Product, so addresses are left to
# the JP_ADDRESS pattern recognizer; phones/IDs are left to pattern recognizers (GiNZA mislabels them).
GINZA_ENTITY_MAPPING: dict[str, EntityId] = {
    "Person": "PERSON",
    "Postal_Address": "JP_ADDRESS",
    "School": "SCHOOL_NAME",
    "Religion": "RELIGION",
    "Political_Party": "POLITICAL",
    "Animal_Disease": "MEDICAL",  # GiNZA labels human diseases (糖尿病, 高血圧) this way
    "Disease_Other": "MEDICAL",
}
# Not mapped on purpose: Age, Position_Vocation, Email, URL, Phone_Number — GiNZA fires them on dates,
# departments and codes (seen on the sample lake); pattern recognizers find these reliably instead.
NER_ENTITIES: tuple[EntityId, ...] = tuple(sorted(set(GINZA_ENTITY_MAPPING.values())))
# GiNZA gives no confidence; spaCy NER hits score this much before context.
NER_SCORE = 0.7

_lock = threading.Lock()


def _offline_environment() -> None:
    """No model download, no telemetry: make the libraries that could reach out stay local."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("SPACY_WARNING_IGNORE", "W095")


@lru_cache(maxsize=4)
def pattern_recognizers(user_recognizers: str | None) -> tuple[EntityRecognizer, ...]:
    """piiscan's recognizers plus the user's Presidio-YAML ones (path as str so the cache key is hashable)."""
    recognizers = build_recognizers(language=LANGUAGE)
    if user_recognizers:
        path = Path(user_recognizers)
        # Parsed strictly first (duplicate keys, errors by position): Presidio's own messages may quote the file,
        # which could be a data file passed by mistake, so only their type is shown.
        if not isinstance(read_yaml(path).data.get("recognizers"), list):
            raise ConfigError(f"{path}: a recognizers file holds a 'recognizers:' list (Presidio's recognizer YAML)")
        try:
            extra = load_yaml_recognizers(path)
        except Exception as exc:  # Presidio raises bare Exceptions and ValueErrors for bad YAML
            raise ConfigError(
                f"{path}: cannot load recognizers ({type(exc).__name__}); check it against Presidio's recognizer YAML format"
            ) from None
        # Users' recognizers emit catalogue ids or ids of their own (mapped by the policy); a near-spelling of a
        # catalogue id is the typo it almost always is, and would leave what it finds uncategorised.
        problems = user_recognizer_problems(extra)
        if problems:
            raise ConfigError(
                f"{path}: {'; '.join(problems)}. Use the entity id meant (recognizers/entities.py), or an id of your own"
                " that the policy's entity_categories maps to a category."
            )
        for recognizer in extra:
            recognizer.supported_language = LANGUAGE
        recognizers.extend(extra)
    for recognizer in recognizers:
        recognizer.load()
    return tuple(recognizers)


@lru_cache(maxsize=1)
def ner_analyzer() -> AnalyzerEngine:
    """Presidio AnalyzerEngine over GiNZA, with GiNZA's labels mapped; built on first use per process."""
    with _lock:
        _offline_environment()
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        provider = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": LANGUAGE, "model_name": "ja_ginza"}],
                "ner_model_configuration": NerModelConfiguration(
                    model_to_presidio_entity_mapping=GINZA_ENTITY_MAPPING,
                    labels_to_ignore=[],
                    low_score_entity_names=[],
                    default_score=NER_SCORE,
                ).to_dict(),
            }
        )
        nlp_engine = provider.create_engine()
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        registry.recognizers = [SpacyRecognizer(supported_language=LANGUAGE, supported_entities=list(NER_ENTITIES))]
        return AnalyzerEngine(
            registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE], log_decision_process=False
        )


# Severity words of log lines: RFC 5424 §6.2.1 (Emergency … Debug, as syslog writes them) and the levels
# of log4j/java.util.logging/Python logging (TRACE, FATAL, WARN, SEVERE, CRITICAL). GiNZA reads
# "DEBUG Authorization" or "WARN Retrying" at the head of a log line as a person's name.
LOG_LEVEL_WORDS = frozenset(
    {"emerg", "emergency", "alert", "crit", "critical", "err", "error", "warn", "warning", "notice", "info",
     "debug", "trace", "fatal", "severe", "fine", "finer", "finest"}
)
# A name between route arrows is a place on a journey (伊丹→羽田, 東京⇔新大阪), not a person.
_ROUTE_MARKS = frozenset("→⇒⇔↔←⇐")


# Names hold no digits, underscores or key/path signs, and do not end in a hyphen: "xoxb-" (a token's
# prefix), "user_42", "id=7" are identifiers GiNZA read as names.
_NOT_IN_A_NAME = re.compile(r"[0-9０-９_=/@#$%]|-$")


def _not_a_person(text: str, start: int, end: int) -> bool:
    """A log severity word or an identifier's characters inside the span, or a route arrow next to it."""
    span = text[start:end]
    words = {word.strip(".:[]()").lower() for word in span.split()}
    if words & LOG_LEVEL_WORDS or _NOT_IN_A_NAME.search(span.strip()):
        return True
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    return bool(before and before in _ROUTE_MARKS) or bool(after and after in _ROUTE_MARKS)


def drop_organisation_persons(text: str, results: list[Any]) -> list[Any]:
    """GiNZA's PERSON results less those that name an organisation: GiNZA labels companies, ministries
    and city offices Person (〇〇運輸合同会社, 財務省, ㈲コトブキ商会); the legal forms and public bodies of
    :mod:`recognizers.organisations` tell them apart. Log severity words and places on a route
    (伊丹→羽田) are no persons either. Other entities pass unchanged."""
    return [
        result
        for result in results
        if result.entity_type != "PERSON"
        or not (organisation_around(text, result.start, result.end) or _not_a_person(text, result.start, result.end))
    ]


def ner_batch(texts: list[str]) -> list[list[Any]]:
    """NER results (Presidio RecognizerResults) for each text, batched through spaCy's pipe."""
    analyzer = ner_analyzer()
    out: list[list[Any]] = []
    for text, artifacts in zip(texts, analyzer.nlp_engine.process_batch(texts, language=LANGUAGE), strict=True):
        results = analyzer.analyze(
            text=text, language=LANGUAGE, entities=list(NER_ENTITIES), nlp_artifacts=artifacts[1]
        )
        out.append(drop_organisation_persons(text, results))
    return out
