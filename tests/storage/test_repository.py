"""Repository functions on both backends: ids, counters, offsets, batch inserts, unlinking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Connection, delete

from crampwise.domain.records import Athlete, Cramp, Day, Session
from crampwise.storage import repository as repo
from crampwise.storage.engine import make_engine
from crampwise.storage.migrate import upgrade
from crampwise.storage.schema import id_counters


@pytest.fixture
def conn(store_url: str) -> Iterator[Connection]:
    engine = make_engine(store_url)
    upgrade(engine)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def cramp(record_id: str, at: datetime, **extra: object) -> Cramp:
    return Cramp.model_validate({"id": record_id, "at": at, "muscle": "calf", "context": "rest", **extra})


def test_ids_skip_taken_ones_and_counters_are_recreated(conn: Connection) -> None:
    pk = repo.insert_athlete(conn=conn, athlete=Athlete(name="Ana"))
    at = datetime(2026, 5, 1, tzinfo=UTC)
    repo.insert_record(conn=conn, kind=repo.CRAMP, athlete_pk=pk, record=cramp("c-0002", at))
    assert repo.next_record_id(conn=conn, kind=repo.CRAMP, athlete_pk=pk) == "c-0001"
    assert repo.next_record_id(conn=conn, kind=repo.CRAMP, athlete_pk=pk) == "c-0003"
    conn.execute(delete(id_counters))
    assert repo.next_record_id(conn=conn, kind=repo.SESSION, athlete_pk=pk) == "s-0001"
    repo.advance_counter(conn=conn, kind=repo.SESSION, athlete_pk=pk, ids=["s-0040", "s-x", "run-7"])
    assert repo.next_record_id(conn=conn, kind=repo.SESSION, athlete_pk=pk) == "s-0041"
    with pytest.raises(ValueError, match="no generated id"):
        repo.next_record_id(conn=conn, kind=repo.DAY, athlete_pk=pk)


def test_ids_are_per_athlete_and_offsets_survive(conn: Connection) -> None:
    ana = repo.insert_athlete(conn=conn, athlete=Athlete(name="Ana"))
    ben = repo.insert_athlete(conn=conn, athlete=Athlete(name="Ben"))
    newfoundland = timezone(-timedelta(hours=3, minutes=30))
    first = cramp("c-0001", datetime(2026, 5, 1, 8, 55, tzinfo=newfoundland), relief=["stretch", "walk"])
    repo.insert_records(conn=conn, kind=repo.CRAMP, athlete_pk=ana, records=[first])
    repo.insert_records(
        conn=conn, kind=repo.CRAMP, athlete_pk=ben, records=[cramp("c-0001", datetime.now(UTC))]
    )
    back = repo.get_record(conn=conn, kind=repo.CRAMP, athlete_pk=ana, key="c-0001")
    assert back is not None
    assert back.at.isoformat() == "2026-05-01T08:55:00-03:30"
    assert back.relief == ["stretch", "walk"]
    assert back.model_dump(mode="json") == first.model_dump(mode="json")
    assert len(repo.list_records(conn=conn, kind=repo.CRAMP, athlete_pk=ben)) == 1


def test_update_delete_and_unlink(conn: Connection) -> None:
    pk = repo.insert_athlete(conn=conn, athlete=Athlete(name="Ana"))
    start = datetime(2026, 5, 1, 7, 30, tzinfo=UTC)
    session = Session.model_validate({"id": "s-0001", "start": start, "sport": "run", "duration_s": 3600})
    repo.insert_record(conn=conn, kind=repo.SESSION, athlete_pk=pk, record=session)
    repo.insert_record(
        conn=conn, kind=repo.CRAMP, athlete_pk=pk, record=cramp("c-0001", start, session_id="s-0001")
    )
    repo.insert_record(conn=conn, kind=repo.DAY, athlete_pk=pk, record=Day(date=date(2026, 5, 1), sleep_h=7))
    changed = session.model_copy(update={"rpe": 6.0})
    assert repo.update_record(conn=conn, kind=repo.SESSION, athlete_pk=pk, key="s-0001", record=changed)
    assert not repo.update_record(conn=conn, kind=repo.SESSION, athlete_pk=pk, key="s-0009", record=changed)
    loaded = repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=pk, key="s-0001", for_update=True)
    assert loaded is not None and loaded.rpe == 6
    assert repo.delete_record(conn=conn, kind=repo.SESSION, athlete_pk=pk, key="s-0001")
    assert repo.unlink_session(conn=conn, athlete_pk=pk, session_id="s-0001") == 1
    [linked] = repo.list_records(conn=conn, kind=repo.CRAMP, athlete_pk=pk)
    assert linked.session_id is None
    assert repo.get_record(conn=conn, kind=repo.DAY, athlete_pk=pk, key=date(2026, 5, 1)) == Day(
        date=date(2026, 5, 1), sleep_h=7
    )
