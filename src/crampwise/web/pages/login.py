"""Sign-in and sign-out (server mode): `/login` (password, or a passkey), the passkey step of an
account that asks for a second factor, and `/logout`.

A successful sign-in always starts a new session (a new random cookie: no session fixation);
signing out deletes the session's row and asks the browser to drop its caches of this site.
`next` only ever sends the browser to a path of this site.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from crampwise.services.logins import (
    Identity,
    LoginRefused,
    TooManyAttempts,
    complete_session,
    end_session,
    sign_in,
    start_session,
)
from crampwise.services.passkeys import authenticate, login_options
from crampwise.web import auth
from crampwise.web.deps import Ctx, Now
from crampwise.web.forms import FormState, form_values
from crampwise.web.passkey_origin import relying_party
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)
LABELS = {"username": "User name", "password": "Password", "form": "Form"}


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site: `//evil` or `https://`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _signed_in(request: Request, ctx: Ctx, token: str, target: str) -> Response:
    response = RedirectResponse(safe_next(target), status_code=303)
    server = ctx.settings.server
    assert server is not None
    auth.set_cookie(response, request, auth.SESSION_COOKIE, token, server.session_max_age_s)
    return response


@router.get("/login")
@auth.public
def login_page(request: Request, next: str | None = None, deleted: bool = False) -> Response:
    form = FormState(values={"next": safe_next(next)}, fields=LABELS)
    return page(request, "login.html.j2", {"form": form, "deleted": deleted, "active": "/login"})


@router.post("/login")
@auth.public
async def login(request: Request, ctx: Ctx, now: Now) -> Response:
    values = await form_values(request)
    target = safe_next(values.get("next"))
    try:
        account = sign_in(
            ctx,
            username=values.get("username", ""),
            password=values.get("password", ""),
            address=auth.client_address(request),
            now=now,
        )
    except (LoginRefused, TooManyAttempts) as exc:
        form = FormState(values={"username": values.get("username", ""), "next": target}, fields=LABELS)
        form.errors["form"] = str(exc)
        status = 429 if isinstance(exc, TooManyAttempts) else 401
        response = page(request, "login.html.j2", {"form": form, "active": "/login"}, status_code=status)
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    token = start_session(ctx, account=account, now=now, second_factor_due=account.second_factor)
    if account.second_factor:
        target = f"/login/second-factor?next={target}"
    return _signed_in(request, ctx, token, target)


@router.post("/login/passkey/options")
@auth.public
def passkey_options(request: Request, ctx: Ctx, now: Now) -> JSONResponse:
    rp_id, _origin = relying_party(request)
    return JSONResponse(login_options(ctx, rp_id=rp_id, now=now))


@router.post("/login/passkey")
@auth.public
def passkey_login(
    request: Request, ctx: Ctx, now: Now, credential: Annotated[dict[str, Any], Body()]
) -> JSONResponse:
    rp_id, origin = relying_party(request)
    account = authenticate(ctx, credential=credential, rp_id=rp_id, origin=origin, now=now)
    token = start_session(ctx, account=account, now=now)
    target = safe_next(request.query_params.get("next"))
    response = JSONResponse({"next": target})
    server = ctx.settings.server
    assert server is not None
    auth.set_cookie(response, request, auth.SESSION_COOKIE, token, server.session_max_age_s)
    return response


def _pending(identity: Annotated[Identity | None, Depends(auth.identity_dependency)]) -> Identity:
    if identity is None:
        raise auth.NotSignedIn("not signed in: sign in on /login first")
    return identity


Pending = Annotated[Identity, Depends(_pending)]


@router.get("/login/second-factor")
@auth.second_factor_step
def second_factor_page(request: Request, identity: Pending, next: str | None = None) -> Response:
    if identity.complete:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "second_factor.html.j2", {"next": safe_next(next), "active": "/login"})


@router.post("/login/second-factor/options")
@auth.second_factor_step
def second_factor_options(request: Request, ctx: Ctx, now: Now, identity: Pending) -> JSONResponse:
    rp_id, _origin = relying_party(request)
    return JSONResponse(login_options(ctx, rp_id=rp_id, now=now, identity=identity))


@router.post("/login/second-factor")
@auth.second_factor_step
def second_factor(
    request: Request, ctx: Ctx, now: Now, identity: Pending, credential: Annotated[dict[str, Any], Body()]
) -> JSONResponse:
    rp_id, origin = relying_party(request)
    authenticate(ctx, credential=credential, rp_id=rp_id, origin=origin, now=now, identity=identity)
    token = complete_session(ctx, identity=identity, now=now)
    response = JSONResponse({"next": safe_next(request.query_params.get("next"))})
    server = ctx.settings.server
    assert server is not None
    auth.set_cookie(response, request, auth.SESSION_COOKIE, token, server.session_max_age_s)
    return response


@router.post("/logout")
@auth.second_factor_step
def logout(request: Request, ctx: Ctx) -> Response:
    token = auth.session_token(request)
    if token is not None:
        end_session(ctx, token=token)
    response = RedirectResponse("/login", status_code=303)
    auth.clear_cookie(response, request, auth.SESSION_COOKIE)
    # The service worker's copies of pages go too (the offline outbox stays: it is per account).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response
