"""The pre-sharing gate: a scan report + the policy's rules for one destination → a verdict.

``check(sources, destination)`` scans, reads the consent column where the destination needs it, and
applies the destination's rules (configs/policy.yaml). It fails closed: any file that could not be
read or was skipped (hidden, unknown type, special file, a link out of the source: see
pipeline/sources.py) unless the user excluded it by a pattern, a consent column that is not there or
is not shaped like consent, or nothing to check makes the verdict ``undecidable``, never ``allowed``.

Two thresholds differ on purpose: the scan's say "what is this column" (a column is tagged when most
of its values hold an entity); the gate's say "may this leave": a column counts for a rule when more
than the destination's ``personal_share_floor`` (default 0: any validated value) of its values hold an
entity of the rule's categories (``ColumnResult.value_hits``), so diluted personal data blocks too.
Reasons name datasets, columns, the rule, the share and the policy sentence; their details carry
masked examples only.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.appi import ItemResult, evaluate_export, processed_as
from pipeline.errors import ConfigError, ReadError
from pipeline.models import CATEGORY_IDS, CategoryId, ColumnResult, DatasetResult, EntityFinding, ScanIssue
from pipeline.plan import ScanPlan, load_configuration, plan_sources, require_sources, source_list
from pipeline.policy import CategoryGateRule, DestinationRule, Policy
from pipeline.report import ScanReport, atomic_write_text
from pipeline.settings import ReadingSettings
from pipeline.sources import DatasetRef, ExcludedFile, Scope
from pipeline.verdict import EXIT_ALLOWED as EXIT_ALLOWED
from pipeline.verdict import EXIT_BLOCKED as EXIT_BLOCKED
from pipeline.verdict import EXIT_UNDECIDABLE as EXIT_UNDECIDABLE
from pipeline.verdict import BlockingReason as BlockingReason
from pipeline.verdict import ConsentCount as ConsentCount
from pipeline.verdict import Decision as Decision
from pipeline.verdict import ExportBlocked as ExportBlocked
from pipeline.verdict import GateUndecidable as GateUndecidable
from pipeline.verdict import RuleId as RuleId
from pipeline.verdict import Verdict as Verdict

# Spellings of "yes, this person consented" (compared after NFKC, trimmed, case-folded). Anything else,
# null included, is no consent: a gate must not guess that an unusual spelling means yes.
# Sources: the boolean input spellings of PostgreSQL (true/yes/on/1/t/y, false/no/off/0/f/n; docs
# "Boolean Type") and YAML 1.1 (yaml.org/type/bool.html); the Japanese words are those of consent
# forms under APPI (本人の同意, 同意/不同意/未同意, 同意の撤回: PPC guidelines, 通則編 2-16 and 3-4) and
# the form marks 有/無, 済/未, ○/×, はい/いいえ.
CONSENT_TRUE_VALUES = frozenset(
    {
        "true", "t", "1", "yes", "y", "on", "ok", "agreed", "consented",
        "同意", "同意済", "同意済み", "同意あり", "同意有", "はい", "有", "あり", "済", "済み", "○", "〇", "◯",
    }
)
# Spellings of "no consent" (or not recorded). With the yes spellings and dates, they are what a consent
# column may hold: anything else (a name, a phone number, free text) means the column does not record
# consent, and the gate will not decide on it.
CONSENT_FALSE_VALUES = frozenset(
    {
        "", "false", "f", "0", "no", "n", "off", "ng", "none", "null", "na", "n/a", "-",
        "不同意", "未同意", "同意なし", "同意無", "同意しない", "拒否", "撤回", "同意撤回", "いいえ", "無", "なし",
        "未", "×", "✕", "✗",
        # Survey and CRM states that record no consent yet: unanswered, pending, unknown, declined, opted out.
        "未回答", "無回答", "回答なし", "保留", "確認中", "未確認", "不明", "オプトアウト", "配信停止",
        "unanswered", "pending", "unknown", "declined", "refused", "withdrawn", "opt-out", "opted-out", "optout",
    }
)
# A consent date (ISO or Japanese, era names included), optionally with a time: linear-time patterns.
_CONSENT_DATE = (
    r"^[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?(?:[ t][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?"
    r"(?:z|[+-][0-9]{2}:?[0-9]{2})?)?$"
    r"|^(?:明治|大正|昭和|平成|令和)(?:元|[0-9]{1,2})年[0-9]{1,2}月[0-9]{1,2}日$"
)


class UnknownDestination(ConfigError):
    """The destination is not one of the policy's destinations."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def destination_rule(policy: Policy, destination: str) -> DestinationRule:
    try:
        return policy.model.destinations[destination]
    except KeyError:
        known = ", ".join(sorted(policy.model.destinations))
        raise UnknownDestination(
            f"unknown destination {destination!r}; {policy.path} defines: {known}"
        ) from None


def is_consent(value: object) -> bool:
    if value is None:
        return False
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    return text in CONSENT_TRUE_VALUES


def _normalised_text(values: pa.Array) -> pa.Array:
    text = pc.cast(values, pa.string()) if not pa.types.is_string(values.type) else values
    return pc.utf8_lower(pc.utf8_trim_whitespace(pc.utf8_normalize(text, "NFKC")))


def consent_mask(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """True where a row carries consent; null and unknown spellings are False."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_boolean(values.type):
        return pc.fill_null(values, False)
    allowed = pa.array(sorted(CONSENT_TRUE_VALUES), type=pa.string())
    return pc.fill_null(pc.is_in(_normalised_text(values), value_set=allowed), False)


def not_consent_shaped(values: pa.Array | pa.ChunkedArray) -> int:
    """How many values are neither a consent word, a "no" word, a 0/1 flag nor a date (nulls are shaped)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    kind = values.type
    if pa.types.is_boolean(kind) or pa.types.is_temporal(kind) or pa.types.is_null(kind):
        return 0
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind)
            or pa.types.is_floating(kind) or pa.types.is_decimal(kind)):
        return int(len(values) - values.null_count)  # binary, nested: not a flag
    text = _normalised_text(values)
    words = pa.array(sorted(CONSENT_TRUE_VALUES | CONSENT_FALSE_VALUES), type=pa.string())
    shaped = pc.or_(pc.is_in(text, value_set=words), pc.match_substring_regex(text, _CONSENT_DATE))
    return int(pc.sum(pc.cast(pc.invert(pc.fill_null(shaped, True)), pa.int64())).as_py() or 0)


def count_consent(ref: DatasetRef, column: str, reading: ReadingSettings) -> ConsentCount | ScanIssue:
    """Rows and consented rows of ``ref``; an issue when a file lacks the column or cannot be read."""
    from pipeline.readers import iter_column_batches

    rows = consented = odd = 0
    for file in ref.files:
        seen = False
        file_rows = 0
        try:
            for batch in iter_column_batches(file, reading, (column,)):  # the consent column only
                file_rows += batch.num_rows
                if column in batch.schema.names:
                    seen = True
                    consented += int(pc.sum(pc.cast(consent_mask(batch.column(column)), pa.int64())).as_py() or 0)
                    odd += not_consent_shaped(batch.column(column))
        except ReadError as exc:
            return ScanIssue(path=exc.path, message=exc.problem, kind="read_error")
        if file_rows and not seen:
            return ScanIssue(
                path=file.url,
                message=f"consent column {column!r} not found; name the column that records consent",
                kind="consent_column_missing",
            )
        rows += file_rows
    return ConsentCount(dataset=ref.name, rows=rows, consented=consented, not_consent_shaped=odd)


def not_scanned(column: ColumnResult) -> bool:
    """A column the recognizers never read: binary values that are not UTF-8 text (blobs). Every other
    type is read as text (numbers included) or decided by its type and name (dates, booleans)."""
    return column.non_null > 0 and "binary" in column.data_type


def _share(ratio: float, non_null: int) -> str:
    percent = f"{ratio:.0%}" if ratio >= 0.01 else f"{ratio:.2%}"
    if non_null:
        return f"{max(1, round(ratio * non_null))} of {non_null} values ({percent})"
    return percent


def _diluted(column: ColumnResult, category: CategoryId, policy: Policy, floor: float) -> list[EntityFinding]:
    """Validated entities of ``category`` in more than ``floor`` of the column's values that the scan's
    column thresholds did not tag."""
    return [
        e for e in column.value_hits
        if policy.category_of(e.type) == category and e.ratio > floor and category not in column.categories
    ]


def _holds(column: ColumnResult, category: CategoryId, policy: Policy, floor: float) -> bool:
    return category in column.categories or bool(_diluted(column, category, policy, floor))


def gate_view(column: ColumnResult, rule: DestinationRule, policy: Policy) -> ColumnResult:
    """The column as the destination's rules see it: categories (and findings) of diluted entities that
    a rule covers are added, so ``anonymize`` treats the columns the gate blocks on."""
    covered = {c for r in (*rule.category_rules("blocked_category"), *rule.category_rules("consent_required")) for c in r.expanded}
    extra = [
        e for e in column.value_hits
        if (category := policy.category_of(e.type)) in covered and category not in column.categories
        and e.ratio > rule.personal_share_floor
    ]
    if not extra:
        return column
    categories = set(column.categories) | {policy.category_of(e.type) or "" for e in extra}
    return replace(
        column, categories=tuple(c for c in CATEGORY_IDS if c in categories), entities=(*column.entities, *extra)
    )


def _entity_detail(columns: Sequence[ColumnResult], category: CategoryId, policy: Policy, floor: float = 0.0) -> str:
    parts = []
    for column in columns:
        entities = [e for e in column.entities if policy.category_of(e.type) == category]
        described = ", ".join(
            f"{e.type} {e.ratio:.0%}" + (f" e.g. {' / '.join(e.examples[:2])}" if e.examples else "") for e in entities
        )
        if not described:
            described = ", ".join(
                f"{e.type} in {_share(e.ratio, column.non_null)}, below the scan's column threshold"
                + (f" e.g. {' / '.join(e.examples[:2])}" if e.examples else "")
                for e in _diluted(column, category, policy, floor)
            )
        parts.append(f"{column.name}: {described}" if described else column.name)
    return "; ".join(parts)


def _category_reasons(
    dataset: DatasetResult,
    rule: CategoryGateRule,
    policy: Policy,
    consent_column: str | None,
    consent: ConsentCount | None,
    floor: float = 0.0,
) -> list[BlockingReason]:
    reasons = []
    for category in rule.expanded:
        columns = [c for c in dataset.columns if _holds(c, category, policy, floor) and c.name != consent_column]
        if not columns:
            continue
        detail = _entity_detail(columns, category, policy, floor)
        if rule.rule == "consent_required":
            if consent is None:
                detail = f"no consent column given (--consent-column); {detail}"
            elif consent.without_consent == 0:
                continue
            else:
                detail = f"{consent.without_consent} of {consent.rows} rows carry no consent; {detail}"
        reasons.append(
            BlockingReason(
                dataset=dataset.dataset,
                columns=tuple(c.name for c in columns),
                rule=rule.rule,
                category=category,
                policy_sentence=rule.policy_sentence,
                reading=rule.reading,
                detail=detail,
            )
        )
    return reasons


def _needs_consent(dataset: DatasetResult, rule: DestinationRule, consent_column: str | None, policy: Policy) -> bool:
    wanted = {c for r in rule.category_rules("consent_required") for c in r.expanded}
    return any(
        _holds(column, category, policy, rule.personal_share_floor)
        for column in dataset.columns
        if column.name != consent_column
        for category in wanted
    )


def _consent_column_holds(dataset: DatasetResult, rule: DestinationRule, consent_column: str, policy: Policy) -> str | None:
    """What personal data the named consent column itself holds (any category a rule covers), or None."""
    column = next((c for c in dataset.columns if c.name == consent_column), None)
    if column is None:
        return None
    covered = {c for r in (*rule.category_rules("blocked_category"), *rule.category_rules("consent_required")) for c in r.expanded}
    held = [c for c in column.categories if c in covered] + [
        c for c in sorted(covered - set(column.categories)) if _diluted(column, c, policy, rule.personal_share_floor)
    ]
    if not held:
        return None
    return ", ".join(_entity_detail([column], category, policy, rule.personal_share_floor) for category in held)


def evaluate(
    report: ScanReport,
    policy: Policy,
    destination: str,
    *,
    refs: Sequence[DatasetRef] = (),
    consent_column: str | None = None,
    reading: ReadingSettings | None = None,
    excluded: Sequence[ExcludedFile] = (),
    processed_for: Sequence[str] = (),
) -> Verdict:
    """Apply ``destination``'s rules to ``report``. ``refs`` locate the data when a consent column is read
    (and, for an APPI destination, when values are counted); ``excluded`` (files left out by the user's
    patterns) is listed in the verdict; ``processed_for`` names the destinations ``piiscan anonymize``
    processed the sources for (a 仮名加工情報 copy may not go to a third party)."""
    rule = destination_rule(policy, destination)
    reading = reading or ReadingSettings()
    problems = _scan_problems(report)
    consent_exempt = _consent_exemptions(report, rule, consent_column, policy, problems)
    consent = _consent_counts(report, rule, consent_column, policy, refs, reading, problems)
    reasons: list[BlockingReason] = []
    for dataset in report.datasets:
        exempt = consent_exempt.get(dataset.dataset)
        reasons.extend(_dataset_reasons(dataset, rule, policy, exempt, consent.get(dataset.dataset)))
    appi_items = _appi_items(report, policy, rule, refs, reading, reasons, problems)
    reasons.extend(_forbidden_after_processing(policy, destination, processed_for))
    decision: Decision = "undecidable" if problems else ("blocked" if reasons else "allowed")
    return Verdict(
        destination=destination,
        decision=decision,
        reasons=tuple(reasons),
        problems=tuple(problems),
        datasets=tuple(d.dataset for d in report.datasets),
        consent_column=consent_column,
        consent=tuple(consent[name] for name in sorted(consent)),
        policy_path=policy.path,
        policy_sha256=policy.sha256,
        checked_at=_now(),
        excluded=tuple(excluded),
        appi_items=appi_items,
        report=report,
    )


def _scan_problems(report: ScanReport) -> list[ScanIssue]:
    """What keeps the gate from deciding before any rule: scan errors, nothing to check, unscanned columns."""
    problems: list[ScanIssue] = list(report.errors)
    for dataset in report.datasets:
        problems.extend(dataset.errors)
    if not report.datasets and not problems:
        problems.append(ScanIssue(path="(sources)", message="no dataset found to check", kind="source_error"))
    for dataset in report.datasets:
        problems.extend(
            ScanIssue(
                dataset.dataset,
                f"column {column.name!r}: {column.non_null} value(s) of type {column.data_type} are not text and were "
                "not scanned, so the gate cannot decide on them",
                "column_not_scanned",
            )
            for column in dataset.columns
            if not_scanned(column)
        )
    return problems


def _consent_exemptions(
    report: ScanReport, rule: DestinationRule, consent_column: str | None, policy: Policy, problems: list[ScanIssue]
) -> dict[str, str | None]:
    """Per dataset, the consent column the rules leave aside. A consent column that itself holds personal
    data records no consent: the gate does not decide on it (a problem), and its data is judged like any
    other column's."""
    consent_exempt: dict[str, str | None] = {}
    for dataset in report.datasets:
        consent_exempt[dataset.dataset] = consent_column
        if consent_column is None:
            continue
        held = _consent_column_holds(dataset, rule, consent_column, policy)
        if held is not None:
            consent_exempt[dataset.dataset] = None
            problems.append(
                ScanIssue(
                    dataset.dataset,
                    f"the consent column {consent_column!r} holds personal data ({held}); it cannot record consent. "
                    "Name the column that records each row's consent (a flag, a date, or words such as 同意/yes/true/1)",
                    "consent_column_invalid",
                )
            )
    return consent_exempt


def _consent_counts(
    report: ScanReport,
    rule: DestinationRule,
    consent_column: str | None,
    policy: Policy,
    refs: Sequence[DatasetRef],
    reading: ReadingSettings,
    problems: list[ScanIssue],
) -> dict[str, ConsentCount]:
    """Consent counts of the datasets whose rules need consent (read only when nothing else is in doubt)."""
    consent: dict[str, ConsentCount] = {}
    if consent_column is None or problems:
        return consent
    by_name = {ref.name: ref for ref in refs}
    for dataset in report.datasets:
        if not _needs_consent(dataset, rule, consent_column, policy):
            continue
        ref = by_name.get(dataset.dataset)
        if ref is None:
            problems.append(
                ScanIssue(dataset.dataset, "cannot locate the files to read the consent column", "consent_column_missing")
            )
            continue
        counted = count_consent(ref, consent_column, reading)
        if isinstance(counted, ScanIssue):
            problems.append(counted)
        elif counted.not_consent_shaped:
            problems.append(
                ScanIssue(
                    dataset.dataset,
                    f"the consent column {consent_column!r} has {counted.not_consent_shaped} of {counted.rows} values "
                    "that are neither a consent flag, a date nor a consent word (同意/不同意, yes/no, true/false, 1/0); "
                    "it does not record consent. Name the column that does",
                    "consent_column_invalid",
                )
            )
        else:
            consent[dataset.dataset] = counted
    return consent


def _dataset_reasons(
    dataset: DatasetResult, rule: DestinationRule, policy: Policy, exempt: str | None, consent: ConsentCount | None
) -> list[BlockingReason]:
    """The category and quasi-identifier rules one dataset breaks (``exempt``: its consent column)."""
    reasons: list[BlockingReason] = []
    for category_rule in (*rule.category_rules("blocked_category"), *rule.category_rules("consent_required")):
        reasons.extend(_category_reasons(dataset, category_rule, policy, exempt, consent, rule.personal_share_floor))
    for qi_rule in rule.quasi_identifier_rules:
        for qi in dataset.quasi_identifier_sets:
            # The consent flag is the gate's own input, not an attribute of the person.
            if qi.risk not in qi_rule.blocked_risks or (exempt and exempt in qi.columns):
                continue
            reasons.append(
                BlockingReason(
                    dataset=dataset.dataset,
                    columns=qi.columns,
                    rule="quasi_identifier_risk",
                    policy_sentence=qi_rule.policy_sentence,
                    reading=qi_rule.reading,
                    detail=(
                        f"{' + '.join(qi.columns)} single out rows: k_min={qi.k_min}, "
                        f"{qi.unique_ratio:.0%} of rows unique, risk {qi.risk}"
                    ),
                )
            )
    return reasons


def _appi_items(
    report: ScanReport,
    policy: Policy,
    rule: DestinationRule,
    refs: Sequence[DatasetRef],
    reading: ReadingSettings,
    reasons: list[BlockingReason],
    problems: list[ScanIssue],
) -> tuple[ItemResult, ...]:
    """The destination's APPI items (pipeline/appi.py); not met → a reason, cannot decide → a problem."""
    if rule.appi is None:
        return ()
    items = evaluate_export(report.datasets, refs, rule.appi, policy, reading)
    for item in items:
        if item.status == "not_met":
            reasons.append(
                BlockingReason(
                    dataset=", ".join(_dataset_names(report)) or "(sources)",
                    columns=item.columns,
                    rule="appi_processing_standard",
                    policy_sentence=f"{item.citation}: {item.text}",
                    reading=item.action,
                    detail=f"{item.citation} not met: " + "; ".join(item.evidence),
                )
            )
        elif item.status == "cannot_decide":
            problems.append(
                ScanIssue(
                    path=", ".join(_dataset_names(report)) or "(sources)",
                    message=f"{item.citation} ({item.check}) cannot be decided: {'; '.join(item.evidence)}. {item.action}",
                    kind="appi_cannot_decide",
                )
            )
    return items


def _dataset_names(report: ScanReport) -> list[str]:
    return [d.dataset for d in report.datasets]


def _forbidden_after_processing(policy: Policy, destination: str, processed_for: Sequence[str]) -> list[BlockingReason]:
    """A copy processed for an APPI standard that forbids this destination (仮名加工情報 → third party) is blocked."""
    reasons = []
    for earlier in processed_for:
        standard = policy.model.destinations.get(earlier)
        appi = standard.appi if standard is not None else None
        if appi is not None and destination in appi.forbidden_destinations:
            reasons.append(
                BlockingReason(
                    dataset="(sources)",
                    columns=(),
                    rule="appi_forbidden_destination",
                    policy_sentence=appi.forbidden_because,
                    detail=f"the sources were processed by piiscan anonymize for {earlier!r}; they may not go to {destination!r}",
                )
            )
    return reasons


def check(  # noqa: PLR0913 -- the public API: one keyword-only argument per CLI option
    sources: str | Path | Sequence[str | Path],
    destination: str,
    *,
    consent_column: str | None = None,
    policy: Path | None = None,
    config: Path | None = None,
    recognizers: Path | None = None,
    scheduler: str | None = None,
    exclude: Sequence[str] = (),
    follow_links: bool = False,
) -> Verdict:
    """Scan ``sources`` and apply the policy's rules for ``destination``. Config problems raise; unreadable
    or skipped input, or a missing or invalid consent column give an ``undecidable`` verdict (never
    ``allowed``). ``exclude`` globs leave files out on purpose (listed in the verdict); symbolic links out
    of a SOURCE are followed only with ``follow_links``."""
    configuration = load_configuration(config, policy, recognizers)
    destination_rule(configuration.policy, destination)  # an unknown destination fails before any scanning
    paths = source_list(sources)
    require_sources(paths)
    plan = plan_sources(
        configuration, paths, Scope(follow_links=follow_links, exclude=tuple(exclude)), scheduler=scheduler
    )
    return check_plan(plan, destination, consent_column=consent_column)


def check_plan(plan: ScanPlan, destination: str, *, consent_column: str | None = None) -> Verdict:
    """Scan the plan's datasets and apply ``destination``'s rules, with the plan's policy and settings (nothing
    is loaded or discovered again)."""
    from pipeline.api import scan_plan

    destination_rule(plan.policy, destination)
    report = scan_plan(plan)
    return evaluate(
        report, plan.policy, destination, refs=plan.datasets, consent_column=consent_column,
        reading=plan.settings.reading, excluded=plan.excluded, processed_for=processed_as(plan.sources),
    )


def undecidable_verdict(destination: str, message: str, consent_column: str | None = None) -> Verdict:
    """The verdict written when the gate stopped on a configuration problem (so no stale verdict remains)."""
    return Verdict(
        destination=destination,
        decision="undecidable",
        problems=(ScanIssue(path="(configuration)", message=message, kind="config_error"),),
        consent_column=consent_column,
        checked_at=_now(),
    )


def write_verdict(verdict: Verdict, out_dir: Path) -> Path:
    from pipeline.errors import OutputError

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {out_dir}: {exc.strerror or exc}") from None
    path = out_dir / "verdict.json"
    atomic_write_text(path, json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return path
