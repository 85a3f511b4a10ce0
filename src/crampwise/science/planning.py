"""The prevention plan for one planned session: fluid, sodium, schedule, routines, checklist.

Over-drinking is the danger this plan guards against first: exercise-associated hyponatraemia
(EAH) kills, and drinking more than is sweated is its main cause (hew_butler2015_eah). The
numbers, and why (every one cites a source id of knowledge/sources.toml):

- Expected sweat rate: the athlete's sweat model at the planned temperature and intensity,
  its population prior scaled to the athlete's body mass (science/sweat_model.py; baker2016,
  barnes2019, baker2017).
- The fluid ceiling (`fluid_ml_per_h_max`, shown and enforced) is science/fluid_ceiling.py's:
  the lowest of the low end of a population estimate (or a personal estimate, its low end over
  4 h), 1.5 L/h (an EAH risk factor, not a safe limit; hew_butler2015_eah), the highest
  measured sweat rate, and with EAH risk factors (over 4 h, female, under 60 kg) the IMMDA
  400-800 mL/h (noakes2003_immda).
- The top of the range is the ceiling for a population estimate; a personal one may rise only
  as far as the 2 % goal needs. The low end is what keeps the expected loss under 2 % of body
  mass (sawka2007_acsm), never above the top.
- Short, cool, easy sessions: drinking to thirst is enough (kenefick2018), so the plan says so
  and gives no schedule.
- Sodium (weak evidence, EVIDENCE.md 3.5): over an hour, the sodium in the sweat the fluid
  replaces (fluid x sweat sodium; baker2017, baker2016 default 35.9 mmol/L): a partial
  replacement, never more than the sweat loses (acsm_sodium_convention); sodium does not
  protect against over-drinking (hoffman2015_sodium) and its role in cramps is contested
  (miller2015_rethinking).
- After the session the plan gives a rule, not a litre figure: weigh yourself, then 1.25-1.5 L
  per kg *measured* lost (sawka2007_acsm gives ~1.5 L/kg; 1.25 as the lower end is a crampwise
  convention), with salty food; without a weighing, drink to thirst. A predicted loss is never
  turned into litres to drink (science/hydration.py computes the figure from a measured loss).
- A drink every 15-20 minutes and the routines' minutes are crampwise conventions.

Pure: no I/O, no clock; `risk` is filled in by the service (science/plan_risk.py).
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
from crampwise.domain.records import Athlete
from crampwise.domain.units import MG_PER_MMOL_SODIUM
from crampwise.knowledge.routines import DEFAULT_TARGETS, Exercise, Phase, routine, routine_sources
from crampwise.science.fluid_ceiling import (
    CEILING_SOURCES as CEILING_SOURCES,
)
from crampwise.science.fluid_ceiling import (
    EAH_MAX_L_PER_H as EAH_MAX_L_PER_H,
)
from crampwise.science.fluid_ceiling import (
    IMMDA_CAP_L_PER_H as IMMDA_CAP_L_PER_H,
)
from crampwise.science.fluid_ceiling import (
    eah_risk_factors,
    fluid_ceiling,
)
from crampwise.science.hydration import SweatTest, sweat_tests
from crampwise.science.plan_checklist import Advice, checklist, describe_volume
from crampwise.science.sweat_model import (
    RatePrediction,
    SweatSodium,
    fit_sweat_model,
    sweat_sodium,
)

MAX_LOSS_FRACTION = 0.02  # sawka2007_acsm: prevent > 2 % body-mass loss
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
AFTER_SOURCES = ("sawka2007_acsm", "kenefick2018", "crampwise_convention")
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
    targets: tuple[Muscle, ...]
    warmup: tuple[Exercise, ...]
    cooldown: tuple[Exercise, ...]
    night: tuple[Exercise, ...]
    checklist: tuple[Advice, ...]
    units: UnitSystem = UnitSystem.METRIC
    citations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    measured_max_l_per_h: float | None = None
    """The highest usable measured sweat rate, when any test exists (the fluid ceiling's cap)."""
    ceiling_reason: str = "eah_limit"
    """Which rule set `fluid_ml_per_h_max` (a key of CEILING_SOURCES)."""
    eah_risk_factors: tuple[str, ...] = ()
    """The EAH risk factors of this athlete and session, in words (hew_butler2015_eah)."""
    after: Advice | None = None
    """What to drink after the session: a rule on the measured loss, never a predicted litre figure."""

    @property
    def rehydration_ml(self) -> None:
        """Always None: a litre figure comes only from a measured loss (science/hydration.py)."""
        return None

    @property
    def capped_by_measurement(self) -> bool:
        """True when the measured rate, not the model or the EAH limits, sets the ceiling."""
        return self.ceiling_reason == "measured"

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


def after_advice() -> Advice:
    """After the session: a rule on the measured loss; no litre figure from a prediction."""
    return Advice(
        "Afterwards: weigh yourself (after the toilet, minimal clothing). Replace 1.25-1.5 L per kg "
        "you lost, over the next hours and with salty food; never more. No scale? Drink to thirst "
        "with salty food, and weigh yourself next time. If you are heavier than before, drink "
        "nothing extra.",
        AFTER_SOURCES,
    )


PROFILE_NEEDED = ("body_mass_kg",)  # what a plan cannot be made without (the 2 % loss limit)


def missing_profile(athlete: Athlete) -> tuple[str, ...]:
    """The athlete's fields a plan needs and that are unknown (`body_mass_kg`), for the faces to
    ask for before planning rather than failing."""
    return tuple(name for name in PROFILE_NEEDED if getattr(athlete, name) is None)


def make_plan(history: History, planned: PlannedSession) -> Plan:
    """The plan for `planned`, from this athlete's history (`InvalidInput` on bad input)."""
    planned.validate()
    athlete = history.athlete
    if athlete.body_mass_kg is None:  # missing_profile(athlete) says so before planning
        raise InvalidInput.single(
            "body_mass_kg",
            "the athlete's body mass is unknown and the plan needs it (2 % loss limit); "
            "set it with: crampwise athlete set --body-mass 70kg",
        )
    mass_kg = float(athlete.body_mass_kg)
    hours = planned.duration_s / 3600.0
    tests = sweat_tests(history.sessions, athlete_max_hr=athlete.max_hr)
    model = fit_sweat_model(tests, sport=planned.sport, body_mass_kg=mass_kg)
    rate = model.predict(temperature_c=planned.temperature_c, rpe=planned.rpe)
    sodium = sweat_sodium(athlete.sweat_sodium_mmol_l)

    sweat_l = rate.estimate_l_per_h
    allowed_l = MAX_LOSS_FRACTION * mass_kg
    measured_max_l = measured_max_rate(tests)
    risk_factors = eah_risk_factors(athlete, planned.duration_s)
    ceiling = fluid_ceiling(rate, planned.duration_s, measured_max_l, risk_factors)
    need_l = max(0.0, sweat_l - allowed_l / hours)
    thirst = _thirst_is_enough(planned, hours, sweat_l * hours, allowed_l)
    # Low end: what keeps the loss under 2 % (rounded up). Top end: the ceiling for a population
    # estimate (already its low end); on a personal basis the low end of the predicted rate,
    # rising to the 2 % need when that is higher, never above the ceiling.
    max_ml = ceiling.ml_per_h
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

    targets = cramp_targets(history)
    warmup = tuple(routine(Phase.WARMUP, targets))
    cooldown = tuple(routine(Phase.COOLDOWN, targets))
    sleeps = any(c.context is CrampContext.SLEEP for c in history.cramps)
    night = (
        tuple(routine(Phase.NIGHT, DEFAULT_TARGETS)) if sleeps else ()
    )  # hallegraeff2012: calf + hamstring
    after = after_advice()
    citations: dict[str, tuple[str, ...]] = {
        "sweat_rate_l_per_h": tuple(
            dict.fromkeys(
                [*model.population.sources, "barnes2019", "baker2017", "gonzalez2009", "crampwise_convention"]
            )
        ),
        "fluid_ml_per_h": FLUID_SOURCES,
        "fluid_ml_per_h_max": ceiling.sources,
        "sodium_mg_per_h": SODIUM_SOURCES,
        "expected_mass_loss_pct": ("sawka2007_acsm", "baker2017"),
        "schedule": SCHEDULE_SOURCES,
        "after_session": after.sources,
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
        targets=targets,
        warmup=warmup,
        cooldown=cooldown,
        night=night,
        checklist=(),
        units=athlete.units,
        citations=citations,
        measured_max_l_per_h=measured_max_l,
        ceiling_reason=ceiling.reason,
        eah_risk_factors=risk_factors,
        after=after,
    )
    return replace(plan, checklist=checklist(plan))
