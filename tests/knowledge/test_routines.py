"""The routines knowledge base: every exercise cited, every muscle served, no repeats."""

from __future__ import annotations

import pytest

from crampwise.domain.enums import Muscle
from crampwise.knowledge.routines import (
    GENERAL,
    Phase,
    all_exercises,
    routine,
    routine_minutes,
    routine_sources,
)
from crampwise.knowledge.sources import resolve


def test_every_exercise_cites_sources_that_resolve() -> None:
    for exercise in all_exercises():
        assert exercise.sources, exercise.id
        resolve(exercise.sources)  # KeyError on a dangling id
        assert exercise.minutes > 0


def test_every_leg_muscle_has_a_warmup_and_a_cooldown_exercise() -> None:
    for muscle in Muscle:
        if muscle is Muscle.OTHER:
            continue
        for phase in (Phase.WARMUP, Phase.COOLDOWN):
            specific = [e for e in routine(phase, [muscle]) if muscle.value in e.targets]
            assert specific, f"{phase} has nothing for {muscle}"


def test_routine_starts_general_then_follows_the_muscle_order() -> None:
    warmup = routine(Phase.WARMUP, [Muscle.HAMSTRING, Muscle.CALF])
    assert GENERAL in warmup[0].targets
    names = [e.id for e in warmup]
    assert names.index("hamstring_leg_swings") < names.index("calf_heel_raises")


def test_shared_exercise_appears_once() -> None:
    # foot, toes and shin share one warm-up exercise
    warmup = routine(Phase.WARMUP, [Muscle.FOOT, Muscle.TOES, Muscle.SHIN])
    ids = [e.id for e in warmup]
    assert len(ids) == len(set(ids))
    assert ids.count("foot_toe_mobility") == 1


def test_unknown_muscle_gets_only_the_general_part() -> None:
    assert [e.id for e in routine(Phase.COOLDOWN, [Muscle.OTHER])] == ["easy_finish"]


def test_night_routine_is_hallegraeff_three_by_ten_seconds() -> None:
    night = routine(Phase.NIGHT, [Muscle.CALF, Muscle.HAMSTRING])
    assert {e.id for e in night} == {"night_calf_stretch", "night_hamstring_stretch"}
    for exercise in night:
        assert exercise.sources == ("hallegraeff2012",)
        assert "3 x 10 s" in exercise.dose
        assert "conflict" in exercise.note  # contested evidence is said
    assert routine_minutes(night) == pytest.approx(3.0)


def test_sources_are_listed_once_in_order() -> None:
    sources = routine_sources(routine(Phase.COOLDOWN, [Muscle.CALF, Muscle.HAMSTRING]))
    assert len(sources) == len(set(sources))
    assert "aaos_cramps" in sources


def test_as_json_has_the_contract_fields() -> None:
    item = routine(Phase.WARMUP)[1].as_json()
    assert {"name", "minutes", "targets"} <= set(item)
    assert item["targets"] == ["calf"]
