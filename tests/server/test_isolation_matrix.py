"""The isolation matrix, generated from the OpenAPI document.

Every route of the server-mode API (method x path, read from `/openapi.json`) is called by
each actor: anonymous, the owner (ana), another athlete (ben), a coach without a grant (kim),
a coach with a grant (lee), a coach after revocation (rex), a coach after the grant's end date
(eve), an admin (root) and a disabled account (dan). Each cell has an expected status, and no
answer to anyone but ana and her grantee may contain ana's private note. A route added to the
API without a row in `KINDS` fails `test_every_openapi_route_is_in_the_matrix`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crampwise.services.journal import get_record
from crampwise.web.app import create_app
from tests.server.conftest import (
    ANA_JOB_ID,
    ANA_PUSH_ENDPOINT,
    SECRET_NOTE,
    World,
    bearer,
    client_for,
    push_body,
    server_settings_for,
)

ACTORS = ("anonymous", "ben", "kim", "lee", "rex", "eve", "root", "dan", "ana")  # the owner last: writes
GRANTEES_WITH_ACCESS = {"lee"}
GPX = b"""<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="40.0" lon="-3.0"><time>2026-05-10T07:00:00Z</time></trkpt>
<trkpt lat="40.01" lon="-3.0"><time>2026-05-10T07:10:00Z</time></trkpt>
<trkpt lat="40.02" lon="-3.0"><time>2026-05-10T07:20:00Z</time></trkpt></trkseg></trk></gpx>"""

# What each route acts on: the caller's own journal ("own"), an athlete's records as owner or
# grantee ("shared"), the grantee's roster ("grantee"), the caller's own account ("self"),
# or nothing before sign-in ("public").
KINDS: dict[tuple[str, str], str] = {
    ("get", "/api/v1/cramps"): "own",
    ("post", "/api/v1/cramps"): "own",
    ("get", "/api/v1/cramps/{record_id}"): "own_item",
    ("put", "/api/v1/cramps/{record_id}"): "own_item",
    ("delete", "/api/v1/cramps/{record_id}"): "own_item",
    ("get", "/api/v1/sessions"): "own",
    ("post", "/api/v1/sessions"): "own",
    ("get", "/api/v1/sessions/{record_id}"): "own_item",
    ("put", "/api/v1/sessions/{record_id}"): "own_item",
    ("delete", "/api/v1/sessions/{record_id}"): "own_item",
    ("get", "/api/v1/days"): "own",
    ("post", "/api/v1/days"): "own",
    ("get", "/api/v1/insights"): "own",
    ("get", "/api/v1/check"): "own",
    ("get", "/api/v1/plan"): "own",
    ("get", "/api/v1/export"): "own",
    ("post", "/api/v1/imports"): "own",
    ("get", "/api/v1/imports/{job_id}"): "own_item",
    ("get", "/api/v1/grants"): "own",
    ("post", "/api/v1/grants"): "own",
    ("delete", "/api/v1/grants/{grantee}"): "own_item",
    ("get", "/api/v1/access-log"): "own",
    ("get", "/api/v1/athletes/{athlete}/cramps"): "shared",
    ("get", "/api/v1/athletes/{athlete}/sessions"): "shared",
    ("get", "/api/v1/athletes/{athlete}/insights"): "shared",
    ("get", "/api/v1/athletes/{athlete}/check"): "shared",
    ("get", "/api/v1/roster"): "grantee",
    ("get", "/api/v1/squad-plan"): "grantee",
    ("get", "/api/v1/squad-plan.csv"): "grantee",
    ("get", "/api/v1/account"): "self",
    ("get", "/api/v1/account/export"): "self",
    ("post", "/api/v1/account/delete"): "self_confirm",
    ("get", "/api/v1/tokens"): "self",
    ("delete", "/api/v1/tokens/{token_id}"): "own_token",
    ("post", "/api/v1/token"): "public",
    ("get", "/api/v1/push/key"): "self",  # the server's VAPID public key: no one's data
    ("post", "/api/v1/push/subscriptions"): "own",
    ("delete", "/api/v1/push/subscriptions"): "own_item",  # ana's browser: only ana may drop it
}
SUCCESS = {"get": 200, "post": 201, "put": 200, "delete": 204}
NON_STANDARD_SUCCESS = {
    ("post", "/api/v1/imports"): 200,
    ("post", "/api/v1/token"): 200,
}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/cramps"): {"at": "2026-05-30T10:00:00+00:00", "muscle": "calf", "context": "rest"},
    ("post", "/api/v1/sessions"): {"start": "2026-05-30T07:00:00+00:00", "sport": "run", "duration_s": 1800},
    ("post", "/api/v1/days"): {"date": "2026-05-30", "sleep_h": 7},
    ("put", "/api/v1/cramps/{record_id}"): {"severity": 3},
    ("put", "/api/v1/sessions/{record_id}"): {"rpe": 5},
    ("post", "/api/v1/grants"): {"grantee": "cleo"},
    ("post", "/api/v1/account/delete"): {"password": "not-the-password", "confirm": "whoever"},
    ("delete", "/api/v1/push/subscriptions"): {"endpoint": ANA_PUSH_ENDPOINT},
}
QUERIES: dict[str, dict[str, str]] = {
    "/api/v1/plan": {"sport": "run", "duration_s": "3600", "temperature_c": "20"},
    "/api/v1/squad-plan": {
        "sport": "run",
        "duration_s": "10800",
        "temperature_c": "30",
        "date": "2026-06-07",
    },
    "/api/v1/squad-plan.csv": {
        "sport": "run",
        "duration_s": "10800",
        "temperature_c": "30",
        "date": "2026-06-07",
    },
}


def _openapi_routes() -> list[tuple[str, str]]:
    app = create_app(server_settings_for("sqlite:///:memory:", Path(".")))
    paths = app.openapi()["paths"]
    return sorted((method, path) for path, item in paths.items() for method in item)


ROUTES = _openapi_routes()


def test_every_openapi_route_is_in_the_matrix() -> None:
    assert set(ROUTES) == set(KINDS), "classify every API route in KINDS (and drop routes that went)"


def expected(method: str, path: str, actor: str) -> int:
    kind = KINDS[(method, path)]
    ok = NON_STANDARD_SUCCESS.get((method, path), SUCCESS[method])
    if kind == "public":  # the token endpoint: ana's right password; everyone else a wrong one
        return ok if actor == "ana" else 401
    if actor in ("anonymous", "dan"):
        return 401
    athlete = actor in ("ana", "ben")
    if kind == "own":
        if path.startswith(("/api/v1/grants", "/api/v1/access-log")) or athlete:
            return ok if athlete else 404
        return 404
    if kind == "own_item":  # ana's record (or grant, or import job): only ana has it
        return ok if actor == "ana" else 404
    if kind == "shared":
        return 200 if actor == "ana" or actor in GRANTEES_WITH_ACCESS else 404
    if kind == "grantee":
        return 200 if actor in ("kim", "lee", "rex", "eve") else 404
    if kind == "self":
        return 200
    if kind == "self_confirm":
        return 422  # a wrong password never deletes anything
    if kind == "own_token":
        return 204 if actor == "ana" else 404
    raise AssertionError(kind)


def _url(world: World, method: str, path: str) -> str:
    record_id = "c-9001" if "/cramps/" in path else "s-9001"
    token_id = _token_id(world, "ana")
    return (
        path.replace("{record_id}", record_id)
        .replace("{athlete}", "ana")
        .replace("{grantee}", "lee")
        .replace("{token_id}", str(token_id))
        .replace("{job_id}", ANA_JOB_ID)
    )


def _token_id(world: World, name: str) -> int:
    from crampwise.services.accounts import get_user
    from crampwise.services.api_tokens import list_tokens

    return list_tokens(world.ctx, account=get_user(world.ctx, username=name))[-1].pk


def _call(client: Any, world: World, method: str, path: str, actor: str) -> Any:
    headers = {} if actor == "anonymous" else bearer(world, actor)
    url = _url(world, method, path)
    if (method, path) == ("post", "/api/v1/token"):
        from tests.server.conftest import password_of

        # each actor tries its own name (anonymous: a name no one has) with a wrong password;
        # ana hers with the right one
        name = "nobody" if actor == "anonymous" else actor
        data = {
            "username": name,
            "password": password_of("ana") if actor == "ana" else f"wrong-{actor}-guess",
        }
        return client.post(url, data=data)
    if (method, path) == ("post", "/api/v1/imports"):
        return client.post(
            url, headers=headers, files=[("files", ("morning.gpx", GPX, "application/gpx+xml"))]
        )
    body = BODIES.get((method, path))
    if (method, path) == ("post", "/api/v1/push/subscriptions"):  # each actor its own browser
        body = push_body(f"https://push.example.org/push/{actor}-new")
    return client.request(method.upper(), url, headers=headers, params=QUERIES.get(path), json=body)


def _may_see_ana(actor: str, kind: str, method: str, path: str) -> bool:
    if actor == "ana":
        return True
    return actor in GRANTEES_WITH_ACCESS and kind in ("shared", "grantee")


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m.upper()} {p}" for m, p in ROUTES])
def test_route_answers_each_actor_as_expected(world: World, method: str, path: str) -> None:
    kind = KINDS[(method, path)]
    with client_for(world.ctx) as client:
        for actor in ACTORS:
            response = _call(client, world, method, path, actor)
            want = expected(method, path, actor)
            assert response.status_code == want, (
                f"{actor}: {method.upper()} {path} -> {response.status_code} {response.text[:200]}"
            )
            assert response.status_code != 403, "others' records answer 404, never 403"
            if not _may_see_ana(actor, kind, method, path):
                assert SECRET_NOTE not in response.text, (
                    f"{actor} saw ana's record through {method.upper()} {path}"
                )
            if actor != "ana" and kind == "own_item" and "record_id" in path:
                record = get_record(
                    world.ctx,
                    athlete="ana",
                    kind=path.split("/")[3].rstrip("s"),
                    record_id=_url(world, method, path).rsplit("/", 1)[1],
                )
                assert record.notes == SECRET_NOTE, f"{actor} changed ana's record"


def test_the_matrix_has_the_size_it_claims() -> None:
    assert len(ROUTES) == len(KINDS)
    cells = len(ROUTES) * len(ACTORS)
    assert cells >= 30 * 9
    print(json.dumps({"routes": len(ROUTES), "actors": len(ACTORS), "cells": cells}))
