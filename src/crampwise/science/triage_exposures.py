"""Red flags from what the athlete was exposed to: weight gained in a session, a new medicine.

Split from science/triage.py (which applies the whole checklist); the rules and why are in its
docstring and docs/red-flags.md. Pure: no I/O, no clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crampwise.domain.enums import Level, Symptom
from crampwise.domain.history import History
from crampwise.domain.records import Cramp, Medication, Session
from crampwise.knowledge.redflags import red_flags
from crampwise.science.hydration import SCALE_NOISE_KG
from crampwise.science.triage_flags import Flag, raise_flag
from crampwise.science.triage_rates import (
    FLOOR_DAYS_PER_WEEK,
    RECENT_DAYS,
    SEVERE_MIN,
    data_start,
    local_day,
)
from crampwise.science.triage_stats import max_days_in_week

OVERDRINK_DAYS = 365  # weighed sessions looked at [crampwise_convention]
OVERDRINK_REPEAT = 2  # sessions with a mass gain that make it `soon` [crampwise_convention]
GAIN_RECENT_H = 48  # hew_butler2015_eah: EAH up to 24 h after; 48 h to log it [crampwise_convention]
GAIN_LONG_S = 2 * 3600  # a session over 2 h (issue 10) [crampwise_convention]
MEDICINE_WINDOW_DAYS = 90
MEDICINE_MIN_AFTER = 2
MUSCLE_SIGNS = frozenset({Symptom.PERSISTENT_PAIN, Symptom.WEAKNESS, Symptom.DARK_URINE})
URGENT_SIGNS = frozenset({Symptom.WEAKNESS, Symptom.DARK_URINE})


def _ended(session: Session) -> datetime:
    return session.start + timedelta(seconds=session.duration_s)


def over_drinking(history: History, now: datetime) -> list[Flag]:
    """Sessions finished heavier than begun (hew_butler2015_eah), whatever fluid was recorded.

    A gain under `SCALE_NOISE_KG` is the scale's noise. A gain with no fluid, or more than was
    recorded, still counts: the drink may simply not have been written down. A session over 2 h
    that ended in the last 48 h is urgent (`weight_gain_recent`); the others are history
    (`over_drinking`: mention, soon when repeated).
    """
    book = red_flags()
    since = now - timedelta(days=OVERDRINK_DAYS)
    gained = [
        s
        for s in history.sessions
        if since <= s.start <= now
        and s.pre_mass_kg is not None
        and s.post_mass_kg is not None
        and s.post_mass_kg - s.pre_mass_kg >= SCALE_NOISE_KG - 1e-9
    ]
    if not gained:
        return []
    zone = history.athlete.zone

    def shown(session: Session) -> str:
        drunk = (
            f" with {session.fluid_ml:g} ml drunk"
            if session.fluid_ml
            else " with no drink recorded"
            if session.fluid_ml is None
            else ""
        )
        return (
            f"{session.start.astimezone(zone).date()} {session.sport.value} "
            f"{session.duration_s / 3600:.1f} h: {session.pre_mass_kg:g} -> {session.post_mass_kg:g} kg{drunk}"
        )

    recent = [
        s
        for s in gained
        if s.duration_s > GAIN_LONG_S and timedelta(0) <= now - _ended(s) <= timedelta(hours=GAIN_RECENT_H)
    ]
    if recent:
        earlier = len(gained) - len(recent)
        detail = "; ".join(shown(s) for s in recent) + (
            f" (and {earlier} other session(s) ended heavier in the last {OVERDRINK_DAYS} days)"
            if earlier
            else ""
        )
        return [raise_flag(book.get("weight_gain_recent"), [], detail=detail)]
    more = f" (and {len(gained) - 3} earlier)" if len(gained) > 3 else ""
    detail = (
        f"{len(gained)} session(s) in the last {OVERDRINK_DAYS} days ended heavier than they began: "
        + "; ".join(shown(s) for s in gained[-3:])
        + more
    )
    level = Level.SOON if len(gained) >= OVERDRINK_REPEAT else None
    return [raise_flag(book.get("over_drinking"), [], detail=detail, level=level)]


def medicine_flag(
    history: History, cramps: list[Cramp], medication: Medication, now: datetime
) -> Flag | None:
    book = red_flags()
    group = book.linked_group(medication.name, medication.kind.value)
    if group is None:
        return None
    zone = history.athlete.zone
    started = datetime(medication.started.year, medication.started.month, medication.started.day, tzinfo=zone)
    start = data_start(history)
    if start is None or started > now:
        return None
    since = min(timedelta(days=MEDICINE_WINDOW_DAYS), now - started)
    after = [c for c in cramps if started <= c.at < started + since]
    prompt = group.level.rank >= Level.SOON.rank  # a statin or a diuretic (stroes2015_eas_sams)
    with_signs = [c for c in after if MUSCLE_SIGNS.intersection(c.symptoms)]
    enough = len(after) >= MEDICINE_MIN_AFTER or (prompt and bool(with_signs))
    if not enough:
        return None
    what = f"{medication.name} ({group.group}) started {medication.started}"
    record_before = started - start
    if record_before < timedelta(days=RECENT_DAYS):
        # A new user's journal often begins with the medicine: nothing to compare with, so the
        # cramps since the start are worth raising on their own (conservative).
        journal = (
            f"the journal begins {start.astimezone(zone).date()}"
            if record_before <= timedelta(0)
            else f"only {record_before.total_seconds() / 86400:.0f} days of journal before it"
        )
        detail = (
            f"{what}: {len(after)} cramp(s) logged since it started; {journal}, "
            "so there is no record from before it to compare"
        )
    else:
        span = min(since, record_before)
        after = [c for c in after if c.at < started + span]
        before = [c for c in cramps if started - span <= c.at < started]
        with_signs = [c for c in after if MUSCLE_SIGNS.intersection(c.symptoms)]
        more_often = len(after) >= MEDICINE_MIN_AFTER and len(after) > len(before)
        if not (more_often or (prompt and with_signs)):
            return None
        detail = f"{what}: {len(after)} cramp(s) in the {span.days} days after it against {len(before)} in the {span.days} days before"
    if with_signs:
        signs = sorted(
            {s.value.replace("_", " ") for c in with_signs for s in c.symptoms if s in MUSCLE_SIGNS}
        )
        detail += f"; logged with {', '.join(signs)}"
    definition = book.get("new_medicine")
    n_days, _ = max_days_in_week(local_day(c, history) for c in after)
    heavy = n_days >= FLOOR_DAYS_PER_WEEK or any((c.severity or 0) >= SEVERE_MIN for c in after)
    level = group.level
    if heavy and level.rank < Level.SOON.rank:
        level = Level.SOON
    if any(URGENT_SIGNS.intersection(c.symptoms) for c in after):
        level = Level.URGENT
    flag = raise_flag(definition, [c.id for c in after], detail=detail, level=level)
    sources = tuple(dict.fromkeys([*definition.sources, *group.sources]))
    advice = group.advice or flag.advice
    return Flag(flag.code, flag.level, flag.message, advice, flag.episodes, sources, flag.detail)
