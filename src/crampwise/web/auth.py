"""Who a request is, in server mode, and what it may reach.

Identity comes from `Authorization: Bearer <token>` (API clients) or the session cookie
(browsers). `guard` runs before every route of a server-mode app:

- routes marked `@public` (sign-in, the relief guide, assets) open to anyone (the OpenAPI
  document and its page are plain routes outside the guard);
- any other route needs a complete identity: the API answers 401, a page asks to sign in;
- every unsafe request that rides on cookies must carry the CSRF token (`web.csrf`).

Cookies are HttpOnly and SameSite=Lax; Secure (and named with the `__Host-` prefix) when the
request came over HTTPS — as the connection says, or a trusted proxy's X-Forwarded-Proto — or
when `CRAMPWISE_PUBLIC_URL` is https.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated, Any, Final, TypeVar, cast

from fastapi import Depends, Request, Response

from crampwise.config import ServerSettings
from crampwise.domain.errors import CrampwiseError
from crampwise.services.api_tokens import token_identity
from crampwise.services.context import AppContext
from crampwise.services.logins import Identity, session_identity
from crampwise.web import csrf

SESSION_COOKIE: Final = "crampwise_session"
PRESESSION_COOKIE: Final = "crampwise_presession"
UNSAFE: Final = csrf.UNSAFE
F = TypeVar("F", bound=Callable[..., Any])


def public(endpoint: F) -> F:
    """Mark a route open without signing in (sign-in itself, the relief guide, assets).

    GET routes of the relief guide stay open so a cramping athlete never meets a sign-in form
    first; logging the episode afterwards needs the account.
    """
    endpoint.__dict__["crampwise_public"] = True
    return endpoint


def second_factor_step(endpoint: F) -> F:
    """Mark a route a session that still owes its passkey may use (and nothing else may)."""
    endpoint.__dict__["crampwise_second_factor"] = True
    return endpoint


def no_cookie(endpoint: F) -> F:
    """Mark an unsafe route that reads no cookie and sets none (no CSRF token needed)."""
    endpoint.__dict__["crampwise_no_cookie"] = True
    return endpoint


def _marked(request: Request, mark: str) -> bool:
    endpoint = getattr(request.scope.get("route"), "endpoint", None)
    return bool(getattr(endpoint, mark, False))


class NotSignedIn(CrampwiseError):
    """No valid credentials (HTTP 401; a page GET is sent to the sign-in page)."""


class GoTo(CrampwiseError):
    """Send the browser elsewhere (a coach's "/" is their roster)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class CsrfRefused(CrampwiseError):
    """An unsafe request riding on cookies without its CSRF token (HTTP 403)."""


def server_of(request: Request) -> ServerSettings:
    server = cast(AppContext, request.app.state.ctx).settings.server
    assert server is not None, "server-mode route in a local-mode app"
    return server


def is_secure(request: Request) -> bool:
    """HTTPS as the connection (or a trusted proxy) says, or an https public address."""
    return request.url.scheme == "https" or server_of(request).https_only


def cookie_name(request: Request, base: str) -> str:
    return f"__Host-{base}" if is_secure(request) else base


def set_cookie(response: Response, request: Request, base: str, value: str, max_age_s: int | None) -> None:
    response.set_cookie(
        cookie_name(request, base),
        value,
        max_age=max_age_s,
        path="/",
        secure=is_secure(request),
        httponly=True,
        samesite="lax",
    )


def clear_cookie(response: Response, request: Request, base: str) -> None:
    response.delete_cookie(
        cookie_name(request, base), path="/", secure=is_secure(request), httponly=True, samesite="lax"
    )


def client_address(request: Request) -> str:
    """The client's address (after a trusted proxy's X-Forwarded-For), for the sign-in limits."""
    return request.client.host if request.client is not None else "unknown"


def bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def session_token(request: Request) -> str | None:
    return request.cookies.get(cookie_name(request, SESSION_COOKIE)) or None


def resolve_identity(request: Request) -> Identity | None:
    """The request's identity (cached on the request); a pending 2nd-factor session included."""
    if hasattr(request.state, "identity_resolved"):
        return cast(Identity | None, request.state.identity_any)
    ctx = cast(AppContext, request.app.state.ctx)
    now = request.app.state.clock()
    identity: Identity | None = None
    token = bearer(request)
    if not ctx.settings.multi_user:
        pass  # local mode: no accounts
    elif token is not None:
        identity = token_identity(ctx, token=token, now=now)
    else:
        cookie = session_token(request)
        if cookie is not None:
            identity = session_identity(ctx, token=cookie, now=now)
    request.state.identity_any = identity
    request.state.identity = identity if identity is not None and identity.complete else None
    request.state.identity_resolved = True
    return identity


def identity_dependency(request: Request) -> Identity | None:
    """FastAPI dependency (runs in the thread pool: it reads the store)."""
    return resolve_identity(request)


def presession(request: Request) -> str:
    """This browser's pre-session value (made now, and set as a cookie by `page`, if missing)."""
    existing = request.cookies.get(cookie_name(request, PRESESSION_COOKIE))
    if existing:
        return existing
    if not hasattr(request.state, "new_presession"):
        request.state.new_presession = secrets.token_urlsafe(24)
    return cast(str, request.state.new_presession)


def csrf_token(request: Request) -> str:
    """The token forms of this response must carry."""
    server = server_of(request)
    identity = getattr(request.state, "identity_any", None)
    cookie = session_token(request)
    if identity is not None and identity.via == "session" and cookie is not None:
        return csrf.for_session(server.secret_key, cookie)
    return csrf.for_presession(server.secret_key, presession(request))


async def _check_csrf(request: Request) -> None:
    server = server_of(request)
    expected: list[str] = []
    cookie = session_token(request)
    if cookie is not None:
        expected.append(csrf.for_session(server.secret_key, cookie))
    pre = request.cookies.get(cookie_name(request, PRESESSION_COOKIE))
    if pre:
        expected.append(csrf.for_presession(server.secret_key, pre))
    given = request.headers.get(csrf.HEADER)
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(csrf.FIELD)
        given = value if isinstance(value, str) else None
    if not csrf.matches(given, expected):
        raise CsrfRefused(
            "this form has expired or did not come from crampwise; reload the page and send it again"
        )


async def guard(request: Request, identity: Annotated[Identity | None, Depends(identity_dependency)]) -> None:
    """Every server-mode route: sign-in where needed, then CSRF on unsafe cookie requests."""
    if not _marked(request, "crampwise_public"):
        complete = identity is not None and identity.complete
        if not complete and not (identity is not None and _marked(request, "crampwise_second_factor")):
            raise NotSignedIn("not signed in: sign in on /login, or send Authorization: Bearer <token>")
    if request.method in UNSAFE and not _marked(request, "crampwise_no_cookie") and bearer(request) is None:
        await _check_csrf(request)


Guard = Depends(guard)
