"""The plan's drinks as iCalendar events: the `.ics` download and each athlete's calendar feed.

One way to make a drink event (`_drink_events`), used by both:

- `schedule_ics(result)`: one plan's drinks (`crampwise plan --ics`, `/plan.ics`);
- `feed_calendar(...)`: an athlete's subscribable feed (services/reminders.py): every planned
  session's drinks, the session itself, and the optional daily check-in, recurring daily.

Every drink carries an alarm (VALARM, RFC 5545 section 3.6.6) at its start, so the phone or
watch buzzes. UIDs are stable per plan (`plan_key`): the same plan exported or fetched again
updates its events, and two plans never overwrite each other's. Times are local (`TZID=` the
athlete's zone, with its VTIMEZONE as RFC 5545 requires); where icalendar cannot describe the
zone they are written in UTC instead. Minutes count in elapsed time, so a drink across a
daylight-saving change is still at the right moment. DTSTAMP is UTC (section 3.8.7.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from crampwise.domain.errors import InvalidInput
from crampwise.domain.units import format_volume
from crampwise.services.planning import PlanResult

DRINK_EVENT_MIN = 2  # length of a drink reminder in a calendar
CHECKIN_EVENT_MIN = 5
VTIMEZONE_AHEAD_DAYS = 400  # a feed is fetched again long before its zone data runs out


def _need_start(result: PlanResult, what: str) -> datetime:
    start = result.plan.session.start
    if start is None:
        raise InvalidInput.single(
            "date", f"{what} needs the planned start with a time, e.g. --date 2026-06-07T08:00"
        )
    return start


def _drink_summary(fluid_text: str, sodium_mg: tuple[float, float]) -> str:
    sodium = f" with {round(sodium_mg[0])}-{round(sodium_mg[1])} mg sodium" if sodium_mg[1] > 0 else ""
    return f"Drink {fluid_text}{sodium}"


def drink_texts(result: PlanResult) -> dict[int, str]:
    """What to do at each drink (by minute), with the carried products when there are any."""
    plan = result.plan
    out: dict[int, str] = {}
    for drink in plan.schedule:
        slot = None if result.fuel is None else result.fuel.slot_at(drink.at_min)
        out[drink.at_min] = (
            _drink_summary(drink.text(plan.units), drink.sodium_mg) if slot is None else slot.text(plan.units)
        )
    return out


def plan_key(result: PlanResult, start: datetime) -> str:
    """A short id of one planned session: the athlete, the sport, the start (UTC) and the duration.

    Its drink events share it in their UIDs, so exporting the same plan again (a new temperature,
    say) updates its events in a calendar, and two plans never overwrite each other's.
    """
    plan = result.plan
    text = (
        f"{result.athlete}|{plan.session.sport.value}|{start.astimezone(UTC).isoformat()}|"
        f"{round(plan.session.duration_s)}"
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _alarm(description: str) -> Any:
    from icalendar import Alarm

    alarm = Alarm()  # the phone or watch buzzes at the event's start (RFC 5545 section 3.6.6)
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", timedelta(0))
    return alarm


def _drink_events(result: PlanResult, start: datetime, zone: tzinfo | None, *, now: datetime) -> list[Any]:
    from icalendar import Event

    plan = result.plan
    stamp = now.astimezone(UTC)
    key = plan_key(result, start)
    texts = drink_texts(result)
    events = []
    for drink in plan.schedule:
        at = (start.astimezone(UTC) + timedelta(minutes=drink.at_min)).astimezone(zone)
        summary = texts[drink.at_min]
        event = Event()
        event.add("uid", f"crampwise-plan-{key}-drink-{drink.at_min}@crampwise")
        event.add("dtstamp", stamp)
        event.add("dtstart", at)
        event.add("dtend", at + timedelta(minutes=DRINK_EVENT_MIN))
        event.add("summary", summary)
        event.add(
            "description",
            f"{plan.session.sport.value}, minute {drink.at_min}: never more than "
            f"{format_volume(plan.fluid_ml_per_h_max, plan.units)} per hour "
            "(sawka2007_acsm, hew_butler2015_eah).",
        )
        event.add_component(_alarm(summary))
        events.append(event)
    return events


def _calendar(name: str | None = None) -> Any:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//crampwise//hydration plan//EN")
    cal.add("version", "2.0")
    if name is not None:
        cal.add("x-wr-calname", name)
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})  # RFC 7986
        cal.add("x-published-ttl", "PT1H")
    return cal


def _add_vtimezones(cal: Any, first: date, last: date) -> bool:
    """Add the VTIMEZONE of every TZID used; False when one cannot be described."""
    if not hasattr(cal, "add_missing_timezones"):  # icalendar < 6.1
        return b"TZID=" not in bytes(cal.to_ical())
    cal.add_missing_timezones(first_date=first - timedelta(days=1), last_date=last + timedelta(days=2))
    return not cal.get_missing_tzids()


def _rendered(build: Callable[[tzinfo | None], Any], zone: tzinfo | None, first: date, last: date) -> bytes:
    """The calendar in the local zone, or in UTC when the zone cannot be described."""
    cal = build(zone)
    if not _add_vtimezones(cal, first, last):
        cal = build(UTC)
    return bytes(cal.to_ical())


def schedule_ics(result: PlanResult, *, now: datetime) -> bytes:
    """An iCalendar file: one short event per drink, at the planned start + its minute."""
    start = _need_start(result, "the calendar export")
    last_min = result.plan.schedule[-1].at_min if result.plan.schedule else 0
    end = start + timedelta(minutes=last_min + DRINK_EVENT_MIN)

    def build(zone: tzinfo | None) -> Any:
        cal = _calendar()
        for event in _drink_events(result, start, zone, now=now):
            cal.add_component(event)
        return cal

    return _rendered(build, start.tzinfo, start.date(), end.date())


@dataclass(frozen=True)
class FeedSession:
    """One planned session in a feed: its plan (None when it cannot be planned) and its page."""

    planned_id: str
    uid_key: str
    """A short hash of the athlete: another athlete's `p-0001` is another event."""
    start: datetime
    title: str
    result: PlanResult | None
    problem: str | None
    url: str


@dataclass(frozen=True)
class CheckIn:
    """The daily check-in: at this local time in `zone`, every day from `since`."""

    at: time
    zone: tzinfo
    since: date
    uid_key: str
    url: str


def _session_event(session: FeedSession, zone: tzinfo | None, now: datetime) -> Any:
    from icalendar import Event

    event = Event()
    duration = (
        timedelta(seconds=session.result.plan.session.duration_s) if session.result else timedelta(hours=1)
    )
    start = session.start.astimezone(zone)
    event.add("uid", f"crampwise-planned-{session.uid_key}-{session.planned_id}@crampwise")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + duration)
    event.add("summary", session.title)
    lines = [f"Session mode (screen awake, a beep at each drink): {session.url}"]
    if session.problem:
        lines.append(f"No drink reminders: {session.problem}")
    event.add("description", "\n".join(lines))
    event.add("url", session.url)
    return event


def _checkin_event(checkin: CheckIn, zone: tzinfo | None, now: datetime) -> Any:
    from icalendar import Event

    summary = "crampwise check-in: how did you sleep, any cramps?"
    start = datetime.combine(checkin.since, checkin.at, tzinfo=checkin.zone).astimezone(zone)
    event = Event()
    event.add("uid", f"crampwise-checkin-{checkin.uid_key}@crampwise")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=CHECKIN_EVENT_MIN))
    event.add("rrule", {"FREQ": "DAILY"})
    event.add("summary", summary)
    event.add("description", f"Log today's sleep, fatigue and fluid, and any cramp: {checkin.url}")
    event.add("url", checkin.url)
    event.add_component(_alarm(summary))
    return event


def feed_calendar(
    *,
    title: str,
    zone: tzinfo,
    sessions: Sequence[FeedSession],
    checkin: CheckIn | None,
    now: datetime,
) -> bytes:
    """An athlete's feed: each planned session with its drinks, and the daily check-in."""
    dates = [s.start.date() for s in sessions] + ([checkin.since] if checkin else [])
    first = min(dates, default=now.date())
    last = max([*(s.start.date() for s in sessions), (now + timedelta(days=VTIMEZONE_AHEAD_DAYS)).date()])

    def build(tz: tzinfo | None) -> Any:
        cal = _calendar(title)
        for session in sessions:
            cal.add_component(_session_event(session, tz, now))
            if session.result is not None:
                for event in _drink_events(session.result, session.start, tz, now=now):
                    cal.add_component(event)
        if checkin is not None:
            cal.add_component(_checkin_event(checkin, tz, now))
        return cal

    return _rendered(build, zone, first, last)
