"""The eight session factors and the day-level exposures of CONTRACTS.md section 4."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Day, Session
from crampwise.science.exposures import (
    DAY_FACTORS,
    SESSION_FACTORS,
    ExposureThresholds,
    cramp_day,
    day_exposures,
    linked_session,
    session_exposures,
)

MADRID = ZoneInfo("Europe/Madrid")
ATHLETE = Athlete(name="Ana", max_hr=190, timezone="Europe/Madrid")


def session(day: date, sid: str, **fields: Any) -> Session:
    data: dict[str, Any] = {"sport": "run", "duration_s": 3000}
    data.update(fields)
    return Session(id=sid, start=datetime(day.year, day.month, day.day, 8, tzinfo=MADRID), **data)


def last_values(sessions: list[Session], days: tuple[Day, ...] = (), **kw: Any) -> dict[str, Any]:
    history = History(athlete=kw.pop("athlete", ATHLETE), sessions=tuple(sessions), days=days)
    return dict(session_exposures(history, **kw)[-1].values)


def test_every_factor_is_unknown_for_a_bare_first_session() -> None:
    values = last_values([session(date(2026, 5, 1), "s-1")])
    assert set(values) == set(SESSION_FACTORS)
    assert values["low_sodium"] is False  # under 60 min: not exposed whatever the sodium
    assert {k for k, v in values.items() if v is None} == set(SESSION_FACTORS) - {"low_sodium"}


def test_long_session_needs_three_prior_same_sport_sessions_within_56_days() -> None:
    d = date(2026, 5, 1)
    prior = [session(d + timedelta(days=i), f"s-{i}", duration_s=3600) for i in range(3)]
    long_run = session(d + timedelta(days=5), "s-9", duration_s=3600 * 1.3 + 1)
    just_at = session(d + timedelta(days=5), "s-9", duration_s=3600 * 1.3)
    assert last_values([*prior, long_run])["long_session"] is True
    assert last_values([*prior, just_at])["long_session"] is False
    assert last_values([*prior[:2], long_run])["long_session"] is None
    rides = [session(d + timedelta(days=i), f"s-{i}", sport="ride", duration_s=600) for i in range(3)]
    assert last_values([*rides, *prior[:2], long_run])["long_session"] is None
    old = [session(d - timedelta(days=60 + i), f"s-o{i}", duration_s=600) for i in range(3)]
    assert last_values([*old, long_run])["long_session"] is None


def test_hard_session_from_rpe_then_heart_rate() -> None:
    d = date(2026, 5, 1)
    assert last_values([session(d, "s", rpe=7)])["hard_session"] is True
    assert last_values([session(d, "s", rpe=6, avg_hr=180)])["hard_session"] is False
    assert last_values([session(d, "s", avg_hr=0.85 * 190)])["hard_session"] is True
    assert last_values([session(d, "s", avg_hr=150)])["hard_session"] is False
    no_max = Athlete(name="Bo")
    assert last_values([session(d, "s", avg_hr=180)], athlete=no_max)["hard_session"] is None


def test_heat_dehydration_sodium_warmup_thresholds() -> None:
    d = date(2026, 5, 1)
    hot = last_values([session(d, "s", temperature_c=25, pre_mass_kg=70, post_mass_kg=68.6, warmup_min=0)])
    assert (hot["heat"], hot["dehydration"], hot["no_warmup"]) == (True, True, True)
    mild = last_values(
        [session(d, "s", temperature_c=24.9, pre_mass_kg=70, post_mass_kg=68.7, warmup_min=10)]
    )
    assert (mild["heat"], mild["dehydration"], mild["no_warmup"]) == (False, False, False)
    hour = 3600
    assert last_values([session(d, "s", duration_s=2 * hour, sodium_mg=599)])["low_sodium"] is True
    assert last_values([session(d, "s", duration_s=2 * hour, sodium_mg=600)])["low_sodium"] is False
    assert last_values([session(d, "s", duration_s=hour)])["low_sodium"] is None
    assert last_values([session(d, "s", pre_mass_kg=70)])["dehydration"] is None


def test_thresholds_are_configurable() -> None:
    d = date(2026, 5, 1)
    cooler = ExposureThresholds(heat_c=20.0)
    assert last_values([session(d, "s", temperature_c=22)], thresholds=cooler)["heat"] is True


def test_short_sleep_from_the_days_entry_of_the_session_date() -> None:
    d = date(2026, 5, 1)
    assert last_values([session(d, "s")], (Day(date=d, sleep_h=5.9),))["short_sleep"] is True
    assert last_values([session(d, "s")], (Day(date=d, sleep_h=6.0),))["short_sleep"] is False
    assert last_values([session(d, "s")], (Day(date=d, fluid_ml=2000),))["short_sleep"] is None


def test_high_load_on_a_spike() -> None:
    d = date(2026, 3, 1)
    sessions = [session(d + timedelta(days=i), f"s-{i}", rpe=5 if i < 21 else 10) for i in range(28)]
    assert last_values(sessions)["high_load"] is True
    steady = [session(d + timedelta(days=i), f"s-{i}", rpe=5) for i in range(28)]
    assert last_values(steady)["high_load"] is False


def test_day_exposures_any_session_and_rest_days_known_no() -> None:
    d = date(2026, 5, 1)
    sessions = (session(d, "s-1", rpe=8), session(d + timedelta(days=1), "s-2"))
    history = History(athlete=ATHLETE, sessions=sessions)
    rows = session_exposures(history)
    days = day_exposures(history, rows, d, d + timedelta(days=2))
    assert [x.day for x in days] == [d, d + timedelta(days=1), d + timedelta(days=2)]
    assert set(days[0].values) == set(DAY_FACTORS)
    assert days[0].values["trained_hard"] is True
    assert days[1].values["trained_hard"] is None  # trained, intensity unknown
    assert days[2].values["trained_hard"] is False  # no session that day


def test_sleep_cramp_before_noon_belongs_to_the_evening_before() -> None:
    night = Cramp(at=datetime(2026, 5, 2, 3, tzinfo=MADRID), muscle="calf", context="sleep")
    rest = Cramp(at=datetime(2026, 5, 2, 3, tzinfo=MADRID), muscle="calf", context="rest")
    assert cramp_day(night, MADRID) == date(2026, 5, 1)
    assert cramp_day(rest, MADRID) == date(2026, 5, 2)


def test_exercise_cramp_links_by_id_or_by_time() -> None:
    d = date(2026, 5, 1)
    s = session(d, "s-1", duration_s=3600)
    history = History(athlete=ATHLETE, sessions=(s,))
    during = Cramp(at=s.start + timedelta(minutes=50), muscle="calf", context="exercise")
    after = Cramp(at=s.end + timedelta(minutes=90), muscle="calf", context="after_exercise")
    too_late = Cramp(at=s.end + timedelta(hours=3), muscle="calf", context="after_exercise")
    asleep = Cramp(at=s.start + timedelta(minutes=5), muscle="calf", context="sleep")
    assert linked_session(during, history) == s
    assert linked_session(after, history) == s
    assert linked_session(too_late, history) is None
    assert linked_session(asleep, history) is None


def test_training_before_the_first_logged_session_is_unknown() -> None:
    d = date(2026, 5, 10)
    history = History(athlete=ATHLETE, sessions=(session(d, "s-1", rpe=8),))
    days = day_exposures(history, session_exposures(history), d - timedelta(days=2), d + timedelta(days=1))
    assert [x.values["trained_hard"] for x in days] == [None, None, True, False]
