"""The page matrix, generated from the app's routes: every page (GET) for anonymous, the owner
(ana), another athlete (ben), a coach with a grant (lee), a coach without one (kim), an admin
(root) and a disabled account (dan) signed in with browser sessions. A page added to the app
without a row in `PAGES` fails `test_every_page_is_in_the_matrix`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from crampwise.services.accounts import get_user
from crampwise.services.logins import start_session
from crampwise.web.app import create_app, route_table
from tests.conftest import FIXED_NOW
from tests.server.conftest import (
    ANA_FEED_TOKEN,
    ANA_JOB_ID,
    ANA_PLANNED_ID,
    SECRET_NOTE,
    TestClient,
    World,
    server_settings_for,
    sign_in,
)

ACTORS = ("anonymous", "dan", "ana", "ben", "lee", "kim", "root")
EVENT = "sport=run&duration=3h&temperature=30C&date=2026-06-07"
PAGES: dict[str, tuple[str, str]] = {  # route -> (kind, the URL to ask)
    "/static/{path:path}": ("public", "/static/app.css"),
    "/sw.js": ("public", "/sw.js"),
    "/manifest.webmanifest": ("public", "/manifest.webmanifest"),
    "/favicon.ico": ("public", "/favicon.ico"),
    "/healthz": ("public", "/healthz"),
    "/offline": ("public", "/offline"),
    "/now": ("public", "/now"),
    "/now/{muscle}": ("public", "/now/calf"),
    "/sources": ("public", "/sources?cite=nhs_leg_cramps"),
    "/login": ("public", "/login"),
    "/feeds/{name}": ("public", f"/feeds/{ANA_FEED_TOKEN}.ics"),  # the secret in the address is the key
    "/": ("home", "/"),
    "/more": ("form", "/more"),
    "/report": ("form", "/report"),
    "/import": ("form", "/import"),
    "/import/jobs/{job_id}": ("own_item", f"/import/jobs/{ANA_JOB_ID}"),
    "/log": ("redirect", "/log"),
    "/login/second-factor": ("redirect", "/login/second-factor"),
    "/log/cramp": ("own", "/log/cramp"),
    "/log/session": ("own", "/log/session"),
    "/log/day": ("own", "/log/day"),
    "/history": ("own", "/history"),
    "/insights": ("own", "/insights"),
    "/plan": ("own", "/plan?sport=run&duration=1h&temperature=20C"),
    "/plan.ics": ("own", "/plan.ics?sport=run&duration=1h&temperature=20C&date=2026-06-07T08:00"),
    "/check": ("own", "/check"),
    "/report/view": ("own", "/report/view"),
    "/report/download": ("own", "/report/download?format=fhir"),
    "/settings": ("own", "/settings"),
    "/sharing": ("own", "/sharing"),
    "/planned": ("own", "/planned"),
    "/session": ("own", "/session"),
    "/settings/products": ("own", "/settings/products"),
    "/settings/reminders": ("own", "/settings/reminders"),
    "/session/{planned_id}": ("own_item", f"/session/{ANA_PLANNED_ID}"),
    "/history/cramps/{cramp_id}": ("own_item", "/history/cramps/c-9001"),
    "/history/sessions/{session_id}": ("own_item", "/history/sessions/s-9001"),
    "/coach": ("coach", "/coach"),
    "/coach/plan": ("coach", f"/coach/plan?{EVENT}"),
    "/coach/plan.csv": ("coach", f"/coach/plan.csv?{EVENT}"),
    "/coach/athletes/{athlete}": ("coach_item", "/coach/athletes/ana"),
    "/account": ("self", "/account"),
    "/account/tokens": ("self", "/account/tokens"),
    "/privacy": ("self", "/privacy"),
    "/privacy/export.zip": ("self", "/privacy/export.zip"),
}


def _page_routes() -> list[str]:
    app = create_app(server_settings_for("sqlite:///:memory:", Path(".")))
    return sorted({p for m, p, _e in route_table(app) if m == "GET" and not p.startswith("/api/")})


ROUTES = _page_routes()


def test_every_page_is_in_the_matrix() -> None:
    assert sorted(PAGES) == ROUTES


def expected(kind: str, actor: str) -> int:
    if kind == "public":
        return 200
    if actor in ("anonymous", "dan"):
        return 303  # to /login?next=...
    athlete, coach = actor in ("ana", "ben"), actor in ("lee", "kim")
    return {
        "form": 200,
        "self": 200,
        "redirect": 303,
        "home": 200 if athlete else 303,
        "own": 200 if athlete else 404,
        "own_item": 200 if actor == "ana" else 404,
        "coach": 200 if coach else 404,
        "coach_item": 200 if actor in ("lee", "ana") else 404,  # the grantee, or ana reading herself
    }[kind]


def _client(app: Any, world: World, actor: str) -> Any:
    client = TestClient(app, follow_redirects=False)
    if actor == "dan":  # a session from before the account was disabled
        token = start_session(world.ctx, account=get_user(world.ctx, username="dan"), now=FIXED_NOW)
        client.cookies.set("crampwise_session", token)
    elif actor != "anonymous":
        assert sign_in(client, actor).status_code == 303
    return client


@pytest.mark.parametrize("route", ROUTES)
def test_page_answers_each_actor_as_expected(world: World, route: str) -> None:
    kind, url = PAGES[route]
    app = create_app(world.ctx.settings, clock=lambda: FIXED_NOW)
    for actor in ACTORS:
        response = _client(app, world, actor).get(url)
        want = expected(kind, actor)
        assert response.status_code == want, f"{actor}: GET {url} -> {response.status_code}"
        if want == 303 and actor in ("anonymous", "dan"):
            assert re.match(r"^/login\?next=", response.headers["location"]), response.headers["location"]
        if actor not in ("ana", "lee"):
            for marker in (
                m for m in (SECRET_NOTE, "c-9001", "s-9001") if m not in url
            ):  # an error may echo the URL
                assert marker not in response.text, f"{actor} saw ana's {marker} on {url}"


def test_a_calendar_feed_opens_with_its_secret_only(world: World) -> None:
    """The feed is public because calendar apps cannot sign in: its address's secret is the key.
    Any other secret, or ana's own session without it, finds nothing."""
    app = create_app(world.ctx.settings, clock=lambda: FIXED_NOW)
    for actor in ACTORS:
        client = _client(app, world, actor)
        feed = client.get(f"/feeds/{ANA_FEED_TOKEN}.ics")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        assert "BEGIN:VCALENDAR" in feed.text and "crampwise: ana" in feed.text
        for wrong in ("G" * 43, ANA_FEED_TOKEN[:-1], ANA_FEED_TOKEN.lower()):
            assert client.get(f"/feeds/{wrong}.ics").status_code == 404, (actor, wrong)
        assert client.get(f"/feeds/{ANA_FEED_TOKEN}").status_code == 404
