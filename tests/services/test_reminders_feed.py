"""The calendar feed: a secret address per athlete (only its hash stored, replaced at once),
every planned session with an alarm at each drink (the same events as the plan's .ics), and
the daily check-in recurring in the athlete's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import text

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.context import AppContext
from crampwise.services.journal import add_athlete
from crampwise.services.plan_calendar import schedule_ics
from crampwise.services.planned import add_planned, get_planned, plan_for_planned
from crampwise.services.reminders import (
    feed_ics,
    new_feed_token,
    parse_checkin_time,
    reminder_status,
    set_checkin,
    stop_feed,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
BASE = "https://crampwise.example.org"
MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def ana(ctx: AppContext) -> AppContext:
    add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5, "timezone": "Europe/Madrid"})
    add_athlete(ctx, data={"name": "Bo", "body_mass_kg": 80, "timezone": "UTC"})
    return ctx


def plan(ctx: AppContext, athlete: str, start: datetime, hours: float = 3) -> None:
    add_planned(
        ctx,
        athlete=athlete,
        sport="run",
        duration_s=hours * 3600,
        temperature_c=28,
        rpe=6,
        when=start,
        carry=None,
    )


def events(body: bytes) -> list[object]:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_the_token_is_shown_once_stored_as_a_hash_and_replaced_at_once(ana: AppContext) -> None:
    first = new_feed_token(ana, athlete="Ana", now=NOW)
    assert len(first) == 43  # 32 random bytes, base64url
    with ana.read() as conn:
        stored = conn.execute(text("SELECT feed_token_sha256 FROM reminder_settings")).scalars().all()
    assert first not in stored and len(stored[0]) == 64
    assert feed_ics(ana, token=first, base_url=BASE, now=NOW).startswith(b"BEGIN:VCALENDAR")
    second = new_feed_token(ana, athlete="Ana", now=NOW)
    with pytest.raises(NotFound):
        feed_ics(ana, token=first, base_url=BASE, now=NOW)
    assert feed_ics(ana, token=second, base_url=BASE, now=NOW)
    stop_feed(ana, athlete="Ana", now=NOW)
    assert not reminder_status(ana, athlete="Ana").feed_on
    for token in (second, "x" * 43, "short", "../" * 15):
        with pytest.raises(NotFound):
            feed_ics(ana, token=token, base_url=BASE, now=NOW)


def test_each_athlete_sees_only_their_own_sessions(ana: AppContext) -> None:
    plan(ana, "Ana", datetime(2026, 6, 7, 8, tzinfo=MADRID))
    plan(ana, "Bo", datetime(2026, 6, 8, 8, tzinfo=UTC))
    ana_feed = feed_ics(ana, token=new_feed_token(ana, athlete="Ana", now=NOW), base_url=BASE, now=NOW)
    bo_feed = feed_ics(ana, token=new_feed_token(ana, athlete="Bo", now=NOW), base_url=BASE, now=NOW)
    ana_uids = {str(e["uid"]) for e in events(ana_feed)}  # type: ignore[index]
    bo_uids = {str(e["uid"]) for e in events(bo_feed)}  # type: ignore[index]
    assert ana_uids and bo_uids and not ana_uids & bo_uids
    assert b"crampwise: Ana" in ana_feed and b"Bo" not in ana_feed


def test_drinks_carry_alarms_and_the_same_uids_as_the_plans_ics(ana: AppContext) -> None:
    start = datetime(2026, 6, 7, 8, tzinfo=MADRID)
    plan(ana, "Ana", start)
    token = new_feed_token(ana, athlete="Ana", now=NOW)
    body = feed_ics(ana, token=token, base_url=BASE, now=NOW)
    found = events(body)
    session = [e for e in found if str(e["uid"]).startswith("crampwise-planned-")]  # type: ignore[index]
    drinks = [e for e in found if "-drink-" in str(e["uid"])]  # type: ignore[index]
    assert len(session) == 1
    assert str(session[0]["url"]) == f"{BASE}/session/p-0001"  # type: ignore[index]
    assert session[0].decoded("DTSTART") == start  # type: ignore[attr-defined]
    assert session[0].decoded("DTSTART").tzinfo.key == "Europe/Madrid"  # type: ignore[attr-defined]
    assert len(drinks) == 11 and all(len(e.subcomponents) == 1 for e in drinks)  # type: ignore[attr-defined]
    assert all(e.subcomponents[0]["action"] == "DISPLAY" for e in drinks)  # type: ignore[attr-defined]
    # the plan's own .ics download makes the very same drink events: one way to make them
    record = get_planned(ana, athlete="Ana", planned_id="p-0001")
    result = plan_for_planned(ana, athlete="Ana", planned=record, zone=MADRID, now=NOW)
    ics_uids = {str(e["uid"]) for e in events(schedule_ics(result, now=NOW))}  # type: ignore[index]
    assert ics_uids == {str(e["uid"]) for e in drinks}  # type: ignore[index]
    # fetched again later: the same events (a calendar app updates, never duplicates)
    later = feed_ics(ana, token=token, base_url=BASE, now=NOW + timedelta(hours=5))
    assert {str(e["uid"]) for e in events(later)} == {str(e["uid"]) for e in found}  # type: ignore[index]


def test_sessions_a_week_old_leave_the_feed(ana: AppContext) -> None:
    plan(ana, "Ana", NOW - timedelta(days=7))
    plan(ana, "Ana", NOW - timedelta(days=7) + timedelta(minutes=1))
    token = new_feed_token(ana, athlete="Ana", now=NOW)
    sessions = [
        e for e in events(feed_ics(ana, token=token, base_url=BASE, now=NOW)) if "planned" in str(e["uid"])
    ]  # type: ignore[index]
    assert [str(e["uid"]).split("-")[-1] for e in sessions] == ["0002@crampwise"]  # type: ignore[index]


def test_the_daily_check_in_recurs_at_local_time_across_daylight_saving(ana: AppContext) -> None:
    token = new_feed_token(ana, athlete="Ana", now=NOW)
    assert not [e for e in events(feed_ics(ana, token=token, base_url=BASE, now=NOW))]
    set_checkin(ana, athlete="Ana", checkin_time="20:30")
    body = feed_ics(ana, token=token, base_url=BASE, now=NOW)
    [checkin] = events(body)
    assert str(checkin["rrule"].to_ical(), "ascii") == "FREQ=DAILY"  # type: ignore[index]
    start = checkin.decoded("DTSTART")  # type: ignore[attr-defined]
    assert (start.date(), start.hour, start.minute, start.tzinfo.key) == (NOW.date(), 20, 30, "Europe/Madrid")
    assert str(checkin["url"]) == f"{BASE}/log/day"  # type: ignore[index]
    assert checkin.subcomponents[0]["action"] == "DISPLAY"  # type: ignore[attr-defined]
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Europe/Madrid" in body
    # its occurrences stay at 20:30 local after the clocks change in October
    from dateutil.rrule import rrulestr

    rule = rrulestr(checkin["rrule"].to_ical().decode(), dtstart=start)  # type: ignore[index]
    november = rule.after(datetime(2026, 11, 1, tzinfo=MADRID))
    assert (november.hour, november.minute, november.utcoffset()) == (20, 30, timedelta(hours=1))


def test_a_session_that_cannot_be_planned_is_still_in_the_feed_saying_why(ctx: AppContext) -> None:
    add_athlete(ctx, data={"name": "Cy", "timezone": "UTC"})  # no body mass
    plan(ctx, "Cy", NOW + timedelta(days=2))
    found = events(feed_ics(ctx, token=new_feed_token(ctx, athlete="Cy", now=NOW), base_url=BASE, now=NOW))
    assert len(found) == 1 and "body_mass_kg" in str(found[0]["description"])  # type: ignore[index]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("20:30", "20:30"), ("7.05", "07:05"), ("7h30", "07:30"), ("off", None), ("", None)],
)
def test_check_in_times_as_typed(typed: str, expected: str | None) -> None:
    assert parse_checkin_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "20:60", "8pm", "soon"])
def test_bad_check_in_times_name_the_field(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_checkin_time(typed, "TIME")
    assert caught.value.errors[0].path == "TIME" and "HH:MM" in caught.value.errors[0].message
