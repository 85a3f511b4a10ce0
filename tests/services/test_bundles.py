"""Bundle import/export: atomic, idempotent, every bad field path, stable round trip."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import pytest

from crampwise.domain.errors import InvalidInput
from crampwise.services import journal
from crampwise.services.bundles import export_bundle, import_bundle
from crampwise.services.context import AppContext
from crampwise.services.csv_export import export_csv


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True)


def test_import_then_export_gives_the_bundle_back(
    store_ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    summary = import_bundle(store_ctx, data=sample_bundle, now=now)
    assert summary.athlete_created and summary.changed
    assert summary.counts["sessions"].added == 2
    assert summary.counts["medications"].added == 1
    exported = export_bundle(store_ctx, athlete="Ana")
    assert exported["sessions"][1]["start"] == "2026-05-03T18:00:00-04:00"
    assert exported["sessions"][0]["duration_s"] == 5400
    assert exported["cramps"][0]["relief"] == ["stretch", "massage"]
    assert exported["medications"][0]["id"] == "m-0001"
    assert exported["athlete"]["units"] == "metric"
    again = import_bundle(store_ctx, data=exported, now=now)
    assert not again.changed
    assert dumps(export_bundle(store_ctx, athlete="Ana")) == dumps(exported)


def test_importing_the_same_bundle_twice_changes_nothing(
    store_ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    import_bundle(store_ctx, data=sample_bundle, now=now)
    first = export_bundle(store_ctx, athlete=None)
    second = import_bundle(store_ctx, data=copy.deepcopy(sample_bundle), now=now)
    assert not second.changed
    assert second.counts["cramps"].unchanged == 2
    assert second.counts["medications"].unchanged == 1  # matched by name and start date
    assert second.describe().endswith("(nothing changed)")
    assert dumps(export_bundle(store_ctx, athlete=None)) == dumps(first)


def test_a_bad_bundle_imports_nothing_and_names_every_field(
    store_ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    import_bundle(store_ctx, data=sample_bundle, now=now)
    before = dumps(export_bundle(store_ctx, athlete="Ana"))
    bad = copy.deepcopy(sample_bundle)
    bad["athlete"]["body_mass_kg"] = 500
    bad["sessions"][0]["notes"] = "changed"
    bad["sessions"][1]["post_mass_kg"] = 50
    bad["sessions"][1]["pre_mass_kg"] = 70
    bad["cramps"][1]["muscle"] = "elbow"
    bad["cramps"].append(
        {"id": "c-0003", "at": "2026-07-01T00:00:00+00:00", "muscle": "calf", "context": "rest"}
    )
    with pytest.raises(InvalidInput) as info:
        import_bundle(store_ctx, data=bad, now=now)
    assert [e.path for e in info.value.errors] == [
        "athlete.body_mass_kg",
        "sessions[1].post_mass_kg",
        "cramps[1].muscle",
        "cramps[2].at",
    ]
    assert dumps(export_bundle(store_ctx, athlete="Ana")) == before


def test_nul_characters_and_absurd_years_are_refused_before_writing(
    store_ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    sample_bundle["sessions"][0]["notes"] = "a\x00b"
    sample_bundle["days"][1]["date"] = "0001-01-01"
    with pytest.raises(InvalidInput) as info:
        import_bundle(store_ctx, data=sample_bundle, now=now)
    assert [e.path for e in info.value.errors] == ["sessions[0].notes", "days[1].date"]
    assert journal.list_athletes(store_ctx) == []


def test_fields_absent_from_a_bundle_keep_their_stored_value(
    store_ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    import_bundle(store_ctx, data=sample_bundle, now=now)
    journal.update_session(
        store_ctx, athlete="Ana", session_id="s-0001", changes={"source": "a.fit"}, now=now
    )
    journal.set_athlete(store_ctx, athlete="Ana", changes={"units": "imperial"})
    partial = copy.deepcopy(sample_bundle)
    partial["sessions"] = [
        {"id": "s-0001", "start": "2026-05-01T07:30:00+02:00", "sport": "run", "duration_s": 6000}
    ]
    partial["cramps"] = partial["days"] = partial["medications"] = []
    summary = import_bundle(store_ctx, data=partial, now=now)
    assert summary.counts["sessions"].updated == 1
    session = journal.load_history(store_ctx, athlete="Ana").sessions_by_id["s-0001"]
    assert session.duration_s == 6000
    assert session.source == "a.fit"
    assert session.rpe == 7
    assert journal.get_athlete(store_ctx, athlete="Ana").units == "imperial"


def test_new_ids_continue_after_imported_ones(
    store_ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    sample_bundle["cramps"][1]["id"] = "c-0041"
    import_bundle(store_ctx, data=sample_bundle, now=now)
    cramp = journal.log_cramp(store_ctx, athlete=None, data={"muscle": "calf", "context": "rest"}, now=now)
    assert cramp.id == "c-0042"
    med = journal.log_medication(
        store_ctx, athlete=None, data={"name": "atorvastatin", "kind": "statin", "started": "2026-04-01"}
    )
    assert med.id == "m-0002"


def test_two_athletes_may_share_ids(
    store_ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    import_bundle(store_ctx, data=sample_bundle, now=now)
    other = copy.deepcopy(sample_bundle)
    other["athlete"]["name"] = "Ben"
    other["sessions"][0]["rpe"] = 3
    import_bundle(store_ctx, data=other, now=now)
    assert export_bundle(store_ctx, athlete="Ana")["sessions"][0]["rpe"] == 7
    assert export_bundle(store_ctx, athlete="Ben")["sessions"][0]["rpe"] == 3


def test_csv_has_one_column_per_bundle_field(
    ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    import_bundle(ctx, data=sample_bundle, now=now)
    tables = export_csv(ctx, athlete=None)
    assert list(tables) == ["sessions", "cramps", "days", "medications"]
    cramps = tables["cramps"].splitlines()
    assert cramps[0] == (
        "id,at,muscle,side,severity,duration_s,context,session_id,relief,relief_worked,symptoms,notes"
    )
    assert (
        cramps[1] == "c-0001,2026-05-01T08:55:00+02:00,calf,left,7,90,exercise,s-0001,stretch;massage,true,,"
    )
    assert tables["days"].splitlines()[2] == "2026-05-03,5.5,,,,,,,,,"
    with pytest.raises(InvalidInput, match="kind"):
        export_csv(ctx, athlete=None, kinds=["laps"])


def test_medications_without_ids_never_take_an_id_of_the_same_bundle(
    store_ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    sample_bundle["medications"] = [
        {"name": "b", "kind": "statin", "started": "2026-02-01"},
        {"id": "m-0001", "name": "a", "kind": "diuretic", "started": "2026-01-01"},
    ]
    import_bundle(store_ctx, data=sample_bundle, now=now)
    meds = export_bundle(store_ctx, athlete="Ana")["medications"]
    assert [(m["id"], m["name"]) for m in meds] == [("m-0001", "a"), ("m-0002", "b")]
    assert not import_bundle(store_ctx, data=sample_bundle, now=now).changed
