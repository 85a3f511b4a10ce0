"""Brute-force limits: per account and per address, counted in the store, so they hold across
processes; exact at their boundaries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crampwise.services.context import AppContext, open_context
from crampwise.services.logins import LoginRefused, TooManyAttempts, sign_in
from tests.conftest import FIXED_NOW
from tests.server.conftest import World, client_for, password_of

WRONG = "not-the-password-at-all"


def _try(ctx: AppContext, name: str, password: str, address: str = "203.0.113.1", seconds: float = 0) -> str:
    try:
        sign_in(
            ctx, username=name, password=password, address=address, now=FIXED_NOW + timedelta(seconds=seconds)
        )
    except TooManyAttempts as exc:
        return f"429:{exc.retry_after_s}"
    except LoginRefused:
        return "401"
    return "200"


def test_the_sixth_attempt_on_an_account_is_refused_even_with_the_right_password(world: World) -> None:
    server = world.ctx.settings.server
    assert server is not None and server.login_max_failures_per_account == 5
    assert [_try(world.ctx, "ana", WRONG) for _ in range(5)] == ["401"] * 5
    assert _try(world.ctx, "ana", password_of("ana")) == f"429:{server.login_window_s + 1}"
    # other accounts from other addresses are not locked by it
    assert _try(world.ctx, "ben", password_of("ben"), address="198.51.100.9") == "200"


def test_the_window_slides_exactly(world: World) -> None:
    server = world.ctx.settings.server
    assert server is not None
    for i in range(5):
        assert _try(world.ctx, "ana", WRONG, seconds=i) == "401"
    window = server.login_window_s
    assert _try(world.ctx, "ana", password_of("ana"), seconds=window - 1).startswith("429")
    # at window + 0 s the first failure (t=0) falls out of the window: one attempt is free again
    assert _try(world.ctx, "ana", password_of("ana"), seconds=window) == "200"


def test_a_right_password_clears_the_account_failures(world: World) -> None:
    for _ in range(4):
        _try(world.ctx, "ana", WRONG)
    assert _try(world.ctx, "ana", password_of("ana")) == "200"
    assert [_try(world.ctx, "ana", WRONG) for _ in range(5)] == ["401"] * 5
    assert _try(world.ctx, "ana", WRONG).startswith("429")


def test_an_address_guessing_many_names_is_stopped(world: World) -> None:
    server = world.ctx.settings.server
    assert server is not None and server.login_max_failures_per_address == 20
    names = [f"guess{i:02d}" for i in range(20)]
    assert [_try(world.ctx, n, WRONG, address="192.0.2.66") for n in names] == ["401"] * 20
    assert _try(world.ctx, "ana", password_of("ana"), address="192.0.2.66").startswith("429")
    assert _try(world.ctx, "ana", password_of("ana"), address="192.0.2.67") == "200"


def test_unknown_names_are_counted_and_answered_like_real_ones(world: World) -> None:
    assert [_try(world.ctx, "no.such.user", WRONG) for _ in range(5)] == ["401"] * 5
    assert _try(world.ctx, "no.such.user", WRONG).startswith("429")


def test_a_disabled_account_is_refused_with_its_right_password(world: World) -> None:
    assert _try(world.ctx, "dan", password_of("dan")) == "401"


def test_the_limit_holds_across_two_workers_on_one_store(world: World) -> None:
    """Two app instances (as two uvicorn workers) share the count through the store alone."""
    with (
        open_context(world.ctx.settings) as other_ctx,
        client_for(world.ctx) as one,
        client_for(other_ctx) as two,
    ):
        statuses = []
        for i in range(6):
            client = one if i % 2 == 0 else two
            statuses.append(
                client.post("/api/v1/token", data={"username": "ana", "password": WRONG}).status_code
            )
        assert statuses == [401] * 5 + [429]
        refused = two.post("/api/v1/token", data={"username": "ana", "password": password_of("ana")})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_the_login_page_answers_429_with_retry_after(world: World) -> None:
    from tests.server.conftest import sign_in as browser_sign_in

    with client_for(world.ctx) as client:
        for _ in range(5):
            assert browser_sign_in(client, "ben", WRONG).status_code == 401
        page = browser_sign_in(client, "ben")
    assert page.status_code == 429 and "too many failed sign-ins" in page.text and page.headers["Retry-After"]


@pytest.mark.parametrize("parallel", [6])
def test_parallel_guesses_cannot_slip_past_the_limit(world: World, parallel: int) -> None:
    """Attempts are counted before the password is checked, under a lock on the key."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        results = list(pool.map(lambda _i: _try(world.ctx, "ana", WRONG), range(parallel)))
    assert sorted(results).count("401") == 5 and sum(r.startswith("429") for r in results) == 1
