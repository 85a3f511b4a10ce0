"""Activities read from a file, stored as the athlete's sessions (one transaction per file).

`store_activities` stores every activity of one parsed file: a new session, or the completion
of one already stored from the same activity (a session logged by hand gets the file's series
and the fields it lacked; an export's index adds a Strava name, description, gear, perceived
exertion). The legs of one multisport file share the first leg's id as `event_id`. The
pipeline around it (listing, parsing in workers, the file report) is `services.imports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Final

from sqlalchemy import Connection

from crampwise.domain.errors import InvalidInput
from crampwise.domain.records import Session, validate_record
from crampwise.domain.storable import check_storable
from crampwise.importers.model import FINGERPRINT_START_TOLERANCE_S, Fingerprint, ImportedActivity
from crampwise.services.import_worker import Parsed
from crampwise.storage import repository as repo
from crampwise.storage import series as store

# Fields a file fills in a stored session that does not know them yet.
FILLABLE: Final = (
    "distance_m",
    "elevation_gain_m",
    "avg_hr",
    "max_hr",
    "temperature_c",
    "rpe",
    "moving_time_s",
    "name",
    "description",
    "gear",
)
# What an export's index adds to a session already stored from the same activity's file.
MERGEABLE: Final = ("name", "description", "gear", "rpe")


@dataclass(frozen=True)
class Stored:
    session_id: str
    new: bool  # a session or a recording was stored
    merged: tuple[str, ...] = ()


def store_activities(conn: Connection, athlete_pk: int, zone: tzinfo, parsed: Parsed) -> list[Stored]:
    """Store a file's activities; the legs of one multisport event share the first leg's id."""
    sizes: dict[int, int] = {}
    for activity, _blob, _n in parsed.activities:
        if activity.event is not None:
            sizes[activity.event] = sizes.get(activity.event, 0) + 1
    event_ids: dict[int, str] = {}
    out: list[Stored] = []
    for activity, blob, n_samples in parsed.activities:
        event = activity.event if activity.event is not None and sizes[activity.event] > 1 else None
        stored = _store_activity(
            conn,
            athlete_pk,
            parsed,
            (activity.in_zone(zone), blob, n_samples),
            zone,
            event_id=event_ids.get(event) if event is not None else None,
            in_event=event is not None,
            own={o.session_id for o in out},
        )
        if event is not None:
            event_ids.setdefault(event, stored.session_id)
        out.append(stored)
    return out


def _store_activity(
    conn: Connection,
    athlete_pk: int,
    parsed: Parsed,
    item: tuple[ImportedActivity, bytes, int],
    zone: tzinfo,
    *,
    event_id: str | None,
    in_event: bool,
    own: set[str],
) -> Stored:
    """Store one activity (a leg of an event links to `event_id`, the first leg to itself).

    `own`: the sessions this file stored already; two legs of one file (a short run and a
    short row a minute apart) never count as the same activity.
    """
    activity, blob, n_samples = item
    mine = activity.fingerprint
    existing: Session | None = None
    for session_id, start, duration_s, distance_m, series_format in store.sessions_near(
        conn=conn, athlete_pk=athlete_pk, start=activity.start, window_s=FINGERPRINT_START_TOLERANCE_S
    ):
        if session_id in own or not mine.matches(Fingerprint(start.timestamp(), duration_s, distance_m)):
            continue
        if series_format is not None and not (parsed.format == "fit" and series_format != "fit"):
            # already recorded (a FIT is richer than a GPX/TCX: it replaces one); what an
            # export's index knows (a Strava name, gear...) still completes the session
            return Stored(session_id, False, _merge_meta(conn, athlete_pk, session_id, activity))
        existing = repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=session_id)
    if existing is not None and existing.id is not None:
        # a session logged by hand, or recorded from a GPX/TCX: the file fills what is unknown
        filled = {name: getattr(activity, name) for name in FILLABLE if getattr(existing, name) is None}
        if in_event and existing.event_id is None:
            filled["event_id"] = event_id or existing.id
        merged = _session({**existing.model_dump(), **{k: v for k, v in filled.items() if v is not None}})
        repo.update_record(
            conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=existing.id, record=merged
        )
        session_id = existing.id
    else:
        session_id = repo.next_record_id(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk)
        record = _session(_new_session(activity, parsed, zone, session_id, event_id, in_event))
        repo.insert_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, record=record)
    if n_samples or parsed.format != "strava":
        store.store_series(
            conn=conn,
            athlete_pk=athlete_pk,
            session_id=session_id,
            blob=blob,
            n_samples=n_samples,
            start=activity.start,
            duration_s=activity.duration_s,
            distance_m=activity.distance_m,
            source_format=parsed.format or "unknown",
        )
    return Stored(session_id, True)


def _new_session(
    activity: ImportedActivity,
    parsed: Parsed,
    zone: tzinfo,
    session_id: str,
    event_id: str | None,
    in_event: bool,
) -> dict[str, Any]:
    max_hr = activity.max_hr
    if max_hr is not None and activity.avg_hr is not None and max_hr < activity.avg_hr:
        max_hr = None
    moving = activity.moving_time_s
    if moving is not None and not 0 < moving <= activity.duration_s:
        moving = None
    return {
        "id": session_id,
        "start": activity.start.astimezone(zone),
        "sport": activity.sport,
        "duration_s": round(activity.duration_s, 3),
        "distance_m": activity.distance_m,
        "elevation_gain_m": activity.elevation_gain_m,
        "avg_hr": activity.avg_hr,
        "max_hr": max_hr,
        "rpe": activity.rpe,
        "temperature_c": activity.temperature_c,
        "notes": activity.notes[:4000],
        "source": f"{parsed.format}:{parsed.display}"[-500:],
        "moving_time_s": None if moving is None else round(moving, 3),
        "event_id": (event_id or session_id) if in_event else None,
        "recovered": True if activity.recovered else None,
        "date_inferred": True if activity.date_inferred else None,
        "name": activity.name[:200] if activity.name else None,
        "description": activity.description[:4000] if activity.description else None,
        "gear": activity.gear[:200] if activity.gear else None,
    }


def _merge_meta(
    conn: Connection, athlete_pk: int, session_id: str, activity: ImportedActivity
) -> tuple[str, ...]:
    """Complete a stored session with an export's metadata where it is unknown; the names merged."""
    existing = repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=session_id)
    if existing is None:
        return ()
    changes = {
        name: getattr(activity, name)
        for name in MERGEABLE
        if getattr(existing, name) is None and getattr(activity, name) is not None
    }
    if existing.sport.value == "other" and activity.sport.value != "other":
        changes["sport"] = activity.sport
    if not changes:
        return ()
    merged = _session({**existing.model_dump(), **changes})
    repo.update_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=session_id, record=merged)
    return tuple(changes)


def _session(values: dict[str, Any]) -> Session:
    try:
        return check_storable(validate_record(Session, values))
    except InvalidInput as exc:
        raise InvalidInput.single("", f"the file's session is not valid: {exc}") from None
