"""`crampwise show cramp ID` and `crampwise show session ID`: one record in full.

For a cramp linked to an imported session (or logged while one was running), `show cramp`
says what the athlete was doing at that moment: how far into the session, heart rate and
pace against the session's average, the device temperature.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from crampwise.cli.common import print_json, reported_errors, state
from crampwise.domain.enums import UnitSystem
from crampwise.domain.units import M_PER_MILE, format_distance, format_duration, format_temperature

if TYPE_CHECKING:
    from crampwise.science.moments import CrampMoment
    from crampwise.services.context import AppContext

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]


@contextmanager
def _services(ctx: typer.Context) -> Iterator[AppContext]:
    from crampwise.config import load_settings
    from crampwise.services.context import open_context

    root = state(ctx)
    with (
        reported_errors(),
        open_context(load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)) as app,
    ):
        yield app


# The journal links an exercise cramp to a session that ended up to 10 minutes before it
# (services.journal.EXERCISE_END_GRACE_S, a crampwise convention); such a cramp is "at its end".
END_GRACE_S = 10 * 60


def _pace(s_per_km: float | None, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`5:12/km`, or `8:22/mi` for an imperial athlete."""
    if s_per_km is None:
        return "-"
    per, label = (s_per_km * M_PER_MILE / 1000.0, "mi") if units is UnitSystem.IMPERIAL else (s_per_km, "km")
    minutes, seconds = divmod(round(per), 60)
    return f"{minutes}:{seconds:02d}/{label}"


def _versus(ratio: float | None, more: str = "higher", less: str = "lower") -> str:
    """`(12% higher than the session average)`: words, not a sign the reader must decode."""
    if ratio is None:
        return ""
    change = round((ratio - 1) * 100)
    if change == 0:
        return " (as the session average)"
    return f" ({abs(change)}% {more if change > 0 else less} than the session average)"


def _speed(m_s: float, units: UnitSystem) -> str:
    if units is UnitSystem.IMPERIAL:
        return f"{m_s * 3.6 / (M_PER_MILE / 1000.0):.1f} mph"
    return f"{m_s * 3.6:.1f} km/h"


def moment_lines(
    moment: CrampMoment, *, recorded: bool = True, units: UnitSystem = UnitSystem.METRIC
) -> list[str]:
    """What the athlete was doing at the cramp, as text lines (in the athlete's units)."""
    at = format_duration(abs(moment.elapsed_s))
    if moment.elapsed_s < 0:
        lines = [f"  {at} before the session started"]
    elif not moment.during_session:
        after_s = moment.elapsed_s - moment.duration_s
        after_end = format_duration(after_s)
        where = "at the end of the session" if after_s <= END_GRACE_S else "after the session ended"
        lines = [f"  {at} after the start: {where} ({after_end} after it)"]
    else:
        lines = [f"  {at} into the session ({moment.fraction:.0%} of it)"]
    if not recorded:
        lines.append("  no recording for this session (logged by hand; import its file to see more)")
        return lines
    if not moment.series_covers:
        lines.append("  the recording holds no data at that moment")
        return lines
    if moment.heart_rate is not None:
        avg = f", session average {moment.session_avg_hr:.0f}" if moment.session_avg_hr else ""
        lines.append(f"  heart rate {moment.heart_rate:.0f} bpm{avg}{_versus(moment.hr_vs_avg)}")
    if moment.speed_m_s is not None:
        lines.append(
            f"  pace {_pace(moment.pace_s_per_km, units)} ({_speed(moment.speed_m_s, units)}), session average "
            f"{_pace(moment.session_avg_pace_s_per_km, units)}{_versus(moment.speed_vs_avg, 'faster', 'slower')}"
        )
    if moment.temperature_c is not None:
        lines.append(f"  device temperature {format_temperature(moment.temperature_c, units)}")
    if moment.power is not None:
        lines.append(f"  power {moment.power:.0f} W")
    return lines


def register(app: typer.Typer) -> None:
    """Add `show cramp` and `show session` to the root app."""
    group = typer.Typer(help="Show one record in full.", no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name="show")

    @group.command("cramp")
    def show_cramp(
        ctx: typer.Context,
        cramp_id: Annotated[str, typer.Argument(metavar="ID", help="The cramp's id, e.g. c-0007.")],
        as_json: JsonFlag = False,
    ) -> None:
        """A cramp and what the athlete was doing then. Example: crampwise show cramp c-0007"""
        from crampwise.services.moments import cramp_view

        with _services(ctx) as services:
            view = cramp_view(services, athlete=None, cramp_id=cramp_id)
        if as_json:
            print_json(view.to_json())
            return
        cramp = view.cramp
        details = [cramp.muscle.value, cramp.side.value if cramp.side else None]
        severity = f", severity {cramp.severity}/10" if cramp.severity is not None else ""
        typer.echo(
            f"Cramp {cramp.id}: {' '.join(d for d in details if d)} at {cramp.at.isoformat()}{severity}"
        )
        if view.session is None:
            typer.echo("  not linked to a session")
            return
        session = view.session
        how = " (found by time)" if view.linked_by == "time" else ""
        typer.echo(f"Session {session.id}{how}: {session.sport.value}, {format_duration(session.duration_s)}")
        if view.moment is not None:
            for line in moment_lines(view.moment, recorded=view.has_recording, units=view.units):
                typer.echo(line)

    @group.command("session")
    def show_session(
        ctx: typer.Context,
        session_id: Annotated[str, typer.Argument(metavar="ID", help="The session's id, e.g. s-0003.")],
        as_json: JsonFlag = False,
    ) -> None:
        """A session, its recording and its cramps. Example: crampwise show session s-0003"""
        from crampwise.services.moments import session_view
        from crampwise.services.sessions import session_notes

        with _services(ctx) as services:
            view = session_view(services, athlete=None, session_id=session_id)
        if as_json:
            print_json(view.to_json())
            return
        s = view.session
        parts = [s.sport.value, format_duration(s.duration_s)]
        if s.distance_m is not None:
            parts.append(format_distance(s.distance_m, view.units))
        if s.avg_hr is not None:
            parts.append(f"avg HR {s.avg_hr:.0f}")
        if s.temperature_c is not None:
            parts.append(format_temperature(s.temperature_c, view.units))
        if s.moving_time_s is not None and s.moving_time_s < s.duration_s:
            parts.insert(2, f"moving {format_duration(s.moving_time_s)}")
        title = f' "{s.name}"' if s.name else ""
        typer.echo(f"Session {s.id}{title}: {s.start.isoformat()}, {', '.join(parts)}")
        for line in session_notes(s):
            typer.echo(f"  {line}")
        if view.series_samples:
            typer.echo(
                f"  recording: {view.series_samples} samples from {view.source_format} "
                f"({', '.join(view.channels) or 'time only'})"
            )
        else:
            typer.echo("  no recording (logged by hand)")
        for cramp, moment in zip(view.cramps, view.moments, strict=True):
            typer.echo(f"Cramp {cramp.id}: {cramp.muscle.value} at {cramp.at.isoformat()}")
            if moment is not None:
                for line in moment_lines(moment, recorded=view.series_samples > 0, units=view.units):
                    typer.echo(line)
