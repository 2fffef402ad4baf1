"""Validated settings: scan.yaml (reading, detection, thresholds). Bad files fail loudly, never fall back."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import ConfigError

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
DEFAULT_SCAN_CONFIG = CONFIG_DIR / "scan.yaml"
DEFAULT_POLICY = CONFIG_DIR / "policy.yaml"
DEFAULT_USER_RECOGNIZERS = CONFIG_DIR / "recognizers.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReadingSettings(_Strict):
    csv_block_bytes: int = Field(4 * 1024 * 1024, ge=64 * 1024)
    encoding_sniff_bytes: int = Field(65536, ge=1024)
    batch_rows: int = Field(65536, ge=1)
    # A CSV/JSONL record (a line, or a quoted multi-line CSV row) longer than this is a per-file error,
    # never an allocation: a gzip that expands to one multi-GB line is refused after reading this much.
    max_record_bytes: int = Field(16 * 1024 * 1024, ge=64 * 1024)


class DetectionSettings(_Strict):
    min_value_score: float = Field(0.4, ge=0, le=1)
    max_value_chars: int = Field(4096, ge=16)
    # Longer cells are read whole in windows of max_value_chars overlapping by this much, so an entity
    # shorter than the overlap that straddles a window boundary is still found (at most half a window is used).
    value_window_overlap_chars: int = Field(256, ge=0)
    # Per file: pattern matching stops after this many seconds (the rest counted, the file reported).
    pattern_seconds_per_file: float = Field(600.0, gt=0)
    # Per dataset: GiNZA NER over the sample stops after this many seconds (the rest reported).
    ner_seconds_per_dataset: float = Field(600.0, gt=0)
    examples_per_entity: int = Field(3, ge=0, le=20)
    sketch_size: int = Field(256, ge=8)
    ner_sample_size: int = Field(200, ge=0)
    ner_enabled: bool = True
    screen_sample_size: int = Field(20000, ge=1000)
    validate_limit: int = Field(2000, ge=100)


class ClassificationSettings(_Strict):
    min_ratio: float = Field(0.5, gt=0, le=1)
    min_ratio_with_name: float = Field(0.1, gt=0, le=1)
    min_score: float = Field(0.5, ge=0, le=1)
    name_only_min_strength: float = Field(0.85, ge=0, le=1)
    free_text_min_ratio: float = Field(0.03, gt=0, le=1)
    free_text_min_score: float = Field(0.6, ge=0, le=1)
    free_text_confident_score: float = Field(0.9, ge=0, le=1)
    free_text_confident_min_ratio: float = Field(0.005, gt=0, le=1)
    free_text_min_avg_chars: float = Field(12, gt=0)
    free_text_min_space_ratio: float = Field(0.3, gt=0, le=1)
    name_min_score: float = Field(0.3, ge=0, le=1)
    values_explain_ratio: float = Field(0.8, gt=0, le=1)
    shape_min_share: float = Field(0.8, gt=0, le=1)
    structured_keep_ratio: float = Field(0.6, gt=0, le=1)
    name_hint_weight: float = Field(0.5, ge=0)
    name_only_score_factor: float = Field(0.95, gt=0, le=1)
    repeated_contact_max_distinct_ratio: float = Field(0.1, ge=0, le=1)
    entity_min_ratio: dict[str, float] = Field(default_factory=dict)
    name_carried_entities: tuple[str, ...] = ()


class ScanSettings(_Strict):
    version: int = Field(1, ge=1, le=1)
    reading: ReadingSettings = ReadingSettings()
    detection: DetectionSettings = DetectionSettings()
    classification: ClassificationSettings = ClassificationSettings()


def read_yaml(path: Path) -> tuple[dict[str, Any], str]:
    """Safe-load a YAML mapping and its sha256; any problem is a ConfigError naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid UTF-8 YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a YAML mapping at the top level")
    return data, hashlib.sha256(raw).hexdigest()


def format_validation_error(path: Path, exc: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()
    )
    return f"{path} is invalid: {problems}. Fix the file; piiscan does not fall back to defaults."


def load_scan_settings(path: Path | None = None) -> ScanSettings:
    path = path or DEFAULT_SCAN_CONFIG
    data, _ = read_yaml(path)
    try:
        return ScanSettings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc)) from None
