"""A background import in the browser (server mode, real processes on PostgreSQL): the athlete
signs in, the upload form leads to the job's page, which follows the job by polling while no
worker runs, and shows each file's result once a worker has imported it into her journal; axe
finds no serious violation on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ARTIFACTS, PHONE
from tests.server.processes import (  # noqa: F401 (the fixtures used)
    Processes,
    password_of,
    pg_url,
    processes,
    server_env,
)
from tests.services.test_imports import gpx

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]


def test_the_job_page_follows_the_import_to_its_result(
    browser: Browser, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    started: Processes = request.getfixturevalue("processes")
    started.env["CRAMPWISE_BACKGROUND_IMPORT_BYTES"] = "1000"
    _web, url = started.serve()
    run = tmp_path / "morning-run.gpx"
    run.write_bytes(gpx("2024-05-01T07:00", minutes=45))
    context = browser.new_context(
        base_url=url, viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/import")
        page.wait_for_url("**/login*")  # server mode: sign in first, then back to the form
        page.get_by_label("User name").fill("ana")
        page.get_by_label("Password").fill(password_of("ana"))
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url("**/import")
        page.get_by_label("Files").set_input_files(str(run))
        page.get_by_role("button", name="Import").click()
        page.wait_for_url("**/import/jobs/*")
        expect(page.get_by_role("heading", name="Waiting for a worker")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("0 of 1 files")
        violations = [
            v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert violations == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "import-job-waiting-390.png"), full_page=True)

        started.worker()
        expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible(timeout=60_000)
        expect(page.locator("#import-result")).to_contain_text("1 imported, 0 duplicates")
        expect(page.locator("#import-result")).to_contain_text("morning-run.gpx: imported (session s-0001)")
        page.goto("/history")
        expect(page.get_by_role("main")).to_contain_text("1 sessions logged for Ana")  # her journal
        page.screenshot(path=str(ARTIFACTS / "import-job-done-390.png"), full_page=True)
    finally:
        context.close()
