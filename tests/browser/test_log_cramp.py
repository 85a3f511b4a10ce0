"""The cramp log in a real browser at 390 px: three taps, bad input, keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import api_cramps

pytestmark = pytest.mark.browser


def test_three_taps_log_a_cramp_seen_in_history_and_the_api(phone: BrowserContext, server: str) -> None:
    page = phone.new_page()
    page.goto("/log/cramp")
    muscle = page.get_by_role("radiogroup", name="Muscle")
    muscle.get_by_role("radio", name="Hamstring").check()
    page.get_by_role("radiogroup", name="Side").get_by_role("radio", name="Right").check()
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/history\?saved=c-\d+"))
    saved = page.url.rsplit("=", 1)[1]
    expect(page.get_by_role("status")).to_contain_text(f"Saved cramp {saved}")
    item = page.locator(f"li#{saved}")
    expect(item).to_contain_text("Hamstring, right")
    stored = [c for c in api_cramps(server) if c["id"] == saved]
    assert len(stored) == 1
    assert stored[0]["muscle"] == "hamstring" and stored[0]["side"] == "right"
    assert stored[0]["context"] == "exercise"


def test_bad_input_shows_the_message_beside_the_field_and_keeps_the_values(
    phone: BrowserContext, server: str
) -> None:
    before = len(api_cramps(server))
    page = phone.new_page()
    page.goto("/log/cramp")
    page.get_by_role("radio", name="Calf").check()
    page.get_by_role("radiogroup", name="Severity").get_by_role("radio", name="8").check()
    page.get_by_label("Duration").fill("ninety")
    page.get_by_role("button", name=re.compile("Save")).click()
    duration = page.get_by_label("Duration")
    expect(duration).to_have_attribute("aria-invalid", "true")
    message = page.locator("#duration_s-error")
    expect(message).to_contain_text("cannot read 'ninety'")
    assert "duration_s-error" in (duration.get_attribute("aria-describedby") or "")
    expect(duration).to_have_value("ninety")
    expect(page.get_by_role("radio", name="Calf")).to_be_checked()
    expect(page.get_by_role("radiogroup", name="Severity").get_by_role("radio", name="8")).to_be_checked()
    assert len(api_cramps(server)) == before
    duration.fill("90s")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/history\?saved=c-\d+"))
    assert len(api_cramps(server)) == before + 1
    assert api_cramps(server)[-1]["duration_s"] == 90


def test_the_log_form_works_with_the_keyboard_alone(phone: BrowserContext, server: str) -> None:
    page = phone.new_page()
    page.goto("/log/cramp")

    def tab_to(predicate: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
                return
        raise AssertionError(f"never reached {predicate} with Tab")

    tab_to("el.name === 'muscle'")
    page.keyboard.press("ArrowRight")  # calf -> hamstring, checked as it moves
    page.keyboard.press("ArrowRight")  # -> quadriceps
    tab_to("el.name === 'side'")
    page.keyboard.press("Space")  # left
    tab_to("el.name === 'severity'")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    tab_to("el.name === 'duration_s'")
    page.keyboard.type("2m")
    tab_to("el.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/history\?saved=c-\d+"))
    saved = page.url.rsplit("=", 1)[1]
    stored = next(c for c in api_cramps(server) if c["id"] == saved)
    assert (stored["muscle"], stored["side"], stored["duration_s"]) == ("quadriceps", "left", 120)
    assert stored["severity"] == 6


def test_the_same_cramp_twice_is_confirmed_by_ticking_a_box(phone: BrowserContext, server: str) -> None:
    """An unusual value is not stored silently: the message shows, a box asks, a tick saves it."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.conftest import ARTIFACTS

    page = phone.new_page()
    for attempt in range(2):
        page.goto("/log/cramp")
        page.get_by_role("radio", name="Foot").check()
        page.get_by_role("radiogroup", name="Context").get_by_role("radio", name="At rest").check()
        page.get_by_label("When").fill("2026-01-10T03:00")
        before = len(api_cramps(server))
        page.get_by_role("button", name=re.compile("Save")).click()
        if attempt == 0:
            page.wait_for_url(re.compile(r"/history\?saved=c-\d+"))
    confirm = page.get_by_role("checkbox", name=re.compile("Yes, this is right"))
    expect(confirm).to_be_visible()
    expect(page.locator("#form-errors")).to_contain_text("Nothing is saved until you confirm")
    assert len(api_cramps(server)) == before
    bad = [v for v in Axe().run(page).response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, [v["id"] for v in bad]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "log-cramp-confirm-390.png"), full_page=True)
    confirm.check()
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/history\?saved=c-\d+"))
    assert len(api_cramps(server)) == before + 1
