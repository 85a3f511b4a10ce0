"""The relief protocols: complete, sourced, anatomically right, honest about the countdown."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from crampwise.domain.enums import Muscle, Relief
from crampwise.knowledge import relief as relief_module
from crampwise.knowledge.loader import load_toml
from crampwise.knowledge.relief import Step, load_relief, parse_relief, read_relief_data

RELIEF = load_relief()


def raw() -> dict[str, Any]:
    return copy.deepcopy(load_toml("relief.toml"))


def test_every_muscle_of_the_contract_has_a_protocol_in_enum_order() -> None:
    assert RELIEF.muscles == tuple(m.value for m in Muscle)


@pytest.mark.parametrize("muscle", [m.value for m in Muscle])
def test_protocol_shape(muscle: str) -> None:
    protocol = RELIEF.protocol(muscle)
    kinds = [step.kind for step in protocol.steps]
    assert kinds[0] == "stretch", "the stretch comes first (Miller 2022 grade A)"
    assert "pressure" in kinds
    assert kinds[-1] == "warmth", "gentle warmth afterwards"
    for step in protocol.steps:
        assert step.sources, f"{muscle}: {step.title} cites nothing"
        assert step.relief in {r.value for r in Relief}
    for step in protocol.stretch_steps:
        assert step.hold_s > 0 and step.repeats >= 1
        assert "crampwise_convention" in step.sources, "the countdown is a convention"
        assert "until the cramp lets go" in step.how
        assert step.illustration.endswith(".svg")


def test_the_hold_note_calls_the_countdown_a_convention() -> None:
    assert "convention, not evidence" in RELIEF.hold.text
    assert "crampwise_convention" in RELIEF.hold.sources
    assert 20 <= RELIEF.hold_default_s <= 30


def test_stretch_directions_are_anatomically_right() -> None:
    calf = RELIEF.protocol("calf").steps[0].how.lower()
    assert "up towards your shin" in calf and "knee straight" in calf
    shin = RELIEF.protocol("shin").steps[0].how.lower()
    assert "pointing the foot" in shin, "tibialis anterior lengthens in plantarflexion"
    assert "up towards" not in shin
    hamstring = RELIEF.protocol("hamstring").steps[0].how.lower()
    assert "knee straight" in hamstring and "from the hips" in hamstring
    quads = RELIEF.protocol("quadriceps").steps[0].how.lower()
    assert "heel" in quads and "buttock" in quads and "thigh pointing down" in quads
    foot = RELIEF.protocol("foot").steps[0].how.lower()
    assert "toes back" in foot and "foot up" in foot
    hip = RELIEF.protocol("hip_flexor").steps[0].how.lower()
    assert "tuck the pelvis" in hip


def test_common_mistakes_cover_bouncing_and_forcing_into_pain() -> None:
    texts = " ".join(m.text.lower() for m in RELIEF.mistakes)
    assert "bouncing" in texts and "into pain" in texts


def test_cautions_cover_the_red_flags_of_the_brief() -> None:
    by_id = {c.id: c for c in RELIEF.cautions}
    assert {"miller2015_rethinking", "hew_butler2015_eah"} <= set(by_id["never_big_drinks"].sources)
    assert "nhs_leg_cramps" in by_id["stop_ten_minutes"].sources
    assert "cdc_niosh_rhabdo" in by_id["stop_dark_urine"].sources
    assert "swollen" in by_id["stop_swollen_leg"].text
    assert {c.kind for c in RELIEF.cautions} == {"first", "never", "stop", "note"}


def test_escalation_after_ten_minutes_cites_the_nhs() -> None:
    assert RELIEF.escalate_after_s == 600
    assert "nhs_leg_cramps" in RELIEF.escalation.sources
    assert "medical" in RELIEF.escalation.text


def test_pickle_juice_is_optional_small_and_contested() -> None:
    assert RELIEF.pickle_juice_max_ml <= 100
    text = RELIEF.pickle_juice.text.lower()
    assert "optional" in text and "contested" in text and "under 100 ml" in text
    assert {"miller2022_jat", "georgieva2021"} <= set(RELIEF.pickle_juice.sources)


def test_unknown_muscle_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known: calf, hamstring"):
        RELIEF.protocol("elbow")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["protocol"][0]["step"][0].pop("sources"), r"protocol\[0\]\.step\[0\]: `sources`"),
        (lambda d: d["protocol"][1]["step"][0].update(sources=[]), r"protocol\[1\]\.step\[0\]: `sources`"),
        (lambda d: d["caution"][0].pop("sources"), r"caution\[0\]: `sources`"),
        (lambda d: d["protocol"][0]["mistake"][0].pop("sources"), r"protocol\[0\]\.mistake\[0\]"),
        (lambda d: d["aftercare"].pop("sources"), "aftercare"),
        (lambda d: d["protocol"][0]["step"][0]["alternative"].pop("sources"), "alternative"),
        (lambda d: d["protocol"][2]["step"][0].update(kind="yoga"), "kind"),
        (lambda d: d["protocol"][2].update(step=d["protocol"][2]["step"][1:]), "stretch step"),
    ],
)
def test_a_step_without_sources_or_malformed_fails_to_load(mutate: Any, message: str) -> None:
    data = raw()
    mutate(data)
    with pytest.raises(ValueError, match=message):
        parse_relief(data)


def test_the_marshal_cache_matches_the_file_and_follows_its_changes(tmp_path: Path) -> None:
    source = Path(relief_module.__file__).with_name("relief.toml")
    copy_path = tmp_path / "relief.toml"
    copy_path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    first = read_relief_data(str(copy_path))
    cache = tmp_path / "__pycache__"
    assert [p.name.endswith(".marshal") for p in cache.iterdir()] == [True]
    assert read_relief_data(str(copy_path)) == first == load_toml("relief.toml")
    # An edit (new size and time) is seen at once, not hidden by the stale cache.
    copy_path.write_text('extra = "x"\n' + source.read_text(encoding="utf-8"), encoding="utf-8")
    assert read_relief_data(str(copy_path))["extra"] == "x"


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    source = Path(relief_module.__file__).with_name("relief.toml")
    copy_path = tmp_path / "relief.toml"
    copy_path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "__pycache__").write_text("a file where the folder should be", encoding="utf-8")
    assert read_relief_data(str(copy_path)) == load_toml("relief.toml")


def test_records_are_frozen_and_compare_by_value() -> None:
    step = RELIEF.protocol("calf").steps[0]
    with pytest.raises(AttributeError, match="frozen"):
        step.hold_s = 5  # type: ignore[misc]
    twin = Step(
        kind=step.kind,
        title=step.title,
        position=step.position,
        how=step.how,
        hold_s=step.hold_s,
        repeats=step.repeats,
        sources=step.sources,
        illustration=step.illustration,
        alternative=step.alternative,
        stop=step.stop,
        check=step.check,
    )
    assert twin == step and hash(twin) == hash(step)
    assert "hold_s=30" in repr(step)


@pytest.mark.parametrize("muscle", [m.value for m in Muscle])
def test_every_step_carries_a_one_line_stop_sign(muscle: str) -> None:
    for step in RELIEF.protocol(muscle).steps:
        assert step.stop is not None, (muscle, step.title)
        assert step.stop.text.startswith("Stop sign:") and step.stop.text.count(".") == 1
        assert "pain" in step.stop.text and step.stop.sources


@pytest.mark.parametrize("muscle", [m.value for m in Muscle])
def test_pressure_is_checked_for_a_swollen_red_or_warm_leg_first_and_skipped_with_a_reason(
    muscle: str,
) -> None:
    pressure = [s for s in RELIEF.protocol(muscle).steps if s.kind == "pressure"]
    assert pressure
    for step in pressure:
        assert step.check is not None
        assert all(word in step.check.question for word in ("swollen", "red", "warm"))
        assert step.check.skip.startswith("Skip the pressure and massage:")
        assert "blood clot" in step.check.skip and "nhlbi_dvt" in step.check.sources


def test_an_overheated_athlete_is_cooled_not_warmed() -> None:
    warmth = RELIEF.protocol("calf").steps[-1]
    assert warmth.kind == "warmth" and warmth.check is not None
    assert "overheated" in warmth.check.question
    assert warmth.check.skip.startswith("Skip the warmth and cool down instead")
    assert "nhs_heat_exhaustion" in warmth.check.sources
    assert "If you are not overheated" in warmth.how


def test_swimmers_float_signal_and_reach_the_side_before_stretching() -> None:
    (water,) = RELIEF.cautions_of("first")
    text = water.text.lower()
    assert "float" in text and "signal" in text and "side" in text and "before you stretch" in text
    assert water.sources == ("rnli_float",)


def test_the_neck_is_tilted_away_without_turning_and_the_quadriceps_is_stretched_lying_down() -> None:
    other = RELIEF.protocol("other").steps[0].how.lower()
    assert "ear towards the other shoulder" in other and "without turning" in other
    assert "turn or tilt the neck away" not in other
    quads = RELIEF.protocol("quadriceps").steps[0]
    assert quads.position.startswith("Lie down") and "falling" in quads.position
    assert quads.illustration == "quadriceps_side_lying.svg"
    assert quads.alternative is not None and "firm support" in quads.alternative.title


SOURCED_POSITIONS = {"calf", "hamstring", "quadriceps"}  # positions described by aaos/nhs (EVIDENCE 2.2)


@pytest.mark.parametrize("muscle", [m.value for m in Muscle if m.value not in SOURCED_POSITIONS])
def test_positions_no_source_describes_are_cited_as_anatomy_based_convention(muscle: str) -> None:
    protocol = RELIEF.protocol(muscle)
    assert "crampwise_anatomy_convention" in protocol.sources
    for step in protocol.stretch_steps:
        assert "crampwise_anatomy_convention" in step.sources


def test_no_relief_text_hard_codes_a_countrys_number() -> None:
    texts = [RELIEF.escalation.text, *(c.text for c in RELIEF.cautions)]
    for protocol in RELIEF.protocols.values():
        for step in protocol.steps:
            texts += [step.how, step.position]
            if step.check is not None:
                texts += [step.check.question, step.check.skip]
    for text in texts:
        assert re.search(r"\b(111|112|999|911|000)\b", text) is None, text
    assert "{urgent_care}" in RELIEF.escalation.text and "{emergency}" in RELIEF.escalation.text
