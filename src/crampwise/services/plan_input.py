"""A planned session from what the athlete typed: the web's plan form and the CLI's plan options.

One reader for both faces: `sport` by name, `duration` as `3h`, `1h30m` or a bare number of
minutes (as `log session`), `temperature` as `28C` or `82F` with a bare number in the athlete's
units (and the `did you mean 82F?` hint of `services.field_input`), `rpe` 0-10 and an optional
start `date` (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, the athlete's local time), and the products
carried: the form's `carry:NAME` number fields and the CLI's `--carry gel=3` texts
(`services.products`). Every bad field is reported at once, each under its name: the form's
field, or the CLI's flag when the caller passes `names` (`{"duration": "--duration"}`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import FieldError, InvalidInput
from crampwise.science.planning import missing_profile
from crampwise.services.context import AppContext
from crampwise.services.field_input import duration_s, number, temperature_c
from crampwise.services.journal import get_athlete
from crampwise.services.planning import PlanResult, parse_sport, plan_session
from crampwise.services.products import carry_from_form, parse_carry

FIELDS: Final = ("sport", "duration", "temperature", "rpe", "date")
CARRY: Final = "carry"
REQUIRED: Final = {"sport": "run", "duration": "3h", "temperature": "28C"}
BARE_DURATION_NOTE: Final = "a bare number is minutes, as in log session"
NEEDS_TIME: Final = "a planned session needs its start time, e.g. 2026-06-07T08:00"


@dataclass(frozen=True)
class PlanRequest:
    sport: str
    duration_s: float
    temperature_c: float
    rpe: float | None
    when: date | datetime | None
    carry: Mapping[str, int] = dataclasses.field(default_factory=dict)
    """The athlete's products carried, name -> units (checked against them by the plan)."""


def _when(text: str, name: str) -> date | datetime:
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput.single(
            name, f"cannot read {text!r}; expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (e.g. 2026-06-07T08:00)"
        ) from None


def _rpe(text: str, name: str) -> float:
    value = number(text, name)
    if not 0 <= value <= 10:
        raise InvalidInput.single(name, f"{text} is outside the CR-10 scale; expected a number from 0 to 10")
    return value


def _duration(text: str, name: str) -> float:
    try:
        return duration_s(text, name, bare="m")
    except InvalidInput as exc:
        raise InvalidInput(
            [FieldError(e.path, f"{e.message} ({BARE_DURATION_NOTE})") for e in exc.errors]
        ) from None


def read_plan_request(
    raw: Mapping[str, Any],
    *,
    units: UnitSystem = UnitSystem.METRIC,
    names: Mapping[str, str] | None = None,
    carry_texts: Sequence[str] = (),
    needs_time: bool = False,
) -> PlanRequest:
    """The planned session in the typed text; `InvalidInput` naming every bad field.

    `carry_texts` are `NAME=UNITS` texts (the CLI's `--carry`), added to the form's `carry:NAME`
    fields of `raw`; `needs_time` refuses a start without a time (a planned session to keep).
    """
    named = {field: (names or {}).get(field, field) for field in (*FIELDS, CARRY)}
    text = {k: str(v).strip() for k, v in raw.items() if v is not None}
    errors: list[FieldError] = []
    for field, example in REQUIRED.items():
        if not text.get(field):
            shown = f"{named[field]} {example}" if named[field].startswith("--") else example
            errors.append(FieldError(named[field], f"required to plan a session, e.g. {shown}"))
    readers = {
        "sport": lambda t, n: parse_sport(t).value,
        "duration": _duration,
        "temperature": lambda t, n: temperature_c(t, n, units=units),
        "rpe": _rpe,
        "date": _when,
    }
    values: dict[str, Any] = {}
    for field, read in readers.items():
        if text.get(field):
            try:
                values[field] = read(text[field], named[field])
            except InvalidInput as exc:
                errors.extend(FieldError(named[field], e.message) for e in exc.errors)
    carry: dict[str, int] = {}
    try:
        for name, units_carried in (
            *carry_from_form(raw).items(),
            *parse_carry(carry_texts, name=named[CARRY]).items(),
        ):
            carry[name] = carry.get(name, 0) + units_carried
    except InvalidInput as exc:
        errors.extend(FieldError(named[CARRY], e.message) for e in exc.errors)
    date_refused = bool(text.get("date")) and "date" not in values  # reported above
    if needs_time and not date_refused and not isinstance(values.get("date"), datetime):
        errors.append(FieldError(named["date"], NEEDS_TIME))
    if errors:
        raise InvalidInput(errors)
    return PlanRequest(
        sport=str(values["sport"]),
        duration_s=float(values["duration"]),
        temperature_c=float(values["temperature"]),
        rpe=values.get("rpe"),
        when=values.get("date"),
        carry=carry,
    )


def plan_from_text(
    ctx: AppContext,
    *,
    athlete: str | None,
    raw: Mapping[str, Any],
    now: datetime,
    names: Mapping[str, str] | None = None,
    carry_texts: Sequence[str] = (),
    needs_time: bool = False,
) -> PlanResult:
    """Read the typed plan in the athlete's units and plan the session (`planning.plan_session`),
    with the products carried (see `read_plan_request`).

    Errors of the plan itself (a duration over 48 h, an unknown body mass or product) carry the
    same names.
    """
    units = get_athlete(ctx, athlete=athlete).units
    request = read_plan_request(raw, units=units, names=names, carry_texts=carry_texts, needs_time=needs_time)
    try:
        return plan_session(
            ctx,
            athlete=athlete,
            sport=request.sport,
            duration_s=request.duration_s,
            temperature_c=request.temperature_c,
            rpe=request.rpe,
            when=request.when,
            carry=request.carry or None,
            now=now,
        )
    except InvalidInput as exc:
        raise plan_errors_named(exc, names) from None


def plan_errors_named(exc: InvalidInput, names: Mapping[str, str] | None) -> InvalidInput:
    """Errors of a typed plan (a duration over 48 h, an unknown product) under the names the
    athlete typed them by (a form's field, a CLI flag), a duration's with how it was read."""
    renamed = {field: (names or {}).get(field, field) for field in (*FIELDS, CARRY)}
    return InvalidInput(
        [
            FieldError(
                renamed.get(e.path, e.path),
                f"{e.message} ({BARE_DURATION_NOTE})" if e.path == "duration" else e.message,
            )
            for e in exc.errors
        ]
    )


@dataclass(frozen=True)
class PlanPage:
    """The plan page: the plan of the typed session (None before one is typed, or while the
    athlete lacks what a plan needs: `missing`), and the units a bare number is read in."""

    result: PlanResult | None
    missing: tuple[str, ...]
    units: UnitSystem


def plan_page(ctx: AppContext, *, athlete: str | None, raw: Mapping[str, Any], now: datetime) -> PlanPage:
    """What `/plan` shows for the typed fields (`InvalidInput` names each bad one)."""
    who = get_athlete(ctx, athlete=athlete)
    missing = missing_profile(who)
    if missing or not any(str(raw.get(name) or "").strip() for name in FIELDS):
        return PlanPage(None, missing, who.units)
    return PlanPage(plan_from_text(ctx, athlete=athlete, raw=raw, now=now), (), who.units)
