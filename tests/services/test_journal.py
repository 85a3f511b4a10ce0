"""Journal use-cases: athlete selection, logging with ids and defaults, edits, deletes, errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from crampwise.config import Settings
from crampwise.domain.errors import InvalidInput, NotFound, StoreError
from crampwise.services import journal
from crampwise.services.bundles import export_bundle
from crampwise.services.context import AppContext, open_context
from crampwise.storage import repository

CRAMP = {"muscle": "calf", "side": "left", "severity": 7, "duration_s": 90, "context": "exercise"}


def ana(ctx: AppContext, **extra: Any) -> None:
    journal.add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid", **extra})


def test_athlete_selection_follows_the_contract(store_ctx: AppContext) -> None:
    journal.init_store(store_ctx)
    with pytest.raises(NotFound, match="no athlete yet; add one with: crampwise athlete add NAME"):
        journal.get_athlete(store_ctx, athlete=None)
    ana(store_ctx)
    assert journal.get_athlete(store_ctx, athlete=None).name == "Ana"
    assert journal.get_athlete(store_ctx, athlete="ana").name == "Ana"  # case-insensitive fallback
    journal.add_athlete(store_ctx, data={"name": "Ben"})
    assert journal.get_athlete(store_ctx, athlete=None).name == "Ana"  # the first one is the default
    journal.make_default_athlete(store_ctx, athlete="Ben")
    assert journal.get_athlete(store_ctx, athlete=None).name == "Ben"
    journal.delete_athlete(store_ctx, athlete="Ben")  # the default is gone: no athlete is picked
    journal.add_athlete(store_ctx, data={"name": "Ben"}, default=False)
    with pytest.raises(NotFound) as info:
        journal.get_athlete(store_ctx, athlete=None)
    assert str(info.value) == (
        "athlete: several athletes in the store (Ana, Ben) and none is the default; choose one with "
        "--athlete NAME, or make one the default: crampwise athlete default NAME"
    )
    with pytest.raises(NotFound) as info:
        journal.get_athlete(store_ctx, athlete="Cleo")
    assert str(info.value) == "athlete: no athlete named 'Cleo'; known athletes: Ana, Ben"
    assert [a.name for a in journal.list_athletes(store_ctx)] == ["Ana", "Ben"]


def test_settings_athlete_is_the_default(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", data_dir=tmp_path, athlete="Ben")
    with open_context(settings) as ctx:
        ana(ctx)
        journal.add_athlete(ctx, data={"name": "Ben"})
        assert journal.get_athlete(ctx, athlete=None).name == "Ben"


def test_add_and_set_athlete_validate_and_keep_names_unique(store_ctx: AppContext) -> None:
    ana(store_ctx, body_mass_kg=61.5)
    journal.add_athlete(store_ctx, data={"name": "Ben"})
    with pytest.raises(InvalidInput, match=r"^name: an athlete named 'Ana' already exists"):
        journal.add_athlete(store_ctx, data={"name": "Ana"})
    with pytest.raises(InvalidInput, match=r"^body_mass_kg: "):
        journal.set_athlete(store_ctx, athlete="Ana", changes={"body_mass_kg": 10})
    with pytest.raises(InvalidInput, match=r"^name: an athlete named 'Ben'"):
        journal.set_athlete(store_ctx, athlete="Ana", changes={"name": "Ben"})
    changed = journal.set_athlete(store_ctx, athlete="Ana", changes={"units": "imperial", "max_hr": 190})
    assert (changed.units, changed.max_hr, changed.body_mass_kg) == ("imperial", 190, 61.5)
    assert journal.get_athlete(store_ctx, athlete="Ana") == changed


def test_log_assigns_ids_and_defaults(store_ctx: AppContext, now: datetime) -> None:
    ana(store_ctx)
    first = journal.log_cramp(store_ctx, athlete=None, data=CRAMP, now=now)
    second = journal.log_cramp(store_ctx, athlete=None, data={**CRAMP, "at": "2026-06-01T09:00:00"}, now=now)
    assert (first.id, second.id) == ("c-0001", "c-0002")
    assert first.at == now
    assert second.at == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # naive time read in Madrid (UTC+2)
    session = journal.log_session(store_ctx, athlete=None, data={"sport": "run", "duration_s": 3600}, now=now)
    assert session.id == "s-0001"
    assert session.start == now - timedelta(hours=1)
    med = journal.log_medication(store_ctx, athlete=None, data={"name": "x", "started": "2026-01-01"})
    assert med.id == "m-0001"
    with pytest.raises(InvalidInput, match=r"^name: X started 2026-01-01 is already logged as m-0001"):
        journal.log_medication(store_ctx, athlete=None, data={"name": "X", "started": "2026-01-01"})
    with pytest.raises(InvalidInput, match=r"^id: ids are assigned by crampwise"):
        journal.log_cramp(store_ctx, athlete=None, data={**CRAMP, "id": "c-0100"}, now=now)


def test_offsets_survive_the_store(store_ctx: AppContext, now: datetime) -> None:
    ana(store_ctx)
    at = datetime(2026, 5, 1, 8, 55, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))
    journal.log_cramp(store_ctx, athlete=None, data={**CRAMP, "at": at}, now=now)
    stored = journal.load_history(store_ctx, athlete=None).cramps[0]
    assert stored.at.isoformat() == "2026-05-01T08:55:00-03:30"


def test_log_day_is_an_upsert_by_date(store_ctx: AppContext, now: datetime) -> None:
    ana(store_ctx)
    journal.log_day(store_ctx, athlete=None, data={"sleep_h": 7.5}, now=now)
    day = journal.log_day(store_ctx, athlete=None, data={"date": "2026-06-01", "fatigue": 3}, now=now)
    assert (day.date, day.sleep_h, day.fatigue) == (date(2026, 6, 1), 7.5, 3)
    assert len(journal.load_history(store_ctx, athlete=None).days) == 1


def test_bad_input_names_the_field_and_changes_nothing(store_ctx: AppContext, now: datetime) -> None:
    ana(store_ctx)
    journal.log_session(store_ctx, athlete=None, data={"sport": "run", "duration_s": 3600}, now=now)
    before = export_bundle(store_ctx, athlete=None)
    cases: list[tuple[dict[str, Any], str]] = [
        ({**CRAMP, "at": "2026-06-02T12:00:00+00:00"}, "at"),
        ({**CRAMP, "muscle": "elbow"}, "muscle"),
        ({**CRAMP, "severity": 11}, "severity"),
        ({**CRAMP, "session_id": "s-0099"}, "session_id"),
        ({**CRAMP, "at": "yesterday"}, "at"),
    ]
    for data, field in cases:
        with pytest.raises(InvalidInput) as info:
            journal.log_cramp(store_ctx, athlete=None, data=data, now=now)
        assert [e.path for e in info.value.errors] == [field]
    with pytest.raises(InvalidInput, match=r"^post_mass_kg: "):
        journal.log_session(
            store_ctx,
            athlete=None,
            data={"sport": "run", "duration_s": 60, "pre_mass_kg": 70, "post_mass_kg": 60},
            now=now,
        )
    with pytest.raises(InvalidInput, match=r"^sport: "):
        journal.log_session(store_ctx, athlete=None, data={"sport": "curling", "duration_s": 60}, now=now)
    # without a start, a session ended now; a duration beyond any date (schemathesis found it)
    # is refused by name, not an overflow
    for duration_s in (48 * 3600 + 1, 1e300):
        with pytest.raises(InvalidInput, match=r"^duration_s: "):
            journal.log_session(
                store_ctx, athlete=None, data={"sport": "run", "duration_s": duration_s}, now=now
            )
    with pytest.raises(InvalidInput, match=r"^date: "):
        journal.log_day(store_ctx, athlete=None, data={"date": "2026-13-01"}, now=now)
    assert export_bundle(store_ctx, athlete=None) == before
    # the failed attempts did not use up ids
    assert journal.log_cramp(store_ctx, athlete=None, data=CRAMP, now=now).id == "c-0001"


def test_update_keeps_the_id_and_validates(store_ctx: AppContext, now: datetime) -> None:
    ana(store_ctx)
    session = journal.log_session(store_ctx, athlete=None, data={"sport": "run", "duration_s": 3600}, now=now)
    journal.log_cramp(store_ctx, athlete=None, data=CRAMP, now=now)
    cramp = journal.update_cramp(
        store_ctx, athlete=None, cramp_id="c-0001", changes={"severity": 4, "session_id": session.id}, now=now
    )
    assert (cramp.id, cramp.severity, cramp.session_id, cramp.muscle) == ("c-0001", 4, "s-0001", "calf")
    with pytest.raises(InvalidInput, match=r"^id: the id of a cramp cannot be changed"):
        journal.update_cramp(store_ctx, athlete=None, cramp_id="c-0001", changes={"id": "c-0009"}, now=now)
    with pytest.raises(NotFound, match=r"^cramp: no cramp 'c-0009' for Ana"):
        journal.update_cramp(store_ctx, athlete=None, cramp_id="c-0009", changes={"severity": 1}, now=now)
    updated = journal.update_session(
        store_ctx, athlete=None, session_id="s-0001", changes={"plan_followed": True, "rpe": None}, now=now
    )
    assert updated.plan_followed is True
    with pytest.raises(NotFound, match=r"^day: no day '2026-06-01'"):
        journal.update_day(store_ctx, athlete=None, day="2026-06-01", changes={"sleep_h": 8})
    journal.log_medication(store_ctx, athlete=None, data={"name": "x", "started": "2026-01-01"})
    med = journal.update_medication(
        store_ctx, athlete=None, medication_id="m-0001", changes={"stopped": "2026-02-01"}
    )
    assert med.stopped == date(2026, 2, 1)


def test_delete_unlinks_cramps_of_a_deleted_session(store_ctx: AppContext, now: datetime) -> None:
    ana(store_ctx)
    journal.log_session(store_ctx, athlete=None, data={"sport": "run", "duration_s": 3600}, now=now)
    journal.log_cramp(store_ctx, athlete=None, data={**CRAMP, "session_id": "s-0001"}, now=now)
    journal.log_day(store_ctx, athlete=None, data={"sleep_h": 6}, now=now)
    deleted = journal.delete_record(store_ctx, athlete=None, kind="session", record_id="s-0001")
    assert deleted.id == "s-0001"  # type: ignore[attr-defined]
    history = journal.load_history(store_ctx, athlete=None)
    assert history.sessions == ()
    assert history.cramps[0].session_id is None
    journal.delete_record(store_ctx, athlete=None, kind="day", record_id="2026-06-01")
    journal.delete_record(store_ctx, athlete=None, kind="cramp", record_id="c-0001")
    with pytest.raises(NotFound, match=r"^cramp: no cramp 'c-0001'"):
        journal.delete_record(store_ctx, athlete=None, kind="cramp", record_id="c-0001")
    with pytest.raises(InvalidInput, match=r"^kind: "):
        journal.delete_record(store_ctx, athlete=None, kind="lap", record_id="1")
    assert journal.load_history(store_ctx, athlete=None).cramps == ()


def test_store_failures_become_store_errors_and_roll_back(
    ctx: AppContext, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana(ctx)

    def broken(**_: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(repository, "insert_record", broken)
    with pytest.raises(StoreError, match="disk I/O error"):
        journal.log_cramp(ctx, athlete=None, data=CRAMP, now=now)
    monkeypatch.undo()
    assert journal.log_cramp(ctx, athlete=None, data=CRAMP, now=now).id == "c-0001"  # counter rolled back


def test_an_unopenable_store_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'file' / 'x.db'}", data_dir=tmp_path)
    with open_context(settings) as ctx, pytest.raises(StoreError):
        journal.init_store(ctx)
    with (
        open_context(Settings(database_url="nonsense://", data_dir=tmp_path)) as ctx,
        pytest.raises(StoreError, match="cannot use database URL"),
    ):
        journal.list_athletes(ctx)


def test_exercise_cramps_can_be_linked_to_their_session(store_ctx: AppContext, now: datetime) -> None:
    ana(store_ctx)
    start = now - timedelta(hours=5)
    journal.log_session(
        store_ctx, athlete=None, data={"sport": "run", "duration_s": 3600, "start": start}, now=now
    )
    journal.log_session(
        store_ctx,
        athlete=None,
        data={"sport": "ride", "duration_s": 1800, "start": now - timedelta(hours=2)},
        now=now,
    )

    def linked(context: str, at: datetime, link: bool = True) -> str | None:
        data = {"muscle": "calf", "context": context, "at": at}
        return journal.log_cramp(
            store_ctx, athlete=None, data=data, now=now, link_session=link, confirmed=True
        ).session_id

    assert linked("exercise", start + timedelta(minutes=50)) == "s-0001"
    assert linked("exercise", start + timedelta(minutes=50), link=False) is None
    assert linked("exercise", start + timedelta(minutes=60)) == "s-0001"  # at its end
    assert linked("exercise", start + timedelta(minutes=70)) == "s-0001"  # 10 min after: the grace
    assert linked("exercise", start + timedelta(minutes=70, seconds=1)) is None  # between the sessions
    assert linked("after_exercise", start + timedelta(minutes=70)) == "s-0001"
    assert linked("after_exercise", now - timedelta(minutes=10)) == "s-0002"  # the latest one
    assert linked("after_exercise", now - timedelta(hours=5, minutes=30)) is None  # before any ended
    assert linked("rest", start + timedelta(minutes=50)) is None


def test_reading_a_missing_store_does_not_create_it(tmp_path: Path) -> None:
    where = tmp_path / "typo" / "crampwise.db"
    with open_context(Settings(database_url=f"sqlite:///{where}", data_dir=tmp_path)) as ctx:
        with pytest.raises(NotFound) as info:
            journal.list_athletes(ctx)
        assert str(info.value) == (
            f"no crampwise store at {where} yet; start one with crampwise athlete add NAME "
            "(or try the demo: crampwise demo)"
        )
        assert not where.parent.exists()
        journal.add_athlete(ctx, data={"name": "Ana"})  # a write creates it, private to the user
    assert where.stat().st_mode & 0o777 == 0o600
    assert where.parent.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in where.parent.iterdir())  # -wal and -shm too
