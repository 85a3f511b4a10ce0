"""`crampwise plan` and `crampwise sweat`: parse the options, call one service, render.

Numbers print in the athlete's units (metric or imperial); `--json` prints the documents of
CONTRACTS.md section 5 with metric fields. Services are imported inside the commands so that
`crampwise --help` stays quick.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crampwise.cli.common import print_json, reported_errors, state
from crampwise.cli.planning_render import render_plan, render_sweat

if TYPE_CHECKING:
    from crampwise.config import Settings

PLAN_HELP = (
    "Hydration and prevention plan for a planned session: expected sweat rate, fluid and sodium "
    "per hour (never more fluid than you sweat), a drinking schedule, after-session rehydration, "
    "a warm-up and cool-down for the muscles you cramp in, and a checklist, every number with its "
    "source. Example: crampwise plan --sport run --duration 3h --temperature 28 --rpe 6"
)
SWEAT_HELP = (
    "Your sweat tests (sessions weighed before and after) with quality flags, a chart, and your "
    "personal sweat model. Example: crampwise sweat --json"
)


def _settings(ctx: typer.Context) -> Settings:
    from crampwise.config import load_settings

    root = state(ctx)
    return load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)


PLAN_FLAGS = {
    "sport": "--sport",
    "duration": "--duration",
    "temperature": "--temperature",
    "rpe": "--rpe",
    "date": "--date",
    "carry": "--carry",
}


def _parse_yes_no(text: str) -> bool:
    from crampwise.domain.errors import InvalidInput

    value = text.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise InvalidInput.single("followed", f"cannot read {text!r}; expected yes or no")


def register(app: typer.Typer) -> None:
    """Add `plan` and `sweat` to the root app."""

    @app.command("plan", help=PLAN_HELP)
    def plan(
        ctx: typer.Context,
        sport: Annotated[
            str | None,
            typer.Option("--sport", help="run|ride|swim|triathlon|walk|hike|strength|team_sport|other"),
        ] = None,
        duration: Annotated[
            str | None,
            typer.Option(
                "--duration", help="Planned duration, e.g. 3h, 1h30m or 90m (a bare number is minutes)."
            ),
        ] = None,
        temperature: Annotated[
            str | None,
            typer.Option(
                "--temperature", help="Expected temperature, e.g. 28C or 82F (a bare number: your units)."
            ),
        ] = None,
        rpe: Annotated[str | None, typer.Option("--rpe", help="Planned effort, CR-10 scale 0-10.")] = None,
        when: Annotated[
            str | None,
            typer.Option("--date", help="Planned start, YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the plan as one JSON document.")] = False,
        ics: Annotated[
            Path | None, typer.Option("--ics", help="Write the drink reminders to this iCalendar file.")
        ] = None,
        csv_path: Annotated[
            Path | None, typer.Option("--csv", help="Write the drinking schedule to this CSV file.")
        ] = None,
        followed: Annotated[
            tuple[str, str] | None,
            typer.Option(
                "--followed", help="Record whether you followed the plan: --followed SESSION_ID yes|no."
            ),
        ] = None,
        carry: Annotated[
            list[str] | None,
            typer.Option(
                "--carry",
                help="A product you will carry and how many, NAME=UNITS (repeat, or gel=3,drink=2); "
                "its sodium and fluid are counted, not asked for twice. See crampwise product list.",
            ),
        ] = None,
        save: Annotated[
            bool,
            typer.Option(
                "--save", help="Keep it as a planned session (needs --date with a time): reminders."
            ),
        ] = False,
    ) -> None:
        from crampwise.services.context import open_context
        from crampwise.services.plan_calendar import schedule_ics
        from crampwise.services.plan_input import plan_from_text
        from crampwise.services.planned import add_planned_from_text
        from crampwise.services.planning import record_plan_followed, schedule_csv

        now = datetime.now(UTC)
        with reported_errors(), open_context(_settings(ctx)) as app_ctx:
            athlete = state(ctx).athlete
            if followed is not None:
                session_id, answer = followed
                record_plan_followed(
                    app_ctx, athlete=athlete, session_id=session_id, followed=_parse_yes_no(answer), now=now
                )
                typer.echo(f"Session {session_id}: plan followed = {answer.strip().lower()}")
                return
            typed = {
                "sport": sport,
                "duration": duration,
                "temperature": temperature,
                "rpe": rpe,
                "date": when,
            }
            carried = carry or []
            result = plan_from_text(
                app_ctx,
                athlete=athlete,
                raw=typed,
                now=now,
                names=PLAN_FLAGS,
                carry_texts=carried,
                needs_time=save,
            )
            notes: list[str] = []
            saved_id: str | None = None
            if ics is not None:
                ics.write_bytes(schedule_ics(result, now=now))
                notes.append(f"Drink reminders written to {ics}")
            if csv_path is not None:
                csv_path.write_text(schedule_csv(result), encoding="utf-8")
                notes.append(f"Schedule written to {csv_path}")
            if save:  # last: a file that cannot be written leaves no planned session behind
                saved = add_planned_from_text(
                    app_ctx, athlete=athlete, raw=typed, names=PLAN_FLAGS, carry_texts=carried
                )
                saved_id = saved.id
                notes.append(f"Saved as planned session {saved.id} (crampwise planned list)")
        if as_json:
            print_json({**result.as_json(), **({"planned_id": saved_id} if saved_id else {})})
            return
        render_plan(result)
        for note in notes:
            typer.echo(note)

    @app.command("sweat", help=SWEAT_HELP)
    def sweat(
        ctx: typer.Context,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print tests and model as one JSON document.")
        ] = False,
    ) -> None:
        from crampwise.services.context import open_context
        from crampwise.services.planning import sweat_report

        with reported_errors(), open_context(_settings(ctx)) as app_ctx:
            report = sweat_report(app_ctx, athlete=state(ctx).athlete)
        if as_json:
            print_json(report.as_json())
            return
        render_sweat(report)
