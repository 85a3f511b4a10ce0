"""Planning use-cases on a real store: plan, sweat report, exports, closing the loop."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.context import AppContext
from crampwise.services.journal import add_athlete, load_history, log_cramp, log_session
from crampwise.services.plan_calendar import schedule_ics
from crampwise.services.planning import (
    CSV_COLUMNS,
    plan_session,
    record_plan_followed,
    schedule_csv,
    sweat_report,
)

CONTRACT_PLAN_KEYS = {
    "session",
    "sweat_rate_l_per_h",
    "fluid_ml_per_h",
    "fluid_ml_per_h_max",
    "sodium_mg_per_h",
    "expected_mass_loss_pct",
    "risk",
    "warmup",
    "cooldown",
    "checklist",
    "sources",
}


def weighed_session(i: int, rate_l_per_h: float, temperature_c: float, now: datetime) -> dict[str, Any]:
    return {
        "start": (now - timedelta(days=30 - i)).isoformat(),
        "sport": "run",
        "duration_s": 3600,
        "rpe": 6,
        "temperature_c": temperature_c,
        "pre_mass_kg": 61.5,
        "post_mass_kg": round(61.5 - rate_l_per_h + 0.4, 3),
        "fluid_ml": 400,
        "urine_ml": 0,
    }


@pytest.fixture
def ana(store_ctx: AppContext, now: datetime) -> AppContext:
    """Ana with four sweat tests and a hamstring cramp, on SQLite and (when set up) PostgreSQL."""
    ctx = store_ctx
    add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5, "timezone": "Europe/Madrid"})
    for i in range(4):
        log_session(ctx, athlete=None, data=weighed_session(i, 0.9, 18 + 3 * i, now), now=now)
    log_cramp(
        ctx, athlete=None, data={"at": now.isoformat(), "muscle": "hamstring", "context": "exercise"}, now=now
    )
    return ctx


def test_plan_document_has_the_contract_shape(ana: AppContext, now: datetime) -> None:
    result = plan_session(ana, athlete=None, sport="run", duration_s=10800, temperature_c=28, rpe=6, now=now)
    doc = result.as_json()
    assert set(doc) >= CONTRACT_PLAN_KEYS
    assert doc["session"] == {
        "sport": "run",
        "duration_s": 10800,
        "temperature_c": 28,
        "rpe": 6,
        "start": None,
        "date": None,
    }
    rate = doc["sweat_rate_l_per_h"]
    assert rate["basis"] == "personal"
    assert rate["n_tests"] == 4
    assert rate["range"][0] <= rate["estimate"] <= rate["range"][1]
    low, high = doc["fluid_ml_per_h"]
    assert low <= high <= doc["fluid_ml_per_h_max"] <= rate["estimate"] * 1000
    # Issue 10: one logged cramp is too few for a probability; a 3 h run gets the marathon band.
    assert doc["risk"]["probability"] is None and doc["risk"]["n_logged_cramps"] == 1
    assert doc["risk"]["level"] == "elevated" and doc["risk"]["basis"] == "population_band"
    assert "fewer than 10" in doc["risk"]["why"] and isinstance(doc["risk"]["drivers"], list)
    assert doc["rehydration_ml"] is None and "per kg you lost" in doc["after_session"]["text"]
    assert doc["fluid_ceiling"]["ml_per_h"] == doc["fluid_ml_per_h_max"]
    assert doc["fluid_ceiling"]["sources"] == doc["citations"]["fluid_ml_per_h_max"]
    assert doc["targets"][0] == "hamstring"
    assert {"name", "minutes", "targets"} <= set(doc["warmup"][0])
    assert all(isinstance(item, str) for item in doc["checklist"])
    assert "sawka2007_acsm" in doc["sources"]
    assert set(doc["risk"]["sources"]) <= set(doc["sources"])


def test_with_ten_logged_cramps_the_trigger_models_probability_is_shown(
    ana: AppContext, now: datetime
) -> None:
    for day in range(2, 11):  # nine more cramps: ten in all
        log_cramp(
            ana,
            athlete=None,
            data={"at": (now - timedelta(days=day * 3)).isoformat(), "muscle": "calf", "context": "exercise"},
            now=now,
        )
    risk = plan_session(
        ana, athlete=None, sport="run", duration_s=10800, temperature_c=28, rpe=6, now=now
    ).risk
    assert risk is not None and risk["n_logged_cramps"] == 10
    assert isinstance(risk["probability"], float) and 0 <= risk["probability"] <= 1
    assert risk["level"] in {"low", "elevated", "high"}


def test_unknown_sport_is_bad_input(ana: AppContext, now: datetime) -> None:
    with pytest.raises(InvalidInput, match=r"sport: unknown sport 'curling'; expected run\|ride"):
        plan_session(ana, athlete=None, sport="curling", duration_s=3600, temperature_c=20, now=now)


def test_no_body_mass_is_bad_input(ctx: AppContext, now: datetime) -> None:
    add_athlete(ctx, data={"name": "Bo"})
    with pytest.raises(InvalidInput, match="athlete set --body-mass"):
        plan_session(ctx, athlete=None, sport="run", duration_s=3600, temperature_c=20, now=now)


def test_unknown_athlete_is_not_found(ana: AppContext, now: datetime) -> None:
    with pytest.raises(NotFound):
        plan_session(ana, athlete="Zed", sport="run", duration_s=3600, temperature_c=20, now=now)


def test_naive_start_is_read_in_the_athletes_zone_and_exports(ana: AppContext, now: datetime) -> None:
    result = plan_session(
        ana,
        athlete=None,
        sport="ride",
        duration_s=7200,
        temperature_c=25,
        rpe=5,
        when=datetime(2026, 6, 7, 8, 0),  # noqa: DTZ001 - a naive time is read in the athlete zone
        now=now,
    )
    start = result.plan.session.start
    assert start is not None and start.utcoffset() == timedelta(hours=2)  # Madrid in June
    ics = schedule_ics(result, now=now).decode()
    assert ics.count("BEGIN:VEVENT") == len(result.plan.schedule) > 0
    first = result.plan.schedule[0]
    assert f"DTSTART;TZID=Europe/Madrid:20260607T08{first.at_min:02d}00" in ics
    rows = list(csv.reader(io.StringIO(schedule_csv(result))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(result.plan.schedule) + 1
    assert rows[1][0] == str(first.at_min)
    assert rows[1][1].startswith("2026-06-07T08:")


def test_the_calendar_describes_its_time_zone(ana: AppContext, now: datetime) -> None:
    """RFC 5545 3.2.19: every TZID used must have its VTIMEZONE; DTSTAMP is in UTC."""
    from icalendar import Calendar

    result = plan_session(
        ana,
        athlete=None,
        sport="run",
        duration_s=7200,
        temperature_c=25,
        when=datetime(2027, 3, 28, 1, 30),  # noqa: DTZ001 - Madrid; clocks go 02:00 -> 03:00 that night
        now=now,
    )
    text = schedule_ics(result, now=now).decode()
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert "TZID:Europe/Madrid" in text and "TZOFFSETTO:+0200" in text
    cal = Calendar.from_ical(text)
    assert cal.get_missing_tzids() == set()
    for event in cal.walk("VEVENT"):
        assert str(event["DTSTAMP"].to_ical().decode()).endswith("Z")
    # Minute 30 is 02:00 CET, which is 03:00 CEST: no drink at a time that does not exist.
    start = result.plan.session.start
    assert start is not None
    for drink, event in zip(result.plan.schedule, cal.walk("VEVENT"), strict=True):
        elapsed = event.decoded("DTSTART").astimezone(UTC) - start.astimezone(UTC)  # not wall-clock
        assert elapsed == timedelta(minutes=drink.at_min)
        assert event.decoded("DTSTART").hour != 2


def test_a_zone_the_calendar_cannot_describe_falls_back_to_utc(
    ana: AppContext, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampwise.services import plan_calendar

    monkeypatch.setattr(plan_calendar, "_add_vtimezones", lambda cal, first, last: False)
    result = plan_session(
        ana,
        athlete=None,
        sport="run",
        duration_s=7200,
        temperature_c=25,
        when=datetime(2026, 6, 7, 8),  # noqa: DTZ001 - read in the athlete's zone (Madrid)
        now=now,
    )
    text = schedule_ics(result, now=now).decode()
    assert "BEGIN:VEVENT" in text and "TZID" not in text
    assert "DTSTART:20260607T06" in text  # 08:xx Madrid summer time, in UTC


def test_calendar_needs_a_start_time(ana: AppContext, now: datetime) -> None:
    result = plan_session(
        ana, athlete=None, sport="run", duration_s=7200, temperature_c=25, when=date(2026, 6, 7), now=now
    )
    assert result.day == date(2026, 6, 7)
    with pytest.raises(InvalidInput, match="date"):
        schedule_ics(result, now=now)


def test_sweat_report_lists_tests_and_model(ana: AppContext, now: datetime) -> None:
    log_session(
        ana,
        athlete=None,
        data={**weighed_session(9, 0.9, 20, now), "post_mass_kg": 62.5, "fluid_ml": 0},
        now=now,
    )
    report = sweat_report(ana, athlete=None)
    doc = report.as_json()
    assert len(doc["tests"]) == 5
    first = doc["tests"][0]
    assert {"session_id", "sweat_rate_l_per_h", "mass_loss_pct", "temperature_c"} <= set(first)
    assert first["sweat_rate_l_per_h"] == pytest.approx(0.9)
    bad = doc["tests"][-1]
    assert not bad["usable"]
    assert "mass_gain_without_fluid" in bad["flags"]
    assert doc["model"]["n_tests"] == 4
    assert doc["model"]["n_excluded"] == 1
    assert doc["model"]["basis"] == "personal"


def test_plan_followed_is_recorded(ana: AppContext, now: datetime) -> None:
    session_id = load_history(ana, athlete=None).sessions[0].id
    assert session_id is not None
    record_plan_followed(ana, athlete=None, session_id=session_id, followed=True, now=now)
    assert load_history(ana, athlete=None).sessions_by_id[session_id].plan_followed is True


def test_each_drink_alarms_and_plans_keep_their_own_stable_uids(ana: AppContext, now: datetime) -> None:
    """Issue 13: no alarm, so the watch never buzzed; a second plan overwrote the first's events."""
    from icalendar import Calendar

    def plan(sport: str, temperature_c: float = 25) -> Any:
        return plan_session(
            ana, athlete=None, sport=sport, duration_s=7200, temperature_c=temperature_c, rpe=5,
            when=datetime(2026, 6, 7, 8, 0), now=now,  # noqa: DTZ001
        )  # fmt: skip

    calendar = Calendar.from_ical(schedule_ics(plan("ride"), now=now))
    events = list(calendar.walk("VEVENT"))
    assert events
    for event in events:
        [alarm] = event.walk("VALARM")
        assert alarm["action"] == "DISPLAY" and alarm.decoded("trigger") == timedelta(0)
        assert str(alarm["description"]) == str(event["summary"])
    ride_uids = {str(e["uid"]) for e in events}
    assert len(ride_uids) == len(events)
    hotter = {
        str(e["uid"]) for e in Calendar.from_ical(schedule_ics(plan("ride", 30), now=now)).walk("VEVENT")
    }
    assert hotter & ride_uids  # the same plan, revised: its events are updated, not doubled
    run_uids = {str(e["uid"]) for e in Calendar.from_ical(schedule_ics(plan("run"), now=now)).walk("VEVENT")}
    assert not run_uids & ride_uids  # another plan at the same time keeps its own events
