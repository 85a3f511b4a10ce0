"""Parsing and formatting of the quantities a user types, in one place.

Every parser returns the canonical metric value named by its suffix (`_s`, `_kg`, `_ml`,
`_c`, `_m`, `_mg`) and raises `InvalidInput` naming the field and the accepted form. Every
formatter is the inverse of its parser for the values it prints (property-tested).

Standard library only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import InvalidInput

KG_PER_LB = 0.45359237
ML_PER_US_FL_OZ = 29.5735295625
M_PER_MILE = 1609.344
M_PER_FOOT = 0.3048
MG_PER_MMOL_SODIUM = 22.99  # molar mass of sodium; EVIDENCE.md section 3.2

_NUMBER = r"(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"


def _parse_with_units(
    text: str,
    *,
    field: str,
    factors: Mapping[str, float],
    bare: str | None,
    example: str,
) -> float:
    """Parse `<number><unit>` where unit is a key of `factors` (case-insensitive)."""
    cleaned = text.strip().replace(" ", "").replace("°", "")
    match = re.fullmatch(_NUMBER + r"(?P<unit>[a-zA-Z]*)", cleaned)
    if not match:
        raise InvalidInput.single(
            field, f"cannot read {text!r}; expected a number with a unit, e.g. {example}"
        )
    unit = match.group("unit").lower() or bare
    if unit is None:
        raise InvalidInput.single(field, f"{text!r} has no unit; expected e.g. {example}")
    if unit not in factors:
        accepted = ", ".join(sorted(factors))
        raise InvalidInput.single(
            field,
            f"unknown unit {match.group('unit')!r}; accepted units: {accepted} (e.g. {example})",
        )
    value = float(match.group("num")) * factors[unit]
    if not math.isfinite(value):
        raise InvalidInput.single(field, f"{text!r} is not a finite number")
    return value


_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(hours?|hrs|hr|h|minutes?|mins|min|m|seconds?|secs|sec|s)")
_SECONDS_PER = {"h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration_s(text: str, *, field: str = "duration", bare: str = "s") -> float:
    """Seconds from `1h30m`, `90s`, `10m`, `7.5h`, `1:30:00` or a two-part clock value.

    `bare` is the unit of a plain number (`s`, `m` or `h`): `--warmup 10` means minutes. It
    also decides a two-part clock value: for a field measured in hours or minutes (sleep, a
    session) `7:30` is hours:minutes, as people say it; for a field measured in seconds (a
    cramp) `1:30` is minutes:seconds.
    """
    cleaned = text.strip().lower().replace(" ", "")
    example = "1h30m, 90s, 10m or 1:30:00"
    if not cleaned:
        raise InvalidInput.single(field, f"empty duration; expected e.g. {example}")
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}", cleaned):
        parts = [int(p) for p in cleaned.split(":")]
        if any(p >= 60 for p in parts[1:]):
            raise InvalidInput.single(field, f"cannot read {text!r}; minutes and seconds must be below 60")
        if len(parts) == 2 and bare in ("h", "m"):
            parts.append(0)  # hours:minutes
        total = 0
        for part in parts:
            total = total * 60 + part
        return float(total)
    if re.fullmatch(_NUMBER, cleaned):
        value = float(cleaned) * _SECONDS_PER[bare]
    else:
        pos = 0
        value = 0.0
        seen: set[str] = set()
        for match in _DURATION_PART.finditer(cleaned):
            if match.start() != pos:
                break
            unit = match.group(2)[0]
            if unit in seen:
                raise InvalidInput.single(field, f"cannot read {text!r}; unit {unit!r} given twice")
            seen.add(unit)
            value += float(match.group(1)) * _SECONDS_PER[unit]
            pos = match.end()
        if pos != len(cleaned) or not seen:
            raise InvalidInput.single(field, f"cannot read {text!r}; expected e.g. {example}")
    if not math.isfinite(value) or value < 0:
        raise InvalidInput.single(field, f"{text!r} must be a finite, non-negative duration")
    return value


def format_duration(seconds: float) -> str:
    """`5400` -> `1h30m`, `90` -> `1m30s`, `45` -> `45s`; whole seconds, inverse of the parser."""
    total = round(seconds)
    if total == 0:
        return "0s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    out = ""
    if hours:
        out += f"{hours}h"
    if minutes:
        out += f"{minutes}m"
    if secs:
        out += f"{secs}s"
    return out


_MASS = {"kg": 1.0, "kgs": 1.0, "lb": KG_PER_LB, "lbs": KG_PER_LB, "g": 0.001}
_VOLUME = {
    "ml": 1.0,
    "l": 1000.0,
    "cl": 10.0,
    "dl": 100.0,
    "oz": ML_PER_US_FL_OZ,
    "floz": ML_PER_US_FL_OZ,
}
_DISTANCE = {
    "m": 1.0,
    "km": 1000.0,
    "mi": M_PER_MILE,
    "mile": M_PER_MILE,
    "miles": M_PER_MILE,
    "ft": M_PER_FOOT,
}
_SODIUM = {"mg": 1.0, "g": 1000.0}


def parse_mass_kg(text: str, *, field: str = "mass") -> float:
    """Kilograms from `70.2kg`, `154lb` or a bare number in kg."""
    return _parse_with_units(text, field=field, factors=_MASS, bare="kg", example="70.2kg or 154lb")


def parse_volume_ml(text: str, *, field: str = "fluid") -> float:
    """Millilitres from `750ml`, `2.5l` or `25oz` (US fluid ounces); a bare number is ml."""
    return _parse_with_units(text, field=field, factors=_VOLUME, bare="ml", example="750ml, 2.5l or 25oz")


def parse_distance_m(text: str, *, field: str = "distance") -> float:
    """Metres from `21.1km`, `13.1mi` or `800m`; a bare number is km (as runners say it)."""
    return _parse_with_units(text, field=field, factors=_DISTANCE, bare="km", example="21.1km or 13.1mi")


def parse_sodium_mg(text: str, *, field: str = "sodium") -> float:
    """Milligrams of sodium from `600mg` or `1.2g`; a bare number is mg."""
    return _parse_with_units(text, field=field, factors=_SODIUM, bare="mg", example="600mg or 1.2g")


def parse_temperature_c(text: str, *, field: str = "temperature") -> float:
    """Degrees Celsius from `28C`, `82F` or a bare number in Celsius."""
    to_c: dict[str, Callable[[float], float]] = {
        "c": lambda v: v,
        "f": lambda v: (v - 32.0) * 5.0 / 9.0,
    }
    cleaned = text.strip().replace(" ", "").replace("°", "")
    match = re.fullmatch(_NUMBER + r"(?P<unit>[a-zA-Z]*)", cleaned)
    if not match:
        raise InvalidInput.single(field, f"cannot read {text!r}; expected e.g. 28C or 82F")
    unit = match.group("unit").lower() or "c"
    if unit not in to_c:
        raise InvalidInput.single(
            field, f"unknown unit {match.group('unit')!r}; accepted units: C, F (e.g. 28C or 82F)"
        )
    return to_c[unit](float(match.group("num")))


def parse_hours(text: str, *, field: str = "sleep") -> float:
    """Hours from `7.5h`, `7h30m` or a bare number of hours."""
    return parse_duration_s(text, field=field, bare="h") / 3600.0


def _trim(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_mass(kg: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`70.2 kg`, or `154.8 lb` for an imperial athlete."""
    if units is UnitSystem.IMPERIAL:
        return f"{_trim(kg / KG_PER_LB, 1)}lb"
    return f"{_trim(kg, 2)}kg"


def format_volume(ml: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`750ml` (or `1.5L` from a litre up: capital, as in `L/h`), or `25.4oz` for an imperial athlete."""
    if units is UnitSystem.IMPERIAL:
        return f"{_trim(ml / ML_PER_US_FL_OZ, 1)}oz"
    if abs(ml) >= 1000:
        return f"{_trim(ml / 1000.0, 3)}L"
    return f"{_trim(ml, 1)}ml"


def format_distance(m: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`21.1km`, or `13.11mi` for an imperial athlete."""
    if units is UnitSystem.IMPERIAL:
        return f"{_trim(m / M_PER_MILE, 2)}mi"
    return f"{_trim(m / 1000.0, 3)}km"


def format_temperature(c: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`28C`, or `82.4F` for an imperial athlete."""
    if units is UnitSystem.IMPERIAL:
        return f"{_trim(c * 9.0 / 5.0 + 32.0, 1)}F"
    return f"{_trim(c, 1)}C"


def format_sodium(mg: float) -> str:
    """`600mg`, or `1.2g` from a gram up."""
    if abs(mg) >= 1000:
        return f"{_trim(mg / 1000.0, 3)}g"
    return f"{_trim(mg, 1)}mg"


# --- for reading, not typing ------------------------------------------------------------------
# What pages and reports show a person: the same numbers as the `format_*` functions above, with
# a space before the unit and the degree sign ("17.8 °C", "750 ml", "1.5 L", "25.4 fl oz").
# The parsers read these forms back too (they drop spaces and "°"), so a value copied from a page
# into a form means the same thing.


DISPLAY_WHOLE_MINUTES_FROM_S = 600  # from 10 minutes on, seconds are noise to a reader


def display_duration(seconds: float) -> str:
    """`1h35m` for a session (whole minutes from 10 minutes on), `2m9s` for a cramp."""
    if seconds >= DISPLAY_WHOLE_MINUTES_FROM_S:
        return format_duration(round(seconds / 60) * 60)
    return format_duration(seconds)


def display_temperature(c: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`17.8 °C`, or `64 °F` for an imperial athlete."""
    if units is UnitSystem.IMPERIAL:
        return f"{_trim(c * 9.0 / 5.0 + 32.0, 1)} °F"
    return f"{_trim(c, 1)} °C"


def display_volume(ml: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`750 ml`, `1.5 L` from a litre up, or `25.4 fl oz` for an imperial athlete."""
    if units is UnitSystem.IMPERIAL:
        return f"{_trim(ml / ML_PER_US_FL_OZ, 1)} fl oz"
    if abs(ml) >= 1000:
        return f"{_trim(ml / 1000.0, 2)} L"
    return f"{_trim(ml, 0)} ml"


def display_volume_range(low_ml: float, high_ml: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`400–600 ml`, `1.2–1.5 L`, `14–20 fl oz`: one unit for both ends when they share it;
    `up to 200 ml` when the low end is nothing."""
    if low_ml <= 0:
        return f"up to {display_volume(high_ml, units)}"
    low, high = display_volume(low_ml, units), display_volume(high_ml, units)
    low_num, _, low_unit = low.partition(" ")
    high_num, _, high_unit = high.partition(" ")
    if low_unit == high_unit:
        return low if low_num == high_num else f"{low_num}–{high_num} {high_unit}"
    return f"{low}–{high}"


def display_mass(kg: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`70.2 kg`, or `154.8 lb` for an imperial athlete."""
    if units is UnitSystem.IMPERIAL:
        return f"{_trim(kg / KG_PER_LB, 1)} lb"
    return f"{_trim(kg, 1)} kg"


def display_distance(m: float, units: UnitSystem = UnitSystem.METRIC) -> str:
    """`21.1 km`, or `13.1 mi` for an imperial athlete."""
    if units is UnitSystem.IMPERIAL:
        return f"{_trim(m / M_PER_MILE, 1)} mi"
    return f"{_trim(m / 1000.0, 1)} km"


def sodium_mmol_to_mg(mmol: float) -> float:
    """1 mmol of sodium weighs 22.99 mg (EVIDENCE.md section 3.2)."""
    return mmol * MG_PER_MMOL_SODIUM
