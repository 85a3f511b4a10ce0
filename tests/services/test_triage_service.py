"""The check use-case on a real store: review, `--ask` answers written back, advice on logging."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from crampwise.domain.enums import Level, Symptom
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services import journal, triage
from crampwise.services.context import AppContext

CRAMP: dict[str, Any] = {
    "muscle": "calf",
    "side": "left",
    "severity": 6,
    "duration_s": 90,
    "context": "exercise",
}


def ana(ctx: AppContext) -> None:
    journal.add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid", "sex": "female"})


def test_an_athlete_without_cramps_has_nothing_to_report(ctx: AppContext, now: datetime) -> None:
    ana(ctx)
    result = triage.check(ctx, athlete=None, now=now)
    assert result.level is Level.NONE and result.flags == ()
    assert result.to_json()["disclaimer"]


def test_a_logged_dark_urine_symptom_is_an_emergency_naming_the_episode(
    ctx: AppContext, now: datetime
) -> None:
    ana(ctx)
    journal.log_cramp(ctx, athlete=None, data={**CRAMP, "at": now - timedelta(days=40)}, now=now)
    cramp = journal.log_cramp(
        ctx, athlete=None, data={**CRAMP, "at": now - timedelta(hours=5), "symptoms": ["dark_urine"]}, now=now
    )
    document = triage.check(ctx, athlete="Ana", now=now).to_json()
    assert document["level"] == "emergency"
    assert document["flags"][0]["code"] == "dark_urine"
    assert document["flags"][0]["episodes"] == [cramp.id]
    assert document["flags"][0]["sources"] == ["cdc_niosh_rhabdo"]


def test_ask_answers_are_recorded_on_the_latest_cramp_and_raise_their_flags(
    ctx: AppContext, now: datetime
) -> None:
    ana(ctx)
    journal.log_cramp(ctx, athlete=None, data={**CRAMP, "at": now - timedelta(days=3)}, now=now)
    latest = journal.log_cramp(
        ctx,
        athlete=None,
        data={**CRAMP, "at": now - timedelta(hours=2), "notes": "after the long run"},
        now=now,
    )
    stored = triage.record_answers(
        ctx, athlete=None, symptoms=["swelling", Symptom.REDNESS], flags=["pregnancy"], now=now
    )
    assert stored.id == latest.id
    assert stored.symptoms == [Symptom.SWELLING, Symptom.REDNESS]
    assert stored.notes is not None and stored.notes.startswith(
        "after the long run [crampwise check: asked, pregnancy]"
    )
    again = triage.record_answers(ctx, athlete=None, symptoms=[], flags=["restless_legs"], now=now)
    assert again.notes == "after the long run [crampwise check: asked, pregnancy, restless_legs]"
    levels = {f.code: f.level for f in triage.check(ctx, athlete=None, now=now).flags}
    assert levels == {"calf_swelling": Level.URGENT, "restless_legs": Level.SOON, "pregnancy": Level.MENTION}
    # Answering nothing new changes nothing; the review no longer suggests --ask.
    assert triage.record_answers(ctx, athlete=None, symptoms=[], flags=[], now=now) == again
    hint = triage.check(ctx, athlete=None, now=now).ask
    assert hint is not None and hint.asked and hint.could_raise_to is None


def test_answering_no_to_everything_is_remembered(ctx: AppContext, now: datetime) -> None:
    ana(ctx)
    journal.log_cramp(ctx, athlete=None, data={**CRAMP, "at": now - timedelta(hours=2)}, now=now)
    before = triage.check(ctx, athlete=None, now=now).ask
    assert before is not None and not before.asked and before.could_raise_to is Level.EMERGENCY
    stored = triage.record_answers(ctx, athlete=None, symptoms=[], flags=[], now=now)
    assert stored.notes == "[crampwise check: asked]"
    after = triage.check(ctx, athlete=None, now=now)
    assert after.level is Level.NONE and after.ask is not None and after.ask.could_raise_to is None


def test_ask_without_a_cramp_or_with_unknown_answers_is_refused(ctx: AppContext, now: datetime) -> None:
    ana(ctx)
    with pytest.raises(NotFound, match="no cramp logged yet"):
        triage.record_answers(ctx, athlete=None, symptoms=["swelling"], flags=[], now=now)
    journal.log_cramp(ctx, athlete=None, data={**CRAMP, "at": now - timedelta(hours=2)}, now=now)
    with pytest.raises(InvalidInput, match="symptoms"):
        triage.record_answers(ctx, athlete=None, symptoms=["itchy"], flags=[], now=now)
    with pytest.raises(InvalidInput, match="unknown red flag 'nope'"):
        triage.record_answers(ctx, athlete=None, symptoms=[], flags=["nope"], now=now)
    with pytest.raises(InvalidInput):
        triage.check(ctx, athlete=None, now=now, answers=["nope"])
    assert journal.load_history(ctx, athlete=None).cramps[-1].symptoms == []


def test_advice_for_a_cramp_shows_only_urgent_and_emergency_signs(ctx: AppContext, now: datetime) -> None:
    ana(ctx)
    swollen = journal.log_cramp(
        ctx,
        athlete=None,
        data={**CRAMP, "at": now - timedelta(minutes=30), "symptoms": ["swelling", "warmth", "numbness"]},
        now=now,
    )
    # Numbness with a calf cramp during exercise: compartment syndrome (urgent) besides the clot.
    assert [f.code for f in triage.advice_for_cramp(swollen)] == ["calf_swelling", "exertional_numbness"]
    plain = journal.log_cramp(ctx, athlete=None, data={**CRAMP, "at": now - timedelta(minutes=10)}, now=now)
    assert triage.advice_for_cramp(plain) == []
    at_rest = journal.log_cramp(
        ctx,
        athlete=None,
        data={
            **CRAMP,
            "context": "rest",
            "at": now - timedelta(minutes=5),
            "symptoms": ["swelling", "numbness"],
        },
        now=now,
        confirmed=True,  # a second calf cramp 5 minutes later: not the same one here
    )
    assert [f.code for f in triage.advice_for_cramp(at_rest, min_level=Level.SOON)] == [
        "calf_swelling",
        "weakness_or_numbness",
    ]
    madrid = triage.advice_for_cramp(swollen, zone_name="Europe/Madrid")[0].advice
    generic = triage.advice_for_cramp(swollen)[0].advice
    assert "{" not in madrid and "{" not in generic


def test_questions_cover_symptoms_then_the_other_signs() -> None:
    asked = triage.questions()
    assert {q.symptom for q in asked.symptoms} == set(Symptom)
    assert asked.flags[0].level is Level.EMERGENCY
