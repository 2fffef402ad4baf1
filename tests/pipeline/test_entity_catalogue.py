"""The entity catalogue is checked where entity ids enter: the policy, users' recognizers, scan.yaml, NER.

A user's own entity (not in the catalogue) is allowed when the policy maps it; a near-spelling of a catalogue
id is refused as a typo, and a finding the policy leaves uncategorised stops the scan.

Also: the public functions show their real signatures (``pipeline.scan`` is ``pipeline.api.scan``).
"""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.classify import classify_column
from pipeline.engine import GINZA_ENTITY_MAPPING, NER_ENTITIES, pattern_recognizers
from pipeline.errors import ConfigError
from pipeline.policy import load_policy
from pipeline.profile_model import ColumnProfile, EntityTally
from pipeline.settings import load_scan_settings, read_packaged
from recognizers.entities import CATALOGUE, ENTITY_IDS, PERSONAL_ENTITY_IDS, entity_name

ROOT = Path(__file__).resolve().parents[2]
PACKAGED_POLICY = ROOT / "pipeline" / "defaults" / "policy.yaml"


# ------------------------------------------------------------------ the shipped files agree with the catalogue


def test_shipped_policy_maps_every_personal_id_and_only_catalogue_ids() -> None:
    mapped = set(load_policy().model.entity_categories)
    assert mapped <= set(ENTITY_IDS)
    assert mapped >= PERSONAL_ENTITY_IDS
    # The non-personal ids stay uncategorised in the shipped policy (its own comment says so).
    assert not mapped - PERSONAL_ENTITY_IDS
    assert (ROOT / "configs" / "policy.yaml").read_bytes() == PACKAGED_POLICY.read_bytes()


def test_scan_settings_name_catalogue_ids_only() -> None:
    classification = load_scan_settings().classification
    assert set(classification.entity_min_ratio) <= set(ENTITY_IDS)
    assert set(classification.name_carried_entities) <= set(ENTITY_IDS)


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        ("    JAN_CODE: 0.8\n", "    JAN_CODES: 0.8\n",
         ("classification.entity_min_ratio", "'JAN_CODES' is not in the entity catalogue (did you mean JAN_CODE?)")),
        ("[PASSWORD, MEMBER_ID,", "[PASWORD, MEMBER_ID,",
         ("classification.name_carried_entities.0", "'PASWORD' is not in the entity catalogue (did you mean PASSWORD?)")),
    ],
)
def test_a_scan_config_copy_with_an_unknown_entity_fails_naming_it(
    tmp_path: Path, old: str, new: str, fragments: tuple[str, ...]
) -> None:
    text = (ROOT / "pipeline" / "defaults" / "scan.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "scan.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_scan_settings(path)
    message = str(info.value)
    assert message.startswith(f"{path} is invalid: line "), message
    for fragment in fragments:
        assert fragment in message, message


def test_ner_mapping_is_the_catalogues() -> None:
    assert set(NER_ENTITIES) <= set(ENTITY_IDS)
    from_catalogue = {label: entity for entity, info in CATALOGUE.items() for label in info.ner_labels}
    assert from_catalogue == GINZA_ENTITY_MAPPING


def test_shipped_user_recognizers_emit_catalogue_ids() -> None:
    path = ROOT / "configs" / "recognizers.yaml"
    emitted = {e for r in pattern_recognizers(str(path)) for e in r.supported_entities}
    assert emitted <= set(ENTITY_IDS)


# ------------------------------------------------------------------ a policy copy with a bad entity id


def _policy_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = PACKAGED_POLICY.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        # a typo: named with its line and the id meant
        ("  PHONE_NUMBER: personal\n", "  JP_PHONE_NUMBER: personal\n",
         ("line 24, column 3: entity_categories: 'JP_PHONE_NUMBER' is not in the entity catalogue",
          "did you mean PHONE_NUMBER?", "no category to PHONE_NUMBER")),
        ("  MEDICAL: sensitive.health\n", "  MEDICAL: sensitive.health\n  MEDICL: sensitive.health\n",
         ("'MEDICL' is not in the entity catalogue (did you mean MEDICAL?)",)),
        ("  URL: behavioral\n", "  URL: behavioral\n  MEMBER_IDS: credential\n",
         ("'MEMBER_IDS' is not in the entity catalogue (did you mean MEMBER_ID?)",)),
        # not an entity id at all: named by its line only (a data file's key is not repeated)
        ("  URL: behavioral\n", "  URL: behavioral\n  loyalty card: credential\n",
         ("line 51, column 3: entity_categories: an id is not in the entity catalogue",
          "upper-case letters, digits and underscores")),
        # a personal id left out: found, never categorised, so never blocked
        ("  SEX_LIFE: sensitive.health\n", "", ("entity_categories gives no category to SEX_LIFE",)),
        # a category that is not the contract's
        ("  AGE: attribute\n", "  AGE: attributes\n", ("entity_categories.AGE",)),
    ],
)
def test_a_policy_copy_with_a_bad_entity_fails_naming_file_and_id(
    tmp_path: Path, old: str, new: str, fragments: tuple[str, ...]
) -> None:
    path = _policy_copy(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    message = str(info.value)
    assert message.startswith(f"{path} is invalid: "), message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        ("        categories: [personal, financial]\n", "        categories: [personel, financial]\n",
         ("rules.0", "unknown category 'personel' (did you mean personal?)")),
        ("        personal: drop           #", "        persnal: drop           #",
         ("anonymize.operators", "unknown category 'persnal' (did you mean personal?)")),
        ("        categories: [sensitive.*]\n", "        categories: [sensitive.all]\n", ("unknown category 'sensitive.all'",)),
    ],
)
def test_a_policy_copy_with_a_bad_category_fails_naming_it(
    tmp_path: Path, old: str, new: str, fragments: tuple[str, ...]
) -> None:
    path = _policy_copy(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    message = str(info.value)
    assert message.startswith(f"{path} is invalid: line "), message
    for fragment in fragments:
        assert fragment in message, message


def test_a_policy_may_categorise_a_non_personal_id_and_an_entity_of_the_users_own(tmp_path: Path) -> None:
    path = _policy_copy(tmp_path, "  AGE: attribute\n", "  AGE: attribute\n  DATE: attribute\n  LOYALTY_CARD: credential\n")
    policy = load_policy(path)
    assert policy.category_of("DATE") == "attribute"
    assert policy.category_of(entity_name("LOYALTY_CARD")) == "credential"


def test_a_data_file_key_is_not_repeated_as_an_entity_id(tmp_path: Path) -> None:
    path = _policy_copy(tmp_path, "  URL: behavioral\n", "  URL: behavioral\n  山田太郎: personal\n")
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    assert "山田太郎" not in str(info.value)
    assert "an id is not in the entity catalogue, and a user's own entity id is upper-case" in str(info.value)


# ------------------------------------------------------------------ users' recognizers


_USER_RECOGNIZER = """recognizers:
  - name: "LoyaltyRecognizer"
    supported_language: "ja"
    supported_entity: "{entity}"
    patterns:
      - name: "loyalty"
        regex: "(?<![0-9])LC[0-9]{{8}}(?![0-9])"
        score: 0.6
"""


@pytest.mark.parametrize(
    ("entity", "fragments"),
    [
        ("MEMBER_IDS", ("'MEMBER_IDS' is not in the entity catalogue", "did you mean MEMBER_ID?", "recognizers/entities.py")),
        ("JP_PHONE_NUMBER", ("did you mean PHONE_NUMBER?",)),
        ("loyalty-card", ("upper-case letters, digits and underscores",)),
    ],
)
def test_a_user_recognizer_emitting_a_misspelt_id_is_a_config_error(
    tmp_path: Path, entity: str, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / f"recognizers_{entity}.yaml"
    path.write_text(_USER_RECOGNIZER.format(entity=entity), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        pattern_recognizers(str(path))
    message = str(info.value)
    assert message.startswith(f"{path}: recognizer 'LoyaltyRecognizer' emits "), message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize("entity", ["MEMBER_ID", "LOYALTY_CARD"])
def test_a_user_recognizer_emitting_a_catalogue_id_or_its_own_loads(tmp_path: Path, entity: str) -> None:
    path = tmp_path / f"recognizers_ok_{entity}.yaml"
    path.write_text(_USER_RECOGNIZER.format(entity=entity), encoding="utf-8")
    loaded = {r.name: r.supported_entities for r in pattern_recognizers(str(path))}
    assert loaded["LoyaltyRecognizer"] == [entity]


def _loyalty_column(entity: str) -> ColumnProfile:
    profile = ColumnProfile(name="ref", data_type="string", rows=200, non_null=200)
    profile.entities[entity] = EntityTally(rows=200, score_sum=0.7 * 200, max_score=0.7)
    return profile


def test_a_users_own_entity_is_categorised_by_the_policy(tmp_path: Path) -> None:
    path = _policy_copy(tmp_path, "  URL: behavioral\n", "  URL: behavioral\n  LOYALTY_CARD: credential\n")
    result = classify_column(_loyalty_column("LOYALTY_CARD"), load_policy(path), load_scan_settings().classification)
    assert [f.type for f in result.entities] == ["LOYALTY_CARD"]
    assert result.categories == ("credential",)


def test_a_users_own_entity_the_policy_does_not_map_stops_the_scan() -> None:
    policy = load_policy()
    with pytest.raises(ConfigError) as info:
        classify_column(_loyalty_column("LOYALTY_CARD"), policy, load_scan_settings().classification)
    message = str(info.value)
    assert message.startswith(f"{policy.path}: a recognizer of yours reports LOYALTY_CARD"), message
    assert "no category in entity_categories" in message


def test_a_users_own_entity_end_to_end_through_scan(tmp_path: Path) -> None:
    """The notebook's path: a DataFrame, a YAML recognizer for an entity of one's own, a policy that maps it."""
    frame = pd.DataFrame({"ref": [f"LC{n:08d}" for n in range(50)], "amount": list(range(50))})
    recognizers = tmp_path / "recognizers.yaml"
    recognizers.write_text(_USER_RECOGNIZER.format(entity="LOYALTY_CARD"), encoding="utf-8")
    config = load_scan_settings().with_overrides({"detection": {"ner_enabled": False}})
    with pytest.raises(ConfigError, match="LOYALTY_CARD, which is not in the entity catalogue"):
        pipeline.scan(frame, name="orders", recognizers=recognizers, config=config, scheduler="sync")
    policy = _policy_copy(tmp_path, "  URL: behavioral\n", "  URL: behavioral\n  LOYALTY_CARD: credential\n")
    report = pipeline.scan(frame, name="orders", recognizers=recognizers, policy=policy, config=config, scheduler="sync")
    (column,) = [c for c in report.datasets[0].columns if c.name == "ref"]
    assert column.categories == ("credential",)
    assert column.entities[0].type == "LOYALTY_CARD"


# ------------------------------------------------------------------ real signatures


@pytest.mark.parametrize(
    ("name", "module", "keywords"),
    [
        ("scan", "pipeline.api", {"config", "policy", "recognizers", "scheduler"}),
        ("check", "pipeline.gate", {"destination", "consent_column", "policy", "config"}),
        ("anonymize", "pipeline.anonymizer", {"destination", "out", "consent_column", "policy"}),
    ],
)
def test_public_functions_are_the_real_ones_with_their_signatures(name: str, module: str, keywords: set[str]) -> None:
    real = getattr(importlib.import_module(module), name)
    public = getattr(pipeline, name)
    assert public is real
    signature = inspect.signature(public)
    kinds = {p.kind for p in signature.parameters.values()}
    assert inspect.Parameter.VAR_POSITIONAL not in kinds and inspect.Parameter.VAR_KEYWORD not in kinds
    assert keywords <= set(signature.parameters)
    assert public.__doc__ and public.__doc__ == real.__doc__


def test_import_pipeline_stays_light() -> None:
    code = "import sys, pipeline; print(any(m in sys.modules for m in ('pipeline.api', 'pipeline.gate', 'dask')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_packaged_policy_reads_the_same_ids() -> None:
    assert set(read_packaged("policy.yaml").data["entity_categories"]) == set(load_policy().model.entity_categories)


def test_classification_reads_non_personal_ids_from_the_catalogue() -> None:
    from pipeline.classify import NON_PERSONAL_ENTITIES

    assert {"JAN_CODE", "JP_CORPORATE_NUMBER", "JP_BUSINESS_PHONE", "DATE"} == NON_PERSONAL_ENTITIES
    assert all(not CATALOGUE[e].personal and CATALOGUE[e].recognizers for e in NON_PERSONAL_ENTITIES)
