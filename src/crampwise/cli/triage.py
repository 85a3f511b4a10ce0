"""`crampwise check` (red-flag review) and `crampwise report` (clinician report, FHIR export).

Thin faces over services/triage.py and services/reporting.py; services are imported inside
the commands so `crampwise --help` stays quick. `check --ask` reads one answer a line from
standard input, so it works at a terminal and with piped answers alike.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.markup import escape

from crampwise.cli.common import EXIT_FINDING, exit_with, fail, print_json, reported_errors, state

if TYPE_CHECKING:
    from rich.console import Console

    from crampwise.config import Settings
    from crampwise.domain.enums import Symptom
    from crampwise.science.triage_flags import Flag, Review
    from crampwise.services.context import AppContext

CHECK_HELP = (
    "Red-flag review: warning signs in your journal that need a doctor or physiotherapist, "
    "most serious first, each with its level (emergency, urgent, soon, mention) and sources. "
    "Not a diagnosis. Example: crampwise check --ask"
)
REPORT_HELP = (
    "Write a report to take to a clinician: the one- or two-page clinician report (html or pdf) "
    "or a FHIR R4 Bundle of your cramp episodes (fhir). "
    "Example: crampwise report --format pdf --out cramps.pdf --since 2026-01-01"
)
FAIL_LEVELS = ("emergency", "urgent", "soon", "mention")
STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "mention": "cyan",
    "none": "green",
}
MEANING = {
    "emergency": "call emergency services or go to an emergency department now",
    "urgent": "seek medical care today",
    "soon": "book a doctor or physiotherapist visit within about two weeks",
    "mention": "raise it at your next routine visit",
    "none": "no warning signs found in what you logged",
}


def _settings(ctx: typer.Context) -> Settings:
    from crampwise.config import load_settings

    root = state(ctx)
    return load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)


class Asker:
    """Asks yes/no questions on `out`, reading one line each from stdin.

    y/yes -> True; n/no or Enter -> False. At the end of input (a closed pipe, or Ctrl-D at a
    terminal) every remaining question is answered "no" without reading again: a terminal's
    end-of-file is not sticky, and the user asked to stop.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.ended = False

    def __call__(self, question: str) -> bool:
        if self.ended:
            return False
        for _ in range(3):
            self.out.write(f"{question} [y/N] ")
            self.out.flush()
            line = sys.stdin.readline()
            if not line:
                self.out.write("\n(end of input: the remaining answers are no)\n")
                self.ended = True
                return False
            answer = line.strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("", "n", "no"):
                return False
            self.out.write("Please answer y or n.\n")
        return False


def run_questions(
    app_ctx: AppContext, athlete: str | None, *, out: TextIO
) -> tuple[list[Symptom], list[str], str | None]:
    """Walk through the questions: the symptoms said yes, the flag codes said yes, and the
    latest cramp they are about (None: none logged yet)."""
    from crampwise.services import triage

    asked = triage.questions()
    ask = Asker(out)
    latest = triage.latest_cramp(app_ctx, athlete=athlete)
    symptoms = []
    if latest is not None:
        out.write(
            f"About your latest cramp ({latest.id}: {latest.muscle.value}, {latest.at.date().isoformat()}):\n"
        )
        symptoms = [q.symptom for q in asked.symptoms if ask(q.question)]
    else:
        out.write("No cramp logged yet: answers will count for this check only.\n")
    out.write("Other warning signs:\n")
    codes = [f.code for f in asked.flags if ask(f.question)]
    return symptoms, codes, None if latest is None else latest.id


def render_review(result: Review) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    level = result.level.value
    console.print(f"[{STYLE[level]}]Red-flag review: {level.upper()}[/] - {MEANING[level]}")
    for flag in result.flags:
        _render_flag(console, flag)
    if result.ask is not None and result.ask.could_raise_to is not None:
        console.print()
        console.print(f"[bold]Not asked yet:[/bold] {escape(result.ask.sentence())}")
    console.print()
    console.print(f"[dim]{escape(result.disclaimer)}[/dim]")


def _render_flag(console: Console, flag: Flag) -> None:
    level = flag.level.value
    console.print()
    console.print(f"[{STYLE[level]}]{level.upper()}[/] {escape(flag.message)}")
    if flag.detail:
        console.print(f"  [dim]{escape(flag.detail)}[/dim]")
    console.print(f"  What to do: {escape(flag.advice)}")
    if flag.episodes:
        shown = ", ".join(flag.episodes[:8]) + (
            f" and {len(flag.episodes) - 8} more" if len(flag.episodes) > 8 else ""
        )
        console.print(f"  Episodes: {shown}")
    console.print(f"  [dim]Sources: {escape(', '.join(flag.sources))} ({flag.code})[/dim]")


def show_cramp_advice(cramp: object, *, zone_name: str | None, err: bool = False) -> None:
    """Right after `log cramp`: the advice of any urgent or emergency sign logged with it.

    `zone_name` is the athlete's time zone: it picks the emergency number to call. Goes to
    stderr when `err` (with `--json`, stdout carries only the record).
    """
    from crampwise.domain.records import Cramp
    from crampwise.services.triage import advice_for_cramp

    if not isinstance(cramp, Cramp):
        return
    flags = advice_for_cramp(cramp, zone_name=zone_name)
    for flag in flags:
        typer.echo(
            f"{flag.level.value.upper()}: {flag.message} {flag.advice} [{', '.join(flag.sources)}]", err=err
        )
    if flags:
        typer.echo("Not a diagnosis. Run `crampwise check` for the full review.", err=err)


def _parse_since(text: str | None) -> date | None:
    from crampwise.domain.errors import InvalidInput

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput.single("--since", f"cannot read {text!r}; expected a date YYYY-MM-DD") from None


def register(app: typer.Typer) -> None:
    """Add `check` and `report` to the root app."""

    @app.command("check", help=CHECK_HELP)
    def check(
        ctx: typer.Context,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the review as one JSON document.")
        ] = False,
        fail_on: Annotated[
            str | None,
            typer.Option(
                "--fail-on",
                metavar="LEVEL",
                help="Exit 1 when a finding at or above LEVEL exists: emergency|urgent|soon|mention.",
            ),
        ] = None,
        ask: Annotated[
            bool,
            typer.Option(
                "--ask", help="Answer the symptom questions first; answers are saved on your latest cramp."
            ),
        ] = False,
    ) -> None:
        from crampwise.domain.enums import Level
        from crampwise.services.context import open_context
        from crampwise.services.triage import answer_and_check
        from crampwise.services.triage import check as check_service

        if fail_on is not None and fail_on.strip().lower() not in FAIL_LEVELS:
            fail(f"--fail-on: unknown level {fail_on!r}; expected {'|'.join(FAIL_LEVELS)}")
        now = datetime.now(UTC)
        athlete = state(ctx).athlete
        with reported_errors(), open_context(_settings(ctx)) as app_ctx:
            if ask:
                # With --json the questions go to stderr so stdout stays one JSON document.
                out = sys.stderr if as_json else sys.stdout
                symptoms, codes, latest = run_questions(app_ctx, athlete, out=out)
                result = answer_and_check(
                    app_ctx, athlete=athlete, symptoms=symptoms, flags=codes, now=now
                ).review
                if latest is not None:
                    out.write(f"Answers recorded on {latest}.\n")
            else:
                result = check_service(app_ctx, athlete=athlete, now=now)
        if as_json:
            print_json(result.to_json())
        else:
            render_review(result)
        if fail_on is not None and result.level.rank >= Level(fail_on.strip().lower()).rank:
            exit_with(EXIT_FINDING)

    @app.command("report", help=REPORT_HELP)
    def report(
        ctx: typer.Context,
        fmt: Annotated[str, typer.Option("--format", help="html|pdf|fhir")] = "pdf",
        out: Annotated[Path | None, typer.Option("--out", help="File to write (required).")] = None,
        since: Annotated[
            str | None,
            typer.Option("--since", help="First day of the period, YYYY-MM-DD (default: the last year)."),
        ] = None,
    ) -> None:
        from crampwise.services.context import open_context
        from crampwise.services.reporting import parse_format, write_report

        with reported_errors():
            chosen = parse_format(fmt)
            if out is None:
                fail(
                    f"--out: required, e.g. --out cramps.{'json' if chosen.value == 'fhir' else chosen.value}"
                )
            start = _parse_since(since)
            with open_context(_settings(ctx)) as app_ctx:
                written = write_report(
                    app_ctx,
                    athlete=state(ctx).athlete,
                    fmt=chosen,
                    out=out,
                    now=datetime.now(UTC),
                    since=start,
                )
        typer.echo(f"Wrote {chosen.value} report to {written}")
