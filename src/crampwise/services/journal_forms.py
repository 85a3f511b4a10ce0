"""Journal records from forms: what the athlete typed, read in their units and zone, logged once.

The web's cramp, session and day forms send text per bundle field (`duration_s` = "90s",
`pre_mass_kg` = "70.2"); `services.field_input` reads it as the CLI reads its flags (one place
for units, accepted forms and messages), and `services.sync` logs the record once per
client key. Every bad field is reported at once, each under its field name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from crampwise.domain.enums import FactorLevel, UnitSystem
from crampwise.domain.factors import Factor
from crampwise.services.context import AppContext
from crampwise.services.field_input import Reading, read_fields
from crampwise.services.journal import get_athlete
from crampwise.services.sync import Logged, log_once
from crampwise.services.tag_input import FORM_PREFIX, read_form_tags

FORM_FIELDS: Final = {
    "cramp": (
        "muscle",
        "side",
        "severity",
        "duration_s",
        "context",
        "at",
        "relief",
        "relief_worked",
        "symptoms",
        "notes",
    ),
    "session": (
        "sport",
        "duration_s",
        "start",
        "distance_m",
        "rpe",
        "temperature_c",
        "avg_hr",
        "max_hr",
        "warmup_min",
        "cooldown_min",
        "pre_mass_kg",
        "post_mass_kg",
        "fluid_ml",
        "sodium_mg",
        "urine_ml",
        "notes",
    ),
    "day": (
        "date",
        "sleep_h",
        "fluid_ml",
        "alcohol_units",
        "fatigue",
        "sleep_quality",
        "resting_hr",
        "hrv_ms",
        "notes",
    ),
}
LIST_FIELDS: Final = ("relief", "symptoms")
CLIENT_TIME: Final = "client_time"  # when the phone saved the form (an offline cramp syncs later)


def form_factors(ctx: AppContext, *, athlete: str | None, kind: str) -> list[Factor]:
    """The athlete's own factors a session or day form shows as chips (none for a cramp)."""
    if kind not in ("session", "day"):
        return []
    level = FactorLevel(kind)
    return [f for f in get_athlete(ctx, athlete=athlete).factors if f.level == level]


def athlete_units(ctx: AppContext, *, athlete: str | None) -> UnitSystem:
    """The athlete's unit system, for the forms' hints (what a bare number means)."""
    return get_athlete(ctx, athlete=athlete).units


def log_from_form(
    ctx: AppContext,
    *,
    athlete: str | None,
    kind: str,
    fields: Mapping[str, Any],
    now: datetime,
    key: str | None = None,
    confirmed: bool = False,
) -> Logged:
    """Read a cramp, session or day form and log it once per `key`; `InvalidInput` names each bad field.

    Unusual values raise `Unconfirmed` (nothing stored) unless `confirmed`.
    """
    who = get_athlete(ctx, athlete=athlete)
    raw = {name: fields[name] for name in FORM_FIELDS[kind] if name in fields}
    raw = {name: value for name, value in raw.items() if value not in ("", None, [])}
    if kind == "cramp" and "at" not in raw and fields.get(CLIENT_TIME):
        raw["at"] = fields[CLIENT_TIME]
    data = read_fields(kind, raw, reading=Reading(units=who.units, zone=who.zone, now=now))
    if kind in ("session", "day"):
        tag_fields = {k: v for k, v in fields.items() if k.startswith(FORM_PREFIX)}
        data["tags"] = read_form_tags(tag_fields, who.factors, FactorLevel(kind))
        raw = {**raw, **tag_fields}
    return log_once(
        ctx, athlete=athlete, kind=kind, data=data, now=now, key=key, digest_of=raw, confirmed=confirmed
    )
