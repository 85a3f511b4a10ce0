"""The log forms' chips for the athlete's own factors (issue 16): plain HTML, no JavaScript."""

from __future__ import annotations

import re
from typing import Any

from crampwise.config import Settings
from crampwise.services import factors
from crampwise.services.context import open_context

from .conftest import TestClient


def _factors(settings: Settings) -> None:
    with open_context(settings) as ctx:
        factors.add_factor(ctx, athlete="Ana", name="new-shoes", level="session")
        factors.add_factor(ctx, athlete="Ana", name="caffeine_mg", level="day", kind="number")
        factors.add_factor(ctx, athlete="Ana", name="pickle_juice", level="day")


def test_forms_without_own_factors_show_no_chips(client: TestClient) -> None:
    assert 'id="tags-group"' not in client.get("/log/session").text


def test_session_form_shows_a_labelled_checkbox_per_session_factor(
    client: TestClient, settings: Settings
) -> None:
    _factors(settings)
    html = client.get("/log/session").text
    assert "<legend>Your factors" in html
    assert re.search(r'<input type="checkbox" id="tag-new_shoes" name="tags.new_shoes" value="yes">', html)
    assert '<label for="tag-new_shoes">new shoes</label>' in html
    assert "caffeine" not in html  # a day factor is not a session's


def test_ticked_chip_is_yes_and_an_unticked_one_is_a_known_no(client: TestClient, settings: Settings) -> None:
    _factors(settings)
    data: dict[str, Any] = {"sport": "run", "duration_s": "1h", "tags.new_shoes": "yes"}
    assert client.post("/log/session", data=data, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/sessions/s-0003").json()["tags"] == {"new_shoes": True}
    client.post("/log/session", data={"sport": "run", "duration_s": "40m"})
    assert client.get("/api/v1/sessions/s-0004").json()["tags"] == {"new_shoes": False}


def test_day_form_reads_a_number_chip_and_keeps_a_bad_one_as_typed(
    client: TestClient, settings: Settings
) -> None:
    _factors(settings)
    html = client.get("/log/day").text
    assert 'id="tag-caffeine_mg" name="tags.caffeine_mg" inputmode="decimal"' in html
    saved = client.post(
        "/log/day", data={"date": "2026-05-20", "tags.caffeine_mg": "200", "tags.pickle_juice": "yes"}
    )
    assert saved.status_code == 200
    [day] = [d for d in client.get("/api/v1/days").json() if d["date"] == "2026-05-20"]
    assert day["tags"] == {"caffeine_mg": 200, "pickle_juice": True}
    bad = client.post("/log/day", data={"date": "2026-05-21", "tags.caffeine_mg": "lots"})
    assert bad.status_code == 422
    assert 'id="tags-error"' in bad.text and 'aria-invalid="true"' in bad.text and 'value="lots"' in bad.text
    assert "caffeine_mg is a number factor" in bad.text
    assert all(d["date"] != "2026-05-21" for d in client.get("/api/v1/days").json())


def test_the_api_refuses_a_tag_the_athlete_has_no_factor_for(client: TestClient, settings: Settings) -> None:
    _factors(settings)
    bad = client.post(
        "/api/v1/sessions",
        json={
            "start": "2026-05-30T08:00:00+02:00",
            "sport": "run",
            "duration_s": 3600,
            "tags": {"old_shoes": True},
        },
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "tags.old_shoes"
