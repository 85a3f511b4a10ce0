"""Every page in the browser: no serious or critical axe violation, and screenshots at 390 px
and 1280 px saved under test-artifacts/screenshots/ (look at them)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PAGES = {
    "today": "/",
    "now": "/now",
    "now-calf": "/now/calf",
    "log-cramp": "/log/cramp",
    "log-session": "/log/session",
    "log-day": "/log/day",
    "history": "/history",
    "cramp": "/history/cramps/c-0001",
    "session": "/history/sessions/s-0001",
    "sources": "/sources?cite=miller2022_jat,nhs_leg_cramps,crampwise_convention",
    "insights": "/insights",
    "plan": "/plan?sport=run&duration=3h&temperature=28&rpe=6&date=2026-12-06T09:00",
    "check": "/check",
    "report": "/report",
    "import": "/import",
    "settings": "/settings",
    "more": "/more",
    "offline": "/offline",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violation(phone: BrowserContext, name: str) -> None:
    page = phone.new_page()
    response = page.goto(PAGES[name])
    assert response is not None and response.status == 200
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )


def test_the_log_form_with_errors_has_no_serious_violation(phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto("/log/cramp")
    page.get_by_label("Duration").fill("soon")
    page.get_by_role("button", name="Save cramp").click()
    page.locator("#duration_s-error").wait_for()
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, [v["id"] for v in bad]


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_every_page(phone: BrowserContext, desktop: BrowserContext, width: int) -> None:
    context = phone if width == 390 else desktop
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    for name, path in PAGES.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        target = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 2000
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-top.png"))  # what the first screen shows
