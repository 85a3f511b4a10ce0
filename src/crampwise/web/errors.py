"""crampwise's errors as HTTP answers (CONTRACTS.md section 6).

Bad input is 422 naming the field's path; an unknown record (or one of another athlete) is
404; a store failure is 503. The API answers JSON in FastAPI's shape (`detail` holds one entry
per bad field with `loc`, `msg`, `type`, plus the bundle-style `field` path); pages answer the
error page. Forms handle their own `InvalidInput` (they re-render with the message by the field).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from crampwise.domain.errors import CrampwiseError, InvalidInput, NotFound, NotSetUp, StoreError, Unconfirmed
from crampwise.web.rendering import page

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def loc_of(path: str, where: str) -> list[str | int]:
    """`sessions[3].rpe` -> `["body", "sessions", 3, "rpe"]` (FastAPI's location form)."""
    parts: list[str | int] = [where]
    for name, index in _PART.findall(path):
        parts.append(int(index) if index else name)
    return parts


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def invalid_json(exc: InvalidInput, request: Request) -> dict[str, Any]:
    where = "query" if request.method in ("GET", "DELETE") else "body"
    detail = []
    for error in exc.errors:
        location = (
            ["header", error.path] if error.path.lower() == "idempotency-key" else loc_of(error.path, where)
        )
        kind = "unconfirmed" if isinstance(exc, Unconfirmed) else "value_error"  # ?confirmed=true stores it
        detail.append({"loc": location, "msg": error.message, "type": kind, "field": error.path})
    return {"detail": detail}


def _page_error(request: Request, status: int, title: str, message: str) -> Response:
    no_athlete = message.startswith("athlete:")
    return page(
        request,
        "error.html.j2",
        {"title": title, "message": message, "no_athlete": no_athlete},
        status_code=status,
    )


def _install_server(app: FastAPI) -> None:
    """Handlers of server mode's refusals: 401, 403 (CSRF) and 429 (sign-in limits)."""
    from crampwise.services.logins import LoginRefused, TooManyAttempts
    from crampwise.web.auth import CsrfRefused, GoTo, NotSignedIn

    @app.exception_handler(GoTo)
    async def go_to(request: Request, exc: GoTo) -> Response:
        return RedirectResponse(exc.path, status_code=303)

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return _page_error(
            request, 401, "Please sign in", "You are signed out: sign in, then send this again."
        )

    @app.exception_handler(LoginRefused)
    async def refused(request: Request, exc: LoginRefused) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return _page_error(request, 401, "Sign-in refused", str(exc))

    @app.exception_handler(TooManyAttempts)
    async def too_many(request: Request, exc: TooManyAttempts) -> Response:
        headers = {"Retry-After": str(exc.retry_after_s)}
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=429, headers=headers)
        response = _page_error(request, 429, "Too many attempts", str(exc))
        response.headers.update(headers)
        return response

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return _page_error(request, 403, "Please reload the page", str(exc))


def _not_set_up(request: Request) -> Response:
    """A first run (no store, or no athlete in it): the way to start, not the CLI's words."""
    return page(request, "welcome.html.j2", {"message": "", "active": "/"}, status_code=404)


def install(app: FastAPI, *, server: bool = False) -> None:
    """Register the handlers on `app` (and server mode's refusals with `server`)."""
    if server:
        _install_server(app)
    from crampwise.web.local_mode import CrossSiteRefused

    @app.exception_handler(CrossSiteRefused)
    async def cross_site(request: Request, exc: CrossSiteRefused) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return _page_error(request, 403, "Refused: sent from another site", str(exc))

    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, exc: InvalidInput) -> Response:
        if is_api(request):
            return JSONResponse(invalid_json(exc, request), status_code=422)
        return _page_error(request, 422, "Please check what you typed", str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        if isinstance(exc, NotSetUp):
            return _not_set_up(request)
        return _page_error(request, 404, "Not found", str(exc))

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=503)
        return _page_error(request, 503, "The store is not available", str(exc))

    @app.exception_handler(CrampwiseError)
    async def other(request: Request, exc: CrampwiseError) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=422)
        return _page_error(request, 422, "That did not work", str(exc))

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = []
        for err in exc.errors():
            loc = [p for p in err.get("loc", ()) if isinstance(p, str | int)]
            field = ".".join(str(p) for p in loc[1:]) if len(loc) > 1 else ""
            detail.append(
                {"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type", "")), "field": field}
            )
        if is_api(request):
            return JSONResponse({"detail": detail}, status_code=422)
        message = "; ".join(f"{d['field']}: {d['msg']}" for d in detail)
        return _page_error(request, 422, "Please check what you typed", message)
