"""Config files are validated and fail closed; the packaged files agree with the code's defaults."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from pipeline.errors import ConfigError
from pipeline.models import CATEGORY_IDS
from pipeline.policy import load_policy
from pipeline.settings import (
    DEFAULT_POLICY,
    DEFAULT_SCAN_CONFIG,
    PACKAGED,
    ClassificationSettings,
    DetectionSettings,
    ReadingSettings,
    ScanSettings,
    load_scan_settings,
)

REPO = Path(__file__).resolve().parents[2]
PACKAGED_FILES = ("scan.yaml", "policy.yaml", "recognizers.yaml")


@pytest.mark.parametrize("name", PACKAGED_FILES)
def test_configs_folder_is_the_packaged_defaults_byte_for_byte(name: str) -> None:
    """configs/ is the documented, editable copy; pipeline/defaults/ is what the wheel ships. They must not drift."""
    packaged = resources.files("pipeline").joinpath("defaults").joinpath(name).read_bytes()
    assert (REPO / "configs" / name).read_bytes() == packaged, (
        f"configs/{name} differs from pipeline/defaults/{name}: copy the edited file over the packaged one"
    )


def test_wheel_package_data_covers_every_packaged_default() -> None:
    """pyproject's package-data must carry pipeline/defaults/*.yaml into the wheel (the install bug of issue 13)."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["pipeline"]
    shipped = {p.name for pattern in patterns for p in (REPO / "pipeline").glob(pattern) if p.parent.name == "defaults"}
    assert shipped == set(PACKAGED_FILES)
    assert DEFAULT_SCAN_CONFIG.parent == Path(str(resources.files("pipeline"))) / "defaults"


def _settings_models() -> list[type[BaseModel]]:
    return [ScanSettings, ReadingSettings, DetectionSettings, ClassificationSettings]


def test_code_carries_no_default_of_its_own() -> None:
    """One source of defaults: every field of the settings models defaults to PACKAGED (the packaged YAML)."""
    for model in _settings_models():
        own = {name for name, info in model.model_fields.items() if info.default is not PACKAGED}
        assert not own, f"{model.__name__} has code defaults for {sorted(own)}: set them in pipeline/defaults/scan.yaml"


def test_packaged_scan_yaml_states_every_setting_and_is_what_the_code_uses() -> None:
    data = yaml.safe_load(DEFAULT_SCAN_CONFIG.read_text(encoding="utf-8"))
    assert set(data) == set(ScanSettings.model_fields)
    for section in ("reading", "detection", "classification"):
        model = ScanSettings.model_fields[section].annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        assert set(data[section]) == set(model.model_fields), f"{section}: every setting is written out"
    from_code = ScanSettings()
    assert from_code == load_scan_settings(environ={}) == ScanSettings.model_validate(data)
    # The two settings the old code defaulted differently (and the old drift test skipped).
    assert from_code.classification.entity_min_ratio == data["classification"]["entity_min_ratio"]
    assert from_code.classification.name_carried_entities == tuple(data["classification"]["name_carried_entities"])
    assert DetectionSettings() == from_code.detection and ReadingSettings() == from_code.reading


def test_a_partial_user_file_is_deep_merged_over_the_packaged_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path, "detection:\n  ner_enabled: false\nclassification:\n  entity_min_ratio:\n    PHONE_NUMBER: 0.6\n")
    settings = load_scan_settings(path, environ={})
    packaged = ScanSettings()
    assert settings.detection.ner_enabled is False
    assert settings.detection.sketch_size == packaged.detection.sketch_size
    assert settings.reading == packaged.reading
    # Mappings merge key by key: the user's entry is added, the packaged ones stay.
    assert settings.classification.entity_min_ratio == {**packaged.classification.entity_min_ratio, "PHONE_NUMBER": 0.6}
    assert settings.classification.name_carried_entities == packaged.classification.name_carried_entities


def test_layers_apply_in_order_file_then_environment_then_arguments(tmp_path: Path) -> None:
    path = _write(tmp_path, "detection:\n  ner_sample_size: 11\n  sketch_size: 64\nreading:\n  batch_rows: 500\n")
    assert load_scan_settings(path, environ={}).detection.ner_sample_size == 11
    environ = {"PIISCAN_DETECTION__NER_SAMPLE_SIZE": "22", "PIISCAN_DETECTION__NER_ENABLED": "false"}
    from_env = load_scan_settings(path, environ=environ)
    assert (from_env.detection.ner_sample_size, from_env.detection.ner_enabled) == (22, False)
    assert from_env.reading.batch_rows == 500 and from_env.detection.sketch_size == 64
    from_args = from_env.with_overrides({"detection": {"ner_sample_size": 33}})
    assert from_args.detection.ner_sample_size == 33 and from_args.detection.ner_enabled is False
    assert from_env.detection.ner_sample_size == 22  # settings are frozen; overrides make a new object


def test_the_config_file_can_come_from_the_environment(tmp_path: Path) -> None:
    path = _write(tmp_path, "reading:\n  batch_rows: 123\n")
    assert load_scan_settings(environ={"PIISCAN_CONFIG": str(path)}).reading.batch_rows == 123
    explicit = _write(tmp_path / "x", "reading:\n  batch_rows: 7\n")
    assert load_scan_settings(explicit, environ={"PIISCAN_CONFIG": str(path)}).reading.batch_rows == 7


@pytest.mark.parametrize(
    ("environ", "needle"),
    [
        ({"PIISCAN_DETECTION__NER_ENABLD": "false"}, "PIISCAN_DETECTION__NER_ENABLD"),
        ({"PIISCAN_DETECTOR__NER_ENABLED": "false"}, "names no scan setting"),
        ({"PIISCAN_DETECTION__NER_SAMPLE_SIZE": "-5"}, "ner_sample_size"),
        ({"PIISCAN_DETECTION__SKETCH_SIZE": "[unclosed"}, "PIISCAN_DETECTION__SKETCH_SIZE"),
        ({"PIISCAN_DETECTION__NER_ENABLED": "maybe"}, "PIISCAN_DETECTION__NER_ENABLED"),
    ],
)
def test_bad_setting_variables_fail_loudly(environ: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_scan_settings(environ=environ)
    assert needle in str(info.value)


def test_other_piiscan_variables_are_not_settings() -> None:
    environ = {"PIISCAN_SCHEDULER": "sync", "PIISCAN_HASH_KEY": "k" * 32, "PIISCAN_CATALOG": "/tmp/c.duckdb"}
    assert load_scan_settings(environ=environ) == ScanSettings()


def _write(tmp_path: Path, text: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
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


def test_cli_sample_and_full_override_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from pipeline.cli.scan import _scan_settings

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # any temporary file would land here
    monkeypatch.delenv("PIISCAN_CONFIG", raising=False)
    assert _scan_settings(None, 7, False).detection.ner_sample_size == 7
    config = _write(tmp_path / "c", "detection:\n  sketch_size: 64\n")
    assert _scan_settings(config, None, True).detection.ner_sample_size == 64
    assert _scan_settings(config, None, False) == load_scan_settings(config)
    with pytest.raises(ConfigError, match="ner_sample_size"):
        _scan_settings(None, -1, False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]
