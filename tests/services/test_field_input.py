"""Reading what a user typed into journal fields: one module for the CLI flags and web forms."""

from __future__ import annotations

import pytest

from crampwise.domain.errors import InvalidInput
from crampwise.services import field_input as fi


def test_each_reader_names_the_field_it_was_given() -> None:
    with pytest.raises(InvalidInput) as info:
        fi.mass_kg("heavy", "--pre-mass")
    assert str(info.value).startswith("--pre-mass: cannot read 'heavy'")
    with pytest.raises(InvalidInput) as info:
        fi.mass_kg("heavy", "pre_mass_kg")
    assert str(info.value).startswith("pre_mass_kg: cannot read 'heavy'")


def test_read_fields_reads_a_form_and_reports_every_bad_field_at_once() -> None:
    values = fi.read_fields(
        "session",
        {"sport": "Run", "duration_s": "1h30m", "fluid_ml": "750ml", "relief": None, "notes": ""},
    )
    assert values == {"sport": "run", "duration_s": 5400.0, "fluid_ml": 750.0, "notes": ""}
    with pytest.raises(InvalidInput) as info:
        fi.read_fields(
            "cramp",
            {"muscle": "elbow", "severity": "seven", "weight": "3"},
            names={"muscle": "--muscle", "severity": "--severity"},
        )
    assert [e.path for e in info.value.errors] == ["--muscle", "--severity", "weight"]
    assert "accepted: muscle, side" in info.value.errors[2].message


def test_many_of_takes_repeats_and_comma_lists() -> None:
    assert fi.read_field("cramp", "relief", ["stretch,massage", "walk"]) == ["stretch", "massage", "walk"]
    assert fi.read_field("cramp", "relief", "stretch, warmth") == ["stretch", "warmth"]


def test_a_days_fluid_needs_its_unit() -> None:
    with pytest.raises(InvalidInput, match=r"^fluid_ml: '2.5' has no unit"):
        fi.read_field("day", "fluid_ml", "2.5")
    assert fi.read_field("day", "fluid_ml", "2.5l") == 2500.0
