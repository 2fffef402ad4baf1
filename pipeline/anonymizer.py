"""``anonymize(sources, destination, out)``: write a copy of the data that passes the gate for a destination.

Per column, the destination's operator for each category (configs/policy.yaml ``anonymize.operators``)
runs through presidio-anonymizer: drop, mask, keyed hash (HMAC-SHA256 with the key from
``PIISCAN_HASH_KEY``; never stored or logged), redact, generalise (age → band, date → year or month,
7-digit postal code → 3 digits, address → prefecture). Free-text columns keep their text and lose only
the detected spans. Rows without consent are dropped where the destination requires consent, and rows
in quasi-identifier classes smaller than k are suppressed. Then the gate runs again on what was written;
the copy appears at ``out`` (temp dir, then rename) only if it passes. The source is only read.

This module is the entry point; the parts, one concern each:
    anonymize_operators  pure value operators (generalisers, keyed hash) and their presidio configs
    anonymize_columns    per structured column: the operator its categories call for, applied to values
    anonymize_free_text  span redaction inside free text (pattern recognizers, then GiNZA NER)
    anonymize_suppress   whole-dataset steps: k-anonymity by suppression, APPI top/bottom coding
    anonymize_io         the two passes over a dataset: projected statistics read, batch-by-batch write
    anonymize_policy     one dataset for a policy destination (consent, operators, k)
    anonymize_appi       one dataset for an APPI processing standard (規則34条 / 31条)
    anonymize_models     what was done: per column, per dataset, for the copy
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pipeline import appi
from pipeline.anonymize_appi import appi_dataset as _appi_dataset
from pipeline.anonymize_appi import appi_needs_key as _appi_needs_key
from pipeline.anonymize_columns import ColumnPlan, plan_column, transform_structured
from pipeline.anonymize_columns import consent_categories as _consent_categories
from pipeline.anonymize_free_text import redact_free_text
from pipeline.anonymize_io import output_relative_path
from pipeline.anonymize_models import Action, AnonymizedDataset, AnonymizeResult, ColumnAction
from pipeline.anonymize_operators import (
    HASH_KEY_ENV,
    MIN_HASH_KEY_CHARS,
    REDACTED,
    address_prefecture,
    age_band,
    date_generalise,
    generaliser_for,
    hash_key_from_env,
    keyed_hash,
    operator_config,
    postal_prefix,
)
from pipeline.anonymize_policy import anonymize_dataset as _anonymize_dataset
from pipeline.anonymize_suppress import enforce_k, suppress_rare, top_bottom_code
from pipeline.errors import OutputError, PiiscanError
from pipeline.gate import BlockingReason, ExportBlocked, GateUndecidable, check, destination_rule, gate_view
from pipeline.models import DatasetResult
from pipeline.policy import DestinationRule, Policy, load_policy
from pipeline.report import atomic_write_text
from pipeline.settings import DEFAULT_USER_RECOGNIZERS, load_scan_settings
from pipeline.sources import discover

# The anonymiser's parts live in pipeline.anonymize_* (one concern each); their public names stay importable here.
__all__ = [
    "HASH_KEY_ENV",
    "MIN_HASH_KEY_CHARS",
    "REDACTED",
    "SUMMARY_FILE",
    "Action",
    "AnonymizeResult",
    "AnonymizedDataset",
    "ColumnAction",
    "ColumnPlan",
    "address_prefecture",
    "age_band",
    "anonymize",
    "date_generalise",
    "enforce_k",
    "generaliser_for",
    "hash_key_from_env",
    "keyed_hash",
    "operator_config",
    "output_relative_path",
    "plan_column",
    "postal_prefix",
    "redact_free_text",
    "suppress_rare",
    "top_bottom_code",
    "transform_structured",
]

SUMMARY_FILE = "_anonymize.json"  # a leading "_" keeps it out of discovery, so the re-check ignores it


# ---------------------------------------------------------------- the API


def _local_path(source: str) -> Path | None:
    if "://" in source and not source.startswith("file://"):
        return None
    return Path(source.removeprefix("file://")).resolve()


def _check_out_dir(out: Path, sources: Sequence[str]) -> Path:
    out = out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OutputError(f"{out} exists and is not an empty folder; choose a new folder for the anonymised copy")
    for source in sources:
        local = _local_path(source.split("*")[0])
        if local is not None and (out == local or local in out.parents or out in local.parents):
            raise OutputError(f"{out} overlaps the source {source}; write the copy outside the source")
    return out


def _needs_key(result: DatasetResult, rule: DestinationRule, policy: Policy, consent_kept: bool) -> bool:
    if "hash" not in rule.anonymize.operators.values():
        return False
    for column in result.columns:
        if column.free_text:
            return True
        plan = plan_column(column, rule, policy, consent_kept)
        if plan is not None and plan.operator == "hash":
            return True
    return False


def anonymize(
    sources: str | Path | Sequence[str | Path],
    destination: str,
    out: Path | str,
    *,
    consent_column: str | None = None,
    policy: Path | None = None,
    config: Path | None = None,
    recognizers: Path | None = None,
    scheduler: str | None = None,
    hash_key_env: str = HASH_KEY_ENV,
    exclude: Sequence[str] = (),
    follow_links: bool = False,
) -> AnonymizeResult:
    """Write an anonymised copy of ``sources`` to ``out`` that passes the gate for ``destination``.

    Raises ``GateUndecidable`` when the input cannot be judged, ``ConfigError`` for a bad policy or a
    missing hash key, and ``ExportBlocked`` (with its reasons; nothing left at ``out``) when even the
    anonymised copy fails the gate.

    Only files inside the SOURCEs are read and rewritten: symbolic links that lead out of a SOURCE are
    skipped (and make the input undecidable) unless ``follow_links``; ``exclude`` globs leave files out
    (they are not copied).
    """
    loaded = load_policy(policy)
    rule = destination_rule(loaded, destination)
    settings = load_scan_settings(config)
    paths = [str(sources)] if isinstance(sources, str | Path) else [str(s) for s in sources]
    out_dir = _check_out_dir(Path(out), paths)
    verdict = check(
        paths, destination, consent_column=consent_column, policy=policy, config=config,
        recognizers=recognizers, scheduler=scheduler, exclude=exclude, follow_links=follow_links,
    )
    # An APPI item that cannot be decided only because of free text is something anonymize fixes (it deletes it).
    fixable = rule.appi is not None and all(
        p.kind == "appi_cannot_decide" for p in verdict.problems
    ) and all(i.status != "cannot_decide" or i.check == "peculiar_descriptions" for i in verdict.appi_items)
    if verdict.decision == "undecidable" and not fixable:
        verdict.raise_if_not_allowed()
    assert verdict.report is not None
    # Columns the gate blocks on because of diluted personal data are treated like tagged ones.
    judged = [
        dataclasses.replace(d, columns=tuple(gate_view(c, rule, loaded) for c in d.columns)) for d in verdict.report.datasets
    ]
    refs = {ref.name: ref for ref in discover(paths, follow_links=follow_links, exclude=exclude)[0]}
    user_recognizers = str(recognizers) if recognizers else (
        str(DEFAULT_USER_RECOGNIZERS) if DEFAULT_USER_RECOGNIZERS.exists() else None
    )
    consent_rules = bool(_consent_categories(rule))
    key = None
    if rule.appi is not None:
        if _appi_needs_key(judged, rule.appi, loaded):
            key = hash_key_from_env(hash_key_env)
    elif any(_needs_key(d, rule, loaded, bool(consent_column) and consent_rules) for d in judged):
        key = hash_key_from_env(hash_key_env)

    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        work_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"cannot create a folder beside {out_dir}: {exc.strerror or exc}") from None
    try:
        done: list[AnonymizedDataset] = []
        for result in judged:
            ref = refs.get(result.dataset)
            if ref is None:
                raise GateUndecidable(f"{result.dataset}: cannot locate its files to anonymise")
            if rule.appi is not None:
                done.append(_appi_dataset(ref, result, loaded, rule, rule.appi, settings, key, work_dir))
                continue
            done.append(
                _anonymize_dataset(ref, result, loaded, rule, consent_column, settings, user_recognizers, key, work_dir)
            )
        recheck = check(
            [str(work_dir)], destination, consent_column=consent_column, policy=policy, config=config,
            recognizers=recognizers, scheduler=scheduler,
        )
        if not recheck.allowed:
            reasons: tuple[BlockingReason, ...] = recheck.reasons
            raise ExportBlocked(
                f"the anonymised copy still fails the gate for {destination} ({recheck.decision}); "
                "nothing was written. Adjust the destination's anonymize operators in the policy.",
                reasons,
            )
        anonymized = AnonymizeResult(out_dir=out_dir, destination=destination, datasets=tuple(done), verdict=recheck)
        summary = anonymized.to_dict()
        summary["created_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        summary["policy"] = {"path": loaded.path, "sha256": loaded.sha256}
        atomic_write_text(work_dir / SUMMARY_FILE, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        if rule.appi is not None and recheck.report is not None:
            atomic_write_text(
                work_dir / appi.DISCLOSURE_FILE,
                appi.disclosure_markdown(rule.appi, destination, recheck.report.datasets, loaded),
            )
        if out_dir.exists():
            out_dir.rmdir()  # checked empty above
        os.replace(work_dir, out_dir)
        return anonymized
    except BaseException as exc:
        shutil.rmtree(work_dir, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the anonymised copy to {out_dir}: {exc.strerror or exc}") from None
        if isinstance(exc, PiiscanError):
            raise
        raise
