"""`crampwise plan` and `crampwise sweat`: parse the options, call one service, render.

Numbers print in the athlete's units (metric or imperial); `--json` prints the documents of
CONTRACTS.md section 5 with metric fields. Services are imported inside the commands so that
`crampwise --help` stays quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crampwise.cli.common import fail, print_json, reported_errors, state
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


def _parse_when(text: str | None) -> date | datetime | None:
    from crampwise.domain.errors import InvalidInput

    if text is None:
        return None
    try:
        return date.fromisoformat(text) if len(text.strip()) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput.single(
            "date", f"cannot read {text!r}; expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (e.g. 2026-06-07T08:00)"
        ) from None


BARE_DURATION_NOTE = "a bare number is minutes, as in log session"


def _plan_duration_s(text: str) -> float:
    """The planned duration in seconds; a bare number is minutes, as `log session` reads it."""
    from crampwise.domain.units import parse_duration_s

    return parse_duration_s(text, field="duration", bare="m")


@contextmanager
def _bare_duration_noted() -> Iterator[None]:
    """Say in a `duration` error which unit a bare number is (`--duration 90` is 90 minutes)."""
    from crampwise.domain.errors import FieldError, InvalidInput

    try:
        yield
    except InvalidInput as exc:
        if not any(e.path == "duration" for e in exc.errors):
            raise
        raise InvalidInput(
            [
                FieldError(e.path, f"{e.message} ({BARE_DURATION_NOTE})") if e.path == "duration" else e
                for e in exc.errors
            ]
        ) from None


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
        rpe: Annotated[float | None, typer.Option("--rpe", help="Planned effort, CR-10 scale 0-10.")] = None,
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
        from crampwise.services import journal
        from crampwise.services.context import open_context
        from crampwise.services.field_input import temperature_c
        from crampwise.services.plan_calendar import schedule_ics
        from crampwise.services.planned import add_planned
        from crampwise.services.planning import plan_session, record_plan_followed, schedule_csv
        from crampwise.services.products import parse_carry

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
            for name, value, example in (
                ("--sport", sport, "run"),
                ("--duration", duration, "3h"),
                ("--temperature", temperature, "28C"),
            ):
                if value is None:
                    fail(f"{name}: required to plan a session, e.g. {name} {example}")
            assert sport is not None and duration is not None and temperature is not None
            units = journal.reading_for(app_ctx, athlete=athlete, now=now).units
            carried = parse_carry(carry or [], name="--carry")
            with _bare_duration_noted():
                duration_s = _plan_duration_s(duration)
                temp_c = temperature_c(temperature, "--temperature", units=units)
                start = _parse_when(when)
                if save and not isinstance(start, datetime):
                    fail("--save: a planned session needs its start time, e.g. --date 2026-06-07T08:00")
                result = plan_session(
                    app_ctx,
                    athlete=athlete,
                    sport=sport,
                    duration_s=duration_s,
                    temperature_c=temp_c,
                    rpe=rpe,
                    when=start,
                    carry=carried,
                    now=now,
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
                saved = add_planned(
                    app_ctx,
                    athlete=athlete,
                    sport=sport,
                    duration_s=duration_s,
                    temperature_c=temp_c,
                    rpe=rpe,
                    when=start,
                    carry=carried,
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
