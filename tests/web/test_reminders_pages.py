"""The planned sessions, session mode, gels-and-drinks and reminders pages in-process: status,
content, forms that keep what was typed (422, message by the field, nothing written), the
feed without sign-in, the push API, and another athlete's records answering 404."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from crampwise.config import Settings
from crampwise.services.context import AppContext, open_context
from crampwise.services.journal import add_athlete
from crampwise.services.planned import add_planned, list_planned
from crampwise.services.products import list_products
from crampwise.services.push import subscription_count
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL
from tests.push_service import Browser, b64url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PLAN_FORM = {"sport": "run", "duration": "3h", "temperature": "28C", "rpe": "6", "date": "2026-06-07T08:00"}


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[TestClient, AppContext]]:
    """The app acting for Ana (as `--athlete Ana` or her account would) on a store shared with Bo."""
    url = f"sqlite:///{tmp_path / 'crampwise.db'}"
    with open_context(Settings(database_url=url, data_dir=tmp_path)) as ctx:
        add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5, "timezone": "Europe/Madrid"})
        add_athlete(ctx, data={"name": "Bo", "body_mass_kg": 80, "timezone": "UTC"})
        for _ in range(2):
            add_planned(ctx, athlete="Bo", sport="ride", duration_s=7200, temperature_c=20, rpe=None,
                        when=datetime(2026, 6, 9, 9))  # fmt: skip  # noqa: DTZ001
        app = create_app(
            Settings(database_url=url, data_dir=tmp_path, athlete="Ana"), clock=lambda: FIXED_NOW
        )
        with TestClient(app, base_url=LOCAL_URL) as client:
            yield client, ctx


def add_gel(client: TestClient) -> None:
    response = client.post(
        "/settings/products",
        data={"name": "gel", "carbohydrate_g": "25g", "sodium_mg": "50mg", "fluid_ml": "0"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/settings/products?saved=gel"


@pytest.mark.parametrize("path", ["/planned", "/session", "/settings/products", "/settings/reminders"])
def test_the_new_pages_answer(two: tuple[TestClient, AppContext], path: str) -> None:
    client, _ = two
    response = client.get(path)
    assert response.status_code == 200 and 'href="/now' in response.text


def test_the_new_pages_answer_on_a_store_without_an_athlete(empty_client: TestClient) -> None:
    # /session is cached by the service worker when it installs: it must answer even then
    assert empty_client.get("/session").status_code == 200
    # the plan page needs an athlete: on a first run it shows the way to set one up (main's welcome)
    first_run = empty_client.get("/plan")
    assert first_run.status_code == 404 and "Set up your athlete" in first_run.text


def test_products_page_adds_lists_and_removes(two: tuple[TestClient, AppContext]) -> None:
    client, ctx = two
    add_gel(client)
    html = client.get("/settings/products?saved=gel").text
    assert "Saved gel." in html and "<strong>gel</strong>: 25 g carbohydrate, 50 mg sodium <span" in html
    response = client.post("/settings/products/remove", data={"name": "GEL"}, follow_redirects=False)
    assert response.headers["location"] == "/settings/products?removed=gel"
    assert list_products(ctx, athlete="Ana") == []
    assert client.post("/settings/products/remove", data={"name": "gel"}).status_code == 404


def test_a_bad_product_comes_back_as_typed_with_the_message_by_the_field(
    two: tuple[TestClient, AppContext],
) -> None:
    client, ctx = two
    response = client.post(
        "/settings/products",
        data={"name": "iso", "carbohydrate_g": "lots", "sodium_mg": "250", "fluid_ml": "500ml"},
    )
    assert response.status_code == 422
    html = response.text
    assert re.search(r'id="carbohydrate_g" name="carbohydrate_g" value="lots"[^>]*aria-invalid="true"', html)
    assert 'id="carbohydrate_g-error">cannot read &#39;lots&#39;; expected grams' in html
    assert 'value="500ml"' in html
    assert list_products(ctx, athlete="Ana") == []


def test_the_plan_form_counts_what_is_carried_and_saves_a_planned_session(
    two: tuple[TestClient, AppContext],
) -> None:
    client, ctx = two
    add_gel(client)
    html = client.get("/plan").text
    assert 'name="carry:gel"' in html and "What you will carry" in html
    html = client.get("/plan", params={**PLAN_FORM, "carry:gel": "4"}).text
    assert "Your gels and drinks" in html and "You carry 4 × gel" in html
    assert html.count("take 1 gel") == 4 and "jeukendrup2014" in html
    assert 'name="carry:gel" value="4"' in html
    # "Save as a planned session" posts the same fields
    form = re.search(r'<form method="post" action="/planned"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(1)))
    assert fields == {**PLAN_FORM, "carry:gel": "4"}
    response = client.post("/planned", data=fields, follow_redirects=False)
    assert response.headers["location"] == "/planned?saved=p-0001"
    [saved] = list_planned(ctx, athlete="Ana", now=FIXED_NOW)
    assert saved.carry == {"gel": 4}
    ics = client.get("/plan.ics", params={**PLAN_FORM, "carry:gel": "4"})
    summaries = [str(e["summary"]) for e in Calendar.from_ical(ics.content).walk("VEVENT")]
    assert sum("take 1 gel" in s for s in summaries) == 4
    bad = client.get("/plan", params={**PLAN_FORM, "carry:banana": "2"})
    assert bad.status_code == 422
    assert '<fieldset id="carry-group" aria-describedby="carry-error" aria-invalid="true">' in bad.text
    assert 'id="carry-error">no product named &#39;banana&#39;; your products: gel' in bad.text


def test_planned_page_adds_lists_and_removes(two: tuple[TestClient, AppContext]) -> None:
    client, ctx = two
    response = client.post("/planned", data=PLAN_FORM, follow_redirects=False)
    assert response.status_code == 303
    html = client.get("/planned?saved=p-0001").text
    assert 'href="/session/p-0001">Session mode</a>' in html and "Run, 3h at 28 °C" in html
    assert "Sun 7 Jun 2026, 08:00" in html
    assert client.post("/planned/p-0001/remove", follow_redirects=False).status_code == 303
    assert list_planned(ctx, athlete="Ana", now=FIXED_NOW) == []


def test_a_bad_planned_session_keeps_what_was_typed(two: tuple[TestClient, AppContext]) -> None:
    client, ctx = two
    response = client.post("/planned", data={**PLAN_FORM, "date": "", "duration": "soon"})
    assert response.status_code == 422
    assert re.search(r'id="duration" name="duration" value="soon"[^>]*aria-invalid="true"', response.text)
    assert 'id="date-error">a planned session needs its start time' in response.text
    assert list_planned(ctx, athlete="Ana", now=FIXED_NOW, include_past=True) == []


def test_session_mode_page_holds_its_schedule_for_the_phone(two: tuple[TestClient, AppContext]) -> None:
    client, _ = two
    client.post("/planned", data=PLAN_FORM)
    html = client.get("/session/p-0001").text
    assert "Session mode: Run, 3h at 28 °C" in html
    assert '<script src="/static/session.js?v=' in html
    assert 'role="timer" id="session-timer"' in html
    data = re.search(r"data-session='([^']+)'", html)
    assert data is not None and '"id": "p-0001"' in data.group(1) and '"at_min": 15' in data.group(1)
    assert html.count('<tr data-at-min="') == 11


def test_another_athletes_planned_session_is_404(two: tuple[TestClient, AppContext]) -> None:
    client, ctx = two
    client.post("/planned", data=PLAN_FORM)  # Ana's p-0001; Bo has p-0001 and p-0002
    assert client.get("/session/p-0002").status_code == 404
    assert client.post("/planned/p-0002/remove").status_code == 404
    assert len(list_planned(ctx, athlete="Bo", now=FIXED_NOW)) == 2


def test_reminders_page_shows_the_feed_address_once_and_the_feed_needs_no_sign_in(
    two: tuple[TestClient, AppContext],
) -> None:
    client, _ = two
    client.post("/planned", data=PLAN_FORM)
    html = client.post("/settings/reminders/feed", data={"action": "new"}).text
    url = re.search(
        f'<code id="feed-url">({re.escape(LOCAL_URL)}/feeds/[A-Za-z0-9_-]{{43}}\\.ics)</code>', html
    )
    assert url is not None and 'href="webcal://' + LOCAL_URL.removeprefix("http://") + "/feeds/" in html
    assert url.group(1) not in client.get("/settings/reminders").text  # shown once
    feed = client.get(url.group(1).removeprefix(LOCAL_URL))
    assert feed.status_code == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert f"{LOCAL_URL}/session/p-0001".encode() in feed.content.replace(b"\r\n ", b"")
    assert client.get("/feeds/" + "A" * 43 + ".ics").status_code == 404
    assert client.get("/feeds/whatever").status_code == 404
    client.post("/settings/reminders/feed", data={"action": "stop"})
    assert client.get(url.group(1).removeprefix(LOCAL_URL)).status_code == 404


def test_check_in_time_form(two: tuple[TestClient, AppContext]) -> None:
    client, _ = two
    response = client.post(
        "/settings/reminders/checkin", data={"checkin_time": "20:30"}, follow_redirects=False
    )
    assert response.headers["location"] == "/settings/reminders?saved=true"
    html = client.get("/settings/reminders").text
    assert 'name="checkin_time" value="20:30"' in html and 'data-checkin="20:30"' in html
    bad = client.post("/settings/reminders/checkin", data={"checkin_time": "25:99"})
    assert bad.status_code == 422
    assert re.search(r'id="checkin_time" name="checkin_time" value="25:99"[^>]*aria-invalid="true"', bad.text)


def test_push_api(two: tuple[TestClient, AppContext]) -> None:
    client, ctx = two
    key = client.get("/api/v1/push/key").json()["public_key"]
    assert f'data-vapid-key="{key}"' in client.get("/settings/reminders").text
    body = Browser.new().subscription("https://fcm.googleapis.com/fcm/send/abc")
    assert client.post("/api/v1/push/subscriptions", json=body).status_code == 201
    assert client.post("/api/v1/push/subscriptions", json=body).status_code == 200
    assert subscription_count(ctx, athlete="Ana") == 1
    bad = client.post(
        "/api/v1/push/subscriptions", json={**body, "keys": {"p256dh": b64url(bytes(65)), "auth": "x"}}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "keys.p256dh"
    assert bad.json()["detail"][0]["loc"] == ["body", "keys", "p256dh"]
    # SSRF: the sender would POST to the endpoint; only push services' hosts are kept
    inside = Browser.new().subscription("https://169.254.169.254/latest/meta-data/")
    refused = client.post("/api/v1/push/subscriptions", json=inside)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "endpoint"]
    assert "169.254.169.254 is not a known push service" in refused.json()["detail"][0]["msg"]
    assert subscription_count(ctx, athlete="Ana") == 1
    assert (
        client.request(
            "DELETE", "/api/v1/push/subscriptions", json={"endpoint": body["endpoint"]}
        ).status_code
        == 204
    )
    assert (
        client.request(
            "DELETE", "/api/v1/push/subscriptions", json={"endpoint": body["endpoint"]}
        ).status_code
        == 404
    )
    assert subscription_count(ctx, athlete="Ana") == 0
    assert "/api/v1/push/subscriptions" in client.get("/openapi.json").json()["paths"]


def test_the_service_worker_keeps_session_mode_and_shows_pushed_check_ins(client: TestClient) -> None:
    worker = client.get("/sw.js").text
    assert '"/session"' in worker and "'/session/'" in worker
    assert "addEventListener('push'" in worker and "showNotification" in worker
    assert "addEventListener('notificationclick'" in worker
    assert client.get(re.search(r'"(/static/session\.js\?v=[0-9a-f]+)"', worker).group(1)).status_code == 200  # type: ignore[union-attr]
