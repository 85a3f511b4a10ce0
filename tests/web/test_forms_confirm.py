"""Forms after the journal fixes: unusual values are confirmed, not stored silently; a new
athlete starts the journal today; the store is created by the first write, never by a read;
the advice after logging a cramp calls the athlete's own emergency number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crampwise.config import Settings
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL

SAME_CRAMP = {"muscle": "calf", "side": "left", "context": "rest", "at": "2026-05-31T22:00"}


def test_the_same_cramp_twice_asks_for_a_confirmation(client: TestClient) -> None:
    assert client.post("/log/cramp", data=SAME_CRAMP, follow_redirects=False).status_code == 303
    again = client.post("/log/cramp", data=SAME_CRAMP)
    assert again.status_code == 422
    assert "Is this right? Nothing is saved until you confirm" in again.text
    assert re.search(
        r'<input type="checkbox" id="confirmed" name="confirmed" value="yes"(?! checked)', again.text
    )
    assert 'value="calf" checked' in again.text  # the form as typed
    assert len(client.get("/api/v1/cramps").json()) == 3
    confirmed = client.post("/log/cramp", data={**SAME_CRAMP, "confirmed": "yes"}, follow_redirects=False)
    assert confirmed.status_code == 303
    assert len(client.get("/api/v1/cramps").json()) == 4


def test_a_weighing_far_from_the_body_mass_is_shown_by_its_field(client: TestClient) -> None:
    form = {"sport": "run", "duration_s": "1h", "pre_mass_kg": "135"}
    response = client.post("/log/session", data=form)
    assert response.status_code == 422
    assert re.search(
        r'<p class="error" id="pre_mass_kg-error">135kg is far from [^<]*did you mean 135lb\?', response.text
    )
    assert 'id="confirmed"' in response.text
    saved = client.post("/log/session", data={**form, "confirmed": "yes"}, follow_redirects=False)
    assert saved.status_code == 303
    assert client.get("/api/v1/sessions").json()[-1]["pre_mass_kg"] == 135


def test_settings_read_a_bare_mass_in_the_units_chosen_and_confirm_a_big_change(client: TestClient) -> None:
    form = {"name": "Ana", "timezone": "Europe/Madrid", "units": "imperial", "body_mass_kg": "135"}
    saved = client.post("/settings", data=form, follow_redirects=False)
    assert saved.status_code == 303  # 135 lb is 61.2 kg: Ana's own mass, nothing unusual
    assert client.get("/api/v1/export").json()["athlete"]["body_mass_kg"] == pytest.approx(61.235, abs=0.001)
    bigger = client.post("/settings", data={**form, "body_mass_kg": "135kg"})
    assert (
        bigger.status_code == 422
        and 'id="body_mass_kg-error"' in bigger.text
        and 'id="confirmed"' in bigger.text
    )
    assert (
        client.post("/settings", data={**form, "body_mass_kg": "135kg", "confirmed": "yes"}).status_code
        == 200
    )


def test_the_api_refuses_an_unusual_value_until_confirmed(client: TestClient) -> None:
    body = {"at": "2026-05-31T22:00:00+02:00", "muscle": "calf", "context": "rest"}
    assert client.post("/api/v1/cramps", json=body).status_code == 201
    twice = client.post("/api/v1/cramps", json=body)
    assert twice.status_code == 422 and twice.json()["detail"][0]["type"] == "unconfirmed"
    assert client.post("/api/v1/cramps?confirmed=true", json=body).status_code == 201


def test_a_missing_store_is_created_by_the_first_write_never_by_a_read(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "crampwise.db"
    db.parent.mkdir()
    settings = Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path)
    with TestClient(create_app(settings, clock=lambda: FIXED_NOW), base_url=LOCAL_URL) as client:
        for path in ("/", "/now/calf", "/log/cramp", "/settings", "/check", "/plan"):
            assert client.get(path).status_code in (200, 404), path
        history = client.get("/history")
        assert history.status_code == 404 and 'href="/settings">Set up your athlete' in history.text
        assert "crampwise athlete add" not in history.text  # the web's way to start, not the CLI's
        assert not db.exists()
        created = client.post(
            "/settings",
            data={"name": "Mo", "timezone": "Pacific/Kiritimati", "units": "metric"},
            follow_redirects=False,
        )
        assert created.status_code == 303 and db.exists()
        athlete = client.get("/api/v1/export").json()["athlete"]
        assert athlete["journal_started"] == "2026-06-02"  # already tomorrow at UTC+14: today there
        assert "Today, Mo" in client.get("/").text


def test_the_advice_after_saving_a_cramp_calls_the_athletes_number(client: TestClient) -> None:
    numb = {"muscle": "calf", "context": "exercise", "symptoms": ["numbness"]}
    saved = client.post("/log/cramp", data=numb)
    assert saved.status_code == 200 and "/history?saved=" in str(saved.url)
    advice = saved.text.split('role="alert"', 1)[1]
    assert "urgent" in advice[:200] and "call 112" in advice  # Ana is in Madrid
    assert "{emergency}" not in saved.text
    plain = client.post("/log/cramp", data={"muscle": "foot", "context": "rest", "at": "2026-05-30T10:00"})
    assert 'class="notice bad" role="alert"' not in plain.text
