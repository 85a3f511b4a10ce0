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

Dates and times (`day`, `moment`, and `Reading`: the athlete's units, zone and "now") are read
by `services.time_input` and re-exported here. Standard library and the domain only: the CLI
imports this at start-up for its `--help`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from crampwise.domain import units as u
from crampwise.domain.enums import (
    MUSCLE_NAMES,
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
    word_key,
)
from crampwise.domain.errors import FieldError, InvalidInput
from crampwise.services.time_input import DAY_FORMS as DAY_FORMS
from crampwise.services.time_input import FUTURE_SKEW as FUTURE_SKEW
from crampwise.services.time_input import MOMENT_FORMS as MOMENT_FORMS
from crampwise.services.time_input import Reading as Reading
from crampwise.services.time_input import day as day
from crampwise.services.time_input import moment as moment


def _bad(name: str, message: str) -> InvalidInput:
    return InvalidInput.single(name, message)


METRIC = Reading()

# --- numbers as people type them -------------------------------------------------------------

_COMMA_NUMBER = re.compile(r"(?P<int>[+-]?\d*),(?P<frac>\d+)")
_BARE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def decimal_point(raw: str, name: str) -> str:
    """`61,5kg` -> `61.5kg`: a decimal comma is read as a point, an ambiguous one is refused.

    `1,500` could be one and a half or fifteen hundred (a thousands separator): exactly three
    digits after the only comma and nothing before it but digits, so it is refused with both
    readings rather than guessed.
    """
    stripped = raw.strip()
    commas = stripped.count(",")
    if commas == 0:
        return stripped
    match = _COMMA_NUMBER.match(stripped)
    if commas > 1 or match is None:
        raise _bad(name, f"cannot read {raw!r}; write a number with one decimal point or comma, e.g. 61.5")
    whole, frac = match.group("int"), match.group("frac")
    if len(frac) == 3 and whole.lstrip("+-") not in ("", "0"):
        raise _bad(
            name,
            f"{raw!r} is ambiguous; write {whole}{frac} for {whole} thousand {frac} "
            f"or {whole}.{frac} for the decimal",
        )
    return f"{whole}.{frac}{stripped[match.end() :]}"


def _is_bare(text: str) -> bool:
    return _BARE.fullmatch(text.replace(" ", "")) is not None


def number(raw: str, name: str) -> float:
    """A plain number; a decimal comma is accepted (`7,5`)."""
    cleaned = decimal_point(raw, name)
    try:
        value = float(cleaned)
    except ValueError:
        raise _bad(name, f"cannot read {raw!r}; expected a number, e.g. 7.5") from None
    if not math.isfinite(value):
        raise _bad(name, f"{raw!r} is not a finite number")
    return value


def integer(raw: str, name: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise _bad(name, f"cannot read {raw!r}; expected a whole number, e.g. 7") from None


def text(raw: str, name: str) -> str:
    return raw


def yes_no(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise _bad(name, f"cannot read {raw!r}; expected yes or no")


# --- closed vocabularies ----------------------------------------------------------------------

_SYNONYMS: dict[type[StrEnum], dict[str, str]] = {Muscle: MUSCLE_NAMES}


def vocabulary_value(enum: type[StrEnum], raw: str) -> str | None:
    """The vocabulary value a word names (`Quads`, `hip flexor`, `after-exercise`), or None."""
    value = word_key(raw)
    if value in {m.value for m in enum}:
        return value
    return _SYNONYMS.get(enum, {}).get(value)


def one_of(enum: type[StrEnum], raw: str, name: str) -> str:
    """One value of a closed vocabulary (`calves` -> `calf`, `after-exercise` -> `after_exercise`)."""
    value = vocabulary_value(enum, raw)
    if value is None:
        raise _bad(name, f"unknown value {raw!r}; expected {choices(enum)}")
    return value


def many_of(enum: type[StrEnum], raws: Sequence[str] | str, name: str) -> list[str]:
    """Repeatable and comma-separated: `stretch,massage` and `walk` -> three values."""
    items = [raws] if isinstance(raws, str) else list(raws)
    return [one_of(enum, part, name) for raw in items for part in raw.split(",") if part.strip()]


# --- quantities -------------------------------------------------------------------------------

# What a bare number means, by unit system: the athlete's own units.
BARE_UNIT: dict[str, dict[UnitSystem, str]] = {
    "mass": {UnitSystem.METRIC: "kg", UnitSystem.IMPERIAL: "lb"},
    "volume": {UnitSystem.METRIC: "ml", UnitSystem.IMPERIAL: "oz"},
    "distance": {UnitSystem.METRIC: "km", UnitSystem.IMPERIAL: "mi"},
    "elevation": {UnitSystem.METRIC: "m", UnitSystem.IMPERIAL: "ft"},
    "temperature": {UnitSystem.METRIC: "C", UnitSystem.IMPERIAL: "F"},
}

# crampwise convention (no source): a bare air temperature above this many degrees Celsius is
# far more likely a Fahrenheit reading (the hottest endurance events are run in the mid 40s).
BARE_CELSIUS_MAX = 50.0


def _with_bare_unit(raw: str, name: str, quantity: str, units: UnitSystem) -> str:
    cleaned = decimal_point(raw, name)
    return cleaned + BARE_UNIT[quantity][units] if _is_bare(cleaned) else cleaned


def duration_s(raw: str, name: str, *, bare: str = "s") -> float:
    """Seconds from `1h30m`, `90s`, `1:30`, `1,5h`; a bare number is in `bare` (`s`, `m` or `h`)."""
    return u.parse_duration_s(decimal_point(raw, name), field=name, bare=bare)


def minutes(raw: str, name: str) -> float:
    """`10m`, `1h`, or a bare number of minutes (warm-up, cool-down)."""
    return u.parse_duration_s(decimal_point(raw, name), field=name, bare="m") / 60.0


def hours(raw: str, name: str) -> float:
    """`7.5h`, `7,5h`, `7h30m`, `7:30` or a bare number of hours (sleep)."""
    return u.parse_hours(decimal_point(raw, name), field=name)


def mass_kg(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`70.2kg`, `61,5kg`, `154lb`; a bare number is kg, or lb for an imperial athlete."""
    return u.parse_mass_kg(_with_bare_unit(raw, name, "mass", units), field=name)


def volume_ml(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`750ml`, `2.5l`, `25oz`; a bare number is ml, or US fl oz for an imperial athlete."""
    return u.parse_volume_ml(_with_bare_unit(raw, name, "volume", units), field=name)


def day_fluid_ml(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """A day's fluid with its unit (`2.5l`, `2500ml`, `80oz`): a bare `2.5` is refused.

    A day's total is as often said in litres as in ml (or oz), so a bare `2.5` would be a
    guess: the unit is required.
    """
    cleaned = decimal_point(raw, name)
    if _is_bare(cleaned):
        example = "80oz or 2.5l" if units is UnitSystem.IMPERIAL else "2.5l or 2500ml"
        raise _bad(name, f"{raw!r} has no unit; give one, e.g. {example}")
    return u.parse_volume_ml(cleaned, field=name)


def distance_m(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`21.1km`, `13.1mi`, `800m`; a bare number is km, or miles for an imperial athlete."""
    return u.parse_distance_m(_with_bare_unit(raw, name, "distance", units), field=name)


def elevation_m(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`450m`, `1.2km`, `1500ft`; a bare number is metres, or feet for an imperial athlete."""
    return u.parse_distance_m(_with_bare_unit(raw, name, "elevation", units), field=name)


def temperature_c(raw: str, name: str, *, units: UnitSystem = UnitSystem.METRIC) -> float:
    """`28C`, `82F`; a bare number is Celsius, or Fahrenheit for an imperial athlete.

    A bare number that makes no sense as an air temperature in Celsius but does in Fahrenheit
    (`82` for a metric athlete) is refused with the hint `did you mean 82F?`.
    """
    cleaned = _with_bare_unit(raw, name, "temperature", units)
    value_c = u.parse_temperature_c(cleaned, field=name)
    if units is UnitSystem.METRIC and _is_bare(decimal_point(raw, name)) and value_c > BARE_CELSIUS_MAX:
        shown = raw.strip()
        raise _bad(
            name,
            f"{shown} °C is hotter than any race; did you mean {shown}F? (write {shown}C if it was Celsius)",
        )
    return value_c


def sodium_mg(raw: str, name: str) -> float:
    """`600mg`, `1.2g`; a bare number is mg."""
    return u.parse_sodium_mg(decimal_point(raw, name), field=name)


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


def _timed(parse: Callable[..., Any]) -> Reader:
    return lambda raw, name, reading: parse(raw, name, reading=reading)


def _duration(bare: str) -> Reader:
    return lambda raw, name, reading: duration_s(raw, name, bare=bare)


FIELDS: dict[str, dict[str, Reader]] = {
    "cramp": {
        "muscle": _enum(Muscle),
        "side": _enum(Side),
        "severity": _plain(integer),
        "duration_s": _duration("s"),
        "context": _enum(CrampContext),
        "at": _timed(moment),
        "session_id": _plain(text),
        "relief": _enums(Relief),
        "relief_worked": _plain(yes_no),
        "symptoms": _enums(Symptom),
        "notes": _plain(text),
    },
    "session": {
        "sport": _enum(Sport),
        "duration_s": _duration("m"),
        "start": _timed(moment),
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
        "date": _timed(day),
        "sleep_h": _plain(hours),
        "fluid_ml": _in_units(day_fluid_ml),
        "alcohol_units": _plain(number),
        "fatigue": _plain(number),
        "notes": _plain(text),
        "sleep_quality": _plain(number),
        "resting_hr": _plain(number),
        "hrv_ms": _plain(number),
    },
    "medication": {
        "name": _plain(text),
        "kind": _enum(MedicationKind),
        "started": _timed(day),
        "stopped": _timed(day),
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
        "journal_started": _timed(day),
    },
}


def own_units(given: str | None, current: UnitSystem | None) -> UnitSystem:
    """The unit system an athlete's own form or flags are read in: the units given with them
    (`--units imperial`, the settings form's choice) when readable, else the athlete's current
    ones, else metric. So `athlete set --units imperial --body-mass 135` means 135 lb."""
    value = vocabulary_value(UnitSystem, given) if given else None
    if value is not None:
        return UnitSystem(value)
    return current or UnitSystem.METRIC


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
