"""The journal's command-line flags, declared once and used by `log`, `edit` and `athlete`.

Each `Flag` names a bundle field and the option that sets it; what the user typed is read
into the field's canonical value by `services.field_input` (shared with the web forms), so
only the Typer glue lives here. Commands are built from these declarations, so `log session`
and `edit session` accept the same flags. Errors name the flag and the accepted form; every
bad flag of a command is reported on one line.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import typer

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
from crampwise.domain.errors import FieldError, InvalidInput, Unconfirmed
from crampwise.services import field_input


@dataclass(frozen=True)
class Flag:
    """One option of a journal command and the bundle field it sets."""

    option: str  # "--pre-mass"
    field: str  # "pre_mass_kg"
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


def parse_flags(
    kind: str,
    flags: Sequence[Flag],
    raw: dict[str, Any],
    *,
    check_required: bool,
    reading: field_input.Reading = field_input.METRIC,
) -> dict[str, Any]:
    """The fields set on the command line, read by `services.field_input`; every bad or missing
    flag in one error, each named by its flag."""
    errors: list[FieldError] = []
    given: dict[str, Any] = {}
    for flag in flags:
        value = raw.get(flag.param_name)
        if value is None or (flag.multiple and not value):
            if check_required and flag.required:
                errors.append(FieldError(flag.option, f"required ({flag.help.rstrip('.')})"))
            continue
        given[flag.field] = value
    try:
        values = field_input.read_fields(
            kind, given, names={f.field: f.option for f in flags}, reading=reading
        )
    except InvalidInput as exc:
        errors.extend(exc.errors)
        values = {}
    if errors:
        raise InvalidInput(errors)
    return values


def _renamed(errors: Sequence[FieldError], flags: Sequence[Flag]) -> list[FieldError]:
    names = {f.field: f.option for f in flags}
    return [FieldError(names.get(e.path, e.path), e.message) for e in errors]


@contextmanager
def named_by_flags(flags: Sequence[Flag]) -> Iterator[None]:
    """Errors of the services name the flag the user typed (`--severity`, not `severity`);
    unusual values say how to confirm them."""
    try:
        yield
    except Unconfirmed as exc:
        errors = _renamed(exc.errors, flags)
        raise Unconfirmed(
            [
                *errors[:-1],
                FieldError(errors[-1].path, f"{errors[-1].message}; if it is right, add --confirm"),
            ]
        ) from None
    except InvalidInput as exc:
        raise InvalidInput(_renamed(exc.errors, flags)) from None


def cleared_fields(flags: Sequence[Flag], names: Sequence[str] | None, kind: str) -> dict[str, None]:
    """`--clear side --clear pre-mass` as `{field: None}`; a name that is no flag's is refused."""
    by_name = {f.field: f.field for f in flags if not f.required}
    by_name.update({f.option.removeprefix("--"): f.field for f in flags if not f.required})
    cleared: dict[str, None] = {}
    for name in names or ():
        field = by_name.get(name.strip().lower().removeprefix("--"))
        if field is None:
            accepted = ", ".join(f.option.removeprefix("--") for f in flags if not f.required)
            raise InvalidInput.single(
                "--clear", f"{kind} has no field {name!r} to clear; accepted: {accepted}"
            )
        cleared[field] = None
    return cleared


def confirm_option() -> inspect.Parameter:
    return inspect.Parameter(
        "confirm",
        inspect.Parameter.KEYWORD_ONLY,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--confirm",
                help="Store values crampwise finds unusual for you (a weighing far from your body "
                "mass, the same cramp twice) instead of asking.",
            ),
        ],
    )


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


def tag_option() -> inspect.Parameter:
    return inspect.Parameter(
        "tag",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--tag",
                help="One of your own factors (crampwise factor add): NAME for yes, NAME=no, or NAME=NUMBER "
                "(repeatable). Yes/no factors you do not tag on a new record are a no.",
                metavar="NAME[=VALUE]",
            ),
        ],
    )


def untag_option() -> inspect.Parameter:
    return inspect.Parameter(
        "untag",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--untag", help="Remove a tag: the factor becomes unknown (repeatable).", metavar="NAME"
            ),
        ],
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
    Flag("--muscle", "muscle", f"Cramping muscle: {choices(Muscle)}.", "MUSCLE", required=True),
    Flag("--side", "side", f"Side: {choices(Side)}.", "SIDE"),
    Flag("--severity", "severity", "Severity 0-10.", "0-10"),
    Flag(
        "--duration",
        "duration_s",
        "How long it lasted (90s, 2m; bare = s).",
        "TIME",
    ),
    Flag(
        "--context",
        "context",
        f"When: {choices(CrampContext)}.",
        "CONTEXT",
        required=True,
    ),
    Flag("--at", "at", "When it started (ISO 8601; default now; no offset = athlete's zone).", "TIME"),
    Flag("--session", "session_id", "Id of the session it happened in (s-0001).", "ID"),
    Flag(
        "--relief",
        "relief",
        f"What you did: {choices(Relief)} (comma list).",
        "LIST",
        multiple=True,
    ),
    Flag("--relief-worked", "relief_worked", "Did the relief work: yes|no.", "yes|no"),
    Flag(
        "--symptom",
        "symptoms",
        f"Other signs: {choices(Symptom)} (repeatable).",
        "LIST",
        multiple=True,
    ),
    Flag("--notes", "notes", "Free text.", "TEXT"),
)

SESSION_FLAGS = (
    Flag("--sport", "sport", f"Sport: {choices(Sport)}.", "SPORT", required=True),
    Flag(
        "--duration",
        "duration_s",
        "Duration (1h30m, 90m; bare = minutes).",
        "TIME",
        required=True,
    ),
    Flag("--start", "start", "Start (ISO 8601; default: now minus the duration).", "TIME"),
    Flag(
        "--distance",
        "distance_m",
        "Distance (21.1km, 13.1mi; bare = km).",
        "DIST",
    ),
    Flag("--elevation-gain", "elevation_gain_m", "Elevation gain (450m; bare = metres).", "DIST"),
    Flag("--avg-hr", "avg_hr", "Average heart rate (bpm).", "BPM"),
    Flag("--max-hr", "max_hr", "Maximum heart rate (bpm).", "BPM"),
    Flag("--rpe", "rpe", "Effort, CR-10 scale 0-10.", "0-10"),
    Flag(
        "--temperature",
        "temperature_c",
        "Air temperature (28C, 82F).",
        "TEMP",
    ),
    Flag("--humidity", "humidity_pct", "Relative humidity, %.", "PCT"),
    Flag("--warmup", "warmup_min", "Warm-up length (10m; bare = minutes; 0 = none).", "TIME"),
    Flag("--cooldown", "cooldown_min", "Cool-down length (5m; bare = minutes; 0 = none).", "TIME"),
    Flag(
        "--pre-mass",
        "pre_mass_kg",
        "Body mass before (70.2kg, 154lb).",
        "MASS",
    ),
    Flag(
        "--post-mass",
        "post_mass_kg",
        "Body mass after (68.9kg, 152lb).",
        "MASS",
    ),
    Flag(
        "--fluid",
        "fluid_ml",
        "Fluid drunk during it (750ml, 25oz).",
        "VOL",
    ),
    Flag("--sodium", "sodium_mg", "Sodium taken during it (600mg).", "MASS"),
    Flag("--urine", "urine_ml", "Urine passed during it (ml).", "VOL"),
    Flag("--notes", "notes", "Free text.", "TEXT"),
    Flag("--source", "source", "Where the session came from (file, device).", "TEXT"),
    Flag("--plan-followed", "plan_followed", "Did you follow crampwise's plan: yes|no.", "yes|no"),
)

DAY_FLAGS = (
    Flag("--date", "date", "The day (YYYY-MM-DD; default today).", "DATE"),
    Flag("--sleep", "sleep_h", "Sleep the night before (7.5h, 7h30m).", "TIME"),
    Flag("--fluid", "fluid_ml", "Fluid over the day, with its unit (2.5l, 2500ml, 80oz).", "VOL"),
    Flag("--alcohol", "alcohol_units", "Alcohol, units.", "UNITS"),
    Flag("--fatigue", "fatigue", "Fatigue 0-10.", "0-10"),
    Flag("--sleep-quality", "sleep_quality", "How well you slept, 0-10.", "0-10"),
    Flag("--resting-hr", "resting_hr", "Resting heart rate that morning (bpm).", "BPM"),
    Flag("--hrv", "hrv_ms", "Heart rate variability of the night (ms, as your device shows it).", "MS"),
    Flag("--notes", "notes", "Free text.", "TEXT"),
)

MEDICATION_FLAGS = (
    Flag("--kind", "kind", f"Kind: {choices(MedicationKind)}.", "KIND"),
    Flag("--started", "started", "Start date (YYYY-MM-DD).", "DATE", required=True),
    Flag("--stopped", "stopped", "Stop date (YYYY-MM-DD).", "DATE"),
)

ATHLETE_FLAGS = (
    Flag("--sex", "sex", f"Sex: {choices(Sex)}.", "SEX"),
    Flag("--birth-year", "birth_year", "Year of birth.", "YEAR"),
    Flag("--body-mass", "body_mass_kg", "Body mass (61.5kg, 135lb).", "MASS"),
    Flag("--max-hr", "max_hr", "Maximum heart rate (bpm).", "BPM"),
    Flag("--timezone", "timezone", "IANA time zone (Europe/Madrid).", "ZONE"),
    Flag("--sweat-sodium", "sweat_sodium_mmol_l", "Measured sweat sodium, mmol/L.", "MMOL_L"),
    Flag("--units", "units", f"Units, also of bare numbers you type: {choices(UnitSystem)}.", "UNITS"),
    Flag(
        "--journal-started",
        "journal_started",
        "The day you began logging cramps (YYYY-MM-DD; default: the day the athlete was added). "
        "Sessions and days before it do not count as cramp-free.",
        "DATE",
    ),
)
