"""The privacy policy as data: categories, entity → category, destinations.

The packaged ``pipeline/defaults/policy.yaml`` applies unless ``--policy FILE`` (or ``$PIISCAN_POLICY``) names
another. A user policy replaces the packaged one whole rather than being merged over it: the policy is a reviewed
document whose sha256 every verdict records, and merging would let a misspelt destination name leave the packaged
rules silently in force.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.config_io import ConfigDocument, describe_validation_error
from pipeline.errors import ConfigError
from pipeline.models import CATEGORY_IDS
from pipeline.settings import DEFAULT_POLICY, config_vocabulary, read_packaged, read_yaml

POLICY_ENV = "PIISCAN_POLICY"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


SENSITIVE_WILDCARD = "sensitive.*"
AnonymizeOperator = Literal["drop", "mask", "hash", "redact", "generalise"]
BlockedRisk = Literal["high", "medium"]


def expand_categories(names: tuple[str, ...]) -> tuple[str, ...]:
    """Category ids with ``sensitive.*`` expanded to every special-care category, in contract order."""
    wanted = set(names)
    if SENSITIVE_WILDCARD in wanted:
        wanted |= {c for c in CATEGORY_IDS if c.startswith("sensitive.")}
    return tuple(c for c in CATEGORY_IDS if c in wanted)


class CategoryGateRule(_Strict):
    """Columns of these categories block the export (``blocked_category``), or block it unless every row
    carries the individual's consent (``consent_required``)."""

    rule: Literal["blocked_category", "consent_required"]
    categories: tuple[str, ...] = Field(min_length=1)
    policy_sentence: str = Field(min_length=1)
    reading: str = ""

    @property
    def expanded(self) -> tuple[str, ...]:
        return expand_categories(self.categories)


class QuasiIdentifierGateRule(_Strict):
    """Quasi-identifier sets of these risk levels block the export."""

    rule: Literal["quasi_identifier_risk"]
    blocked_risks: tuple[BlockedRisk, ...] = Field(min_length=1)
    policy_sentence: str = Field(min_length=1)
    reading: str = ""


GateRule = Annotated[CategoryGateRule | QuasiIdentifierGateRule, Field(discriminator="rule")]


class AnonymizeRules(_Strict):
    """How ``piiscan anonymize`` treats each category for this destination (presidio-anonymizer operators)."""

    operators: dict[str, AnonymizeOperator] = Field(default_factory=dict)
    date_granularity: Literal["year", "month"] = "year"
    # Above this share of rows removed to reach k, the widest quasi-identifier column is dropped instead.
    max_suppressed_share: float = Field(0.3, ge=0, le=1)

    def operator_for(self, category: str) -> AnonymizeOperator | None:
        if category in self.operators:
            return self.operators[category]
        if category.startswith("sensitive."):
            return self.operators.get(SENSITIVE_WILDCARD)
        return None


class DestinationRule(_Strict):
    description: str
    policy_sentence: str = Field(min_length=1)
    rules: tuple[GateRule, ...] = ()
    anonymize: AnonymizeRules = AnonymizeRules()
    # The gate's "may this leave" threshold: a column counts for a rule when more than this share of its
    # values hold a validated entity of the rule's categories, even when the scan (whose thresholds say
    # "what is this column") did not tag it. 0 = any validated value.
    personal_share_floor: float = Field(0.0, ge=0, lt=1)

    def category_rules(self, kind: str) -> tuple[CategoryGateRule, ...]:
        return tuple(r for r in self.rules if isinstance(r, CategoryGateRule) and r.rule == kind)

    @property
    def quasi_identifier_rules(self) -> tuple[QuasiIdentifierGateRule, ...]:
        return tuple(r for r in self.rules if isinstance(r, QuasiIdentifierGateRule))


class QuasiIdentifierRules(_Strict):
    k_threshold: int = Field(5, ge=2)
    max_size: int = Field(3, ge=1, le=4)


class PolicyModel(_Strict):
    version: int = Field(ge=1, le=1)
    categories: dict[str, str]
    entity_categories: dict[str, str]
    quasi_identifiers: QuasiIdentifierRules = QuasiIdentifierRules()
    destinations: dict[str, DestinationRule]

    @model_validator(mode="after")
    def _known_ids(self) -> PolicyModel:
        unknown = sorted(set(self.categories) - set(CATEGORY_IDS))
        missing = sorted(set(CATEGORY_IDS) - set(self.categories))
        if unknown or missing:
            raise ValueError(f"category ids must be exactly the contract's; unknown {unknown}, missing {missing}")
        for entity, category in self.entity_categories.items():
            if category not in CATEGORY_IDS:
                raise ValueError(f"entity {entity!r} maps to unknown category {category!r}")
        known = (*CATEGORY_IDS, SENSITIVE_WILDCARD)
        for name, destination in self.destinations.items():
            for rule in destination.rules:
                if isinstance(rule, CategoryGateRule):
                    for category in rule.categories:
                        if category not in known:
                            raise ValueError(f"destination {name!r} names unknown category {category!r}")
            for category in destination.anonymize.operators:
                if category not in known:
                    raise ValueError(f"destination {name!r}: anonymize names unknown category {category!r}")
            # anonymize must be able to produce a copy that passes: every category a rule can block needs
            # an operator (consent-required ones are used when no consent column is given).
            for rule in destination.rules:
                if isinstance(rule, CategoryGateRule):
                    for category in rule.expanded:
                        if destination.anonymize.operator_for(category) is None:
                            raise ValueError(
                                f"destination {name!r}: rule {rule.rule} covers {category!r} but anonymize.operators "
                                "has no operator for it"
                            )
        for required in ("third_party", "outsourcing", "statistics", "internal"):
            if required not in self.destinations:
                raise ValueError(f"destination {required!r} is required")
        return self


@dataclass(frozen=True)
class Policy:
    path: str
    sha256: str
    model: PolicyModel

    def category_of(self, entity: str) -> str | None:
        return self.model.entity_categories.get(entity)


def load_policy(path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> Policy:
    """``path``, else ``$PIISCAN_POLICY``, else the packaged policy; validated, failing loudly."""
    environ = os.environ if environ is None else environ
    if path is None and environ.get(POLICY_ENV):
        path = Path(environ[POLICY_ENV])
    document: ConfigDocument = read_yaml(path) if path is not None else read_packaged("policy.yaml")
    try:
        model = PolicyModel.model_validate(document.data)
    except ValidationError as exc:
        source = str(path) if path is not None else document.source
        raise ConfigError(describe_validation_error(document, source, exc, config_vocabulary())) from None
    return Policy(path=str(path or DEFAULT_POLICY), sha256=document.sha256, model=model)
