"""Values valid for the contract but unlikely for this athlete are never stored silently."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crampwise.domain.errors import Unconfirmed
from crampwise.services import journal
from crampwise.services.context import AppContext


def _session(**extra: object) -> dict[str, object]:
    return {"sport": "run", "duration_s": 5400, **extra}


def test_a_weighing_far_from_the_athletes_body_mass_needs_confirming(ctx: AppContext, now: datetime) -> None:
    journal.add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5})
    with pytest.raises(Unconfirmed) as info:
        journal.log_session(ctx, athlete=None, data=_session(pre_mass_kg=135), now=now)
    assert str(info.value) == (
        "pre_mass_kg: 135kg is far from the athlete's body mass of 61.5kg; did you mean 135lb?"
    )
    assert journal.load_history(ctx, athlete=None).sessions == ()
    # 15 % away is still believable; a confirmed value is stored
    journal.log_session(ctx, athlete=None, data=_session(pre_mass_kg=61.5 * 1.15), now=now)
    stored = journal.log_session(ctx, athlete=None, data=_session(pre_mass_kg=135), now=now, confirmed=True)
    assert stored.pre_mass_kg == 135


def test_an_imperial_athlete_typing_kilograms_is_asked(ctx: AppContext, now: datetime) -> None:
    journal.add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5, "units": "imperial"})
    typed_61 = 61 * 0.45359237  # "--post-mass 61" read in pounds
    with pytest.raises(Unconfirmed) as info:
        journal.log_session(ctx, athlete=None, data=_session(post_mass_kg=typed_61), now=now)
    assert str(info.value) == (
        "post_mass_kg: 61lb is far from the athlete's body mass of 135.6lb; did you mean 61kg?"
    )


def test_more_fluid_than_anyone_drinks_needs_confirming(ctx: AppContext, now: datetime) -> None:
    journal.add_athlete(ctx, data={"name": "Ana", "units": "imperial"})
    with pytest.raises(
        Unconfirmed, match=r"^fluid_ml: 750oz in 1.5 h is more than anyone drinks .*did you mean 750ml\?$"
    ):
        journal.log_session(ctx, athlete=None, data=_session(fluid_ml=750 * 29.5735295625), now=now)
    journal.log_session(ctx, athlete=None, data=_session(fluid_ml=2500 * 1.5), now=now)  # the boundary


def test_an_edit_only_questions_the_values_it_changes(ctx: AppContext, now: datetime) -> None:
    journal.add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5})
    journal.log_session(ctx, athlete=None, data=_session(pre_mass_kg=135), now=now, confirmed=True)
    journal.update_session(ctx, athlete=None, session_id="s-0001", changes={"rpe": 6}, now=now)
    with pytest.raises(Unconfirmed, match=r"^post_mass_kg: "):
        journal.update_session(ctx, athlete=None, session_id="s-0001", changes={"post_mass_kg": 130}, now=now)


def test_a_new_body_mass_far_from_the_old_one_needs_confirming(ctx: AppContext) -> None:
    journal.add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5})
    with pytest.raises(Unconfirmed, match=r"did you mean 135lb\?$"):
        journal.set_athlete(ctx, athlete=None, changes={"body_mass_kg": 135})
    assert (
        journal.set_athlete(ctx, athlete=None, changes={"body_mass_kg": 135}, confirmed=True).body_mass_kg
        == 135
    )


def test_the_same_cramp_twice_needs_confirming(ctx: AppContext, now: datetime) -> None:
    journal.add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
    cramp = {"muscle": "calf", "side": "left", "context": "rest", "at": now - timedelta(hours=1)}
    journal.log_cramp(ctx, athlete=None, data=cramp, now=now)
    again = {**cramp, "at": now - timedelta(hours=1) + timedelta(minutes=5)}
    with pytest.raises(Unconfirmed) as info:
        journal.log_cramp(ctx, athlete=None, data=again, now=now)
    assert str(info.value) == (
        "at: cramp c-0001 (calf, 2026-06-01 13:00) is already logged at this time; is this the same cramp?"
    )
    journal.log_cramp(ctx, athlete=None, data={**again, "side": "right"}, now=now)  # the other leg
    journal.log_cramp(ctx, athlete=None, data={**cramp, "at": now - timedelta(minutes=54)}, now=now)  # 6 min
    journal.log_cramp(ctx, athlete=None, data=again, now=now, confirmed=True)
    assert len(journal.load_history(ctx, athlete=None).cramps) == 4
