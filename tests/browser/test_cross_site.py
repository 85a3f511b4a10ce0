"""Local mode in a real browser: the app's own forms pass its cross-site check, another site's
form posted to it is refused, and nothing is stored.

Chromium sends `Origin: null` with a page's plain form posts when that page says
`Referrer-Policy: no-referrer`: the app's pages say `same-origin` so their own forms (not only
the scripted ones) carry their true origin.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import BrowserContext, Request, Route

from tests.browser.conftest import api_cramps

pytestmark = pytest.mark.browser

EVIL = "http://evil.example"


def test_a_plain_form_of_the_app_is_accepted(desktop: BrowserContext, server: str) -> None:
    page = desktop.new_page()
    posted: list[Request] = []
    page.on("request", lambda r: posted.append(r) if r.method == "POST" else None)
    page.goto("/check")
    assert page.locator("#check-form").get_attribute("data-queue") is None  # a native post, no script
    with page.expect_navigation():
        page.locator("#check-form [type=submit]").first.click()
    assert [r.headers.get("origin") for r in posted] == [server]
    response = posted[0].response()
    assert response is not None and response.status == 200


def test_a_form_on_another_site_is_refused(desktop: BrowserContext, server: str) -> None:
    before = api_cramps(server)
    evil_page = (
        f'<!doctype html><form method="post" action="{server}/api/v1/cramps" id="f">'
        '<input name="muscle" value="calf"><input name="context" value="rest"></form>'
        f'<form method="post" action="{server}/log/cramp" id="g">'
        '<input name="muscle" value="calf"><input name="context" value="rest"></form>'
    )

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=evil_page)

    page = desktop.new_page()
    page.route(f"{EVIL}/**", fulfil)
    for form in ("f", "g"):
        page.goto(f"{EVIL}/")
        with page.expect_response(re.compile(re.escape(server))) as answer:
            page.evaluate(f"document.getElementById('{form}').submit()")
        refused = answer.value
        assert refused.request.headers.get("origin") == EVIL
        assert refused.status == 403
        assert "came from another site" in refused.text()
    assert api_cramps(server) == before


def test_the_real_server_checks_host_and_origin(server: str) -> None:
    """Through uvicorn, as a rebinding page or another site's script would reach it."""
    port = server.rsplit(":", 1)[1]
    rebound = httpx.get(f"{server}/api/v1/cramps", headers={"Host": f"evil.example:{port}"}, timeout=10)
    assert rebound.status_code == 400 and "is not this computer" in rebound.json()["detail"]
    assert httpx.get(f"{server}/now", headers={"Host": f"localhost:{port}"}, timeout=10).status_code == 200
    body = {"at": "2026-05-30T10:00:00+00:00", "muscle": "calf", "context": "rest"}
    before = api_cramps(server)
    evil = httpx.post(
        f"{server}/api/v1/cramps", json=body, headers={"Origin": "https://evil.example"}, timeout=10
    )
    assert evil.status_code == 403 and api_cramps(server) == before
    own = httpx.post(f"{server}/api/v1/cramps", json=body, headers={"Origin": server}, timeout=10)
    assert own.status_code == 201 and len(api_cramps(server)) == len(before) + 1
