"""Tags out: one OpenLineage run event per dataset, carrying each column's policy categories and entities.

``piiscan scan … --emit openlineage=URL`` posts the events to an OpenLineage HTTP endpoint (Marquez, a data
catalog's lineage API); ``--emit openlineage=FILE`` appends them as JSON lines; a bare ``--emit openlineage``
uses the client's own configuration (``OPENLINEAGE_URL``, ``openlineage.yml``). Each event's input dataset
holds a schema facet (every column, with its type) and a tags facet with one tag per column and category
(``piiscan.category``), entity (``piiscan.entity``) and quasi-identifier flag; both facets carry their
``_schemaURL``. Events hold names, types, category ids and entity names only: never a value, not even a
masked example.

Sending is best effort: a receiver that is down does not cost the scan its report; the report gains an
``emit_error`` entry instead.
"""

from __future__ import annotations

import logging
import posixpath
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pipeline.errors import ConfigError
from pipeline.models import DatasetResult, ScanIssue
from pipeline.report import TOOL_VERSION, ScanReport

log = logging.getLogger("piiscan")

# OpenLineage wants the producer as a URI naming the software that made the event.
PRODUCER = f"https://pypi.org/project/piiscan/{TOOL_VERSION}/"
JOB_NAMESPACE = "piiscan"
TAG_SOURCE = "piiscan"
HTTP_TIMEOUT_SECONDS = 10.0

TransportKind = Literal["http", "file", "client_config"]


@dataclass(frozen=True)
class EmitTarget:
    """Where ``--emit openlineage[=URL|FILE]`` sends events."""

    transport: TransportKind
    where: str | None


def parse_emit(value: str) -> EmitTarget:
    """``openlineage``, ``openlineage=https://host/api/v1/lineage``-style URL, or ``openlineage=path/events.jsonl``."""
    kind, _, where = value.partition("=")
    if kind.strip() != "openlineage":
        raise ConfigError(f"--emit {value!r}: the only target is openlineage (openlineage, openlineage=URL, openlineage=FILE)")
    where = where.strip()
    if not where:
        return EmitTarget("client_config", None)
    if where.startswith(("http://", "https://")):
        return EmitTarget("http", where)
    if "://" in where:
        raise ConfigError(f"--emit {value!r}: give an http(s) URL or a local file path")
    return EmitTarget("file", where)


def dataset_identity(result: DatasetResult) -> tuple[str, str]:
    """OpenLineage (namespace, name) of a dataset where its files are: ``s3://bucket`` + key, ``file`` + absolute path.

    A dataset of one file is that file; a folder dataset (partitions, split files) is the folder they share.
    """
    if not result.files:  # an in-memory DataFrame
        return JOB_NAMESPACE, result.dataset.strip("<>")
    split = [urlsplit(f) for f in result.files]
    remote = {(p.scheme, p.netloc) for p in split if len(p.scheme) > 1 and p.scheme != "file"}
    paths = [p.path if (len(p.scheme) > 1) else f for p, f in zip(split, result.files, strict=True)]
    location = paths[0] if len(paths) == 1 else posixpath.commonpath([posixpath.normpath(p) for p in paths])
    if len(remote) == 1:
        scheme, netloc = remote.pop()
        return f"{scheme}://{netloc}", location or "/"
    return "file", str(Path(location).absolute())


def _run_event(result: DatasetResult, report: ScanReport, run_id: str) -> object:
    from openlineage.client.event_v2 import InputDataset, Job, Run, RunEvent, RunState
    from openlineage.client.generated import schema_dataset, tags_dataset

    fields = [
        schema_dataset.SchemaDatasetFacetFields(name=column.name, type=column.data_type, ordinal_position=index + 1)
        for index, column in enumerate(result.columns)
    ]
    tags: list[tags_dataset.TagsDatasetFacetFields] = []
    for column in result.columns:
        for category in column.categories:
            tags.append(tags_dataset.TagsDatasetFacetFields(key="piiscan.category", value=category, source=TAG_SOURCE, field=column.name))
        for entity in sorted({e.type for e in column.entities}):
            tags.append(tags_dataset.TagsDatasetFacetFields(key="piiscan.entity", value=entity, source=TAG_SOURCE, field=column.name))
        if column.quasi_identifier:
            tags.append(
                tags_dataset.TagsDatasetFacetFields(key="piiscan.quasi_identifier", value="true", source=TAG_SOURCE, field=column.name)
            )
    namespace, name = dataset_identity(result)
    dataset = InputDataset(
        namespace=namespace,
        name=name,
        facets={
            "schema": schema_dataset.SchemaDatasetFacet(fields=fields),
            "tags": tags_dataset.TagsDatasetFacet(tags=tags),
        },
    )
    return RunEvent(
        eventType=RunState.FAIL if result.errors else RunState.COMPLETE,
        eventTime=report.finished_at or datetime.now(UTC).isoformat(),
        run=Run(runId=run_id),
        job=Job(namespace=JOB_NAMESPACE, name="scan"),
        inputs=[dataset],
        producer=PRODUCER,
    )


def _client(target: EmitTarget) -> object:
    from openlineage.client import OpenLineageClient
    from openlineage.client.transport.file import FileConfig, FileTransport
    from openlineage.client.transport.http import HttpConfig, HttpTransport

    if target.transport == "http":
        assert target.where is not None
        parts = urlsplit(target.where)
        # HttpConfig joins url and endpoint; a URL with a path is taken whole.
        base = f"{parts.scheme}://{parts.netloc}"
        endpoint = parts.path.lstrip("/") or "api/v1/lineage"
        config = HttpConfig(url=base, endpoint=endpoint, timeout=HTTP_TIMEOUT_SECONDS, retry={"total": 2, "backoff_factor": 0.3})
        return OpenLineageClient(transport=HttpTransport(config))
    if target.transport == "file":
        assert target.where is not None
        return OpenLineageClient(transport=FileTransport(FileConfig(log_file_path=target.where, append=True)))
    return OpenLineageClient()


def build_events(report: ScanReport) -> list[object]:
    """The run events for ``report``: one per dataset, each with its own run id."""
    return [_run_event(result, report, str(uuid.uuid4())) for result in report.datasets]


def emit_report(report: ScanReport, targets: Sequence[EmitTarget]) -> ScanReport:
    """Send the report's events to every target; a target that fails adds an ``emit_error`` to the report."""
    if not targets:
        return report
    events = build_events(report)
    issues: list[ScanIssue] = []
    for target in targets:
        where = target.where or "openlineage (client configuration)"
        try:
            client = _client(target)
            for event in events:
                client.emit(event)  # type: ignore[attr-defined]
        except Exception as exc:  # any transport failure: the report is still written
            # The exception's type only: transports may echo the request (names, but never risk values).
            message = f"OpenLineage events were not sent to {where}: {type(exc).__name__}"
            log.warning("%s", message)
            issues.append(ScanIssue(path=where, kind="emit_error", message=message))
    return replace(report, errors=(*report.errors, *issues)) if issues else report
