"""The PWA shell: manifest, service worker, versioned assets shipped in the package."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from crampwise.knowledge.relief import load_relief


def test_service_worker_keeps_the_relief_guide_and_the_log_for_offline(client: TestClient) -> None:
    worker = client.get("/sw.js")
    assert worker.headers["cache-control"] == "no-cache"
    pages = json.loads(re.search(r"var OFFLINE_PAGES = (\[.*?\]);", worker.text).group(1))  # type: ignore[union-attr]
    assert pages == [
        "/now",
        *(f"/now/{m}" for m in load_relief().muscles),
        "/log/cramp",
        "/session",
        "/offline",
    ]
    assets = json.loads(re.search(r"var ASSETS = (\[.*?\]);", worker.text).group(1))  # type: ignore[union-attr]
    assert all(client.get(url).status_code == 200 for url in assets)
    assert "/api/" in worker.text  # the API is never answered from a cache


def test_assets_are_immutable_only_at_their_version(client: TestClient) -> None:
    html = client.get("/now").text
    url = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', html).group(1)  # type: ignore[union-attr]
    assert client.get(url).headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/app.css").headers["cache-control"] == "no-cache"
    assert client.get("/static/nope.js").status_code == 404


def test_manifest_makes_it_installable(client: TestClient) -> None:
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert client.get(manifest["icons"][0]["src"]).headers["content-type"] == "image/svg+xml"


def test_no_page_loads_anything_from_another_origin(client: TestClient) -> None:
    for path in ("/", "/now/calf", "/log/cramp", "/history", "/insights"):
        html = client.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//', html), path
