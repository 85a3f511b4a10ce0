"""The analysis cache: computed once per change of an athlete's data, never served stale."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta

from crampwise.science.risk import RiskModel, past_of
from crampwise.science.triggers import analyse
from crampwise.services.analysis_cache import ANALYSES, AnalysisCache, data_version
from crampwise.services.context import AppContext
from crampwise.services.demo import DEMO_NAME, create_demo
from crampwise.services.insights import compute_insights
from crampwise.services.journal import load_history, load_journal_history, log_cramp
from crampwise.services.planning import plan_session
from crampwise.services.record_edits import update_session


def _fresh_insights_json(ctx: AppContext, now: datetime) -> dict[str, object]:
    from crampwise.services.insights import insights_from_history

    history = load_journal_history(ctx, athlete=None)
    analysis = analyse(history, today=now.astimezone(history.athlete.zone).date())
    return insights_from_history(analysis, history.athlete.name).to_json()


def test_insights_are_computed_once_and_recomputed_after_any_change(ctx: AppContext, now: datetime) -> None:
    create_demo(ctx, now=now)
    ANALYSES.clear()
    first = compute_insights(ctx, athlete=None, now=now)
    again = compute_insights(ctx, athlete=None, now=now)
    assert again.analysis is first.analysis  # the second request computed nothing
    assert (ANALYSES.stats.misses, ANALYSES.stats.hits) == (1, 1)

    # a new cramp in the latest cramp-free session: the next answer is that of the new data
    history = load_history(ctx, athlete=None)
    cramped = {c.session_id for c in history.cramps}
    latest = next(s for s in reversed(history.sessions) if s.id not in cramped)
    before = first.to_json()
    log_cramp(
        ctx,
        athlete=None,
        data={
            "muscle": "calf",
            "context": "exercise",
            "at": (latest.start + timedelta(minutes=5)).isoformat(),
            "session_id": latest.id,
        },
        now=now,
    )
    after_cramp = compute_insights(ctx, athlete=None, now=now).to_json()
    assert ANALYSES.stats.misses == 2
    assert after_cramp == _fresh_insights_json(ctx, now)
    assert after_cramp["n_session_cramps"] == before["n_session_cramps"] + 1

    # an edit in place (same id, same number of rows) changes the version too
    longest = max(load_history(ctx, athlete=None).sessions, key=lambda s: s.duration_s)
    update_session(
        ctx, athlete=None, session_id=longest.id, changes={"duration_s": 600.0}, now=now, confirmed=True
    )
    after_edit = compute_insights(ctx, athlete=None, now=now).to_json()
    assert ANALYSES.stats.misses == 3
    assert after_edit == _fresh_insights_json(ctx, now)
    assert after_edit != after_cramp


def test_the_next_day_is_another_analysis(ctx: AppContext, now: datetime) -> None:
    create_demo(ctx, now=now)
    ANALYSES.clear()
    compute_insights(ctx, athlete=None, now=now)
    compute_insights(ctx, athlete=None, now=now + timedelta(days=1))
    assert ANALYSES.stats.misses == 2


def test_the_plan_risk_model_follows_the_data(ctx: AppContext, now: datetime) -> None:
    create_demo(ctx, now=now)
    ANALYSES.clear()

    def plan_risk() -> object:
        plan = plan_session(
            ctx, athlete=None, sport="run", duration_s=3 * 3600, temperature_c=28, rpe=7, now=now
        )
        return plan.risk

    first = plan_risk()
    assert plan_risk() == first and ANALYSES.stats.hits == 1
    history = load_journal_history(ctx, athlete=None)
    cached_beta = ANALYSES.get_or_compute(
        ("session_risk", data_version(past_of(history, now)), None), lambda: None
    )
    assert isinstance(cached_beta, RiskModel)
    # the model holds numpy arrays: equal fits pickle to the same bytes
    assert pickle.dumps(cached_beta) == pickle.dumps(RiskModel.fit(past_of(history, now)))
    for session in load_history(ctx, athlete=None).sessions[-6:]:  # six more cramps in hard sessions
        log_cramp(
            ctx,
            athlete=None,
            data={
                "muscle": "calf",
                "context": "exercise",
                "at": (session.start + timedelta(minutes=1)).isoformat(),
                "session_id": session.id,
            },
            now=now,
        )
    changed = load_journal_history(ctx, athlete=None)
    assert plan_risk() != first
    cached_after = ANALYSES.get_or_compute(
        ("session_risk", data_version(past_of(changed, now)), None), lambda: None
    )
    assert pickle.dumps(cached_after) == pickle.dumps(RiskModel.fit(past_of(changed, now)))


def test_equal_records_have_one_version_and_a_changed_field_another(ctx: AppContext, now: datetime) -> None:
    create_demo(ctx, now=now)
    one, two = load_history(ctx, athlete=None), load_history(ctx, athlete=None)
    assert one is not two and data_version(one) == data_version(two)
    renamed = type(one)(
        athlete=one.athlete.model_copy(update={"name": DEMO_NAME + " 2"}),
        sessions=one.sessions,
        cramps=one.cramps,
        days=one.days,
        medications=one.medications,
    )
    assert data_version(renamed) != data_version(one)


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache = AnalysisCache(max_entries=2)
    assert cache.get_or_compute("a", lambda: 1) == 1
    assert cache.get_or_compute("b", lambda: 2) == 2
    assert cache.get_or_compute("a", lambda: 99) == 1  # a hit: "b" is now the oldest
    assert cache.get_or_compute("c", lambda: 3) == 3
    assert len(cache) == 2
    assert cache.get_or_compute("b", lambda: 20) == 20  # "b" was evicted and is recomputed
    assert cache.get_or_compute("a", lambda: 10) == 10  # "a" was evicted by "b"
