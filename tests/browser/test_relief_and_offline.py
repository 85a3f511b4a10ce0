"""The relief guide run to its end with the clock sped up, and the offline cramp log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import api_cramps

pytestmark = pytest.mark.browser


def test_relief_timer_runs_to_the_end_and_logs_the_episode(phone: BrowserContext, server: str) -> None:
    page = phone.new_page()
    page.clock.install()
    page.goto("/now")
    page.get_by_role("link", name="Calf").click()
    timer = page.get_by_role("timer")
    expect(timer).to_have_text("30 s")
    page.evaluate(
        "() => { window.__vibrations = []; navigator.vibrate = (p) => { window.__vibrations.push(p); return true; }; }"
    )
    page.get_by_role("button", name="Start the timer").click()
    page.clock.run_for(10_000)
    expect(timer).to_have_text("20 s")
    for hold, run_ms in (
        (1, 20_000),
        (2, 30_000),
        (3, 30_000),
    ):  # three 30 s holds, each ends with a vibration
        page.clock.run_for(run_ms)
        assert page.evaluate("window.__vibrations.length") == hold
    expect(page.get_by_text("Has the cramp let go?")).to_be_visible()
    page.get_by_role("button", name="Yes, go on").click()
    # before pressing: the swollen-leg check, with its stop sign under the step
    expect(page.locator("#check-question")).to_contain_text("swollen, red, warm")
    expect(page.locator("#step-2 .stop-line")).to_be_visible()
    page.get_by_role("button", name="No, go on").click()
    page.clock.run_for(61_000)  # the pressure step's 60 s hold
    assert page.evaluate("window.__vibrations.length") == 4
    expect(page.locator("#check-question")).to_contain_text("overheated")  # before warmth
    page.get_by_role("button", name="No, go on").click()
    page.get_by_role("button", name="Done").click()  # warmth: untimed
    expect(timer).to_have_text("Done")
    page.get_by_role("radiogroup", name="Did it help?").get_by_role("radio", name="Yes").check()
    page.get_by_role("radiogroup", name="How bad was it at its worst?").get_by_role("radio", name="6").check()
    page.get_by_role("radiogroup", name="Where did it start?").get_by_role(
        "radio", name="After exercise"
    ).check()
    page.get_by_role("radiogroup", name="Which side?").get_by_role("radio", name="Left").check()
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/history\?saved=c-\d+"))
    saved = page.url.rsplit("=", 1)[1]
    stored = next(c for c in api_cramps(server) if c["id"] == saved)
    assert stored["muscle"] == "calf" and stored["relief_worked"] is True and stored["severity"] == 6
    assert (stored["context"], stored["side"]) == ("after_exercise", "left")
    assert stored["relief"] == ["stretch", "massage", "warmth"]
    assert 90 <= float(stored["duration_s"]) <= 92  # measured until "let go": three 30 s holds


def test_a_swollen_leg_skips_the_massage_and_says_why(phone: BrowserContext, server: str) -> None:
    page = phone.new_page()
    page.clock.install()
    page.goto("/now/calf")
    expect(page.locator(".first")).to_contain_text("float")  # water safety comes first
    page.get_by_role("button", name="Start the timer").click()
    page.clock.run_for(91_000)  # three 30 s holds
    page.get_by_role("button", name="Yes, go on").click()
    page.get_by_role("button", name="Yes", exact=True).click()  # the leg is swollen
    skipped = page.get_by_role("alert").filter(has_text="Skipped: ")
    expect(skipped).to_contain_text("may be a blood clot")
    assert "{emergency}" not in skipped.inner_text() and "{urgent_care}" not in skipped.inner_text()
    page.get_by_role("button", name="Next", exact=True).last.click()
    expect(page.locator("#check-question")).to_contain_text("overheated")  # straight to warmth's check
    page.get_by_role("button", name="Yes", exact=True).click()  # hot race: cool down instead
    expect(page.get_by_role("alert").filter(has_text="Skipped: ")).to_contain_text("cool down instead")
    page.locator("#skipped-next").click()
    expect(page.get_by_role("timer")).to_have_text("Done")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/history\?saved=c-\d+"))
    saved = page.url.rsplit("=", 1)[1]
    stored = next(c for c in api_cramps(server) if c["id"] == saved)
    assert stored["relief"] == ["stretch"]  # neither massage nor warmth was given


def _wait_for_offline_cache(page: Page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.match('/log/cramp')))))"
        ".then(hits => hits.some(Boolean))"
    )


def test_offline_relief_and_cramp_log_sync_exactly_once(phone: BrowserContext, server: str) -> None:
    page = phone.new_page()
    page.goto("/now")
    _wait_for_offline_cache(page)
    before = len(api_cramps(server))
    phone.set_offline(True)
    page.goto("/now/hamstring")
    expect(page.get_by_role("heading", name="Hamstring cramp")).to_be_visible()
    page.reload()
    expect(page.get_by_role("timer")).to_have_text("30 s")
    page.goto("/log/cramp")
    page.get_by_role("radio", name="Adductor (inner thigh)").check()
    page.get_by_role("radiogroup", name="Side").get_by_role("radio", name="Both").check()
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("status").filter(has_text="waiting to sync")).to_be_visible()
    expect(page.locator("#sync-status")).to_contain_text("1 record waiting to sync")
    assert len(api_cramps(server)) == before
    phone.set_offline(False)
    page.reload()  # back online: the outbox is sent
    expect(page.locator("#sync-status")).to_be_hidden(timeout=15_000)
    after = api_cramps(server)
    assert len(after) == before + 1
    assert (after[-1]["muscle"], after[-1]["side"]) == ("adductor", "both")
    page.reload()
    page.wait_for_timeout(500)
    assert len(api_cramps(server)) == before + 1
