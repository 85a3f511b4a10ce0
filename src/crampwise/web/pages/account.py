"""The account pages (server mode): `/account` (passkeys, the second factor) and
`/account/tokens` (API tokens: make one, see them, revoke them)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.api_tokens import issue_token, list_tokens, revoke_token
from crampwise.services.logins import server_settings
from crampwise.services.passkeys import (
    list_passkeys,
    register,
    registration_options,
    remove_passkey,
    set_second_factor,
)
from crampwise.web.deps import Ctx, Me, Now
from crampwise.web.forms import form_values
from crampwise.web.passkey_origin import relying_party
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account_page(request: Request, ctx: Ctx, me: Me, added: bool = False) -> Response:
    context = {
        "me": me,
        "passkeys": list_passkeys(ctx, account=me.account),
        "added": added,
        "active": "/more",
    }
    return page(request, "account.html.j2", context)


@router.post("/account/passkeys/options")
def passkey_options(request: Request, ctx: Ctx, me: Me, now: Now) -> JSONResponse:
    rp_id, _origin = relying_party(request)
    return JSONResponse(registration_options(ctx, identity=me, rp_id=rp_id, now=now))


@router.post("/account/passkeys")
def add_passkey(
    request: Request,
    ctx: Ctx,
    me: Me,
    now: Now,
    credential: Annotated[dict[str, Any], Body()],
    label: Annotated[str, Body()] = "",
) -> JSONResponse:
    rp_id, origin = relying_party(request)
    made = register(ctx, identity=me, credential=credential, label=label, rp_id=rp_id, origin=origin, now=now)
    return JSONResponse({"label": made.label}, status_code=201)


@router.post("/account/passkeys/{passkey_id}/delete")
def delete_passkey(ctx: Ctx, me: Me, passkey_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    remove_passkey(ctx, account=me.account, passkey_pk=passkey_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/second-factor")
async def second_factor(request: Request, ctx: Ctx, me: Me) -> Response:
    values = await form_values(request)
    on = values.get("second_factor") == "on"
    try:
        set_second_factor(ctx, account=me.account, on=on)
    except InvalidInput as exc:
        context = {
            "me": me,
            "passkeys": list_passkeys(ctx, account=me.account),
            "error": str(exc),
            "active": "/more",
        }
        return page(request, "account.html.j2", context, status_code=422)
    return RedirectResponse("/account", status_code=303)


def _tokens(request: Request, ctx: Ctx, me: Me, now: Now, **extra: Any) -> Response:
    context = {
        "tokens": list_tokens(ctx, account=me.account),
        "now": now,
        "max_days": server_settings(ctx).token_max_age_s // 86400,
        "active": "/more",
        **extra,
    }
    return page(request, "tokens.html.j2", context, status_code=422 if extra.get("error") else 200)


@router.get("/account/tokens")
def tokens_page(request: Request, ctx: Ctx, me: Me, now: Now) -> Response:
    return _tokens(request, ctx, me, now)


@router.post("/account/tokens")
async def make_token(request: Request, ctx: Ctx, me: Me, now: Now) -> Response:
    values = await form_values(request)
    days_text = values.get("days", "").strip()
    try:
        days = int(days_text) if days_text else None
        if days is not None and days <= 0:
            raise ValueError
    except ValueError:
        return _tokens(
            request, ctx, me, now, error=f"days: cannot read {days_text!r}; expected a whole number above 0"
        )
    try:
        secret, token = issue_token(
            ctx,
            account=me.account,
            now=now,
            label=values.get("label", ""),
            expires_in_s=None if days is None else days * 86400,
        )
    except InvalidInput as exc:
        return _tokens(request, ctx, me, now, error=str(exc))
    return _tokens(request, ctx, me, now, secret=secret, made=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(ctx: Ctx, me: Me, now: Now, token_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    revoke_token(ctx, account=me.account, token_pk=token_id, now=now)
    return RedirectResponse("/account/tokens", status_code=303)
