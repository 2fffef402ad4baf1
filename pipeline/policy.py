"""The privacy policy as data (configs/policy.yaml): categories, entity → category, destinations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.errors import ConfigError
from pipeline.models import CATEGORY_IDS
from pipeline.settings import DEFAULT_POLICY, format_validation_error, read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DestinationRule(_Strict):
    description: str
    policy_sentence: str = Field(min_length=1)
    blocked_categories: tuple[str, ...] = ()
    consent_required_categories: tuple[str, ...] = ()
    block_high_risk_quasi_identifiers: bool = True
    block_medium_risk_quasi_identifiers: bool = False


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
                raise ValueError(f"entity {entity} maps to unknown category {category!r}")
        for name, rule in self.destinations.items():
            for category in (*rule.blocked_categories, *rule.consent_required_categories):
                if category not in CATEGORY_IDS:
                    raise ValueError(f"destination {name} names unknown category {category!r}")
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


def load_policy(path: Path | None = None) -> Policy:
    path = path or DEFAULT_POLICY
    data, digest = read_yaml(path)
    try:
        model = PolicyModel.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc)) from None
    return Policy(path=str(path), sha256=digest, model=model)
