"""Issue 10: red flags a sports physician would sign, on realistic athlete histories.

Scenarios: a statin user, an ultra runner who finished heavier, a benign footballer with one
severe cramp, a summer athlete whose cramps rise every year, and the new warning signs asked by
`check --ask`. Every advice carries the emergency number of the athlete's own country.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from crampwise.domain.enums import Level
from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Medication, Session
from crampwise.knowledge.redflags import red_flags
from crampwise.science.triage import review
from crampwise.science.triage_flags import answers_note
from crampwise.science.triage_stats import rate_test

NOW = datetime(2026, 7, 15, 9, 0, tzinfo=UTC)


def cramp(n: int, at: datetime, **fields: Any) -> Cramp:
    data: dict[str, Any] = {
        "id": f"c-{n:04d}",
        "at": at,
        "muscle": "calf",
        "side": "left",
        "severity": 6,
        "duration_s": 60,
        "context": "exercise",
    }
    data.update(fields)
    return Cramp.model_validate(data, context={"now": NOW})


def session(n: int, start: datetime, **fields: Any) -> Session:
    data: dict[str, Any] = {"id": f"s-{n:04d}", "start": start, "sport": "run", "duration_s": 3600}
    data.update(fields)
    return Session.model_validate(data)


def levels(history: History, **kwargs: Any) -> dict[str, Level]:
    return {f.code: f.level for f in review(history, NOW, **kwargs).flags}


def no_placeholder_left(text: str) -> bool:
    return re.search(r"\{[a-z_]+\}", text) is None


# --- a statin user ------------------------------------------------------------------------------


def marta(*cramps: Cramp, medicine: Medication | None = None) -> History:
    """58, runs three times a week for a year; a medicine started six weeks ago."""
    zone_athlete = Athlete(name="Marta", timezone="Europe/Madrid", sex="female", body_mass_kg=63)
    sessions = tuple(session(i, NOW - timedelta(days=360 - i * 2.4)) for i in range(150))
    med = medicine or Medication(id="m-1", name="atorvastatin 20 mg", kind="other", started=date(2026, 6, 3))
    return History(athlete=zone_athlete, sessions=sessions, cramps=cramps, medications=(med,))


def test_a_statin_user_with_new_cramps_is_told_to_see_the_prescriber_soon_for_a_ck_test() -> None:
    before = cramp(1, NOW - timedelta(days=70), context="rest")
    after = [cramp(2 + i, NOW - timedelta(days=d), context="rest") for i, d in enumerate([30, 18, 6])]
    flag = next(f for f in review(marta(before, *after), NOW).flags if f.code == "new_medicine")
    assert flag.level is Level.SOON
    assert "atorvastatin" in flag.detail and "statin" in flag.detail
    assert "CK" in flag.advice and "Do not stop or change a prescribed medicine on your own" in flag.advice
    assert {"garrison2012", "stroes2015_eas_sams"} <= set(flag.sources)


def test_one_cramp_with_muscle_pain_after_a_statin_is_enough_and_weakness_makes_it_urgent() -> None:
    painful = cramp(2, NOW - timedelta(days=10), context="rest", symptoms=["persistent_pain"])
    assert levels(marta(painful))["new_medicine"] is Level.SOON
    weak = cramp(2, NOW - timedelta(days=10), context="rest", symptoms=["weakness"])
    result = levels(marta(weak))
    assert result["new_medicine"] is Level.URGENT
    assert result["weakness_or_numbness"] is Level.SOON
    plain = cramp(2, NOW - timedelta(days=10), context="rest")
    assert "new_medicine" not in levels(marta(plain))  # one cramp, nothing logged with it


def test_dark_urine_after_a_statin_is_an_emergency_and_the_medicine_flag_urgent() -> None:
    dark = cramp(2, NOW - timedelta(days=2), context="after_exercise", symptoms=["dark_urine"])
    result = levels(marta(dark))
    assert result["dark_urine"] is Level.EMERGENCY and result["new_medicine"] is Level.URGENT


def test_a_diuretic_is_soon_with_an_electrolyte_check_and_an_inhaler_only_a_mention() -> None:
    after = [cramp(2 + i, NOW - timedelta(days=d), context="sleep") for i, d in enumerate([25, 9])]
    diuretic = Medication(name="hydrochlorothiazide", kind="diuretic", started=date(2026, 6, 3))
    flag = next(f for f in review(marta(*after, medicine=diuretic), NOW).flags if f.code == "new_medicine")
    assert flag.level is Level.SOON and "electrolytes" in flag.advice
    inhaler = Medication(name="salmeterol", kind="other", started=date(2026, 6, 3))
    assert levels(marta(*after, medicine=inhaler))["new_medicine"] is Level.MENTION
    for unsupported in ("diltiazem", "verapamil"):  # not in garrison2012: dropped
        other = Medication(name=unsupported, kind="other", started=date(2026, 6, 3))
        assert "new_medicine" not in levels(marta(*after, medicine=other))


def test_every_linked_medicine_group_cites_its_own_source() -> None:
    groups = {g.group: g for g in red_flags().linked_groups}
    assert groups["statin"].level is Level.SOON and "stroes2015_eas_sams" in groups["statin"].sources
    assert groups["diuretic"].level is Level.SOON and "garrison2012" in groups["diuretic"].sources
    assert groups["nifedipine"].sources == ("nice_cks_leg_cramps",)
    assert groups["other linked medicine"].sources == ("allen2012_aafp",)
    assert red_flags().linked_group("Bendroflumethiazide 2.5", "other") is groups["diuretic"]


# --- an ultra runner who finished heavier ---------------------------------------------------------


def tomas(*extra: Session, zone: str = "Europe/Madrid") -> History:
    """Trail runner, 68 kg: a year of weekly long runs, never weighed until this race."""
    sessions = tuple(session(i, NOW - timedelta(days=365 - 7 * i), duration_s=2.5 * 3600) for i in range(52))
    return History(
        athlete=Athlete(name="Tomas", timezone=zone, body_mass_kg=68), sessions=(*sessions, *extra)
    )


def race(hours: float, ended_h_ago: float, post: float, fluid: float | None = None) -> Session:
    start = NOW - timedelta(hours=ended_h_ago + hours)
    return session(900, start, duration_s=hours * 3600, pre_mass_kg=68.0, post_mass_kg=post, fluid_ml=fluid)


def test_an_ultra_finished_heavier_yesterday_is_urgent_with_the_symptom_prompt_and_112() -> None:
    result = review(tomas(race(7, 20, 68.9)), NOW)  # no drink recorded: it still counts
    flag = next(f for f in result.flags if f.code == "weight_gain_recent")
    assert flag.level is Level.URGENT and result.level is Level.URGENT
    assert "68 -> 68.9 kg with no drink recorded" in flag.detail
    for sign in ("headache", "nausea", "vomiting", "confusion"):
        assert sign in flag.advice
    assert "call 112" in flag.advice and "999" not in flag.advice and "111" not in flag.advice
    assert no_placeholder_left(flag.advice) and no_placeholder_left(result.disclaimer)
    assert "hew_butler2015_eah" in flag.sources
    assert "over_drinking" not in {f.code for f in result.flags}  # one finding, not two


def test_the_same_ultra_with_headache_and_vomiting_is_an_emergency() -> None:
    result = review(tomas(race(7, 20, 68.9)), NOW, answers=["hyponatraemia_signs"])
    assert result.level is Level.EMERGENCY
    assert (
        levels(tomas(race(7, 20, 68.9)), answers=["hyponatraemia_signs"])["weight_gain_recent"]
        is Level.URGENT
    )


@pytest.mark.parametrize(
    ("hours", "ended_h_ago", "post", "expected"),
    [
        (7, 20, 68.19, {}),  # under 0.2 kg: scale noise
        (7, 20, 68.2, {"weight_gain_recent": Level.URGENT}),  # 0.2 kg exactly
        (2, 20, 68.9, {"over_drinking": Level.MENTION}),  # 2 h exactly is not over 2 h
        (2.01, 20, 68.9, {"weight_gain_recent": Level.URGENT}),
        (7, 48, 68.9, {"weight_gain_recent": Level.URGENT}),  # ended 48 h ago exactly
        (7, 49, 68.9, {"over_drinking": Level.MENTION}),  # over 48 h: history
        (7, 20, 67.5, {}),  # lost weight
    ],
)
def test_weight_gain_boundaries(
    hours: float, ended_h_ago: float, post: float, expected: dict[str, Level]
) -> None:
    assert levels(tomas(race(hours, ended_h_ago, post, fluid=2500))) == expected


def test_the_emergency_number_follows_the_athletes_country() -> None:
    def advice(zone: str) -> str:
        flags = review(tomas(race(7, 20, 68.9), zone=zone), NOW).flags
        return next(f.advice for f in flags if f.code == "weight_gain_recent")

    assert "call 999" in advice("Europe/London") and "NHS 111" in advice("Europe/London")
    assert "call 911" in advice("America/Toronto") and "NHS" not in advice("America/Toronto")
    assert "call your local emergency number" in advice("UTC")
    madrid = advice("Europe/Madrid")
    assert "call 112" in madrid and "NHS" not in madrid and "999" not in madrid


def test_the_ask_question_no_longer_mixes_weight_gain_with_severe_symptoms() -> None:
    book = red_flags()
    severe = book.get("hyponatraemia_signs")
    assert severe.level is Level.EMERGENCY and "weight" not in severe.question
    for sign in ("headache", "nausea", "vomiting", "confusion"):
        assert sign in severe.question
    gain = book.get("weight_gain_recent")
    assert gain.level is Level.URGENT and "heavier" in gain.question
    assert levels(tomas(), answers=["weight_gain_recent"]) == {"weight_gain_recent": Level.URGENT}


# --- a benign footballer with one severe cramp ---------------------------------------------------


def kofi(*more: Cramp) -> History:
    """Footballer: training twice and a match a week for a year; a cramp late in a match now and then."""
    sessions = tuple(
        session(i, NOW - timedelta(days=364 - i * 2.33), sport="team_sport", duration_s=5400)
        for i in range(156)
    )
    cramps = tuple(cramp(i, NOW - timedelta(days=350 - i * 40), muscle="hamstring") for i in range(8))
    return History(
        athlete=Athlete(name="Kofi", timezone="Europe/London", sex="male"),
        sessions=sessions,
        cramps=(*cramps, *more),
    )


def test_a_benign_footballer_with_one_9_out_of_10_cramp_gets_only_a_mention() -> None:
    result = review(kofi(cramp(900, NOW - timedelta(days=4), muscle="hamstring", severity=9)), NOW)
    assert result.level is Level.MENTION
    assert [(f.code, f.level) for f in result.flags] == [("severe_cramp", Level.MENTION)]
    assert "next routine visit" in result.flags[0].advice
    # He has not answered the questions: check says they could raise the level.
    assert result.ask is not None and result.ask.asked is False
    assert result.ask.could_raise_to is Level.EMERGENCY
    assert "crampwise check --ask" in result.ask.sentence()
    assert result.to_json()["ask"]["could_raise_to"] == "emergency"


def test_once_the_questions_are_answered_no_further_ask_hint() -> None:
    answered = cramp(
        900, NOW - timedelta(days=4), muscle="hamstring", severity=9, notes=answers_note([], asked=True)
    )
    result = review(kofi(answered), NOW)
    assert result.ask is not None and result.ask.asked and result.ask.could_raise_to is None
    assert levels(kofi(answered)) == {"severe_cramp": Level.MENTION}


# --- a summer athlete -----------------------------------------------------------------------------


def summer_athlete(last_summer: int) -> History:
    """Two years of running; cramps every 5 weeks the rest of the year, every 4 days this summer."""
    start = NOW - timedelta(days=800)
    sessions = tuple(session(i, start + timedelta(days=i * 2.5)) for i in range(320))
    winter = [NOW - timedelta(days=d) for d in range(60, 800, 35)]
    this_summer = [NOW - timedelta(days=d) for d in (1, 5, 9, 13, 17, 21, 25)]
    last = [NOW - timedelta(days=365 - 40 + i * 80 / max(last_summer, 1)) for i in range(last_summer)]
    times = sorted({*winter, *this_summer, *last})
    cramps = tuple(cramp(i, t) for i, t in enumerate(times))
    return History(athlete=Athlete(name="Noa", timezone="Europe/Berlin"), sessions=sessions, cramps=cramps)


def test_a_summer_rise_like_last_summers_is_not_above_baseline() -> None:
    history = summer_athlete(last_summer=16)
    assert "above_baseline" not in levels(history)
    # Against the whole year before (the old rule) the same summer would have been flagged.
    recent = sum(1 for c in history.cramps if c.at >= NOW - timedelta(days=28))
    year = sum(1 for c in history.cramps if NOW - timedelta(days=365) <= c.at < NOW - timedelta(days=28))
    p, ratio = rate_test(recent, 28, year, 337)
    assert p < 0.01 and ratio >= 2


def test_a_summer_rise_against_a_quiet_summer_a_year_ago_is_above_baseline() -> None:
    flag = next(f for f in review(summer_athlete(last_summer=1), NOW).flags if f.code == "above_baseline")
    assert flag.level is Level.SOON and "same season a year ago" in flag.detail


# --- the signs a journal cannot show, asked by `check --ask` -------------------------------------


@pytest.mark.parametrize(
    ("code", "level", "source"),
    [
        ("exertional_chest_pain", Level.EMERGENCY, "nhs_chest_pain"),
        ("cauda_equina", Level.EMERGENCY, "ouh2014_cauda_equina"),
        ("exertional_fainting", Level.URGENT, "oconnor2015_syncope"),
        ("tetany_signs", Level.URGENT, "turner2016_hypocalcaemia"),
        ("heat_exhaustion", Level.URGENT, "nhs_heat_exhaustion"),
        ("fever_or_viral", Level.SOON, "friman2000"),
        ("compartment_syndrome", Level.EMERGENCY, "nhs_compartment_syndrome"),
    ],
)
def test_new_warning_signs_raise_their_level_with_a_filled_number(
    code: str, level: Level, source: str
) -> None:
    result = review(kofi(), NOW, answers=[code])
    flag = next(f for f in result.flags if f.code == code)
    assert flag.level is level and source in flag.sources
    assert red_flags().get(code).question.endswith("?")
    assert no_placeholder_left(flag.advice) and no_placeholder_left(flag.message)
    assert "111" not in flag.advice or "NHS 111" in flag.advice  # Kofi is in London


def test_heat_exhaustion_says_cool_down_not_warm_up() -> None:
    advice = red_flags().get("heat_exhaustion").advice
    assert "cool" in advice and "30 minutes" in advice and "warm" not in advice.replace("warmth", "")
    assert "do not warm" in red_flags().get("heat_illness").advice


def test_every_question_flag_text_fills_for_every_country() -> None:
    for zone in ("Europe/Madrid", "Europe/London", "America/New_York", "Australia/Perth", "Asia/Tokyo"):
        athlete_history = History(athlete=Athlete(name="A", timezone=zone))
        codes = [f.code for f in red_flags().questions()]
        result = review(athlete_history, NOW, answers=codes)
        assert {f.code for f in result.flags} == set(codes)
        for flag in result.flags:
            assert no_placeholder_left(flag.advice), (zone, flag.code)
        assert no_placeholder_left(result.disclaimer)
