"""Config loading refuses duplicate keys and never repeats a file's content in its errors.

A data file passed by mistake as ``--config``, ``--policy`` or ``--recognizers`` must not put names or phone numbers on the
terminal or into verdict.json: the error gives file, line, column and problem. Typos of piiscan's own words
are still named, with the likely fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.errors import ConfigError
from pipeline.policy import load_policy
from pipeline.settings import DEFAULT_POLICY, load_scan_settings

PLANTED = ("山田太郎", "090-1234-5678", "taro.yamada@example.com", "yamada_taro", "suzuki", "東京都千代田区")

# Data files a user might pass by mistake, each holding the planted values in a different shape.
DATA_FILES = {
    "records.csv": "氏名,電話番号,メール\n山田太郎,090-1234-5678,taro.yamada@example.com\n",
    "note.txt": "氏名: 山田太郎\n電話: 090-1234-5678\n住所: 東京都千代田区\n",
    "people.json": '{"yamada_taro": {"phone": "090-1234-5678", "name": "山田太郎"}}\n',
    "broken.yaml": '氏名: 山田太郎\n電話: "090-1234-5678\nmail: taro.yamada@example.com\n',
    "flow.yaml": "{氏名: 山田太郎, 電話: [090-1234-5678, taro.yamada@example.com}\n",
    "tabs.tsv": "山田太郎\t090-1234-5678\n\tsuzuki: taro.yamada@example.com\n",
    "duplicate.yaml": "山田太郎: 090-1234-5678\n山田太郎: taro.yamada@example.com\n",
    "tagged.yaml": "name: !山田太郎 090-1234-5678\n",
    "policy_shaped.json": json.dumps(
        {
            "version": 1,
            "categories": {"personal": "x"},
            "entity_categories": {"山田太郎": "090-1234-5678"},
            "destinations": {
                "suzuki": {"description": "東京都千代田区", "policy_sentence": "taro.yamada@example.com",
                           "rules": [{"rule": "yamada_taro", "categories": ["山田太郎"]}]},
            },
        },
        ensure_ascii=False,
    ),
}


def _leaks(text: str) -> list[str]:
    return [value for value in PLANTED if value in text]


@pytest.fixture
def data_files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in DATA_FILES.items():
        path = tmp_path / "data" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_a_data_file_as_config_or_policy_is_refused_without_its_content(data_files: dict[str, Path], name: str) -> None:
    for load in (load_scan_settings, load_policy):
        with pytest.raises(ConfigError) as info:
            load(data_files[name])
        message = str(info.value)
        assert str(data_files[name]) in message
        assert not _leaks(message), message


@pytest.fixture(scope="module")
def cli_app() -> typer.Typer:
    from pipeline.cli import app

    return app


@pytest.mark.parametrize("name", ["note.txt", "broken.yaml", "duplicate.yaml", "policy_shaped.json", "people.json"])
def test_cli_prints_and_writes_no_content_of_a_mistaken_file(
    cli_app: typer.Typer, data_files: dict[str, Path], tmp_path: Path, name: str
) -> None:
    runner = CliRunner()
    lake = tmp_path / "lake"
    lake.mkdir()
    scan = runner.invoke(cli_app, ["scan", str(lake), "--config", str(data_files[name]), "--out", str(tmp_path / "o1"), "--no-catalog"])
    assert scan.exit_code == 2 and not _leaks(scan.output), scan.output
    assert "is invalid" in scan.output or "line" in scan.output or "mapping" in scan.output
    recognizers = runner.invoke(
        cli_app, ["scan", str(lake), "--recognizers", str(data_files[name]), "--out", str(tmp_path / "o3"), "--no-catalog"]
    )
    assert recognizers.exit_code == 2 and not _leaks(recognizers.output), recognizers.output
    assert str(data_files[name]) in recognizers.output.replace("\n", "")
    out = tmp_path / "o2"
    check = runner.invoke(
        cli_app, ["check", str(lake), "--destination", "third_party", "--policy", str(data_files[name]), "--out", str(out)]
    )
    assert check.exit_code == 2, check.output
    verdict = (out / "verdict.json").read_text(encoding="utf-8")
    assert json.loads(verdict)["decision"] == "undecidable"
    assert not _leaks(check.output + verdict), check.output + verdict


def test_yaml_errors_give_line_and_column(data_files: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match=r"line \d+, column \d+: not valid YAML"):
        load_scan_settings(data_files["broken.yaml"])
    with pytest.raises(ConfigError, match=r"line 2, column 1: duplicate key"):
        load_scan_settings(data_files["duplicate.yaml"])


def test_duplicate_keys_in_scan_settings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.yaml"
    path.write_text("detection:\n  ner_enabled: true\n  sketch_size: 64\n  ner_enabled: false\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 4, column 3: duplicate key"):
        load_scan_settings(path)


def test_a_duplicated_destination_in_the_policy_is_refused(tmp_path: Path) -> None:
    """A second `statistics:` block used to replace the first silently (last one wins)."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    start = text.index("\n  statistics:\n") + 1
    end = text.index("\n  internal:\n") + 1
    path = tmp_path / "policy.yaml"
    path.write_text(text + text[start:end], encoding="utf-8")
    line = text.count("\n") + 1
    with pytest.raises(ConfigError, match=rf"policy.yaml: line {line}, column 3: duplicate key"):
        load_policy(path)


def test_a_policy_error_quotes_the_choices_the_packaged_policy_does_not_use(tmp_path: Path) -> None:
    """The policy's own vocabulary (PolicyModel's choices) reaches its errors: 'month' is in no packaged file."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    assert "granularity: year" in text and "month" not in text
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace("granularity: year", "granularity: week", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"date_granularity: Input should be 'year' or 'month'"):
        load_policy(path)


def test_the_policy_file_can_come_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(DEFAULT_POLICY.read_text(encoding="utf-8").replace("k_threshold: 5", "k_threshold: 9"), encoding="utf-8")
    policy = load_policy(environ={"PIISCAN_POLICY": str(path)})
    assert policy.path == str(path) and policy.model.quasi_identifiers.k_threshold == 9
    assert load_policy(environ={}).model.quasi_identifiers.k_threshold != 9


def test_typos_of_piiscan_words_are_named_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "scan.yaml"
    path.write_text("version: 1\ndetection:\n  ner_enabld: false\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_scan_settings(path)
    assert "line 3, column 3: detection.ner_enabld: unknown key (did you mean ner_enabled?)" in str(info.value)
