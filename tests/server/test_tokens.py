"""API tokens: issued for a password, hashed at rest, refused after expiry and revocation."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select

from crampwise.services.accounts import get_user
from crampwise.services.api_tokens import issue_token, token_identity
from crampwise.storage.credentials import api_tokens
from tests.conftest import FIXED_NOW
from tests.server.conftest import World, bearer, client_for, csrf_from, password_of, sign_in


def test_a_password_buys_a_bearer_token_that_reads_the_journal(world: World) -> None:
    with client_for(world.ctx) as client:
        answer = client.post("/api/v1/token", data={"username": "ana", "password": password_of("ana")})
        assert answer.status_code == 200
        document = answer.json()
        assert document["token_type"] == "bearer" and document["access_token"].startswith("cw_")
        headers = {"Authorization": f"Bearer {document['access_token']}"}
        assert [c["id"] for c in client.get("/api/v1/cramps", headers=headers).json()] == ["c-9001", "c-9002"]


def test_tokens_are_stored_only_as_hashes(world: World) -> None:
    secret = world.tokens["ana"]
    with world.ctx.read() as conn:
        stored = conn.execute(select(api_tokens.c.token_sha256, api_tokens.c.prefix)).all()
    assert all(secret not in (h, p) for h, p in stored)
    assert hashlib.sha256(secret.encode()).hexdigest() in {h for h, _p in stored}


def test_a_token_works_until_the_second_it_expires(world: World) -> None:
    account = get_user(world.ctx, username="ben")
    secret, token = issue_token(world.ctx, account=account, now=FIXED_NOW, expires_in_s=3600)
    assert token.expires_at == FIXED_NOW + timedelta(hours=1)
    assert token_identity(world.ctx, token=secret, now=FIXED_NOW + timedelta(seconds=3599)) is not None
    assert token_identity(world.ctx, token=secret, now=FIXED_NOW + timedelta(seconds=3600)) is None
    with client_for(world.ctx, now=FIXED_NOW + timedelta(hours=1)) as later:
        assert later.get("/api/v1/cramps", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_token_longer_than_the_server_allows_is_refused(world: World) -> None:
    with client_for(world.ctx) as client:
        answer = client.post(
            "/api/v1/token",
            data={"username": "ben", "password": password_of("ben"), "expires_in": "99999999999"},
        )
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "expires_in"


def test_a_revoked_token_stops_at_once_and_others_tokens_are_404(world: World) -> None:
    with client_for(world.ctx) as client:
        listed = client.get("/api/v1/tokens", headers=bearer(world, "ana")).json()
        mine = listed[0]["id"]
        assert client.delete(f"/api/v1/tokens/{mine}", headers=bearer(world, "ben")).status_code == 404
        assert client.delete(f"/api/v1/tokens/{mine}", headers=bearer(world, "ana")).status_code == 204
        assert client.get("/api/v1/cramps", headers=bearer(world, "ana")).status_code == 401
        assert client.delete(f"/api/v1/tokens/{mine}", headers=bearer(world, "ben")).status_code == 404


def test_the_tokens_page_makes_shows_once_and_revokes(world: World) -> None:
    with client_for(world.ctx) as client:
        sign_in(client, "ben")
        page = client.get("/account/tokens")
        made = client.post(
            "/account/tokens", data={"label": "watch script", "days": "7", "csrf_token": csrf_from(page.text)}
        )
        assert made.status_code == 200 and "shown only once" in made.text
        secret = made.text.split('id="token-secret">')[1].split("<")[0]
        assert (
            client.get("/api/v1/account", headers={"Authorization": f"Bearer {secret}"}).json()["username"]
            == "ben"
        )
        again = client.get("/account/tokens").text
        assert secret not in again and "watch script" in again
        token_id = max(
            t["id"]
            for t in client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"}).json()
        )
        client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_from(again)})
        assert client.get("/api/v1/account", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
        assert "revoked" in client.get("/account/tokens").text


def test_a_password_change_or_disabling_revokes_every_token(world: World) -> None:
    from crampwise.services.accounts import set_disabled, set_password

    set_password(world.ctx, username="ana", password="a-brand-new-password", now=FIXED_NOW)
    assert token_identity(world.ctx, token=world.tokens["ana"], now=FIXED_NOW) is None
    set_disabled(world.ctx, username="ben", disabled=True, now=FIXED_NOW)
    set_disabled(world.ctx, username="ben", disabled=False, now=FIXED_NOW)
    assert token_identity(world.ctx, token=world.tokens["ben"], now=FIXED_NOW) is None


def test_an_account_asking_for_a_passkey_gets_no_token_for_a_password(world: World) -> None:
    from crampwise.storage.accounts import set_second_factor

    with world.ctx.begin() as conn:
        set_second_factor(conn=conn, pk=get_user(world.ctx, username="ben").pk, on=True)
    with client_for(world.ctx) as client:
        answer = client.post("/api/v1/token", data={"username": "ben", "password": password_of("ben")})
    assert answer.status_code == 401 and "passkey" in answer.json()["detail"]
