"""Planned sessions: what the reminders remind of (`crampwise planned`, `plan --save`, /planned).

A planned session is a start time, a sport, a duration, an expected temperature, an optional
effort and the products the athlete will carry. Its plan is made when it is asked for
(`plan_for_planned`), from the athlete's history at that moment, so a sweat test logged
after planning counts. Session mode and the calendar feed read the same plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.domain.planned import PlannedSessionRecord
from crampwise.domain.records import validate_record
from crampwise.domain.units import display_temperature, format_duration
from crampwise.science.planning import PlannedSession
from crampwise.services.context import AppContext
from crampwise.services.journal import get_athlete, resolve_athlete
from crampwise.services.plan_calendar import drink_texts
from crampwise.services.plan_input import NEEDS_TIME, plan_errors_named, read_plan_request
from crampwise.services.planning import PlanResult, parse_sport, plan_session
from crampwise.services.products import resolve_carry
from crampwise.storage import planned as store


def _start(when: date | datetime | None, zone: tzinfo) -> datetime:
    if not isinstance(when, datetime):
        raise InvalidInput.single("date", NEEDS_TIME)
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


def add_planned(
    ctx: AppContext,
    *,
    athlete: str | None,
    sport: str,
    duration_s: float,
    temperature_c: float,
    rpe: float | None,
    when: date | datetime | None,
    carry: Mapping[str, int] | None = None,
) -> PlannedSessionRecord:
    """Store a planned session (`InvalidInput` naming a bad field; nothing stored then)."""
    planned_sport = parse_sport(sport)
    PlannedSession(planned_sport, float(duration_s), float(temperature_c), rpe).validate()
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        start = _start(when, who.zone)
        carried = resolve_carry(conn, pk, carry or {})
        record = validate_record(
            PlannedSessionRecord,
            {
                "id": store.next_planned_id(conn=conn, athlete_pk=pk),
                "start": start,
                "sport": planned_sport,
                "duration_s": duration_s,
                "temperature_c": temperature_c,
                "rpe": rpe,
                "carry": {c.product.name: c.units for c in carried},
            },
        )
        store.insert_planned(conn=conn, athlete_pk=pk, planned=record)
    return record


def add_planned_from_text(
    ctx: AppContext,
    *,
    athlete: str | None,
    raw: Mapping[str, Any],
    names: Mapping[str, str] | None = None,
    carry_texts: Sequence[str] = (),
) -> PlannedSessionRecord:
    """The typed plan (`/planned`'s and `/plan`'s form fields, or `crampwise plan --save`'s
    options: `services.plan_input`, in the athlete's units), stored as a planned session."""
    units = get_athlete(ctx, athlete=athlete).units
    request = read_plan_request(raw, units=units, names=names, carry_texts=carry_texts, needs_time=True)
    try:
        return add_planned(
            ctx,
            athlete=athlete,
            sport=request.sport,
            duration_s=request.duration_s,
            temperature_c=request.temperature_c,
            rpe=request.rpe,
            when=request.when,
            carry=request.carry,
        )
    except InvalidInput as exc:
        raise plan_errors_named(exc, names) from None


def list_planned(
    ctx: AppContext, *, athlete: str | None, now: datetime, include_past: bool = False
) -> list[PlannedSessionRecord]:
    """The athlete's planned sessions in start order: those not over yet, or all of them."""
    with ctx.read() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        everything = store.list_planned(conn=conn, athlete_pk=pk)
    if include_past:
        return everything
    return [p for p in everything if p.start + timedelta(seconds=p.duration_s) > now]


def get_planned(ctx: AppContext, *, athlete: str | None, planned_id: str) -> PlannedSessionRecord:
    with ctx.read() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        found = store.get_planned(conn=conn, athlete_pk=pk, planned_id=planned_id)
    if found is None:
        raise NotFound(f"planned session: no planned session {planned_id!r}; see crampwise planned list")
    return found


def remove_planned(ctx: AppContext, *, athlete: str | None, planned_id: str) -> None:
    with ctx.begin() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        if not store.delete_planned(conn=conn, athlete_pk=pk, planned_id=planned_id):
            raise NotFound(f"planned session: no planned session {planned_id!r}; see crampwise planned list")


def plan_for_planned(
    ctx: AppContext, *, athlete: str | None, planned: PlannedSessionRecord, zone: tzinfo, now: datetime
) -> PlanResult:
    """The plan of a planned session, with its carried products, in the athlete's zone."""
    return plan_session(
        ctx,
        athlete=athlete,
        sport=planned.sport.value,
        duration_s=planned.duration_s,
        temperature_c=planned.temperature_c,
        rpe=planned.rpe,
        when=planned.start.astimezone(zone),
        carry=planned.carry or None,
        now=now,
    )


def planned_title(planned: PlannedSessionRecord, units: UnitSystem) -> str:
    """`Run, 3h at 28 °C` in the athlete's units (the display form, as the web's pages show)."""
    sport = planned.sport.value.replace("_", " ").capitalize()
    return f"{sport}, {format_duration(planned.duration_s)} at {display_temperature(planned.temperature_c, units)}"


@dataclass(frozen=True)
class SessionMode:
    """What session mode needs: the planned session, its plan (or why there is none)."""

    planned: PlannedSessionRecord
    title: str
    start: datetime
    result: PlanResult | None
    problem: str | None

    def drinks(self) -> list[dict[str, Any]]:
        if self.result is None:
            return []
        texts = drink_texts(self.result)
        return [
            {"at_min": d.at_min, "at": d.moment(self.start).isoformat(), "text": texts[d.at_min]}
            for d in self.result.plan.schedule
        ]

    def as_json(self) -> dict[str, Any]:
        """The schedule the session page keeps on the phone (localStorage) for offline use."""
        plan = None if self.result is None else self.result.plan
        return {
            "id": self.planned.id,
            "title": self.title,
            "start": self.start.isoformat(),
            "duration_s": self.planned.duration_s,
            "drink_to_thirst": bool(plan and plan.drink_to_thirst),
            "interval_min": plan.interval_min if plan else None,
            "fluid_ml_per_h_max": None if plan is None else round(plan.fluid_ml_per_h_max),
            "drinks": self.drinks(),
            "problem": self.problem,
        }


def session_mode(ctx: AppContext, *, athlete: str | None, planned_id: str, now: datetime) -> SessionMode:
    """The planned session and its plan for session mode (`NotFound` for another athlete's)."""
    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        planned = store.get_planned(conn=conn, athlete_pk=pk, planned_id=planned_id)
    if planned is None:
        raise NotFound(f"planned session: no planned session {planned_id!r}; see /planned")
    start = planned.start.astimezone(who.zone)
    try:
        result: PlanResult | None = plan_for_planned(
            ctx, athlete=who.name, planned=planned, zone=who.zone, now=now
        )
        problem = None
    except InvalidInput as exc:
        result, problem = None, str(exc)
    return SessionMode(planned, planned_title(planned, who.units), start, result, problem)
