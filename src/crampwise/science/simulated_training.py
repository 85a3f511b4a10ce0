"""A simulated runner's training year, complete (every field of every session known).

A weekly structure (intervals, tempo, easy runs, a long run at the weekend, some rides), 4-week
build/recovery cycles, occasional hard blocks and breaks, seasons with temperature, sweat
losses that grow with heat, intensity and duration minus what is drunk, and sodium from gels on
some long sessions. `science/simulate.py` plants the cramps and blanks what an athlete would
not log. Durations in minutes, temperatures in °C, masses in kg, fluids in L/h.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any, Final
from zoneinfo import ZoneInfo

import numpy as np

Rng = np.random.Generator

# Weekday -> session kind (Monday = 0); None is a rest day.
_WEEK: Final = ("rest", "intervals", "easy", "tempo", "easy_or_rest", "easy_or_ride", "long")
_BASE_MIN: Final = {"easy": 45.0, "intervals": 55.0, "tempo": 50.0, "long": 95.0, "ride": 90.0}
_RPE: Final = {"easy": 3.5, "intervals": 7.6, "tempo": 6.5, "long": 5.0, "ride": 4.5}


def season_volume(day_of_year: int) -> float:
    """Winter base, spring build, summer racing, autumn off-season."""
    return 0.95 + 0.15 * math.sin(2 * math.pi * (day_of_year - 60) / 365.0)


def mean_temperature_c(day_of_year: int, offset_c: float) -> float:
    return 14.0 + 9.0 * math.sin(2 * math.pi * (day_of_year - 110) / 365.0) + offset_c


def week_multipliers(rng: Rng, weeks: int) -> list[float]:
    """Build/recovery cycles (1.0, 1.1, 1.2, 0.7), some hard blocks (x1.5) and breaks (0)."""
    out = []
    for week in range(weeks):
        base = (1.0, 1.1, 1.2, 0.7)[week % 4]
        draw = rng.random()
        out.append(base * 1.5 if draw < 0.12 else 0.0 if draw < 0.16 else base)
    return out


def session_kind(rng: Rng, weekday: int) -> str | None:
    kind = _WEEK[weekday]
    if kind == "easy_or_rest":
        return "easy" if rng.random() < 0.5 else None
    if kind == "easy_or_ride":
        return "ride" if rng.random() < 0.4 else "easy"
    return None if kind == "rest" else kind


def complete_session(
    rng: Rng, kind: str, day: date, volume: float, traits: Mapping[str, float], zone: str
) -> dict[str, Any]:
    """One complete session (every field known) as bundle fields."""
    spread = 0.2 if kind == "long" else 0.15
    minutes = _BASE_MIN[kind] * volume * float(rng.lognormal(0.0, spread))
    if kind == "easy" and rng.random() < 0.07:
        minutes *= 1.6  # an easy run that went long
    minutes = float(np.clip(minutes, 15.0, 330.0))
    rpe_mean = _RPE[kind] + (max(0.0, minutes - 100.0) / 60.0 if kind in ("long", "ride") else 0.0)
    rpe = int(np.clip(round(rng.normal(rpe_mean, 0.9)), 1, 10))
    weekend = day.weekday() >= 5
    clock = time(8, 30) if weekend else (time(7, 0) if rng.random() < 0.5 else time(18, 30))
    start = datetime.combine(day, clock, tzinfo=ZoneInfo(zone))
    temperature = mean_temperature_c(day.timetuple().tm_yday, traits["climate_c"]) + rng.normal(0.0, 4.0)
    temperature += -2.0 if clock.hour < 10 else 1.0
    hours = minutes / 60.0
    sweat_l_h = 1.1 + 0.05 * (temperature - 15.0) + 0.1 * (rpe - 4) + traits["sweat_l_h"] + rng.normal(0, 0.1)
    sweat_l_h = float(np.clip(sweat_l_h, 0.25, 2.5))
    drink_l_h = traits["drink_l_h"] * float(rng.uniform(0.5, 1.3)) if minutes >= 60 else 0.0
    pre = traits["mass_kg"] + rng.normal(0.0, 0.4)
    loss_kg = min((sweat_l_h - drink_l_h) * hours, 0.09 * pre)
    gel = minutes >= 60 and rng.random() < traits["gel_share"]
    warm = rng.random() < (0.85 if kind in ("intervals", "tempo") else 0.4)
    return {
        "start": start.isoformat(),
        "sport": "ride" if kind == "ride" else "run",
        "duration_s": round(minutes * 60.0),
        "distance_m": round(minutes * (180.0 if kind != "ride" else 500.0)),
        "avg_hr": round(
            traits["max_hr"] * float(np.clip(0.6 + 0.035 * rpe + rng.normal(0, 0.02), 0.5, 0.97))
        ),
        "rpe": rpe,
        "temperature_c": round(float(temperature), 1),
        "warmup_min": int(rng.integers(8, 16)) if warm else 0,
        "cooldown_min": int(rng.integers(0, 11)),
        "pre_mass_kg": round(float(pre), 2),
        "post_mass_kg": round(float(pre - loss_kg), 2),
        "fluid_ml": round(drink_l_h * hours * 1000.0),
        "sodium_mg": round(float(rng.uniform(150.0, 650.0)) * hours) if gel else 0,
        "urine_ml": None,
    }
