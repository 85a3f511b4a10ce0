"""A planned session from what the athlete typed (the web's plan form; the CLI's plan options).

`sport` by name, `duration` as `3h`, `1h30m` or a bare number of minutes (as `log session`),
`temperature` as `28`, `28C` or `82F`, `rpe` 0-10 and an optional start `date`
(`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, the athlete's local time). Every bad field is reported at
once, each under its name, with the accepted form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from crampwise.domain.errors import FieldError, InvalidInput
from crampwise.domain.units import parse_duration_s, parse_temperature_c
from crampwise.services.context import AppContext
from crampwise.services.planning import PlanResult, parse_sport, plan_session
from crampwise.services.products import carry_from_form


@dataclass(frozen=True)
class PlanRequest:
    sport: str
    duration_s: float
    temperature_c: float
    rpe: float | None
    when: date | datetime | None


def _when(text: str) -> date | datetime:
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput.single(
            "date", f"cannot read {text!r}; expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (e.g. 2026-06-07T08:00)"
        ) from None


def read_plan_request(raw: Mapping[str, str]) -> PlanRequest:
    """The planned session in the form's text; `InvalidInput` naming every bad field."""
    errors: list[FieldError] = []
    text = {k: str(v).strip() for k, v in raw.items() if v is not None}
    values: dict[str, object] = {}
    for name, example in (("sport", "run"), ("duration", "3h"), ("temperature", "28C")):
        if not text.get(name):
            errors.append(FieldError(name, f"required to plan a session, e.g. {example}"))
    readers = {
        "sport": lambda t: parse_sport(t).value,
        "duration": lambda t: parse_duration_s(t, field="duration", bare="m"),
        "temperature": lambda t: parse_temperature_c(t, field="temperature"),
        "date": _when,
    }
    for name, read in readers.items():
        if text.get(name):
            try:
                values[name] = read(text[name])
            except InvalidInput as exc:
                errors.extend(
                    FieldError(e.path, f"{e.message} (a bare number is minutes)") if name == "duration" else e
                    for e in exc.errors
                )
    if text.get("rpe"):
        try:
            rpe = float(text["rpe"])
            if not 0 <= rpe <= 10:
                raise ValueError
            values["rpe"] = rpe
        except ValueError:
            errors.append(FieldError("rpe", f"cannot read {text['rpe']!r}; expected a number from 0 to 10"))
    if errors:
        raise InvalidInput(errors)
    return PlanRequest(
        sport=str(values["sport"]),
        duration_s=float(values["duration"]),  # type: ignore[arg-type]
        temperature_c=float(values["temperature"]),  # type: ignore[arg-type]
        rpe=values.get("rpe"),  # type: ignore[arg-type]
        when=values.get("date"),  # type: ignore[arg-type]
    )


def plan_from_form(
    ctx: AppContext, *, athlete: str | None, raw: Mapping[str, str], now: datetime
) -> PlanResult:
    """Read the form and plan the session (`planning.plan_session`), with the products carried
    (`carry:NAME` fields, services/products.py)."""
    errors: list[FieldError] = []
    try:
        request = read_plan_request(raw)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    try:
        carry = carry_from_form(raw)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return plan_session(
        ctx,
        athlete=athlete,
        sport=request.sport,
        duration_s=request.duration_s,
        temperature_c=request.temperature_c,
        rpe=request.rpe,
        when=request.when,
        carry=carry,
        now=now,
    )
