"""Session-RPE load (Foster) and the 7-day / 28-day acute:chronic ratio (Gabbett)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.domain.records import Session
from crampwise.science.load import LoadCalendar, local_date, session_load_au

MADRID = ZoneInfo("Europe/Madrid")


def run(day: date, minutes: float, rpe: float | None, hour: int = 8) -> Session:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=MADRID)
    return Session(start=start, sport="run", duration_s=minutes * 60, rpe=rpe)


def test_foster_example_sixty_minutes_at_rpe_7_is_420_au() -> None:
    assert session_load_au(run(date(2026, 5, 1), 60, 7)) == pytest.approx(420.0)


def test_unknown_rpe_gives_unknown_load() -> None:
    assert session_load_au(run(date(2026, 5, 1), 60, None)) is None


def test_steady_training_has_ratio_one() -> None:
    first = date(2026, 3, 1)
    sessions = [run(first + timedelta(days=i), 60, 5) for i in range(40)]
    calendar = LoadCalendar(sessions, MADRID)
    assert calendar.acute_chronic_ratio(first + timedelta(days=35)) == pytest.approx(1.0)


def test_doubled_last_week_gives_ratio_eight_fifths() -> None:
    """Three weeks at 300 AU/day then one at 600: 4200 / ((3x2100 + 4200) / 4) = 1.6."""
    first = date(2026, 3, 1)
    sessions = [run(first + timedelta(days=i), 60, 5 if i < 21 else 10) for i in range(28)]
    calendar = LoadCalendar(sessions, MADRID)
    assert calendar.acute_chronic_ratio(first + timedelta(days=27)) == pytest.approx(1.6)


def test_ratio_unknown_before_28_days_of_record_and_when_rpe_is_mostly_missing() -> None:
    first = date(2026, 3, 1)
    sessions = [run(first + timedelta(days=i), 60, 5) for i in range(30)]
    calendar = LoadCalendar(sessions, MADRID)
    assert calendar.acute_chronic_ratio(first + timedelta(days=20)) is None
    assert calendar.acute_chronic_ratio(first + timedelta(days=27)) is not None
    missing = [run(first + timedelta(days=i), 60, None if i % 2 else 5) for i in range(30)]
    assert LoadCalendar(missing, MADRID).acute_chronic_ratio(first + timedelta(days=29)) is None
    assert LoadCalendar([], MADRID).acute_chronic_ratio(first) is None


def test_a_late_evening_session_belongs_to_its_local_day() -> None:
    late = Session(start=datetime(2026, 5, 1, 23, 30, tzinfo=MADRID), sport="run", duration_s=1800)
    assert local_date(late, MADRID) == date(2026, 5, 1)
    assert local_date(late, ZoneInfo("UTC")) == date(2026, 5, 1)
    assert local_date(late, ZoneInfo("Asia/Tokyo")) == date(2026, 5, 2)


@settings(max_examples=40, deadline=None)
@given(
    plan=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=80),
            st.floats(min_value=10, max_value=200),
            st.none() | st.integers(min_value=0, max_value=10),
        ),
        min_size=1,
        max_size=30,
    ),
    day=st.integers(min_value=-5, max_value=90),
    n_days=st.sampled_from([1, 7, 28]),
)
def test_a_window_is_the_sum_of_its_days(
    plan: list[tuple[int, float, int | None]], day: int, n_days: int
) -> None:
    """The running totals give exactly what summing the window's days one by one gives."""
    first = date(2026, 3, 1)
    sessions = [run(first + timedelta(days=d), minutes, rpe) for d, minutes, rpe in plan]
    calendar = LoadCalendar(sessions, MADRID)
    end = first + timedelta(days=day)
    inside = [s for s in sessions if 0 <= (end - local_date(s, MADRID)).days < n_days]
    window = calendar.window(end, n_days)
    assert window.minutes == pytest.approx(sum(s.duration_s / 60 for s in inside), abs=1e-6)
    assert window.load_au == pytest.approx(sum(session_load_au(s) or 0.0 for s in inside), abs=1e-6)
    unknown = sum(s.duration_s / 60 for s in inside if session_load_au(s) is None)
    assert window.unknown_minutes == pytest.approx(unknown, abs=1e-6)
