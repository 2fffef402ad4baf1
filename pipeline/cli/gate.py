"""`piiscan check` and `piiscan anonymize`: the pre-sharing gate on the command line.

Exit codes (shared/contract.md): 0 allowed, 1 blocked, 2 could not decide — never 0 when in doubt.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from pipeline.cli.options import (
    ConfigOpt,
    FollowLinksOpt,
    PolicyOpt,
    RecognizersOpt,
    SchedulerOpt,
    SourcesArg,
)
from pipeline.cli.output import console, err_console, exits_on_error
from pipeline.errors import PiiscanError
from pipeline.verdict import EXIT_ALLOWED, ExportBlocked, Verdict

DestinationOpt = Annotated[
    str, typer.Option("--destination", help="A destination named in the policy: third_party, outsourcing, statistics, internal.")
]
ConsentOpt = Annotated[
    str | None,
    typer.Option(
        "--consent-column",
        help="Column that records each row's consent (true/1/yes/y/同意/同意済/はい…; anything else is no consent).",
    ),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        help="Leave out files or folders matching this glob (relative path or file name; repeatable). "
        "Excluded files are listed in the verdict; any other file that cannot be read makes the verdict undecidable.",
    ),
]


def _print_verdict(verdict: Verdict) -> None:
    colour = {"allowed": "green", "blocked": "red"}.get(verdict.decision, "yellow")
    console.print(f"[{colour}]{verdict.decision.upper()}[/{colour}] for destination {escape(verdict.destination)}")
    for reason in verdict.reasons:
        rule = reason.rule + (f" ({reason.category})" if reason.category else "")
        console.print(f"  [red]✗[/red] {escape(reason.dataset)} [bold]{escape(', '.join(reason.columns))}[/bold] — {escape(rule)}")
        console.print(f"      policy: {escape(reason.policy_sentence)}")
        console.print(f"      detail: {escape(reason.detail)}")
    for problem in verdict.problems:
        err_console.print(f"[yellow]cannot decide[/yellow] {escape(problem.path)}: {escape(problem.message)}")


def check(
    sources: SourcesArg,
    destination: DestinationOpt,
    consent_column: ConsentOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Directory for verdict.json.")] = Path("out"),
    policy: PolicyOpt = None,
    config: ConfigOpt = None,
    recognizers: RecognizersOpt = None,
    scheduler: SchedulerOpt = None,
    exclude: ExcludeOpt = None,
    follow_links: FollowLinksOpt = False,
) -> None:
    """Pre-sharing gate: scan SOURCE and apply the policy's rules for the destination (0 allowed, 1 blocked, 2 undecidable)."""
    from pipeline.gate import check as run_check
    from pipeline.gate import undecidable_verdict, write_verdict
    from pipeline.report import write_report

    def replace_stale_verdict(exc: PiiscanError) -> None:
        # Replace any verdict.json from an earlier run, so a CI step cannot read a stale "allowed".
        with contextlib.suppress(PiiscanError):
            write_verdict(undecidable_verdict(destination, exc.message, consent_column), out)

    with exits_on_error(replace_stale_verdict):
        verdict = run_check(
            sources, destination, consent_column=consent_column, policy=policy, config=config,
            recognizers=recognizers, scheduler=scheduler, exclude=tuple(exclude or ()), follow_links=follow_links,
        )
    _print_verdict(verdict)
    with exits_on_error():
        if verdict.report is not None:
            write_report(verdict.report, out, verdict=verdict)
        path = write_verdict(verdict, out)

    console.print(f"Verdict written to {path}")
    raise typer.Exit(verdict.exit_code)


def anonymize(
    sources: SourcesArg,
    destination: DestinationOpt,
    out: Annotated[Path, typer.Option("--out", help="New or empty directory for the anonymised copy.")],
    consent_column: ConsentOpt = None,
    policy: PolicyOpt = None,
    config: ConfigOpt = None,
    recognizers: RecognizersOpt = None,
    scheduler: SchedulerOpt = None,
    exclude: ExcludeOpt = None,
    follow_links: FollowLinksOpt = False,
) -> None:
    """Write an anonymised copy of SOURCE that passes the gate for the destination (keyed hashes use PIISCAN_HASH_KEY)."""
    from pipeline.anonymizer import anonymize as run_anonymize

    def print_reasons(exc: PiiscanError) -> None:
        for reason in exc.reasons if isinstance(exc, ExportBlocked) else ():
            err_console.print(
                f"  {escape(reason.dataset)} [{escape(', '.join(reason.columns))}] {reason.rule}: {escape(reason.detail)}"
            )

    with exits_on_error(print_reasons):
        result = run_anonymize(
            sources, destination, out, consent_column=consent_column, policy=policy, config=config,
            recognizers=recognizers, scheduler=scheduler, exclude=tuple(exclude or ()), follow_links=follow_links,
        )
    table = Table(title=f"anonymised for {destination}")
    for heading in ("dataset", "rows in → out", "without consent", "suppressed (k)", "columns changed"):
        table.add_column(heading, overflow="fold")
    for dataset in result.datasets:
        changed = ", ".join(f"{a.column}: {a.action}" for a in dataset.actions if a.action != "kept")
        table.add_row(
            escape(dataset.dataset), f"{dataset.rows_in} → {dataset.rows_out}", str(dataset.rows_without_consent),
            str(dataset.rows_suppressed), escape(changed or "—"),
        )
    console.print(table)
    console.print(f"Anonymised copy written to {result.out_dir} (passes the gate for {destination})")
    raise typer.Exit(EXIT_ALLOWED)


def register(app: typer.Typer) -> None:
    """Add ``check`` and ``anonymize`` to ``app``."""
    app.command("check")(check)
    app.command("anonymize")(anonymize)
