"""Today and Plan after the clinical safety pass: no personal probability under 10 logged cramps
(a cited cohort band, or the reason), a prompt for the body mass instead of an error, numbers as
people read them in the athlete's units, and citations that do not take over a phone screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crampwise.config import Settings
from crampwise.services.context import open_context
from crampwise.services.journal import add_athlete, log_cramp, log_session
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL


@pytest.fixture
def make_client(settings: Settings) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make(**athlete: Any) -> TestClient:
        with open_context(settings) as ctx:
            add_athlete(ctx, data={"name": "Lu", "timezone": "Europe/Madrid", **athlete}, now=FIXED_NOW)
        client = TestClient(create_app(settings, clock=lambda: FIXED_NOW), base_url=LOCAL_URL)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _visible(html: str) -> str:
    """The page's text without tags (what a reader sees)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<main", 1)[-1]))


def test_a_new_athlete_sees_no_probability_and_why(make_client: Any) -> None:
    html = make_client(body_mass_kg=52).get("/").text
    text = _visible(html)
    assert "Cramp risk" in text and "about" not in text.split("Cramp risk", 1)[1].split("Drink", 1)[0]
    assert "0 cramps logged: fewer than 10 is too few to estimate your own chance" in text
    assert "no estimate" in text  # an hour's run has no cohort band


def test_a_long_run_shows_the_cohort_band_with_its_source(make_client: Any) -> None:
    client = make_client(body_mass_kg=52)
    html = client.get("/plan?sport=run&duration=6h&temperature=35").text
    risk = html.split(">Cramp risk</th>", 1)[1].split("</tr>", 1)[0]
    assert '<span class="level level-elevated">elevated</span>' in risk
    assert "about" not in _visible(risk)
    assert "161-km ultramarathon runners, 14-41 %" in risk
    assert "hoffman2015_ultra" in risk  # the band's source, behind the compact link


def test_with_ten_cramps_the_probability_is_shown(settings: Settings, make_client: Any) -> None:
    client = make_client(body_mass_kg=60)
    with open_context(settings) as ctx:
        for day in range(10):
            start = FIXED_NOW - timedelta(days=30 - 2 * day, hours=2)
            session = log_session(
                ctx, athlete=None, data={"start": start, "sport": "run", "duration_s": 3600}, now=FIXED_NOW
            )
            log_cramp(
                ctx,
                athlete=None,
                data={
                    "at": start + timedelta(minutes=50),
                    "muscle": "calf",
                    "context": "exercise",
                    "session_id": session.id,
                },
                now=FIXED_NOW,
            )
    text = _visible(client.get("/").text)
    assert re.search(r"Cramp risk: \w+ about \d+(&nbsp;| )% from your history", text), text


def test_without_a_body_mass_today_asks_for_it_instead_of_failing(make_client: Any) -> None:
    client = make_client()
    response = client.get("/")
    assert response.status_code == 200
    assert 'id="needs-profile"' in response.text and 'href="/settings#body_mass_kg"' in response.text
    plan = client.get("/plan?sport=run&duration=1h&temperature=20")
    assert plan.status_code == 200 and 'id="needs-profile"' in plan.text
    assert "Drinking schedule" not in plan.text


def test_numbers_read_as_people_read_them_in_the_athletes_units(make_client: Any) -> None:
    metric = make_client(body_mass_kg=61.5)
    html = metric.get("/plan?sport=run&duration=3h&temperature=28").text
    text = _visible(html.split('id="plan-title"', 1)[1])  # the plan, not the form's hints
    assert "run, 3h, 28 °C" in text and "28C" not in text
    assert re.search(r"never more than \d+ ml per hour", text)
    assert re.search(r"\d+–\d+ ml per hour", text) or "drink to thirst" in text


def test_an_imperial_athlete_types_and_reads_fahrenheit_and_ounces(make_client: Any) -> None:
    client = make_client(body_mass_kg=61.5, units="imperial")
    html = client.get("/plan?sport=run&duration=3h&temperature=82").text  # a bare 82 is 82 °F here
    text = _visible(html)
    assert "82 °F" in text and "fl oz per hour" in text
    today = client.get("/").text
    link = re.search(r'href="(/plan\?[^"]+)"', today)
    assert link is not None and "temperature=68F" in link.group(1)  # no unit guessed on the way


def test_a_bare_temperature_hotter_than_any_race_suggests_fahrenheit(make_client: Any) -> None:
    response = make_client(body_mass_kg=61.5).get("/plan?sport=run&duration=3h&temperature=82")
    assert response.status_code == 422
    assert "did you mean 82F?" in response.text and 'id="temperature-error"' in response.text


def test_sources_are_a_small_link_not_a_list_of_ids(make_client: Any) -> None:
    html = make_client(body_mass_kg=61.5).get("/plan?sport=run&duration=3h&temperature=28").text
    assert "[sawka2007_acsm" not in html
    links = re.findall(r'<a class="cite" href="/sources\?cite=([a-z0-9_,]+)">(\d+)&nbsp;sources?</a>', html)
    assert links and all(len(ids.split(",")) == int(n) for ids, n in links)
