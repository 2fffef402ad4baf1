"""GiNZA NER over the merged profile: each named column's bottom-k sample of distinct values, chosen by a
stable hash, so the sample is the same however the data was partitioned. Hits go to ``ner_hits``."""

from __future__ import annotations

import time

from pipeline.detect import ABOUT_A_PERSON_ENTITIES, value_windows
from pipeline.engine import ner_batch
from pipeline.masking import mask_value
from pipeline.models import ScanIssue
from pipeline.profile_model import ColumnProfile, EntityTally, FileProfile
from pipeline.settings import DetectionSettings, ScanSettings
from recognizers.person_reference import is_encyclopedic, speaks_of_a_person


def run_ner(profile: FileProfile, columns: list[str], settings: ScanSettings) -> FileProfile:
    """GiNZA NER over each named column's bottom-k sample (deterministic), recorded as ``ner_hits``.

    Each sampled value counts with the rows it stands for, so a share is a share of rows, as the
    pattern recognizers' are: the same whether a table repeats its values or not. People named in
    encyclopedic prose (historical figures, authors) are the article's topic, not personal data."""
    keep = settings.detection.examples_per_entity
    deadline = time.monotonic() + settings.detection.ner_seconds_per_dataset
    unread = 0  # sample values NER did not reach before the time cap
    for name in columns:
        column = profile.columns[name]
        sample = sorted(column.sketch.items())[: settings.detection.ner_sample_size]
        column.ner_sample_size = len(sample)
        column.ner_sample_rows = sum(column.sketch_rows.get(value_hash, 1) for value_hash, _ in sample)
        column.ner_read_every_value = len(sample) == len(column.sketch) < settings.detection.sketch_size
        for start in range(0, len(sample), _NER_GROUP):
            if time.monotonic() > deadline:
                unread += len(sample) - start
                column.ner_read_every_value = False
                break
            _ner_group(column, sample[start : start + _NER_GROUP], settings.detection, keep)
    if unread:
        where = profile.files[0] if len(profile.files) == 1 else f"{len(profile.files)} files"
        profile.issues.append(
            ScanIssue(
                path=where if profile.files else "(dataset)",
                message=(
                    f"NER reached detection.ner_seconds_per_dataset ({settings.detection.ner_seconds_per_dataset:g} s): "
                    f"{unread} sampled value(s) were not read"
                ),
                kind="ner_time_cap",
            )
        )
    return profile


# Values handed to GiNZA between two looks at the clock (each at most max_value_chars per window).
_NER_GROUP = 32


def _ner_group(column: ColumnProfile, group: list[tuple[int, str]], settings: DetectionSettings, keep: int) -> None:
    """NER over a few sampled values, each read whole in windows, in one batch through spaCy's pipe."""
    owners: list[int] = []
    windows: list[str] = []
    for position, (_, value) in enumerate(group):
        for window in value_windows(value, settings):
            owners.append(position)
            windows.append(window)
    seen: list[dict[str, tuple[float, str]]] = [{} for _ in group]
    for owner, window, results in zip(owners, windows, ner_batch(windows), strict=True):
        for result in results:
            if result.entity_type not in seen[owner] or result.score > seen[owner][result.entity_type][0]:
                seen[owner][result.entity_type] = (result.score, window[result.start : result.end])
    for (value_hash, value), hits in zip(group, seen, strict=True):
        rows = column.sketch_rows.get(value_hash, 1)
        for entity, (score, span) in hits.items():
            if entity in ABOUT_A_PERSON_ENTITIES and not speaks_of_a_person(value, entity):
                continue
            if entity == "PERSON" and is_encyclopedic(value):
                continue
            column.ner_hits.setdefault(entity, EntityTally()).add(rows, score, value_hash, mask_value(span), keep)
