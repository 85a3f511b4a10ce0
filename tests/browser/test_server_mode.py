"""Server mode in a real browser: `crampwise serve --multi-user` on PostgreSQL, two athletes
and a coach signing in, sharing, reading, revoking; passkeys with Chromium's virtual
authenticator (CDP `WebAuthn.addVirtualAuthenticator`), passwordless and as a second factor."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from crampwise.domain.accounts import Role
from crampwise.services.accounts import add_user
from crampwise.services.bundles import import_bundle
from crampwise.services.context import open_context
from crampwise.services.journal import set_athlete
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.conftest import POSTGRES_ENV, _postgres_schema_url
from tests.server.conftest import SECRET, SECRET_NOTE, ana_bundle, password_of, server_settings_for
from tests.server.processes import Processes

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture(scope="module")
def club_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (run under scripts/with-postgres.sh)")
    folder = tmp_path_factory.mktemp("club")
    for url in _postgres_schema_url(base):
        now = datetime.now(UTC)
        with open_context(server_settings_for(url, folder)) as ctx:
            for name, role in (
                ("ana", Role.ATHLETE),
                ("ben", Role.ATHLETE),
                ("zoe", Role.ATHLETE),
                ("lee", Role.COACH),
            ):
                add_user(ctx, username=name, role=role, password=password_of(name), now=now)
            import_bundle(ctx, data=ana_bundle(), now=now)
            set_athlete(ctx, athlete="ben", changes={"body_mass_kg": 74.0, "timezone": "Europe/London"})
        yield url


@pytest.fixture(scope="module")
def club(club_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`crampwise serve --multi-user` on localhost (a WebAuthn relying party needs a host name).

    Its output goes to a file (server mode logs every request: a pipe nobody reads would fill
    and stop the server)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    env.update(CRAMPWISE_SECRET_KEY=SECRET, CRAMPWISE_DATABASE_URL=club_url, PYTHONUNBUFFERED="1")
    started = Processes(env, tmp_path_factory.mktemp("club-logs"))
    try:
        _proc, url = started.serve("--host", "localhost", name="club")
        yield url
    finally:
        started.stop_all()


def _person(browser: Browser, club: str, phone: bool = False) -> BrowserContext:
    viewport = PHONE if phone else DESKTOP
    context = browser.new_context(
        base_url=club, viewport=viewport, is_mobile=phone, has_touch=phone, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    return context


def _sign_in(page: Page, name: str, password: str | None = None) -> None:
    page.goto("/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password or password_of(name))
    page.get_by_role("button", name="Sign in", exact=True).click()


def _no_serious_violation(page: Page) -> None:
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in bad]


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"server-{name}.png"), full_page=True)


def test_two_athletes_and_a_coach_share_read_and_revoke(browser: Browser, club: str) -> None:
    ana, ben, lee = (_person(browser, club, phone=True), _person(browser, club), _person(browser, club))
    try:
        a = ana.new_page()
        _sign_in(a, "ana")
        expect(a.get_by_role("link", name="Cramping now", exact=True)).to_be_visible()
        a.goto("/log/cramp")
        a.get_by_role("radio", name="Calf").check()
        a.get_by_role("radio", name="Left").check()
        a.get_by_label("Duration").fill("45s")
        a.get_by_role("button", name=re.compile("Save")).click()
        a.wait_for_url(re.compile(r"/history\?saved=c-"))
        saved = a.url.split("saved=")[1]

        b = ben.new_page()
        _sign_in(b, "ben")
        b.goto("/history")
        expect(b.locator("main")).not_to_contain_text("Calf")
        assert b.goto(f"/history/cramps/{saved}").status == 404
        api = b.request.get("/api/v1/athletes/ana/cramps")
        assert api.status == 404 and SECRET_NOTE not in api.text()

        c = lee.new_page()
        _sign_in(c, "lee")
        c.wait_for_url(re.compile(r"/coach$"))
        expect(c.locator("main")).to_contain_text("No athlete shares records with you yet")

        a.goto("/sharing")
        a.get_by_label(re.compile("Coach or clinician")).fill("lee")
        a.get_by_role("button", name="Share my records").click()
        expect(a.get_by_role("status")).to_contain_text("Shared with lee")
        _no_serious_violation(a)

        c.reload()
        c.get_by_role("link", name="ana").click()
        expect(c.locator("main")).to_contain_text("Read-only")
        c.goto("/coach/plan")
        c.get_by_label(re.compile("^Event day")).fill("2026-12-06")
        c.get_by_label(re.compile("^Duration")).fill("3h")
        c.get_by_label(re.compile("^Expected temperature")).fill("30C")
        c.get_by_role("button", name="Plan the event").click()
        expect(c.locator("#squad")).to_contain_text("ana")
        _no_serious_violation(c)
        _shot(c, "squad-plan")

        a.goto("/sharing")
        log = a.locator("#access-log")
        expect(log).to_contain_text("lee (coach)")
        expect(log).to_contain_text("squad plan")
        _shot(a, "sharing")
        a.get_by_role("button", name="Stop sharing with lee").click()
        expect(a.get_by_role("status")).to_contain_text("Stopped sharing with lee")

        c.goto("/coach")
        expect(c.locator("main")).to_contain_text("No athlete shares records with you yet")
        assert c.goto("/coach/athletes/ana").status == 404

        a.get_by_role("button", name="Sign out").click()
        a.wait_for_url(re.compile(r"/login$"))
        a.goto("/history")
        a.wait_for_url(re.compile(r"/login\?next="))
    finally:
        for context in (ana, ben, lee):
            context.close()


def test_passkeys_sign_in_without_a_password_and_as_a_second_factor(browser: Browser, club: str) -> None:
    context = _person(browser, club)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )
        _sign_in(page, "ben")
        page.goto("/account")
        page.get_by_label("Name of this passkey").fill("virtual key")
        page.get_by_role("button", name="Add a passkey").click()
        page.wait_for_url(re.compile(r"/account\?added=1"))
        expect(page.locator("#passkeys")).to_contain_text("virtual key")
        _no_serious_violation(page)
        _shot(page, "account")

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(re.compile(r"/login$"))
        page.get_by_role("button", name="Sign in with a passkey").click()
        page.wait_for_url(re.compile(r"localhost:\d+/$"))
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        assert page.request.get("/api/v1/account").json()["username"] == "ben"

        page.goto("/account")
        page.get_by_label("Ask for a passkey after my password").check()
        page.get_by_role("button", name="Save").click()
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(re.compile(r"/login$"))
        _sign_in(page, "ben")
        page.wait_for_url(re.compile(r"/login/second-factor"))
        assert page.request.get("/api/v1/cramps").status == 401  # the password alone opens nothing
        page.get_by_role("button", name="Use my passkey").click()
        page.wait_for_url(re.compile(r"localhost:\d+/$"))
        assert page.request.get("/api/v1/cramps").status == 200
    finally:
        context.close()


def test_a_cramp_logged_offline_reaches_the_signed_in_athletes_journal_once(
    browser: Browser, club: str
) -> None:
    context = _person(browser, club, phone=True)
    try:
        page = context.new_page()
        _sign_in(page, "zoe")
        page.goto("/log/cramp")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # the page as the signed-in athlete sees it goes into the offline cache
        page.wait_for_function(
            "caches.keys().then(ns => Promise.all(ns.map(n => caches.open(n).then(c => c.match('/log/cramp')))))"
            ".then(hits => hits.some(h => h && !h.redirected))"
        )
        before = page.request.get("/api/v1/cramps").json()
        context.set_offline(True)
        page.reload()
        page.get_by_role("radio", name="Foot").check()
        page.get_by_role("radiogroup", name="Side").get_by_role("radio", name="Right").check()
        page.get_by_role("button", name=re.compile("Save")).click()
        expect(page.locator("#sync-status")).to_contain_text("1 record waiting to sync")
        context.set_offline(False)
        page.reload()  # back online: sent with this session's CSRF token
        expect(page.locator("#sync-status")).to_be_hidden(timeout=15_000)
        after = page.request.get("/api/v1/cramps").json()
        assert len(after) == len(before) + 1 and after[-1]["muscle"] == "foot"
        page.reload()
        page.wait_for_timeout(500)
        assert len(page.request.get("/api/v1/cramps").json()) == len(before) + 1
    finally:
        context.close()
