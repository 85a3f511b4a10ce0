"""Synthetic athletes with realistic training and planted cramp triggers.

Used to validate the trigger analysis (benchmarks/trigger_validation.py), to calibrate the
session risk, and by `crampwise demo`. Everything is drawn from a seeded
`numpy.random.Generator`, so one seed gives one athlete.

The training is a runner's year (`science/simulated_training.py`: weeks, seasons, sweat
losses), with sleep and realistic gaps in what gets logged added here.
Cramps are drawn from a logistic model of the *true* (complete-data) factors of
CONTRACTS.md section 4 with planted odds ratios; other factors, some strongly correlated with a
planted one (long sessions dehydrate and go without sodium), have no effect of their own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import numpy as np

from crampwise.domain.history import History
from crampwise.domain.records import Bundle, Session
from crampwise.science.exposures import day_exposures, session_exposures
from crampwise.science.simulated_training import (
    complete_session,
    season_volume,
    session_kind,
    week_multipliers,
)
from crampwise.science.solvers import brent_root

Rng = np.random.Generator


@dataclass(frozen=True)
class Scenario:
    """Which factors truly raise this athlete's cramp odds, and by how much (odds ratios).

    `only_in`: the session odds ratios act only in sessions exposed to this factor (e.g.
    "heat": the salt-and-water cramps that Bergeron 2008 describes in hot conditions), and
    not at all elsewhere.
    """

    name: str
    session_odds_ratios: Mapping[str, float] = field(default_factory=dict)
    day_odds_ratios: Mapping[str, float] = field(default_factory=dict)
    only_in: str | None = None


SCENARIOS: Final[Mapping[str, Scenario]] = {
    "fatigue": Scenario("fatigue", {"long_session": 5.0, "hard_session": 3.0}, {"trained_long": 3.0}),
    "dehydration": Scenario("dehydration", {"dehydration": 5.0, "low_sodium": 3.0}, {"dehydration": 3.0}),
    "none": Scenario("none"),
    # dehydration and low sodium raise the odds only in sessions at 25 degrees C or more
    "heat": Scenario("heat", {"dehydration": 5.0, "low_sodium": 3.0}, only_in="heat"),
    # cramps at night (rest or sleep) after long or hard training days, none in sessions
    "night": Scenario("night", {}, {"trained_long": 5.0, "trained_hard": 3.0}),
    # The athlete's own factor planted at the odds ratio of a built-in one (hard_session), in the
    # same athletes, so the validation shows both found at the same rates (issue 16).
    "own_factor": Scenario(
        "own_factor", {"long_session": 5.0, "hard_session": 3.0, "new_shoes": 3.0}, {"trained_long": 3.0}
    ),
}
OWN_FACTOR: Final = "new_shoes"  # the simulated athlete's own yes/no session factor


@dataclass(frozen=True)
class SimConfig:
    end: date  # last simulated day (local); cramps must not be after "now"
    scenario: Scenario = SCENARIOS["fatigue"]
    days: int = 365
    session_cramps: float = 30.0  # expected sessions with a cramp over the period
    rest_cramp_days: float = 5.0  # expected days with a rest or sleep cramp
    missing_scale: float = 1.0  # multiplies every "not logged" probability
    weigh_share: float = 0.5  # sessions with pre/post weighing (long sessions: more often)
    name: str = "Simulated Athlete"
    timezone: str = "Europe/Madrid"
    plan_days: int = 0  # the last N days: sessions record whether a plan was followed
    sparse_share: float = 0.0  # sessions logged without RPE and without a weighing
    time_at_risk: bool = False  # cramp hazard per hour of exercise (else per session)
    stop_share: float = 0.0  # exercise cramps after which the athlete stops the session
    # The athlete defines `new_shoes` (a yes/no session factor) and tags sessions with it: worn
    # on this share of sessions, the tag missing on `own_missing` of them.
    own_factor_share: float = 0.0
    own_missing: float = 0.1


@dataclass(frozen=True)
class SimulatedAthlete:
    bundle: Bundle
    true_exposures: tuple[Mapping[str, bool | None], ...]  # per session, complete data
    true_probability: tuple[float, ...]  # per session, the planted model's cramp probability
    scenario: Scenario
    true_days: tuple[tuple[date, Mapping[str, bool | None]], ...] = ()  # day factors, complete data


def _blank(record: dict[str, Any], rng: Rng, config: SimConfig, kind: str) -> dict[str, Any]:
    """What the athlete actually logged: drop fields with realistic probabilities."""
    out = dict(record)
    scale = config.missing_scale

    def drop(*names: str, share: float) -> None:
        if rng.random() < min(1.0, share * scale):
            for name in names:
                out[name] = None

    drop("rpe", share=0.1)
    drop("avg_hr", share=0.3)
    drop("temperature_c", share=0.15)
    drop("warmup_min", share=0.25)
    weigh = min(1.0, config.weigh_share * (1.5 if kind == "long" else 1.0))
    if rng.random() >= weigh:
        out["pre_mass_kg"] = out["post_mass_kg"] = None
    drop("fluid_ml", share=0.15)
    drop("sodium_mg", share=0.4)
    if config.sparse_share > 0.0 and rng.random() < config.sparse_share:
        out["rpe"] = out["pre_mass_kg"] = out["post_mass_kg"] = None
    return out


def _intercept(logits: np.ndarray, target: float) -> float:
    """The baseline log-odds giving `target` expected events."""
    target = float(np.clip(target, 0.1, 0.9 * len(logits))) if len(logits) else 0.0
    if not len(logits):
        return 0.0
    return brent_root(lambda b: float(np.sum(1 / (1 + np.exp(-(b + logits))))) - target, -30.0, 10.0)


def _linear(
    values: Mapping[str, bool | None], odds: Mapping[str, float], only_in: str | None = None
) -> float:
    if only_in is not None and values.get(only_in) is not True:
        return 0.0
    return sum(math.log(ratio) for factor, ratio in odds.items() if values.get(factor) is True)


def _hazard_intercept(logits: np.ndarray, hours: np.ndarray, target: float) -> float:
    """The baseline log hazard per hour giving `target` expected sessions with a cramp."""
    target = float(np.clip(target, 0.1, 0.9 * len(logits))) if len(logits) else 0.0
    if not len(logits):
        return 0.0
    return float(
        brent_root(lambda b: float(np.sum(-np.expm1(-hours * np.exp(b + logits)))) - target, -30.0, 10.0)
    )


_MUSCLES: Final = ("calf", "hamstring", "quadriceps", "foot")
_MUSCLE_SHARES: Final = (0.65, 0.2, 0.12, 0.03)  # calf mostly (hoffman2015_ultra: calf 54 %)


def _muscle(rng: Rng) -> str:
    return _MUSCLES[int(rng.choice(len(_MUSCLES), p=np.array(_MUSCLE_SHARES)))]


def simulate_athlete(rng: Rng, config: SimConfig) -> SimulatedAthlete:
    """One synthetic athlete's year (or `config.days`), as a validated domain `Bundle`."""
    traits = {
        "mass_kg": float(np.clip(rng.normal(68.0, 8.0), 50.0, 95.0)),
        "max_hr": float(np.clip(round(rng.normal(186.0, 7.0)), 165, 205)),
        "climate_c": float(rng.normal(0.0, 3.0)),
        "sweat_l_h": float(rng.normal(0.0, 0.15)),
        "drink_l_h": float(np.clip(rng.normal(0.4, 0.12), 0.1, 0.8)),
        "gel_share": float(rng.uniform(0.3, 0.7)),
    }
    athlete = {
        "name": config.name,
        "sex": str(rng.choice(["female", "male"])),
        "birth_year": int(rng.integers(1965, 2003)),
        "body_mass_kg": round(traits["mass_kg"], 1),
        "max_hr": int(traits["max_hr"]),
        "timezone": config.timezone,
    }
    first = config.end - timedelta(days=config.days - 1)
    weeks = week_multipliers(rng, config.days // 7 + 2)
    complete: list[dict[str, Any]] = []
    logged: list[dict[str, Any]] = []
    days: list[dict[str, Any]] = []
    for offset in range(config.days):
        day = first + timedelta(days=offset)
        week_volume = weeks[offset // 7]
        sleep = rng.normal(5.3, 0.5) if rng.random() < 0.1 else rng.normal(7.3, 0.8)
        if rng.random() > 0.2 * config.missing_scale:
            days.append({"date": day.isoformat(), "sleep_h": round(float(np.clip(sleep, 3, 11)), 1)})
        kind = session_kind(rng, day.weekday())
        if kind is None or week_volume == 0.0 or rng.random() < 0.08:
            continue
        volume = week_volume * season_volume(day.timetuple().tm_yday)
        record = complete_session(rng, kind, day, volume, traits, config.timezone)
        record["id"] = f"s-{len(complete) + 1:04d}"
        complete.append(record)
        entry = _blank(record, rng, config, kind)
        if config.plan_days and offset >= config.days - config.plan_days:
            entry["plan_followed"] = bool(rng.random() < 0.5)
        logged.append(entry)
    own = _own_factor(rng, config, complete, logged, athlete)
    full = History.from_bundle(
        Bundle.model_validate({"athlete": athlete, "sessions": complete, "days": days})
    )
    rows = session_exposures(full)
    truth = [{**r.values, **own[i]} for i, r in enumerate(rows)]
    odds = config.scenario.session_odds_ratios
    logits = np.array([_linear(values, odds, config.scenario.only_in) for values in truth])
    if config.time_at_risk:  # complementary log-log: a constant hazard per hour of exercise
        hours = np.array([r.session.duration_s / 3600.0 for r in rows])
        h0 = _hazard_intercept(logits, hours, config.session_cramps)
        probability = -np.expm1(-hours * np.exp(h0 + logits))
    else:
        b0 = _intercept(logits, config.session_cramps)
        probability = 1.0 / (1.0 + np.exp(-(b0 + logits)))
    cramped = rng.random(len(rows)) < probability
    cramps: list[dict[str, Any]] = []
    for row, hit in zip(rows, cramped, strict=True):
        if hit:
            cramps.append(_session_cramp(rng, row.session))
    if config.stop_share > 0.0:
        _stop_at_cramps(rng, cramps, logged, config.stop_share)
    day_rows = day_exposures(full, rows, first, config.end)
    day_logits = np.array([_linear(d.values, config.scenario.day_odds_ratios) for d in day_rows])
    d0 = _intercept(day_logits, config.rest_cramp_days)
    night = rng.random(len(day_rows)) < 1.0 / (1.0 + np.exp(-(d0 + day_logits)))
    for item, hit in zip(day_rows, night, strict=True):
        if hit and item.day < config.end:
            cramps.append(_rest_cramp(rng, item.day, config.timezone))
    cramps.sort(key=lambda c: str(c["at"]))
    for index, cramp in enumerate(cramps):
        cramp["id"] = f"c-{index + 1:04d}"
    bundle = Bundle.model_validate(
        {"athlete": athlete, "sessions": logged, "cramps": cramps, "days": days},
        context={"now": datetime.combine(config.end + timedelta(days=2), time(0), tzinfo=UTC)},
    )
    return SimulatedAthlete(
        bundle=bundle,
        true_exposures=tuple(truth),
        true_probability=tuple(float(p) for p in probability),
        scenario=config.scenario,
        true_days=tuple((d.day, d.values) for d in day_rows),
    )


def _stop_at_cramps(
    rng: Rng, cramps: list[dict[str, Any]], logged: list[dict[str, Any]], share: float
) -> None:
    """The athlete stops some sessions at the cramp: what was logged covers only the time up
    to the onset (duration, mass lost, fluid and sodium taken shrink in proportion), so the
    cramp itself changes the session's exposures."""
    by_id = {entry["id"]: entry for entry in logged}
    for cramp in cramps:
        if cramp["context"] != "exercise" or rng.random() >= share:
            continue
        entry = by_id[cramp["session_id"]]
        start = datetime.fromisoformat(entry["start"])
        elapsed_s = (datetime.fromisoformat(cramp["at"]) - start).total_seconds()
        fraction = max(60.0, elapsed_s) / entry["duration_s"]
        if fraction >= 1.0:
            continue
        entry["duration_s"] = round(entry["duration_s"] * fraction)
        entry["distance_m"] = round(entry["distance_m"] * fraction)
        if entry["pre_mass_kg"] is not None and entry["post_mass_kg"] is not None:
            loss = entry["pre_mass_kg"] - entry["post_mass_kg"]
            entry["post_mass_kg"] = round(entry["pre_mass_kg"] - loss * fraction, 2)
        for name in ("fluid_ml", "sodium_mg"):
            if entry[name] is not None:
                entry[name] = round(entry[name] * fraction)
        cramp["at"] = (start + timedelta(seconds=entry["duration_s"])).isoformat()


def _own_factor(
    rng: Rng,
    config: SimConfig,
    complete: list[dict[str, Any]],
    logged: list[dict[str, Any]],
    athlete: dict[str, Any],
) -> list[dict[str, bool | None]]:
    """Plant the athlete's own factor: its true value per session, tagged (or not) on the logged
    sessions. Drawn from a child generator, so the rest of the athlete is the same with or without
    it."""
    if config.own_factor_share <= 0.0:
        return [{} for _ in complete]
    child = rng.spawn(1)[0]
    athlete["factors"] = [{"name": OWN_FACTOR, "level": "session", "kind": "yes_no"}]
    truth: list[dict[str, bool | None]] = []
    for record, entry in zip(complete, logged, strict=True):
        worn = bool(child.random() < config.own_factor_share)
        truth.append({OWN_FACTOR: worn})
        entry["tags"] = (
            {} if child.random() < config.own_missing * config.missing_scale else {OWN_FACTOR: worn}
        )
        record["tags"] = {OWN_FACTOR: worn}
    return truth


def _session_cramp(rng: Rng, session: Session) -> dict[str, Any]:
    during = rng.random() < 0.85
    if during:
        at = session.start + timedelta(seconds=float(rng.beta(4.0, 1.8)) * session.duration_s)
    else:
        at = session.end + timedelta(minutes=float(rng.uniform(5.0, 60.0)))
    return {
        "at": at.isoformat(),
        "muscle": _muscle(rng),
        "side": str(rng.choice(["left", "right", "both"], p=[0.45, 0.45, 0.1])),
        "severity": int(np.clip(round(rng.normal(5.5, 1.8)), 1, 10)),
        "duration_s": round(float(np.clip(rng.lognormal(math.log(60.0), 0.6), 5.0, 900.0))),
        "context": "exercise" if during else "after_exercise",
        "session_id": session.id,
        "relief": ["stretch"] if rng.random() < 0.8 else ["stretch", "massage"],
        "relief_worked": bool(rng.random() < 0.85),
    }


def _rest_cramp(rng: Rng, day: date, zone: str) -> dict[str, Any]:
    asleep = rng.random() < 0.8
    if asleep:  # the night after `day`
        at = datetime.combine(
            day + timedelta(days=1), time(int(rng.integers(1, 6)), int(rng.integers(0, 60)))
        )
    else:
        at = datetime.combine(day, time(int(rng.integers(14, 22)), int(rng.integers(0, 60))))
    return {
        "at": at.replace(tzinfo=ZoneInfo(zone)).isoformat(),
        "muscle": "calf" if rng.random() < 0.85 else "foot",
        "side": str(rng.choice(["left", "right"])),
        "severity": int(np.clip(round(rng.normal(6.0, 1.5)), 1, 10)),
        "duration_s": round(float(np.clip(rng.lognormal(math.log(45.0), 0.5), 5.0, 600.0))),
        "context": "sleep" if asleep else "rest",
        "relief": ["stretch"],
        "relief_worked": True,
    }
