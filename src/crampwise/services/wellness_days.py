"""Nights of sleep and recovery from a wearable's export, written into the athlete's days.

An import fills a day's `sleep_h`, `sleep_quality`, `resting_hr` and `hrv_ms` where they are
unknown and never overwrites what the athlete typed: a field filled by an import is listed in
the day's `imported_fields`, and only such a field is refreshed by a later import (Garmin
recomputes a night's score). The same file imported twice changes nothing (its hash makes it a
`duplicate`; the same values in another file fill nothing). Runs inside the caller's
transaction (the file's own).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from crampwise.domain.records import WELLNESS_FIELDS, Day, validate_record
from crampwise.importers.wellness import NightWellness
from crampwise.storage import repository as repo


@dataclass
class DaysFilled:
    """What one file's nights did to the days: added, updated, the fields filled, values kept."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    fields: dict[str, int] = field(default_factory=dict)
    kept: int = 0  # values the athlete typed, left as they were

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "filled": dict(self.fields),
            "kept_typed": self.kept,
        }


def _merge(current: Day, night: NightWellness, filled: DaysFilled) -> Day | None:
    """`current` with the night's values where unknown or imported before; None if unchanged."""
    imported = set(current.imported_fields)
    changes: dict[str, Any] = {}
    for name, value in night.values().items():
        stored = getattr(current, name)
        if stored is None or (name in imported and stored != value):
            changes[name] = value
            imported.add(name)
        elif name not in imported and stored != value:
            filled.kept += 1
    if not changes:
        return None
    for name in changes:
        filled.fields[name] = filled.fields.get(name, 0) + 1
    ordered = [name for name in WELLNESS_FIELDS if name in imported]
    return validate_record(Day, {**current.model_dump(), **changes, "imported_fields": ordered})


def store_nights(conn: Connection, *, athlete_pk: int, nights: Sequence[NightWellness]) -> DaysFilled:
    """Fill the athlete's days from `nights` (one per date); what was done."""
    filled = DaysFilled()
    for night in nights:
        values = night.values()
        if not values:
            continue
        current = repo.get_record(
            conn=conn, kind=repo.DAY, athlete_pk=athlete_pk, key=night.date, for_update=True
        )
        if current is None:
            day = validate_record(
                Day,
                {
                    "date": night.date,
                    **values,
                    "imported_fields": [n for n in WELLNESS_FIELDS if n in values],
                },
            )
            repo.insert_record(conn=conn, kind=repo.DAY, athlete_pk=athlete_pk, record=day)
            filled.added += 1
            for name in values:
                filled.fields[name] = filled.fields.get(name, 0) + 1
            continue
        merged = _merge(current, night, filled)
        if merged is None:
            filled.unchanged += 1
        else:
            repo.update_record(conn=conn, kind=repo.DAY, athlete_pk=athlete_pk, key=night.date, record=merged)
            filled.updated += 1
    filled.fields = {name: filled.fields[name] for name in WELLNESS_FIELDS if name in filled.fields}
    return filled
