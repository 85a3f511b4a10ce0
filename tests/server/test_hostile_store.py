"""Server mode on a store it must not use (one written by a newer crampwise, tests/faults'
hostile store): every request that needs the store answers 503 through web/errors.py, before
sign-in or after it, by cookie or by token, and never 500; what needs no store (the relief
guide, the sign-in page, the redirect to it) still answers. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from crampwise.services.accounts import get_user
from crampwise.services.logins import start_session
from crampwise.web import csrf
from crampwise.web.app import create_app, route_table
from tests.conftest import FIXED_NOW
from tests.server.conftest import (
    ANA_FEED_TOKEN,
    SECRET,
    TestClient,
    World,
    bearer,
    csrf_from,
    password_of,
)

NEWER = "0099_from_the_future"


def _spoil(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": NEWER})
    finally:
        engine.dispose()


def test_server_mode_answers_503_and_never_500_on_a_store_from_a_newer_crampwise(world: World) -> None:
    cookie = start_session(world.ctx, account=get_user(world.ctx, username="ana"), now=FIXED_NOW)
    _spoil(world.ctx.settings.database_url)
    app = create_app(world.ctx.settings, clock=lambda: FIXED_NOW)
    with (
        TestClient(app, follow_redirects=False, raise_server_exceptions=False) as anonymous,
        TestClient(app, follow_redirects=False, raise_server_exceptions=False) as browser,
        TestClient(app, follow_redirects=False, raise_server_exceptions=False) as api,
    ):
        browser.cookies.set("crampwise_session", cookie)
        api.headers.update(bearer(world, "ana"))
        by_token = api.get("/api/v1/cramps")
        assert by_token.status_code == 503 and "newer crampwise" in by_token.json()["detail"]
        page = browser.get("/history")
        assert page.status_code == 503 and "The store is not available" in page.text
        token = csrf.for_session(SECRET, cookie)
        assert browser.post("/log/day", data={"sleep_h": "7", "csrf_token": token}).status_code == 503
        assert anonymous.get(f"/feeds/{ANA_FEED_TOKEN}.ics").status_code == 503
        assert anonymous.get("/history").status_code == 303  # to sign in: no store needed for that
        assert anonymous.get("/now/calf").status_code == 200  # the relief guide needs no store
        form = anonymous.get("/login")
        assert form.status_code == 200
        signing_in = anonymous.post(
            "/login",
            data={"username": "ana", "password": password_of("ana"), "csrf_token": csrf_from(form.text)},
        )
        assert signing_in.status_code == 503 and "Traceback" not in signing_in.text
        paths = sorted({p for m, p, _e in route_table(app) if m == "GET" and "{" not in p})
        assert len(paths) >= 30
        for client in (anonymous, browser, api):
            for path in paths:
                answer = client.get(path)
                assert answer.status_code != 500, (path, answer.text[:300])
    engine = create_engine(world.ctx.settings.database_url)
    try:
        with engine.connect() as conn:  # and the store was left alone
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == NEWER
    finally:
        engine.dispose()
