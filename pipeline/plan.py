"""What one command works on, built once at its edge and handed to every stage: a frozen ``ScanPlan``.

``scan``, ``check`` and ``anonymize`` each load the settings, the policy and the user's recognizers once
(:func:`load_configuration`) and discover the datasets under their SOURCEs once (:func:`plan_sources`);
their stages take the plan and never load or discover again. ``anonymize`` checks its output with a second
plan over the output folder (:func:`replan`), which reuses the loaded configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fsspec
import pandas as pd
from dask.delayed import delayed

from pipeline.errors import PiiscanError
from pipeline.models import ScanIssue
from pipeline.policy import Policy, load_policy
from pipeline.settings import DEFAULT_USER_RECOGNIZERS, ScanSettings, load_scan_settings
from pipeline.sources import DatasetRef, ExcludedFile, Scope, discover_all

# A DataFrame is scanned in-process unless a scheduler is named (its partitions already live here).
FRAME_SCHEDULER = "sync"


@dataclass(frozen=True)
class Configuration:
    """The validated settings, policy and user recognizers of one command."""

    settings: ScanSettings
    policy: Policy
    # The user's recognizers YAML (a path: each worker loads it through pattern_recognizers' cache), or None.
    user_recognizers: str | None


@dataclass(frozen=True)
class FrameDataset:
    """A pandas or Dask DataFrame as one dataset: each partition (a delayed pandas frame) is one task."""

    name: str
    partitions: tuple[Any, ...]


@dataclass(frozen=True)
class ScanPlan:
    """One command's configuration and the datasets it reads: built once, never reloaded by a stage."""

    configuration: Configuration
    sources: tuple[str, ...]
    scope: Scope
    datasets: tuple[DatasetRef, ...] = ()
    issues: tuple[ScanIssue, ...] = ()
    excluded: tuple[ExcludedFile, ...] = ()
    frames: tuple[FrameDataset, ...] = ()
    scheduler: str | None = None

    @property
    def settings(self) -> ScanSettings:
        return self.configuration.settings

    @property
    def policy(self) -> Policy:
        return self.configuration.policy

    @property
    def user_recognizers(self) -> str | None:
        return self.configuration.user_recognizers


def user_recognizers_path(path: Path | None) -> str | None:
    """The user's recognizers file, else the packaged one when it exists."""
    if path is not None:
        return str(path)
    return str(DEFAULT_USER_RECOGNIZERS) if DEFAULT_USER_RECOGNIZERS.exists() else None


def load_configuration(
    config: Path | ScanSettings | None = None, policy: Path | None = None, recognizers: Path | None = None
) -> Configuration:
    """Settings (settings already built are taken as they are), policy and recognizers, each loaded once;
    a bad file fails here, before any work starts."""
    from pipeline.engine import pattern_recognizers

    settings = config if isinstance(config, ScanSettings) else load_scan_settings(config)
    loaded_policy = load_policy(policy)
    user_recognizers = user_recognizers_path(recognizers)
    pattern_recognizers(user_recognizers)  # fail on a bad recognizers.yaml before any work starts
    return Configuration(settings=settings, policy=loaded_policy, user_recognizers=user_recognizers)


def source_list(sources: str | Path | Sequence[str | Path] | Any) -> list[str]:
    """One SOURCE or several, as strings."""
    return [str(sources)] if isinstance(sources, str | Path) else [str(s) for s in sources]


def require_sources(paths: Sequence[str]) -> None:
    if not paths:
        raise PiiscanError("no SOURCE given; name at least one file, folder, glob or URL")


def is_dataframe(source: object) -> bool:
    return isinstance(source, pd.DataFrame) or is_dask_frame(source)


def is_dask_frame(obj: object) -> bool:
    return type(obj).__module__.startswith("dask") and hasattr(obj, "to_delayed")


def plan_sources(
    configuration: Configuration,
    sources: Sequence[str],
    scope: Scope | None = None,
    *,
    scheduler: str | None = None,
    fresh_listings: bool = False,
) -> ScanPlan:
    """Discover the datasets under ``sources`` once. ``fresh_listings`` drops fsspec's cached directory
    listings first (an incremental scan must see files changed since)."""
    scope = scope or Scope()
    if scope.as_of is not None:
        from pipeline.tables import parse_as_of

        parse_as_of(scope.as_of)  # a bad --as-of fails before any work starts
    if fresh_listings:
        _forget_listings(sources)
    found = discover_all(sources, scope)
    if scope.as_of is not None and found.datasets and not any(ref.table for ref in found.datasets):
        raise PiiscanError("--as-of applies to Delta Lake and Iceberg tables, and no SOURCE holds one")
    return ScanPlan(
        configuration=configuration, sources=tuple(sources), scope=scope, datasets=tuple(found.datasets),
        issues=tuple(found.issues), excluded=tuple(found.excluded), scheduler=scheduler,
    )


def plan_frame(configuration: Configuration, frame: Any, name: str, *, scheduler: str | None = None) -> ScanPlan:
    """A plan over one pandas or Dask DataFrame (no discovery: the frame is the dataset)."""
    partitions = tuple(frame.to_delayed()) if is_dask_frame(frame) else (delayed(frame),)
    return ScanPlan(
        configuration=configuration, sources=(f"<{name}>",), scope=Scope(),
        frames=(FrameDataset(name=name, partitions=partitions),), scheduler=scheduler or FRAME_SCHEDULER,
    )


def replan(plan: ScanPlan, sources: Sequence[str], scope: Scope | None = None) -> ScanPlan:
    """A plan over other sources (anonymize's output) with the same loaded configuration and scheduler."""
    return plan_sources(plan.configuration, sources, scope, scheduler=plan.scheduler)


def _forget_listings(sources: Sequence[str]) -> None:
    """fsspec caches directory listings per process."""
    for source in sources:
        try:
            fs, _ = fsspec.core.url_to_fs(source)
            fs.invalidate_cache()
        except (OSError, ValueError, ImportError):
            continue  # discovery reports an unusable source


def build_plan(
    source: str | Path | Sequence[str | Path] | pd.DataFrame | Any,
    *,
    config: Path | ScanSettings | None = None,
    policy: Path | None = None,
    recognizers: Path | None = None,
    scheduler: str | None = None,
    scope: Scope | None = None,
    name: str = "dataframe",
    fresh_listings: bool = False,
) -> ScanPlan:
    """The one function that builds a command's plan: configuration loaded once, then the datasets of
    ``source`` (paths, globs, URLs) discovered once, or the DataFrame taken as one dataset."""
    configuration = load_configuration(config, policy, recognizers)
    if is_dataframe(source):
        return plan_frame(configuration, source, name, scheduler=scheduler)
    paths = source_list(source)
    return plan_sources(configuration, paths, scope, scheduler=scheduler, fresh_listings=fresh_listings)
