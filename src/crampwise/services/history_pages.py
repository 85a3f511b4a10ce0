"""History as pictures: a calendar heatmap, a body map of cramp sites, a monthly trend, the list
of cramps, the latest sessions (a multisport event's legs as one), and each cramp on its
session's heart-rate and pace chart.

The charts are the clinician report's hand-written SVG (`reports.charts`) plus the session
chart (`reports.session_chart`), so the web, the report and the PDF draw the same pictures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from crampwise.domain.enums import Muscle, Side
from crampwise.domain.records import Athlete, Cramp, Session
from crampwise.reports.charts import body_map, calendar, trend
from crampwise.science.triage_flags import Flag
from crampwise.services.context import AppContext
from crampwise.services.journal import load_history
from crampwise.services.moments import CrampView, cramp_view
from crampwise.services.sessions import Event, events_of, session_chart_svg, session_notes
from crampwise.services.triage import advice_for_cramp

CALENDAR_DAYS = 182  # half a year fits a phone's width at 390 px in two scrolls at most
LIST_LIMIT = 20
EVENTS_SHOWN = 8  # the latest sessions under the cramps: what was trained lately


@dataclass(frozen=True)
class CrampRow:
    cramp: Cramp
    session: Session | None


@dataclass(frozen=True)
class HistoryPage:
    athlete: Athlete
    calendar_svg: str
    body_map_svg: str
    trend_svg: str
    cramps: tuple[CrampRow, ...]  # latest first, at most `limit` of them
    events: tuple[Event, ...]  # latest sessions first, a multisport event's legs as one
    total_cramps: int
    total_sessions: int
    since: date
    advice: tuple[Flag, ...] = ()  # urgent or emergency signs of the cramp just saved, in the athlete's zone


def history_page(
    ctx: AppContext,
    *,
    athlete: str | None,
    now: datetime,
    days: int = CALENDAR_DAYS,
    limit: int | None = LIST_LIMIT,
    saved: str | None = None,
) -> HistoryPage:
    """History for one athlete; `saved` is the cramp just logged, whose urgent signs (a swollen,
    warm calf; dark urine) are advised at once, as `crampwise log cramp` does."""
    history = load_history(ctx, athlete=athlete)
    zone = history.athlete.zone
    end = now.astimezone(zone).date()
    start = end - timedelta(days=days - 1)
    per_day: dict[date, tuple[int, int]] = {}
    for cramp in history.cramps:
        day = cramp.at.astimezone(zone).date()
        if start <= day <= end:
            count, worst = per_day.get(day, (0, -1))
            per_day[day] = (count + 1, max(worst, cramp.severity if cramp.severity is not None else -1))
    in_window = [c for c in history.cramps if start <= c.at.astimezone(zone).date() <= end]
    sites: Counter[tuple[Muscle, Side | None]] = Counter((c.muscle, c.side) for c in in_window)
    by_month = Counter((c.at.astimezone(zone).year, c.at.astimezone(zone).month) for c in history.cramps)
    months: list[tuple[str, int]] = []
    for back in range(11, -1, -1):
        year, month = divmod(end.year * 12 + end.month - 1 - back, 12)
        months.append((date(year, month + 1, 1).strftime("%b"), by_month.get((year, month + 1), 0)))
    latest = history.cramps[::-1][:limit]
    return HistoryPage(
        athlete=history.athlete,
        calendar_svg=calendar([(d, n, s) for d, (n, s) in sorted(per_day.items())], start, end),
        body_map_svg=body_map(sites),
        trend_svg=trend(months, label="cramps per month, last 12 months"),
        cramps=tuple(CrampRow(c, history.session_of(c)) for c in latest),
        events=events_of(history.sessions)[::-1][:EVENTS_SHOWN],
        total_cramps=len(history.cramps),
        total_sessions=len(history.sessions),
        since=start,
        advice=tuple(
            flag
            for cramp in history.cramps
            if saved is not None and cramp.id == saved
            for flag in advice_for_cramp(cramp, zone_name=history.athlete.timezone)
        ),
    )


@dataclass(frozen=True)
class CrampDetail:
    view: CrampView
    chart_svg: str | None  # None when the cramp has no session
    event: Event | None = None  # the session's event (its legs, for a multisport file)
    notes: tuple[str, ...] = ()  # how the session was read (recovered, date inferred...)


def cramp_detail(ctx: AppContext, *, athlete: str | None, cramp_id: str) -> CrampDetail:
    """One cramp, what it was doing then, its session's event, and the session's chart with
    every cramp of that session."""
    view = cramp_view(ctx, athlete=athlete, cramp_id=cramp_id)
    session = view.session
    if session is None or session.id is None:
        return CrampDetail(view, None)
    history = load_history(ctx, athlete=athlete)
    marked = [c for c in history.cramps if c.session_id == session.id or c.id == view.cramp.id]
    legs = [s for s in history.sessions if session.event_id and s.event_id == session.event_id] or [session]
    return CrampDetail(
        view,
        session_chart_svg(ctx, athlete=athlete, session=session, cramps=marked),
        event=events_of(legs)[0],
        notes=tuple(session_notes(session)),
    )
