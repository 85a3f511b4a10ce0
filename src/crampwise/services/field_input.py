"""What a user typed into a journal field, read into the field's canonical value.

One place for every face: the CLI's flags (`--pre-mass 70.2kg`) and the web app's form
fields (`pre_mass_kg` = "70.2") go through the same functions, so a rule about reading input
(units, the accepted forms, the error wording) exists once. Each function takes the raw text
and the *name* to report (the flag `--pre-mass` on the command line, the field `pre_mass_kg`
in a form) and raises `InvalidInput` naming it with the accepted form.

Numbers end in the unit of their bundle field (`_kg`, `_ml`, `_c`, `_m`, `_mg`, `_s`, `_min`,
`_h`); the conversions themselves live in `domain.units`. Where the athlete's unit system
decides what a bare number means, the function takes it as `units`.

`FIELDS` maps each record kind's bundle fields to their reader, and `read_fields` reads a
whole form (every bad field in one `InvalidInput`).

Standard library and the domain only: the CLI imports this at start-up for its `--help`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import Any

from crampwise.domain import units as u
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


def _bad(name: str, message: str) -> InvalidInput:
    return InvalidInput.single(name, message)


@dataclass(frozen=True)
class Reading:
    """How to read what one athlete types: their unit system, time zone and "now".

    `now` is an aware datetime (the caller's clock: faces pass it, tests fix it); `zone` is the
    athlete's, so that a time without an offset is the athlete's local time.
    """

    units: UnitSystem = UnitSystem.METRIC
    zone: tzinfo = UTC
    now: datetime | None = None


METRIC = Reading()

# --- plain values -----------------------------------------------------------------------------


def number(raw: str, name: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise _bad(name, f"cannot read {raw!r}; expected a number") from None


def integer(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise _bad(name, f"cannot read {raw!r}; expected a whole number") from None


def text(raw: str, name: str) -> str:
    return raw


def yes_no(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise _bad(name, f"cannot read {raw!r}; expected yes or no")


def day(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise _bad(name, f"cannot read {raw!r}; expected a date as YYYY-MM-DD") from None


def moment(raw: str, name: str) -> datetime:
    """An ISO 8601 time; without an offset it is read later in the athlete's time zone."""
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        raise _bad(
            name, f"cannot read {raw!r}; expected e.g. 2026-05-01T08:55 or 2026-05-01T08:55:00+02:00"
        ) from None


def one_of(enum: type[StrEnum], raw: str, name: str) -> str:
    """One value of a closed vocabulary (`calf`, `after-exercise` -> `after_exercise`)."""
    value = raw.strip().lower().replace("-", "_")
    if value not in {m.value for m in enum}:
        raise _bad(name, f"unknown value {raw!r}; expected {choices(enum)}")
    return value


def many_of(enum: type[StrEnum], raws: Sequence[str] | str, name: str) -> list[str]:
    """Repeatable and comma-separated: `stretch,massage` and `walk` -> three values."""
    items = [raws] if isinstance(raws, str) else list(raws)
    return [one_of(enum, part, name) for raw in items for part in raw.split(",") if part.strip()]


# --- quantities -------------------------------------------------------------------------------


def duration_s(raw: str, name: str, *, bare: str = "s") -> float:
    """Seconds from `1h30m`, `90s`, `1:30`; a bare number is in `bare` (`s`, `m` or `h`)."""
    return u.parse_duration_s(raw, field=name, bare=bare)


def minutes(raw: str, name: str) -> float:
    """`10m`, `1h`, or a bare number of minutes (warm-up, cool-down)."""
    return u.parse_duration_s(raw, field=name, bare="m") / 60.0


def hours(raw: str, name: str) -> float:
    """`7.5h`, `7h30m`, `7:30` or a bare number of hours (sleep)."""
    return u.parse_hours(raw, field=name)


def mass_kg(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`70.2kg`, `154lb`; a bare number is in the athlete's units."""
    return u.parse_mass_kg(raw, field=name)


def volume_ml(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`750ml`, `2.5l`, `25oz`; a bare number is in the athlete's units."""
    return u.parse_volume_ml(raw, field=name)


def day_fluid_ml(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """A day's fluid with its unit (`2.5l`, `2500ml`, `80oz`): a bare `2.5` is refused.

    A bare number is ml elsewhere (a session's `--fluid 750`), but a day's total is as often
    said in litres, so `--fluid 2.5` would silently store 2.5 ml.
    """
    try:
        float(raw.strip())
    except ValueError:
        return u.parse_volume_ml(raw, field=name)
    raise _bad(name, f"{raw!r} has no unit; give one, e.g. 2.5l or 2500ml")


def distance_m(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`21.1km`, `13.1mi`, `800m`; a bare number is in the athlete's units (km or miles)."""
    return u.parse_distance_m(raw, field=name)


def elevation_m(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`450m`, `1.2km`; a bare number is metres."""
    stripped = raw.strip()
    return (
        number(stripped, name)
        if stripped.replace(".", "", 1).isdigit()
        else u.parse_distance_m(stripped, field=name)
    )


def temperature_c(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`28C`, `82F`; a bare number is in the athlete's units."""
    return u.parse_temperature_c(raw, field=name)


def sodium_mg(raw: str, name: str) -> float:
    """`600mg`, `1.2g`; a bare number is mg."""
    return u.parse_sodium_mg(raw, field=name)


# --- fields of each record kind ---------------------------------------------------------------

Reader = Callable[[Any, str, Reading], Any]  # (raw text or texts, name to report, reading) -> value


def _plain(parse: Callable[[str, str], Any]) -> Reader:
    return lambda raw, name, reading: parse(raw, name)


def _in_units(parse: Callable[..., float]) -> Reader:
    return lambda raw, name, reading: parse(raw, name, units=reading.units)


def _enum(enum: type[StrEnum]) -> Reader:
    return lambda raw, name, reading: one_of(enum, raw, name)


def _enums(enum: type[StrEnum]) -> Reader:
    return lambda raw, name, reading: many_of(enum, raw, name)


def _duration(bare: str) -> Reader:
    return lambda raw, name, reading: duration_s(raw, name, bare=bare)


FIELDS: dict[str, dict[str, Reader]] = {
    "cramp": {
        "muscle": _enum(Muscle),
        "side": _enum(Side),
        "severity": _plain(integer),
        "duration_s": _duration("s"),
        "context": _enum(CrampContext),
        "at": _plain(moment),
        "session_id": _plain(text),
        "relief": _enums(Relief),
        "relief_worked": _plain(yes_no),
        "symptoms": _enums(Symptom),
        "notes": _plain(text),
    },
    "session": {
        "sport": _enum(Sport),
        "duration_s": _duration("m"),
        "start": _plain(moment),
        "distance_m": _in_units(distance_m),
        "elevation_gain_m": _in_units(elevation_m),
        "avg_hr": _plain(number),
        "max_hr": _plain(number),
        "rpe": _plain(number),
        "temperature_c": _in_units(temperature_c),
        "humidity_pct": _plain(number),
        "warmup_min": _plain(minutes),
        "cooldown_min": _plain(minutes),
        "pre_mass_kg": _in_units(mass_kg),
        "post_mass_kg": _in_units(mass_kg),
        "fluid_ml": _in_units(volume_ml),
        "sodium_mg": _plain(sodium_mg),
        "urine_ml": _in_units(volume_ml),
        "notes": _plain(text),
        "source": _plain(text),
        "plan_followed": _plain(yes_no),
    },
    "day": {
        "date": _plain(day),
        "sleep_h": _plain(hours),
        "fluid_ml": _in_units(day_fluid_ml),
        "alcohol_units": _plain(number),
        "fatigue": _plain(number),
        "notes": _plain(text),
    },
    "medication": {
        "name": _plain(text),
        "kind": _enum(MedicationKind),
        "started": _plain(day),
        "stopped": _plain(day),
    },
    "athlete": {
        "name": _plain(text),
        "sex": _enum(Sex),
        "birth_year": _plain(integer),
        "body_mass_kg": _in_units(mass_kg),
        "max_hr": _plain(integer),
        "timezone": _plain(text),
        "sweat_sodium_mmol_l": _plain(number),
        "units": _enum(UnitSystem),
    },
}


def read_field(kind: str, field: str, raw: Any, *, name: str | None = None, reading: Reading = METRIC) -> Any:
    """One field of a record kind (`"session"`, `"pre_mass_kg"`) from what was typed."""
    return FIELDS[kind][field](raw, name or field, reading)


def read_fields(
    kind: str,
    raw: Mapping[str, Any],
    *,
    names: Mapping[str, str] | None = None,
    reading: Reading = METRIC,
) -> dict[str, Any]:
    """Every given field of a form (`{field: text}`; empty or None = not given), read at once.

    `names` maps a field to the name errors use (the CLI's flag); every bad field is reported
    in one `InvalidInput`, each under its own name.
    """
    readers = FIELDS[kind]
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for field, given in raw.items():
        if given is None or (not isinstance(given, str) and not given):
            continue
        name = (names or {}).get(field, field)
        if field not in readers:
            errors.append(FieldError(name, f"not a field of a {kind}; accepted: {', '.join(readers)}"))
            continue
        try:
            values[field] = readers[field](given, name, reading)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return values
