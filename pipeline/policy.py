"""The privacy policy as data: categories, entity → category, destinations.

The packaged ``pipeline/defaults/policy.yaml`` applies unless ``--policy FILE`` (or ``$PIISCAN_POLICY``) names
another. A user policy replaces the packaged one whole rather than being merged over it: the policy is a reviewed
document whose sha256 every verdict records, and merging would let a misspelt destination name leave the packaged
rules silently in force.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from pipeline.config_io import ConfigDocument, Vocabulary, describe_validation_error, model_vocabulary
from pipeline.errors import ConfigError
from pipeline.models import CATEGORY_IDS, CategoryId
from pipeline.settings import DEFAULT_POLICY, ReportedEntity, config_vocabulary, read_packaged, read_yaml
from recognizers.entities import EntityName, custom_entity_problem, uncategorised_personal

POLICY_ENV = "PIISCAN_POLICY"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


SensitiveWildcard = Literal["sensitive.*"]
SENSITIVE_WILDCARD: SensitiveWildcard = "sensitive.*"
AnonymizeOperator = Literal["drop", "mask", "hash", "redact", "generalise"]
BlockedRisk = Literal["high", "medium"]


def _known_category(value: object, wildcard: bool = False) -> object:
    """An unknown category id, named with the id meant (pydantic's Literal error would list all 13)."""
    known = (*CATEGORY_IDS, SENSITIVE_WILDCARD) if wildcard else CATEGORY_IDS
    if isinstance(value, str) and value not in known:
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.75)
        raise ValueError(f"unknown category {value!r}" + (f" (did you mean {close[0]}?)" if close else ""))
    return value


def _known_category_pattern(value: object) -> object:
    return _known_category(value, wildcard=True)


# A category id of the contract (pipeline/models.py), checked with a did-you-mean.
PolicyCategory = Annotated[CategoryId, BeforeValidator(_known_category)]
# The same, or ``sensitive.*`` for every special-care category.
CategoryPattern = Annotated[CategoryId | SensitiveWildcard, BeforeValidator(_known_category_pattern)]


def expand_categories(names: Iterable[str]) -> tuple[CategoryId, ...]:
    """Category ids with ``sensitive.*`` expanded to every special-care category, in contract order."""
    wanted = set(names)
    if SENSITIVE_WILDCARD in wanted:
        wanted |= {c for c in CATEGORY_IDS if c.startswith("sensitive.")}
    return tuple(c for c in CATEGORY_IDS if c in wanted)


CategoryRuleKind = Literal["blocked_category", "consent_required"]


class CategoryGateRule(_Strict):
    """Columns of these categories block the export (``blocked_category``), or block it unless every row
    carries the individual's consent (``consent_required``)."""

    rule: CategoryRuleKind
    categories: tuple[CategoryPattern, ...] = Field(min_length=1)
    policy_sentence: str = Field(min_length=1)
    reading: str = ""

    @property
    def expanded(self) -> tuple[CategoryId, ...]:
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

    operators: dict[CategoryPattern, AnonymizeOperator] = Field(default_factory=dict)
    date_granularity: Literal["year", "month"] = "year"
    # Above this share of rows removed to reach k, the widest quasi-identifier column is dropped instead.
    max_suppressed_share: float = Field(0.3, ge=0, le=1)

    def operator_for(self, category: CategoryId) -> AnonymizeOperator | None:
        if category in self.operators:
            return self.operators[category]
        if category.startswith("sensitive."):
            return self.operators.get(SENSITIVE_WILDCARD)
        return None


# ---------------------------------------------------------------- APPI processing standards

# What one item of a processing standard asks, as piiscan checks it (pipeline/appi.py):
# identifying_descriptions (規則34条1号, 31条1号), identifier_codes (34条2号, 31条2号), linking_codes (34条3号),
# peculiar_descriptions (34条4号), database_nature (34条5号), financial_harm (31条3号).
AppiCheck = Literal[
    "identifying_descriptions", "identifier_codes", "linking_codes", "peculiar_descriptions", "database_nature",
    "financial_harm",
]
AppiAction = Literal["drop", "hash", "code_and_suppress", "generalise_and_suppress"]
AppiKind = Literal["anonymously_processed", "pseudonymously_processed"]
_COLUMN_CHECKS = frozenset({"identifying_descriptions", "identifier_codes", "linking_codes", "financial_harm"})


class AppiItemRule(_Strict):
    """One item of 施行規則 第34条 or 第31条: the article and item it implements, what it covers, what to do."""

    article: int = Field(ge=1)
    item: int = Field(ge=1)
    check: AppiCheck
    text: str = Field(min_length=1)  # the rule's own words (Japanese), so a verdict can quote it
    categories: tuple[CategoryPattern, ...] = ()
    entities: tuple[ReportedEntity, ...] = ()
    action: AppiAction
    # linking_codes: a column whose (NFKC, case-folded) name matches and whose values are mostly distinct
    # is an internal ID that links the processed data back to the original records.
    id_column_pattern: str | None = None
    id_min_distinct_share: float = Field(0.5, gt=0, le=1)
    # peculiar_descriptions: a value is peculiar when fewer than ``min_count`` rows hold it in its column;
    # numbers and dates only in their tails (beyond ``tail_percentile`` / 100 − it), where they are top-
    # or bottom-coded at that percentile.
    min_count: int | None = Field(None, ge=2)
    tail_percentile: float = Field(99.0, gt=50, lt=100)
    # database_nature: every combination of up to ``max_size`` quasi-identifiers has classes of ≥ k rows.
    k_threshold: int | None = Field(None, ge=2)
    max_size: int = Field(3, ge=1, le=4)

    @property
    def citation(self) -> str:
        return f"施行規則第{self.article}条第{self.item}号"

    @property
    def expanded(self) -> tuple[CategoryId, ...]:
        return expand_categories(self.categories)

    @model_validator(mode="after")
    def _parameters(self) -> AppiItemRule:
        if self.check in _COLUMN_CHECKS and not (self.categories or self.entities or self.id_column_pattern):
            raise ValueError(f"{self.citation} ({self.check}) must name categories, entities or an id_column_pattern")
        if self.check in _COLUMN_CHECKS and self.action not in ("drop", "hash"):
            raise ValueError(f"{self.citation} ({self.check}): action must be drop or hash")
        if self.check == "peculiar_descriptions" and (self.min_count is None or self.action != "code_and_suppress"):
            raise ValueError(f"{self.citation} (peculiar_descriptions) needs min_count and action code_and_suppress")
        if self.check == "database_nature" and (self.k_threshold is None or self.action != "generalise_and_suppress"):
            raise ValueError(f"{self.citation} (database_nature) needs k_threshold and action generalise_and_suppress")
        if self.id_column_pattern is not None:
            try:
                re.compile(self.id_column_pattern)
            except re.error as exc:
                raise ValueError(f"{self.citation}: id_column_pattern is not a regular expression ({exc})") from None
        return self


class AppiStandard(_Strict):
    """A processing standard of the APPI Enforcement Rules (匿名加工情報 第34条, 仮名加工情報 第31条) as data."""

    kind: AppiKind
    law: str = Field(min_length=1)
    article: int = Field(ge=1)
    items: tuple[AppiItemRule, ...] = Field(min_length=1)
    # Destinations this data may never go to (仮名加工情報: no third party, 法第41条第6項), with the article.
    forbidden_destinations: tuple[str, ...] = ()
    forbidden_because: str = ""
    # The publication duty the disclosure file serves (e.g. 法第43条第3項).
    disclosure_duty: str = Field(min_length=1)

    @model_validator(mode="after")
    def _numbering(self) -> AppiStandard:
        seen: set[int] = set()
        for rule in self.items:
            if rule.article != self.article:
                raise ValueError(f"{rule.citation} belongs to article {self.article} (施行規則第{self.article}条)")
            if rule.item in seen:
                raise ValueError(f"item {rule.item} of 施行規則第{self.article}条 appears twice")
            seen.add(rule.item)
        if self.forbidden_destinations and not self.forbidden_because:
            raise ValueError("forbidden_destinations needs forbidden_because (the article that forbids it)")
        return self


class DestinationRule(_Strict):
    description: str
    policy_sentence: str = Field(min_length=1)
    rules: tuple[GateRule, ...] = ()
    anonymize: AnonymizeRules = AnonymizeRules()
    # The gate's "may this leave" threshold: a column counts for a rule when more than this share of its
    # values hold a validated entity of the rule's categories, even when the scan (whose thresholds say
    # "what is this column") did not tag it. 0 = any validated value.
    personal_share_floor: float = Field(0.0, ge=0, lt=1)
    # A destination that is a legal processing standard (匿名加工情報 / 仮名加工情報): its items, checked
    # per export by pipeline/appi.py.
    appi: AppiStandard | None = None

    def category_rules(self, kind: CategoryRuleKind) -> tuple[CategoryGateRule, ...]:
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
    # Keys: catalogue ids (recognizers/entities.py) or a user's own, checked by check_policy_entities, which
    # names the line of a misspelt id; values: the contract's category ids.
    entity_categories: dict[str, PolicyCategory]
    quasi_identifiers: QuasiIdentifierRules = QuasiIdentifierRules()
    destinations: dict[str, DestinationRule]

    @model_validator(mode="after")
    def _known_ids(self) -> PolicyModel:
        self._check_category_ids()
        # Category names in rules, operators and APPI items are CategoryPattern-typed: checked field by field.
        for name, destination in self.destinations.items():
            _check_rules_have_operators(name, destination)
        for name, destination in self.destinations.items():
            self._check_appi_references(name, destination)
        for required in ("third_party", "outsourcing", "statistics", "internal"):
            if required not in self.destinations:
                raise ValueError(f"destination {required!r} is required")
        return self

    def _check_category_ids(self) -> None:
        unknown = sorted(set(self.categories) - set(CATEGORY_IDS))
        missing = sorted(set(CATEGORY_IDS) - set(self.categories))
        if unknown or missing:
            raise ValueError(f"category ids must be exactly the contract's; unknown {unknown}, missing {missing}")

    def _check_appi_references(self, name: str, destination: DestinationRule) -> None:
        """An APPI standard names only known entities and defined destinations."""
        if destination.appi is None:
            return
        for item in destination.appi.items:
            for entity in item.entities:
                if entity not in self.entity_categories:
                    raise ValueError(f"destination {name!r}: {item.citation} names unknown entity {entity!r}")
        for other in destination.appi.forbidden_destinations:
            if other not in self.destinations:
                raise ValueError(f"destination {name!r}: forbidden destination {other!r} is not defined")


def _check_rules_have_operators(name: str, destination: DestinationRule) -> None:
    """anonymize must be able to produce a copy that passes: every category a rule can block needs
    an operator (consent-required ones are used when no consent column is given)."""
    for rule in destination.rules:
        if not isinstance(rule, CategoryGateRule):
            continue
        for category in rule.expanded:
            if destination.anonymize.operator_for(category) is None:
                raise ValueError(
                    f"destination {name!r}: rule {rule.rule} covers {category!r} but anonymize.operators "
                    "has no operator for it"
                )


@lru_cache(maxsize=1)
def policy_vocabulary() -> Vocabulary:
    """config_vocabulary and PolicyModel's own names and choices (operators, granularities) that the packaged
    policy.yaml may not use, so a policy error can quote them."""
    return Vocabulary([*config_vocabulary().words, *model_vocabulary(PolicyModel)])


@dataclass(frozen=True)
class Policy:
    path: str
    sha256: str
    model: PolicyModel

    def category_of(self, entity: EntityName) -> CategoryId | None:
        return self.model.entity_categories.get(entity)


def check_policy_entities(model: PolicyModel, document: ConfigDocument, source: str) -> None:
    """Every personal catalogue id has a category, and no id is a near-spelling of a catalogue id.

    A personal id left out would be found but never categorised, so the gate would let it leave. An id outside
    the catalogue is a user's own entity (reported by their YAML recognizers) unless it is a near-spelling of a
    catalogue id (``JP_PHONE_NUMBER``), which is the typo it almost always is: both fail loudly.
    """
    problems = []
    for entity in model.entity_categories:
        problem = custom_entity_problem(entity)
        if problem is not None:
            position = document.position_of(("entity_categories", entity))
            where = f"line {position[0]}, column {position[1]}: " if position else ""
            problems.append(f"{where}entity_categories: {problem}")
    missing = uncategorised_personal(model.entity_categories)
    if missing:
        problems.append(f"entity_categories gives no category to {', '.join(missing)} (every personal entity needs one)")
    if problems:
        raise ConfigError(
            f"{source} is invalid: {'; '.join(problems)}. The entity ids are listed in recognizers/entities.py."
        )


def load_policy(path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> Policy:
    """``path``, else ``$PIISCAN_POLICY``, else the packaged policy; validated, failing loudly."""
    environ = os.environ if environ is None else environ
    if path is None and environ.get(POLICY_ENV):
        path = Path(environ[POLICY_ENV])
    document: ConfigDocument = read_yaml(path) if path is not None else read_packaged("policy.yaml")
    source = str(path) if path is not None else document.source
    try:
        model = PolicyModel.model_validate(document.data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(document, source, exc, policy_vocabulary())) from None
    check_policy_entities(model, document, source)
    return Policy(path=str(path or DEFAULT_POLICY), sha256=document.sha256, model=model)
