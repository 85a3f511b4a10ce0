"""Record validation: the ranges of the bundle contract, errors carrying the field path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from crampwise.domain.bundles import bundle_to_json_dict, parse_bundle, split_unknown_fields
from crampwise.domain.enums import Sport
from crampwise.domain.errors import InvalidInput
from crampwise.domain.records import Cramp, Day, Session, validate_record

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def bundle(**parts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": "crampwise-bundle",
        "version": 1,
        "athlete": {"name": "Ana", "timezone": "Europe/Madrid", "body_mass_kg": 61.5},
        "sessions": [
            {
                "id": "s-0001",
                "start": "2026-05-01T07:30:00+02:00",
                "sport": "run",
                "duration_s": 5400,
                "pre_mass_kg": 61.8,
                "post_mass_kg": 60.7,
                "fluid_ml": 750,
                "sodium_mg": 600,
            }
        ],
        "cramps": [
            {
                "id": "c-0001",
                "at": "2026-05-01T08:55:00+02:00",
                "muscle": "calf",
                "side": "left",
                "severity": 7,
                "duration_s": 90,
                "context": "exercise",
                "session_id": "s-0001",
                "relief": ["stretch"],
                "symptoms": [],
            }
        ],
        "days": [{"date": "2026-05-01", "sleep_h": 7.5}],
        "medications": [{"name": "hydrochlorothiazide", "kind": "diuretic", "started": "2026-03-01"}],
    }
    base.update(parts)
    return base


def errors_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        parse_bundle(data, now=NOW)
    return [e.path for e in info.value.errors]


def test_valid_bundle_round_trips_through_json() -> None:
    parsed = parse_bundle(bundle(), now=NOW)
    again = parse_bundle(json.loads(json.dumps(bundle_to_json_dict(parsed))), now=NOW)
    assert again == parsed
    assert bundle_to_json_dict(parsed)["sessions"][0]["duration_s"] == 5400


def test_every_bad_field_is_reported_with_its_path() -> None:
    data = bundle()
    data["sessions"][0]["post_mass_kg"] = 50.0
    data["sessions"].append(
        {
            "id": "s-0002",
            "start": "2026-05-02T07:00:00+02:00",
            "sport": "curling",
            "duration_s": 60 * 3600,
        }
    )
    data["cramps"][0]["at"] = "2027-01-01T00:00:00+00:00"
    data["athlete"]["body_mass_kg"] = 10
    paths = errors_of(data)
    assert paths == [
        "athlete.body_mass_kg",
        "sessions[0].post_mass_kg",
        "sessions[1].sport",
        "sessions[1].duration_s",
        "cramps[0].at",
    ]


def test_dangling_session_and_duplicate_ids_are_rejected() -> None:
    data = bundle()
    data["cramps"].append(dict(data["cramps"][0]))
    data["cramps"][1]["session_id"] = "s-9999"
    assert errors_of(data) == ["cramps[1].id", "cramps[1].session_id"]


def test_naive_times_and_wrong_format_are_rejected() -> None:
    data = bundle()
    data["sessions"][0]["start"] = "2026-05-01T07:30:00"
    assert errors_of(data) == ["sessions[0].start"]
    assert errors_of(bundle(format="other")) == ["format"]
    assert errors_of(bundle(version=2)) == ["version"]


def test_fields_a_later_v1_writer_adds_are_set_aside_and_named() -> None:
    data = bundle(exported_by="crampwise 9")
    data["sessions"][0]["colour"] = "red"
    data["athlete"]["shoe"] = "x"
    clean, ignored = split_unknown_fields(data)
    assert ignored == ["athlete.shoe", "sessions[0].colour", "exported_by"]
    assert parse_bundle(data, now=NOW) == parse_bundle(clean, now=NOW)


def test_cramp_in_the_future_depends_on_now() -> None:
    data = {"at": "2026-06-01T12:30:00+00:00", "muscle": "calf", "context": "rest"}
    with pytest.raises(InvalidInput, match="future"):
        validate_record(Cramp, data, now=NOW)
    assert validate_record(Cramp, data, now=datetime(2026, 6, 2, tzinfo=UTC)).muscle == "calf"


def test_post_mass_ten_percent_rule_names_the_field() -> None:
    with pytest.raises(InvalidInput) as info:
        validate_record(
            Session,
            {
                "start": "2026-05-01T07:30:00+02:00",
                "sport": "run",
                "duration_s": 3600,
                "pre_mass_kg": 70,
                "post_mass_kg": 62.9,
            },
            prefix="session",
        )
    assert str(info.value).startswith("session.post_mass_kg: 62.9 kg is more than 10 % below")


def test_future_sessions_and_days_are_refused_for_user_input() -> None:
    data = bundle()
    data["sessions"][0]["start"] = "2026-06-02T07:30:00+02:00"
    data["days"][0]["date"] = "2026-06-05"
    assert errors_of(data) == ["sessions[0].start", "days[0].date"]
    # Today and tomorrow (another zone's today) are fine for a day.
    assert validate_record(Day, {"date": "2026-06-02"}, now=NOW).date.isoformat() == "2026-06-02"


def test_planned_sessions_built_in_code_are_not_judged_against_the_clock() -> None:
    planned = Session(start=datetime(2030, 1, 1, tzinfo=UTC), sport=Sport.RUN, duration_s=3600)
    assert planned.start.year == 2030


@pytest.mark.parametrize(("field", "value"), [("rpe", True), ("fluid_ml", False)])
def test_booleans_are_not_numbers(field: str, value: bool) -> None:
    data = bundle()
    data["sessions"][0][field] = value
    assert errors_of(data) == [f"sessions[0].{field}"]


def test_boolean_severity_is_refused() -> None:
    data = bundle()
    data["cramps"][0]["severity"] = True
    assert errors_of(data) == ["cramps[0].severity"]
