"""Plain-text rendering of journal records: aligned tables and one-line summaries.

Plain text (no colour, no terminal-width wrapping) so output is the same in a terminal, a
pipe and a test. Quantities are shown in the athlete's unit system.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from crampwise.domain import units
from crampwise.domain.enums import UnitSystem

if TYPE_CHECKING:  # Pydantic is imported only when a command runs, not for `--help`
    from crampwise.domain.records import Athlete, Cramp, Day, Medication, Session

MISSING = "-"


def num(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return MISSING
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def when(moment: datetime) -> str:
    """The local time the athlete saw (the offset it was logged with)."""
    return moment.strftime("%Y-%m-%d %H:%M")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart, no trailing blanks."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    lines = []
    for row in (headers, *rows):
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _opt(value: object) -> str:
    return MISSING if value is None or value == "" else str(value)


def _mass(kg: float | None, u: UnitSystem) -> str:
    return MISSING if kg is None else units.format_mass(kg, u)


def _volume(ml: float | None, u: UnitSystem) -> str:
    return MISSING if ml is None else units.format_volume(ml, u)


def cramp_rows(cramps: Sequence[Cramp]) -> tuple[list[str], list[list[str]]]:
    headers = ["ID", "WHEN", "MUSCLE", "SIDE", "SEV", "DURATION", "CONTEXT", "SESSION", "RELIEF"]
    rows = [
        [
            _opt(c.id),
            when(c.at),
            c.muscle,
            _opt(c.side),
            _opt(c.severity),
            MISSING if c.duration_s is None else units.format_duration(c.duration_s),
            c.context,
            _opt(c.session_id),
            ",".join(c.relief) or MISSING,
        ]
        for c in cramps
    ]
    return headers, rows


def session_rows(sessions: Sequence[Session], u: UnitSystem) -> tuple[list[str], list[list[str]]]:
    headers = [
        "ID",
        "START",
        "SPORT",
        "DURATION",
        "DISTANCE",
        "RPE",
        "TEMP",
        "PRE",
        "POST",
        "FLUID",
        "SODIUM",
    ]
    rows = [
        [
            _opt(s.id),
            when(s.start),
            s.sport,
            units.format_duration(s.duration_s),
            MISSING if s.distance_m is None else units.format_distance(s.distance_m, u),
            num(s.rpe),
            MISSING if s.temperature_c is None else units.format_temperature(s.temperature_c, u),
            _mass(s.pre_mass_kg, u),
            _mass(s.post_mass_kg, u),
            _volume(s.fluid_ml, u),
            MISSING if s.sodium_mg is None else units.format_sodium(s.sodium_mg),
        ]
        for s in sessions
    ]
    return headers, rows


def day_rows(days: Sequence[Day], u: UnitSystem) -> tuple[list[str], list[list[str]]]:
    headers = ["DATE", "SLEEP", "FLUID", "ALCOHOL", "FATIGUE", "NOTES"]
    rows = [
        [
            d.date.isoformat(),
            MISSING if d.sleep_h is None else units.format_duration(d.sleep_h * 3600),
            _volume(d.fluid_ml, u),
            num(d.alcohol_units),
            num(d.fatigue),
            _opt(d.notes),
        ]
        for d in days
    ]
    return headers, rows


def medication_rows(meds: Sequence[Medication]) -> tuple[list[str], list[list[str]]]:
    headers = ["ID", "NAME", "KIND", "STARTED", "STOPPED"]
    rows = [[_opt(m.id), m.name, m.kind, m.started.isoformat(), _opt(m.stopped)] for m in meds]
    return headers, rows


def athlete_lines(athlete: Athlete, counts: dict[str, int]) -> str:
    u = athlete.units
    pairs = [
        ("name", athlete.name),
        ("sex", _opt(athlete.sex)),
        ("birth year", _opt(athlete.birth_year)),
        ("body mass", _mass(athlete.body_mass_kg, u)),
        ("max HR", _opt(athlete.max_hr)),
        ("time zone", athlete.timezone),
        (
            "sweat sodium",
            MISSING if athlete.sweat_sodium_mmol_l is None else f"{num(athlete.sweat_sodium_mmol_l)} mmol/L",
        ),
        ("units", athlete.units),
        ("records", ", ".join(f"{n} {kind}" for kind, n in counts.items())),
    ]
    width = max(len(key) for key, _ in pairs)
    return "\n".join(f"{key.ljust(width)}  {value}" for key, value in pairs)


def cramp_line(c: Cramp) -> str:
    bits = [f"{c.muscle}" + (f" ({c.side})" if c.side else ""), c.context, when(c.at)]
    if c.severity is not None:
        bits.insert(1, f"severity {c.severity}")
    if c.duration_s is not None:
        bits.insert(2 if c.severity is not None else 1, units.format_duration(c.duration_s))
    if c.session_id:
        bits.append(f"session {c.session_id}")
    return f"cramp {c.id}: " + ", ".join(bits)


def session_line(s: Session, u: UnitSystem) -> str:
    bits = [s.sport, units.format_duration(s.duration_s), f"from {when(s.start)}"]
    if s.distance_m is not None:
        bits.insert(2, units.format_distance(s.distance_m, u))
    if s.tags:
        bits.append(tags_text(s.tags))
    return f"session {s.id}: " + ", ".join(bits)


def tags_text(tags: dict[str, bool | float]) -> str:
    """`tags new_shoes=yes, caffeine_mg=200`: the athlete's own factors on a record."""
    shown = (f"{k}={'yes' if v is True else 'no' if v is False else num(v)}" for k, v in tags.items())
    return "tags " + " ".join(shown)


def day_line(d: Day, u: UnitSystem) -> str:
    headers, rows = day_rows([d], u)
    bits = [f"{h.lower()} {v}" for h, v in zip(headers[1:5], rows[0][1:5], strict=True) if v != MISSING]
    recovery = (
        ("sleep quality", d.sleep_quality, ""),
        ("resting hr", d.resting_hr, " bpm"),
        ("hrv", d.hrv_ms, " ms"),
    )
    bits += [f"{name} {num(value)}{unit}" for name, value, unit in recovery if value is not None]
    if d.tags:
        bits.append(tags_text(d.tags))
    return f"day {d.date.isoformat()}: " + (", ".join(bits) if bits else "no values")


def medication_line(m: Medication) -> str:
    stopped = f", stopped {m.stopped}" if m.stopped else ""
    return f"medication {m.id}: {m.name} ({m.kind}), started {m.started}{stopped}"
