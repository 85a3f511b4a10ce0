"""Planning use-cases: the plan for a planned session, the sweat tests, and their exports.

Faces call `plan_session` and `sweat_report` and render the documents of CONTRACTS.md
section 5 (`plan`, `sweat`); the drinking schedule is exported with `schedule_csv` here and
`plan_calendar.schedule_ics` (one iCalendar event per drink, relative to the planned start).
With `carry` (product name -> units), the gels and drinks the athlete will carry are counted
into the plan (science/race_food.py), so their sodium and fluid are not asked for twice.

`risk` comes from the personal trigger model (science/risk.py), but only with 10 or more logged
cramps; below that science/plan_risk.py withholds the probability and says why (with a cited
population band where one exists). `_risk_of` is the one place the model plugs in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crampwise.domain.enums import Sport, UnitSystem, choices
from crampwise.domain.errors import InvalidInput
from crampwise.domain.history import History
from crampwise.domain.records import Session
from crampwise.science.hydration import FLAG_TEXT, TEST_SOURCES, SweatTest, sweat_tests
from crampwise.science.plan_risk import plan_risk
from crampwise.science.planning import Drink, Plan, PlannedSession, make_plan
from crampwise.science.race_food import Carried, FuelPlan, fuel_plan
from crampwise.science.risk import RiskModel, past_of, session_risk
from crampwise.science.sweat_model import SweatModel, fit_sweat_model
from crampwise.services.analysis_cache import memoised
from crampwise.services.context import AppContext
from crampwise.services.journal import load_history, update_session
from crampwise.services.products import carried_products

DRINK_EVENT_MIN = 2  # length of a drink reminder in a calendar


def parse_sport(value: str) -> Sport:
    """A `Sport` from its name; `InvalidInput` listing the accepted ones."""
    try:
        return Sport(value.strip().lower())
    except ValueError:
        raise InvalidInput.single("sport", f"unknown sport {value!r}; expected {choices(Sport)}") from None


def _start_of(when: date | datetime | None, history: History) -> datetime | None:
    """An aware start: naive times are read in the athlete's zone; a bare date has no time."""
    if when is None or not isinstance(when, datetime):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=history.athlete.zone)


def _risk_of(history: History, planned: PlannedSession, now: datetime) -> dict[str, object]:
    """The personal trigger model's `risk` for this session (science/risk.py), with its sources.

    The planned session enters as a Session starting at the planned time (or now); the factors
    the plan cannot know (weighing, sodium, warm-up) count at the athlete's usual share there.
    """
    as_session = Session(
        start=planned.start or now,
        sport=planned.sport,
        duration_s=planned.duration_s,
        temperature_c=planned.temperature_c,
        rpe=planned.rpe,
    )
    past = past_of(history, now)  # the model is fitted once per change of these records
    fitted = memoised("session_risk", past, None, lambda: RiskModel.fit(past))
    risk = session_risk(history, as_session, now, model=fitted)
    model = {**risk.to_json(), "basis": risk.basis, "sources": list(risk.sources)}
    n_logged = sum(1 for c in history.cramps if c.at <= now)
    return plan_risk(model, n_logged_cramps=n_logged, sport=planned.sport, duration_s=planned.duration_s)


@dataclass(frozen=True)
class RiskStatement:
    """The plan's cramp risk in words, the same in the terminal and on a page.

    `percent` is set only when the personal model may speak (10 or more logged cramps); else
    `why` says why not, with the population band of that kind of event where one exists.
    """

    level: str | None  # low | elevated | high, or None (no estimate)
    percent: int | None
    basis: str  # "from your history", "from population values", or ""
    why: str
    drivers: tuple[str, ...]  # factor names, e.g. long_session
    sources: tuple[str, ...]

    @property
    def headline(self) -> str:
        """`low (about 6 %) from your history`, `treat it as elevated`, or `no estimate`."""
        if self.percent is not None:
            return f"{self.level} (about {self.percent} %) {self.basis}".strip()
        return f"treat it as {self.level}" if self.level else "no estimate"

    @property
    def driver_words(self) -> str:
        return ", ".join(d.replace("_", " ") for d in self.drivers)


def risk_statement(risk: Mapping[str, object] | None) -> RiskStatement | None:
    """The `risk` document of a plan (CONTRACTS.md section 5) as a `RiskStatement`."""
    if risk is None:
        return None
    drivers = risk.get("drivers")
    sources = risk.get("sources")
    probability = risk.get("probability")
    level = risk.get("level")
    shown = isinstance(probability, int | float)
    return RiskStatement(
        level=str(level) if level else None,
        percent=round(float(probability) * 100) if isinstance(probability, int | float) else None,
        basis=("from population values" if risk.get("basis") == "population" else "from your history")
        if shown
        else "",
        why="" if shown else str(risk.get("why") or ""),
        drivers=tuple(str(d) for d in drivers) if isinstance(drivers, list) else (),
        sources=tuple(str(x) for x in sources) if isinstance(sources, list) else (),
    )


@dataclass(frozen=True)
class PlanResult:
    """A plan with the athlete's units and the trigger model's risk (or None)."""

    plan: Plan
    risk: dict[str, object] | None
    athlete: str
    day: date | None
    fuel: FuelPlan | None = None
    """The carried gels and drinks counted into the plan (None when none are carried)."""

    @property
    def units(self) -> UnitSystem:
        return self.plan.units

    @property
    def risk_words(self) -> RiskStatement | None:
        return risk_statement(self.risk)

    def _risk_sources(self) -> list[str]:
        sources = (self.risk or {}).get("sources")
        return [str(x) for x in sources] if isinstance(sources, list) else []

    def as_json(self) -> dict[str, Any]:
        """`crampwise plan --json` (CONTRACTS.md section 5) plus the schedule and its sources."""
        p = self.plan
        return {
            "athlete": self.athlete,
            "session": {**p.session.as_json(), "date": None if self.day is None else self.day.isoformat()},
            "body_mass_kg": p.body_mass_kg,
            "sweat_rate_l_per_h": p.sweat_rate.as_json(),
            "fluid_ml_per_h": [round(p.fluid_ml_per_h[0]), round(p.fluid_ml_per_h[1])],
            "fluid_ml_per_h_max": round(p.fluid_ml_per_h_max),
            "sodium_mg_per_h": [round(p.sodium_mg_per_h[0]), round(p.sodium_mg_per_h[1])],
            "sweat_sodium_mmol_l": p.sodium.as_json(),
            "sweat_sodium_loss_mg_per_h": round(p.sweat_sodium_loss_mg_per_h),
            "expected_mass_loss_pct": round(p.expected_mass_loss_pct, 1),
            "drink_to_thirst": p.drink_to_thirst,
            "interval_min": p.interval_min,
            "schedule": [self._drink_json(d) for d in p.schedule],
            "fluid_ceiling": {
                "ml_per_h": round(p.fluid_ml_per_h_max),
                "reason": p.ceiling_reason,
                "eah_risk_factors": list(p.eah_risk_factors),
                "sources": list(p.citations["fluid_ml_per_h_max"]),
            },
            "rehydration_ml": None,
            "after_session": None
            if p.after is None
            else {"text": p.after.text, "sources": list(p.after.sources)},
            "risk": self.risk,
            "targets": [m.value for m in p.targets],
            "warmup": [e.as_json() for e in p.warmup],
            "cooldown": [e.as_json() for e in p.cooldown],
            "night": [e.as_json() for e in p.night],
            "checklist": [a.text for a in p.checklist],
            "checklist_sources": [list(a.sources) for a in p.checklist],
            "citations": {k: list(v) for k, v in p.citations.items()},
            "sources": [*p.sources, *(x for x in self._risk_sources() if x not in p.sources)],
            **({} if self.fuel is None else {"products": self.fuel.as_json()}),
        }

    def _drink_json(self, drink: Drink) -> dict[str, Any]:
        """One drink of the schedule; with carried products, what they bring to it."""
        doc = drink.as_json(self.plan.session.start, self.plan.units)
        slot = None if self.fuel is None else self.fuel.slot_at(drink.at_min)
        return doc if slot is None else {**doc, **slot.as_json(), "with_products": slot.text(self.plan.units)}


def plan_session(
    ctx: AppContext,
    *,
    athlete: str | None,
    sport: str,
    duration_s: float,
    temperature_c: float,
    rpe: float | None = None,
    when: date | datetime | None = None,
    carry: Mapping[str, int] | None = None,
    now: datetime,
) -> PlanResult:
    """The plan for a planned session of this athlete (`InvalidInput` names a bad field).

    `carry` names the athlete's products they will carry, with units of each (an unknown
    product is `InvalidInput` on `carry`).
    """
    planned_sport = parse_sport(sport)
    history = load_history(ctx, athlete=athlete)
    carried: list[Carried] = carried_products(ctx, athlete=athlete, carry=carry) if carry else []
    return plan_for_history(
        history,
        sport=planned_sport,
        duration_s=duration_s,
        temperature_c=temperature_c,
        rpe=rpe,
        when=when,
        carried=carried,
        now=now,
    )


def plan_for_history(
    history: History,
    *,
    sport: Sport,
    duration_s: float,
    temperature_c: float,
    rpe: float | None,
    when: date | datetime | None,
    carried: Sequence[Carried] = (),
    now: datetime,
    with_risk: bool = True,
) -> PlanResult:
    """`plan_session` on a journal already loaded: the squad plan loads each athlete's journal
    once; the calendar feed plans several sessions from one load and leaves the cramp risk out
    (`risk` is then None)."""
    start = _start_of(when, history)
    planned = PlannedSession(sport, float(duration_s), float(temperature_c), rpe, start)
    plan = make_plan(history, planned)
    day = start.date() if start is not None else (when if isinstance(when, date) else None)
    return PlanResult(
        plan=plan,
        risk=_risk_of(history.judged(), planned, now) if with_risk else None,
        athlete=history.athlete.name,
        day=day,
        fuel=fuel_plan(plan, carried) if carried else None,
    )


@dataclass(frozen=True)
class SweatReport:
    """The athlete's sweat tests and model (`crampwise sweat`)."""

    athlete: str
    units: UnitSystem
    tests: tuple[SweatTest, ...]
    model: SweatModel

    def as_json(self) -> dict[str, Any]:
        """`crampwise sweat --json`: `{"tests": [...], "model": {...}}` (CONTRACTS.md section 5)."""
        return {
            "athlete": self.athlete,
            "tests": [{**t.as_json(), "flag_text": [FLAG_TEXT[f] for f in t.flags]} for t in self.tests],
            "model": self.model.as_json(),
            "sources": list(TEST_SOURCES),
        }


def sweat_report(ctx: AppContext, *, athlete: str | None) -> SweatReport:
    """Every sweat test of the athlete with the personal model fitted to the usable ones."""
    history = load_history(ctx, athlete=athlete)
    tests = tuple(sweat_tests(history.sessions, athlete_max_hr=history.athlete.max_hr))
    return SweatReport(
        athlete=history.athlete.name,
        units=history.athlete.units,
        tests=tests,
        model=fit_sweat_model(tests, body_mass_kg=history.athlete.body_mass_kg),
    )


def record_plan_followed(
    ctx: AppContext, *, athlete: str | None, session_id: str, followed: bool, now: datetime
) -> None:
    """Close the loop: mark whether the plan was followed in that session (insights compare)."""
    update_session(ctx, athlete=athlete, session_id=session_id, changes={"plan_followed": followed}, now=now)


CSV_COLUMNS = ("at_min", "at", "drink", "fluid_ml_low", "fluid_ml_high", "sodium_mg_low", "sodium_mg_high")


def schedule_csv(result: PlanResult) -> str:
    """The drinking schedule as CSV: one row per drink, metric numbers plus the athlete's text."""
    plan = result.plan
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for drink in plan.schedule:
        doc: Mapping[str, Any] = drink.as_json(plan.session.start, plan.units)
        writer.writerow(
            [
                drink.at_min,
                doc["at"] or "",
                doc["text"],
                round(drink.fluid_ml[0]),
                round(drink.fluid_ml[1]),
                round(drink.sodium_mg[0]),
                round(drink.sodium_mg[1]),
            ]
        )
    return out.getvalue()
