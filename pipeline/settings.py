"""Validated settings: scan.yaml (reading, detection, thresholds). Bad files fail loudly, never fall back.

Layers, each over the one before (Dask's dask.yaml + schema is the model):

1. the packaged defaults, ``pipeline/defaults/scan.yaml`` (read with importlib.resources; ``configs/scan.yaml``
   in the checkout is its documented, editable copy and a test keeps the two identical);
2. a user file, ``--config FILE`` or else ``$PIISCAN_CONFIG``; it may be partial and is deep-merged over (1);
3. environment variables for single settings, ``PIISCAN_<SECTION>__<KEY>`` (two underscores), values in YAML
   syntax: ``PIISCAN_DETECTION__NER_ENABLED=false``, ``PIISCAN_READING__BATCH_ROWS=10000``;
4. command-line arguments (``--sample``/``--full``), applied in memory with :meth:`ScanSettings.with_overrides`.

The models below hold types and limits only: every default is the packaged YAML's (``PACKAGED`` marks it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from pipeline.config_io import (
    ConfigDocument,
    Vocabulary,
    deep_merge,
    describe_validation_error,
    identifier_words,
    model_vocabulary,
    parse_yaml,
    parse_yaml_value,
)
from pipeline.errors import ConfigError
from recognizers.entities import EntityId, EntityName, checked_entity_id, checked_entity_name

CONFIG_ENV = "PIISCAN_CONFIG"
SETTING_ENV_PREFIX = "PIISCAN_"


def packaged_resource(name: str) -> Path:
    """A file of ``pipeline/defaults/`` as installed (inside site-packages for a wheel)."""
    return Path(str(resources.files("pipeline").joinpath("defaults").joinpath(name)))


DEFAULT_SCAN_CONFIG = packaged_resource("scan.yaml")
DEFAULT_POLICY = packaged_resource("policy.yaml")
DEFAULT_USER_RECOGNIZERS = packaged_resource("recognizers.yaml")


@cache
def read_packaged(name: str) -> ConfigDocument:
    """A packaged defaults file, parsed strictly (cached: they do not change while the process runs)."""
    raw = resources.files("pipeline").joinpath("defaults").joinpath(name).read_bytes()
    return parse_yaml(raw, f"packaged {name} ({packaged_resource(name)})")


def packaged_scan_defaults() -> dict[str, Any]:
    return read_packaged("scan.yaml").data


class _Packaged:
    def __repr__(self) -> str:
        return "<default from pipeline/defaults/scan.yaml>"


# A field default that is never used: _Layered fills every key from the packaged YAML before validation.
# Should the YAML lack a field, this sentinel fails validation (validate_default) instead of passing silently.
PACKAGED: Any = _Packaged()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Layered(_Strict):
    """A section of scan.yaml: keys the input leaves out take the packaged YAML's values (deep-merged)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
    packaged_section: ClassVar[str | None] = None

    @model_validator(mode="before")
    @classmethod
    def _over_packaged_defaults(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        defaults = packaged_scan_defaults()
        if cls.packaged_section is not None:
            defaults = defaults.get(cls.packaged_section) or {}
        return deep_merge(defaults, data)


class ReadingSettings(_Layered):
    packaged_section = "reading"

    csv_block_bytes: int = Field(PACKAGED, ge=64 * 1024)
    encoding_sniff_bytes: int = Field(PACKAGED, ge=1024)
    batch_rows: int = Field(PACKAGED, ge=1)
    # A CSV/JSONL record (a line, or a quoted multi-line CSV row) longer than this is a per-file error,
    # never an allocation: a gzip that expands to one multi-GB line is refused after reading this much.
    max_record_bytes: int = Field(PACKAGED, ge=64 * 1024)


class DetectionSettings(_Layered):
    packaged_section = "detection"

    min_value_score: float = Field(PACKAGED, ge=0, le=1)
    max_value_chars: int = Field(PACKAGED, ge=16)
    # Longer cells are read whole in windows of max_value_chars overlapping by this much, so an entity
    # shorter than the overlap that straddles a window boundary is still found (at most half a window is used).
    value_window_overlap_chars: int = Field(PACKAGED, ge=0)
    # Per file: pattern matching stops after this many seconds (the rest counted, the file reported).
    pattern_seconds_per_file: float = Field(PACKAGED, gt=0)
    # Per dataset: GiNZA NER over the sample stops after this many seconds (the rest reported).
    ner_seconds_per_dataset: float = Field(PACKAGED, gt=0)
    examples_per_entity: int = Field(PACKAGED, ge=0, le=20)
    sketch_size: int = Field(PACKAGED, ge=8)
    ner_sample_size: int = Field(PACKAGED, ge=0)
    ner_enabled: bool = PACKAGED
    screen_sample_size: int = Field(PACKAGED, ge=1000)
    validate_limit: int = Field(PACKAGED, ge=100)


# An entity id of the catalogue (recognizers/entities.py); a typo fails with the id meant.
CatalogueEntity = Annotated[EntityId, BeforeValidator(checked_entity_id)]
# The same, or a user's own entity id (reported by their YAML recognizers), which may not be a near-spelling.
ReportedEntity = Annotated[EntityName, BeforeValidator(checked_entity_name)]


class ClassificationSettings(_Layered):
    packaged_section = "classification"

    min_ratio: float = Field(PACKAGED, gt=0, le=1)
    min_ratio_with_name: float = Field(PACKAGED, gt=0, le=1)
    min_score: float = Field(PACKAGED, ge=0, le=1)
    name_only_min_strength: float = Field(PACKAGED, ge=0, le=1)
    name_with_shape_min_strength: float = Field(PACKAGED, ge=0, le=1)
    free_text_min_ratio: float = Field(PACKAGED, gt=0, le=1)
    free_text_min_score: float = Field(PACKAGED, ge=0, le=1)
    free_text_confident_score: float = Field(PACKAGED, ge=0, le=1)
    free_text_confident_min_ratio: float = Field(PACKAGED, gt=0, le=1)
    free_text_min_avg_chars: float = Field(PACKAGED, gt=0)
    free_text_min_space_ratio: float = Field(PACKAGED, gt=0, le=1)
    name_min_score: float = Field(PACKAGED, ge=0, le=1)
    values_explain_ratio: float = Field(PACKAGED, gt=0, le=1)
    shape_min_share: float = Field(PACKAGED, gt=0, le=1)
    structured_keep_ratio: float = Field(PACKAGED, gt=0, le=1)
    name_hint_weight: float = Field(PACKAGED, ge=0)
    name_only_score_factor: float = Field(PACKAGED, gt=0, le=1)
    repeated_contact_max_distinct_ratio: float = Field(PACKAGED, ge=0, le=1)
    contact_mentions_min_ratio: float = Field(PACKAGED, gt=0, le=1)
    contact_mention_min_share: float = Field(PACKAGED, gt=0, le=1)
    near_miss_fraction: float = Field(PACKAGED, gt=0, le=1)
    few_values_max_distinct: int = Field(PACKAGED, ge=1)
    entity_min_ratio: dict[ReportedEntity, float] = PACKAGED
    name_carried_entities: tuple[CatalogueEntity, ...] = PACKAGED


class ScanSettings(_Layered):
    version: int = Field(PACKAGED, ge=1, le=1)
    reading: ReadingSettings = PACKAGED
    detection: DetectionSettings = PACKAGED
    classification: ClassificationSettings = PACKAGED

    def with_overrides(self, overrides: Mapping[str, Any]) -> ScanSettings:
        """These settings with ``overrides`` (nested like scan.yaml) deep-merged over them, validated, in memory."""
        try:
            return ScanSettings.model_validate(deep_merge(self.model_dump(), overrides))
        except ValidationError as exc:
            raise ConfigError(
                describe_validation_error(None, "a command-line setting", exc, config_vocabulary(), "Check the option's value.")
            ) from None


def read_yaml(path: Path) -> ConfigDocument:
    """Read and strictly parse a user's YAML file; any problem is a ConfigError naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    return parse_yaml(raw, str(path))


@lru_cache(maxsize=1)
def config_vocabulary() -> Vocabulary:
    """What error messages may repeat from a config file: setting names, category/entity/destination ids.

    The policy's words come from the packaged policy.yaml, not from PolicyModel: pipeline.policy sits above
    settings (it reads its file through this module), and its own errors add PolicyModel's names on top.
    """
    from pipeline.models import CATEGORY_IDS

    words = model_vocabulary(ScanSettings) | set(CATEGORY_IDS)
    words |= identifier_words(packaged_scan_defaults()) | identifier_words(read_packaged("policy.yaml").data)
    return Vocabulary(words)


def setting_overrides_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """``PIISCAN_<SECTION>__<KEY>=value`` variables as a nested mapping; an unknown name fails loudly."""
    overrides: dict[str, Any] = {}
    sections = {
        name: info.annotation for name, info in ScanSettings.model_fields.items() if isinstance(info.annotation, type)
    }
    for name in sorted(environ):
        if not name.startswith(SETTING_ENV_PREFIX) or "__" not in name:
            continue
        parts = name[len(SETTING_ENV_PREFIX):].lower().split("__")
        section_model = sections.get(parts[0]) if len(parts) == 2 else None
        if section_model is None or not issubclass(section_model, BaseModel) or parts[1] not in section_model.model_fields:
            known = ", ".join(f"PIISCAN_{s.upper()}__<KEY>" for s in sections)
            raise ConfigError(f"environment variable {name} names no scan setting (settings are {known}, keys as in scan.yaml)")
        overrides.setdefault(parts[0], {})[parts[1]] = parse_yaml_value(environ[name], f"environment variable {name}")
    return overrides


def load_scan_settings(config: Path | ScanSettings | None = None, *, environ: Mapping[str, str] | None = None) -> ScanSettings:
    """Packaged defaults < ``config`` (or ``$PIISCAN_CONFIG``) < ``PIISCAN_<SECTION>__<KEY>`` variables.

    Settings already built (``ScanSettings``) are returned as they are: the caller has layered them.
    """
    if isinstance(config, ScanSettings):
        return config
    environ = os.environ if environ is None else environ
    if config is None and environ.get(CONFIG_ENV):
        config = Path(environ[CONFIG_ENV])
    document = read_yaml(config) if config is not None else None
    from_env = setting_overrides_from_env(environ)
    data = deep_merge(document.data if document is not None else {}, from_env)
    try:
        return ScanSettings.model_validate(data)
    except ValidationError as exc:
        source = str(config) if config is not None else "the packaged scan.yaml"
        if from_env:
            source += " with the PIISCAN_<SECTION>__<KEY> environment variables " + ", ".join(
                f"PIISCAN_{s.upper()}__{k.upper()}" for s, keys in from_env.items() for k in keys
            )
        raise ConfigError(describe_validation_error(document, source, exc, config_vocabulary())) from None


