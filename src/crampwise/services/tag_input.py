"""What a user typed as tags of the athlete's own factors, read against those factors.

One place for every face: the CLI's `--tag new-shoes`, `--tag caffeine_mg=200`, `--untag
new-shoes`, and the web form's chips (`tags.new_shoes` = "yes", `tags.caffeine_mg` = "200").
A tag naming a factor the athlete lacks, of the other level, or of the wrong kind is refused
with `InvalidInput` naming the flag (or form field) and the accepted form; nothing is written.

Standard library and the domain only (the CLI imports this when a command runs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from crampwise.domain.enums import FactorKind, FactorLevel
from crampwise.domain.errors import FieldError, InvalidInput
from crampwise.domain.factors import Factor, factor_name
from crampwise.services.field_input import number

YES = ("yes", "y", "true", "1", "on")
NO = ("no", "n", "false", "0", "off")
TagChanges = dict[str, bool | float | None]  # None: remove the tag (unknown again)


def _factor(name: str, factors: Iterable[Factor], level: FactorLevel, flag: str) -> Factor:
    mine = {f.name: f for f in factors}
    factor = mine.get(factor_name(name))
    if factor is None:
        known = ", ".join(sorted(f.name for f in mine.values() if f.level == level)) or "none yet"
        raise InvalidInput.single(
            flag,
            f"no factor named {factor_name(name)!r}; your {level} factors: {known} "
            f"(add one with: crampwise factor add {factor_name(name) or 'NAME'} --level {level})",
        )
    if factor.level != level:
        raise InvalidInput.single(
            flag, f"{factor.name} is a {factor.level} factor; tag it on a {factor.level}, not a {level}"
        )
    return factor


def _value(factor: Factor, raw: str | None, flag: str) -> bool | float:
    if factor.kind == FactorKind.YES_NO:
        text = "yes" if raw is None else raw.strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise InvalidInput.single(
            flag, f"{factor.name} is a yes/no factor; write {factor.name} or {factor.name}=no, not {raw!r}"
        )
    if raw is None or not raw.strip():
        raise InvalidInput.single(
            flag, f"{factor.name} is a number factor; give its value, e.g. {factor.name}=3"
        )
    try:
        return number(raw, flag)
    except InvalidInput:
        raise InvalidInput.single(
            flag, f"{factor.name} is a number factor; cannot read {raw!r}, e.g. {factor.name}=3"
        ) from None


def _collect(items: Iterable[tuple[str, bool | float | None]]) -> TagChanges:
    out: TagChanges = {}
    for name, value in items:
        out[name] = value
    return out


def read_tags(
    given: Sequence[str], factors: Iterable[Factor], level: FactorLevel, *, flag: str = "--tag"
) -> TagChanges:
    """`["new-shoes", "caffeine_mg=200", "pickle_juice=no"]` -> `{name: value}`, each checked."""
    known = list(factors)
    errors: list[FieldError] = []
    items: list[tuple[str, bool | float | None]] = []
    for raw in given:
        for part in raw.split(","):
            if not part.strip():
                continue
            name, sep, value = part.partition("=")
            try:
                factor = _factor(name, known, level, flag)
                items.append((factor.name, _value(factor, value if sep else None, flag)))
            except InvalidInput as exc:
                errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return _collect(items)


def read_untags(
    given: Sequence[str], factors: Iterable[Factor], level: FactorLevel, *, flag: str = "--untag"
) -> TagChanges:
    """`["new-shoes"]` -> `{"new_shoes": None}`: the tag removed, the factor unknown again."""
    known = list(factors)
    errors: list[FieldError] = []
    items: list[tuple[str, bool | float | None]] = []
    for raw in given:
        for part in raw.split(","):
            if part.strip():
                try:
                    items.append((_factor(part, known, level, flag).name, None))
                except InvalidInput as exc:
                    errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return _collect(items)


FORM_PREFIX = "tags."


def read_form_tags(
    fields: Mapping[str, object], factors: Iterable[Factor], level: FactorLevel
) -> dict[str, bool | float]:
    """A form's chips: `tags.NAME` = "yes" (a ticked yes/no chip) or the number typed.

    A yes/no chip not ticked is a known "no" (the form showed it); a number left empty is
    unknown. Errors are reported under the form field `tags`.
    """
    factors = list(factors)
    out: dict[str, bool | float] = {}
    errors: list[FieldError] = []
    for factor in factors:
        if factor.level != level:
            continue
        raw = fields.get(FORM_PREFIX + factor.name)
        text = raw.strip() if isinstance(raw, str) else ""
        try:
            if factor.kind == FactorKind.YES_NO:
                out[factor.name] = _value(factor, text, "tags") if text else False
            elif text:
                out[factor.name] = _value(factor, text, "tags")
        except InvalidInput as exc:
            errors.extend(exc.errors)
    unknown = [k.removeprefix(FORM_PREFIX) for k in fields if k.startswith(FORM_PREFIX)]
    names = {f.name for f in factors}
    for name in unknown:
        if name not in names:
            errors.append(FieldError("tags", f"no factor named {name!r}; reload the form"))
    if errors:
        raise InvalidInput(errors)
    return out
