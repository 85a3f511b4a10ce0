"""`compute_insights`: the contract's JSON for every athlete, and the demo athlete."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Session
from crampwise.knowledge.sources import all_sources
from crampwise.science.exposures import DAY_FACTORS, SESSION_FACTORS
from crampwise.science.trigger_model import LIKELY_FROM
from crampwise.science.triggers import analyse
from crampwise.services.bundles import import_bundle
from crampwise.services.context import AppContext
from crampwise.services.demo import DEMO_NAME, create_demo
from crampwise.services.insights import CONTESTED_CAVEAT, compute_insights, insights_from_history
from crampwise.services.journal import add_athlete

VERDICTS = {"likely_trigger", "possible_trigger", "no_clear_link", "protective", "not_enough_data"}
MADRID = ZoneInfo("Europe/Madrid")


def assert_contract(doc: dict[str, Any]) -> None:
    """CONTRACTS.md section 5 `insights --json`, and the verdict rules, for one document."""
    assert isinstance(doc["athlete"], str)
    for key in ("n_sessions", "n_session_cramps", "n_days", "n_rest_cramp_days"):
        assert isinstance(doc[key], int) and doc[key] >= 0
    names = [(f["level"], f["factor"]) for f in doc["factors"]]
    assert names == [*(("session", f) for f in SESSION_FACTORS), *(("day", f) for f in DAY_FACTORS)]
    sources = all_sources()
    for f in doc["factors"]:
        assert f["verdict"] in VERDICTS
        assert f["sources"] and all(s in sources for s in f["sources"])
        known = f["exposed"]["with_cramp"] + f["unexposed"]["with_cramp"]
        for side in ("exposed", "unexposed"):
            assert 0 <= f[side]["with_cramp"] <= f[side]["n"]
        assert f["p"] is None and f["q"] is None  # the Bayesian model gives none (CONTRACTS.md 5)
        if f["odds_ratio"] is None:
            assert f["verdict"] == "not_enough_data" and f["ci95"] is None and f["posterior"] is None
            continue
        low, high = f["ci95"]
        assert 0 < low <= f["odds_ratio"] <= high
        posterior = f["posterior"]
        assert 0 <= posterior["prob_or_above_1"] <= 1 and posterior["family"] in {"primary", "secondary"}
        assert posterior["likely_from"] == LIKELY_FROM[(f["level"], posterior["family"])]
        if f["verdict"] == "likely_trigger":
            assert posterior["prob_or_above_1"] >= posterior["likely_from"] and low > 1
        if f["verdict"] == "protective":
            assert 1 - posterior["prob_or_above_1"] >= posterior["likely_from"] - 1e-4 and high < 1
        if known < 5:
            assert f["verdict"] == "not_enough_data"
    assert doc["summary"] and all(isinstance(s, str) and s for s in doc["summary"])
    assert not any("cause" in s.lower() and "not proof of cause" not in s.lower() for s in doc["summary"])


def test_athlete_without_sessions(ctx: AppContext, now: datetime) -> None:
    add_athlete(ctx, data={"name": "Ana"})
    doc = compute_insights(ctx, athlete=None, now=now).to_json()
    assert_contract(doc)
    assert (doc["n_sessions"], doc["n_session_cramps"]) == (0, 0)
    assert {f["verdict"] for f in doc["factors"]} == {"not_enough_data"}
    assert "Nothing to analyse yet" in doc["summary"][0]


def test_small_bundle_holds_the_contract(
    ctx: AppContext, now: datetime, sample_bundle: dict[str, Any]
) -> None:
    import_bundle(ctx, data=sample_bundle, now=now)
    doc = compute_insights(ctx, athlete="Ana", now=now).to_json()
    assert_contract(doc)
    assert doc["n_sessions"] == 2 and doc["n_session_cramps"] == 1 and doc["n_rest_cramp_days"] == 1
    assert any("only very large effects" in s for s in doc["summary"])


def test_demo_athlete_is_created_once_and_shows_its_triggers(ctx: AppContext, now: datetime) -> None:
    first = create_demo(ctx, now=now)
    assert first.created and first.summary is not None
    assert first.summary.counts["sessions"].added > 200
    again = create_demo(ctx, now=now)
    assert not again.created and again.summary is None
    result = compute_insights(ctx, athlete=DEMO_NAME, now=now)
    doc = result.to_json()
    assert_contract(doc)
    verdicts = {f["factor"]: f["verdict"] for f in doc["factors"] if f["level"] == "session"}
    assert "likely_trigger" in {verdicts["long_session"], verdicts["hard_session"]}
    assert verdicts["dehydration"] != "likely_trigger"
    assert doc["timing"]["n"] > 10 and doc["plan_followed"] is not None
    assert doc["summary"][0].startswith("Likely trigger")


def _session(i: int, hot: bool | None, minutes: int) -> Session:
    start = datetime(2026, 1, 5, 8, tzinfo=MADRID) + timedelta(days=i)
    return Session(
        id=f"s-{i}",
        start=start,
        sport="run",
        duration_s=minutes * 60,
        temperature_c=None if hot is None else 30 if hot else 15,
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(
        st.tuples(st.none() | st.booleans(), st.sampled_from([30, 60, 120]), st.booleans(), st.booleans()),
        max_size=40,
    )
)
def test_contract_holds_for_any_small_history(plan: list[tuple[bool | None, int, bool, bool]]) -> None:
    sessions = [_session(i, hot, minutes) for i, (hot, minutes, _, _) in enumerate(plan)]
    cramps = [
        Cramp(
            id=f"c-{i}",
            at=s.start + timedelta(minutes=10),
            muscle="calf",
            context="exercise",
            session_id=s.id,
        )
        for i, (s, (_, _, cramp, _)) in enumerate(zip(sessions, plan, strict=True))
        if cramp
    ] + [
        Cramp(id=f"n-{i}", at=s.start + timedelta(hours=19), muscle="calf", context="sleep")
        for i, (s, (_, _, _, night)) in enumerate(zip(sessions, plan, strict=True))
        if night
    ]
    history = History(
        athlete=Athlete(name="P", timezone="Europe/Madrid"), sessions=tuple(sessions), cramps=tuple(cramps)
    )
    insights = insights_from_history(analyse(history, today=date(2026, 3, 1)), "P")
    assert_contract(insights.to_json())


def test_contested_caveat_when_dehydration_is_flagged() -> None:
    sessions, cramps = [], []
    for i in range(80):
        start = datetime(2026, 1, 5, 8, tzinfo=MADRID) + timedelta(days=i)
        dry = i % 5 == 0
        sessions.append(
            Session(
                id=f"s-{i}",
                start=start,
                sport="run",
                duration_s=3000,
                pre_mass_kg=70,
                post_mass_kg=68 if dry else 69.5,
            )
        )
        if (dry and i % 10 == 0) or i in (3, 41):
            cramps.append(
                Cramp(id=f"c-{i}", at=start, muscle="calf", context="exercise", session_id=f"s-{i}")
            )
    history = History(athlete=Athlete(name="D"), sessions=tuple(sessions), cramps=tuple(cramps))
    insights = insights_from_history(analyse(history, today=date(2026, 4, 1)), "D")
    verdict = next(f.verdict for f in insights.factors if f.factor == "dehydration" and f.level == "session")
    assert verdict in {"likely_trigger", "possible_trigger"}
    assert CONTESTED_CAVEAT in insights.summary


def _edge_history(case: str) -> History:
    """60 daily runs; heat and cramps arranged for one edge case."""
    hot = {
        "no_cramps": lambda i: i % 3 == 0,
        "all_exposed": lambda i: True,
        "none_exposed": lambda i: False,
        "separation": lambda i: i % 10 == 0,
    }[case]
    cramped = {
        "no_cramps": lambda i: False,
        "all_exposed": lambda i: i % 6 == 0,
        "none_exposed": lambda i: i % 6 == 0,
        "separation": lambda i: i % 10 == 0,
    }[case]
    sessions = [_session(i, hot(i), 50) for i in range(60)]
    cramps = [
        Cramp(
            id=f"c-{i}",
            at=s.start + timedelta(minutes=30),
            muscle="calf",
            context="exercise",
            session_id=s.id,
        )
        for i, s in enumerate(sessions)
        if cramped(i)
    ]
    return History(
        athlete=Athlete(name="E", timezone="Europe/Madrid"), sessions=tuple(sessions), cramps=tuple(cramps)
    )


@pytest.mark.parametrize("case", ["no_cramps", "all_exposed", "none_exposed", "separation"])
def test_contract_holds_for_each_edge_case(case: str) -> None:
    doc = insights_from_history(analyse(_edge_history(case), today=date(2026, 3, 10)), "E").to_json()
    assert_contract(doc)
    heat = next(f for f in doc["factors"] if f["factor"] == "heat" and f["level"] == "session")
    expected = {
        "no_cramps": "not_enough_data",
        "all_exposed": "not_enough_data",
        "none_exposed": "not_enough_data",
        "separation": "likely_trigger",
    }[case]
    assert heat["verdict"] == expected
    if case == "separation":
        assert heat["ci95"][0] > 1 and heat["odds_ratio"] < 1e6


def test_sharpen_asks_for_the_inputs_that_are_missing() -> None:
    insights = insights_from_history(analyse(_edge_history("separation"), today=date(2026, 3, 10)), "E")
    hints = " ".join(insights.sharpen)
    assert "Weigh yourself" in hints and "RPE" in hints and "sleep" in hints
    assert "temperature" not in hints  # every session has one
    assert "Log every cramp" in hints  # only 6 cramps so far


@pytest.mark.parametrize(
    ("median", "final_quarter", "fatigue"),
    [
        (0.42, 0.0, False),  # reviewer finding 12: early cramps must not cite fatigue
        (0.5, 0.25, False),  # an even spread is not "late"
        (0.7, 0.2, False),
        (0.45, 0.4, False),
        (0.8, 0.6, True),
        (0.55, 0.3, True),
    ],
)
def test_the_timing_sentence_cites_fatigue_only_when_cramps_come_late(
    median: float, final_quarter: float, fatigue: bool
) -> None:
    from dataclasses import replace

    from crampwise.science.triggers import Timing
    from crampwise.services.insights import build_summary

    history = History(athlete=Athlete(name="T"), sessions=(_session(0, None, 60),))
    base = analyse(history, today=date(2026, 3, 1))
    analysis = replace(base, timing=Timing(n=6, median_fraction=median, final_quarter_share=final_quarter))
    timing = [s for s in build_summary(analysis) if "began at a median of" in s]
    assert len(timing) == 1
    assert f"{100 * median:.0f} %" in timing[0]
    assert ("fatigue explanation" in timing[0]) is fatigue
    assert ("miller2022_jat" in timing[0]) is fatigue


def test_imported_years_before_the_journal_started_are_not_cramp_free(ctx: AppContext, now: datetime) -> None:
    """Issue 13: sessions and days from before the first cramp was logged inflated every rate."""
    from crampwise.services import journal
    from crampwise.services.insights import compute_insights

    journal.add_athlete(ctx, data={"name": "Ana", "timezone": "UTC"}, now=now - timedelta(days=30))
    for days_ago in (900, 600, 300, 20, 10):
        start = now - timedelta(days=days_ago)
        journal.log_session(
            ctx, athlete=None, data={"sport": "run", "duration_s": 3600, "start": start}, now=now
        )
        journal.log_day(ctx, athlete=None, data={"date": start.date(), "sleep_h": 7}, now=now)
    document = compute_insights(ctx, athlete=None, now=now).to_json()
    assert document["n_sessions"] == 2 and 0 < document["n_days"] <= 30
    journal.set_athlete(ctx, athlete=None, changes={"journal_started": (now - timedelta(days=1000)).date()})
    assert compute_insights(ctx, athlete=None, now=now).to_json()["n_sessions"] == 5
