"""What the athlete was doing when a cramp struck, and what an imported session holds.

A cramp linked to a session (or, unlinked, logged while an imported session was running) is
placed on that session's series by `science.moments`; the views are what `crampwise show`
and the web page render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import NotFound
from crampwise.domain.records import Cramp, Session, record_to_json_dict
from crampwise.domain.series import CHANNELS, Series
from crampwise.science.moments import CrampMoment, place_cramp
from crampwise.services.context import AppContext
from crampwise.services.journal import resolve_athlete
from crampwise.storage import repository as repo
from crampwise.storage import series as store


@dataclass(frozen=True)
class CrampView:
    cramp: Cramp
    session: Session | None
    linked_by: str | None  # "session_id" | "time" | None
    moment: CrampMoment | None
    has_recording: bool = False  # the session has an imported series
    units: UnitSystem = UnitSystem.METRIC  # the athlete's, for rendering

    def to_json(self) -> dict[str, Any]:
        return {
            "cramp": record_to_json_dict(self.cramp),
            "session": record_to_json_dict(self.session) if self.session else None,
            "linked_by": self.linked_by,
            "moment": self.moment.to_json() if self.moment else None,
            "has_recording": self.has_recording,
        }


@dataclass(frozen=True)
class SessionView:
    session: Session
    series_samples: int
    channels: tuple[str, ...]
    source_format: str | None
    cramps: tuple[Cramp, ...]
    moments: tuple[CrampMoment | None, ...]
    units: UnitSystem = UnitSystem.METRIC  # the athlete's, for rendering

    def to_json(self) -> dict[str, Any]:
        return {
            "session": record_to_json_dict(self.session),
            "series": {
                "samples": self.series_samples,
                "channels": list(self.channels),
                "source_format": self.source_format,
            },
            "cramps": [
                {"cramp": record_to_json_dict(c), "moment": m.to_json() if m else None}
                for c, m in zip(self.cramps, self.moments, strict=True)
            ],
        }


def _session_at(conn: Connection, athlete_pk: int, cramp: Cramp) -> Session | None:
    """An imported session that was running when an unlinked cramp was logged."""
    for session_id, start, duration_s, _distance, series_format in store.sessions_near(
        conn=conn, athlete_pk=athlete_pk, start=cramp.at - timedelta(hours=24), window_s=24 * 3600
    ):
        if series_format is not None and start <= cramp.at <= start + timedelta(seconds=duration_s):
            return repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=session_id)
    return None


def _moment(conn: Connection, athlete_pk: int, cramp: Cramp, session: Session) -> CrampMoment:
    assert session.id is not None
    loaded = store.load_series(conn=conn, athlete_pk=athlete_pk, session_id=session.id)
    series = loaded[0] if loaded else Series.empty()
    return place_cramp(
        cramp_at=cramp.at,
        session_start=session.start,
        duration_s=session.duration_s,
        series=series,
        session_avg_hr=session.avg_hr,
        session_temperature_c=session.temperature_c,
    )


def cramp_view(ctx: AppContext, *, athlete: str | None, cramp_id: str) -> CrampView:
    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        cramp = repo.get_record(conn=conn, kind=repo.CRAMP, athlete_pk=pk, key=cramp_id)
        if cramp is None:
            raise NotFound(f"cramp: no cramp with id {cramp_id!r}; see crampwise list cramps")
        session, linked_by = None, None
        if cramp.session_id:
            session = repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=pk, key=cramp.session_id)
            linked_by = "session_id" if session else None
        if session is None:
            session = _session_at(conn, pk, cramp)
            linked_by = "time" if session else None
        moment = _moment(conn, pk, cramp, session) if session else None
        recorded = bool(
            session and session.id and store.load_series(conn=conn, athlete_pk=pk, session_id=session.id)
        )
    return CrampView(cramp, session, linked_by, moment, recorded, who.units)


def session_view(ctx: AppContext, *, athlete: str | None, session_id: str) -> SessionView:
    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        session = repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=pk, key=session_id)
        if session is None:
            raise NotFound(f"session: no session with id {session_id!r}; see crampwise list sessions")
        loaded = store.load_series(conn=conn, athlete_pk=pk, session_id=session_id)
        series, source = loaded if loaded else (Series.empty(), None)
        cramps = tuple(
            c
            for c in repo.list_records(conn=conn, kind=repo.CRAMP, athlete_pk=pk)
            if c.session_id == session_id or (c.session_id is None and session.start <= c.at <= session.end)
        )
        moments = tuple(_moment(conn, pk, c, session) if loaded else None for c in cramps)
    channels = tuple(name for name in CHANNELS if series.has(name))
    return SessionView(session, len(series), channels, source, cramps, moments, who.units)
