"""In-process tests of the web app: `create_app(settings, clock=...)` behind Starlette's TestClient.

- `client`: the app on a fresh SQLite store holding the sample athlete Ana, with a fixed "now".
- `empty_client`: the app on a fresh store with no athlete.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from crampwise.config import Settings
from crampwise.services.bundles import import_bundle
from crampwise.services.context import open_context
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _client(settings: Settings, now: datetime = FIXED_NOW) -> Iterator[TestClient]:
    app = create_app(settings, clock=lambda: now)
    with TestClient(app, base_url=LOCAL_URL) as client:
        yield client


@pytest.fixture
def client(settings: Settings, sample_bundle: dict[str, Any]) -> Iterator[TestClient]:
    with open_context(settings) as ctx:
        import_bundle(ctx, data=sample_bundle, now=FIXED_NOW)
    yield from _client(settings)


@pytest.fixture
def empty_client(settings: Settings) -> Iterator[TestClient]:
    yield from _client(settings)
