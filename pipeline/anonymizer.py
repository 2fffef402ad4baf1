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
from pipeline.anonymize_policy import DestinationContext
from pipeline.anonymize_policy import anonymize_dataset as _anonymize_dataset
from pipeline.anonymize_suppress import enforce_k, suppress_rare, top_bottom_code
from pipeline.errors import OutputError
from pipeline.gate import (
    BlockingReason,
    ExportBlocked,
    GateUndecidable,
    Verdict,
    check_plan,
    destination_rule,
    gate_view,
)
from pipeline.models import DatasetResult
from pipeline.plan import ScanPlan, load_configuration, plan_sources, replan, require_sources, source_list
from pipeline.policy import DestinationRule, Policy
from pipeline.report import atomic_write_text
from pipeline.sources import Scope

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


def anonymize(  # noqa: PLR0913 -- the public API: one keyword-only argument per CLI option
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
    configuration = load_configuration(config, policy, recognizers)
    destination_rule(configuration.policy, destination)  # an unknown destination fails before any reading
    paths = source_list(sources)
    out_dir = _check_out_dir(Path(out), paths)
    require_sources(paths)
    plan = plan_sources(
        configuration, paths, Scope(follow_links=follow_links, exclude=tuple(exclude)), scheduler=scheduler
    )
    return anonymize_plan(plan, destination, out_dir, consent_column=consent_column, hash_key_env=hash_key_env)


def anonymize_plan(
    plan: ScanPlan, destination: str, out_dir: Path, *, consent_column: str | None = None, hash_key_env: str = HASH_KEY_ENV
) -> AnonymizeResult:
    """Gate the plan's datasets, write their anonymised copy to a folder beside ``out_dir``, check the copy
    with the plan's policy and settings (a plan over the copy), and only then move it to ``out_dir``."""
    rule = destination_rule(plan.policy, destination)
    judged = _judged_datasets(check_plan(plan, destination, consent_column=consent_column), rule, plan.policy)
    key = _hash_key(judged, rule, plan.policy, consent_column, hash_key_env)
    work_dir = _work_dir_beside(out_dir)
    try:
        done = [_anonymize_one(plan, result, rule, consent_column, key, work_dir) for result in judged]
        recheck = _recheck(plan, work_dir, destination, consent_column)
        anonymized = AnonymizeResult(out_dir=out_dir, destination=destination, datasets=tuple(done), verdict=recheck)
        _write_companions(work_dir, anonymized, rule, plan.policy)
        if out_dir.exists():
            out_dir.rmdir()  # checked empty above
        os.replace(work_dir, out_dir)
        return anonymized
    except BaseException as exc:
        shutil.rmtree(work_dir, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the anonymised copy to {out_dir}: {exc.strerror or exc}") from None
        raise


def _judged_datasets(verdict: Verdict, rule: DestinationRule, policy: Policy) -> list[DatasetResult]:
    """The scanned datasets as the destination's rules see them; an input the gate cannot decide on stops
    here, unless only free text keeps an APPI item open (anonymize deletes it)."""
    fixable = rule.appi is not None and all(
        p.kind == "appi_cannot_decide" for p in verdict.problems
    ) and all(i.status != "cannot_decide" or i.check == "peculiar_descriptions" for i in verdict.appi_items)
    if verdict.decision == "undecidable" and not fixable:
        verdict.raise_if_not_allowed()
    assert verdict.report is not None
    # Columns the gate blocks on because of diluted personal data are treated like tagged ones.
    return [
        dataclasses.replace(d, columns=tuple(gate_view(c, rule, policy) for c in d.columns)) for d in verdict.report.datasets
    ]


def _hash_key(
    judged: Sequence[DatasetResult], rule: DestinationRule, policy: Policy, consent_column: str | None, env_var: str
) -> bytes | None:
    """The keyed-hash key, read from the environment only when some column will be hashed."""
    if rule.appi is not None:
        return hash_key_from_env(env_var) if _appi_needs_key(judged, rule.appi, policy) else None
    consent_kept = bool(consent_column) and bool(_consent_categories(rule))
    if any(_needs_key(d, rule, policy, consent_kept) for d in judged):
        return hash_key_from_env(env_var)
    return None


def _work_dir_beside(out_dir: Path) -> Path:
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"cannot create a folder beside {out_dir}: {exc.strerror or exc}") from None


def _anonymize_one(
    plan: ScanPlan, result: DatasetResult, rule: DestinationRule, consent_column: str | None, key: bytes | None,
    work_dir: Path,
) -> AnonymizedDataset:
    ref = next((ref for ref in plan.datasets if ref.name == result.dataset), None)
    if ref is None:
        raise GateUndecidable(f"{result.dataset}: cannot locate its files to anonymise")
    if rule.appi is not None:
        return _appi_dataset(ref, result, plan.policy, rule, rule.appi, plan.settings, key, work_dir)
    destination = DestinationContext(plan.policy, rule, consent_column, key)
    return _anonymize_dataset(ref, result, destination, plan.settings, plan.user_recognizers, work_dir)


def _recheck(plan: ScanPlan, work_dir: Path, destination: str, consent_column: str | None) -> Verdict:
    """The gate on the anonymised copy: its own datasets, the command's loaded policy and settings."""
    recheck = check_plan(replan(plan, [str(work_dir)]), destination, consent_column=consent_column)
    if not recheck.allowed:
        reasons: tuple[BlockingReason, ...] = recheck.reasons
        raise ExportBlocked(
            f"the anonymised copy still fails the gate for {destination} ({recheck.decision}); "
            "nothing was written. Adjust the destination's anonymize operators in the policy.",
            reasons,
        )
    return recheck


def _write_companions(work_dir: Path, anonymized: AnonymizeResult, rule: DestinationRule, policy: Policy) -> None:
    """The summary (and, for an APPI destination, the disclosure) beside the copy."""
    summary = anonymized.to_dict()
    summary["created_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary["policy"] = {"path": policy.path, "sha256": policy.sha256}
    atomic_write_text(work_dir / SUMMARY_FILE, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    recheck = anonymized.verdict
    if rule.appi is not None and recheck.report is not None:
        atomic_write_text(
            work_dir / appi.DISCLOSURE_FILE,
            appi.disclosure_markdown(rule.appi, anonymized.destination, recheck.report.datasets, policy),
        )
