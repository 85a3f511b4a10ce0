"""A realistic hand-built history for the report tests: half a year of running with cramps."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Day, Medication, Session

NOW = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)


def sample_history(seed: int = 7) -> History:
    rng = random.Random(seed)
    athlete = Athlete(
        name="Ana Ruiz",
        sex="female",
        birth_year=1988,
        body_mass_kg=61.5,
        max_hr=188,
        timezone="Europe/Madrid",
    )
    sessions: list[Session] = []
    cramps: list[Cramp] = []
    for i in range(80):
        start = NOW - timedelta(days=180 - i * 2.2, hours=10)
        long = i % 9 == 0
        data: dict[str, Any] = {
            "id": f"s-{i + 1:04d}",
            "start": start,
            "sport": "run" if i % 4 else "ride",
            "duration_s": 3600 * (2.5 if long else 1.0),
            "rpe": 8 if long else 5,
            "temperature_c": round(rng.uniform(12, 31), 1),
            "warmup_min": 10,
        }
        if i % 5 == 0:
            data.update(pre_mass_kg=62.0, post_mass_kg=round(62.0 - rng.uniform(0.4, 1.6), 2), fluid_ml=500)
        sessions.append(Session.model_validate(data))
        if long or rng.random() < 0.05:
            cramps.append(
                Cramp.model_validate(
                    {
                        "id": f"c-{len(cramps) + 1:04d}",
                        "at": start + timedelta(seconds=data["duration_s"] * 0.8),
                        "muscle": rng.choice(["calf", "calf", "hamstring", "quadriceps"]),
                        "side": rng.choice(["left", "right", "both"]),
                        "severity": rng.randint(4, 8),
                        "duration_s": rng.choice([30, 60, 90, 120]),
                        "context": "exercise",
                        "session_id": data["id"],
                        "relief": ["stretch"],
                        "relief_worked": True,
                    },
                    context={"now": NOW},
                )
            )
    for days_ago in (20, 12, 5):
        cramps.append(
            Cramp.model_validate(
                {
                    "id": f"c-{len(cramps) + 1:04d}",
                    "at": NOW - timedelta(days=days_ago, hours=20),
                    "muscle": "calf",
                    "side": "left",
                    "severity": 7,
                    "duration_s": 180,
                    "context": "sleep",
                },
                context={"now": NOW},
            )
        )
    cramps.append(
        Cramp.model_validate(
            {
                "id": f"c-{len(cramps) + 1:04d}",
                "at": NOW - timedelta(days=1, hours=3),
                "muscle": "calf",
                "side": "left",
                "severity": 8,
                "duration_s": 240,
                "context": "rest",
                "symptoms": ["swelling", "warmth"],
                "notes": "calf still tight",
            },
            context={"now": NOW},
        )
    )
    days = [Day(date=date(2026, 5, d), sleep_h=7.0) for d in range(1, 20)]
    meds = [Medication(id="m-0001", name="hydrochlorothiazide", kind="diuretic", started=date(2026, 4, 20))]
    return History(
        athlete=athlete,
        sessions=tuple(sessions),
        cramps=tuple(cramps),
        days=tuple(days),
        medications=tuple(meds),
    )
