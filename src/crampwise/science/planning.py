"""The prevention plan for one planned session: fluid, sodium, schedule, routines, checklist.

The numbers, and why (every one cites a source id of knowledge/sources.toml):

- Expected sweat rate: the athlete's sweat model at the planned temperature and intensity
  (science/sweat_model.py; baker2016, barnes2019, baker2017).
- Fluid: enough to keep the expected loss under 2 % of body mass (sawka2007_acsm), never more
  than the expected sweat rate (sawka2007_acsm: "avoid drinking more fluid than the amount
  needed to replace their sweat losses"; hew_butler2015_eah) and never above 1.5 L/h, the
  drinking rate the EAH consensus lists as a risk factor (hew_butler2015_eah), and with any
  usable sweat test never above the highest rate the athlete was measured to sweat, however
  much the model predicts (sawka2007_acsm: customise from measured rates; the conservative
  reading of "comparable conditions" when the model extrapolates or is still the population's).
  The top of the
  range is the low end of the predicted sweat rate, so that even a lighter-sweating day does
  not end heavier than it started; with the athlete's own tests it rises above that only as far
  as the 2 % goal needs (a population estimate is too uncertain for that).
- Short, cool, easy sessions: drinking to thirst is enough (kenefick2018), so the plan says so
  and gives no schedule.
- Sodium (weak evidence, EVIDENCE.md 3.5): over an hour, the sodium in the sweat the fluid
  replaces (fluid x sweat sodium; baker2017, baker2016 default 35.9 mmol/L): a partial
  replacement, never more than the sweat loses (acsm_sodium_convention); sodium does not
  protect against over-drinking (hoffman2015_sodium) and its role in cramps is contested
  (miller2015_rethinking).
- After the session: about 1.5 L per kg lost, when a deficit is expected (sawka2007_acsm). The
  deficit is the capped plan's: drinking the middle of the fluid range while sweating no more
  than the highest measured rate, so a population estimate above what was measured does not
  inflate the drink after either. The expected mass loss (a dehydration warning) keeps the
  model's rate.
- A drink every 15-20 minutes and the routines' minutes are crampwise conventions.

Pure: no I/O, no clock; `risk` is filled in by the service from the trigger model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from crampwise.domain.enums import CrampContext, Muscle, Sport, UnitSystem
from crampwise.domain.errors import InvalidInput
from crampwise.domain.history import History
from crampwise.domain.units import MG_PER_MMOL_SODIUM
from crampwise.knowledge.routines import DEFAULT_TARGETS, Exercise, Phase, routine, routine_sources
from crampwise.science.hydration import SweatTest, sweat_tests
from crampwise.science.plan_checklist import Advice, checklist, describe_volume
from crampwise.science.sweat_model import (
    RatePrediction,
    SweatSodium,
    fit_sweat_model,
    sweat_sodium,
)

MAX_LOSS_FRACTION = 0.02  # sawka2007_acsm: prevent > 2 % body-mass loss
EAH_MAX_L_PER_H = 1.5  # hew_butler2015_eah: drinking > 1.5 L/h is a risk factor
REHYDRATION_L_PER_KG = 1.5  # sawka2007_acsm: ~150 % of the mass lost
MIN_DEFICIT_KG = 0.2  # crampwise_convention: below a scale's noise no rehydration target
SODIUM_AFTER_H = 1.0  # acsm_sodium_convention: add sodium for exercise over an hour
THIRST_MAX_H = 1.0  # kenefick2018: under ~1-1.5 h, cool, easy: thirst is enough
THIRST_COOL_MAX_H = 1.5
THIRST_COOL_BELOW_C = 20.0
THIRST_EASY_MAX_RPE = 4.0
MAX_DURATION_S = 48 * 3600  # CONTRACTS.md: a session over 48 h is impossible
TEMPERATURE_RANGE_C = (-40.0, 50.0)  # crampwise_convention: outdoor sport is not planned beyond
FLUID_STEP_ML = 50.0
FLUID_BAND_ML = 100.0  # crampwise_convention: the fluid range spans at least this above its low end
SODIUM_STEP_MG = 10.0
DOSE_STEP_ML = 10.0

FLUID_SOURCES = ("sawka2007_acsm", "hew_butler2015_eah", "kenefick2018")
SODIUM_SOURCES = (
    "baker2017",
    "baker2016",
    "acsm_sodium_convention",
    "hoffman2015_sodium",
    "miller2015_rethinking",
)
SCHEDULE_SOURCES = ("crampwise_convention", "sawka2007_acsm")


@dataclass(frozen=True)
class PlannedSession:
    """What the athlete is about to do; `rpe` None means moderate-hard (the model's RPE 6)."""

    sport: Sport
    duration_s: float
    temperature_c: float
    rpe: float | None = None
    start: datetime | None = None

    def validate(self) -> None:
        """`InvalidInput` naming the field and the accepted range, before any arithmetic."""
        if not math.isfinite(self.duration_s) or not 0 < self.duration_s <= MAX_DURATION_S:
            raise InvalidInput.single("duration", "must be more than 0 and at most 48h, e.g. 3h or 1h30m")
        low, high = TEMPERATURE_RANGE_C
        if not math.isfinite(self.temperature_c) or not low <= self.temperature_c <= high:
            raise InvalidInput.single(
                "temperature", f"must be between {low:g} and {high:g} C, e.g. 28C or 82F"
            )
        if self.rpe is not None and (not math.isfinite(self.rpe) or not 0 <= self.rpe <= 10):
            raise InvalidInput.single("rpe", "must be between 0 and 10 (CR-10 scale)")

    def as_json(self) -> dict[str, object]:
        return {
            "sport": self.sport.value,
            "duration_s": _number(self.duration_s),
            "temperature_c": _number(self.temperature_c),
            "rpe": None if self.rpe is None else _number(self.rpe),
            "start": None if self.start is None else self.start.isoformat(),
        }


@dataclass(frozen=True)
class Drink:
    """One drink of the schedule: minutes after the start, ml and mg of sodium (low, high)."""

    at_min: int
    fluid_ml: tuple[float, float]
    sodium_mg: tuple[float, float]

    def text(self, units: UnitSystem) -> str:
        return describe_volume(self.fluid_ml, units)

    def moment(self, start: datetime) -> datetime:
        """When this drink is due: elapsed minutes, counted in UTC so a DST change cannot shift it."""
        return (start.astimezone(UTC) + timedelta(minutes=self.at_min)).astimezone(start.tzinfo)

    def as_json(self, start: datetime | None, units: UnitSystem) -> dict[str, object]:
        return {
            "at_min": self.at_min,
            "at": None if start is None else self.moment(start).isoformat(),
            "fluid_ml": list(self.fluid_ml),
            "sodium_mg": list(self.sodium_mg),
            "text": self.text(units),
        }


@dataclass(frozen=True)
class Plan:
    session: PlannedSession
    body_mass_kg: float
    sweat_rate: RatePrediction
    sodium: SweatSodium
    fluid_ml_per_h: tuple[float, float]
    fluid_ml_per_h_max: float
    sodium_mg_per_h: tuple[float, float]
    sweat_sodium_loss_mg_per_h: float
    expected_mass_loss_pct: float
    mass_loss_pct_at_high: float
    drink_to_thirst: bool
    schedule: tuple[Drink, ...]
    interval_min: int
    rehydration_ml: float | None
    targets: tuple[Muscle, ...]
    warmup: tuple[Exercise, ...]
    cooldown: tuple[Exercise, ...]
    night: tuple[Exercise, ...]
    checklist: tuple[Advice, ...]
    units: UnitSystem = UnitSystem.METRIC
    citations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    measured_max_l_per_h: float | None = None
    """The highest usable measured sweat rate, when any test exists (the fluid ceiling's cap)."""

    @property
    def capped_by_measurement(self) -> bool:
        """True when the measured rate, not the model or the EAH limit, sets the ceiling."""
        return self.measured_max_l_per_h is not None and self.measured_max_l_per_h < min(
            self.sweat_rate.estimate_l_per_h, EAH_MAX_L_PER_H
        )

    @property
    def sources(self) -> list[str]:
        """Every source id the plan cites, once, in first-use order."""
        seen: list[str] = []
        for ids in self.citations.values():
            seen.extend(i for i in ids if i not in seen)
        for advice in self.checklist:
            seen.extend(i for i in advice.sources if i not in seen)
        return seen


def _number(value: float) -> float | int:
    """Integral floats as integers in JSON (`10800`, not `10800.0`), like the bundle."""
    return int(value) if float(value).is_integer() else round(value, 2)


def _floor(value: float, step: float) -> float:
    return math.floor(value / step + 1e-9) * step


def cramp_targets(history: History, limit: int = 3) -> tuple[Muscle, ...]:
    """The muscles this athlete cramps in, most often first; calf and hamstring by default.

    Prevention aimed at the athlete's own pattern (miller2022_jat); without cramps logged, the
    commonest sites in endurance athletes (hoffman2015_ultra).
    """
    counts: Counter[Muscle] = Counter()
    last_seen: dict[Muscle, datetime] = {}
    for c in history.cramps:  # oldest first
        if c.muscle is not Muscle.OTHER:
            counts[c.muscle] += 1
            last_seen[c.muscle] = c.at
    if not counts:
        return DEFAULT_TARGETS
    ranked = sorted(counts, key=lambda m: (-counts[m], -last_seen[m].timestamp()))  # ties: most recent first
    return tuple(ranked[:limit])


def measured_max_rate(tests: Sequence[SweatTest]) -> float | None:
    """The highest sweat rate among the usable tests (those the model would use), or None."""
    rates = [t.sweat_rate_l_per_h for t in tests if t.usable and t.sweat_rate_l_per_h > 0]
    return max(rates) if rates else None


def _thirst_is_enough(
    planned: PlannedSession, hours: float, loss_without_drinking_l: float, allowed_l: float
) -> bool:
    """kenefick2018: under ~1 h, or up to 1.5 h cool and easy, and no 2 % loss even without drinking."""
    if loss_without_drinking_l > allowed_l:
        return False
    if hours <= THIRST_MAX_H:
        return True
    easy = planned.rpe is not None and planned.rpe <= THIRST_EASY_MAX_RPE
    return hours <= THIRST_COOL_MAX_H and planned.temperature_c < THIRST_COOL_BELOW_C and easy


def make_plan(history: History, planned: PlannedSession) -> Plan:
    """The plan for `planned`, from this athlete's history (`InvalidInput` on bad input)."""
    planned.validate()
    athlete = history.athlete
    if athlete.body_mass_kg is None:
        raise InvalidInput.single(
            "body_mass_kg",
            "the athlete's body mass is unknown and the plan needs it (2 % loss limit); "
            "set it with: crampwise athlete set --body-mass 70kg",
        )
    mass_kg = float(athlete.body_mass_kg)
    hours = planned.duration_s / 3600.0
    tests = sweat_tests(history.sessions, athlete_max_hr=athlete.max_hr)
    model = fit_sweat_model(tests, sport=planned.sport)
    rate = model.predict(temperature_c=planned.temperature_c, rpe=planned.rpe)
    sodium = sweat_sodium(athlete.sweat_sodium_mmol_l)

    sweat_l = rate.estimate_l_per_h
    allowed_l = MAX_LOSS_FRACTION * mass_kg
    measured_max_l = measured_max_rate(tests)
    # Over-drinking guard: never more than the model's rate, the EAH limit, or the most the
    # athlete has been measured to sweat (a population model can predict more than that).
    max_l = min(sweat_l, EAH_MAX_L_PER_H, math.inf if measured_max_l is None else measured_max_l)
    need_l = max(0.0, sweat_l - allowed_l / hours)
    thirst = _thirst_is_enough(planned, hours, sweat_l * hours, allowed_l)
    # Low end: what keeps the loss under 2 % (rounded up). Top end: the low end of the predicted
    # sweat rate (rounded down), so a lighter-sweating day does not end heavier; on a personal
    # basis it may rise to the 2 % need, never above the ceiling. A population estimate is too
    # uncertain for that: its plan stays at the safe end and says so.
    max_ml = _floor(max_l * 1000.0, FLUID_STEP_ML)
    need_ml = math.ceil(need_l * 1000.0 / FLUID_STEP_ML - 1e-9) * FLUID_STEP_ML
    safe_ml = _floor(rate.low_l_per_h * 1000.0, FLUID_STEP_ML)
    reach_ml = max(safe_ml, need_ml + FLUID_BAND_ML) if rate.basis == "personal" else safe_ml
    high_ml = min(max_ml, reach_ml)
    low_ml = 0.0 if thirst else max(0.0, min(need_ml, high_ml - FLUID_BAND_ML))
    mid_l = (low_ml + high_ml) / 2000.0
    deficit_kg = max(0.0, (sweat_l - mid_l) * hours)
    loss_pct = deficit_kg / mass_kg * 100.0
    loss_at_high_pct = max(0.0, (sweat_l - high_ml / 1000.0) * hours) / mass_kg * 100.0

    mg_per_l = sodium.mmol_l * MG_PER_MMOL_SODIUM
    sweat_sodium_mg_h = sweat_l * mg_per_l
    if hours > SODIUM_AFTER_H and not thirst:
        sodium_high = _floor(min(high_ml / 1000.0 * mg_per_l, sweat_sodium_mg_h), SODIUM_STEP_MG)
        sodium_mg_h = (min(_floor(low_ml / 1000.0 * mg_per_l, SODIUM_STEP_MG), sodium_high), sodium_high)
    else:
        sodium_mg_h = (0.0, 0.0)

    interval = 15 if high_ml >= 600 else 20  # crampwise_convention: larger volumes in smaller sips
    schedule: list[Drink] = []
    if not thirst:
        share = interval / 60.0
        for at_min in range(interval, int(planned.duration_s // 60), interval):
            dose_high = _floor(high_ml * share, DOSE_STEP_ML)
            schedule.append(
                Drink(
                    at_min=at_min,
                    fluid_ml=(min(_floor(low_ml * share, DOSE_STEP_ML), dose_high), dose_high),
                    sodium_mg=(_floor(sodium_mg_h[0] * share, 5.0), _floor(sodium_mg_h[1] * share, 5.0)),
                )
            )

    # The drink after replaces the capped plan's deficit (over-drinking guard, as for the ceiling).
    capped_sweat_l = sweat_l if measured_max_l is None else min(sweat_l, measured_max_l)
    refill_kg = max(0.0, (capped_sweat_l - mid_l) * hours)
    rehydration = (
        _floor(REHYDRATION_L_PER_KG * refill_kg * 1000.0, FLUID_STEP_ML)
        if refill_kg >= MIN_DEFICIT_KG and not thirst
        else None
    )
    targets = cramp_targets(history)
    warmup = tuple(routine(Phase.WARMUP, targets))
    cooldown = tuple(routine(Phase.COOLDOWN, targets))
    sleeps = any(c.context is CrampContext.SLEEP for c in history.cramps)
    night = (
        tuple(routine(Phase.NIGHT, DEFAULT_TARGETS)) if sleeps else ()
    )  # hallegraeff2012: calf + hamstring
    citations: dict[str, tuple[str, ...]] = {
        "sweat_rate_l_per_h": (
            "baker2016",
            "barnes2019",
            "baker2017",
            "gonzalez2009",
            "crampwise_convention",
        ),
        "fluid_ml_per_h": FLUID_SOURCES,
        "fluid_ml_per_h_max": ("sawka2007_acsm", "hew_butler2015_eah"),
        "sodium_mg_per_h": SODIUM_SOURCES,
        "expected_mass_loss_pct": ("sawka2007_acsm", "baker2017"),
        "schedule": SCHEDULE_SOURCES,
        "rehydration_ml": ("sawka2007_acsm",),
        "sweat_sodium_mmol_l": (sodium.source,),
        "warmup": tuple(routine_sources(warmup)),
        "cooldown": tuple(routine_sources(cooldown)),
    }
    if night:
        citations["night"] = tuple(routine_sources(night))
    plan = Plan(
        session=planned,
        body_mass_kg=mass_kg,
        sweat_rate=rate,
        sodium=sodium,
        fluid_ml_per_h=(low_ml, high_ml),
        fluid_ml_per_h_max=max_ml,
        sodium_mg_per_h=sodium_mg_h,
        sweat_sodium_loss_mg_per_h=sweat_sodium_mg_h,
        expected_mass_loss_pct=loss_pct,
        mass_loss_pct_at_high=loss_at_high_pct,
        drink_to_thirst=thirst,
        schedule=tuple(schedule),
        interval_min=interval,
        rehydration_ml=rehydration,
        targets=targets,
        warmup=warmup,
        cooldown=cooldown,
        night=night,
        checklist=(),
        units=athlete.units,
        citations=citations,
        measured_max_l_per_h=measured_max_l,
    )
    return replace(plan, checklist=checklist(plan))
