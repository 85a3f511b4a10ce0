"""Local mode (no accounts) keeps other web sites out: DNS rebinding (a Host that is not this
computer: 400) and cross-site requests (an unsafe request whose Origin, or else Referer, is
another origin: 403). The unsafe routes are read from the app itself, so a new form or API
route is covered the day it is added.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from crampwise.config import Settings
from crampwise.web.app import create_app, route_table
from crampwise.web.csrf import UNSAFE, cross_site
from crampwise.web.local_mode import host_refusal
from tests.conftest import LOCAL_URL

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PARAMS = {"muscle": "calf", "record_id": "c-0001", "planned_id": "p-0001"}
CROSS = [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:8001"},  # same host, another port: another origin
    {"Origin": "https://127.0.0.1:8000"},  # another scheme
    {"Referer": "https://evil.example/page.html"},
    {"Referer": "http://localhost:8000/"},  # localhost and 127.0.0.1 are different origins
    {"Origin": "https://evil.example", "Referer": f"{LOCAL_URL}/log/cramp"},  # Origin decides
]
SAME = [
    {},  # curl, scripts: no browser, no ambient credential to abuse
    {"Origin": LOCAL_URL},
    {"Origin": "HTTP://127.0.0.1:8000"},
    {"Referer": f"{LOCAL_URL}/log/cramp?x=1"},
    {"Origin": LOCAL_URL, "Referer": "https://evil.example/"},  # Origin decides
]


def _unsafe_routes() -> list[tuple[str, str]]:
    app = create_app(Settings(database_url="sqlite:///:memory:", data_dir=Path(".")))
    return sorted((method, path) for method, path, _endpoint in route_table(app) if method in UNSAFE)


UNSAFE_ROUTES = _unsafe_routes()


def _fill(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: PARAMS[m.group(1)], path)


def test_every_unsafe_route_family_is_in_the_table() -> None:
    assert {
        ("POST", "/now/{muscle}"),
        ("POST", "/log/cramp"),
        ("POST", "/import"),
        ("POST", "/settings"),
        ("POST", "/planned/{planned_id}/remove"),
        ("POST", "/settings/reminders/feed"),
        ("POST", "/api/v1/cramps"),
        ("PUT", "/api/v1/cramps/{record_id}"),
        ("DELETE", "/api/v1/cramps/{record_id}"),
        ("POST", "/api/v1/imports"),
        ("POST", "/api/v1/push/subscriptions"),
        ("DELETE", "/api/v1/push/subscriptions"),
    } <= set(UNSAFE_ROUTES)
    assert len(UNSAFE_ROUTES) >= 23


@pytest.mark.parametrize(("method", "path"), UNSAFE_ROUTES, ids=[f"{m} {p}" for m, p in UNSAFE_ROUTES])
def test_an_unsafe_request_from_another_site_is_refused(client: TestClient, method: str, path: str) -> None:
    url = _fill(path)
    for headers in CROSS:
        refused = client.request(method, url, headers=headers, data={"x": "1"}, follow_redirects=False)
        assert refused.status_code == 403, f"{method} {path} {headers}: {refused.status_code}"
        assert "came from another site" in refused.text
        if path.startswith("/api/"):
            assert "came from another site" in refused.json()["detail"]
    for headers in SAME:
        allowed = client.request(method, url, headers=headers, follow_redirects=False)
        assert allowed.status_code != 403, f"{method} {path} {headers}: {allowed.text[:200]}"


def test_a_refused_request_changes_nothing(client: TestClient) -> None:
    before = client.get("/api/v1/cramps").json()
    body = {"at": "2026-05-30T10:00:00+00:00", "muscle": "calf", "context": "rest"}
    evil = {"Origin": "https://evil.example"}
    assert client.post("/api/v1/cramps", json=body, headers=evil).status_code == 403
    assert client.delete(f"/api/v1/cramps/{before[0]['id']}", headers=evil).status_code == 403
    form = {"muscle": "calf", "context": "rest", "severity": "5"}
    page = client.post("/log/cramp", data=form, headers=evil, follow_redirects=False)
    assert page.status_code == 403 and "Refused: sent from another site" in page.text
    assert client.get("/api/v1/cramps").json() == before
    # the same requests from the app's own pages do what they say
    assert client.post("/api/v1/cramps", json=body, headers={"Origin": LOCAL_URL}).status_code == 201
    own = client.post("/log/cramp", data=form, headers={"Origin": LOCAL_URL}, follow_redirects=False)
    assert own.status_code == 303
    assert len(client.get("/api/v1/cramps").json()) == len(before) + 2


def test_reads_are_not_refused_for_their_origin(client: TestClient) -> None:
    """A cross-site GET cannot read the answer (the browser's same-origin policy); only the Host
    check below guards reads."""
    assert client.get("/api/v1/cramps", headers={"Origin": "https://evil.example"}).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8000",
        "localhost.evil.example:8000",
        "127.0.0.1.nip.io:8000",
        "evil.example@127.0.0.1:8000",
        "127.0.0.1:port",
        "192.168.1.20:8000",
        "0.0.0.0:8000",
        "",
    ],
)
def test_a_host_that_is_not_this_computer_is_refused(client: TestClient, host: str) -> None:
    """DNS rebinding: evil.example resolved to 127.0.0.1 still says `Host: evil.example`."""
    page = client.get("/", headers={"Host": host})
    assert page.status_code == 400 and "is not this computer" in page.text
    api = client.get("/api/v1/cramps", headers={"Host": host})
    assert api.status_code == 400 and "localhost, 127.0.0.1 or [::1]" in api.json()["detail"]
    assert client.get("/openapi.json", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000", "localhost", "127.0.0.2:9", "[::1]:8000", "[::1]"],
)
def test_a_loopback_host_is_served(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/cramps", headers={"Host": host}).status_code == 200
    own = f"http://{host}"
    body = {"at": "2026-05-30T10:00:00+00:00", "muscle": "calf", "context": "rest"}
    created = client.post("/api/v1/cramps", json=body, headers={"Host": host, "Origin": own})
    assert created.status_code == 201


def test_the_rule_itself() -> None:
    own = "http://localhost:8000"
    assert cross_site("GET", {"origin": "https://evil.example"}, own) is None
    assert cross_site("post", {"origin": "https://evil.example"}, own) == "Origin: https://evil.example"
    assert cross_site("PATCH", {"origin": ""}, own) == "Origin: "
    assert cross_site("DELETE", {"referer": "not a url"}, own) == "Referer: not a url"
    assert cross_site("PUT", {"origin": "http://localhost:80"}, "http://localhost") is None  # default port
    assert cross_site("PUT", {"origin": "http://localhost"}, own) == "Origin: http://localhost"
    assert cross_site("POST", {}, own) is None
    assert host_refusal(None) is None  # HTTP/1.0 without Host: not a browser
    assert host_refusal("127.0.0.1:8000") is None and host_refusal("evil.example") is not None


def test_server_mode_keeps_its_own_checks(tmp_path: Path) -> None:
    """Server mode serves any name (behind a proxy, its public one) and guards with tokens."""
    from crampwise.config import ServerSettings

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 's.db'}",
        data_dir=tmp_path,
        server=ServerSettings(secret_key="k" * 8 + "Zq3x9Lm2Pw7Vb4Nc8Rt1Ys6Ud0Hf5Gj"),
    )
    with TestClient(create_app(settings), base_url="http://cramps.example.org") as client:
        assert client.get("/now").status_code == 200
