"""Server mode in process: one store with two athletes, coaches, a clinician, an admin and a
disabled account, behind `create_app` with a fixed clock. (Server mode as real processes, with
its fixtures `server_env`, `tokens`, `processes` and `sql`: tests/server/processes.py.)

The world (`World`), made once per test on SQLite and, under scripts/with-postgres.sh, on
PostgreSQL:

- `ana` (athlete, Europe/Madrid) keeps the sample journal with ids no one else has
  (`s-9001`, `c-9001`...) and a note `ana-private` that must never leak;
- `ben` (athlete) keeps a journal of his own (`c-0001`);
- `lee` (coach) holds ana's active grant; `rex` (coach) held one, revoked; `eve` (coach) held
  one that ended the day before "now"; `kim` (coach) and `cleo` (clinician) never had one;
- `root` (admin); `dan` (athlete, disabled after his token was made);
- ana has a background import job (`ANA_JOB_ID`) waiting for a worker, its upload holding the
  private note too (made in the store directly: SQLite has no job queue);
- ana's reminders: a product (`ANA_PRODUCT`), a planned session carrying it (`ANA_PLANNED_ID`),
  a calendar feed whose secret is `ANA_FEED_TOKEN` (set in the store directly: a real one is
  random), a daily check-in time and one browser's push subscription (`ANA_PUSH_ENDPOINT`).

Each account has a bearer token (`world.tokens[name]`) and a password `password_of(name)`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crampwise.config import ServerSettings, Settings
from crampwise.domain.accounts import Role
from crampwise.domain.planned import Product
from crampwise.services.accounts import add_user, set_disabled
from crampwise.services.api_tokens import issue_token
from crampwise.services.bundles import import_bundle
from crampwise.services.context import AppContext, open_context
from crampwise.services.grants import grant, revoke
from crampwise.services.journal import log_cramp, set_athlete
from crampwise.services.planned import add_planned
from crampwise.services.products import save_product
from crampwise.services.push import subscribe
from crampwise.services.reminders import set_checkin, token_digest
from crampwise.storage import reminders as reminder_store
from crampwise.storage.import_jobs import create_job
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, make_sample_bundle

# Real processes (`crampwise serve --multi-user`, `crampwise worker`): their helpers and fixtures.
from tests.server.processes import (  # noqa: F401 (fixtures, found by pytest here)
    password_of,
    pg_url,
    processes,
    server_env,
    sql,
    tokens,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SECRET = "Kq3v9Zt1Rw8YpL2mXc7NbH4sJd6Gf0Ae"
ROLES = {
    "ana": Role.ATHLETE,
    "ben": Role.ATHLETE,
    "lee": Role.COACH,
    "rex": Role.COACH,
    "eve": Role.COACH,
    "kim": Role.COACH,
    "cleo": Role.CLINICIAN,
    "root": Role.ADMIN,
    "dan": Role.ATHLETE,
}
SECRET_NOTE = "ana-private"
ANA_JOB_ID = "a0" * 16
ANA_UPLOAD = f"<gpx><!-- {SECRET_NOTE} --></gpx>".encode()
ANA_PRODUCT = "ana-only gel"
ANA_PLANNED_ID = "p-0001"
ANA_FEED_TOKEN = "F" * 43  # the form of secrets.token_urlsafe(32)
ANA_PUSH_ENDPOINT = "https://push.example.org/push/ana-browser"


def push_body(endpoint: str) -> dict[str, Any]:
    """A browser's `PushSubscription.toJSON()` for this endpoint (a fresh P-256 key)."""
    from tests.push_service import Browser

    return Browser.new().subscription(endpoint)


def server_settings_for(url: str, data_dir: Path, **overrides: Any) -> Settings:
    """Server mode on `url`; push.example.org allowed as an operator's push service."""
    from tests.push_service import TEST_PUSH_HOSTS

    return Settings(
        database_url=url,
        data_dir=data_dir,
        server=ServerSettings(secret_key=SECRET, **overrides),
        push_hosts=TEST_PUSH_HOSTS,
    )


def ana_bundle() -> dict[str, Any]:
    bundle = make_sample_bundle()
    bundle["athlete"]["name"] = "ana"
    for kind, prefix in (("sessions", "s"), ("cramps", "c")):
        for i, record in enumerate(bundle[kind], start=1):
            record["id"] = f"{prefix}-900{i}"
            record["notes"] = SECRET_NOTE
    bundle["cramps"][0]["session_id"] = "s-9001"
    return bundle


@dataclass
class World:
    ctx: AppContext
    now: datetime
    tokens: dict[str, str] = field(default_factory=dict)


def build_world(ctx: AppContext, now: datetime = FIXED_NOW) -> World:
    world = World(ctx=ctx, now=now)
    accounts = {}
    for name, role in ROLES.items():
        accounts[name] = add_user(
            ctx, username=name, role=role, password=password_of(name), now=now - timedelta(days=30)
        )
    import_bundle(ctx, data=ana_bundle(), now=now)
    log_cramp(
        ctx,
        athlete="ben",
        data={
            "at": "2026-05-20T07:00:00+00:00",
            "muscle": "hamstring",
            "context": "rest",
            "notes": "ben-own",
        },
        now=now,
    )
    set_athlete(ctx, athlete="ben", changes={"body_mass_kg": 74.0})
    earlier = now - timedelta(days=10)
    grant(ctx, owner=accounts["ana"], grantee="lee", until=None, now=earlier)
    grant(ctx, owner=accounts["ana"], grantee="rex", until=None, now=earlier)
    revoke(ctx, owner=accounts["ana"], grantee="rex", now=now - timedelta(days=1))
    grant(ctx, owner=accounts["ana"], grantee="eve", until=(now - timedelta(days=1)).date(), now=earlier)
    for name in ROLES:
        world.tokens[name] = issue_token(
            ctx, account=accounts[name], now=now - timedelta(days=1), label="test"
        )[0]
    set_disabled(ctx, username="dan", disabled=True, now=now - timedelta(hours=1))
    # dan's token was revoked by disabling; a fresh one for the "disabled account" column:
    world.tokens["dan"] = _direct_token(ctx, "dan", now)
    ana_pk = accounts["ana"].athlete_pk
    assert ana_pk is not None
    with ctx.begin() as conn:
        create_job(
            conn=conn,
            athlete_pk=ana_pk,
            public_id=ANA_JOB_ID,
            files=[("ana-morning.gpx", ANA_UPLOAD)],
            files_total=1,
            now=now - timedelta(minutes=2),
        )
    _ana_reminders(ctx, ana_pk, now)
    return world


def _ana_reminders(ctx: AppContext, ana_pk: int, now: datetime) -> None:
    product = Product(name=ANA_PRODUCT, carbohydrate_g=25, sodium_mg=50, fluid_ml=0)
    save_product(ctx, athlete="ana", product=product)
    planned = add_planned(
        ctx,
        athlete="ana",
        sport="run",
        duration_s=3 * 3600,
        temperature_c=28,
        rpe=6,
        when=now + timedelta(days=7),
        carry={ANA_PRODUCT: 2},
    )
    assert planned.id == ANA_PLANNED_ID
    with ctx.begin() as conn:
        reminder_store.set_feed_token(
            conn=conn, athlete_pk=ana_pk, token_sha256=token_digest(ANA_FEED_TOKEN), now=now
        )
    set_checkin(ctx, athlete="ana", checkin_time="20:30")
    subscribe(ctx, athlete="ana", body=push_body(ANA_PUSH_ENDPOINT), now=now)


def _direct_token(ctx: AppContext, name: str, now: datetime) -> str:
    """A token issued straight in the store (as if made before the account was disabled)."""
    from crampwise.services.accounts import get_user

    return issue_token(ctx, account=get_user(ctx, username=name), now=now - timedelta(minutes=5))[0]


_HASHES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _hash_each_password_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's world hashes the same few passwords: hash each once per worker (argon2id is
    meant to be slow, about 3/4 of a world's set-up otherwise). Verification stays real."""
    from crampwise.services import accounts

    real = accounts.hash_password

    def once(password: str) -> str:
        if password not in _HASHES:
            _HASHES[password] = real(password)
        return _HASHES[password]

    monkeypatch.setattr(accounts, "hash_password", once)


@pytest.fixture
def server_ctx(store_url: str, tmp_path: Path) -> Iterator[AppContext]:
    with open_context(server_settings_for(store_url, tmp_path)) as ctx:
        yield ctx


@pytest.fixture
def world(server_ctx: AppContext) -> World:
    return build_world(server_ctx)


def client_for(ctx: AppContext, now: datetime = FIXED_NOW, **kwargs: Any) -> TestClient:
    return TestClient(create_app(ctx.settings, clock=lambda: now), **kwargs)


@pytest.fixture
def app_client(world: World) -> Iterator[TestClient]:
    with client_for(world.ctx) as client:
        yield client


def bearer(world: World, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[name]}"}


def today() -> date:
    return FIXED_NOW.date()


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str | None = None, next_path: str = "/") -> Any:
    """Sign in through the login form (GET for the token, then POST), without following the redirect."""
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login",
        data={
            "username": name,
            "password": password or password_of(name),
            "csrf_token": token,
            "next": next_path,
        },
        follow_redirects=False,
    )
