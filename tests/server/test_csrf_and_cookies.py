"""CSRF on every unsafe request that rides on a cookie, and the session cookie's flags.

The unsafe routes are read from the app itself (pages and API alike), so a new form is covered
the day it is added.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from crampwise.config import ServerSettings
from crampwise.services.context import open_context
from crampwise.web.app import create_app, route_table
from tests.conftest import FIXED_NOW
from tests.server.conftest import (
    SECRET,
    World,
    bearer,
    build_world,
    client_for,
    csrf_from,
    server_settings_for,
    sign_in,
)

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
PARAMS = {
    "muscle": "calf",
    "record_id": "c-9001",
    "grantee": "lee",
    "token_id": "1",
    "passkey_id": "1",
    "planned_id": "p-0001",
}


def _unsafe_routes() -> list[tuple[str, str]]:
    from pathlib import Path

    app = create_app(server_settings_for("sqlite:///:memory:", Path(".")))
    return sorted((method, path) for method, path, _endpoint in route_table(app) if method in UNSAFE)


UNSAFE_ROUTES = _unsafe_routes()
NO_COOKIE_NEEDED = {("POST", "/api/v1/token")}  # reads no cookie, sets no session


def _fill(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: PARAMS[m.group(1)], path)


def test_every_unsafe_route_is_checked() -> None:
    assert len(UNSAFE_ROUTES) >= 33
    assert ("POST", "/login") in UNSAFE_ROUTES and ("POST", "/log/cramp") in UNSAFE_ROUTES
    assert {  # the reminders' forms and the push API (static/reminders.js sends the header)
        ("POST", "/planned"),
        ("POST", "/planned/{planned_id}/remove"),
        ("POST", "/settings/products"),
        ("POST", "/settings/products/remove"),
        ("POST", "/settings/reminders/checkin"),
        ("POST", "/settings/reminders/feed"),
        ("POST", "/api/v1/push/subscriptions"),
        ("DELETE", "/api/v1/push/subscriptions"),
    } <= set(UNSAFE_ROUTES)


@pytest.mark.parametrize(("method", "path"), UNSAFE_ROUTES, ids=[f"{m} {p}" for m, p in UNSAFE_ROUTES])
def test_an_unsafe_request_on_a_cookie_needs_the_csrf_token(world: World, method: str, path: str) -> None:
    with client_for(world.ctx) as client:
        assert sign_in(client, "ana").status_code == 303
        url = _fill(path)
        missing = client.request(method, url, data={"x": "1"}, follow_redirects=False)
        wrong = client.request(method, url, data={"csrf_token": "0" * 64}, follow_redirects=False)
        wrong_header = client.request(method, url, headers={"X-CSRF-Token": "f" * 64}, follow_redirects=False)
        if (method, path) in NO_COOKIE_NEEDED:
            assert {missing.status_code, wrong.status_code} <= {401, 422}
            return
        for response in (missing, wrong, wrong_header):
            assert response.status_code == 403, f"{method} {path}: {response.status_code}"
        token = csrf_from(client.get("/more").text)
        right = client.request(method, url, headers={"X-CSRF-Token": token}, follow_redirects=False)
        assert right.status_code != 403


def test_a_bearer_request_needs_no_csrf_token(world: World) -> None:
    with client_for(world.ctx) as client:
        body = {"at": "2026-05-30T10:00:00+00:00", "muscle": "calf", "context": "rest"}
        assert client.post("/api/v1/cramps", json=body, headers=bearer(world, "ana")).status_code == 201


def test_the_login_form_is_bound_to_its_browser(world: World) -> None:
    """Login CSRF: a sign-in posted without this browser's pre-session token is refused."""
    with client_for(world.ctx) as client:
        foreign = client.post(
            "/login", data={"username": "ana", "password": "x" * 20}, follow_redirects=False
        )
        assert foreign.status_code == 403
        with client_for(world.ctx) as other:
            stolen = csrf_from(other.get("/login").text)
        client.get("/login")
        replayed = client.post(
            "/login",
            data={"username": "ana", "password": "x" * 20, "csrf_token": stolen},
            follow_redirects=False,
        )
        assert replayed.status_code == 403


PAGES = [
    "/",
    "/log/cramp",
    "/log/session",
    "/log/day",
    "/now/calf",
    "/check",
    "/import",
    "/settings",
    "/sharing",
    "/account",
    "/account/tokens",
    "/privacy",
    "/login",
    "/planned",
    "/settings/products",
    "/settings/reminders",
    "/plan?sport=run&duration=3h&temperature=28C&date=2026-06-07T08:00&carry%3Aana-only+gel=2",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_post_form_carries_the_csrf_token(world: World, path: str) -> None:
    with client_for(world.ctx) as client:
        if path != "/login":
            sign_in(client, "ana")
        html = client.get(path).text
        forms = re.findall(r"<form[^>]*>.*?</form>", html, flags=re.S)
        posting = [f for f in forms if 'method="post"' in f]
        assert posting, f"{path} has a form that posts"
        for form in posting:
            assert re.search(r'<input type="hidden" name="csrf_token" value="[0-9a-f]{64}">', form), form[
                :200
            ]


def _set_cookie(response: Any, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie in {response.headers.get_list('set-cookie')}")


def test_over_http_the_session_cookie_is_httponly_and_samesite_but_not_secure(world: World) -> None:
    with client_for(world.ctx) as client:
        cookie = _set_cookie(sign_in(client, "ana"), "crampwise_session")
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags


def test_over_https_the_session_cookie_is_secure_with_the_host_prefix(world: World) -> None:
    with client_for(world.ctx, base_url="https://crampwise.test") as client:
        cookie = _set_cookie(sign_in(client, "ana"), "__Host-crampwise_session")
        assert client.get("/history").status_code == 200
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= flags
    assert not any(f.startswith("domain=") for f in flags)


def test_an_https_public_address_makes_cookies_secure_even_behind_plain_http(
    world: World, tmp_path: Any
) -> None:
    settings = server_settings_for(
        world.ctx.settings.database_url, tmp_path, public_url="https://cramps.example"
    )
    with open_context(settings) as ctx, client_for(ctx) as client:
        token = csrf_from(client.get("/login").text)
        assert "__Host-crampwise_presession" in client.get("/login").headers.get("set-cookie", "") or token


def _proxied(world: World, tmp_path: Any, peer: str, trusted: tuple[str, ...]) -> Any:
    settings = server_settings_for(world.ctx.settings.database_url, tmp_path, trusted_proxies=trusted)
    ctx = open_context(settings)
    return ctx, client_for(ctx, client=(peer, 40000))


def test_a_trusted_proxy_saying_https_gets_secure_cookies(world: World, tmp_path: Any) -> None:
    ctx, client = _proxied(world, tmp_path, "10.0.0.2", ("10.0.0.0/24",))
    with ctx, client:
        response = client.get(
            "/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        )
    cookie = _set_cookie(response, "__Host-crampwise_presession")
    assert "secure" in cookie.lower()


def test_an_untrusted_peer_cannot_claim_https(world: World, tmp_path: Any) -> None:
    ctx, client = _proxied(world, tmp_path, "192.0.2.50", ("10.0.0.0/24",))
    with ctx, client:
        response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    cookie = _set_cookie(response, "crampwise_presession")
    assert "secure" not in cookie.lower()


def test_the_secret_key_is_never_shown(world: World) -> None:
    assert SECRET not in repr(world.ctx.settings) and SECRET not in repr(ServerSettings(secret_key=SECRET))


def test_signing_out_ends_the_session_on_the_server(world: World) -> None:
    with client_for(world.ctx) as client:
        response = sign_in(client, "ana")
        stolen = _set_cookie(response, "crampwise_session").split(";")[0].split("=", 1)[1]
        token = csrf_from(client.get("/more").text)
        out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["Clear-Site-Data"] == '"cache"'
    with client_for(world.ctx, cookies={"crampwise_session": stolen}) as replay:
        assert (
            replay.get("/history", follow_redirects=False).status_code == 303
        )  # to /login: the copy is dead


def _fresh_cookie(world: World) -> str:
    with client_for(world.ctx) as client:
        return _set_cookie(sign_in(client, "ana"), "crampwise_session").split(";")[0].split("=", 1)[1]


def _status_at(world: World, cookie: str, offset: timedelta) -> int:
    with client_for(world.ctx, now=FIXED_NOW + offset, cookies={"crampwise_session": cookie}) as later:
        return int(later.get("/history", follow_redirects=False).status_code)


def test_a_session_ends_after_its_idle_time(world: World) -> None:
    server = world.ctx.settings.server
    assert server is not None
    idle = timedelta(seconds=server.session_idle_s)
    assert _status_at(world, _fresh_cookie(world), idle - timedelta(seconds=1)) == 200
    assert _status_at(world, _fresh_cookie(world), idle) == 303  # to /login


def test_a_session_in_use_still_ends_at_its_absolute_age(world: World) -> None:
    server = world.ctx.settings.server
    assert server is not None
    cookie = _fresh_cookie(world)
    age = timedelta(seconds=server.session_max_age_s)
    step = timedelta(seconds=server.session_idle_s) / 2
    offset = step
    while offset < age:
        assert _status_at(world, cookie, offset) == 200, offset
        offset += step
    assert _status_at(world, cookie, age - timedelta(seconds=1)) == 200
    assert _status_at(world, cookie, age) == 303


def test_a_session_is_refused_once_the_account_is_disabled(world: World) -> None:
    from crampwise.services.accounts import set_disabled

    with client_for(world.ctx) as client:
        sign_in(client, "ben")
        assert client.get("/history").status_code == 200
        set_disabled(world.ctx, username="ben", disabled=True, now=FIXED_NOW)
        assert client.get("/history", follow_redirects=False).status_code == 303
        assert client.get("/api/v1/cramps").status_code == 401


def test_next_never_leaves_the_site(world: World) -> None:
    with client_for(world.ctx) as client:
        for target, landing in (
            ("//evil.example/x", "/"),
            ("https://evil.example", "/"),
            ("/history", "/history"),
        ):
            client.cookies.clear()
            assert sign_in(client, "ana", next_path=target).headers["location"] == landing


def test_a_fresh_world_builds_on_its_own_store(tmp_path: Any) -> None:
    """The fixture itself: two separate stores do not share accounts."""
    with open_context(server_settings_for(f"sqlite:///{tmp_path / 'a.db'}", tmp_path)) as ctx:
        build_world(ctx)
        from crampwise.services.accounts import list_users

        assert len(list_users(ctx)) == 9


def test_https_answers_carry_hsts_and_http_ones_do_not(world: World) -> None:
    with client_for(world.ctx, base_url="https://crampwise.test") as secure:
        assert secure.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"
    with client_for(world.ctx) as plain:
        assert "Strict-Transport-Security" not in plain.get("/login").headers
