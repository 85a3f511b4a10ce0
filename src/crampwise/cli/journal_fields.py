"""The journal's command-line flags, declared once and used by `log`, `edit` and `athlete`.

Each `Flag` names a bundle field, the option that sets it and the parser that turns what the
user typed into the field's canonical value (units through `domain.units`). Commands are
built from these declarations, so `log session` and `edit session` accept the same flags.
Parse errors name the flag and the accepted form; every bad flag of a command is reported
on one line.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer

from crampwise.domain import units
from crampwise.domain.enums import (
    CrampContext,
    MedicationKind,
    Muscle,
    Relief,
    Sex,
    Side,
    Sport,
    Symptom,
    UnitSystem,
    choices,
)
from crampwise.domain.errors import FieldError, InvalidInput

Parser = Callable[[Any, str], Any]  # (raw value, flag) -> field value


def _bad(flag: str, message: str) -> InvalidInput:
    return InvalidInput.single(flag, message)


def number(raw: str, flag: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise _bad(flag, f"cannot read {raw!r}; expected a number") from None


def integer(raw: str, flag: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise _bad(flag, f"cannot read {raw!r}; expected a whole number") from None


def text(raw: str, flag: str) -> str:
    return raw


def yes_no(raw: str, flag: str) -> bool:
    value = raw.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise _bad(flag, f"cannot read {raw!r}; expected yes or no")


def day(raw: str, flag: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise _bad(flag, f"cannot read {raw!r}; expected a date as YYYY-MM-DD") from None


def moment(raw: str, flag: str) -> datetime:
    """An ISO 8601 time; without an offset it is read later in the athlete's time zone."""
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        raise _bad(
            flag, f"cannot read {raw!r}; expected e.g. 2026-05-01T08:55 or 2026-05-01T08:55:00+02:00"
        ) from None


def one_of(enum: type[StrEnum]) -> Parser:
    def parse(raw: str, flag: str) -> str:
        value = raw.strip().lower().replace("-", "_")
        if value not in {m.value for m in enum}:
            raise _bad(flag, f"unknown value {raw!r}; expected {choices(enum)}")
        return value

    return parse


def many_of(enum: type[StrEnum]) -> Parser:
    """Repeatable and comma-separated: `--relief stretch,massage --relief walk`."""
    single = one_of(enum)

    def parse(raws: Sequence[str], flag: str) -> list[str]:
        return [single(part, flag) for raw in raws for part in raw.split(",") if part.strip()]

    return parse


def with_units(parse_unit: Callable[..., float], **kwargs: Any) -> Parser:
    def parse(raw: str, flag: str) -> float:
        return parse_unit(raw, field=flag, **kwargs)

    return parse


def minutes(raw: str, flag: str) -> float:
    """`10m`, `1h`, or a bare number of minutes (warm-up, cool-down)."""
    return units.parse_duration_s(raw, field=flag, bare="m") / 60.0


def hours(raw: str, flag: str) -> float:
    return units.parse_hours(raw, field=flag)


def day_fluid(raw: str, flag: str) -> float:
    """A day's fluid with its unit (`2.5l`, `2500ml`, `80oz`): a bare `2.5` is refused.

    A bare number is ml elsewhere (a session's `--fluid 750`), but a day's total is as often
    said in litres, so `--fluid 2.5` would silently store 2.5 ml.
    """
    try:
        float(raw.strip())
    except ValueError:
        return units.parse_volume_ml(raw, field=flag)
    raise _bad(flag, f"{raw!r} has no unit; give one, e.g. 2.5l or 2500ml")


def metres(raw: str, flag: str) -> float:
    """`450m`, `1.2km`; a bare number is metres (elevation gain)."""
    stripped = raw.strip()
    return (
        number(stripped, flag)
        if stripped.replace(".", "", 1).isdigit()
        else units.parse_distance_m(stripped, field=flag)
    )


@dataclass(frozen=True)
class Flag:
    """One option of a journal command and the bundle field it sets."""

    option: str  # "--pre-mass"
    field: str  # "pre_mass_kg"
    parse: Parser
    help: str
    metavar: str = "VALUE"
    multiple: bool = False
    required: bool = False

    @property
    def param_name(self) -> str:
        return self.field

    def parameter(self) -> inspect.Parameter:
        kind = list[str] | None if self.multiple else str | None
        option = typer.Option(self.option, help=self.help, metavar=self.metavar, show_default=False)
        return inspect.Parameter(
            self.param_name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[kind, option]
        )


def parse_flags(flags: Sequence[Flag], raw: dict[str, Any], *, check_required: bool) -> dict[str, Any]:
    """The fields set on the command line, parsed; every bad or missing flag in one error."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for flag in flags:
        given = raw.get(flag.param_name)
        if given is None or (flag.multiple and not given):
            if check_required and flag.required:
                errors.append(FieldError(flag.option, f"required ({flag.help.rstrip('.')})"))
            continue
        try:
            values[flag.field] = flag.parse(given, flag.option)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return values


def build_command(
    flags: Sequence[Flag],
    run: Callable[[typer.Context, dict[str, Any], dict[str, Any]], None],
    *,
    extra: Sequence[inspect.Parameter] = (),
    doc: str,
) -> Callable[..., None]:
    """A Typer command whose options are `flags` plus `extra`; `run(ctx, flag_values, extras)`."""
    extra_names = {p.name for p in extra}

    def command(ctx: typer.Context, **kwargs: Any) -> None:
        extras = {name: kwargs.pop(name) for name in extra_names}
        run(ctx, kwargs, extras)

    ctx_param = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    positional = [p for p in extra if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keyword = [p for p in extra if p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD]
    params = [ctx_param, *positional, *(f.parameter() for f in flags), *keyword]
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = doc
    return command


def argument(name: str, help_text: str, *, metavar: str | None = None) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=Annotated[
            str, typer.Argument(help=help_text, metavar=metavar or name.upper(), show_default=False)
        ],
    )


def switch(name: str, option: str, help_text: str) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=False,
        annotation=Annotated[bool, typer.Option(option, help=help_text)],
    )


def clear_option() -> inspect.Parameter:
    return inspect.Parameter(
        "clear",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--clear",
                help="Set this field to unknown (a bundle field name; repeatable).",
                metavar="FIELD",
            ),
        ],
    )


CRAMP_FLAGS = (
    Flag(
        "--muscle", "muscle", one_of(Muscle), f"Cramping muscle: {choices(Muscle)}.", "MUSCLE", required=True
    ),
    Flag("--side", "side", one_of(Side), f"Side: {choices(Side)}.", "SIDE"),
    Flag("--severity", "severity", integer, "Severity 0-10.", "0-10"),
    Flag(
        "--duration",
        "duration_s",
        with_units(units.parse_duration_s),
        "How long it lasted (90s, 2m; bare = s).",
        "TIME",
    ),
    Flag(
        "--context",
        "context",
        one_of(CrampContext),
        f"When: {choices(CrampContext)}.",
        "CONTEXT",
        required=True,
    ),
    Flag(
        "--at", "at", moment, "When it started (ISO 8601; default now; no offset = athlete's zone).", "TIME"
    ),
    Flag("--session", "session_id", text, "Id of the session it happened in (s-0001).", "ID"),
    Flag(
        "--relief",
        "relief",
        many_of(Relief),
        f"What you did: {choices(Relief)} (comma list).",
        "LIST",
        multiple=True,
    ),
    Flag("--relief-worked", "relief_worked", yes_no, "Did the relief work: yes|no.", "yes|no"),
    Flag(
        "--symptom",
        "symptoms",
        many_of(Symptom),
        f"Other signs: {choices(Symptom)} (repeatable).",
        "LIST",
        multiple=True,
    ),
    Flag("--notes", "notes", text, "Free text.", "TEXT"),
)

SESSION_FLAGS = (
    Flag("--sport", "sport", one_of(Sport), f"Sport: {choices(Sport)}.", "SPORT", required=True),
    Flag(
        "--duration",
        "duration_s",
        with_units(units.parse_duration_s, bare="m"),
        "Duration (1h30m, 90m; bare = minutes).",
        "TIME",
        required=True,
    ),
    Flag("--start", "start", moment, "Start (ISO 8601; default: now minus the duration).", "TIME"),
    Flag(
        "--distance",
        "distance_m",
        with_units(units.parse_distance_m),
        "Distance (21.1km, 13.1mi; bare = km).",
        "DIST",
    ),
    Flag("--elevation-gain", "elevation_gain_m", metres, "Elevation gain (450m; bare = metres).", "DIST"),
    Flag("--avg-hr", "avg_hr", number, "Average heart rate (bpm).", "BPM"),
    Flag("--max-hr", "max_hr", number, "Maximum heart rate (bpm).", "BPM"),
    Flag("--rpe", "rpe", number, "Effort, CR-10 scale 0-10.", "0-10"),
    Flag(
        "--temperature",
        "temperature_c",
        with_units(units.parse_temperature_c),
        "Air temperature (28C, 82F).",
        "TEMP",
    ),
    Flag("--humidity", "humidity_pct", number, "Relative humidity, %.", "PCT"),
    Flag("--warmup", "warmup_min", minutes, "Warm-up length (10m; bare = minutes; 0 = none).", "TIME"),
    Flag("--cooldown", "cooldown_min", minutes, "Cool-down length (5m; bare = minutes; 0 = none).", "TIME"),
    Flag(
        "--pre-mass",
        "pre_mass_kg",
        with_units(units.parse_mass_kg),
        "Body mass before (70.2kg, 154lb).",
        "MASS",
    ),
    Flag(
        "--post-mass",
        "post_mass_kg",
        with_units(units.parse_mass_kg),
        "Body mass after (68.9kg, 152lb).",
        "MASS",
    ),
    Flag(
        "--fluid",
        "fluid_ml",
        with_units(units.parse_volume_ml),
        "Fluid drunk during it (750ml, 25oz).",
        "VOL",
    ),
    Flag(
        "--sodium", "sodium_mg", with_units(units.parse_sodium_mg), "Sodium taken during it (600mg).", "MASS"
    ),
    Flag("--urine", "urine_ml", with_units(units.parse_volume_ml), "Urine passed during it (ml).", "VOL"),
    Flag("--notes", "notes", text, "Free text.", "TEXT"),
    Flag("--source", "source", text, "Where the session came from (file, device).", "TEXT"),
    Flag("--plan-followed", "plan_followed", yes_no, "Did you follow crampwise's plan: yes|no.", "yes|no"),
)

DAY_FLAGS = (
    Flag("--date", "date", day, "The day (YYYY-MM-DD; default today).", "DATE"),
    Flag("--sleep", "sleep_h", hours, "Sleep the night before (7.5h, 7h30m).", "TIME"),
    Flag("--fluid", "fluid_ml", day_fluid, "Fluid over the day, with its unit (2.5l, 2500ml, 80oz).", "VOL"),
    Flag("--alcohol", "alcohol_units", number, "Alcohol, units.", "UNITS"),
    Flag("--fatigue", "fatigue", number, "Fatigue 0-10.", "0-10"),
    Flag("--notes", "notes", text, "Free text.", "TEXT"),
)

MEDICATION_FLAGS = (
    Flag("--kind", "kind", one_of(MedicationKind), f"Kind: {choices(MedicationKind)}.", "KIND"),
    Flag("--started", "started", day, "Start date (YYYY-MM-DD).", "DATE", required=True),
    Flag("--stopped", "stopped", day, "Stop date (YYYY-MM-DD).", "DATE"),
)

ATHLETE_FLAGS = (
    Flag("--sex", "sex", one_of(Sex), f"Sex: {choices(Sex)}.", "SEX"),
    Flag("--birth-year", "birth_year", integer, "Year of birth.", "YEAR"),
    Flag(
        "--body-mass", "body_mass_kg", with_units(units.parse_mass_kg), "Body mass (61.5kg, 135lb).", "MASS"
    ),
    Flag("--max-hr", "max_hr", integer, "Maximum heart rate (bpm).", "BPM"),
    Flag("--timezone", "timezone", text, "IANA time zone (Europe/Madrid).", "ZONE"),
    Flag("--sweat-sodium", "sweat_sodium_mmol_l", number, "Measured sweat sodium, mmol/L.", "MMOL_L"),
    Flag("--units", "units", one_of(UnitSystem), f"Display units: {choices(UnitSystem)}.", "UNITS"),
)
