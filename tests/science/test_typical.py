"""The athlete's typical session (science/typical.py): the most trained sport of the last 8
weeks (both ends included), its median duration in whole minutes, temperature and effort, and
the crampwise convention when there is no session at all.

Reached before only by service tests (mutation testing: every mutant without a science test).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from crampwise.domain.enums import Sport
from crampwise.domain.records import Session
from crampwise.science.typical import (
    DEFAULT_DURATION_S,
    DEFAULT_TEMPERATURE_C,
    WINDOW_DAYS,
    TypicalSession,
    typical_session,
)

TODAY = date(2026, 6, 1)


def session(days_ago: int, sport: str = "run", **fields: Any) -> Session:
    start = datetime(2026, 6, 1, 7, tzinfo=UTC) - timedelta(days=days_ago)
    return Session.model_validate({"start": start, "sport": sport, "duration_s": 3600, **fields})


def test_no_session_is_an_hours_run_at_20_c_by_convention() -> None:
    assert (WINDOW_DAYS, DEFAULT_DURATION_S, DEFAULT_TEMPERATURE_C) == (56, 3600.0, 20.0)
    assert typical_session([], TODAY) == TypicalSession(Sport.RUN, 3600.0, 20.0, None, 0)


def test_the_most_trained_sport_and_its_medians() -> None:
    sessions = [
        session(1, "ride", duration_s=5400, temperature_c=25, rpe=5),
        session(3, "ride", duration_s=7230, temperature_c=30, rpe=7),
        session(5, "ride", duration_s=3000, rpe=6),
        session(2, "run", duration_s=1800, temperature_c=10, rpe=9),
        session(4, "run", duration_s=1800),
    ]
    assert typical_session(sessions, TODAY) == TypicalSession(Sport.RIDE, 5400.0, 27.5, 6.0, 3)


def test_the_duration_is_rounded_to_whole_minutes() -> None:
    assert typical_session([session(1, duration_s=3629)], TODAY).duration_s == 3600.0
    assert typical_session([session(1, duration_s=3631)], TODAY).duration_s == 3660.0


def test_the_window_includes_its_first_day_and_today() -> None:
    old_rides = [session(WINDOW_DAYS + 1, "ride") for _ in range(3)]
    edge_run = session(WINDOW_DAYS, "run", duration_s=1200)
    typical = typical_session([*old_rides, edge_run], TODAY)
    assert (typical.sport, typical.duration_s, typical.n_sessions) == (Sport.RUN, 1200.0, 1)
    today_swim = session(0, "swim", duration_s=900)
    assert typical_session([*old_rides, today_swim], TODAY).sport is Sport.SWIM
    future = session(-1, "swim")  # after today: not in the window
    assert typical_session([*old_rides, future, edge_run], TODAY).sport is Sport.RUN


def test_only_old_sessions_all_of_them_count() -> None:
    typical = typical_session([session(200, "walk", duration_s=2400, temperature_c=15)], TODAY)
    assert typical == TypicalSession(Sport.WALK, 2400.0, 15.0, None, 1)
