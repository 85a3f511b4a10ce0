"""The athlete's own factors (CONTRACTS.md section 3, "Additions in v1") and their tags.

An athlete defines a factor once (`new_shoes`, a yes/no factor of sessions; `caffeine_mg`, a
number of each day) and tags records with it: `sessions[].tags = {"new_shoes": true}`. A factor
absent from a record's tags is unknown for it; `false` or `0` is a known "no".

Here: the `Factor` record, the rule for names (lower-case words joined by `_`, never a built-in
factor's name), and the checks of a record's tags against the athlete's factors, each error
with its path. Pure; the CLI imports this for its `--help`, so only the standard library,
Pydantic and the domain.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Final

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

from crampwise.domain.enums import FactorKind, FactorLevel
from crampwise.domain.errors import FieldError

NAME_PATTERN: Final = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MAX_NAME = 40
MAX_TAG_VALUE = 1_000_000.0  # a number tag beyond this is a typo (mg of caffeine, km, hours...)

# Every factor crampwise computes itself (CONTRACTS.md section 4, and the wellness factors of
# issue 16): an own factor may not take one of these names, or the insights would show two
# different factors under one name. `science.exposures` checks its vocabulary against this.
BUILT_IN_FACTORS: Final = frozenset(
    {
        "long_session",
        "hard_session",
        "heat",
        "dehydration",
        "low_sodium",
        "no_warmup",
        "high_load",
        "short_sleep",
        "trained_long",
        "trained_hard",
        "low_hrv",
        "raised_resting_hr",
    }
)


def factor_name(raw: str) -> str:
    """What a user typed as a factor name (`New-Shoes`, `new shoes`) as the stored name."""
    return "_".join(raw.strip().lower().replace("-", " ").replace("_", " ").split())


def _valid_name(value: object) -> object:
    if not isinstance(value, str):
        return value
    if not NAME_PATTERN.fullmatch(value) or len(value) > MAX_NAME:
        raise ValueError(
            f"{value!r} is not a factor name; use lower-case words joined by _, e.g. new_shoes "
            f"(at most {MAX_NAME} characters)"
        )
    if value in BUILT_IN_FACTORS:
        raise ValueError(f"{value!r} is one of crampwise's own factors; pick another name")
    return value


class Factor(BaseModel):
    """One of the athlete's own factors: `{"name": "new_shoes", "level": "session", "kind": "yes_no"}`."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, BeforeValidator(_valid_name)]
    level: FactorLevel
    kind: FactorKind = FactorKind.YES_NO


def _tag_value(value: object) -> object:
    """A tag's value: true/false (yes/no factors) or a finite number (number factors)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number) or abs(number) > MAX_TAG_VALUE:
            raise ValueError(f"{value} is not a usable number (at most {MAX_TAG_VALUE:g})")
        return number
    raise ValueError(f"expected true, false or a number, not {value!r}")


def _tag_out(value: bool | float) -> bool | float | int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


TagValue = Annotated[
    bool | float,
    BeforeValidator(_tag_value),
    PlainSerializer(_tag_out, return_type=Any, when_used="json"),
]
Tags = dict[str, TagValue]


def null_is_empty(value: object) -> object:
    """`"tags": null` (or absent) reads as no tags: every own factor unknown for the record."""
    return {} if value is None else value


def tag_errors(
    tags: Mapping[str, bool | float], factors: Iterable[Factor], *, level: FactorLevel, path: str
) -> list[FieldError]:
    """What is wrong with a record's tags: a factor the athlete lacks, of another level, or a
    value of the wrong kind. Each error names the tag's path (`sessions[3].tags.new_shoes`)."""
    by_name = {f.name: f for f in factors}
    errors: list[FieldError] = []
    for name, value in tags.items():
        where = f"{path}.{name}"
        factor = by_name.get(name)
        if factor is None:
            known = ", ".join(sorted(f.name for f in by_name.values() if f.level == level)) or "none yet"
            errors.append(
                FieldError(
                    where,
                    f"no factor named {name!r}; the athlete's {level} factors: {known} "
                    f"(add one with: crampwise factor add {name} --level {level})",
                )
            )
        elif factor.level != level:
            errors.append(FieldError(where, f"{name} is a {factor.level} factor, not a {level} one"))
        elif factor.kind == FactorKind.YES_NO and not isinstance(value, bool):
            errors.append(
                FieldError(where, f"{name} is a yes/no factor; expected true or false, not {value:g}")
            )
        elif factor.kind == FactorKind.NUMBER and isinstance(value, bool):
            errors.append(FieldError(where, f"{name} is a number factor; expected a number, not {value}"))
    return errors


def factor_conflicts(stored: Iterable[Factor], incoming: Iterable[Factor], *, path: str) -> list[FieldError]:
    """Factors of the same name defined differently (a bundle's against the store's)."""
    known = {f.name: f for f in stored}
    errors = []
    for index, factor in enumerate(incoming):
        other = known.get(factor.name)
        if other is not None and (other.level, other.kind) != (factor.level, factor.kind):
            errors.append(
                FieldError(
                    f"{path}[{index}]",
                    f"{factor.name} is already a {other.level} factor of kind {other.kind}, "
                    f"not {factor.level}/{factor.kind}",
                )
            )
    return errors


def merged_factors(stored: Iterable[Factor], incoming: Iterable[Factor]) -> list[Factor]:
    """The stored factors plus the new ones of `incoming`, by name (conflicts checked before)."""
    out = {f.name: f for f in stored}
    for factor in incoming:
        out.setdefault(factor.name, factor)
    return sorted(out.values(), key=lambda f: f.name)
