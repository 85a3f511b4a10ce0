"""Sessions as a person reads them: the legs of a multisport event as one event, elapsed and
moving time, and what the import says about how a session was read.

An imported triathlon or duathlon file becomes one session per leg, each carrying the first
leg's id as `event_id` (the first leg carries its own); `events_of` puts them back together for
the History page and the session page. `session_notes` are the words `crampwise show session`
and the web both print for a recovered file, a date inferred from the device's clock, the gear
and the activity's description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from crampwise.domain.records import Cramp, Session
from crampwise.domain.series import Series
from crampwise.reports.session_chart import session_chart, timeline_chart
from crampwise.services.context import AppContext
from crampwise.services.journal import load_history, resolve_athlete
from crampwise.services.moments import SessionView, session_view
from crampwise.storage import series as store


@dataclass(frozen=True)
class Event:
    """One session, or the legs of one multisport event in start order."""

    legs: tuple[Session, ...]

    @property
    def first(self) -> Session:
        return self.legs[0]

    @property
    def multisport(self) -> bool:
        return len(self.legs) > 1

    @property
    def start(self) -> datetime:
        return self.first.start

    @property
    def elapsed_s(self) -> float:
        """From the first leg's start to the last leg's end (transitions included)."""
        return (
            max((leg.end for leg in self.legs), default=self.first.end).timestamp() - self.start.timestamp()
        )

    @property
    def moving_s(self) -> float | None:
        """The legs' moving time summed, when every leg knows it and it is shorter than elapsed."""
        if any(leg.moving_time_s is None for leg in self.legs):
            return None
        moving = float(sum(leg.moving_time_s or 0.0 for leg in self.legs))
        return moving if moving < self.elapsed_s - 1 else None

    @property
    def title(self) -> str:
        """The activity's name, else its sport (`triathlon: swim, ride, run` for an event)."""
        named = next((leg.name for leg in self.legs if leg.name), None)
        if named:
            return named
        if self.multisport:
            return "Multisport: " + ", ".join(leg.sport.value.replace("_", " ") for leg in self.legs)
        return self.first.sport.value.replace("_", " ").capitalize()


def events_of(sessions: Sequence[Session]) -> tuple[Event, ...]:
    """The sessions grouped into events (legs sharing an `event_id`), in start order."""
    groups: dict[str, list[Session]] = {}
    order: list[str] = []
    for session in sorted(sessions, key=lambda s: s.start):
        key = session.event_id or f"own:{session.id or session.start.isoformat()}"
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(session)
    return tuple(Event(tuple(groups[key])) for key in order)


def session_notes(session: Session) -> list[str]:
    """What the import says about how a session was read (event, recovered, inferred date, gear)."""
    lines = []
    if session.event_id:
        lines.append(f"leg of a multisport event (first leg {session.event_id})")
    if session.recovered:
        lines.append("recovered from the records of a file without a session summary")
    if session.date_inferred:
        lines.append("date inferred from the device's local clock (its clock was never set)")
    if session.gear:
        lines.append(f"gear: {session.gear}")
    if session.description:
        lines.append(f"description: {session.description}")
    return lines


def session_chart_svg(
    ctx: AppContext, *, athlete: str | None, session: Session, cramps: Sequence[Cramp]
) -> str:
    """The session's heart-rate and pace chart with its cramps marked (a timeline without a recording)."""
    assert session.id is not None
    marks = [(str(c.id), (c.at - session.start).total_seconds()) for c in cramps]
    with ctx.read() as conn:
        athlete_pk = resolve_athlete(ctx, conn, athlete)[0]
        loaded = store.load_series(conn=conn, athlete_pk=athlete_pk, session_id=session.id)
    series = loaded[0] if loaded else Series.empty()
    if len(series) == 0:
        return timeline_chart(session.duration_s, marks, title=f"Session {session.id}: cramps marked")
    title = f"Session {session.id}: heart rate and pace, cramps marked"
    return session_chart(series, session.duration_s, marks, title=title)


@dataclass(frozen=True)
class SessionPage:
    """One session with its recording, its cramps, and the other legs of its event."""

    view: SessionView
    event: Event
    notes: tuple[str, ...]
    chart_svg: str
    cramps: tuple[Cramp, ...]


def session_page(ctx: AppContext, *, athlete: str | None, session_id: str) -> SessionPage:
    """The session page (`NotFound` for an unknown id or another athlete's)."""
    view = session_view(ctx, athlete=athlete, session_id=session_id)
    session = view.session
    legs: Sequence[Session] = (session,)
    if session.event_id:
        history = load_history(ctx, athlete=athlete)
        legs = [s for s in history.sessions if s.event_id == session.event_id]
    return SessionPage(
        view=view,
        event=events_of(legs)[0],
        notes=tuple(session_notes(session)),
        chart_svg=session_chart_svg(ctx, athlete=athlete, session=session, cramps=view.cramps),
        cramps=view.cramps,
    )
