"""Config files are validated and fail closed; the packaged files agree with the code's defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.errors import ConfigError
from pipeline.models import CATEGORY_IDS
from pipeline.policy import load_policy
from pipeline.settings import DEFAULT_POLICY, DEFAULT_SCAN_CONFIG, ScanSettings, load_scan_settings


def test_packaged_scan_yaml_states_every_default() -> None:
    """configs/scan.yaml is the documentation of the defaults: it must agree with the code."""
    from_file = load_scan_settings(DEFAULT_SCAN_CONFIG)
    from_code = ScanSettings()
    for section in ("reading", "detection"):
        assert getattr(from_file, section) == getattr(from_code, section)
    file_classification = from_file.classification.model_dump(exclude={"entity_min_ratio", "name_carried_entities"})
    code_classification = from_code.classification.model_dump(exclude={"entity_min_ratio", "name_carried_entities"})
    assert file_classification == code_classification
    data = yaml.safe_load(DEFAULT_SCAN_CONFIG.read_text(encoding="utf-8"))
    for section, model in (("reading", from_code.reading), ("detection", from_code.detection), ("classification", from_code.classification)):
        assert set(data[section]) == set(type(model).model_fields), f"{section}: every setting is written out"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("version: 1\ndetection:\n  min_value_scor: 0.4\n", "min_value_scor"),
        ("version: 1\ndetection:\n  min_value_score: 1.7\n", "min_value_score"),
        ("version: 2\n", "version"),
        ("- just\n- a list\n", "mapping"),
        ("version: [1\n", "YAML"),
        ("version: 1\nclassification:\n  min_ratio: !!python/object/apply:os.system ['true']\n", "YAML"),
    ],
)
def test_bad_scan_settings_fail_loudly(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_scan_settings(_write(tmp_path, text))
    assert needle in str(info.value)
    assert str(tmp_path) in str(info.value)


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_scan_settings(tmp_path / "nope.yaml")


def test_packaged_policy_maps_to_contract_categories() -> None:
    policy = load_policy(DEFAULT_POLICY)
    assert set(policy.model.categories) == set(CATEGORY_IDS)
    assert {"third_party", "outsourcing", "statistics", "internal"} <= set(policy.model.destinations)
    assert policy.category_of("JP_MY_NUMBER") == "identifier_code"
    assert policy.category_of("JP_CORPORATE_NUMBER") is None
    assert len(policy.sha256) == 64


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("  PERSON: personal", "  PERSON: personnal", "personnal"),
        ("  internal:\n", "  internall:\n", "internal"),
        ("sensitive.health:", "sensitive.heath:", "sensitive"),
    ],
)
def test_policy_typos_fail_closed(tmp_path: Path, old: str, new: str, needle: str) -> None:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    assert old in text
    path = _write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    assert needle in str(info.value)


def test_cli_sample_override_is_validated_and_leaves_no_file() -> None:
    from pipeline.cli import _settings_with_overrides

    with _settings_with_overrides(None, 7, False) as path:
        assert path is not None and path.exists()
        assert load_scan_settings(path).detection.ner_sample_size == 7
    assert not path.exists() and not path.parent.exists()
    with _settings_with_overrides(DEFAULT_SCAN_CONFIG, None, False) as unchanged:
        assert unchanged == DEFAULT_SCAN_CONFIG
