"""The athlete's settings from a form: create the athlete (first run) or change its settings.

Fields are the bundle's athlete fields as text (`body_mass_kg` = "61.5kg" or "135lb"), read by
`services.field_input` like the CLI's `athlete add|set` flags; an empty field sets it to unknown
(except name, time zone and units, which always have a value).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from crampwise.domain.errors import NotFound
from crampwise.domain.records import Athlete
from crampwise.services.context import AppContext
from crampwise.services.field_input import Reading, own_units, read_fields
from crampwise.services.journal import add_athlete, get_athlete, set_athlete

FIELDS: Final = (
    "name",
    "sex",
    "birth_year",
    "body_mass_kg",
    "max_hr",
    "timezone",
    "sweat_sodium_mmol_l",
    "units",
)
ALWAYS_SET: Final = ("name", "timezone", "units")


def current_athlete(ctx: AppContext, *, athlete: str | None) -> Athlete | None:
    """The athlete the app acts for, or None when the store has none yet."""
    try:
        return get_athlete(ctx, athlete=athlete)
    except NotFound:
        return None


def save_athlete(
    ctx: AppContext, *, athlete: str | None, form: Mapping[str, Any], now: datetime, confirmed: bool = False
) -> Athlete:
    """Create the athlete when there is none (the journal starts today), else change its settings.

    A bare body mass is read in the units chosen on the same form (as `athlete add|set --units`);
    a body mass far from the one on record raises `Unconfirmed` unless `confirmed`.
    """
    raw = {k: str(form.get(k) or "").strip() for k in FIELDS}
    existing = current_athlete(ctx, athlete=athlete)
    units = own_units(raw["units"], existing.units if existing is not None else None)
    data = read_fields("athlete", {k: v for k, v in raw.items() if v}, reading=Reading(units=units, now=now))
    if existing is None:
        return add_athlete(ctx, data=data, now=now)
    changes = {k: data.get(k) for k in FIELDS if k not in ALWAYS_SET or k in data}
    return set_athlete(ctx, athlete=athlete, changes=changes, confirmed=confirmed)
