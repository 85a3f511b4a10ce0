"""Where a cramp falls on its session: what the athlete was doing at that moment.

Pure: takes the cramp's time, the session's start and duration and its series; no clock, no
store. Heart rate and speed at the moment are the means over the `window_s` seconds before
the cramp (a single sample is noisy; the cramp is logged when it started), compared with the
session's time-weighted averages. Ratios, not verdicts: crampwise does not say the pace
caused the cramp; the trigger analysis (science/triggers) weighs that across sessions.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Final

from crampwise.domain.series import Series

WINDOW_S: Final = 30.0  # crampwise_convention: half a minute before the cramp
NEAREST_S: Final = 60.0  # without samples in the window, accept the nearest within a minute


@dataclass(frozen=True)
class CrampMoment:
    """A cramp placed on its session (None where the series does not say)."""

    elapsed_s: float
    fraction: float  # of the session's duration; < 0 before it started, > 1 after it ended
    during_session: bool
    duration_s: float = 0.0  # the session's duration as placed: the recording's when longer
    heart_rate: float | None = None
    session_avg_hr: float | None = None
    hr_vs_avg: float | None = None  # heart rate / session average
    speed_m_s: float | None = None
    session_avg_speed_m_s: float | None = None
    speed_vs_avg: float | None = None
    pace_s_per_km: float | None = None
    session_avg_pace_s_per_km: float | None = None
    temperature_c: float | None = None
    session_avg_temperature_c: float | None = None
    cadence: float | None = None
    power: float | None = None
    series_covers: bool = False  # the series has samples near the moment

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _window_mean(series: Series, channel: str, start_s: float, end_s: float) -> float | None:
    values = getattr(series, channel)
    total, count = 0.0, 0
    for t, v in zip(series.elapsed_s, values, strict=True):
        if start_s <= t <= end_s and not math.isnan(v):
            total += v
            count += 1
    return total / count if count else None


def _pace(speed_m_s: float | None) -> float | None:
    """Seconds per kilometre; None when standing still (a pace of infinity says nothing)."""
    return 1000.0 / speed_m_s if speed_m_s and speed_m_s > 0.3 else None


def _ratio(value: float | None, reference: float | None) -> float | None:
    return value / reference if value is not None and reference else None


def place_cramp(
    *,
    cramp_at: datetime,
    session_start: datetime,
    duration_s: float,
    series: Series,
    session_avg_hr: float | None = None,
    session_temperature_c: float | None = None,
    window_s: float = WINDOW_S,
) -> CrampMoment:
    """Place a cramp on a session's series (aware datetimes; averages from the series if absent).

    A recording that runs past the session's stated duration (some watches store a wrong total,
    or the pauses only) proves the session lasted that long: the cramp is placed on the longer
    of the two, so a cramp with a heart rate on record is never "after the session ended".
    """
    elapsed = (cramp_at - session_start).total_seconds()
    if len(series):
        duration_s = max(duration_s, float(series.elapsed_s[-1]))
    fraction = elapsed / duration_s if duration_s > 0 else 0.0
    base = CrampMoment(
        elapsed_s=elapsed, fraction=fraction, during_session=0 <= elapsed <= duration_s, duration_s=duration_s
    )
    if len(series) == 0:
        return base
    lo, hi = elapsed - window_s, elapsed
    nearest = series.index_at(elapsed)
    covers = any(lo <= t <= hi for t in series.elapsed_s)
    if not covers and (nearest is None or abs(series.elapsed_s[nearest] - elapsed) > NEAREST_S):
        return base
    if not covers and nearest is not None:
        lo = hi = series.elapsed_s[nearest]

    def at(channel: str) -> float | None:
        return _window_mean(series, channel, lo, hi)

    avg_hr = session_avg_hr if session_avg_hr is not None else series.mean("heart_rate")
    avg_speed = series.mean("speed_m_s")
    avg_temp = session_temperature_c if session_temperature_c is not None else series.mean("temperature_c")
    hr, speed = at("heart_rate"), at("speed_m_s")
    return CrampMoment(
        elapsed_s=elapsed,
        fraction=fraction,
        during_session=base.during_session,
        duration_s=duration_s,
        heart_rate=hr,
        session_avg_hr=avg_hr,
        hr_vs_avg=_ratio(hr, avg_hr),
        speed_m_s=speed,
        session_avg_speed_m_s=avg_speed,
        speed_vs_avg=_ratio(speed, avg_speed),
        pace_s_per_km=_pace(speed),
        session_avg_pace_s_per_km=_pace(avg_speed),
        temperature_c=at("temperature_c"),
        session_avg_temperature_c=avg_temp,
        cadence=at("cadence"),
        power=at("power"),
        series_covers=True,
    )
