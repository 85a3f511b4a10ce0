"""History, cramp and session pages show what import fidelity (#14) reads: the activity's name,
moving against elapsed time, a multisport file's legs as one event, and how a session was read
(recovered from a file without a summary, date inferred from the device's clock)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crampwise.config import Settings
from crampwise.services.bundles import import_bundle
from crampwise.services.context import open_context
from crampwise.services.sessions import events_of
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL, make_sample_bundle


def _triathlon() -> dict[str, Any]:
    bundle = make_sample_bundle()
    legs = [
        ("s-0003", "2026-05-24T08:00:00+02:00", "swim", 1800, 1750, 1500),
        ("s-0004", "2026-05-24T08:33:00+02:00", "ride", 4800, 4500, 40000),
        ("s-0005", "2026-05-24T09:55:00+02:00", "run", 2700, 2600, 10000),
    ]
    for session_id, start, sport, elapsed, moving, distance in legs:
        bundle["sessions"].append(
            {
                "id": session_id,
                "start": start,
                "sport": sport,
                "duration_s": elapsed,
                "moving_time_s": moving,
                "distance_m": distance,
                "event_id": "s-0003",
                "name": "Lake sprint triathlon" if sport == "swim" else None,
            }
        )
    bundle["sessions"][1].update({"date_inferred": True, "recovered": True, "gear": "old bike"})
    bundle["cramps"].append(
        {
            "id": "c-0003",
            "at": "2026-05-24T10:20:00+02:00",
            "muscle": "calf",
            "context": "exercise",
            "session_id": "s-0005",
        }
    )
    return bundle


@pytest.fixture
def tri(settings: Settings) -> Iterator[TestClient]:
    with open_context(settings) as ctx:
        import_bundle(ctx, data=_triathlon(), now=FIXED_NOW)
    with TestClient(create_app(settings, clock=lambda: FIXED_NOW), base_url=LOCAL_URL) as client:
        yield client


def test_history_lists_the_legs_of_an_event_as_one(tri: TestClient) -> None:
    html = tri.get("/history").text
    sessions = html.split('id="sessions"', 1)[1]
    assert sessions.count("<li>") == 3  # the event, then the two single sessions
    event = sessions.split("<li>")[1]
    assert "Lake sprint triathlon" in event and "3 legs" in event
    assert "2h40m" in event and "(moving 2h28m)" in event  # 08:00 to 10:40; 1750 + 4500 + 2600 s moving
    assert "date inferred from the device's clock" in sessions and "recovered from a file" in sessions


def test_the_session_page_shows_the_event_and_moving_time(tri: TestClient) -> None:
    html = tri.get("/history/sessions/s-0004").text
    assert "One event, 3 legs" in html
    assert re.search(r'<strong aria-current="page">ride, 1h20m \(moving 1h15m\), 40 km', html)
    assert 'href="/history/sessions/s-0003"' in html and 'href="/history/sessions/s-0005"' in html
    assert tri.get("/history/sessions/s-0099").status_code == 404


def test_the_session_page_says_how_a_file_was_read(tri: TestClient) -> None:
    html = tri.get("/history/sessions/s-0002").text
    for note in ("recovered from the records of a file", "date inferred", "gear: old bike"):
        assert note in html


def test_a_cramp_on_a_leg_names_its_event(tri: TestClient) -> None:
    html = tri.get("/history/cramps/c-0003").text
    assert "Leg 3 of a 3-leg event: swim, ride, run (2h40m in all)" in html
    assert 'href="/history/sessions/s-0005"' in html


def test_events_group_legs_and_keep_single_sessions_apart(tri: TestClient) -> None:
    sessions = tri.get("/api/v1/sessions").json()
    from crampwise.domain.records import Session

    events = events_of([Session.model_validate(s) for s in sessions])
    assert [len(e.legs) for e in events] == [1, 1, 3]
    assert events[2].title == "Lake sprint triathlon" and events[0].moving_s is None
