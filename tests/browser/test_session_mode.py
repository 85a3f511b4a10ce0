"""Session mode in a real browser: planned from the form, started, it beeps at each drink and
asks to keep the screen on; after the network goes and the page is reloaded it still does.
Also axe and screenshots (390 and 1280 px) of the reminders pages.

`window.crampwiseSession` (static/session.js) records each beep and wake-lock request; the clock
is Playwright's fake one, so a drink 15 minutes in takes no time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

HOOK = "window.crampwiseSession"
T0 = datetime(2026, 12, 6, 8, 55, tzinfo=UTC)


@pytest.fixture(scope="module")
def planned(server: str) -> Iterator[str]:
    """A planned session with carried gels in this module's store; its session mode page."""
    import httpx

    with httpx.Client(base_url=server, timeout=30, follow_redirects=True) as http:
        saved = http.post(
            "/settings/products",
            data={"name": "gel", "carbohydrate_g": "25g", "sodium_mg": "50mg", "fluid_ml": "0"},
        )
        assert saved.status_code == 200, saved.text[:500]
        response = http.post(
            "/planned",
            data={
                "sport": "run",
                "duration": "3h",
                "temperature": "28C",
                "date": "2026-12-06T09:00",
                "carry:gel": "3",
            },
        )
        assert response.status_code == 200 and "/planned?saved=p-" in str(response.url)
        yield "/session/" + str(response.url).rsplit("=", 1)[1]


def drinks(page: Page) -> list[int]:
    return [int(x) for x in page.locator("#session-schedule tr[data-at-min]").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-at-min'))"
    )]  # fmt: skip


def beeps(page: Page) -> list[int]:
    return [int(b["at_min"]) for b in page.evaluate(f"{HOOK}.beeps")]


def test_planning_from_the_form_then_session_mode(phone: BrowserContext, server: str) -> None:
    page = phone.new_page()
    page.goto("/planned")
    page.get_by_role("radiogroup", name="Sport").get_by_role("radio", name="Ride").check()
    page.get_by_label("Start").fill("2026-12-07T18:00")
    page.get_by_label("Duration").fill("2h")
    page.get_by_label("Temperature").fill("31C")
    page.get_by_role("button", name="Save planned session").click()
    page.wait_for_url(re.compile(r"/planned\?saved=p-\d+"))
    expect(page.get_by_text("Ride, 2h at 31 °C")).to_be_visible()
    page.get_by_role("link", name="Session mode").last.click()
    expect(page.get_by_role("heading", name="Session mode: Ride, 2h at 31 °C")).to_be_visible()
    expect(page.get_by_role("button", name="Start")).to_be_visible()


def test_session_mode_beeps_at_each_drink_and_still_does_offline_after_a_reload(
    phone: BrowserContext, planned: str
) -> None:
    page = phone.new_page()
    page.clock.install(time=T0)
    page.goto(planned)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # one visit: the worker is in place
    page.clock.pause_at(T0 + timedelta(minutes=1))  # from here time moves only when the test says so
    at = drinks(page)
    assert len(at) >= 3 and at[0] in (15, 20)
    page.evaluate(
        "() => { window.__vibrations = 0; navigator.vibrate = () => { window.__vibrations += 1; return true; }; }"
    )
    page.get_by_role("button", name="Start").click()
    assert page.evaluate(f"{HOOK}.state") == "running"
    assert page.evaluate(f"{HOOK}.wakeLock.requests") >= 1
    timer = page.get_by_role("timer")  # read, not awaited: Playwright's polling would move the paused clock
    assert timer.text_content() == f"{at[0]}:00"
    page.clock.run_for(at[0] * 60_000 - 2_000)
    assert beeps(page) == []
    page.clock.run_for(3_000)
    assert beeps(page) == [at[0]]
    assert page.evaluate("window.__vibrations") == 1
    expect(page.locator("#session-announce")).to_contain_text("Drink now:")
    expect(page.locator(f'#session-schedule tr[data-at-min="{at[0]}"]')).to_have_class("done")

    phone.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("Session mode: Run, 3h at 28 °C"))).to_be_visible()
    assert drinks(page) == at  # the schedule, from the worker's copy or the phone's own
    assert page.evaluate(f"{HOOK}.state") == "running"  # the started session goes on
    assert page.evaluate(f"{HOOK}.wakeLock.requests") >= 1  # and asks again to keep the screen on
    sound = page.get_by_role("button", name="Turn the sound back on")
    if sound.is_visible():  # a reload may need a tap before the browser plays sound again
        sound.click()
    page.clock.run_for((at[1] - at[0]) * 60_000 + 1_000)
    assert beeps(page) == [at[1]]  # the drink before the reload is not signalled again
    assert (page.locator("#session-next").text_content() or "").startswith(f"At minute {at[2]}:")
    left = re.fullmatch(r"(\d+):(\d\d)", timer.text_content() or "")
    assert left is not None and 0 < int(left[1]) * 60 + int(left[2]) < (at[2] - at[1]) * 60
    page.get_by_role("button", name="Stop").click()
    assert page.evaluate(f"{HOOK}.state") == "stopped"


def test_the_offline_shell_shows_the_schedule_kept_on_the_phone(phone: BrowserContext, planned: str) -> None:
    page = phone.new_page()
    page.goto(planned)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        "caches.keys().then(n => Promise.all(n.map(k => caches.open(k).then(c => c.match('/session')))))"
        ".then(hits => hits.some(Boolean))"
    )
    kept = drinks(page)
    phone.set_offline(True)
    page.goto("/session")
    expect(page.get_by_role("heading", name="Session mode: Run, 3h at 28 °C")).to_be_visible()
    assert drinks(page) == kept
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    phone.set_offline(False)


def test_without_wake_lock_the_page_says_so(phone: BrowserContext, planned: str) -> None:
    page = phone.new_page()
    page.add_init_script("delete Navigator.prototype.wakeLock; delete navigator.wakeLock;")
    page.goto(planned)
    assert page.evaluate(f"{HOOK}.wakeLock.supported") is False
    expect(page.locator("#wake-status")).to_contain_text("This browser cannot keep the screen on")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#wake-status")).to_be_visible()


PAGES = {
    "planned": "/planned",
    "products": "/settings/products",
    "reminders": "/settings/reminders",
    "plan-carry": "/plan?sport=run&duration=3h&temperature=28&date=2026-12-06T09:00&carry%3Agel=3",
}


@pytest.mark.parametrize("name", [*PAGES, "session"])
def test_no_serious_accessibility_violation(phone: BrowserContext, planned: str, name: str) -> None:
    page = phone.new_page()
    response = page.goto(PAGES.get(name, planned))
    assert response is not None and response.status == 200
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots(phone: BrowserContext, desktop: BrowserContext, planned: str, width: int) -> None:
    context = phone if width == 390 else desktop
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    page.clock.install()
    for name, path in {**PAGES, "session": planned}.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        if name == "session":
            page.get_by_role("button", name="Start").click()
            page.clock.run_for(16 * 60_000)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-top.png"))
