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

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
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


# --- dates and times, absolute or relative to now ---------------------------------------------

_AGO = re.compile(
    r"(?:-\s*(?P<neg>[\d.]+\s*[a-z]+(?:\s*[\d.]+\s*[a-z]+)*)|(?P<ago>[\d.]+\s*[a-z]+(?:\s*[\d.]+\s*[a-z]+)*)\s+ago)"
)
_CLOCK = re.compile(r"(?P<h>\d{1,2})[:h.](?P<m>\d{2})")
_DAY_WORDS = {"today": 0, "yesterday": 1}
_DAYS_AGO = re.compile(r"-\s*(?P<n>\d{1,4})\s*d(?:ays?)?|(?P<m>\d{1,4})\s*days?\s+ago")
DAY_FORMS = "YYYY-MM-DD, today, yesterday or -3d"
MOMENT_FORMS = (
    "2026-05-01T08:55 (the athlete's zone) or 2026-05-01T08:55+02:00, now, -2h, 90m ago, "
    "yesterday, yesterday 22:30 or 22:30"
)


def _now_of(reading: Reading) -> datetime:
    if reading.now is None:
        raise ValueError("a relative time needs Reading.now")  # a programming error, not input
    return reading.now.astimezone(reading.zone)


def day(raw: str, name: str, *, reading: Reading | None = None) -> date:
    """A date: `2026-05-01`, or relative to today in the athlete's zone (`yesterday`, `-3d`)."""
    cleaned = raw.strip().lower()
    if reading is not None and reading.now is not None:
        today = _now_of(reading).date()
        if cleaned in _DAY_WORDS:
            return today - timedelta(days=_DAY_WORDS[cleaned])
        match = _DAYS_AGO.fullmatch(cleaned)
        if match:
            return today - timedelta(days=int(match.group("n") or match.group("m")))
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        forms = DAY_FORMS if reading is not None and reading.now is not None else "YYYY-MM-DD"
        raise _bad(name, f"cannot read {raw!r}; expected a date as {forms}") from None


def _clock_on(day_: date, clock: str, reading: Reading) -> datetime | None:
    match = _CLOCK.fullmatch(clock)
    if match is None:
        return None
    hour, minute = int(match.group("h")), int(match.group("m"))
    if hour > 23 or minute > 59:
        return None
    return datetime.combine(day_, time(hour, minute), tzinfo=reading.zone)


def _relative_moment(cleaned: str, name: str, reading: Reading) -> datetime | None:
    now = _now_of(reading).replace(microsecond=0)
    if cleaned == "now":
        return now
    ago = _AGO.fullmatch(cleaned)
    if ago:
        span = ago.group("neg") or ago.group("ago")
        return now - timedelta(seconds=u.parse_duration_s(span, field=name, bare="m"))
    words = cleaned.split()
    if cleaned in _DAY_WORDS:
        return now - timedelta(days=_DAY_WORDS[cleaned])
    if len(words) == 2 and words[0] in _DAY_WORDS:
        return _clock_on(now.date() - timedelta(days=_DAY_WORDS[words[0]]), words[1], reading)
    at = _clock_on(now.date(), cleaned, reading)
    if at is not None and at > now + FUTURE_SKEW:
        at = _clock_on(now.date() - timedelta(days=1), cleaned, reading)  # the last 22:30 that passed
    return at


FUTURE_SKEW = timedelta(minutes=5)


def moment(raw: str, name: str, *, reading: Reading | None = None) -> datetime:
    """A time: ISO 8601 (no offset = the athlete's zone, read by the service), or relative.

    With `reading.now` also: `now`, `-2h`, `-90m`, `2h ago`, `yesterday` (this time yesterday),
    `yesterday 22:30`, `today 07:00`, and a bare `22:30` (the last 22:30 that has passed), all in
    the athlete's zone (`reading.zone`).
    """
    cleaned = " ".join(raw.strip().lower().split())
    if reading is not None and reading.now is not None:
        relative = _relative_moment(cleaned, name, reading)
        if relative is not None:
            return relative
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        forms = (
            MOMENT_FORMS
            if reading is not None and reading.now is not None
            else "2026-05-01T08:55 or 2026-05-01T08:55:00+02:00"
        )
        raise _bad(name, f"cannot read {raw!r}; expected e.g. {forms}") from None


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
