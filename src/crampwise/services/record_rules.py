"""Rules every new or changed journal record passes before it is written.

Times without an offset are the athlete's local times (`localize`); ids are crampwise's to give
(`refuse_id`); a cramp names only a session that exists (`check_session_link`). Shared by
logging (`services.journal`) and editing (`services.record_edits`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from crampwise.domain.errors import InvalidInput
from crampwise.domain.records import Cramp
from crampwise.storage import repository as repo


def localize(value: Any, zone: ZoneInfo) -> Any:
    """A naive datetime (or ISO text without an offset) read as local time in `zone`."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return value  # left for the record's validator to report with the accepted form
        return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else value
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


def refuse_id(data: Mapping[str, Any]) -> None:
    if data.get("id") is not None:
        raise InvalidInput.single("id", "ids are assigned by crampwise; leave the id out")


def check_session_link(conn: Connection, athlete_pk: int, cramp: Cramp) -> None:
    if cramp.session_id is None:
        return
    if repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=cramp.session_id) is None:
        raise InvalidInput.single(
            "session_id", f"no session with id {cramp.session_id!r}; see: crampwise list sessions"
        )
