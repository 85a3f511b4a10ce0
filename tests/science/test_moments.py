"""Placing a cramp on its session's series (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crampwise.domain.series import Series
from crampwise.science.moments import place_cramp

START = datetime(2026, 5, 1, 7, 0, tzinfo=UTC)


def steady(n: int = 3600) -> Series:
    """One hour at 1 Hz: heart rate 140 then 170 in the last 10 minutes, speed 3 then 4 m/s."""
    elapsed = list(range(n))
    return Series.build(
        elapsed,
        heart_rate=[140 if t < 3000 else 170 for t in elapsed],
        speed_m_s=[3.0 if t < 3000 else 4.0 for t in elapsed],
        temperature_c=[24] * n,
    )


def test_cramp_late_in_a_hard_finish() -> None:
    moment = place_cramp(
        cramp_at=START + timedelta(seconds=3300), session_start=START, duration_s=3600, series=steady()
    )
    assert moment.during_session and moment.series_covers
    assert moment.elapsed_s == 3300 and moment.fraction == pytest.approx(3300 / 3600)
    assert moment.heart_rate == 170
    assert moment.session_avg_hr == pytest.approx(145, abs=0.1)  # time-weighted over the hour
    assert moment.hr_vs_avg == pytest.approx(170 / 145, rel=1e-3)
    assert moment.pace_s_per_km == pytest.approx(250)
    assert moment.speed_vs_avg is not None and moment.speed_vs_avg > 1.2
    assert moment.temperature_c == 24


def test_session_values_win_over_series_means() -> None:
    moment = place_cramp(
        cramp_at=START + timedelta(seconds=60),
        session_start=START,
        duration_s=3600,
        series=steady(),
        session_avg_hr=150,
        session_temperature_c=30,
    )
    assert moment.session_avg_hr == 150 and moment.session_avg_temperature_c == 30
    assert moment.hr_vs_avg == pytest.approx(140 / 150)


def test_after_the_session_and_outside_the_recording() -> None:
    moment = place_cramp(
        cramp_at=START + timedelta(hours=2), session_start=START, duration_s=3600, series=steady()
    )
    assert not moment.during_session and moment.fraction == pytest.approx(2.0)
    assert not moment.series_covers and moment.heart_rate is None


def test_gap_in_recording_uses_the_nearest_sample_within_a_minute() -> None:
    series = Series.build([0, 100, 200], heart_rate=[120, 150, 160], speed_m_s=[None, 2.0, 0.0])
    moment = place_cramp(
        cramp_at=START + timedelta(seconds=140), session_start=START, duration_s=200, series=series
    )
    assert moment.series_covers and moment.heart_rate == 150
    standing = place_cramp(
        cramp_at=START + timedelta(seconds=200), session_start=START, duration_s=200, series=series
    )
    assert standing.speed_m_s == 0.0 and standing.pace_s_per_km is None  # standing still: no pace
    far = place_cramp(
        cramp_at=START + timedelta(seconds=330), session_start=START, duration_s=400, series=series
    )
    assert not far.series_covers


def test_empty_series_and_before_start() -> None:
    moment = place_cramp(
        cramp_at=START - timedelta(minutes=5), session_start=START, duration_s=600, series=Series.empty()
    )
    assert moment.elapsed_s == -300 and not moment.during_session and not moment.series_covers


def test_a_recording_longer_than_the_stated_duration_keeps_the_cramp_inside() -> None:
    """Issue 13: a Suunto file with a wrong total put a cramp with a heart rate 'after the end (114 %)'."""
    moment = place_cramp(
        cramp_at=START + timedelta(seconds=3420), session_start=START, duration_s=3000, series=steady()
    )
    assert moment.during_session and moment.heart_rate == 170
    assert moment.duration_s == 3599 and moment.fraction == pytest.approx(3420 / 3599)
    beyond = place_cramp(
        cramp_at=START + timedelta(seconds=3700), session_start=START, duration_s=3000, series=steady()
    )
    assert not beyond.during_session and beyond.duration_s == 3599
