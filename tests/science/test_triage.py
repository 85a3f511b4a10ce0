"""Red-flag rules on hand-built histories: each raises exactly the expected levels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from scipy import stats

from crampwise.domain.enums import Level
from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Medication, Session
from crampwise.knowledge.redflags import red_flags
from crampwise.science.triage import review, symptom_flags
from crampwise.science.triage_flags import answered_codes, answers_note
from crampwise.science.triage_stats import max_days_in_week, rate_test, trend_test

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ATHLETE = Athlete(name="Ana", timezone="UTC")


def cramp(n: int, days_ago: float, **fields: Any) -> Cramp:
    data: dict[str, Any] = {
        "id": f"c-{n:04d}",
        "at": NOW - timedelta(days=days_ago),
        "muscle": "calf",
        "side": "left",
        "severity": 6,
        "duration_s": 60,
        "context": "exercise",
    }
    data.update(fields)
    return Cramp.model_validate(data, context={"now": NOW})


def session(n: int, days_ago: float, **fields: Any) -> Session:
    data: dict[str, Any] = {
        "id": f"s-{n:04d}",
        "start": NOW - timedelta(days=days_ago),
        "sport": "run",
        "duration_s": 3600,
    }
    data.update(fields)
    return Session.model_validate(data)


def benign(**extra: Any) -> History:
    """A year of running three times a week with a cramp during a hard session every ~5 weeks."""
    sessions = [session(i, 365 - i * 2.33) for i in range(156)]
    cramps = [cramp(i, 360 - i * 35, session_id=None) for i in range(10)]
    return History(athlete=ATHLETE, sessions=tuple(sessions), cramps=tuple(cramps), **extra)


def with_cramps(history: History, *more: Cramp) -> History:
    return History(
        athlete=history.athlete,
        sessions=history.sessions,
        cramps=(*history.cramps, *more),
        days=history.days,
        medications=history.medications,
    )


def levels(result: Any) -> dict[str, Level]:
    return {f.code: f.level for f in result.flags}


def test_a_benign_history_raises_nothing_above_mention() -> None:
    result = review(benign(), NOW)
    assert result.level.rank <= Level.MENTION.rank
    assert levels(result) == {}
    assert result.to_json()["level"] == "none"
    assert result.disclaimer.startswith("crampwise is not a medical device")


def test_an_empty_history_is_none() -> None:
    assert review(History(athlete=ATHLETE), NOW).level is Level.NONE


CASES: list[tuple[str, Callable[[], History], dict[str, Level], set[str]]] = [
    (
        "dark urine yesterday is an emergency",
        lambda: with_cramps(benign(), cramp(900, 1, symptoms=["dark_urine", "weakness"])),
        {"dark_urine": Level.EMERGENCY, "weakness_or_numbness": Level.SOON},
        {"c-0900"},
    ),
    (
        "a swollen red calf is urgent and the plain swelling flag is superseded",
        lambda: with_cramps(benign(), cramp(900, 2, symptoms=["swelling", "redness"])),
        {"calf_swelling": Level.URGENT},
        {"c-0900"},
    ),
    (
        "a swollen calf alone is urgent (a clot is ruled out the same day)",
        lambda: with_cramps(benign(), cramp(900, 2, symptoms=["swelling"])),
        {"calf_swelling": Level.URGENT},
        {"c-0900"},
    ),
    (
        "a red, warm calf without swelling is urgent",
        lambda: with_cramps(benign(), cramp(900, 2, context="rest", symptoms=["redness", "warmth"])),
        {"calf_swelling": Level.URGENT},
        {"c-0900"},
    ),
    (
        "a warm shin alone is urgent",
        lambda: with_cramps(benign(), cramp(900, 2, muscle="shin", symptoms=["warmth"])),
        {"calf_swelling": Level.URGENT},
        {"c-0900"},
    ),
    (
        "a swollen warm hamstring is the leg clot pattern",
        lambda: with_cramps(benign(), cramp(900, 2, muscle="hamstring", symptoms=["swelling", "warmth"])),
        {"leg_swelling": Level.URGENT},
        {"c-0900"},
    ),
    (
        "swelling alone on the thigh is soon",
        lambda: with_cramps(benign(), cramp(900, 2, muscle="quadriceps", symptoms=["swelling"])),
        {"swelling": Level.SOON},
        {"c-0900"},
    ),
    (
        "a red hamstring without swelling is soon",
        lambda: with_cramps(benign(), cramp(900, 2, muscle="hamstring", symptoms=["redness"])),
        {"swelling": Level.SOON},
        {"c-0900"},
    ),
    (
        "a red, warm, swollen glute is soon, not the leg clot pattern",
        lambda: with_cramps(
            benign(), cramp(900, 2, muscle="glute", symptoms=["swelling", "redness", "warmth"])
        ),
        {"swelling": Level.SOON},
        {"c-0900"},
    ),
    (
        "a cramp over ten minutes is urgent",
        lambda: with_cramps(benign(), cramp(900, 3, duration_s=660)),
        {"long_cramp": Level.URGENT},
        {"c-0900"},
    ),
    (
        "exactly ten minutes is not over ten",
        lambda: with_cramps(benign(), cramp(900, 3, duration_s=600)),
        {},
        set(),
    ),
    (
        "numbness with a cramp at rest is soon",
        lambda: with_cramps(benign(), cramp(900, 3, context="rest", symptoms=["numbness"])),
        {"weakness_or_numbness": Level.SOON},
        {"c-0900"},
    ),
    (
        "numbness with a calf cramp during exercise is urgent (compartment syndrome)",
        lambda: with_cramps(benign(), cramp(900, 3, symptoms=["numbness"])),
        {"exertional_numbness": Level.URGENT},
        {"c-0900"},
    ),
    (
        "numbness with a shin cramp after exercise is urgent and supersedes weakness",
        lambda: with_cramps(
            benign(),
            cramp(900, 3, muscle="shin", context="after_exercise", symptoms=["numbness", "weakness"]),
        ),
        {"exertional_numbness": Level.URGENT},
        {"c-0900"},
    ),
    (
        "numbness with a hamstring cramp during exercise stays soon",
        lambda: with_cramps(benign(), cramp(900, 3, muscle="hamstring", symptoms=["numbness"])),
        {"weakness_or_numbness": Level.SOON},
        {"c-0900"},
    ),
    (
        "persistent pain alone is mention",
        lambda: with_cramps(benign(), cramp(900, 3, symptoms=["persistent_pain"])),
        {"persistent_pain": Level.MENTION},
        {"c-0900"},
    ),
    (
        "an old emergency sign is history to mention",
        lambda: with_cramps(benign(), cramp(900, 60, symptoms=["dark_urine"])),
        {"dark_urine": Level.MENTION},
        {"c-0900"},
    ),
    (
        "one cramp at severity 9 alone is a mention, not soon",
        lambda: with_cramps(benign(), cramp(900, 5, severity=9)),
        {"severe_cramp": Level.MENTION},
        {"c-0900"},
    ),
    (
        "two severe cramps on one day are still one severe day: mention",
        lambda: with_cramps(benign(), cramp(900, 5, severity=10), cramp(901, 5.01, severity=9)),
        {"severe_cramp": Level.MENTION},
        {"c-0900", "c-0901"},
    ),
    (
        "severe cramps on two days of a month are soon",
        lambda: with_cramps(benign(), cramp(900, 5, severity=10), cramp(901, 20, severity=9)),
        {"severe_cramp": Level.SOON},
        {"c-0900", "c-0901"},
    ),
    (
        "three cramp days in a week is soon (the rate test alone would not flag it: p = 0.07)",
        lambda: with_cramps(benign(), cramp(900, 2), cramp(901, 4), cramp(902, 6)),
        {"frequent_cramps": Level.SOON, "rising_trend": Level.MENTION},
        {"c-0900", "c-0901", "c-0902"},
    ),
    (
        "one month at four times the usual rate is not yet above baseline (must show twice)",
        lambda: with_cramps(benign(), *(cramp(900 + i, d) for i, d in enumerate([1, 7.5, 14, 20.5, 27]))),
        {"rising_trend": Level.MENTION},
        set(),
    ),
    (
        "two months running at four times the usual rate are above baseline",
        lambda: with_cramps(
            benign(),
            *(cramp(900 + i, d) for i, d in enumerate([1, 5, 9.5, 14, 20.5, 27, 30, 35, 40, 44, 50.5, 55])),
        ),
        {"above_baseline": Level.SOON, "rising_trend": Level.MENTION},
        {"c-0900", "c-0904"},
    ),
    (
        "three cramps in one race day are one day, not frequent",
        lambda: with_cramps(benign(), cramp(900, 2), cramp(901, 2.01), cramp(902, 2.02)),
        {},
        set(),
    ),
    (
        "many muscles in a month is soon",
        lambda: with_cramps(
            benign(),
            cramp(900, 3, muscle="hamstring"),
            cramp(901, 13, muscle="quadriceps"),
            cramp(902, 23, muscle="foot"),
            cramp(903, 26, muscle="glute"),
        ),
        {"many_sites": Level.SOON, "rising_trend": Level.MENTION},
        {"c-0900", "c-0901", "c-0902", "c-0903"},
    ),
]


@pytest.mark.parametrize(("name", "build", "expected", "episodes"), CASES, ids=[c[0] for c in CASES])
def test_hand_built_histories_raise_exactly_the_expected_levels(
    name: str, build: Callable[[], History], expected: dict[str, Level], episodes: set[str]
) -> None:
    result = review(build(), NOW)
    assert levels(result) == expected
    named = {e for f in result.flags for e in f.episodes}
    assert episodes <= named
    top = max((lvl for lvl in expected.values()), key=lambda lvl: lvl.rank, default=Level.NONE)
    assert result.level is top
    assert [f.level.rank for f in result.flags] == sorted((f.level.rank for f in result.flags), reverse=True)


def night_cramps(days_ago: list[float]) -> tuple[Cramp, ...]:
    return tuple(cramp(700 + i, d, context="sleep", severity=5) for i, d in enumerate(days_ago))


def test_unexplained_night_cramps_over_weeks_are_soon_but_after_training_they_are_not() -> None:
    # Sessions stop 70 days ago; cramps in sleep on 4 different weeks, no session in the 24 h before.
    base = benign()
    quiet = History(
        athlete=ATHLETE, sessions=tuple(s for s in base.sessions if s.start < NOW - timedelta(days=70))
    )
    history = History(athlete=ATHLETE, sessions=quiet.sessions, cramps=night_cramps([3, 12, 26, 40]))
    result = review(history, NOW)
    assert levels(result)["unexplained_cramps"] is Level.SOON
    unexplained = next(f for f in result.flags if f.code == "unexplained_cramps")
    assert set(unexplained.episodes) == {"c-0700", "c-0701", "c-0702", "c-0703"}
    # The same cramps each 10 h after a session are explained by training.
    trained = tuple(session(800 + i, d + 10 / 24) for i, d in enumerate([3, 12, 26, 40]))
    explained = History(athlete=ATHLETE, sessions=(*quiet.sessions, *trained), cramps=history.cramps)
    assert "unexplained_cramps" not in levels(review(explained, NOW))


def test_sleep_cramps_on_four_nights_of_a_month_disturb_sleep() -> None:
    history = with_cramps(benign(), *night_cramps([1, 8, 15, 22]))
    assert levels(review(history, NOW))["sleep_disturbed"] is Level.SOON


def test_cramps_that_began_after_a_statin_are_mentioned_and_soon_when_frequent() -> None:
    statin = Medication(id="m-0001", name="atorvastatin", kind="statin", started=date(2026, 4, 15))
    after = (cramp(900, 40, context="rest"), cramp(901, 20, context="rest"))
    history = History(athlete=ATHLETE, sessions=benign().sessions, cramps=after, medications=(statin,))
    flags = {f.code: f for f in review(history, NOW).flags}
    assert flags["new_medicine"].level is Level.SOON  # a statin: talk to the prescriber (CK test)
    assert set(flags["new_medicine"].episodes) == {"c-0900", "c-0901"}
    assert {"garrison2012", "stroes2015_eas_sams"} <= set(flags["new_medicine"].sources)
    assert "atorvastatin" in flags["new_medicine"].detail and "CK" in flags["new_medicine"].advice
    weak = (*after[:1], cramp(901, 20, context="rest", symptoms=["weakness"]))
    urgent = History(athlete=ATHLETE, sessions=benign().sessions, cramps=weak, medications=(statin,))
    assert levels(review(urgent, NOW))["new_medicine"] is Level.URGENT


def days_ago(n: float) -> date:
    return (NOW - timedelta(days=n)).date()


@pytest.mark.parametrize(
    ("started_days_ago", "cramp_days_ago", "other_data_days_ago", "expected", "said"),
    [
        # Reviewer finding 5: a new user logs a statin started 35 days ago, then 4 cramps.
        (35, [19, 14, 8, 2], None, Level.SOON, "no record from before it to compare"),
        (35, [19, 2], 45, Level.SOON, "only 10 days of journal before it"),
        (35, [19, 5, 4, 3], None, Level.SOON, "the journal begins"),  # 3 cramp days in a week
        (35, [19], None, None, ""),  # one cramp with nothing logged on it is not a pattern
        (3 * 365, [19, 14, 8, 2], None, None, ""),  # a medicine taken for years is not new
        (10, [8, 2], 400, Level.SOON, "2 cramp(s) in the 10 days after it against 0"),
    ],
)
def test_cramps_since_a_linked_medicine_are_mentioned_even_without_a_record_from_before(
    started_days_ago: float,
    cramp_days_ago: list[float],
    other_data_days_ago: float | None,
    expected: Level | None,
    said: str,
) -> None:
    statin = Medication(name="atorvastatin", kind="statin", started=days_ago(started_days_ago))
    cramps = tuple(cramp(900 + i, d, context="rest") for i, d in enumerate(cramp_days_ago))
    sessions = () if other_data_days_ago is None else (session(1, other_data_days_ago),)
    history = History(athlete=ATHLETE, sessions=sessions, cramps=cramps, medications=(statin,))
    flags = {f.code: f for f in review(history, NOW).flags}
    assert (flags["new_medicine"].level if "new_medicine" in flags else None) is expected
    if expected is not None:
        flag = flags["new_medicine"]
        assert said in flag.detail and "atorvastatin" in flag.detail
        assert "Do not stop" in flag.advice
        assert "garrison2012" in flag.sources


def test_an_unlinked_medicine_or_cramps_that_predate_it_raise_nothing() -> None:
    other = Medication(name="vitamin d", kind="other", started=date(2026, 4, 15))
    for unsupported in ("diltiazem", "verapamil", "amlodipine", "felodipine"):  # not in garrison2012
        assert not red_flags().is_linked_medicine(unsupported, "other")
    cramps = (cramp(900, 40, context="rest"), cramp(901, 20, context="rest"))
    history = History(athlete=ATHLETE, sessions=benign().sessions, cramps=cramps, medications=(other,))
    assert "new_medicine" not in levels(review(history, NOW))
    diuretic = Medication(name="hydrochlorothiazide", kind="diuretic", started=date(2026, 4, 15))
    before = (*cramps, cramp(902, 60), cramp(903, 70), cramp(904, 80))
    same = History(athlete=ATHLETE, sessions=benign().sessions, cramps=before, medications=(diuretic,))
    assert "new_medicine" not in levels(review(same, NOW))


def weighed(n: int, days_ago: float, post: float, fluid: float | None = 1000) -> Session:
    return session(n, days_ago, pre_mass_kg=60, post_mass_kg=post, fluid_ml=fluid)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ([], None),
        ([weighed(900, 10, 59.4)], None),  # lost weight: drank less than sweated
        ([weighed(900, 10, 60.8)], Level.MENTION),  # reviewer finding 4
        ([weighed(900, 10, 60.8), weighed(901, 40, 60.3, 800)], Level.SOON),
        ([weighed(900, 400, 60.8)], None),  # over a year ago
        ([weighed(900, 10, 60.1)], None),  # 0.1 kg: within the scale's noise
        ([weighed(900, 10, 60.8, None)], Level.MENTION),  # no drink recorded: still a gain (issue 10)
        ([weighed(900, 10, 61.5, 500)], Level.MENTION),  # more gained than recorded: under-recorded
    ],
)
def test_finishing_sessions_heavier_than_begun_is_over_drinking(
    extra: list[Session], expected: Level | None
) -> None:
    base = benign()
    history = History(athlete=ATHLETE, sessions=(*base.sessions, *extra), cramps=base.cramps)
    result = review(history, NOW)
    flags = {f.code: f for f in result.flags}
    assert (flags["over_drinking"].level if "over_drinking" in flags else None) is expected
    if expected is not None:
        flag = flags["over_drinking"]
        assert "hew_butler2015_eah" in flag.sources
        assert "60 -> 6" in flag.detail
        assert "never more than you sweat" in flag.advice
        assert set(levels(result)) == {"over_drinking"}


def test_a_steadily_rising_count_is_a_mention() -> None:
    # One cramp in weeks 10-20 ago, then one a week, then two a week: rising, but no 3-day week.
    cramps = [
        cramp(100 + i, d)
        for i, d in enumerate([140, 120, 100, 80, 60, 50, 40, 30, 25, 20, 15, 11, 7.5, 4, 0.5])
    ]
    history = History(athlete=ATHLETE, sessions=benign().sessions, cramps=tuple(cramps))
    result = levels(review(history, NOW))
    assert result.get("rising_trend") is Level.MENTION


def test_answers_raise_their_flags_on_the_latest_episode_and_persist_in_notes() -> None:
    history = with_cramps(benign(), cramp(900, 1))
    result = review(history, NOW, answers=["hyponatraemia_signs", "pregnancy"])
    assert levels(result) == {"hyponatraemia_signs": Level.EMERGENCY, "pregnancy": Level.MENTION}
    assert result.flags[0].episodes == ("c-0900",)
    note = answers_note(["restless_legs", "claudication"])
    stored = with_cramps(benign(), cramp(900, 1, notes=f"sore {note}"))
    assert answered_codes(stored.cramps[-1]) == {"restless_legs", "claudication"}
    assert levels(review(stored, NOW)) == {"claudication": Level.SOON, "restless_legs": Level.SOON}


def test_symptom_flags_for_one_cramp_are_ordered_most_serious_first() -> None:
    flags = symptom_flags(
        cramp(1, 0, symptoms=["numbness", "dark_urine", "swelling", "warmth"], duration_s=900)
    )
    assert [f.code for f in flags] == ["dark_urine", "calf_swelling", "exertional_numbness", "long_cramp"]
    assert all(f.episodes == ("c-0001",) for f in flags)


def test_the_json_document_has_the_contract_fields() -> None:
    document = review(with_cramps(benign(), cramp(900, 1, symptoms=["dark_urine"])), NOW).to_json()
    assert set(document) == {"level", "flags", "disclaimer", "ask"}  # `ask` is an addition
    assert document["level"] == "emergency"
    assert {"code", "level", "message", "advice", "episodes", "sources"} <= set(document["flags"][0])


def test_rate_test_matches_the_binomial_formula_and_trend_test_is_centred() -> None:
    p, ratio = rate_test(4, 28, 2, 336)
    assert p == pytest.approx(stats.binom.sf(3, 6, 28 / 364))
    assert ratio == pytest.approx((4 / 28) / (2 / 336))
    assert rate_test(1, 28, 12, 336)[0] > 0.5
    z, p_flat = trend_test([0, 1, 2, 3, 4, 5, 6, 7], 8)
    assert z == pytest.approx(0.0) and p_flat == pytest.approx(0.5)
    assert trend_test([7] * 8, 8)[1] < 0.001


def test_max_days_in_week_counts_distinct_days_in_any_seven_day_span() -> None:
    days = [date(2026, 5, d) for d in (1, 1, 3, 7, 8, 20)]
    n, week = max_days_in_week(days)
    assert n == 3 and week == [date(2026, 5, 1), date(2026, 5, 3), date(2026, 5, 7)]
