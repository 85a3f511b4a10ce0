"""Server mode's account API: `POST /api/v1/token` (a bearer token for a user name and
password), the caller's tokens (`GET /tokens`, `DELETE /tokens/{token_id}`), the caller's
account (`GET /account`), its export (`GET /account/export`) and its deletion
(`POST /account/delete`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Request, Response
from pydantic import BaseModel, Field

from crampwise.domain.accounts import ApiToken
from crampwise.services.api_tokens import issue_token, list_tokens, revoke_token
from crampwise.services.logins import LoginRefused, sign_in
from crampwise.services.privacy import delete_account, export_archive
from crampwise.web import auth
from crampwise.web.deps import Ctx, Me, Now

router = APIRouter()
# A store's integer key: larger numbers cannot name a row (and SQLite refuses them outright).
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The token's id, from GET /tokens")]
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {401: {"description": "No valid credentials"}}


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token stops working")
    expires_at: datetime


class TokenInfo(BaseModel):
    id: int
    label: str
    prefix: str = Field(description="The token's first characters, to tell tokens apart")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    active: bool


class AccountOut(BaseModel):
    username: str
    role: str = Field(description="athlete|coach|clinician|admin")
    keeps_journal: bool
    athlete: str | None = Field(description="The name of the athlete whose journal the account keeps")
    second_factor: bool


class DeleteIn(BaseModel):
    password: str = Field(max_length=1024)
    confirm: str = Field(max_length=80, description="The account's user name, typed again")


def _info(token: ApiToken, now: datetime) -> TokenInfo:
    return TokenInfo(
        id=token.pk,
        label=token.label,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
        active=token.active(now),
    )


@router.post(
    "/token",
    summary="Trade a user name and password for a bearer token",
    responses={**UNAUTHORIZED, 429: {"description": "Too many failed sign-ins; see Retry-After"}},
)
@auth.public
@auth.no_cookie
def token(
    request: Request,
    ctx: Ctx,
    now: Now,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
    label: Annotated[str, Form(max_length=80)] = "",
    expires_in: Annotated[int | None, Form(gt=0, description="Seconds; at most the server's limit")] = None,
) -> TokenOut:
    account = sign_in(
        ctx, username=username, password=password, address=auth.client_address(request), now=now
    )
    if account.second_factor:
        raise LoginRefused("this account asks for a passkey: make its tokens on the /account/tokens page")
    secret, made = issue_token(ctx, account=account, now=now, label=label, expires_in_s=expires_in)
    return TokenOut(
        access_token=secret,
        expires_in=int((made.expires_at - now).total_seconds()),
        expires_at=made.expires_at,
    )


@router.get("/tokens", summary="The caller's API tokens", responses=UNAUTHORIZED)
def tokens(ctx: Ctx, me: Me, now: Now) -> list[TokenInfo]:
    return [_info(t, now) for t in list_tokens(ctx, account=me.account)]


@router.delete(
    "/tokens/{token_id}", status_code=204, summary="Revoke one of the caller's tokens", responses=UNAUTHORIZED
)
def revoke(ctx: Ctx, me: Me, now: Now, token_id: TokenId) -> Response:
    revoke_token(ctx, account=me.account, token_pk=token_id, now=now)
    return Response(status_code=204)


@router.get("/account", summary="The caller's account", responses=UNAUTHORIZED)
def account(me: Me) -> AccountOut:
    a = me.account
    return AccountOut(
        username=a.username,
        role=a.role.value,
        keeps_journal=a.keeps_journal,
        athlete=me.athlete_name,
        second_factor=a.second_factor,
    )


@router.get(
    "/account/export",
    summary="Everything kept about the caller's account, as a zip",
    response_class=Response,
    responses={**UNAUTHORIZED, 200: {"content": {"application/zip": {}}, "description": "The archive"}},
)
def export(ctx: Ctx, me: Me, now: Now) -> Response:
    return Response(export_archive(ctx, identity=me, now=now), media_type="application/zip")


@router.post(
    "/account/delete",
    status_code=204,
    summary="Delete the caller's account and all its data for good (password and user name again)",
    responses=UNAUTHORIZED,
)
def delete(request: Request, ctx: Ctx, me: Me, now: Now, body: DeleteIn) -> Response:
    delete_account(
        ctx,
        identity=me,
        password=body.password,
        confirm=body.confirm,
        address=auth.client_address(request),
        now=now,
    )
    return Response(status_code=204)
