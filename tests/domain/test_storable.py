"""Values a record accepts but no store can hold are refused with their field path."""

from __future__ import annotations

import pytest

from crampwise.domain.errors import InvalidInput
from crampwise.domain.records import Athlete, Medication
from crampwise.domain.storable import check_storable, storable_errors


def test_nul_characters_and_far_years_are_named() -> None:
    athlete = Athlete(name="An\x00a")
    medication = Medication(name="x", started="0900-01-01")  # type: ignore[arg-type]
    assert [e.path for e in storable_errors(athlete, "athlete")] == ["athlete.name"]
    assert [str(e) for e in storable_errors(medication)] == [
        "started: year 900 is out of range; expected 1900 to 2100"
    ]
    with pytest.raises(InvalidInput, match=r"^medications\[0\]\.started"):
        check_storable(medication, "medications[0]")


def test_ordinary_records_pass_through_unchanged() -> None:
    athlete = Athlete(name="Ana")
    assert check_storable(athlete) is athlete
