"""The athlete's own factors: `crampwise factor add|list|rename|remove` and the web's settings.

A factor is defined once per athlete (name, level, kind) and tagged on records
(`services.tag_input` reads the tags). Renaming a factor renames its tags on every record;
removing it removes them. Each function is one transaction; bad input raises `InvalidInput`
naming the argument, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from crampwise.domain.enums import FactorLevel
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.domain.factors import Factor, factor_name
from crampwise.domain.records import Athlete, Day, Session
from crampwise.domain.validation_messages import invalid_from
from crampwise.services.context import AppContext
from crampwise.services.journal import resolve_athlete
from crampwise.storage import repository as repo


@dataclass(frozen=True)
class FactorUse:
    """A factor and how often it is tagged: records with a value, and those exposed (yes or > 0)."""

    factor: Factor
    tagged: int
    exposed: int

    def to_json(self) -> dict[str, Any]:
        return {**self.factor.model_dump(mode="json"), "tagged": self.tagged, "exposed": self.exposed}


def _kind_of(level: FactorLevel) -> repo.RecordKind[Any]:
    return repo.SESSION if level == FactorLevel.SESSION else repo.DAY


def _new_factor(name: str, level: str, kind: str) -> Factor:
    from pydantic import ValidationError

    try:
        return Factor.model_validate(
            {"name": factor_name(name), "level": level, "kind": kind.replace("-", "_")}
        )
    except ValidationError as exc:
        raise invalid_from(exc) from None


def add_factor(
    ctx: AppContext, *, athlete: str | None, name: str, level: str, kind: str = "yes_no"
) -> Factor:
    """Define one of the athlete's own factors (`new-shoes` is stored as `new_shoes`)."""
    factor = _new_factor(name, level, kind)
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        if any(f.name == factor.name for f in who.factors):
            raise InvalidInput.single("name", f"{who.name} already has a factor named {factor.name}")
        _save(conn, pk, who, [*who.factors, factor])
    return factor


def _save(conn: Connection, pk: int, who: Athlete, factors: list[Factor]) -> None:
    repo.update_athlete(conn=conn, athlete_pk=pk, athlete=who.model_copy(update={"factors": factors}))


def _find(who: Athlete, name: str) -> Factor:
    wanted = factor_name(name)
    for factor in who.factors:
        if factor.name == wanted:
            return factor
    known = ", ".join(f.name for f in who.factors) or "none yet (crampwise factor add NAME --level session)"
    raise NotFound(f"factor: {who.name} has no factor named {wanted!r}; their factors: {known}")


def _exposed(value: bool | float) -> bool:
    return value is True or (not isinstance(value, bool) and value > 0)


def list_factors(ctx: AppContext, *, athlete: str | None) -> list[FactorUse]:
    """The athlete's own factors, by name, with how many records carry each."""
    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        records: dict[FactorLevel, list[Any]] = {
            level: repo.list_records(conn=conn, kind=_kind_of(level), athlete_pk=pk) for level in FactorLevel
        }
    out = []
    for factor in who.factors:
        values = [r.tags[factor.name] for r in records[factor.level] if factor.name in r.tags]
        out.append(FactorUse(factor, len(values), sum(1 for v in values if _exposed(v))))
    return out


def _retag(conn: Connection, pk: int, factor: Factor, new_name: str | None) -> int:
    """Rename (`new_name`) or remove (`None`) a factor's tags on every record; how many changed."""
    kind = _kind_of(factor.level)
    changed = 0
    for record in repo.list_records(conn=conn, kind=kind, athlete_pk=pk):
        assert isinstance(record, Session | Day)
        if factor.name not in record.tags:
            continue
        tags = {k: v for k, v in record.tags.items() if k != factor.name}
        if new_name is not None:
            tags[new_name] = record.tags[factor.name]
        key = record.date if isinstance(record, Day) else record.id
        assert key is not None
        repo.update_record(
            conn=conn, kind=kind, athlete_pk=pk, key=key, record=record.model_copy(update={"tags": tags})
        )
        changed += 1
    return changed


def rename_factor(ctx: AppContext, *, athlete: str | None, name: str, new_name: str) -> tuple[Factor, int]:
    """Give a factor a new name, on every record tagged with it; the factor and the records changed."""
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        old = _find(who, name)
        new = _new_factor(new_name, old.level, old.kind)
        if new.name != old.name and any(f.name == new.name for f in who.factors):
            raise InvalidInput.single("new_name", f"{who.name} already has a factor named {new.name}")
        _save(conn, pk, who, [new if f.name == old.name else f for f in who.factors])
        changed = _retag(conn, pk, old, new.name) if new.name != old.name else 0
    return new, changed


def remove_factor(ctx: AppContext, *, athlete: str | None, name: str) -> tuple[Factor, int]:
    """Remove a factor and its tags from every record (not undone); the factor and the records changed."""
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        old = _find(who, name)
        changed = _retag(conn, pk, old, None)
        _save(conn, pk, who, [f for f in who.factors if f.name != old.name])
    return old, changed


def factor_use(ctx: AppContext, *, athlete: str | None, name: str) -> FactorUse:
    """One factor with how many records carry it (asked before removing it)."""
    with ctx.read() as conn:
        who = resolve_athlete(ctx, conn, athlete)[1]
        wanted = _find(who, name).name
    return next(use for use in list_factors(ctx, athlete=who.name) if use.factor.name == wanted)
