"""Browser tests: Playwright drives Debian's chromium against a real `crampwise serve`.

- `demo_db`: the demo athlete, generated once per test session (a few seconds).
- `server`: `crampwise --db <a copy of the demo store> serve --port 0` in a subprocess, one per
  test module; the base URL comes from the address the command prints.
- `browser`: chromium from /usr/bin (Playwright's own browser download is not used).
- `phone` / `desktop`: a fresh browser context (390 x 844 touch, or 1280 x 800) per test.

Screenshots go to `test-artifacts/screenshots/` (git-ignored), to be looked at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from crampwise.config import Settings
from crampwise.services.context import open_context
from crampwise.services.demo import create_demo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    with open_context(Settings(database_url=f"sqlite:///{path}", data_dir=folder)) as ctx:
        create_demo(ctx, now=datetime.now(UTC))
    return path


def _start(db: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "crampwise", "--db", f"sqlite:///{db}", "serve", "--port", "0"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        proc.kill()
        raise AssertionError(f"crampwise serve did not print its address: {line!r}")
    url = found.group(0).rstrip("/")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/now", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("crampwise serve did not answer within 30 s")


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on a free loopback port, on this module's own copy of the demo store."""
    db = tmp_path_factory.mktemp("store") / "demo.db"
    shutil.copy(demo_db, db)
    proc, url = _start(db)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run make system-deps (installs Debian's chromium)")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def desktop(browser: Browser, server: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=server, viewport=DESKTOP, device_scale_factor=1, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def api_cramps(server: str) -> list[dict[str, object]]:
    response = httpx.get(f"{server}/api/v1/cramps", timeout=10)
    response.raise_for_status()
    cramps: list[dict[str, object]] = response.json()
    return cramps
