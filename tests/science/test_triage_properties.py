"""Properties of the red-flag review that hold for any journal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.domain.enums import Level, Muscle, Symptom
from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp
from crampwise.science.triage import review

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

cramps = st.lists(
    st.builds(
        lambda days, muscle, severity, symptoms, context: Cramp.model_validate(
            {
                "at": NOW - timedelta(days=days),
                "muscle": muscle,
                "severity": severity,
                "context": context,
                "symptoms": symptoms,
                "duration_s": 60,
            },
            context={"now": NOW},
        ),
        st.floats(0, 400),
        st.sampled_from(list(Muscle)),
        st.integers(0, 10),
        st.lists(st.sampled_from(list(Symptom)), max_size=3),
        st.sampled_from(["exercise", "after_exercise", "rest", "sleep"]),
    ),
    max_size=25,
)


def with_ids(items: list[Cramp]) -> tuple[Cramp, ...]:
    return tuple(c.model_copy(update={"id": f"c-{i:04d}"}) for i, c in enumerate(items))


@settings(max_examples=40, deadline=None)
@given(cramps, st.sampled_from(list(Symptom)))
def test_logging_one_more_symptom_never_lowers_the_level(items: list[Cramp], extra: Symptom) -> None:
    athlete = Athlete(name="Ana")
    base = with_ids(items)
    before = review(History(athlete=athlete, cramps=base), NOW)
    if not base:
        return
    last = base[-1]
    bumped = last.model_copy(
        update={"symptoms": [*last.symptoms, extra] if extra not in last.symptoms else last.symptoms}
    )
    after = review(History(athlete=athlete, cramps=(*base[:-1], bumped)), NOW)
    assert after.level.rank >= before.level.rank


@settings(max_examples=40, deadline=None)
@given(cramps)
def test_the_top_level_is_the_most_serious_flag_and_every_episode_exists(items: list[Cramp]) -> None:
    base = with_ids(items)
    result = review(History(athlete=Athlete(name="Ana"), cramps=base), NOW)
    assert result.level is (result.flags[0].level if result.flags else Level.NONE)
    ids = {c.id for c in base}
    assert all(set(f.episodes) <= ids and f.sources for f in result.flags)
    assert len({f.code for f in result.flags}) == len(result.flags)
