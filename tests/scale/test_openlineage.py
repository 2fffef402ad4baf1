"""``piiscan scan … --emit openlineage=URL|FILE``: one OpenLineage run event per dataset, received by a local
HTTP server that validates each event, carrying every tagged column, and holding no raw value.

The OpenLineage spec's JSON files are not shipped in any PyPI package this project can install
(openlineage-python and openlineage-integration-common carry only generated classes), and the run must stay
offline; so ``RUN_EVENT_SCHEMA`` below restates, as JSON Schema, the parts of the published spec that these
events use: OpenLineage.json 2-0-2 (BaseEvent, RunEvent, Run, Job, InputDataset, DatasetFacet),
SchemaDatasetFacet.json 1-2-0 and TagsDatasetFacet.json 1-0-0 (https://openlineage.io/spec/). Formats
(date-time, uri, uuid) are checked too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from tests.report.rawvalues import leaks, raw_values
from tests.scale.lakes import write_lake

REPO = Path(__file__).resolve().parents[2]

_FACET = {
    "type": "object",
    "required": ["_producer", "_schemaURL"],
    "properties": {"_producer": {"type": "string", "format": "uri"}, "_schemaURL": {"type": "string", "format": "uri"}},
}
RUN_EVENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["eventTime", "producer", "schemaURL", "run", "job"],
    "properties": {
        "eventTime": {"type": "string", "format": "date-time"},
        "producer": {"type": "string", "format": "uri"},
        "schemaURL": {"type": "string", "format": "uri"},
        "eventType": {"enum": ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]},
        "run": {
            "type": "object",
            "required": ["runId"],
            "properties": {"runId": {"type": "string", "format": "uuid"}, "facets": {"type": "object", "additionalProperties": _FACET}},
        },
        "job": {
            "type": "object",
            "required": ["namespace", "name"],
            "properties": {
                "namespace": {"type": "string"},
                "name": {"type": "string"},
                "facets": {"type": "object", "additionalProperties": _FACET},
            },
        },
        "inputs": {"type": "array", "items": {"$ref": "#/$defs/InputDataset"}},
        "outputs": {"type": "array"},
    },
    "$defs": {
        "InputDataset": {
            "type": "object",
            "required": ["namespace", "name"],
            "properties": {
                "namespace": {"type": "string"},
                "name": {"type": "string"},
                "facets": {
                    "type": "object",
                    "additionalProperties": _FACET,
                    "properties": {"schema": {"$ref": "#/$defs/SchemaDatasetFacet"}, "tags": {"$ref": "#/$defs/TagsDatasetFacet"}},
                },
                "inputFacets": {"type": "object", "additionalProperties": _FACET},
            },
        },
        "SchemaDatasetFacet": {
            "allOf": [
                _FACET,
                {
                    "type": "object",
                    "properties": {
                        "fields": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "type": {"type": "string"},
                                    "description": {"type": "string"},
                                    "ordinal_position": {"type": "integer", "minimum": 1},
                                    "fields": {"type": "array"},
                                },
                            },
                        }
                    },
                },
            ]
        },
        "TagsDatasetFacet": {
            "allOf": [
                _FACET,
                {
                    "type": "object",
                    "properties": {
                        "tags": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["key", "value"],
                                "properties": {
                                    "key": {"type": "string"},
                                    "value": {"type": "string"},
                                    "source": {"type": "string"},
                                    "field": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            ]
        },
    },
}
SCHEMA_FACET_URL = "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet"
TAGS_FACET_URL = "https://openlineage.io/spec/facets/1-0-0/TagsDatasetFacet.json#/$defs/TagsDatasetFacet"


def _validate(event: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(RUN_EVENT_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    problems = [e.message for e in validator.iter_errors(event)]
    # Formats the checker may not know without optional packages: check them by hand as well.
    datetime.fromisoformat(event["eventTime"].replace("Z", "+00:00"))
    uuid.UUID(event["run"]["runId"])
    for uri in (event["producer"], event["schemaURL"]):
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"not an absolute URI: {uri}")
    return problems


class _Receiver(BaseHTTPRequestHandler):
    events: list[dict[str, Any]]
    bodies: list[str]
    problems: list[str]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        self.bodies.append(body)
        event = json.loads(body)
        problems = _validate(event)
        self.problems.extend(problems)
        self.events.append(event)
        self.send_response(400 if problems else 201)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"events": [], "bodies": [], "problems": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1/lineage", handler
    finally:
        server.shutdown()
        server.server_close()


def _scan(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PIISCAN_DETECTION__NER_ENABLED": "false"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "scan", *args, "--scheduler", "sync", "--no-catalog", "--quiet"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )


def _check_events(events: list[dict[str, Any]], report: dict[str, Any], lake: Path) -> None:
    assert len(events) == len(report["datasets"]) == 3
    assert sum(1 for d in report["datasets"] for c in d["columns"] if c["categories"]) >= 3  # name, phone, email
    by_name = {e["inputs"][0]["name"]: e for e in events}
    for dataset in report["datasets"]:
        event = by_name[str((lake / dataset["dataset"]).absolute())]
        assert event["inputs"][0]["namespace"] == "file"
        assert event["eventType"] == "COMPLETE"
        facets = event["inputs"][0]["facets"]
        assert facets["schema"]["_schemaURL"] == SCHEMA_FACET_URL
        assert facets["tags"]["_schemaURL"] == TAGS_FACET_URL
        assert [f["name"] for f in facets["schema"]["fields"]] == [c["name"] for c in dataset["columns"]]
        tags = {(t["field"], t["key"], t["value"]) for t in facets["tags"]["tags"]}
        for column in (c for c in dataset["columns"] if c["categories"]):
            for category in column["categories"]:
                assert (column["name"], "piiscan.category", category) in tags
            for entity in column["entities"]:
                assert (column["name"], "piiscan.entity", entity["type"]) in tags
        untagged = {c["name"] for c in dataset["columns"] if not c["categories"] and not c["entities"] and not c["quasi_identifier"]}
        assert not {field for field, _, _ in tags} & untagged


@pytest.mark.slow
def test_events_over_http_validate_carry_every_tagged_column_and_no_raw_value(
    tmp_path: Path, receiver: tuple[str, type[_Receiver]]
) -> None:
    url, handler = receiver
    lake = tmp_path / "lake"
    write_lake(lake)
    result = _scan(str(lake), "--out", str(tmp_path / "out"), "--emit", f"openlineage={url}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert handler.problems == []
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    _check_events(handler.events, report, lake)
    values = raw_values(lake)
    assert values, "the lake should hold values to look for"
    for body in handler.bodies:
        assert leaks(body, values) == []
        assert leaks(json.dumps(json.loads(body), ensure_ascii=False), values) == []
        for column in (c for d in report["datasets"] for c in d["columns"]):
            for entity in column["entities"]:
                for example in entity.get("examples", []):
                    assert example not in body  # not even masked examples leave in events


@pytest.mark.slow
def test_events_to_a_file_are_json_lines_that_validate(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    write_lake(lake)
    events_file = tmp_path / "lineage" / "events.jsonl"
    events_file.parent.mkdir()
    result = _scan(str(lake), "--out", str(tmp_path / "out"), "--emit", f"openlineage={events_file}")
    assert result.returncode == 0, result.stderr[-2000:]
    events = [json.loads(line) for line in events_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [p for e in events for p in _validate(e)] == []
    _check_events(events, json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8")), lake)
    assert leaks(events_file.read_text(encoding="utf-8"), raw_values(lake)) == []


@pytest.mark.slow
def test_a_receiver_that_is_down_costs_the_scan_only_its_events(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    lake = tmp_path / "lake"
    write_lake(lake)
    result = _scan(str(lake), "--out", str(tmp_path / "out"), "--emit", f"openlineage=http://127.0.0.1:{port}/api/v1/lineage")
    assert result.returncode == 3, result.stderr[-2000:]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [e["kind"] for e in report["errors"]] == ["emit_error"]
    assert len(report["datasets"]) == 3


def test_an_unknown_emit_target_is_a_usage_error(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    write_lake(lake)
    result = _scan(str(lake), "--out", str(tmp_path / "out"), "--emit", "datahub=http://x")
    assert result.returncode == 2
    assert "openlineage" in result.stderr
    assert not (tmp_path / "out").exists()
