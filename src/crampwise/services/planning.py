"""Planning use-cases: the plan for a planned session, the sweat tests, and their exports.

Faces call `plan_session` and `sweat_report` and render the documents of CONTRACTS.md
section 5 (`plan`, `sweat`); the drinking schedule is exported with `schedule_ics` (one
iCalendar event per drink, relative to the planned start) and `schedule_csv`.

`risk` comes from the personal trigger model (science/risk.py), but only with 10 or more logged
cramps; below that science/plan_risk.py withholds the probability and says why (with a cited
population band where one exists). `_risk_of` is the one place the model plugs in.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from crampwise.domain.enums import Sport, UnitSystem, choices
from crampwise.domain.errors import InvalidInput
from crampwise.domain.history import History
from crampwise.domain.records import Session
from crampwise.domain.units import format_volume
from crampwise.science.hydration import FLAG_TEXT, TEST_SOURCES, SweatTest, sweat_tests
from crampwise.science.plan_risk import plan_risk
from crampwise.science.planning import Plan, PlannedSession, make_plan
from crampwise.science.risk import RiskModel, past_of, session_risk
from crampwise.science.sweat_model import SweatModel, fit_sweat_model
from crampwise.services.analysis_cache import memoised
from crampwise.services.context import AppContext
from crampwise.services.journal import load_history, update_session

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
            "schedule": [d.as_json(p.session.start, p.units) for d in p.schedule],
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
        }


def plan_session(
    ctx: AppContext,
    *,
    athlete: str | None,
    sport: str,
    duration_s: float,
    temperature_c: float,
    rpe: float | None = None,
    when: date | datetime | None = None,
    now: datetime,
) -> PlanResult:
    """The plan for a planned session of this athlete (`InvalidInput` names a bad field)."""
    planned_sport = parse_sport(sport)
    history = load_history(ctx, athlete=athlete)
    return plan_for_history(
        history,
        sport=planned_sport,
        duration_s=duration_s,
        temperature_c=temperature_c,
        rpe=rpe,
        when=when,
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
    now: datetime,
) -> PlanResult:
    """The plan for a loaded journal (the squad plan loads each athlete's journal once)."""
    planned_sport = sport
    start = _start_of(when, history)
    planned = PlannedSession(planned_sport, float(duration_s), float(temperature_c), rpe, start)
    plan = make_plan(history, planned)
    day = start.date() if start is not None else (when if isinstance(when, date) else None)
    return PlanResult(
        plan=plan, risk=_risk_of(history.judged(), planned, now), athlete=history.athlete.name, day=day
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


def _need_start(result: PlanResult, what: str) -> datetime:
    start = result.plan.session.start
    if start is None:
        raise InvalidInput.single(
            "date", f"{what} needs the planned start with a time, e.g. --date 2026-06-07T08:00"
        )
    return start


def _drink_summary(fluid_text: str, sodium_mg: tuple[float, float]) -> str:
    sodium = f" with {round(sodium_mg[0])}-{round(sodium_mg[1])} mg sodium" if sodium_mg[1] > 0 else ""
    return f"Drink {fluid_text}{sodium}"


def schedule_ics(result: PlanResult, *, now: datetime) -> bytes:
    """An iCalendar file: one short event per drink, at the planned start + its minute.

    Times are local (`TZID=` the athlete's zone) with the zone's VTIMEZONE, as RFC 5545
    requires; where icalendar cannot describe the zone they are written in UTC instead.
    Minutes are counted in elapsed time, so a drink across a daylight-saving change is still
    at the right moment. DTSTAMP is in UTC (RFC 5545 section 3.8.7.2).
    """
    start = _need_start(result, "the calendar export")
    cal = _drink_calendar(result, start, start.tzinfo, now=now)
    if not _add_vtimezones(cal, start, result.plan.schedule[-1].at_min if result.plan.schedule else 0):
        cal = _drink_calendar(result, start, UTC, now=now)
    return bytes(cal.to_ical())


def plan_key(result: PlanResult, start: datetime) -> str:
    """A short id of one planned session: the athlete, the sport, the start (UTC) and the duration.

    Its drink events share it in their UIDs, so exporting the same plan again (a new temperature,
    say) updates its events in a calendar, and two plans never overwrite each other's.
    """
    plan = result.plan
    text = (
        f"{result.athlete}|{plan.session.sport.value}|{start.astimezone(UTC).isoformat()}|"
        f"{round(plan.session.duration_s)}"
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _drink_calendar(result: PlanResult, start: datetime, zone: tzinfo | None, *, now: datetime) -> Any:
    from icalendar import Alarm, Calendar, Event

    plan = result.plan
    cal = Calendar()
    cal.add("prodid", "-//crampwise//hydration plan//EN")
    cal.add("version", "2.0")
    stamp = now.astimezone(UTC)
    key = plan_key(result, start)
    for drink in plan.schedule:
        at = (start.astimezone(UTC) + timedelta(minutes=drink.at_min)).astimezone(zone)
        summary = _drink_summary(drink.text(plan.units), drink.sodium_mg)
        event = Event()
        event.add("uid", f"crampwise-plan-{key}-drink-{drink.at_min}@crampwise")
        event.add("dtstamp", stamp)
        event.add("dtstart", at)
        event.add("dtend", at + timedelta(minutes=DRINK_EVENT_MIN))
        event.add("summary", summary)
        event.add(
            "description",
            f"{plan.session.sport.value}, minute {drink.at_min}: never more than "
            f"{format_volume(plan.fluid_ml_per_h_max, plan.units)} per hour "
            "(sawka2007_acsm, hew_butler2015_eah).",
        )
        alarm = Alarm()  # the phone or watch buzzes at each drink (RFC 5545 section 3.6.6)
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    return cal


def _add_vtimezones(cal: Any, start: datetime, last_min: int) -> bool:
    """Add the VTIMEZONE of every TZID used; False when one cannot be described."""
    if not hasattr(cal, "add_missing_timezones"):  # icalendar < 6.1
        return not _uses_tzid(cal)
    end = start + timedelta(minutes=last_min + DRINK_EVENT_MIN)
    cal.add_missing_timezones(
        first_date=start.date() - timedelta(days=1), last_date=end.date() + timedelta(days=2)
    )
    return not cal.get_missing_tzids()


def _uses_tzid(cal: Any) -> bool:
    return b"TZID=" in bytes(cal.to_ical())


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
