"""What a person reads when a field is wrong (domain/records.py `_message`, `_shown`): the field's
path, the limit and the value in the field's unit, the accepted words of an enum.

CONTRACTS.md section 2 wants one line naming the field and the accepted form; these pin the
exact wording of each kind of failure (mutation testing showed none was pinned in the domain's
own tests).
"""

from __future__ import annotations

from typing import Any

import pytest

from crampwise.domain.errors import InvalidInput
from crampwise.domain.records import Cramp, Day, Session, validate_record

SESSION = {"id": "s-1", "start": "2026-05-01T07:00:00+00:00", "sport": "run", "duration_s": 3600}
CRAMP = {"id": "c-1", "at": "2026-05-01T07:00:00+00:00", "muscle": "calf", "context": "rest"}


def message(model: Any, data: dict[str, Any], prefix: str = "") -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_record(model, data, prefix=prefix)
    return str(caught.value)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"rpe": 11}, "rpe: 11 is above the maximum 10"),
        ({"duration_s": 0}, "duration_s: must be more than 0s, not 0s"),
        ({"duration_s": 48 * 3600 + 1}, "duration_s: 48h1s is above the maximum 48h"),
        ({"temperature_c": -41}, "temperature_c: -41 °C is below the minimum -40 °C"),
        ({"fluid_ml": 30001}, "fluid_ml: 30001 ml is above the maximum 30000 ml"),
        ({"pre_mass_kg": 10}, "pre_mass_kg: 10 kg is below the minimum 20 kg"),
        ({"distance_m": -1}, "distance_m: -1 m is below the minimum 0 m"),
        ({"colour": "red"}, "colour: not a field crampwise knows; check its spelling"),
        (
            {"sport": "chess"},
            "sport: unknown value 'chess'; expected run|ride|swim|triathlon|walk|hike|strength|team_sport|other",
        ),
    ],
)
def test_a_session_field_out_of_range_says_the_limit_in_its_unit(
    changes: dict[str, Any], expected: str
) -> None:
    assert message(Session, {**SESSION, **changes}) == expected


def test_every_bad_field_is_reported_with_its_path_and_a_prefix() -> None:
    text = message(Cramp, {**CRAMP, "severity": 11, "duration_s": 0}, prefix="cramps[3]")
    assert (
        text
        == "cramps[3].severity: 11 is above the maximum 10; cramps[3].duration_s: must be more than 0s, not 0s"
    )


def test_an_unknown_muscle_lists_the_known_ones() -> None:
    assert message(Cramp, {**CRAMP, "muscle": "neck"}) == (
        "muscle: unknown value 'neck'; expected "
        "calf|hamstring|quadriceps|foot|toes|adductor|hip_flexor|glute|shin|other"
    )


def test_hours_are_shown_in_hours() -> None:
    assert message(Day, {"date": "2026-05-01", "sleep_h": 25}) == "sleep_h: 25 h is above the maximum 24 h"
