"""The options several commands share, declared once so their names and help read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

SourcesArg = Annotated[list[str], typer.Argument(help="Files, folders, globs or fsspec URLs (s3://bucket/prefix).")]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Scan settings YAML, may be partial (over the packaged defaults). Env: PIISCAN_CONFIG."),
]
PolicyOpt = Annotated[Path | None, typer.Option("--policy", help="Policy YAML (default: the packaged policy). Env: PIISCAN_POLICY.")]
RecognizersOpt = Annotated[
    Path | None,
    typer.Option("--recognizers", envvar="PIISCAN_RECOGNIZERS", help="Your own recognizers (Presidio YAML) instead of the packaged ones."),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786), or 'local', 'threads', 'sync'. Env: PIISCAN_SCHEDULER."),
]
FollowLinksOpt = Annotated[
    bool, typer.Option("--follow-links", help="Follow symbolic links that lead out of a SOURCE (by default they are skipped and listed).")
]
