"""`insights --json` marks the athlete's own factors (`"own": true`, CONTRACTS.md section 5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from crampwise.domain.history import History
from crampwise.domain.records import Bundle
from crampwise.science.triggers import analyse
from crampwise.services.insights import build_summary, factor_json, insights_from_history

TZ = timezone(timedelta(hours=2))


def test_own_and_exploratory_factors_are_marked_in_the_json_and_named_as_the_athlete_s() -> None:
    start = datetime(2026, 5, 1, 8, 0, tzinfo=TZ)
    sessions, cramps, days = [], [], []
    for i in range(40):
        worn = i % 3 == 0
        sessions.append(
            {
                "id": f"s-{i:04d}",
                "start": (start + timedelta(days=i)).isoformat(),
                "sport": "run",
                "duration_s": 3600,
                "tags": {"new_shoes": worn},
            }
        )
        if (worn and i % 2 == 0) or i in (1, 5):
            at = start + timedelta(days=i, minutes=50)
            cramps.append(
                {
                    "id": f"c-{i:04d}",
                    "at": at.isoformat(),
                    "muscle": "calf",
                    "context": "exercise",
                    "session_id": f"s-{i:04d}",
                }
            )
        days.append({"date": (date(2026, 5, 1) + timedelta(days=i)).isoformat(), "resting_hr": 50 + i % 4})
    athlete = {
        "name": "Ana",
        "timezone": "Europe/Madrid",
        "factors": [{"name": "new_shoes", "level": "session"}],
    }
    bundle = Bundle.model_validate({"athlete": athlete, "sessions": sessions, "cramps": cramps, "days": days})
    analysis = analyse(History.from_bundle(bundle), today=date(2026, 6, 15))
    by_key = {(f.factor, f.level): factor_json(f) for f in analysis.factors}
    own = by_key[("new_shoes", "session")]
    assert own["own"] is True and "exploratory" not in own
    assert own["exposed"] == {"n": 14, "with_cramp": 7} and own["unexposed"] == {"n": 26, "with_cramp": 2}
    assert by_key[("raised_resting_hr", "day")]["exploratory"] is True
    assert "own" not in by_key[("heat", "session")]
    summary = " ".join(build_summary(analysis))
    assert own["verdict"] == "likely_trigger" and "your own factor 'new shoes'" in summary
    assert insights_from_history(analysis, "Ana").to_json()["factors"][-1]["level"] == "day"
