"""Pydantic's validation errors in the words a person reads: each with its field path
(`sessions[3].rpe`) and, for a bound, the limit in the field's unit (`70.5 kg is above the
maximum 300 kg`). The records (`domain/records.py`), bundles and every form share them, so a
bad value reads the same in the terminal, on a page and in the API's 422.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from crampwise.domain.errors import FieldError, InvalidInput


def path_of(loc: Iterable[int | str]) -> str:
    """Pydantic's location tuple as a field path: `("sessions", 3, "rpe")` -> `sessions[3].rpe`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "tagged-union", "constrained")):
            continue
        else:
            out += f".{part}" if out else part
    return out


def _clean_message(message: str) -> str:
    return message.removeprefix("Value error, ")


_SUFFIX_UNITS = (
    ("_kg", " kg"),
    ("_ml", " ml"),
    ("_mg", " mg"),
    ("_c", " °C"),
    ("_m", " m"),
    ("_min", " min"),
    ("_h", " h"),
    ("_pct", " %"),
    ("_mmol_l", " mmol/L"),
)


def _shown(path: str, value: object) -> str:
    """A number as the user thinks of it: with the unit its field's name carries."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return repr(value) if isinstance(value, str) else str(value)
    number = f"{value:g}"
    if path.endswith("_s"):
        from crampwise.domain.units import format_duration

        return format_duration(float(value))
    for suffix, unit in _SUFFIX_UNITS:
        if path.endswith(suffix):
            return number + unit
    return number


def _message(path: str, err: Mapping[str, Any]) -> str:
    """Pydantic's wording turned into what a person reads: the limit, in the field's unit."""
    kind, ctx, given = err["type"], err.get("ctx") or {}, err.get("input")
    bounds = {
        "less_than_equal": ("le", "{given} is above the maximum {limit}"),
        "less_than": ("lt", "must be less than {limit}, not {given}"),
        "greater_than_equal": ("ge", "{given} is below the minimum {limit}"),
        "greater_than": ("gt", "must be more than {limit}, not {given}"),
    }
    if kind in bounds:
        key, words = bounds[kind]
        return words.format(given=_shown(path, given), limit=_shown(path, ctx.get(key)))
    if kind == "extra_forbidden":
        return "not a field crampwise knows; check its spelling"
    if kind == "enum":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ").replace(", ", "|")
        return f"unknown value {given!r}; expected {expected}"
    return _clean_message(err["msg"])


def invalid_from(exc: ValidationError, *, prefix: str = "") -> InvalidInput:
    """Every error of a Pydantic validation, each with its field path (`sessions[3].rpe: ...`)."""
    errors: list[FieldError] = []
    for err in exc.errors(include_url=False):
        path = path_of(err["loc"])
        message = _message(path, err)
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        errors.append(FieldError(path, message))
    return InvalidInput(errors)
