"""The relief page as the clinical safety pass wrote it: emergency numbers of the athlete's
country, a stop sign on every step, the checks before pressure and warmth, water safety first,
and the closing questions of `crampwise now` (did it help, how bad, where, which side)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crampwise.config import ServerSettings, Settings
from crampwise.knowledge.relief import load_relief
from crampwise.services.context import open_context
from crampwise.services.journal import add_athlete
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL


@contextmanager
def _app_for(settings: Settings, now: datetime = FIXED_NOW) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock=lambda: now), base_url=LOCAL_URL) as client:
        yield client


def _athlete_in(settings: Settings, zone: str) -> None:
    with open_context(settings) as ctx:
        add_athlete(ctx, data={"name": "Kim", "timezone": zone, "body_mass_kg": 70}, now=FIXED_NOW)


@pytest.mark.parametrize(
    ("zone", "number", "urgent"),
    [("Europe/Madrid", "112", None), ("Europe/London", "999", "NHS 111"), ("America/Toronto", "911", None)],
)
def test_the_numbers_are_those_of_the_athletes_country(
    settings: Settings, zone: str, number: str, urgent: str | None
) -> None:
    _athlete_in(settings, zone)
    with _app_for(settings) as client:
        html = client.get("/now/calf").text
        assert "{emergency}" not in html and "{urgent_care}" not in html
        assert f"call {number}" in html
        assert f"Emergency number: {number} (" in html
        if urgent:
            assert urgent in html
        assert ("NHS 111" in html) == (number == "999")  # UK services only for someone in the UK


def test_without_an_athlete_the_page_still_answers_with_the_generic_words(tmp_path: Path) -> None:
    server = Settings(
        database_url=f"sqlite:///{tmp_path / 'none.db'}",
        data_dir=tmp_path,
        server=ServerSettings(secret_key="a-random-test-key-" + "k7Qz9pX2wL5mN8vB3cR6tY1u"),
    )
    with _app_for(server) as client:
        html = client.get("/now/hamstring").text
        assert "call your local emergency number" in html
        assert not (tmp_path / "none.db").exists()  # showing relief never creates a store


def test_every_step_shows_its_stop_sign_and_the_checks_say_what_a_yes_means(settings: Settings) -> None:
    _athlete_in(settings, "Europe/Madrid")
    with _app_for(settings) as client:
        protocol = load_relief().protocol("calf")
        html = client.get("/now/calf").text
        stops = re.findall(r'<p class="stop-line">([^<]+)</p>', html)
        assert len(stops) == len(protocol.steps)
        assert all(s.startswith("Stop sign:") for s in stops)
        pressure = next(s for s in protocol.steps if s.kind == "pressure")
        warmth = protocol.steps[-1]
        assert pressure.check is not None and warmth.check is not None
        for check in (pressure.check, warmth.check):
            assert f"<span data-check-question>{check.question}</span>" in html
        assert "Skip the pressure and massage" in html and "Skip the warmth and cool down instead" in html
        assert "call 112" in html  # inside the skip texts too


def test_water_safety_comes_first(settings: Settings) -> None:
    with _app_for(settings) as client:
        html = client.get("/now/foot").text
        first = html.index("<strong>First:</strong>")
        assert "Roll onto your back and float" in html[first : first + 400]
        assert first < html.index('id="steps"')


def test_the_closing_questions_ask_where_and_which_side(settings: Settings) -> None:
    _athlete_in(settings, "Europe/Madrid")
    with _app_for(settings) as client:
        html = client.get("/now/calf").text
        for legend in ("Did it help?", "How bad was it at its worst?", "Where did it start?", "Which side?"):
            assert f"<legend>{legend}" in html
        assert "<details" not in html.split('id="done"', 1)[1]  # visible, not folded away
        response = client.post(
            "/now/calf",
            data={"started": "2026-06-01T11:58:00+00:00", "context": "after_exercise", "side": "right"},
            follow_redirects=False,
        )
        assert response.status_code == 303
        cramp = client.get(f"/api/v1/cramps/{response.headers['location'].rsplit('=', 1)[1]}").json()
        assert (cramp["context"], cramp["side"]) == ("after_exercise", "right")


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 6, 1, 19, 59, tzinfo=UTC), "exercise"),  # 21:59 in Madrid
        (datetime(2026, 6, 1, 20, 0, tzinfo=UTC), "sleep"),  # 22:00 in Madrid: night begins
        (datetime(2026, 6, 2, 4, 59, tzinfo=UTC), "sleep"),  # 06:59
        (datetime(2026, 6, 2, 5, 0, tzinfo=UTC), "exercise"),  # 07:00: night is over
    ],
)
def test_where_it_started_defaults_to_sleep_at_night_in_the_athletes_zone(
    settings: Settings, utc: datetime, expected: str
) -> None:
    _athlete_in(settings, "Europe/Madrid")
    with _app_for(settings, utc) as client:
        html = client.get("/now/calf").text
        assert re.search(rf'id="context-{expected}" name="context" value="{expected}" checked', html)
        assert 'data-night-from="22" data-night-until="7"' in html  # the same rule for the phone's clock


def test_the_same_cramp_twice_from_the_guide_is_still_logged(settings: Settings) -> None:
    """The guide ran: like `crampwise now`, its episode is stored next to a similar one."""
    _athlete_in(settings, "Europe/Madrid")
    with _app_for(settings) as client:
        form = {"started": "2026-06-01T11:58:00+00:00", "context": "rest"}
        first = client.post("/now/calf", data=form, follow_redirects=False)
        second = client.post("/now/calf", data=form, follow_redirects=False)
        assert (first.status_code, second.status_code) == (303, 303)
        assert len(client.get("/api/v1/cramps").json()) == 2
